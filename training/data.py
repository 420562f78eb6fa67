"""Build the training mix and the evaluation sets from ``../shared/nli``.

Why a module of its own: every rule about *what may train the shipped model*
lives here and nowhere else — which folders train, which are held out, how a
pair is normalised for de-duplication, and the guarantee that a pair found in
any evaluation split never enters training.

    python -m training.data --nli ../shared/nli --out training/work/train.jsonl.gz

writes a compact gzipped JSON-lines file (``premise``, ``hypothesis``,
``label``, ``source``) that the training script reads (and that can be carried
to a GPU machine).  The data itself is never committed.
"""

from __future__ import annotations

import argparse
import collections
import gzip
import json
import random
import re
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path

from training import patterns
from training.pairs import LABELS, Pair

_NON_ALNUM = re.compile(r"[^0-9a-z]+")


def pair_key(premise: str, hypothesis: str) -> str:
    """Normalised premise+hypothesis, the de-duplication and hold-out key (as in shared/nli SOURCE.md)."""
    return _NON_ALNUM.sub("", premise.lower()) + "|" + _NON_ALNUM.sub("", hypothesis.lower())


def read_jsonl(path: Path) -> Iterator[dict]:
    opener = gzip.open if path.suffix == ".gz" else open
    with opener(path, "rt", encoding="utf-8") as fh:
        for line in fh:
            if line.strip():
                yield json.loads(line)


def detok(text: str) -> str:
    """SNLI/MNLI text is space-tokenised ("bookshop ."); service input is not."""
    text = re.sub(r" ([.,;:!?%)'])", r"\1", text)
    text = re.sub(r"([($]) ", r"\1", text)
    return text.replace(" n't", "n't").replace(" 's", "'s").strip()


# --- what is held out ---------------------------------------------------------------------------
# name -> (relative path, binary?)  Binary sets are scored entailment vs not.
EVAL_SETS: dict[str, tuple[str, bool]] = {
    "mnli_m": ("mnli/dev_matched_sample1000.jsonl", False),
    "mnli_mm": ("mnli/dev_mismatched_sample1000.jsonl", False),
    "mnli_dev_taxinli": ("taxinli/EVAL_OVERLAP_from_mnli_dev_DO_NOT_TRAIN.jsonl.gz", False),
    "snli_test": ("snli/test.jsonl.gz", False),
    "anli_r1": ("anli/dev_r1.jsonl", False),
    "anli_r2": ("anli/dev_r2.jsonl", False),
    "anli_r3": ("anli/dev_r3.jsonl", False),
    "fever_symmetric": ("fever_symmetric/symmetric_v0.2_test.jsonl", False),
    "breaking_nli": ("breaking_nli/test.jsonl.gz", False),
    "docnli_mnli": ("docnli_binary/binary_mnli_test.jsonl.gz", True),
    "docnli_fever": ("docnli_binary/binary_fever_nli_test.jsonl.gz", True),
    "rte3_test": ("rte3_3way/test.jsonl", False),
    "emergent": ("emergent/test.jsonl", False),
    "fnc1_test": ("fnc1/competition_test.jsonl.gz", False),
    # 2.0 probes: the new sets' held-out splits and the speaker-commitment / veridicality probes
    "lingnli_val": ("lingnli/val.jsonl", False),
    "dnc_megaveridicality_test": ("dnc_megaveridicality/test.jsonl", False),
    "fever_dev_gold": ("fever_train_gold_evidence/dev_gold.jsonl.gz", False),
    "commitmentbank": ("commitmentbank/all.jsonl", False),
    "verb_veridicality": ("verb_veridicality/all.jsonl", False),
    "nope": ("nope/main.jsonl", False),
    "new_protocols_base_val": ("new_protocols/base_val.jsonl", False),
}
# Files never trained on but too big/odd to report on every run: still excluded from training.
_EXTRA_HELD_OUT = [
    "snli/test.jsonl.gz",
    "cad_snli/all_combined_test.jsonl",
    "cad_snli/original_test.jsonl",
    "cad_snli/revised_combined_test.jsonl",
    "conjnli/conj_dev.jsonl",
    "openie_triples_snli_mnli/test.jsonl",
    "sick/train.jsonl",
    "sick/trial_dev.jsonl",
    "sick/test.jsonl",
    "control/dev.jsonl.gz",
    "control/test.jsonl.gz",
    "rte_glue/dev.jsonl",
    "liar_plus/test.jsonl",
    "qags/cnndm.jsonl",
    "qags/xsum.jsonl",
    "falke2019_sentpairs/val.jsonl",
    "docnli_binary/binary_mnli_dev.jsonl.gz",
    "docnli_binary/binary_fever_nli_dev.jsonl.gz",
    "fever_symmetric/symmetric_v0.2_dev.jsonl",
    "dnc_megaveridicality/dev.jsonl",
    "fever_train_gold_evidence/dev_nei_constructed_neutral.jsonl.gz",
    "arc_stance/test.jsonl.gz",
    "emergent/test.jsonl",
    "new_protocols/edit_premise_val.jsonl",
    "new_protocols/edit_other_val.jsonl",
    "new_protocols/contrast_val.jsonl",
    "new_protocols/paragraph_val.jsonl",
]

