"""Evaluate an NLI model directory on every held-out set, in one table.

    python -m training.evaluate --model OLD_DIR --model NEW_DIR --nli ../shared/nli --quantize

Several ``--model`` are scored in the same run and printed side by side (then one full table each).

Prints (and with ``--json`` writes) accuracy per set, per-class precision/recall, the confusion
matrix and expected calibration error (ECE, 15 bins) over the pooled 3-way sets.  Binary sets
(DocNLI) are scored entailment vs not; two-label E/C sets (FEVER-Symmetric) stay 3-way, so a
"neutral" answer counts as wrong.  ``--max-per-set`` samples big sets (seeded) so a run fits in minutes on CPU;
pass 0 for the full sets.

The ``probe_*`` rows (on by default, ``--no-probes`` drops them) are :mod:`training.probes`: negation
rebuilt from held-out NLI pairs, reference denial ("X reported that S. Y said the report was false.")
and paraphrase corroboration, each class-balanced.  ``--only probe_negation,probe_refdenial,probe_paraphrase``
scores just those.
"""

from __future__ import annotations

import argparse
import json
import random
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np

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
    """Probabilities in LABELS order from the service's own :class:`NLIModel` (one ``predict``, the
    service's precision and temperature), so what is measured here is what the service runs."""

    def __init__(
        self,
        model_dir: str,
        batch_size: int = 64,
        max_length: int = 256,
        quantize: str = "none",
        temperature: float | None = None,
    ) -> None:
        from claimcheck.inference.nli import NLIModel

        self.nli = NLIModel(model_dir, batch_size=batch_size, max_tokens=max_length, quantize=quantize)
        if temperature is not None:
            self.nli.temperature = temperature

    def probs(self, pairs: list[Pair]) -> np.ndarray:
        probs, _ = self.nli.predict([(p.premise, p.hypothesis) for p in pairs])
        return np.array([[row[label] for label in LABELS] for row in probs]).reshape(-1, 3)


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
    model: str,
    nli: Path,
    max_per_set: int,
    seed: int,
    quantize: str = "none",
    only: list[str] | None = None,
    probes: dict[str, list[Pair]] | None = None,
    temperature: float | None = None,
) -> dict[str, dict]:
    scorer = Scorer(model, quantize=quantize, temperature=temperature)
    sets: dict[str, list[Pair]] = {}
    for name, (rel, _binary) in EVAL_SETS.items():
        if (nli / rel).exists() and (not only or name in only):  # --only: read no more than is scored
            sets[name] = load_eval_set(nli, name, rel)
    if not only or any(name.startswith("gen_") for name in only):
        sets.update(generated_eval_sets(nli, 500, seed))
    sets.update(probes or {})
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
        if name.startswith(("gen_", "fnc1", "emergent", "negation", "probe_paraphrase")):
            res["by_source"] = _by_source(pairs, res)
        elif name.startswith("probe_negation"):  # by construction: rule-negated vs kept pairs
            res["by_source"] = _by_source(pairs, res, lambda source: source.split("/", 1)[0])
        results[name] = res
        print(f"{name:18s} n={res['n']:5d} acc={res['acc']:.3f} ({res['seconds']}s)", flush=True)
    return results


def _by_source(pairs: list[Pair], res: dict, key: Callable[[str], str] = str) -> dict[str, float]:
    if res["binary"]:
        return {}
    pred = res["probs"].argmax(1)
    out: dict[str, list[bool]] = {}
    for p, g, y in zip(pairs, res["gold"], pred):
        out.setdefault(key(p.source), []).append(bool(g == y))
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


def negation_probes(paths: list[Path]) -> dict[str, list[Pair]]:
    """The both-ways negation probes (training/counter.py --split eval) that have been built, by file stem."""
    return {
        path.stem: [
            Pair(r["premise"], r["hypothesis"], r["label"], r["source"].split("/", 1)[1]) for r in read_jsonl(path)
        ]
        for path in dict.fromkeys(paths)
        if path.is_file()
    }


def side_by_side(results: dict[str, dict[str, dict]]) -> str:
    """One row per set, accuracy and ECE of every model in the same run."""
    names = list(results)
    sets = list(dict.fromkeys(s for r in results.values() for s in r))
    lines = [
        "| set | n | " + " | ".join(f"{m} acc | {m} ECE" for m in names) + " |",
        "|---|---|" + "---|---|" * len(names),
    ]
    for s in sets:
        rows = [results[m].get(s) for m in names]
        n = next(r["n"] for r in rows if r)
        cells = []
        for r in rows:
            if not r:
                cells += ["–", "–"]
            else:
                cells += [f"{r['acc']:.3f}", "" if r["binary"] else f"{r['ece']:.3f}"]
        lines.append(f"| {s} | {n} | " + " | ".join(cells) + " |")
        subs = [results[m][s].get("by_source") for m in names if s in results[m]]
        if any(subs):
            for key in subs[0] or {}:
                lines.append(
                    f"| {s} · {key} | | "
                    + " | ".join(
                        f"{(results[m].get(s, {}).get('by_source') or {}).get(key, float('nan')):.3f} | " for m in names
                    )
                    + " |"
                )
    return "\n".join(lines)


