"""Evaluate an NLI model directory on every held-out set, in one table.

    python -m training.evaluate --model models/claimcheck-nli-minilm-l6 --nli ../shared/nli
    python -m training.evaluate --model base          # all-MiniLM-L6-v2 with an untrained head (chance)

Prints (and with ``--json`` writes) accuracy per set, per-class precision/recall, the confusion
matrix and expected calibration error (ECE, 15 bins) over the pooled 3-way sets.  Binary sets
(DocNLI) are scored entailment vs not; two-label E/C sets (FEVER-Symmetric) stay 3-way, so a
"neutral" answer counts as wrong.  ``--max-per-set`` samples big sets (seeded) so a run fits in minutes on CPU;
pass 0 for the full sets.
"""

from __future__ import annotations

import argparse
import json
import random
import time
from pathlib import Path

import numpy as np
import torch

from training import patterns
from training.data import EVAL_SETS, LABELS, Pair, best_sentences, detok, news_sentences, read_jsonl


def load_eval_set(nli: Path, name: str, rel: str) -> list[Pair]:
    rows = []
    for r in read_jsonl(nli / rel):
        premise = r["premise"]
        if name == "fnc1_test":
            if r.get("stance") == "unrelated":
                continue
            premise = best_sentences(premise, r["hypothesis"])
        label = r["label"] if r["label"] in LABELS else "not_entailment"
        rows.append(Pair(detok(premise), detok(r["hypothesis"]), label, r.get("stance", name)))
    return rows


def generated_eval_sets(nli: Path, n: int, seed: int) -> dict[str, list[Pair]]:
    """Hedge / denial / restatement / swap pairs built from FNC-1 *competition-test* sentences (never trained)."""
    rng = random.Random(seed)
    sents = news_sentences(nli, "eval")
    out = {}
    for family in patterns.FAMILIES:
        out[f"gen_{family}"] = patterns.generate(sents, [family], n, rng, split="eval")
    return out


class Scorer:
    """Batched probabilities in LABELS order, read through the model's own id2label."""

    def __init__(
        self,
        model_dir: str,
        batch_size: int = 64,
        max_length: int = 256,
        quantize: bool = False,
        untrained_head: bool = False,
    ):
        from transformers import AutoModelForSequenceClassification, AutoTokenizer

        from claimcheck.inference.quantize import quantize as quantize_model

        self.tokenizer = AutoTokenizer.from_pretrained(model_dir, local_files_only=True)
        # the base encoder has no NLI head: give it a fresh (seeded) one with our label names
        head = (
            {"num_labels": 3, "id2label": dict(enumerate(LABELS)), "label2id": {l: i for i, l in enumerate(LABELS)}}
            if untrained_head
            else {}
        )
        self.model = AutoModelForSequenceClassification.from_pretrained(
            model_dir, local_files_only=True, dtype=torch.float32, **head
        ).eval()
        if quantize:
            self.model = quantize_model(self.model, "int8")
        id2label = {int(k): v.lower() for k, v in self.model.config.id2label.items()}
        self.order = [next(i for i, l in id2label.items() if l == name) for name in LABELS]
        self.batch_size, self.max_length = batch_size, max_length

    @torch.inference_mode()
    def probs(self, pairs: list[Pair]) -> np.ndarray:
        out = []
        idx = sorted(range(len(pairs)), key=lambda i: len(pairs[i].premise) + len(pairs[i].hypothesis))
        for i in range(0, len(idx), self.batch_size):
            chunk = [pairs[j] for j in idx[i : i + self.batch_size]]
            enc = self.tokenizer(
                [p.premise for p in chunk],
                [p.hypothesis for p in chunk],
                truncation="only_first",
                max_length=self.max_length,
                padding=True,
                return_tensors="pt",
            )
            out.append(torch.softmax(self.model(**enc).logits, -1)[:, self.order].numpy())
        probs = np.concatenate(out) if out else np.zeros((0, 3))
        result = np.empty_like(probs)
        result[idx] = probs
        return result


def ece(probs: np.ndarray, gold: np.ndarray, bins: int = 15) -> float:
    conf = probs.max(1)
    correct = probs.argmax(1) == gold
    edges = np.linspace(0, 1, bins + 1)
    total = 0.0
    for lo, hi in zip(edges[:-1], edges[1:]):
        m = (conf > lo) & (conf <= hi)
        if m.any():
            total += m.mean() * abs(correct[m].mean() - conf[m].mean())
    return float(total)


