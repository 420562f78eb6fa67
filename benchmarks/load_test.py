"""Load test: gunicorn with the default config, driven on loopback at several times its worker count.

    pip install -e '.[load]'
    python benchmarks/load_test.py --duration 60 --users-per-worker 4

Starts ``gunicorn -c gunicorn.conf.py`` (the Dockerfile's command) on a free loopback port, waits
for ``/readyz``, reads each worker's RSS, runs locust headless for ``--duration`` seconds
(``benchmarks/locustfile.py``: the seed article and a short article, 1:3, back to back), reads the
RSS again and prints throughput, p50/p95/p99 latency, non-2xx and 5xx counts and the memory
growth.  Bounded in time; nothing leaves the machine.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import signal
import subprocess
import sys
import tempfile
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))

from helpers import BIN, rss_mib, start_gunicorn, worker_pids  # noqa: E402

from claimcheck.inference.cpu import cpu_model  # noqa: E402


def warm_up(url: str, workers: int, rounds: int = 4) -> None:
    """Seed-sized and short requests from ``2 × workers`` threads at once, so that every worker (not
    just the first to accept) has served the largest article before the first RSS reading."""
    from concurrent.futures import ThreadPoolExecutor

    sys.path.insert(0, str(ROOT / "benchmarks"))
    from locustfile import SEED, SHORT

    def post(i: int) -> None:
        body = json.dumps({"text": SEED if i % 2 else SHORT}).encode()
        req = urllib.request.Request(url + "/v1/verify", data=body, headers={"Content-Type": "application/json"})
        urllib.request.urlopen(req, timeout=60).read()

    with ThreadPoolExecutor(max_workers=2 * workers) as pool:
        list(pool.map(post, range(2 * workers * rounds)))


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--duration", type=int, default=60, help="seconds of load")
    ap.add_argument("--users-per-worker", type=int, default=4)
    args = ap.parse_args()

    workers = int(os.environ.get("CLAIMCHECK_WORKERS", "2"))
    # the same two articles over and over: with the memo on they would cost nothing after the first
    # request, so the load test measures the work of unseen articles unless the memo is asked for
    memo = os.environ.get("CLAIMCHECK_MEMO_ENTRIES", "0")
    proc, url = start_gunicorn({"CLAIMCHECK_LOG_LEVEL": "warning", "CLAIMCHECK_MEMO_ENTRIES": memo})
    try:
        pids = sorted(worker_pids(proc.pid))
        warm_up(url, workers)  # allocator and tokenizer caches settle before the first reading
        start_rss = {pid: rss_mib(pid) or float("nan") for pid in pids}
        users = workers * args.users_per_worker
        with tempfile.TemporaryDirectory() as tmp:
            prefix = str(Path(tmp) / "load")
            subprocess.run(
                [
                    str(BIN / "locust"),
                    "-f",
                    str(ROOT / "benchmarks" / "locustfile.py"),
                    "--headless",
                    "--users",
                    str(users),
                    "--spawn-rate",
                    str(users),
                    "--run-time",
                    f"{args.duration}s",
                    "--host",
                    url,
                    "--csv",
                    prefix,
                    "--only-summary",
                    "--loglevel",
                    "WARNING",
                ],
                check=False,
                capture_output=True,
                text=True,
                timeout=args.duration + 120,
            )
            stats = list(csv.DictReader(open(prefix + "_stats.csv")))
            failures = list(csv.DictReader(open(prefix + "_failures.csv")))
        end_rss = {pid: rss_mib(pid) or float("nan") for pid in pids}
        replaced = set(worker_pids(proc.pid)) - set(pids)
    finally:
        proc.send_signal(signal.SIGTERM)
        proc.wait(timeout=60)

    print(
        f"gunicorn -c gunicorn.conf.py: {workers} workers, {users} concurrent users, {args.duration} s, "
        f"{os.cpu_count()} CPUs ({cpu_model()}), memo entries {memo}\n"
    )
    print("| endpoint | requests | req/s | p50 ms | p95 ms | p99 ms | non-2xx |")
    print("|---|---|---|---|---|---|---|")
    for row in stats:
        print(
            f"| {row['Name']} | {row['Request Count']} | {float(row['Requests/s']):.2f} | {row['50%']} "
            f"| {row['95%']} | {row['99%']} | {row['Failure Count']} |"
        )
    server_errors = sum(int(f["Occurrences"]) for f in failures if f["Error"].startswith("status 5"))
    print(
        f"\n5xx answers: {server_errors}   other failures: "
        f"{sum(int(f['Occurrences']) for f in failures) - server_errors}  "
        + "; ".join(f"{f['Error']} × {f['Occurrences']}" for f in failures)
    )
    print("\n| worker pid | RSS start MiB | RSS end MiB | growth |")
    print("|---|---|---|---|")
    for pid in pids:
        growth = (end_rss[pid] - start_rss[pid]) / start_rss[pid]
        print(f"| {pid} | {start_rss[pid]:.0f} | {end_rss[pid]:.0f} | {growth:+.1%} |")
    if replaced:
        print(f"\nworkers replaced during the run: {sorted(replaced)}")
    return 1 if server_errors else 0


if __name__ == "__main__":
    sys.exit(main())