def fit_temperature(model: str, nli: Path, quantize: str, n: int = 3000, seed: int = 7) -> float:
    """The temperature that minimises NLL on LingNLI val rows whose premise is not MNLI dev text
    (never trained on, and disjoint from the MNLI figures reported)."""
    rows = [r for r in read_jsonl(nli / "lingnli" / "val.jsonl") if not r.get("premise_in_mnli_dev_eval")]
    rows = random.Random(seed).sample(rows, min(n, len(rows)))
    pairs = [Pair(detok(r["premise"]), detok(r["hypothesis"]), r["label"], "lingnli_val") for r in rows]
    probs = Scorer(model, quantize=quantize, temperature=1.0).probs(pairs)
    logits = np.log(np.clip(probs, 1e-9, 1.0))
    gold = np.array([LABELS.index(p.label) for p in pairs])

    def nll(t: float) -> float:
        z = logits / t
        z = z - z.max(1, keepdims=True)
        return float(-(z[np.arange(len(gold)), gold] - np.log(np.exp(z).sum(1))).mean())

    grid = np.arange(0.5, 3.01, 0.05)
    return float(grid[int(np.argmin([nll(t) for t in grid]))])


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--model", action="append", required=True, help="model directory; repeat to compare side by side")
    ap.add_argument("--nli", type=Path, default=Path("../shared/nli"))
    ap.add_argument("--max-per-set", type=int, default=2000)
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument(
        "--quantize",
        nargs="?",
        const="auto",
        default="none",
        help="a CLAIMCHECK_QUANTIZE recipe; bare --quantize: auto, what the service runs on this machine",
    )
    ap.add_argument("--only", default="", help="comma list of set names")
    ap.add_argument(
        "--negation-probe",
        type=Path,
        action="append",
        default=[Path("training/work/negation_probe.jsonl"), Path("training/work/negation_probe_hard.jsonl")],
    )
    ap.add_argument(
        "--probes",
        action=argparse.BooleanOptionalAction,
        default=True,
        help="add the probe_negation / probe_refdenial / probe_paraphrase rows (training/probes.py)",
    )
    ap.add_argument(
        "--fit-temperature",
        action="store_true",
        help="fit the temperature of the last --model and store it in its claimcheck.json",
    )
    ap.add_argument("--json", type=Path)
    args = ap.parse_args(argv)
    if args.fit_temperature:
        model = args.model[-1]
        temperature = fit_temperature(model, args.nli, args.quantize)
        meta_path = Path(model) / "claimcheck.json"
        meta = json.loads(meta_path.read_text()) if meta_path.is_file() else {}
        meta["temperature"] = temperature
        meta_path.write_text(json.dumps(meta, indent=2) + "\n")
        print(f"temperature {temperature:.2f} written to {meta_path}")
    only = [s for s in args.only.split(",") if s] or None
    probes = negation_probes(args.negation_probe)
    if args.probes and (not only or any(name.startswith("probe_") for name in only)):
        from training.probes import build_probes

        probes.update(build_probes(args.nli))
    results = {}
    for model in args.model:
        name = Path(model).name
        if name in results:  # the shipped model and its successor share a folder name: keep both columns
            name = f"{Path(model).parent.name}/{name}"
        print(f"== {model}", flush=True)
        results[name] = evaluate(model, args.nli, args.max_per_set, args.seed, args.quantize, only, probes)
        if args.fit_temperature and model == args.model[-1]:
            results[name + " T=1"] = evaluate(
                model,
                args.nli,
                args.max_per_set,
                args.seed,
                args.quantize,
                ["mnli_m", "mnli_mm", "lingnli_val", "fever_dev_gold"],
                probes,
                1.0,
            )
    print()
    print(side_by_side(results))
    for name, res in results.items():
        print()
        print(markdown_table(res, name))
    if args.json:
        slim = {
            m: {k: {kk: vv for kk, vv in v.items() if kk not in ("gold", "probs")} for k, v in r.items()}
            for m, r in results.items()
        }
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(slim, indent=2))


if __name__ == "__main__":
    main()
