"""Hand-labelled NLI readings in place of the model's: how far the pipeline gets with a perfect reader.

``../shared/eval/realnews_dev_nli_readings.jsonl`` labels by hand (entailment / neutral /
contradiction) the premise-hypothesis pairs an earlier 2.0 pipeline read for the gold claims of
``realnews_dev.json``.  Scoring with those labels where a pair has one, and the model elsewhere,
separates what the model limits from what the pipeline hands it (candidates, propositions, sources):
``python -m evaluation.quality --sets realnews --config model: --config hand:readings=hand``.  A pair
the pipeline now reads that the file does not label (its proposition changed since) falls back to the
model; the coverage printed says how much of a run the labels decided.  Eval only: never a training or
tuning signal (the file's README).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from pathlib import Path

NLI_LABELS = ("entailment", "neutral", "contradiction")
FILE = "realnews_dev_nli_readings.jsonl"


def load(path: Path) -> dict[tuple[str, str], str]:
    """(premise, hypothesis) → hand label; the last label of a pair listed twice wins."""
    out = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip():
            row = json.loads(line)
            out[(row["premise"], row["hypothesis"])] = row["label"]
    return out


class HandReadings:
    """An NLI scorer that answers with certainty from the hand labels where it has one, else asks ``model``."""

    def __init__(self, model, labels: dict[tuple[str, str], str]) -> None:
        self.model, self.labels = model, labels
        self.hits = self.asked = 0

    def predict(
        self, pairs: Sequence[tuple[str, str]], before_batch: Callable[[], None] | None = None
    ) -> tuple[list[dict[str, float]], object]:
        todo = [p for p in pairs if p not in self.labels]
        probs, stats = self.model.predict(todo, before_batch=before_batch) if todo else ([], None)
        fresh = iter(probs)
        self.asked += len(pairs)
        self.hits += len(pairs) - len(todo)
        return [
            {lab: float(lab == self.labels[p]) for lab in NLI_LABELS} if p in self.labels else next(fresh)
            for p in pairs
        ], stats

    def coverage(self) -> float:
        return self.hits / self.asked if self.asked else 0.0
