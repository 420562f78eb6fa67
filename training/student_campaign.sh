#!/usr/bin/env bash
# claimcheck-nli 3.0 student (issue 22, point 2): the MPNet teacher of teacher_campaign.sh, distilled into
# the 3-layer MiniLM the service ships, on the teacher's probabilities over the 3.0 mix and over in-domain
# candidate pairs, beside the teacher-filtered synthetic pairs (gold labels).
#
#   nohup training/student_campaign.sh >> training/work/student.out 2>&1 &   # waits for the teacher, then runs
#   tail -f training/work/student.out training/work/student3/run/train.log
#
# Every stage writes its output once and is skipped when that output exists, and the student's training
# resumes exactly (training.train), so re-running after a stop continues where it was.  Run it again at
# the start of each session, after teacher_campaign.sh.  Rates on the 2-core AMD EPYC (Zen 4) machine:
# the teacher labels ~250k pairs/h in int8 (argmax agreement with fp32 0.975-0.988), ~130k/h in fp32.
# Two copies never run on one OUT (flock), and a re-run with other settings than OUT was made with stops.
#
# Knobs (environment): TEACHER_RUN (default training/work/teacher), OUT (training/work/student3),
# LIMIT (label a seeded sample of N pairs of each file; 0: all), STUDENT_BASE (the model the student
# continues: the shipped 2.0 student), MIX_PARTS (how many of the PARTS slices of the 3.0 mix the teacher
# labels and the student learns, default all; 0: the whole mix with its gold labels instead; each slice is
# ~27k pairs, ~6 min of labelling and ~7 min of the student's training), TEACHER_STANDIN (a model folder
# to use as the teacher without waiting for the campaign: a smoke run of the whole chain, e.g. LIMIT=300
# OUT=/tmp/smoke).
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PY:-.venv/bin/python}
NLI=${NLI:-../shared/nli}
TEACHER_RUN=${TEACHER_RUN:-training/work/teacher}
OUT=${OUT:-training/work/student3}
LIMIT=${LIMIT:-0}
STUDENT_BASE=${STUDENT_BASE:-service/claimcheck/models/claimcheck-nli-minilm-l3}
PARTS=${PARTS:-8}
MIX_PARTS=${MIX_PARTS:-$PARTS}
# one kernel recipe for the temperature fit and every labelled part: "auto" probes per process, and two
# recipes would label parts of one set differently
RECIPE=${RECIPE:-int8}
TEACHER=$OUT/claimcheck-nli-mpnet-l6
STUDENT=$OUT/claimcheck-nli-minilm-l3
if [ -n "${TEACHER_STANDIN:-}" ] && [ "$OUT" = training/work/student3 ]; then
  echo "TEACHER_STANDIN needs its own OUT: the campaign's folder must only ever hold the real teacher" >&2; exit 2
fi
mkdir -p "$OUT"
exec 9>"$OUT/.lock"
flock -n 9 || { echo "another student_campaign.sh is running on $OUT" >&2; exit 1; }
# what the outputs in $OUT were made with: a re-run with other settings stops instead of mixing them
stamp="teacher=${TEACHER_STANDIN:-$TEACHER_RUN} limit=$LIMIT parts=$PARTS recipe=$RECIPE base=$STUDENT_BASE mix_parts=$MIX_PARTS"
if [ -f "$OUT/STAMP" ] && [ "$(cat "$OUT/STAMP")" != "$stamp" ]; then
  echo "$OUT was made with: $(cat "$OUT/STAMP"); now: $stamp. Use another OUT or remove it." >&2; exit 2
fi
echo "$stamp" > "$OUT/STAMP"
stage() { echo "[$(date -u +%H:%M:%S)] $*"; }

until [ -d "$TEACHER_RUN/final" ] || [ -n "${TEACHER_STANDIN:-}" ]; do
  stage "waiting for $TEACHER_RUN/final (the teacher campaign)"; sleep 60 9>&-  # the lock stays with this shell
