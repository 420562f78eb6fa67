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

from claimcheck.inference.nli import EXPECTED_LABELS as NLI_LABELS  # the labels an NLI model must have

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


def agreement(model, labels: dict[tuple[str, str], str], threshold: float) -> dict[str, dict[str, float | int]]:
    """How ``model`` reads the hand-labelled pairs: per NLI label, how often it says it (probability ≥
    ``threshold``), how often a person agrees (precision) and how much of the person's label it finds (recall)."""
    pairs = list(labels)
    probs, _ = model.predict(pairs)
    out: dict[str, dict[str, float | int]] = {}
    for lab in ("entailment", "contradiction"):
        said = [p for p, pr in zip(pairs, probs) if pr.get(lab, 0.0) >= threshold]
        right = sum(labels[p] == lab for p in said)
        gold = sum(v == lab for v in labels.values())
        out[lab] = {
            "gold": gold,
            "said": len(said),
            "right": right,
            "precision": round(right / len(said), 3) if said else 0.0,
            "recall": round(right / gold, 3) if gold else 0.0,
        }
    return out


def main(argv: list[str] | None = None) -> int:
    """``python -m evaluation.readings --model DIR [--model DIR2]``: each model against the hand labels on the
    pairs the pipeline reads (the reader this pipeline needs, measured where it is used)."""
    import argparse

    from claimcheck.config import REPO_ROOT, Settings
    from claimcheck.inference.cpu import cpu_model
    from claimcheck.inference.nli import NLIModel

    ap = argparse.ArgumentParser(description=main.__doc__)
    ap.add_argument("--model", action="append", default=[], help="NLI model folder; repeat to compare")
    ap.add_argument("--threshold", type=float, default=0.6)
    ap.add_argument("--eval-dir", type=Path, default=REPO_ROOT.parent / "shared" / "eval")
    args = ap.parse_args(argv)
    path = args.eval_dir / FILE
    if not path.is_file():
        print(f"skipped: no {path}")
        return 0
    labels = load(path)
    settings = Settings.from_env()
    print(f"CPU: {cpu_model()}; {len(labels)} hand-labelled pairs; said = probability ≥ {args.threshold}")
    print("| model | label | gold | said | right | precision | recall |\n|---|---|---|---|---|---|---|")
    for folder in args.model or [settings.nli_model]:
        model = NLIModel(
            folder, batch_size=settings.batch_size, max_tokens=settings.max_tokens, quantize=settings.quantize
        )
        for lab, row in agreement(model, labels, args.threshold).items():
            cells = [row[k] for k in ("gold", "said", "right", "precision", "recall")]
            name = "/".join(Path(folder).parts[-2:])  # the shipped model and a student share a folder name
            print(f"| {name} | {lab} | " + " | ".join(map(str, cells)) + " |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
