"""NLI model speed on this machine's CPU: fp32 vs the int8 recipes, side by side.

Rows: fp32; ``int8`` (row-wise int8 on every Linear through ``_int_mm``); ``int8-fbgemm`` (the same
through fbgemm); ``auto``, the default, picks among these three on the machine (its pick is printed);
``int8-dynamic`` (torch's per-batch dynamic int8, feed-forward output projections in
fp32: the 1.0 recipe); torch's dynamic int8 on every Linear (inference/quantize.py).

    python benchmarks/bench_nli.py                      # latency of 32 pairs of ~60 tokens
    python benchmarks/bench_nli.py --nli ../shared/nli  # plus accuracy on the MNLI samples for both

Prints p50/p95 over ``--runs`` forward passes of one batch, the speed ratio, and (with the data)
the accuracy change, so the "ship int8 only if ≥ 1.5× faster at < 1 point loss" rule is checked
in one run.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from claimcheck.config import DEFAULT_NLI_MODEL  # noqa: E402
from claimcheck.inference.cpu import cpu_model  # noqa: E402
from claimcheck.inference.nli import NLIModel  # noqa: E402
from claimcheck.inference.quantize import dynamic_int8  # noqa: E402

PREMISE = (
    "The Kremlin informed reporters earlier this week that there had been no substantive talks on a possible "
    "meeting between the two presidents, despite growing expectations in both capitals."
)
HYPOTHESIS = "A senior senator said advanced arrangements for a meeting between the two leaders were underway."


def time_batch(model: NLIModel, pairs: list[tuple[str, str]], runs: int) -> list[float]:
    model.predict(pairs)
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        model.predict(pairs)
        times.append((time.perf_counter() - t0) * 1000)
    return times


def mnli_accuracy(model: NLIModel, nli_dir: Path) -> dict[str, float]:
    from training.data import LABELS, read_jsonl

    out = {}
    for name in ("dev_matched_sample1000", "dev_mismatched_sample1000"):
        rows = [r for r in read_jsonl(nli_dir / "mnli" / f"{name}.jsonl") if r["label"] in LABELS]
        probs, _ = model.predict([(r["premise"], r["hypothesis"]) for r in rows])
        out[name] = sum(max(p, key=p.get) == r["label"] for p, r in zip(probs, rows)) / len(rows)
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--model", default=str(DEFAULT_NLI_MODEL))
    ap.add_argument("--runs", type=int, default=30)
    ap.add_argument("--pairs", type=int, default=32)
    ap.add_argument("--threads", type=int, default=0, help="torch threads (0: torch default)")
    ap.add_argument("--nli", type=Path, help="../shared/nli, to add MNLI accuracy")
    args = ap.parse_args()

    import torch

    if args.threads:
        torch.set_num_threads(args.threads)
    pairs = [(PREMISE, HYPOTHESIS)] * args.pairs
    models = {
        "fp32": NLIModel(args.model, batch_size=args.pairs, quantize="none"),
        "int8, row-wise, _int_mm": NLIModel(args.model, batch_size=args.pairs, quantize="int8"),
        "int8, row-wise, fbgemm": NLIModel(args.model, batch_size=args.pairs, quantize="int8-fbgemm"),
        "int8-dynamic (1.0 recipe)": NLIModel(args.model, batch_size=args.pairs, quantize="int8-dynamic"),
    }
    every = models["torch dynamic int8, every Linear"] = NLIModel(args.model, batch_size=args.pairs, quantize="none")
    every.model = dynamic_int8(every.model, keep_ffn_output=False)
    tokens = len(models["fp32"].tokenizer(PREMISE, HYPOTHESIS)["input_ids"])
    print(f"CPU: {cpu_model()}; auto picks {NLIModel(args.model, quantize='auto').kernel.recipe} here")
    print(f"{args.pairs} pairs x {tokens} tokens, torch threads {torch.get_num_threads()}, {args.runs} runs\n")
    print(
        "| weights | p50 ms | p95 ms | pairs/s | speed-up |"
        + (" MNLI-m | MNLI-mm | loss (points) |" if args.nli else "")
    )
    print("|---|---|---|---|---|" + ("---|---|---|" if args.nli else ""))
    p50s: dict[str, float] = {}
    accs: dict[str, dict[str, float]] = {}
    for name, model in models.items():
        times = time_batch(model, pairs, args.runs)
        p50s[name] = statistics.median(times)
        p95 = sorted(times)[int(0.95 * (len(times) - 1))]
        row = (
            f"| {name} | {p50s[name]:.1f} | {p95:.1f} | {args.pairs / p50s[name] * 1000:.0f} "
            f"| {p50s['fp32'] / p50s[name]:.2f}x |"
        )
        if args.nli:
            accs[name] = mnli_accuracy(model, args.nli)
            loss = max(accs["fp32"][k] - accs[name][k] for k in accs[name]) * 100
            row += " " + " | ".join(f"{v:.3f}" for v in accs[name].values()) + f" | {loss:.1f} |"
        print(row)
    print(
        "\nloss: the worse of the two MNLI sets, in points, against fp32 "
        "(the default ships an int8 recipe only at >= 1.5x and < 1 point)"
    )


if __name__ == "__main__":
    main()
