"""Seed-article latency and work, this code against an earlier release's code, side by side in one run.

    python -m benchmarks.bench_verify --runs 30                        # against 1.1.0 (git 940a80b)
    python -m benchmarks.bench_verify --runs 30 --also-model DIR       # and another model with this code

For each case: p50/p95 latency of ``Verifier.verify`` on the seed article (in-process, models warm,
the memo off so that every run computes everything), NLI pairs per article, and the regression
articles' expectations met.  The earlier release runs from a ``git worktree`` of its commit in a
child process (its own code and its own shipped model); the cases take turns run after run, so
machine noise falls on all of them alike.  Last, the editor's case with the memo on: the seed
checked again after one sentence changed (a different edit each run).
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

from claimcheck.config import REPO_ROOT, Settings
from claimcheck.contract.payload import result_to_json
from claimcheck.inference.cpu import cpu_model
from claimcheck.pipeline import Verifier
from claimcheck.runtime import Runtime
from evaluation.articles import ARTICLES, check

ROOT = REPO_ROOT
BASELINE_REF = "940a80b"  # 1.1.0
# the child: the earlier release's own pipeline, timing one verify per line read
_CHILD = """
import json, sys, time
sys.path.insert(0, sys.argv[1] + "/service")
from claimcheck.config import Settings
from claimcheck.runtime import Runtime
import dataclasses
s = Settings.from_env()
import os
inside = sys.argv[1] + "/service/claimcheck/models/claimcheck-nli-minilm-l3"  # 2.0 on; 1.1.0 kept it in models/
model = inside if os.path.isdir(inside) else sys.argv[1] + "/models/claimcheck-nli-minilm-l3"
rt = Runtime.load(dataclasses.replace(s, nli_model=model, memo_entries=0))
text = open(sys.argv[2], encoding="utf-8").read()
rt.verifier.verify(text)
print(json.dumps({"ready": True}), flush=True)
for line in sys.stdin:
    t0 = time.perf_counter()
    r = rt.verifier.verify(text)
    print(json.dumps({"ms": (time.perf_counter() - t0) * 1000, "pairs": r.nli_pairs,
                      "claims": len(r.verdicts), "pairs_found": len(r.contradictions)}), flush=True)
"""


class Baseline:
    """An earlier release's pipeline in a child process, from a git worktree of its commit."""

    def __init__(self, ref: str, article: Path) -> None:
        tree = ROOT / "training" / "work" / f"baseline-{ref}"
        if not tree.exists():
            subprocess.run(
                ["git", "-C", str(ROOT), "worktree", "add", "--detach", str(tree), ref], check=True, capture_output=True
            )
        env = {**os.environ, "TRANSFORMERS_VERBOSITY": "error", "CLAIMCHECK_LOG_LEVEL": "warning"}
        self.proc = subprocess.Popen(
            [sys.executable, "-c", _CHILD, str(tree), str(article)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            text=True,
            env=env,
        )
        json.loads(self.proc.stdout.readline())

    def verify(self) -> dict:
        self.proc.stdin.write("go\n")
        self.proc.stdin.flush()
        return json.loads(self.proc.stdout.readline())


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
    v = runtime.verifier
    verifier = Verifier(v.nli, v.embedder, v.parser, v.options, memo_entries, v.learned)
    verifier.verify(text)
    sentences = [s.sentence.text for s in verifier.prepare(text, None, verifier.options).sentences]
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
    ap.add_argument("--baseline", default=BASELINE_REF, help="git ref of the release to compare with ('' for none)")
    ap.add_argument(
        "--also-model",
        type=Path,
        action="append",
        default=[],
        help="another NLI model directory to measure with this code in the same run",
    )
    args = ap.parse_args()

    settings = Settings.from_env()
    text = args.article.read_text(encoding="utf-8")
    import torch

    print(f"CPU: {cpu_model()}")
    print(f"torch threads: {torch.get_num_threads()}  cpus: {os.cpu_count()}  quantize: {settings.quantize}")
    cases = {}
    for model_dir in [settings.nli_model, *map(str, args.also_model)]:
        runtime = Runtime.load(dataclasses.replace(settings, nli_model=model_dir, memo_entries=0))
        cases[f"this code, {runtime.info.name} {runtime.info.version}"] = runtime
    baseline = Baseline(args.baseline, args.article) if args.baseline else None
    times: dict[str, list[float]] = {key: [] for key in cases}
    base_times: list[float] = []
    for runtime in cases.values():
        runtime.verifier.verify(text)  # warm
    for _ in range(args.runs):  # interleaved, so that a noisy moment on a shared machine hits every case alike
        for key, runtime in cases.items():
            t0 = time.perf_counter()
            runtime.verifier.verify(text)
            times[key].append((time.perf_counter() - t0) * 1000)
        if baseline:
            base = baseline.verify()
            base_times.append(base["ms"])
    print(f"\nseed article: {len(text)} chars, {args.runs} runs each\n")
    print("| case | p50 ms | p95 ms | NLI pairs / article | claims | pairs reported | regression expectations met |")
    print("|---|---|---|---|---|---|---|")
    first = next(iter(cases))
    for key, runtime in cases.items():
        result = runtime.verifier.verify(text)
        met, total = accuracy(runtime, runtime.verifier.options)
        print(
            f"| {key} | {statistics.median(times[key]):.0f} | {percentile(times[key], 0.95):.0f} | "
            f"{result.nli_pairs} | {len(result.verdicts)} | {len(result.contradictions)} | {met}/{total} |"
        )
    if baseline:
        print(
            f"| release {args.baseline} (its own code and model) | {statistics.median(base_times):.0f} | "
            f"{percentile(base_times, 0.95):.0f} | {base['pairs']} | {base['claims']} | {base['pairs_found']} | |"
        )
        ratio = statistics.median(times[first]) / statistics.median(base_times)
        print(f"\n{first}: p50 {ratio:.2f}x release {args.baseline}'s, measured in the same run")
    recheck = edit_recheck_ms(cases[first], text, settings.memo_entries, args.runs)
    print(
        f"editor re-check, memo on ({settings.memo_entries} entries), one sentence edited per run: "
        f"p50 {statistics.median(recheck):.0f} ms, p95 {percentile(recheck, 0.95):.0f} ms"
    )


if __name__ == "__main__":
    main()
