"""Sentence-embedder recipes side by side: encode time, and how much the chosen evidence moves.

    python benchmarks/bench_embedder.py --runs 20

For fp32, the shipped row-wise int8, and torch's dynamic int8 with the feed-forward output
projections in fp32 (1.0's recipe) or on every Linear: p50 time to embed the seed article's
texts, and the NLI pairs retrieval picks on the seed and the hand-written test articles compared
with fp32's.
The NLI model is the configured one in every row, so only the embedder changes.
"""

from __future__ import annotations

import argparse
import copy
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))

from articles import ARTICLES  # noqa: E402

from claimcheck.config import Settings  # noqa: E402
from claimcheck.inference.cpu import cpu_model  # noqa: E402
from claimcheck.inference.quantize import dynamic_int8, rowwise  # noqa: E402
from claimcheck.pipeline.deadline import Deadline  # noqa: E402
from claimcheck.pipeline.retrieval import texts_to_embed  # noqa: E402
from claimcheck.runtime import Runtime  # noqa: E402


def chosen_pairs(verifier, texts: list[str]) -> list[set]:
    out = []
    for text in texts:
        prep = verifier._analyse(text, verifier.options)
        verifier.retrieve([prep], verifier.options, Deadline())
        out.append(set(prep.pairs))
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--runs", type=int, default=20)
    args = ap.parse_args()
    from transformers import AutoModel

    runtime = Runtime.load(Settings.from_env(memo_entries=0))  # every recipe computes its own vectors
    verifier, embedder = runtime.verifier, runtime.verifier.embedder
    seed = (ROOT / "seeds" / "000_460de1b4d77b6b69.txt").read_text(encoding="utf-8")
    articles = [seed] + [case["text"] for case in ARTICLES]
    seed_texts = list(dict.fromkeys(texts_to_embed(verifier._analyse(seed, verifier.options).sentences)))

    fp32 = AutoModel.from_pretrained(runtime.settings.embedder, local_files_only=True).eval()
    recipes = {
        "fp32": fp32,
        "int8, row-wise (shipped)": rowwise(copy.deepcopy(fp32)),
        "int8-dynamic, FFN output fp32 (1.0)": dynamic_int8(fp32, keep_ffn_output=True),
        "int8-dynamic, every Linear": dynamic_int8(fp32, keep_ffn_output=False),
    }
    reference = None
    print(f"CPU: {cpu_model()}")
    print(f"seed article: {len(seed_texts)} distinct texts to embed; {len(articles)} articles for the pair check\n")
    print(
        "| embedder | encode p50 ms | speed-up | NLI pairs chosen | shared with fp32 | articles with identical pairs |"
    )
    print("|---|---|---|---|---|---|")
    base_ms = None
    for name, model in recipes.items():
        embedder.model = model
        embedder.encode(seed_texts)
        times = []
        for _ in range(args.runs):
            t0 = time.perf_counter()
            embedder.encode(seed_texts)
            times.append((time.perf_counter() - t0) * 1000)
        ms = statistics.median(times)
        base_ms = base_ms or ms
        pairs = chosen_pairs(verifier, articles)
        reference = reference or pairs
        shared = sum(len(a & b) for a, b in zip(pairs, reference))
        same = sum(a == b for a, b in zip(pairs, reference))
        print(
            f"| {name} | {ms:.0f} | {base_ms / ms:.2f}x | {sum(map(len, pairs))} | {shared} | {same}/{len(articles)} |"
        )


if __name__ == "__main__":
    main()
