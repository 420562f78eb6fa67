"""Hypothesis-only probe: how much of a label can be guessed without reading the premise.

A bag-of-words classifier that sees only the hypothesis is fitted on 90 % of a training mix and
scored on the other 10 % and on held-out sets.  Whatever it gets above chance (1/3) is an artefact
a cross-encoder can learn instead of inference: the bias to train away.  It also prints the
negation cue directly: the share of pairs whose hypothesis carries "no/not/never/n't" that are
labelled contradiction, in the mix and per source.  Run it on the 1.x and 2.0 mixes side by side:

    python -m training.hypothesis_only --mix training/work/train.jsonl.gz --mix training/work/train2.jsonl.gz
"""

from __future__ import annotations

import argparse
import collections
import hashlib
from pathlib import Path

from training.counter import NEGATION
from training.data import EVAL_SETS, LABELS, detok, read_jsonl


def _held(key: str) -> bool:
    return int(hashlib.sha1(key.encode("utf-8")).hexdigest(), 16) % 10 == 0


def negation_cue(rows: list[dict]) -> dict[str, float]:
    """P(label | the hypothesis carries a negation), over the rows given."""
    neg = [r["label"] for r in rows if NEGATION.search(r["hypothesis"])]
    counts = collections.Counter(neg)
    return {"negated_hypotheses": len(neg), **{lab: round(counts[lab] / max(1, len(neg)), 3) for lab in LABELS}}


def probe(mix: Path, nli: Path, held_out: list[str]) -> dict:
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression

    rows = [r for r in read_jsonl(mix) if r["label"] in LABELS]
    train = [r for r in rows if not _held(r["premise"] + r["hypothesis"])]
    test = [r for r in rows if _held(r["premise"] + r["hypothesis"])]
    vec = TfidfVectorizer(ngram_range=(1, 2), min_df=2, max_features=200_000, sublinear_tf=True)
    x = vec.fit_transform([r["hypothesis"] for r in train])
    clf = LogisticRegression(max_iter=2000, C=1.0).fit(x, [r["label"] for r in train])

    def accuracy(items: list[dict]) -> float:
        if not items:
            return float("nan")
        pred = clf.predict(vec.transform([r["hypothesis"] for r in items]))
        return round(sum(p == r["label"] for p, r in zip(pred, items)) / len(items), 3)

    out = {"mix": str(mix), "pairs": len(rows), "held_out_split": accuracy(test), "negation_cue": negation_cue(rows)}
    for name in held_out:
        rel = EVAL_SETS[name][0]
        items = [
            {"hypothesis": detok(r["hypothesis"]), "label": r["label"]}
            for r in read_jsonl(nli / rel)
            if r["label"] in LABELS
        ][:3000]
        out[name] = accuracy(items)
    by_source = collections.defaultdict(list)
    for r in rows:
        by_source[r["source"].split("/")[0]].append(r)
    out["negation_cue_by_source"] = {
        s: negation_cue(v)["contradiction"]
        for s, v in sorted(by_source.items())
        if negation_cue(v)["negated_hypotheses"] >= 50
    }
    return out


def main(argv: list[str] | None = None) -> None:
    import json

    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--mix", type=Path, action="append", required=True)
    ap.add_argument("--nli", type=Path, default=Path("../shared/nli"))
    ap.add_argument("--held-out", default="mnli_m,mnli_mm,lingnli_val")
    args = ap.parse_args(argv)
    for mix in args.mix:
        print(json.dumps(probe(mix, args.nli, [s for s in args.held_out.split(",") if s]), indent=1))


if __name__ == "__main__":
    main()
