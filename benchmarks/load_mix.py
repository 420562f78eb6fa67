"""Memory under a newsroom's traffic: gunicorn as shipped, a realistic request mix, RSS per worker every 10 s.

    pip install -e '.[load]'
    python -m benchmarks.load_mix --minutes 10 --configs release:940a80b,glibc,jemalloc

Every configuration in ``--configs`` runs in turn in the same invocation, so the curves are comparable:

* ``release:REF`` — that release's code and model (a git worktree under ``training/work``), glibc malloc;
* ``glibc`` — this checkout as the Dockerfile runs it, without the allocator the image preloads;
* ``jemalloc`` / ``tcmalloc`` — this checkout with ``LD_PRELOAD`` of Debian's ``libjemalloc2`` /
  ``libtcmalloc-minimal4`` (the image preloads the one docs/robustness.md chose).

Traffic (``--clients`` concurrent clients, back to back, the memo off as in the report):
60 % single articles of 500–6,000 characters, 10 % the seed, 10 % three-article batches, 20 % bad input
(invalid JSON, wrong content type, blank or missing text, unknown fields, over the character limit,
over the body limit).  Articles are generated from bundled text (the seed and the regression articles):
sentences drawn at random, with invented names and numbers swapped in, so that every article is new
text with new words, as wire copy is; ``--fnc1`` uses FNC-1 test bodies from ``../shared`` instead.

Writes ``docs/robustness/load_mix.json`` and ``docs/robustness/load_mix.png`` (RSS per worker against
time, one panel per configuration) and prints p50/p95, 5xx and the growth after warm-up.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import signal
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))

from helpers import free_port, rss_mib, worker_pids  # noqa: E402

from claimcheck.inference.cpu import cpu_model  # noqa: E402

PRELOAD = {  # Debian's libjemalloc2 and libtcmalloc-minimal4 (google-perftools)
    "jemalloc": "/usr/lib/x86_64-linux-gnu/libjemalloc.so.2",
    "tcmalloc": "/usr/lib/x86_64-linux-gnu/libtcmalloc_minimal.so.4",
}
OUT = ROOT / "docs" / "robustness"
SYLLABLES = ["ka", "ren", "vo", "lin", "mar", "tes", "quo", "dra", "bel", "syn", "ost", "wy", "zem", "ula", "pir"]


def sentence_pool() -> list[str]:
    from claimcheck.pipeline.segment import segment
    from evaluation.articles import ARTICLES

    texts = [(ROOT / "seeds" / "000_460de1b4d77b6b69.txt").read_text(encoding="utf-8")]
    texts += [a["text"] for a in ARTICLES]
    return [s.text for t in texts for s in segment(t) if len(s.text) > 30]


class Articles:
    """New text every time: bundled sentences, shuffled, with invented names and numbers."""

    def __init__(self, seed: int, fnc1: bool) -> None:
        self.rng = random.Random(seed)
        self.pool = fnc1_bodies() if fnc1 else sentence_pool()
        self.fnc1 = fnc1

    def name(self) -> str:
        return "".join(self.rng.choice(SYLLABLES) for _ in range(self.rng.randint(2, 4))).capitalize()

    def article(self) -> str:
        if self.fnc1:
            return self.rng.choice(self.pool)
        target = self.rng.randint(500, 6000)
        out: list[str] = []
        while sum(len(s) + 1 for s in out) < target:
            s = self.rng.choice(self.pool)
            s = re.sub(r"\b[A-Z][a-z]{3,}\b", lambda m: self.name() if self.rng.random() < 0.3 else m.group(), s)
            s = re.sub(r"\d+", lambda m: str(self.rng.randint(2, 5000)), s)
            out.append(s)
        return " ".join(out)


def fnc1_bodies() -> list[str]:
    from benchmarks.memory_inprocess import bodies

    return bodies(ROOT.parent / "shared" / "nli", 2000)


def request_for(kind: str, gen: Articles, seed: str) -> tuple[str, bytes, str]:
    """(path, body, content type) for one request of the mix."""
    js = "application/json"
    if kind == "article":
        return "/v1/verify", json.dumps({"text": gen.article()}).encode(), js
    if kind == "seed":
        return "/v1/verify", json.dumps({"text": seed}).encode(), js
    if kind == "batch":
        arts = [{"id": str(i), "text": gen.article()[:2500]} for i in range(3)]
        return "/v1/verify/batch", json.dumps({"articles": arts}).encode(), js
    bad = gen.rng.randrange(7)
    body = [
        b'{"text": "unterminated',
        json.dumps({"text": "x"}).encode(),  # sent as text/plain below
        json.dumps({"text": "   \n "}).encode(),
        json.dumps({"title": "no text"}).encode(),
        json.dumps({"text": "A sentence.", "colour": "red"}).encode(),
        json.dumps({"text": "word " * 25_000}).encode(),  # 125,000 characters: over the 100,000 limit
        json.dumps({"text": "word " * 500_000}).encode(),  # 2.5 MB: over the body limit
    ][bad]
    return "/v1/verify", body, "text/plain" if bad == 1 else js


def start(config: str, port: int) -> subprocess.Popen:
    env = {
        **os.environ,
        "CLAIMCHECK_BIND": f"127.0.0.1:{port}",
        "CLAIMCHECK_LOG_LEVEL": "warning",
        "CLAIMCHECK_MEMO_ENTRIES": "0",
        "CLAIMCHECK_WORKERS": "2",
    }
    env.pop("LD_PRELOAD", None)
    cmd = [str(Path(sys.executable).with_name("gunicorn")), "-c", "python:claimcheck.gunicorn_conf"]
    cwd = ROOT
    if config.startswith("release:"):
        ref = config.split(":", 1)[1]
        tree = ROOT / "training" / "work" / f"baseline-{ref}"
        if not tree.exists():
            subprocess.run(["git", "-C", str(ROOT), "worktree", "add", "--detach", str(tree), ref], check=True)
        env["PYTHONPATH"] = str(tree / "service")
        env["CLAIMCHECK_NLI_MODEL"] = str(tree / "models" / "claimcheck-nli-minilm-l3")
        cmd, cwd = [cmd[0], "-c", str(tree / "gunicorn.conf.py")], tree
    elif config in PRELOAD:
        env["LD_PRELOAD"] = PRELOAD[config]
    elif config != "glibc":
        raise SystemExit(f"unknown configuration {config!r}")
    return subprocess.Popen(cmd, cwd=cwd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def post(url: str, path: str, body: bytes, ctype: str) -> int:
    req = urllib.request.Request(url + path, data=body, headers={"Content-Type": ctype})
    try:
        with urllib.request.urlopen(req, timeout=120) as resp:
            resp.read()
            return resp.status
    except urllib.error.HTTPError as exc:
        exc.read()
        return exc.code
    except OSError:
        return 599  # connection dropped: counted with the 5xx


def run_config(config: str, args: argparse.Namespace, seed: str) -> dict:
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    proc = start(config, port)
    deadline = time.time() + 180
    while time.time() < deadline:
        try:
            with urllib.request.urlopen(url + "/readyz", timeout=2) as r:
                if r.status == 200:
                    break
        except OSError:
            time.sleep(1)
    else:
        proc.kill()
        raise SystemExit(f"{config}: not ready in 180 s")
    try:
        warm = Articles(99, args.fnc1)
        for _ in range(2):  # each worker has served the seed and one long article before t=0
            for k in ("seed", "article"):
                post(url, *request_for(k, warm, seed))
        stop = time.time() + args.minutes * 60
        lat: dict[str, list[float]] = {}
        status: dict[int, int] = {}
        lock = threading.Lock()

        def client(i: int) -> None:
            gen = Articles(i, args.fnc1)
            kinds = ["article"] * 6 + ["seed", "batch"] + ["bad"] * 2
            while time.time() < stop:
                kind = gen.rng.choice(kinds)
                t0 = time.perf_counter()
                code = post(url, *request_for(kind, gen, seed))
                with lock:
                    lat.setdefault(kind, []).append(time.perf_counter() - t0)
                    status[code] = status.get(code, 0) + 1

        threads = [threading.Thread(target=client, args=(i,), daemon=True) for i in range(args.clients)]
        samples: list[dict] = []
        t_start = time.time()
        for t in threads:
            t.start()
        while time.time() < stop:
            pids = sorted(worker_pids(proc.pid))
            samples.append({"t": round(time.time() - t_start, 1), "rss": {str(p): rss_mib(p) for p in pids}})
            time.sleep(args.sample_s)
        for t in threads:
            t.join(timeout=150)
        pids = sorted(worker_pids(proc.pid))
        samples.append({"t": round(time.time() - t_start, 1), "rss": {str(p): rss_mib(p) for p in pids}})
    finally:
        proc.send_signal(signal.SIGTERM)
        proc.wait(timeout=60)

    def pct(xs: list[float], q: float) -> float:
        xs = sorted(xs)
        return round(xs[min(len(xs) - 1, int(q * len(xs)))] * 1000) if xs else 0

    good = [x for k, v in lat.items() if k != "bad" for x in v]
    total = [sum(v for v in s["rss"].values() if v) for s in samples]
    first = next(i for i, s in enumerate(samples) if s["t"] >= args.warmup_s)
    return {
        "config": config,
        "samples": samples,
        "status": {str(k): v for k, v in sorted(status.items())},
        "server_errors": sum(v for k, v in status.items() if k >= 500),
        "requests": sum(status.values()),
        "p50_ms": pct(good, 0.5),
        "p95_ms": pct(good, 0.95),
        "p50_ms_by_kind": {k: pct(v, 0.5) for k, v in lat.items()},
        "rss_after_warmup_mib": round(total[first]),
        "rss_end_mib": round(total[-1]),
        "rss_peak_worker_mib": round(max(v for s in samples for v in s["rss"].values() if v)),
        "growth_after_warmup": round(total[-1] / total[first] - 1, 4),
        "workers_seen": len({p for s in samples for p in s["rss"]}),
    }


def plot(runs: list[dict], path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, axes = plt.subplots(1, len(runs), figsize=(5 * len(runs), 4), sharey=True, squeeze=False)
    for ax, run in zip(axes[0], runs):
        pids = sorted({p for s in run["samples"] for p in s["rss"]})
        for n, pid in enumerate(pids):
            pts = [(s["t"] / 60, s["rss"][pid]) for s in run["samples"] if s["rss"].get(pid)]
            ax.plot([p[0] for p in pts], [p[1] for p in pts], label=f"worker {n + 1}")
        ax.axhline(1024, color="grey", linestyle=":", linewidth=1)
        ax.set_title(f"{run['config']}: {run['growth_after_warmup']:+.1%}, 5xx {run['server_errors']}")
        ax.set_xlabel("minutes under load")
        ax.legend(loc="lower right", fontsize=8)
    axes[0][0].set_ylabel("RSS per worker (MiB)")
    fig.tight_layout()
    fig.savefig(path, dpi=110)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--configs", default="release:940a80b,glibc,jemalloc")
    ap.add_argument("--minutes", type=float, default=10)
    ap.add_argument("--clients", type=int, default=8)
    ap.add_argument("--sample-s", type=float, default=10)
    ap.add_argument("--warmup-s", type=float, default=60, help="growth is measured from the first sample after this")
    ap.add_argument("--fnc1", action="store_true", help="FNC-1 test bodies from ../shared instead of generated text")
    ap.add_argument("--out", type=Path, default=OUT)
    args = ap.parse_args()
    seed = (ROOT / "seeds" / "000_460de1b4d77b6b69.txt").read_text(encoding="utf-8")
    runs = []
    for config in args.configs.split(","):
        run = run_config(config, args, seed)
        runs.append(run)
        print(
            f"{config}: {run['requests']} requests, p50 {run['p50_ms']} ms, p95 {run['p95_ms']} ms, "
            f"5xx {run['server_errors']}, RSS {run['rss_after_warmup_mib']} → {run['rss_end_mib']} MiB "
            f"({run['growth_after_warmup']:+.1%}), peak worker {run['rss_peak_worker_mib']} MiB",
            flush=True,
        )
    args.out.mkdir(parents=True, exist_ok=True)
    meta = {
        "minutes": args.minutes,
        "clients": args.clients,
        "cpus": os.cpu_count(),
        "cpu": cpu_model(),
        "fnc1": args.fnc1,
    }
    print(f"CPU: {meta['cpu']}")
    (args.out / "load_mix.json").write_text(json.dumps({"settings": meta, "runs": runs}, indent=1))
    plot(runs, args.out / "load_mix.png")
    return 1 if any(r["server_errors"] for r in runs) else 0


if __name__ == "__main__":
    sys.exit(main())