# --- what may train ----------------------------------------------------------------------------
# (relative path, weight): weight > 1 repeats a set (the MNLI-domain sets are scarce and matter most),
# weight < 1 subsamples.  "train?" sets (no licence file) are marked in the model card.
TRAIN_SETS: list[tuple[str, float]] = [
    ("mnli_train_subsets/ppft_glue_pretrain_train.jsonl.gz", 2.0),
    ("mnli_train_subsets/ppft_glue_pretrain_dev.jsonl", 2.0),
    ("mnli_train_subsets/ppft_kshot16_5seeds_train_dev.jsonl", 2.0),
    ("taxinli/train_from_mnli_train.jsonl", 2.0),
    ("openie_triples_snli_mnli/train.jsonl.gz", 1.0),
    ("openie_triples_snli_mnli/dev.jsonl", 1.0),
    ("snli/dev.jsonl.gz", 1.0),
    ("snli_train_subsets/ppft_glue_pretrain_train.jsonl.gz", 1.0),
    ("snli_train_subsets/ppft_glue_pretrain_dev.jsonl", 1.0),
    ("cad_snli/all_combined_train.jsonl", 0.6),
    ("conjnli/adversarial_train_15k.jsonl.gz", 0.6),
    ("wanli/train_sample.jsonl", 2.0),
    ("rte3_3way/dev.jsonl", 2.0),
    ("climate_fever/all_pairs.jsonl.gz", 0.5),
    ("healthver/dev.jsonl", 1.0),
    ("healthver/test.jsonl", 1.0),
    ("covidfact/all.jsonl.gz", 0.5),
    ("tracie/train_uniform.jsonl", 1.0),
    ("liar_plus/val.jsonl", 1.0),
]
# 2.0 additions (issue 12), each with its role from shared/nli/README.md.  ``TRAIN_SETS_2`` is what
# ``--mix 2`` adds on top of the 1.x sets; E/C-only sets are balanced by ``balance`` afterwards.
TRAIN_SETS_2: list[tuple[str, float]] = [
    ("lingnli/train.jsonl.gz", 1.0),  # train? (no licence stated), MNLI-domain, balanced
    ("fever_train_gold_evidence/train_gold.jsonl.gz", 0.25),  # train, CC BY-SA 3.0; entailment-heavy, subsampled
    ("dnc_megaveridicality/train.jsonl", 1.0),  # train? (MIT source corpus): said/confirmed vs happened
    ("emergent_full_train/train.jsonl", 1.0),  # train? (Emergent): news rumours, for/against/observing
]
# 3.0 (issue 22): Bowman et al. 2020's new protocols, MNLI-style pairs on Wikipedia premises (train?: no
# licence file for the hypotheses); their *_val files are held out (EVAL_SETS / _EXTRA_HELD_OUT)
TRAIN_SETS_3: list[tuple[str, float]] = TRAIN_SETS_2 + [
    (f"new_protocols/{name}_train.jsonl.gz", 1.0) for name in ("base", "edit_premise", "edit_other", "contrast")
]
MAX_PREMISE_CHARS = 600  # long premises are truncated by the tokenizer anyway; keep the file compact

_SENT_SPLIT = re.compile(r"(?:(?<=[.!?])|(?<=[.!?][\"”’']))\s+(?=[\"“‘A-Z0-9])")
_WORD = re.compile(r"[A-Za-z0-9]+")
_STOP = set(
    "the a an of to in on and or for with at by from is was are were be been it its that this as has have had "
    "he she they his her their said says will would could not but".split()
)


def split_sentences(text: str) -> list[str]:
    """Cheap regex splitter for corpus building (the service uses pysbd with offsets)."""
    out: list[str] = []
    for para in re.split(r"\n\s*\n|\n", text):
        out.extend(s.strip() for s in _SENT_SPLIT.split(para.strip()) if s.strip())
    return out


def content_words(text: str) -> set[str]:
    return {w.lower() for w in _WORD.findall(text) if w.lower() not in _STOP and len(w) > 2}


