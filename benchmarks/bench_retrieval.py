"""Does a cheaper sentence embedder retrieve the same candidates?  MiniLM against others, side by side.

    python -m benchmarks.bench_retrieval --config static:embedder=training/work/minilm-static

The sentence embedder serves only candidate retrieval (which sentences NLI reads for each claim), and
on an AVX2 machine it is ~40 % of an article's time (issue 21).  For each embedder, over the realnews
dev articles (both files; ``../shared/eval``, skipped when absent) and the seed:

* **gold-pair recall**: gold contradiction pairs whose two sentences are candidates of each other
  (evidence or contradiction candidates, either direction): a pair retrieval misses, NLI never reads;
* **recall of MiniLM's candidates**: (claim, sentence) candidates of today's embedder also retrieved;
* candidates per claim (the NLI cost) and milliseconds to embed the seed's texts.

Every embedder is used with the similarity floors from ``Settings``.  The CPU model is printed first.
"""

from __future__ import annotations

import argparse
import json
import statistics
import time
from pathlib import Path

from claimcheck.config import REPO_ROOT
from claimcheck.inference.cpu import cpu_model
from claimcheck.pipeline.deadline import Deadline
from claimcheck.runtime import Runtime, options_from
from evaluation.quality import parse_config, settings_for

SEED = REPO_ROOT / "seeds" / "000_460de1b4d77b6b69.txt"


def articles(eval_dir: Path) -> list[dict]:
    out = [{"id": "seed", "text": SEED.read_text(encoding="utf-8"), "contradictions": []}]
    for name in ("realnews_dev.json", "realnews_dev2.json"):
        if (eval_dir / name).is_file():
            out += json.loads((eval_dir / name).read_text(encoding="utf-8"))
    return out


def sentence_at(prepared, text: str, anchor: str) -> int | None:
    i = text.find(anchor)
    for s in prepared.sentences:
        if i >= 0 and s.sentence.start <= i < s.sentence.end:
            return s.sentence.index
    return None


def retrieve(runtime: Runtime, arts: list[dict]) -> dict:
    v = runtime.verifier
    opts = options_from(runtime.settings)
    cands, pairs_found, pairs_gold, claims = set(), 0, 0, 0
    for art in arts:
        prep = v.prepare(art["text"], None, opts)
        got = v.retrieve([prep], opts, Deadline())[0]
        claims += len(prep.claims)
        mine = {(art["id"], c.claim.sentence.index, c.evidence.sentence.index) for c in got.candidates}
        cands |= mine
        for a, b in art.get("contradictions", []):
            i, j = sentence_at(prep, art["text"], a), sentence_at(prep, art["text"], b)
            if i is None or j is None:
                continue
            pairs_gold += 1
            pairs_found += (art["id"], i, j) in mine or (art["id"], j, i) in mine
    return {"candidates": cands, "claims": claims, "pairs_found": pairs_found, "pairs_gold": pairs_gold}


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument(
        "--config",
        action="append",
        default=[],
        help="NAME:setting=value,... as in evaluation.quality (e.g. static:embedder=DIR,min_similarity=0.55)",
    )
    ap.add_argument("--eval-dir", type=Path, default=REPO_ROOT.parent / "shared" / "eval")
    ap.add_argument("--runs", type=int, default=7)
    args = ap.parse_args(argv)
    arts = articles(args.eval_dir)
    print(f"CPU: {cpu_model()}   articles: {len(arts)} (seed + realnews dev files present)")
    configs = dict(parse_config(spec) for spec in ["minilm:", *args.config])
    results = {}
    for name, overrides in configs.items():
        rt = Runtime.load(settings_for({"memo_entries": 0, **overrides}))
        texts = [
            s.sentence.text for s in rt.verifier.prepare(arts[0]["text"], None, options_from(rt.settings)).sentences
        ]
        times = []
        for _ in range(args.runs):
            started = time.perf_counter()
            rt.verifier.embedder.encode(texts * 2)  # evidence texts and full texts, as retrieval embeds them
            times.append((time.perf_counter() - started) * 1000)
        results[name] = retrieve(rt, arts) | {"embed_ms": statistics.median(times)}
    base = results["minilm"]["candidates"]
    print(f"{'embedder':<10} {'pairs found':>12} {'cands/claim':>11} {'MiniLM cands kept':>17} {'seed embed ms':>13}")
    for name, r in results.items():
        kept = len(r["candidates"] & base) / max(1, len(base))
        print(
            f"{name:<10} {r['pairs_found']:>5} of {r['pairs_gold']:<5} {len(r['candidates']) / r['claims']:>11.2f} "
            f"{kept:>17.1%} {r['embed_ms']:>13.1f}"
        )


if __name__ == "__main__":
    main()