done
fitted() { grep -q '"temperature"' "$1/claimcheck.json" 2>/dev/null; }
if [ ! -f "$TEACHER/claimcheck.json" ]; then
  stage "export the teacher (fp16, shards under 95 MB)"
  $PY -m training.export --run "${TEACHER_STANDIN:-$TEACHER_RUN}" --out "$TEACHER" --version 3.0.0-teacher
fi
if ! fitted "$TEACHER"; then
  stage "fit the teacher's temperature (in int8, as it labels)"
  $PY -m training.evaluate --model "$TEACHER" --nli "$NLI" --fit-temperature --quantize "$RECIPE" --only mnli_m \
    --max-per-set 300 --no-probes
fi
# the mix in PARTS slices (~6 min each for the whole mix at ~250k pairs/h): a stop loses one slice at most
parts=()
[ "$MIX_PARTS" -gt 0 ] || parts=(training/work/train3.jsonl.gz)  # gold labels
for k in $(seq 0 $((MIX_PARTS - 1))); do
  part="$OUT/mix.soft.$k-of-$PARTS.jsonl.gz"
  parts+=("$part")
  if [ ! -f "$part" ]; then
    stage "the teacher labels part $k/$PARTS of the 3.0 mix ($RECIPE)"
    $PY -m training.synthetic label --scorer "$TEACHER" --data training/work/train3.jsonl.gz --limit "$LIMIT" \
      --part "$k/$PARTS" --quantize "$RECIPE" --threads 2 --out "$OUT/mix.soft.tmp.jsonl.gz"
    mv "$OUT/mix.soft.tmp.jsonl.gz" "$part"
  fi
done
if [ ! -f "$OUT/candidates.soft.jsonl.gz" ]; then
  stage "the teacher labels the in-domain candidate pairs ($RECIPE)"
  $PY -m training.synthetic label --scorer "$TEACHER" --data training/work/candidates.jsonl.gz --limit "$LIMIT" \
    --quantize "$RECIPE" --threads 2 --out "$OUT/candidates.soft.tmp.jsonl.gz"
  mv "$OUT/candidates.soft.tmp.jsonl.gz" "$OUT/candidates.soft.jsonl.gz"
fi
if [ ! -f "$OUT/synthetic.kept.jsonl.gz" ]; then
  stage "the teacher filters the synthetic pairs"
  $PY -m training.synthetic filter --scorer "$TEACHER" --data training/work/synthetic.jsonl.gz --limit "$LIMIT" \
    --quantize "$RECIPE" --threads 2 --out "$OUT/synthetic.kept.tmp.jsonl.gz"
  mv "$OUT/synthetic.kept.tmp.jsonl.gz" "$OUT/synthetic.kept.jsonl.gz"
fi
# gzip members concatenate into one valid file; training.train shuffles with its seed
if [ ! -f "$OUT/student.jsonl.gz" ]; then
  cat "${parts[@]}" "$OUT"/{candidates.soft,synthetic.kept}.jsonl.gz > "$OUT/student.tmp.jsonl.gz"
  mv "$OUT/student.tmp.jsonl.gz" "$OUT/student.jsonl.gz"
fi
if [ ! -d "$OUT/run/final" ]; then  # training.train renames final/ into place only once it is whole
  stage "train the student (resumes from $OUT/run/checkpoint)"
  nice -n 10 $PY -m training.train --data "$OUT/student.jsonl.gz" --base "$STUDENT_BASE" --out "$OUT/run" \
    --lr 5e-5 --threads 2 --checkpoint-every 200 --log-every 50 --max-length 128
fi
if [ ! -f "$STUDENT/claimcheck.json" ]; then
  stage "export the student"
  $PY -m training.export --run "$OUT/run" --out "$STUDENT" --version 3.0.0 --teacher "$TEACHER"
fi
if ! fitted "$STUDENT"; then
  stage "fit the student's temperature (int8, as the service runs it)"
  $PY -m training.evaluate --model "$STUDENT" --nli "$NLI" --fit-temperature --quantize "$RECIPE" --only mnli_m \
    --max-per-set 300 --no-probes
fi
stage "done: python -m training.evaluate --model $STUDENT_BASE --model $STUDENT --model $TEACHER --quantize"