def best_sentences(body: str, headline: str, k: int = 2) -> str:
    """The k body sentences that overlap the headline most, in body order: a short premise for a stance pair."""
    sents = [s for s in split_sentences(body) if 5 <= len(s.split()) <= 60]
    if not sents:
        return ""
    head = content_words(headline)
    ranked = sorted(range(len(sents)), key=lambda i: -len(head & content_words(sents[i])))[:k]
    return " ".join(sents[i] for i in sorted(ranked))


def dev_body_ids(eval_dir: Path = Path("../shared/eval")) -> set[int]:
    """FNC-1 train bodies the verdict-level dev sets read (realnews dev, the headline dev set):
    never turned into training pairs, so the dev numbers that choose the model stay honest."""
    ids: set[int] = set()
    for name in ("realnews_dev.json", "realnews_dev2.json"):
        realnews = eval_dir / name
        if realnews.exists():
            ids |= {int(a["id"].rsplit("-", 1)[1]) for a in json.loads(realnews.read_text(encoding="utf-8"))}
    reserved = eval_dir / "reserved_body_ids.json"  # the hidden verdict tests' bodies: never trained or tuned on
    if reserved.exists():
        ids |= set(json.loads(reserved.read_text(encoding="utf-8"))["fnc1_train_body_ids"])
    headlines = Path(__file__).resolve().parents[1] / "evaluation" / "fnc1_headline_dev_ids.json"
    if headlines.exists():
        ids |= {int(k.split(":")[0]) for k in json.loads(headlines.read_text(encoding="utf-8"))["ids"]}
    return ids


def _fnc1_pairs(path: Path, rng: random.Random, discuss_keep: int, exclude: set[int] = frozenset()) -> list[Pair]:
    pairs: list[Pair] = []
    discuss: list[Pair] = []
    for row in read_jsonl(path):
        if row.get("stance") == "unrelated" or row["body_id"] in exclude:
            continue
        premise = best_sentences(row["premise"], row["hypothesis"])
        if not premise:
            continue
        pair = Pair(premise, row["hypothesis"], row["label"], "fnc1/train")
        (discuss if row.get("stance") == "discuss" else pairs).append(pair)
    rng.shuffle(discuss)
    return pairs + discuss[:discuss_keep]


def _weighted(rows: list[Pair], weight: float, rng: random.Random) -> list[Pair]:
    whole, frac = int(weight), weight - int(weight)
    out = rows * whole
    if frac:
        out += rng.sample(rows, int(len(rows) * frac))
    return out


def held_out_keys(nli_dir: Path) -> set[str]:
    keys: set[str] = set()
    for rel in [p for p, _ in EVAL_SETS.values()] + _EXTRA_HELD_OUT:
        path = nli_dir / rel
        if path.exists():
            for row in read_jsonl(path):
                keys.add(pair_key(row["premise"], row["hypothesis"]))
    return keys


def load_train_pairs(
    nli_dir: Path,
    rng: random.Random,
    fnc1_discuss: int = 3000,
    extra_sets: Sequence[tuple[str, float]] = (),
    exclude_bodies: set[int] = frozenset(),
) -> list[Pair]:
    """All trainable 3-way pairs: de-duplicated, eval pairs removed, then weighted."""
    held = held_out_keys(nli_dir)
    seen: set[str] = set()
    out: list[Pair] = []
    dropped = collections.Counter()

    def admit(rows: Iterable[Pair]) -> list[Pair]:
        kept = []
        for p in rows:
            if p.label not in LABELS:
                dropped["two_way"] += 1
                continue
            key = pair_key(p.premise, p.hypothesis)
            if key in held:
                dropped["in_eval"] += 1
            elif key in seen:
                dropped["duplicate"] += 1
            else:
                seen.add(key)
                kept.append(p)
        return kept

    for rel, weight in TRAIN_SETS:
        rows = (
            Pair(detok(r["premise"])[:MAX_PREMISE_CHARS], detok(r["hypothesis"]), r["label"], rel)
            for r in read_jsonl(nli_dir / rel)
        )
        out += _weighted(admit(rows), weight, rng)
    out += admit(_fnc1_pairs(nli_dir / "fnc1/train.jsonl.gz", rng, fnc1_discuss, exclude_bodies))
    for rel, weight in extra_sets:
        rows = (
            Pair(detok(r["premise"])[:MAX_PREMISE_CHARS], detok(r["hypothesis"]), r["label"], rel)
            for r in read_jsonl(nli_dir / rel)
        )
        out += _weighted(admit(rows), weight, rng)
    print(f"dropped: {dict(dropped)}")
    return out


