"""``claimcheck batch`` throughput against the in-process verifier, measured side by side in one run.

    python -m benchmarks.bench_batch --articles 1000

Generates N seed-sized articles (bundled sentences with invented names and numbers, as
``benchmarks/load_mix.py``; every article new text) as JSONL, then times, on this machine:

* the in-process verifier, one article after another (the floor: no I/O, no processes);
* ``claimcheck batch IN OUT`` with 1 and 2 local processes;
* ``claimcheck batch IN OUT --ray --workers 2`` on a local Ray.

The memo is off everywhere (generated articles share sentences, which the memo would make free).
Per-article overhead is (wall − model load) / N against the in-process time per article; the model
load (both models, once per process) is measured in the in-process run and reported apart.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from benchmarks.load_mix import Articles
from claimcheck.inference.cpu import cpu_model  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
SEED = ROOT / "seeds" / "000_460de1b4d77b6b69.txt"


def seed_sized(n: int) -> list[dict]:
    gen, target = Articles(7, fnc1=False), len(SEED.read_text(encoding="utf-8"))
    rows = []
    while len(rows) < n:
        text = gen.article()
        if 0.8 * target <= len(text) <= 1.2 * target:
            rows.append({"id": f"gen-{len(rows)}", "text": text})
    return rows


def in_process(rows: list[dict]) -> tuple[float, float]:
    """(model load seconds, verification seconds) in this process."""
    from claimcheck.config import Settings
    from claimcheck.runtime import Runtime

    started = time.perf_counter()
    runtime = Runtime.load(Settings.from_env())
    loaded = time.perf_counter()
    for row in rows:
        runtime.verifier.verify(row["text"])
    return loaded - started, time.perf_counter() - loaded


def cli(src: Path, *extra: str) -> float:
    out = src.with_name(f"out{'-'.join(extra)}.jsonl")
    out.unlink(missing_ok=True)
    exe = Path(sys.executable).with_name("claimcheck")
    started = time.perf_counter()
    subprocess.run([str(exe), "batch", str(src), str(out), "--no-progress", *extra], check=True)
    wall = time.perf_counter() - started
    lines = out.read_text(encoding="utf-8").splitlines()
    assert len(lines) == len({json.loads(line)["id"] for line in lines}), "duplicate ids in OUT"
    return wall


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--articles", type=int, default=1000)
    ap.add_argument("--no-ray", action="store_true")
    args = ap.parse_args()
    os.environ.update({"CLAIMCHECK_MEMO_ENTRIES": "0", "CLAIMCHECK_LOG_LEVEL": "warning"})
    rows = seed_sized(args.articles)
    with tempfile.TemporaryDirectory() as tmp:
        src = Path(tmp) / "in.jsonl"
        src.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
        load_s, verify_s = in_process(rows)
        per_article = verify_s / len(rows)
        runs = [("in-process verifier", verify_s + load_s)]
        runs.append(("batch, 1 process", cli(src, "--workers", "1")))
        runs.append(("batch, 2 processes", cli(src, "--workers", "2")))
        if not args.no_ray:
            runs.append(("batch --ray, 2 actors", cli(src, "--ray", "--workers", "2")))
    n = len(rows)
    print(f"CPU: {cpu_model()}")
    print(f"{n} seed-sized articles (mean {sum(len(r['text']) for r in rows) / n:.0f} chars), {os.cpu_count()} CPUs")
    print(f"model load {load_s:.1f} s per process; in-process {per_article * 1000:.0f} ms per article\n")
    print("| run | wall s | articles/s | per article, less model load | overhead vs in-process |")
    print("|---|---|---|---|---|")
    for name, wall in runs:
        net = (wall - load_s) / n
        print(f"| {name} | {wall:.1f} | {n / wall:.2f} | {net * 1000:.0f} ms | {net / per_article - 1:+.1%} |")


if __name__ == "__main__":
    main()
