"""``POST /v1/jobs`` latency under load: how fast a job is accepted while workers verify others.

    python -m benchmarks.bench_jobs --seconds 60 --clients 16

Starts a real ``redis-server`` (free loopback port, append-only), ``claimcheck serve`` (the shipped
gunicorn configuration) and one ``claimcheck worker`` verifying the jobs as they come (so the CPU is
busy, as in production), then ``--clients`` clients POST seed-sized jobs back to back.  Prints the
202 latency p50/p95/p99, non-202 answers, and how many jobs the worker finished meanwhile.
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))

from helpers import REDIS, RedisServer, start_gunicorn  # noqa: E402

from claimcheck.inference.cpu import cpu_model  # noqa: E402


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--seconds", type=float, default=60)
    ap.add_argument("--clients", type=int, default=16)
    args = ap.parse_args()
    if REDIS is None:
        raise SystemExit("needs redis-server (apt-get install redis-server)")
    seed = (ROOT / "seeds" / "000_460de1b4d77b6b69.txt").read_text(encoding="utf-8")
    with tempfile.TemporaryDirectory() as tmp:
        redis = RedisServer(Path(tmp), appendfsync="everysec")  # Redis's own default with append-only on
        redis.start()
        redis_url = redis.url
        env = {
            "CLAIMCHECK_REDIS_URL": redis_url,
            "CLAIMCHECK_LOG_LEVEL": "warning",
            "CLAIMCHECK_WORKER_METRICS_PORT": "0",
        }
        worker = subprocess.Popen(
            [str(Path(sys.executable).with_name("claimcheck")), "worker"],
            # memo off: every job is the seed, which the memo would make free; the worker must keep a core busy
            env={**os.environ, **env, "CLAIMCHECK_MEMO_ENTRIES": "0"},
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        server, url = start_gunicorn(env)
        latencies: list[float] = []
        codes: dict[int, int] = {}
        lock = threading.Lock()
        stop = time.time() + args.seconds
        body = json.dumps({"text": seed}).encode()

        def client() -> None:
            while time.time() < stop:
                req = urllib.request.Request(url + "/v1/jobs", data=body, headers={"Content-Type": "application/json"})
                t0 = time.perf_counter()
                try:
                    with urllib.request.urlopen(req, timeout=30) as resp:
                        resp.read()
                        code = resp.status
                except urllib.error.HTTPError as exc:
                    code = exc.code
                with lock:
                    latencies.append(time.perf_counter() - t0)
                    codes[code] = codes.get(code, 0) + 1

        try:
            threads = [threading.Thread(target=client) for _ in range(args.clients)]
            for t in threads:
                t.start()
            for t in threads:
                t.join()
            from redis import Redis
            from rq import Queue

            finished = Queue("claimcheck", connection=Redis.from_url(redis_url)).finished_job_registry.count
        finally:
            for proc in (server, worker):
                proc.send_signal(signal.SIGTERM)
            for proc in (server, worker):
                proc.wait(timeout=120)
            redis.stop()
    lat = sorted(latencies)

    def pct(q: float) -> float:
        return lat[min(len(lat) - 1, int(q * len(lat)))] * 1000

    print(
        f"{len(lat)} job submissions in {args.seconds:.0f} s from {args.clients} clients, "
        f"{os.cpu_count()} CPUs ({cpu_model()}), "
        f"gunicorn 2 workers + 1 claimcheck worker verifying\n"
        f"202 latency p50 {pct(0.5):.1f} ms, p95 {pct(0.95):.1f} ms, p99 {pct(0.99):.1f} ms; "
        f"answers {dict(sorted(codes.items()))}; jobs finished by the worker meanwhile: {finished}"
    )
    return 0 if set(codes) == {202} else 1


if __name__ == "__main__":
    sys.exit(main())
