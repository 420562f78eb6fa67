"""Counter-data against the negation bias, and the held-out probe that measures it.

A small NLI model learns from crowd data that a hypothesis with "no/not/never" is usually a
contradiction, whatever the premise says.  In news, two sentences of one article are usually on
one topic and usually *not* the same proposition; when one of them carries a negation, 1.1.0 says
contradiction at 0.9+ (issue 12).  The counter-examples come from real text, not templates: two
sentences of one FNC-1 body that

* share a topic (at least one name or content word, embedding cosine ≥ ``MIN_SIM``),
* are not the same proposition (cosine < ``MAX_SIM``, and after the negation is removed the content
  words of the negated side overlap the other side by less than ``MAX_OVERLAP``: "the talks did not
  take place" vs "the talks took place" is a real contradiction and is never emitted as neutral),
* one carries a negation, the other none,

labelled neutral and emitted in both directions (the service reads claim pairs both ways).  The
noise check is the cosine/overlap filter plus a hand-read sample (``--show``; the rate is in the
model card).

Alongside, so that "never say contradiction" cannot pass the probe: real negated contradictions
(S vs S with a negation inserted, both ways) and entailments whose hypothesis carries the negation
("S_neg, officials said." → S_neg).  Training pairs come from FNC-1 *train* bodies minus the
realnews dev articles; the probe from *competition-test* bodies, which never train.

    python -m training.counter --nli ../shared/nli --out training/work/counter.jsonl.gz --split train
    python -m training.counter --nli ../shared/nli --out training/work/negation_probe.jsonl --split eval
"""

from __future__ import annotations

import argparse
import collections
import json
import random
import re
from pathlib import Path

from claimcheck.pipeline.text import NEGATION
from training.data import Pair, content_words, dev_body_ids, read_jsonl, split_sentences, write_jsonl_gz
from training.patterns import swap_negation

# a denial in one sentence of a body usually answers another sentence of it: never a neutral pair
DENIAL = re.compile(
    r"\b(?:false|untrue|den(?:y|ies|ied)|reject\w*|dismiss\w*|refut\w*|debunk\w*|hoax)\b", re.IGNORECASE
)
MIN_SIM, MAX_SIM, MAX_OVERLAP = 0.30, 0.60, 0.35
ATTRIBUTIONS = ("officials said", "a spokesman said", "police said", "the report said", "sources told reporters")


def bodies(nli: Path, split: str, exclude: set[int]) -> list[list[str]]:
    rel = "fnc1/train.jsonl.gz" if split == "train" else "fnc1/competition_test.jsonl.gz"
    seen: dict[int, str] = {}
    for row in read_jsonl(nli / rel):
        if row["body_id"] not in exclude:
            seen.setdefault(row["body_id"], row["premise"])
    out = []
    for body_id in sorted(seen):
        sents = [
            s
            for s in split_sentences(seen[body_id])
            if 6 <= len(s.split()) <= 40 and s[0].isupper() and s.endswith(".") and "?" not in s
        ]
        if len(sents) >= 4:
            out.append(sents)
    return out


def _embedder():
    from claimcheck.inference.embedder import SentenceEmbedder
    from training.train import base_model_dir

    return SentenceEmbedder(base_model_dir(), batch_size=64)


def topic_pairs(
    docs: list[list[str]], rng: random.Random, per_doc: int, min_sim: float = MIN_SIM
) -> list[tuple[str, str, float]]:
    """(negated sentence, plain sentence, cosine) pairs that share a topic but not a proposition."""
    embed = _embedder()
    out: list[tuple[str, str, float]] = []
    for sents in docs:
        neg = [i for i, s in enumerate(sents) if NEGATION.search(s) and not DENIAL.search(s)]
        pos = [i for i, s in enumerate(sents) if not NEGATION.search(s) and not DENIAL.search(s)]
        if not neg or not pos:
            continue
        vecs = embed.encode(sents)
        sim = vecs @ vecs.T
        found = []
        for i in neg:
            stripped = content_words(NEGATION.sub(" ", sents[i]))
            for j in pos:
                words_j = content_words(sents[j])
                shared = stripped & words_j
                overlap = len(shared) / max(1, len(stripped | words_j))
                if min_sim <= sim[i, j] < MAX_SIM and shared and overlap < MAX_OVERLAP:
                    found.append((sents[i], sents[j], float(sim[i, j])))
        rng.shuffle(found)
        out += found[:per_doc]
    return out


