"""Which claim pairs could be reported as contradicting, and what each pair rule would buy.

    python -m evaluation.pair_rules [--nli-model DIR]

Issue 23, point 3 asks for more pair candidates (conflicting accounts that differ in one slot).
Whether a looser rule pays depends on how the model reads the pairs it would add, so this lists
every pair of claims of different sources among the annotated claims of both dev files, with
what the pipeline read (the best refutation and support either way, as ``relation`` reads them,
the two sentences' similarity, and whether :func:`about_the_same_thing` holds), then scores each
rule against the gold pairs: precision among these pairs, recall of all gold pairs.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from claimcheck.config import REPO_ROOT, Settings
from claimcheck.inference.cpu import cpu_model
from claimcheck.pipeline.deadline import Deadline
from claimcheck.pipeline.pairs import REVERSE_FLOOR, reverse_pairs
from claimcheck.pipeline.retrieval import about_the_same_thing
from claimcheck.pipeline.sources import same_source
from claimcheck.pipeline.verdict import relation
from claimcheck.runtime import Runtime
from evaluation.quality import REALNEWS_FILES, claim_overlapping, load_realnews


@dataclass(frozen=True)
class PairReading:
    file: str
    gold: bool
    refutes: float  # the best refutation either way (0 when neither reads as one)
    supports: float
    similarity: float
    aligned: bool


def readings(runtime: Runtime, eval_dir: Path) -> tuple[list[PairReading], int]:
    """Every candidate pair among the annotated claims, and the number of gold pairs in all."""
    verifier, opts = runtime.verifier, runtime.verifier.options
    out: list[PairReading] = []
    gold_total = 0
    for name, file in REALNEWS_FILES.items():
        for art in load_realnews(eval_dir, file) or []:
            text = art["text"]
            prep = verifier.prepare(text, None, opts)
            [ret] = verifier.retrieve([prep], opts, Deadline())
            scores: dict = {}
            verifier.score(scores, ret.pairs, Deadline())
            verifier.score(
                scores, reverse_pairs(ret.candidates, scores, opts.thresholds.pair * REVERSE_FLOOR), Deadline()
            )

            def locate(anchor: str, text: str = text, claims: tuple = prep.claims) -> str | None:
                i = text.find(anchor)
                return claim_overlapping(claims, i, i + len(anchor)) if i >= 0 else None

            gold = {frozenset((locate(a), locate(b))) for a, b in art.get("contradictions", [])}
            gold_total += len(art.get("contradictions", []))
            anchored = {locate(c["anchor"]) for c in art["claims"]} | {x for p in gold for x in p}
            claims = [c for c in prep.claims if c.id in anchored]
            for i, a in enumerate(claims):
                for b in claims[i + 1 :]:
                    if same_source(a.source, b.source) or a.source.headline or b.source.headline:
                        continue
                    read = [relation(a.source, b.source, scores), relation(b.source, a.source, scores)]
                    sim = float(ret.similarity[a.sentence.index, b.sentence.index])
                    out.append(
                        PairReading(
                            name,
                            frozenset((a.id, b.id)) in gold,
                            max((r.score for r in read if r.relation == "refutes"), default=0.0),
                            max((r.score for r in read if r.relation == "supports"), default=0.0),
                            sim,
                            about_the_same_thing(a.source, b.source, sim, opts.limits.contradiction_similarity),
                        )
                    )
    return out, gold_total


def rules(threshold: float) -> dict[str, Callable[[PairReading], bool]]:
    def reads(r: PairReading, t: float) -> bool:
        return r.refutes >= t and r.supports < t

    return {
        f"shipped: refutes >= {threshold}, about the same thing": lambda r: reads(r, threshold) and r.aligned,
        f"refutes >= {threshold}, no alignment": lambda r: reads(r, threshold),
        f"refutes >= {threshold}, aligned or similarity >= 0.45": lambda r: (
            reads(r, threshold) and (r.aligned or r.similarity >= 0.45)
        ),
    }


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--eval-dir", type=Path, default=REPO_ROOT.parent / "shared" / "eval")
    ap.add_argument("--nli-model", help="another NLI model directory (default: CLAIMCHECK_NLI_MODEL / shipped)")
    args = ap.parse_args(argv)
    settings = Settings.from_env(**({"nli_model": args.nli_model} if args.nli_model else {}))
    pairs, gold_total = readings(Runtime.load(settings), args.eval_dir)
    print(f"{len(pairs)} candidate pairs, {sum(p.gold for p in pairs)} of the {gold_total} gold pairs among them")
    print(f"model {settings.nli_model}, recipe {settings.quantize}; CPU {cpu_model()}\n")
    print("| rule | reported | right | precision | recall (of all gold) |\n|---|---|---|---|---|")
    for threshold in (0.6, 0.5, 0.4):
        for name, keep in rules(threshold).items():
            chosen = [p for p in pairs if keep(p)]
            right = sum(p.gold for p in chosen)
            precision = f"{right / len(chosen):.2f}" if chosen else "–"
            print(f"| {name} | {len(chosen)} | {right} | {precision} | {right / gold_total:.3f} |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
