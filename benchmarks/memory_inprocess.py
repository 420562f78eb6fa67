"""Resident memory of one process verifying real news bodies one after another (a worker's life, no server).

    python -m benchmarks.memory_inprocess --articles 200                       # this code
    python -m benchmarks.memory_inprocess --articles 200 --release 940a80b     # 1.1.0's code and model
    python -m benchmarks.memory_inprocess --articles 200 --allocator jemalloc   # or glibc-trim

Reads FNC-1 competition-test bodies of 500–6,000 characters from ``../shared/nli`` (a benchmark, never
a test), shuffled with a fixed seed, the memo off; prints RSS every 25 articles.  A first look at
where the growth the load test saw comes from: ``--tracemalloc`` also prints how much of it Python
objects account for.
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import random
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PRELOAD = {
    "jemalloc": "/usr/lib/x86_64-linux-gnu/libjemalloc.so.2",
    "tcmalloc": "/usr/lib/x86_64-linux-gnu/libtcmalloc_minimal.so.4",
}


def rss_mb() -> int:
    return int(Path("/proc/self/statm").read_text().split()[1]) * os.sysconf("SC_PAGE_SIZE") // 2**20


def bodies(nli: Path, n: int) -> list[str]:
    seen: dict[int, str] = {}
    with gzip.open(nli / "fnc1" / "competition_test.jsonl.gz", "rt", encoding="utf-8") as fh:
        for line in fh:
            row = json.loads(line)
            if 500 <= len(row["premise"]) <= 6000:
                seen.setdefault(row["body_id"], row["premise"])
    texts = list(seen.values())
    random.Random(1).shuffle(texts)
    return texts[:n]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--articles", type=int, default=200)
    ap.add_argument("--nli", type=Path, default=ROOT.parent / "shared" / "nli")
    ap.add_argument("--release", default="", help="git ref: run that release's code and model (a worktree)")
    ap.add_argument("--tracemalloc", action="store_true")
    ap.add_argument(
        "--allocator",
        choices=("glibc", "jemalloc", "tcmalloc", "glibc-trim"),
        default="glibc",
        help="jemalloc / tcmalloc: re-run under LD_PRELOAD of Debian's libjemalloc2 / libtcmalloc-minimal4 "
        "(MALLOC_CONF is passed on); glibc-trim: malloc_trim(0) after every "
        "article (memory glibc holds but no object uses goes back to the OS: what is left is live)",
    )
    args = ap.parse_args()
    library = PRELOAD.get(args.allocator)
    if library and os.environ.get("LD_PRELOAD") != library:
        env = {**os.environ, "LD_PRELOAD": library}
        os.execve(sys.executable, [sys.executable, "-m", "benchmarks.memory_inprocess", *sys.argv[1:]], env)
    trim = None
    if args.allocator == "glibc-trim":
        import ctypes

        trim = ctypes.CDLL("libc.so.6").malloc_trim
    model = None
    if args.release:
        tree = ROOT / "training" / "work" / f"baseline-{args.release}"
        if not tree.exists():
            subprocess.run(["git", "-C", str(ROOT), "worktree", "add", "--detach", str(tree), args.release], check=True)
        sys.path.insert(0, str(tree / "service"))
        model = str(tree / "models" / "claimcheck-nli-minilm-l3")
    from claimcheck.config import Settings
    from claimcheck.runtime import Runtime

    texts = bodies(args.nli, args.articles)
    overrides = {"memo_entries": 0, **({"nli_model": model} if model else {})}
    runtime = Runtime.load(Settings.from_env(**overrides))
    cpu = next((x.split(":", 1)[1].strip() for x in open("/proc/cpuinfo") if x.startswith("model name")), "?")
    print(f"CPU: {cpu}")  # read here: an earlier release's code (--release) has no claimcheck.inference.cpu
    print(f"{args.release or 'this code'} ({args.allocator}): warm {rss_mb()} MB", flush=True)
    if args.tracemalloc:
        import tracemalloc

        tracemalloc.start()
    started, first = time.time(), rss_mb()
    for i, text in enumerate(texts, 1):
        runtime.verifier.verify(text)
        if trim is not None:
            trim(0)
        if i % 25 == 0:
            print(f"{i} articles: {rss_mb()} MB ({time.time() - started:.1f} s)", flush=True)
    if args.tracemalloc:
        current, _peak = tracemalloc.get_traced_memory()
        print(
            f"RSS grew {rss_mb() - first} MB; "
            f"Python objects allocated since the start and still alive: {current / 2**20:.1f} MB"
        )


if __name__ == "__main__":
    main()