def build(docs: list[list[str]], rng: random.Random, per_doc: int, source: str, min_sim: float = MIN_SIM) -> list[Pair]:
    pairs: list[Pair] = []
    for neg, plain, _ in topic_pairs(docs, rng, per_doc, min_sim):
        pairs += [
            Pair(neg, plain, "neutral", f"{source}/neutral_neg_premise"),
            Pair(plain, neg, "neutral", f"{source}/neutral_neg_hypothesis"),
        ]
    n_neutral = len(pairs)
    plain_sents = [s for sents in docs for s in sents if not NEGATION.search(s)]
    neg_sents = [s for sents in docs for s in sents if NEGATION.search(s)]
    rng.shuffle(plain_sents)
    rng.shuffle(neg_sents)
    contra: list[Pair] = []
    for s in plain_sents:
        negated = swap_negation(s, rng, [])
        if negated and negated != s:
            contra += [
                Pair(s, negated, "contradiction", f"{source}/contradiction_neg_hypothesis"),
                Pair(negated, s, "contradiction", f"{source}/contradiction_neg_premise"),
            ]
        if len(contra) >= n_neutral // 2:
            break
    entail: list[Pair] = []
    for s in neg_sents:
        if len(entail) >= n_neutral // 2:
            break
        premise = f"{s[:-1]}, {rng.choice(ATTRIBUTIONS)}."
        entail.append(Pair(premise, s, "entailment", f"{source}/entailment_neg_hypothesis"))
    return pairs + contra + entail


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--nli", type=Path, default=Path("../shared/nli"))
    ap.add_argument("--eval-dir", type=Path, default=Path("../shared/eval"))
    ap.add_argument("--split", choices=("train", "eval"), default="train")
    ap.add_argument("--out", type=Path, required=True)
    ap.add_argument("--per-doc", type=int, default=6)
    ap.add_argument("--max-docs", type=int, default=0)
    ap.add_argument("--seed", type=int, default=29)
    ap.add_argument(
        "--min-sim",
        type=float,
        default=MIN_SIM,
        help="on-topic floor for the neutral pairs (0.45: the hard probe, close to the same event)",
    )
    ap.add_argument("--show", type=int, default=0, help="print N random neutral pairs for a hand check")
    args = ap.parse_args(argv)
    rng = random.Random(args.seed)
    docs = bodies(args.nli, args.split, dev_body_ids(args.eval_dir) if args.split == "train" else set())
    rng.shuffle(docs)
    if args.max_docs:
        docs = docs[: args.max_docs]
    source = "counter" if args.split == "train" else "negation_probe"
    pairs = build(docs, rng, args.per_doc, source, args.min_sim)
    if args.out.suffix == ".gz":
        write_jsonl_gz(pairs, args.out)
    else:
        args.out.parent.mkdir(parents=True, exist_ok=True)
        args.out.write_text(
            "".join(json.dumps(p.to_json(), ensure_ascii=False) + "\n" for p in pairs), encoding="utf-8"
        )
    print(f"{len(docs)} bodies -> {len(pairs)} pairs:", dict(collections.Counter(p.source for p in pairs)))
    neutral = [p for p in pairs if p.label == "neutral" and p.source.endswith("neg_premise")]
    for p in rng.sample(neutral, min(args.show, len(neutral))):
        print(f"- P: {p.premise}\n  H: {p.hypothesis}")


if __name__ == "__main__":
    main()
