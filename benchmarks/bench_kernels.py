"""Every inference recipe on this CPU and on an emulated AVX2-only one, side by side in one run.

    python -m benchmarks.bench_kernels                 # both CPU kinds, every recipe, seed p50
    python -m benchmarks.bench_kernels --labels        # and each recipe's labels against fp32's

For each CPU kind (``native``: this machine as it is; ``avx2``: the emulated AVX2-only processor)
and each recipe of ``CLAIMCHECK_QUANTIZE``: the load-time probe's milliseconds per product, the NLI
model's milliseconds per pair and the embedder's per sentence (the seed's own pairs and sentences),
and the seed article's p50 in-process with the memo off; ``auto``'s row says what it picked.

**How the AVX2 processor is emulated.**  On an AVX2-only CPU (issue 21: an AMD Zen 3) torch does not
send ``torch._int_mm`` to oneDNN and runs its plain fallback loop instead, 58x slower than fp32
there.  Neither ``ONEDNN_MAX_CPU_ISA=AVX2`` nor ``ATEN_CPU_CAPABILITY=avx2`` reproduces that here
(oneDNN still has fast int8 for AVX2, and torch still calls it: 2.7 ms against 1.2 ms, measured);
turning oneDNN off (``torch.backends.mkldnn.enabled = False``) does: the same product takes
128 ms against fp32's 3.2 ms (40x).  So the ``avx2`` kind runs a child process with
``ATEN_CPU_CAPABILITY=avx2`` (torch's own vector kernels at AVX2 width, as there) *and* oneDNN
off.  fp32 matrix products go through MKL's sgemm either way, fbgemm keeps its own AVX2/AVX-512
dispatch (so its AVX2 figures here are an estimate of a real AVX2 machine, not a copy).

Each kind runs in its own child process (the capability is read when torch loads); recipes take
turns run after run, so machine noise falls on all of them alike.  The CPU model is printed first.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

from claimcheck.config import REPO_ROOT, Settings
from claimcheck.inference.cpu import cpu_model
from claimcheck.inference.quantize import AUTO_CANDIDATES, cpu_capability, probe
from claimcheck.runtime import Runtime
from evaluation.articles import ARTICLES
from evaluation.quality import parse_config, settings_for

SEED = REPO_ROOT / "seeds" / "000_460de1b4d77b6b69.txt"
RECIPES = ("auto", "none", "int8", "int8-fbgemm", "int8-dynamic")
KINDS = {"native": {}, "avx2": {"ATEN_CPU_CAPABILITY": "avx2"}}


def emulate_avx2() -> None:
    """Make this process behave like an AVX2-only CPU for the int8 kernels (see the module docstring).

    Call before any model is loaded; also set ``ATEN_CPU_CAPABILITY=avx2`` before torch is imported
    for the vector kernels.  Used by this benchmark and by the test that guards ``auto``.
    """
    import torch

    torch.backends.mkldnn.enabled = False


def _time(fn, runs: int) -> list[float]:
    out = []
    for _ in range(runs):
        started = time.perf_counter()
        fn()
        out.append((time.perf_counter() - started) * 1000)
    return out


def child(kind: str, runs: int, labels: bool, also: list[str], articles: bool = False) -> dict:
    """One CPU kind: load every recipe (and each ``--also`` configuration), then time them in turns."""
    import torch

    if kind == "avx2":
        emulate_avx2()
    torch.set_num_threads(int(os.environ.get("CLAIMCHECK_TORCH_THREADS") or torch.get_num_threads()))
    seed = SEED.read_text(encoding="utf-8")
    runtimes = {r: Runtime.load(Settings.from_env(quantize=r, memo_entries=0)) for r in RECIPES}
    for spec in also:
        name, overrides = parse_config(spec)
        runtimes[name] = Runtime.load(settings_for({"memo_entries": 0, **overrides}))

    rows: dict[str, dict] = {
        r: {
            "picked": rt.model.kernel.recipe,
            "seed_ms": [],
            "nli_ms_per_pair": [],
            "embed_ms_per_text": [],
            # the first article after load: lazy work left for a user's request would show here
            "first_ms": _time(lambda rt=rt: rt.verifier.verify(ARTICLES[0]["text"] + " " + seed), 1)[0],
        }
        for r, rt in runtimes.items()
    }
    sentences = [v.claim.sentence.text for v in runtimes["none"].verifier.verify(seed).verdicts]
    pairs = list(zip(sentences, sentences[1:]))[:64]
    slow: set[str] = set()
    for _ in range(runs):
        for recipe, rt in runtimes.items():
            if recipe in slow and rows[recipe]["seed_ms"]:
                continue  # a pathological kernel: one run says enough
            row = rows[recipe]
            row["seed_ms"] += _time(lambda rt=rt: rt.verifier.verify(seed), 1)
            row["nli_ms_per_pair"] += [t / len(pairs) for t in _time(lambda rt=rt: rt.model.predict(pairs), 1)]
            enc = rt.verifier.embedder
            row["embed_ms_per_text"] += [t / len(sentences) for t in _time(lambda e=enc: e.encode(sentences), 1)]
            if row["seed_ms"][-1] > 10 * min(min(rows[r]["seed_ms"] or [1e9]) for r in rows):
                slow.add(recipe)
    out = {
        "kind": kind,
        "cpu": cpu_model(),
        "capability": cpu_capability(),
        "threads": torch.get_num_threads(),
        "probe_ms": probe(384, 1536),
        "auto": {
            "recipe": runtimes["auto"].model.kernel.recipe,
            "reason": runtimes["auto"].model.kernel.reason,
            "probe_ms": runtimes["auto"].model.kernel.probe_ms,
        },
        "recipes": {
            r: {
                "picked": row["picked"],
                "runs": len(row["seed_ms"]),
                "first_article_ms": round(row["first_ms"], 1),
                "seed_p50_ms": round(statistics.median(row["seed_ms"]), 1),
                "nli_ms_per_pair": round(statistics.median(row["nli_ms_per_pair"]), 3),
                "embed_ms_per_text": round(statistics.median(row["embed_ms_per_text"]), 3),
            }
            for r, row in rows.items()
        },
    }
    if labels:
        out["label_differences"] = label_differences(runtimes)
    if articles:  # every text under auto: the longest must stay well inside the request budget
        times = sorted(_time(lambda t=t: runtimes["auto"].verifier.verify(t), 1)[0] for t in label_texts().values())
        out["auto_articles"] = {
            "texts": len(times),
            "p50_ms": round(statistics.median(times), 1),
            "max_ms": round(times[-1], 1),
            "budget_ms": Settings.from_env().request_budget_s * 1000,
        }
    return out


def label_texts(eval_dir: Path = REPO_ROOT.parent / "shared" / "eval") -> dict[str, str]:
    """The seed, the regression articles and, where ../shared/eval is present, the realnews dev bodies."""
    texts = {"seed": SEED.read_text(encoding="utf-8")} | {a["name"]: a["text"] for a in ARTICLES}
    for name in ("realnews_dev.json", "realnews_dev2.json"):
        path = eval_dir / name
        if path.is_file():
            texts |= {a["id"]: a["text"] for a in json.loads(path.read_text(encoding="utf-8"))}
    return texts


def label_differences(runtimes: dict[str, Runtime], eval_dir: Path = REPO_ROOT.parent / "shared" / "eval") -> dict:
    """Per recipe: every claim label and contradiction pair that differs from fp32's, on every text."""
    texts = label_texts(eval_dir)

    def read(rt: Runtime, text: str) -> tuple[dict[str, str], set[frozenset[str]]]:
        result = rt.verifier.verify(text)
        labels = {f"{v.claim.id} {v.claim.sentence.text[:70]!r}": v.label for v in result.verdicts}
        return labels, {frozenset(p.claim_ids) for p in result.contradictions}

    reference = {name: read(runtimes["none"], text) for name, text in texts.items()}
    report: dict[str, dict] = {}
    for recipe in (r for r in runtimes if r != "none"):
        diffs: list[str] = []
        claims = 0
        for name, text in texts.items():
            labels, pairs = read(runtimes[recipe], text)
            ref_labels, ref_pairs = reference[name]
            claims += len(ref_labels)
            diffs += [f"{name} {k}: fp32 {v} -> {labels.get(k)}" for k, v in ref_labels.items() if labels.get(k) != v]
            diffs += [f"{name} pair {sorted(p)} only in fp32" for p in ref_pairs - pairs]
            diffs += [f"{name} pair {sorted(p)} only in {recipe}" for p in pairs - ref_pairs]
        report[recipe] = {"texts": len(texts), "claims": claims, "differences": diffs}
    return report


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--runs", type=int, default=9, help="seed runs per recipe and CPU kind")
    ap.add_argument("--kinds", default=",".join(KINDS))
    ap.add_argument("--labels", action="store_true", help="also list each recipe's label differences from fp32")
    ap.add_argument("--json", type=Path, help="write the results here")
    ap.add_argument("--articles", action="store_true", help="also time auto on the seed, regression and dev articles")
    ap.add_argument(
        "--also", action="append", default=[], help="another configuration, NAME:setting=value,... (e.g. an embedder)"
    )
    ap.add_argument("--child", help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if args.child:
        print(json.dumps(child(args.child, args.runs, args.labels, args.also, args.articles)))
        return
    print(f"CPU: {cpu_model()}   cpus: {os.cpu_count()}   candidates for auto: {', '.join(AUTO_CANDIDATES)}")
    results = []
    for kind in args.kinds.split(","):
        cmd = [sys.executable, "-m", "benchmarks.bench_kernels", "--child", kind, "--runs", str(args.runs)]
        cmd += [arg for spec in args.also for arg in ("--also", spec)] + (["--articles"] if args.articles else [])
        if args.labels and kind == "native":
            cmd.append("--labels")
        done = subprocess.run(
            cmd, env=os.environ | KINDS[kind], capture_output=True, text=True, check=True, cwd=REPO_ROOT
        )
        results.append(json.loads(done.stdout.strip().splitlines()[-1]))
    for res in results:
        print(f"\n[{res['kind']}] torch capability {res['capability']}, {res['threads']} threads")
        print(f"  probe, ms per 256x384.384x1536 product: {res['probe_ms']}")
        print(f"  auto picked {res['auto']['recipe']}: {res['auto']['reason']}")
        fastest = min(r["seed_p50_ms"] for r in res["recipes"].values())
        head = ("recipe", "runs", "seed p50 ms", "x fastest", "NLI ms/pair", "embed ms/text", "1st article ms")
        print("  {:<20} {:>4} {:>11} {:>9} {:>11} {:>13} {:>14}".format(*head))
        for name, r in res["recipes"].items():
            shown = f"{name} ({r['picked']})" if name == "auto" else name
            print(
                f"  {shown:<20} {r['runs']:>4} {r['seed_p50_ms']:>11.1f} {r['seed_p50_ms'] / fastest:>9.2f} "
                f"{r['nli_ms_per_pair']:>11.3f} {r['embed_ms_per_text']:>13.3f} {r['first_article_ms']:>14.1f}"
            )
        if "auto_articles" in res:
            a = res["auto_articles"]
            print(f"  auto on {a['texts']} articles: p50 {a['p50_ms']} ms, max {a['max_ms']} ms", end="")
            print(f" (request budget {a['budget_ms']:.0f} ms)")
        for recipe, rep in res.get("label_differences", {}).items():
            print(f"  labels {recipe} vs fp32: {len(rep['differences'])} differences over {rep['claims']} claims")
            for line in rep["differences"]:
                print(f"    {line}")
    if args.json:
        args.json.write_text(json.dumps({"cpu": cpu_model(), "results": results}, indent=1) + "\n")


if __name__ == "__main__":
    main()
