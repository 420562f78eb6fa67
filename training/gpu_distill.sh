#!/usr/bin/env bash
# Distil the shipped model into 3- and 2-layer students on a lent GPU, four variants at once.
# Needs training/work/{train,stage2,eval_small}.jsonl.gz (training/README.md: data, stage 2, --make-eval).
# Each variant leaves training/work/distill_<name>/trained.safetensors (fp16, frozen embeddings
# excluded); copy them back and run `python -m training.distill --out DIR --assemble` here.
set -uo pipefail
OUT=${OUT:-training/work/gpu_out}
mkdir -p "$OUT"
export PYTHONUNBUFFERED=1
PY=${PYTHON:-python3}
nvidia-smi --query-gpu=name,memory.total --format=csv,noheader | tee "$OUT/run.log"
"$PY" -c "import torch, transformers; print('torch', torch.__version__, 'transformers', transformers.__version__)" | tee -a "$OUT/run.log"
declare -A VARIANTS=([L3a]=0,1,2 [L3b]=0,2,4 [L2a]=0,1 [L2b]=0,3)
for name in "${!VARIANTS[@]}"; do
  "$PY" -m training.distill --layers "${VARIANTS[$name]}" --out "training/work/distill_$name" --threads 3 \
      --eval "${EVAL:-training/work/eval_small.jsonl.gz}" ${DISTILL_ARGS:-} > "training/work/distill_$name.log" 2>&1 &
done
wait
for name in "${!VARIANTS[@]}"; do
  run="training/work/distill_$name"
  { echo "== $name (layers ${VARIANTS[$name]})"; grep -v -e Loading -e Writing "$run.log" | tail -4; } | tee -a "$OUT/run.log"
  cp "$run/trained.safetensors" "$OUT/${name}_trained.safetensors" 2>/dev/null
done
ls -la "$OUT"