def news_sentences(nli_dir: Path, split: str, exclude: set[int] = frozenset()) -> list[str]:
    """Declarative sentences from FNC-1 bodies: the raw material for generated news patterns.

    ``split="train"`` reads the training bodies; ``split="eval"`` the competition-test bodies, which
    never train, so the generated hedge/denial *evaluation* set is built from unseen sentences.
    """
    rel = "fnc1/train.jsonl.gz" if split == "train" else "fnc1/competition_test.jsonl.gz"
    bodies = {row["body_id"]: row["premise"] for row in read_jsonl(nli_dir / rel) if row["body_id"] not in exclude}
    sents: set[str] = set()
    for body in bodies.values():
        for s in split_sentences(body):
            words = s.split()
            if (
                8 <= len(words) <= 30
                and s[0].isupper()
                and s.endswith(".")
                and not any(q in s for q in '"“”?!:;()')
                and not s.lower().startswith(("but ", "and ", "so ", "however"))
            ):
                sents.add(s)
    return sorted(sents)


def balance(pairs: list[Pair], rng: random.Random, tolerance: float = 1.25) -> list[Pair]:
    """Cap each label at ``tolerance`` × the rarest label's count so no class dominates."""
    by_label: dict[str, list[Pair]] = collections.defaultdict(list)
    for p in pairs:
        by_label[p.label].append(p)
    cap = int(min(len(v) for v in by_label.values()) * tolerance)
    out: list[Pair] = []
    for rows in by_label.values():
        rng.shuffle(rows)
        out += rows[:cap]
    rng.shuffle(out)
    return out


def write_jsonl_gz(pairs: Iterable[Pair], path: Path) -> int:
    path.parent.mkdir(parents=True, exist_ok=True)
    n = 0
    with gzip.open(path, "wt", encoding="utf-8") as fh:
        for p in pairs:
            fh.write(json.dumps(p.to_json(), ensure_ascii=False) + "\n")
            n += 1
    return n


def main(argv: list[str] | None = None) -> None:

    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--nli", type=Path, default=Path("../shared/nli"))
    ap.add_argument("--out", type=Path, default=Path("training/work/train.jsonl.gz"))
    ap.add_argument(
        "--families", default=",".join(patterns.FAMILIES), help="generated families to add (comma list, empty for none)"
    )
    ap.add_argument("--per-family", type=int, default=3000)
    ap.add_argument("--seed", type=int, default=13)
    ap.add_argument("--replay", type=Path, help="stage-2 mix: sample this earlier mix instead of the public sets")
    ap.add_argument("--replay-size", type=int, default=15000)
    ap.add_argument(
        "--mix", type=int, choices=(1, 2, 3), default=1, help="2: add TRAIN_SETS_2 (the 2.0 mix); 3: TRAIN_SETS_3"
    )
    ap.add_argument(
        "--extra",
        type=Path,
        action="append",
        default=[],
        help="pairs added after balancing (training/counter.py output), eval pairs still dropped",
    )
    ap.add_argument("--limit", type=int, default=0, help="sample the balanced public mix down to N pairs")
    args = ap.parse_args(argv)

    rng = random.Random(args.seed)
    if args.replay:
        rows = [Pair(**r) for r in read_jsonl(args.replay)]
        pairs = rng.sample(rows, min(args.replay_size, len(rows)))
    else:
        mix2 = args.mix >= 2  # 2.0 on also keeps the verdict-level dev bodies out
        extra_sets = {1: (), 2: TRAIN_SETS_2, 3: TRAIN_SETS_3}[args.mix]
        pairs = balance(
            load_train_pairs(args.nli, rng, extra_sets=extra_sets, exclude_bodies=dev_body_ids() if mix2 else set()),
            rng,
        )
        if args.limit and len(pairs) > args.limit:
            pairs = rng.sample(pairs, args.limit)
    for extra in args.extra:
        pairs += [Pair(**r) for r in read_jsonl(extra)]
    families = [f for f in args.families.split(",") if f]
    sentences = news_sentences(args.nli, "train", dev_body_ids() if args.mix >= 2 else set())
    generated = patterns.generate(sentences, families, args.per_family, rng, split="train")
    held = held_out_keys(args.nli)
    generated = [g for g in generated if pair_key(g.premise, g.hypothesis) not in held]
    allpairs = pairs + generated
    rng.shuffle(allpairs)
    n = write_jsonl_gz(allpairs, args.out)
    counts = collections.Counter(p.label for p in allpairs)
    by_source = collections.Counter(p.source.split("/")[0] for p in allpairs)
    print(f"wrote {n} pairs to {args.out}: {dict(counts)}")
    print("by source:", dict(by_source.most_common()))


if __name__ == "__main__":
    main()