def score_set(pairs: list[Pair], probs: np.ndarray) -> dict:
    gold_labels = [p.label for p in pairs]
    pred = probs.argmax(1)
    if "not_entailment" in gold_labels:
        gold = np.array([0 if g == "entailment" else 1 for g in gold_labels])
        acc = float(((pred == 0).astype(int) == (1 - gold)).mean())
        return {"n": len(pairs), "acc": acc, "binary": True}
    gold = np.array([LABELS.index(g) for g in gold_labels])
    cm = np.zeros((3, 3), dtype=int)
    for g, p in zip(gold, pred):
        cm[g, p] += 1
    per_class = {}
    for i, name in enumerate(LABELS):
        tp = cm[i, i]
        per_class[name] = {
            "precision": float(tp / max(cm[:, i].sum(), 1)),
            "recall": float(tp / max(cm[i].sum(), 1)),
            "n": int(cm[i].sum()),
        }
    return {
        "n": len(pairs),
        "acc": float((pred == gold).mean()),
        "binary": False,
        "ece": ece(probs, gold),
        "per_class": per_class,
        "confusion": cm.tolist(),
        "gold": gold,
        "probs": probs,
    }


def evaluate(
    model: str, nli: Path, max_per_set: int, seed: int, quantize: bool = False, only: list[str] | None = None
) -> dict[str, dict]:
    from training.train import base_model_dir

    scorer = Scorer(base_model_dir() if model == "base" else model, quantize=quantize, untrained_head=model == "base")
    sets: dict[str, list[Pair]] = {}
    for name, (rel, _binary) in EVAL_SETS.items():
        if (nli / rel).exists():
            sets[name] = load_eval_set(nli, name, rel)
    sets.update(generated_eval_sets(nli, 500, seed))
    results: dict[str, dict] = {}
    rng = random.Random(seed)
    for name, pairs in sets.items():
        if only and name not in only:
            continue
        if max_per_set and len(pairs) > max_per_set:
            pairs = rng.sample(pairs, max_per_set)
        t0 = time.time()
        res = score_set(pairs, scorer.probs(pairs))
        res["seconds"] = round(time.time() - t0, 1)
        if name.startswith(("gen_", "fnc1", "emergent")):
            res["by_source"] = _by_source(pairs, res)
        results[name] = res
        print(f"{name:18s} n={res['n']:5d} acc={res['acc']:.3f} ({res['seconds']}s)", flush=True)
    return results


def _by_source(pairs: list[Pair], res: dict) -> dict[str, float]:
    if res["binary"]:
        return {}
    pred = res["probs"].argmax(1)
    out: dict[str, list[bool]] = {}
    for p, g, y in zip(pairs, res["gold"], pred):
        out.setdefault(p.source, []).append(bool(g == y))
    return {k: round(float(np.mean(v)), 3) for k, v in sorted(out.items())}


def markdown_table(results: dict[str, dict], title: str) -> str:
    lines = [
        f"### {title}",
        "",
        "| set | n | accuracy | ECE | E P/R | N P/R | C P/R |",
        "|---|---|---|---|---|---|---|",
    ]
    for name, r in results.items():
        if r["binary"]:
            lines.append(f"| {name} (E vs not) | {r['n']} | {r['acc']:.3f} | | | | |")
            continue
        pc = r["per_class"]
        cells = " | ".join(f"{pc[l]['precision']:.2f}/{pc[l]['recall']:.2f}" if pc[l]["n"] else "–" for l in LABELS)
        lines.append(f"| {name} | {r['n']} | {r['acc']:.3f} | {r['ece']:.3f} | {cells} |")
    for name, r in results.items():
        if r.get("by_source"):
            lines.append(f"\n{name} by sub-source: " + ", ".join(f"{k}: {v:.3f}" for k, v in r["by_source"].items()))
    three = [r for r in results.values() if not r["binary"]]
    if three:
        cm = np.sum([np.array(r["confusion"]) for r in three], axis=0)
        lines += [
            "",
            "Pooled confusion matrix over the 3-way sets (rows gold, columns predicted; E, N, C):",
            "",
            "```",
            *("  ".join(f"{v:6d}" for v in row) for row in cm),
            "```",
        ]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--model", required=True, help="model directory, or 'base' for MiniLM with an untrained head")
    ap.add_argument("--nli", type=Path, default=Path("../shared/nli"))
    ap.add_argument("--max-per-set", type=int, default=2000)
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--quantize", action="store_true", help="the service's int8 recipe (row-wise int8 on every Linear)")
    ap.add_argument("--only", default="", help="comma list of set names")
    ap.add_argument("--title", default="")
    ap.add_argument("--json", type=Path)
    args = ap.parse_args(argv)
    torch.manual_seed(args.seed)  # the 'base' head is random: seed it so the chance row is reproducible
    results = evaluate(
        args.model, args.nli, args.max_per_set, args.seed, args.quantize, [s for s in args.only.split(",") if s] or None
    )
    print()
    print(markdown_table(results, args.title or args.model))
    if args.json:
        slim = {k: {kk: vv for kk, vv in v.items() if kk not in ("gold", "probs")} for k, v in results.items()}
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(slim, indent=2))


if __name__ == "__main__":
    main()
