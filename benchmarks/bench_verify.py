"""Seed-article latency and work, retrieval design vs the naive design, side by side in one run.

    python benchmarks/bench_verify.py --runs 30
    python benchmarks/bench_verify.py --runs 30 --also-model DIR   # and another model, same run

For each design: p50/p95 latency of ``Verifier.verify`` on the seed article (in-process, models
warm, the memo off so that every run computes everything; the designs and models take turns run
after run, so machine noise falls on all of them alike), NLI pairs per article, and accuracy
on the hand-written test articles (the fraction of their expectations met, tests/articles.py).
The naive design runs NLI on every claim × sentence pair; everything else (segmentation,
attribution, hedges, verdict rules) is shared.  Last, the editor's case with the memo on: the
seed checked again after one sentence changed (a different edit each run).
"""

from __future__ import annotations

import argparse
import dataclasses
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))

from articles import ARTICLES, check  # noqa: E402

from claimcheck.config import Settings  # noqa: E402
from claimcheck.payload import result_to_json  # noqa: E402
from claimcheck.pipeline import Verifier  # noqa: E402
from claimcheck.runtime import Runtime  # noqa: E402


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def accuracy(runtime: Runtime, options) -> tuple[int, int]:
    met = total = 0
    for case in ARTICLES:
        body = result_to_json(runtime.verifier.verify(case["text"], options))
        results = check(case, body)
        met += sum(ok for _, ok in results)
        total += len(results)
    return met, total


def edit_recheck_ms(runtime: Runtime, text: str, memo_entries: int, runs: int) -> list[float]:
    """The seed re-checked with the memo on, each time after one sentence was edited (a CMS's typing pause)."""
    verifier = Verifier(runtime.verifier.nli, runtime.verifier.embedder, runtime.verifier.options, memo_entries)
    verifier.verify(text)
    sentences = [s.sentence.text for s in verifier._analyse(text, verifier.options).sentences]
    times = []
    for i in range(runs):
        target = sentences[(3 * i) % len(sentences)]
        edited = text.replace(target, target.rstrip(".") + f" (update {i}).", 1)
        t0 = time.perf_counter()
        verifier.verify(edited)
        times.append((time.perf_counter() - t0) * 1000)
    return times


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--runs", type=int, default=30)
    ap.add_argument("--article", type=Path, default=ROOT / "seeds" / "000_460de1b4d77b6b69.txt")
    ap.add_argument(
        "--also-model",
        type=Path,
        action="append",
        default=[],
        help="another NLI model directory to measure in the same run (e.g. the previous release)",
    )
    args = ap.parse_args()

    settings = Settings.from_env()
    text = args.article.read_text(encoding="utf-8")
    import torch

    print(f"torch threads: {torch.get_num_threads()}  cpus: {os.cpu_count()}  quantize: {settings.quantize}")
    cases = {}  # (model, design) -> (runtime, options); every case is timed in turn, run after run
    for model_dir in [settings.nli_model, *map(str, args.also_model)]:
        runtime = Runtime.load(dataclasses.replace(settings, nli_model=model_dir, memo_entries=0))
        model = f"{runtime.info.name} {runtime.info.version}"
        cases[model, "retrieval (top-k)"] = runtime, runtime.verifier.options
        cases[model, "naive (all pairs)"] = runtime, runtime.verifier.with_options(naive=True)
    times: dict = {key: [] for key in cases}
    for runtime, options in cases.values():
        runtime.verifier.verify(text, options)  # warm
    for _ in range(args.runs):  # interleaved, so that a noisy moment on a shared machine hits every case alike
        for key, (runtime, options) in cases.items():
            t0 = time.perf_counter()
            runtime.verifier.verify(text, options)
            times[key].append((time.perf_counter() - t0) * 1000)
    rows = {}
    for key, (runtime, options) in cases.items():
        result = runtime.verifier.verify(text, options)
        met, total = accuracy(runtime, options)
        rows[key] = (
            statistics.median(times[key]),
            percentile(times[key], 0.95),
            result.nli_pairs,
            met,
            total,
            len(result.verdicts),
        )
    recheck = edit_recheck_ms(next(iter(cases.values()))[0], text, settings.memo_entries, args.runs)
    claims = next(iter(rows.values()))[5]
    print(f"\nseed article: {len(text)} chars, {claims} claims, {args.runs} runs each\n")
    print("| model | design | p50 ms | p95 ms | NLI pairs / article | test-article expectations met |")
    print("|---|---|---|---|---|---|")
    for (model, design), (p50, p95, pairs, met, total, _) in rows.items():
        print(f"| {model} | {design} | {p50:.0f} | {p95:.0f} | {pairs} | {met}/{total} ({met / total:.0%}) |")
    print(
        f"\neditor re-check, memo on ({settings.memo_entries} entries), one sentence edited per run: "
        f"p50 {statistics.median(recheck):.0f} ms, p95 {percentile(recheck, 0.95):.0f} ms"
    )
    print()
    first = next(iter(rows))[0]
    for model in dict.fromkeys(m for m, _ in rows):
        fast, slow = rows[model, "retrieval (top-k)"], rows[model, "naive (all pairs)"]
        print(
            f"{model}: speed-up p50 {slow[0] / fast[0]:.1f}x, NLI pairs {slow[2] / max(fast[2], 1):.1f}x fewer"
            + (
                ""
                if model == first
                else f"; {first} retrieval is {fast[0] / rows[first, 'retrieval (top-k)'][0]:.2f}x faster than this"
            )
        )


if __name__ == "__main__":
    main()
