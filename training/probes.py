"""Probes that measure, not flatter (issue 22, point 5).

The negation probe of ``training/counter.py`` is built from FNC-1 competition-test bodies with the
very construction of the negation counter-data the 2.0 model trained on, so it mostly measures
whether the model learnt that construction.  The three probes here are built from material and
frames the training mix never saw; each is a seeded, deterministic, class-balanced list of pairs:

``probe_negation``
    Held-out NLI pairs (evaluation-role files only: MNLI dev via TaxiNLI's overlap file and the
    MNLI dev samples, SNLI test, SICK test, RTE-3 test, ConjNLI dev, CAD-SNLI revised test), never
    FNC-1, so nothing the counter-data touched.  Four kinds, the labels balanced:

    * ``negated_entailment``: an entailment pair whose hypothesis is negated by :func:`negate`
      (a parse-free rule that skips what it cannot negate cleanly) -> contradiction;
    * ``kept_entailment`` / ``kept_neutral``: gold entailment / neutral pairs whose hypothesis
      already carries a negation word, kept as annotated, so "negation => contradiction" fails;
    * ``kept_contradiction``: gold contradictions whose hypothesis carries a negation.

``probe_refdenial``
    A real news sentence S (FNC-1 *train* bodies minus every body of
    :func:`training.data.dev_body_ids`) is the hypothesis; the premise reports S in its first
    sentence and a second sentence answers it by reference only ("the report", "the allegations"):
    a denial -> contradiction, a confirmation -> entailment, a non-committal answer -> neutral, the
    three sharing S and the first sentence.  The frames are disjoint from ``training/patterns.py``'s
    hedge / denial / restatement templates (train *and* eval pools) and its speakers: none of those
    answers a report in a second sentence except two hedges whose wording ("could neither confirm
    nor deny this news", "declined to comment on the report") is not used here.

``probe_paraphrase``
    A second source restating a claim in other words.  From MNLI dev premises annotated with an
    entailed, a neutral and a contradicted hypothesis, where the entailed one shares less than half
    of its content words with the premise: premise "<Source> said P." against the entailed
    hypothesis (entailment), the neutral one of the same premise (an on-topic unrelated claim:
    neutral) and the contradicted one (contradiction).  As in the rest of the project a statement
    attributed to a source is read at face value.

Every source pair of the negation and paraphrase probes is checked against the training files
(:data:`training.data.TRAIN_SETS`, ``TRAIN_SETS_3``) and dropped when it appears there.

    python -m training.probes --nli ../shared/nli --show 5     # sizes, label counts and a sample
"""

from __future__ import annotations

import argparse
import collections
import functools
import random
import re
from collections.abc import Iterable
from pathlib import Path

from training.data import (
    LABELS,
    TRAIN_SETS,
    TRAIN_SETS_3,
    Pair,
    content_words,
    detok,
    dev_body_ids,
    news_sentences,
    pair_key,
    read_jsonl,
)
from training.patterns import _LOWER_FIRST

PROBE_SEED = 22
NEGATION = re.compile(r"\b(?:no|not|never|none|nobody|nothing|neither|nor|cannot|\w+n['’]t)\b", re.IGNORECASE)

# --- the negation rule ----------------------------------------------------------------------------
# copulas and auxiliaries that take "not" directly; modals that change the claim's force (may, might,
# could, should, would, must) are left alone: "may not be" does not contradict "may be"
_AUX = {"is", "are", "was", "were", "am", "will", "can", "has", "have", "had"}
# before the verb, any of these makes the scope of an inserted "not" unclear: skip the sentence
_BLOCK = set(
    "who whom whose which that where when while if unless whether or either nor than because although though "
    "some someone somebody something many few several most all every everyone everybody everything each both "
    "any anyone anybody anything only more less fewer least half do does did may might could would should must "
    "shall says said claims claimed thinks thought believes believed reports reported".split()
)
# an adverb right after the auxiliary: "is probably not" reads better, "is not probably" is not the claim
_AFTER_AUX_BLOCK = set(
    "probably likely possibly perhaps maybe also always often usually sometimes only just still even already "
    "certainly definitely really actually almost about either too".split()
)
_CONTRACTED = re.compile(r"^(?:he|she|it|that|there|what|who|they|we|you|i)['’](?:s|re|m|ve|ll|d)$", re.IGNORECASE)
_FUNCTION = set(
    "the a an this that these those his her their its my our your on in at to of with for from by into onto "
    "over under near and".split()
)
# after "there is/are", these take "not" ("There are not two men"), anything else "no"
_THERE_NOT = set(
    "the this that these those one two three four five six seven eight nine ten many much some several few lots "
    "plenty multiple various numerous all at about around over more".split()
)
_PARTICIPLES = set(
    "been gone done seen taken given made eaten written driven ridden spoken broken chosen stolen fallen forgotten "
    "begun drunk sung swum won lost left held told found bought brought built caught taught thought kept sent "
    "spent met paid sold led fed felt heard become come run shown known grown thrown flown worn born".split()
)
# simple past -> base form, only verbs whose past differs from the base and from the 3rd person present
PAST_TO_BASE = {
    **dict(
        pair.split(":")
        for pair in (
            "went:go ate:eat ran:run sat:sit stood:stand took:take made:make gave:give came:come saw:see "
            "bought:buy sold:sell won:win lost:lose left:leave wrote:write drove:drive rode:ride threw:throw "
            "caught:catch held:hold told:tell said:say found:find began:begin brought:bring built:build fell:fall "
            "flew:fly got:get grew:grow knew:know led:lead met:meet paid:pay sang:sing slept:sleep spent:spend "
            "spoke:speak swam:swim taught:teach thought:think wore:wear broke:break chose:choose drank:drink "
            "fought:fight kept:keep became:become felt:feel heard:hear sent:send shot:shoot stole:steal "
            "struck:strike woke:wake"
        ).split()
    ),
    **{
        w + "ed": w
        for w in (
            "walk play work want call ask look talk visit watch jump climb cook clean open start finish kill "
            "attack arrest pass sign return enter paint fix pick pull push kick laugh wait stay own need "
            "launch publish discover invent found design develop report help answer order follow offer "
            "support reject accept claim perform travel"
        ).split()
    },
    **{
        w + "d": w
        for w in (
            "die arrive move live like love use dance receive announce agree decide raise smile include "
            "increase create produce release hire close change serve score"
        ).split()
    },
    "tried": "try",
    "carried": "carry",
    "married": "marry",
    "studied": "study",
    "stopped": "stop",
    "planned": "plan",
    "hugged": "hug",
    "travelled": "travel",
}
_WORD_EDGE = re.compile(r"^[\"'“‘(]+|[\"'”’),;:.!?]+$")


def _bare(token: str) -> str:
    return _WORD_EDGE.sub("", token).lower()


def negate(sentence: str) -> str | None:
    """The sentence with its main clause negated, or None when that cannot be done cleanly.

    Parse-free: the first auxiliary or copula before which nothing blurs the scope (a relative
    pronoun, a quantifier, "or", a modal, a comma) takes "not" ("is" -> "is not", "can" -> "cannot",
    "has" + participle -> "has not", possessive "has" -> "does not have"); failing that, a simple
    past verb of :data:`PAST_TO_BASE` right after a short plain subject becomes "did not" + base
    form, provided no other verb form follows it (a participle modifier such as "the man killed in
    the crash was" would be mangled).  Sentences that already carry a negation, questions, quotes
    and contractions ("he's") are skipped.
    """
    s = sentence.strip()
    if not s or not s[0].isupper() or NEGATION.search(s) or any(c in s for c in '?!"“”;:()'):
        return None
    tokens = s.split()
    for i, tok in enumerate(tokens):
        word = _bare(tok)
        if _CONTRACTED.match(word) or word in _BLOCK:
            return None
        if word in _AUX:
            nxt = _bare(tokens[i + 1]) if i + 1 < len(tokens) else ""
            if i == 0 or not nxt or nxt in _AFTER_AUX_BLOCK:
                return None
            if word == "can":
                new = ["cannot"]
            elif word in ("has", "have", "had") and not (nxt in _PARTICIPLES or nxt.endswith("ed")):
                if word == "have":
                    return None  # "do not have" needs the subject's person and number
                new = ["does" if word == "has" else "did", "not", "have"]
            elif (
                word in ("is", "are", "was", "were")
                and _bare(tokens[i - 1]) == "there"
                and nxt.isalpha()
                and nxt not in _THERE_NOT
            ):
                # "There is a man" -> "There is no man", "There are people" -> "There are no people"
                return " ".join(tokens[: i + 1] + ["no"] + tokens[i + (2 if nxt in ("a", "an") else 1) :])
            else:
                new = [tok, "not"]
            return " ".join(tokens[:i] + new + tokens[i + 1 :])
        if word in PAST_TO_BASE:
            subject = [_bare(t) for t in tokens[:i]]
            rest = [_bare(t) for t in tokens[i + 1 :]]
            plain = (
                0 < i <= 4
                and subject[-1] not in _FUNCTION  # "the left side", "on the left": not a verb
                and all(w.isalpha() and not w.endswith(("ing", "ed")) and "," not in t for w, t in zip(subject, tokens))
            )
            if not plain or (rest and rest[0] == "by") or any(w in _AUX or w in PAST_TO_BASE for w in rest):
                return None
            base = PAST_TO_BASE[word]
            return " ".join(tokens[:i] + ["did", "not", base + tok[len(word) :]] + tokens[i + 1 :])
        if "," in tok:
            return None  # a comma before the verb: an apposition or a fronted clause
    return None


# --- embedding a sentence after "that" / "said" ----------------------------------------------------
_OPENERS = set(
    "but and so or yet still also however moreover meanwhile nevertheless nonetheless indeed thus therefore "
    "furthermore besides instead otherwise then now well oh yes anyway finally previously additionally".split()
)


def casing(sentences: Iterable[str]) -> collections.Counter[str]:
    """For each word, (times seen in lower case) - (times seen capitalised) inside a sentence: a
    sentence-initial word with a positive count is a common word, not a name."""
    counts: collections.Counter[str] = collections.Counter()
    for s in sentences:
        for w in s.split()[1:]:
            if w.isalpha():
                counts[w.lower()] += 1 if w.islower() else -1
    return counts


def embed(sentence: str, cases: collections.Counter[str]) -> str | None:
    """The sentence without its final stop, its first word lowered unless it is a name, ready to follow
    "reported that" / "said"; None when it opens with a connective or an adverbial and a comma."""
    core = sentence.strip().rstrip(".")
    first = core.split(" ", 1)[0]
    if first.endswith(",") or first.lower() in _OPENERS:
        return None
    if first in _LOWER_FIRST or (first.isalpha() and first[1:].islower() and cases[first.lower()] > 0):
        return core[0].lower() + core[1:]
    return core


# --- sources ---------------------------------------------------------------------------------------
# evaluation-role files only (shared/nli/README.md roles; all in data.EVAL_SETS or _EXTRA_HELD_OUT)
NEGATION_SOURCES = {
    "mnli_dev": [
        "taxinli/EVAL_OVERLAP_from_mnli_dev_DO_NOT_TRAIN.jsonl.gz",
        "mnli/dev_matched_sample1000.jsonl",
        "mnli/dev_mismatched_sample1000.jsonl",
    ],
    "snli_test": ["snli/test.jsonl.gz"],
    "sick_test": ["sick/test.jsonl"],
    "rte3_test": ["rte3_3way/test.jsonl"],
    "conjnli_dev": ["conjnli/conj_dev.jsonl"],
    "cad_snli_test": ["cad_snli/revised_combined_test.jsonl"],
}
# premises annotated with one hypothesis per label (MNLI dev; SNLI test's photo captions)
PARAPHRASE_SOURCES = {k: NEGATION_SOURCES[k] for k in ("mnli_dev", "snli_test")}


@functools.lru_cache(maxsize=2)
def training_keys(nli: Path) -> frozenset[str]:
    """Normalised premise+hypothesis of every pair in a training file (about 10 s)."""
    keys: set[str] = set()
    for rel, _ in dict.fromkeys(TRAIN_SETS + TRAIN_SETS_3):
        if (nli / rel).exists():
            keys.update(pair_key(r["premise"], r["hypothesis"]) for r in read_jsonl(nli / rel))
    return frozenset(keys)


def held_out_rows(nli: Path, rels: Iterable[str], origin: str = "", seen: set[str] | None = None) -> list[Pair]:
    """3-way rows of evaluation files, detokenised, minus any pair found in a training file or in ``seen``
    (updated: pass one set to several calls to de-duplicate across them)."""
    banned = training_keys(nli)
    seen = set() if seen is None else seen
    out = []
    for rel in rels:
        if not (nli / rel).exists():
            continue
        for r in read_jsonl(nli / rel):
            key = pair_key(r["premise"], r["hypothesis"])
            if r["label"] in LABELS and key not in banned and key not in seen:
                seen.add(key)
                out.append(Pair(detok(r["premise"]), detok(r["hypothesis"]), r["label"], origin or rel))
    return out


# --- 1. negation ------------------------------------------------------------------------------------
def negation_probe(rows: list[Pair], seed: int = PROBE_SEED, per_class: int = 400) -> list[Pair]:
    """Balanced E/N/C pairs where a negation sits in every hypothesis (see the module docstring).

    Balanced within each origin (MNLI dev, SNLI test, ...), so that no class can be told by its
    genre; the contradiction class is half rule-negated entailments, half gold contradictions.
    ``source`` is ``kind/origin``.  ``per_class`` caps each class (origins scaled alike).
    """
    rng = random.Random(seed)
    kinds: dict[tuple[str, str], list[Pair]] = collections.defaultdict(list)
    for p in rows:
        if len(p.premise.split()) > 80:
            continue
        if NEGATION.search(p.hypothesis):
            kind = "kept_" + p.label
            kinds[p.source, kind].append(Pair(p.premise, p.hypothesis, p.label, f"{kind}/{p.source}"))
        elif p.label == "entailment" and (negated := negate(p.hypothesis)):
            kinds[p.source, "negated_entailment"].append(
                Pair(p.premise, negated, "contradiction", f"negated_entailment/{p.source}")
            )
    origins = sorted({origin for origin, _ in kinds})
    sizes = {}
    for o in origins:
        contra = len(kinds[o, "kept_contradiction"]) + len(kinds[o, "negated_entailment"])
        sizes[o] = min(len(kinds[o, "kept_entailment"]), len(kinds[o, "kept_neutral"]), contra)
    scale = min(1.0, per_class / max(1, sum(sizes.values())))
    out = []
    for o in origins:
        n = int(sizes[o] * scale)
        n_rule = min(n - n // 2, len(kinds[o, "negated_entailment"]))
        n_rule = max(n_rule, n - len(kinds[o, "kept_contradiction"]))
        out += rng.sample(kinds[o, "kept_entailment"], n) + rng.sample(kinds[o, "kept_neutral"], n)
        out += rng.sample(kinds[o, "negated_entailment"], n_rule)
        out += rng.sample(kinds[o, "kept_contradiction"], n - n_rule)
    rng.shuffle(out)
    return out


def load_negation_probe(nli: Path, seed: int = PROBE_SEED, per_class: int = 400) -> list[Pair]:
    seen: set[str] = set()
    rows = [p for origin, rels in NEGATION_SOURCES.items() for p in held_out_rows(nli, rels, origin, seen)]
    return negation_probe(rows, seed, per_class)


# --- 2. reference denial ----------------------------------------------------------------------------
# first sentence: who reported S, and the nouns that can refer back to it (noun, plural?)
REPORTS = [
    ("{R} reported that {s}.", [("the report", False), ("the reports", True), ("the story", False)]),
    ("{R} claimed that {s}.", [("the claims", True), ("the claim", False)]),
    ("{R} alleged that {s}.", [("the allegations", True)]),
    ("{R} ran a story saying that {s}.", [("the story", False), ("the report", False)]),
    ("A rumour spread online that {s}.", [("the rumour", False)]),
    ("There has been speculation that {s}.", [("the speculation", False)]),
]
REPORTERS = [
    "A British tabloid",
    "A regional newspaper",
    "Several websites",
    "A television station",
    "An online news site",
    "A blogger",
    "A weekly magazine",
    "A radio station",
    "An opposition newspaper",
    "A celebrity gossip site",
]
ANSWERERS = [
    "The interior ministry",
    "A police spokesman",
    "The airline",
    "A spokeswoman for the mayor",
    "The royal palace",
    "The football club",
    "A State Department official",
    "Her publicist",
    "His agent",
    "The defence ministry",
    "A company spokesperson",
    "The hospital",
    "The army",
    "A representative for the singer",
    "The regional governor",
]
# second sentence; {ref} is the reference noun, {be} agrees with it
DENY = [
    "{X} said {ref} {be} false.",
    "{X} said {ref} {be} untrue.",
    "{X} said {ref} {be} baseless.",
    "{X} said there was no truth to {ref}.",
    "{X} rejected {ref}.",
    "{X} dismissed {ref} as rubbish.",
    "{X} denied {ref}.",
]
CONFIRM = [
    "{X} confirmed {ref}.",
    "{X} said {ref} {be} accurate.",
    "{X} said {ref} {be} correct.",
    "{X} said {ref} {be} true.",
    "{X} backed up {ref}.",
]
NONCOMMITTAL = [
    "{X} declined to address {ref}.",
    "{X} could not confirm {ref}.",
    "{X} would not discuss {ref}.",
    "{X} said officials were looking into {ref}.",
    "{X} had no immediate comment on {ref}.",
]
ANSWERS = {"contradiction": DENY, "entailment": CONFIRM, "neutral": NONCOMMITTAL}
_REFERS = re.compile(r"\b(?:report|claim|allegation|stor(?:y|ies)|rumou?r|speculation|news)s?\b", re.IGNORECASE)
_PERSONAL = re.compile(r"\b(?:I|[Mm]e|[Mm]y|[Mm]ine|[Ww]e|[Uu]s|[Oo]urs?|[Yy]ou|[Yy]ours?)\b")
_ATTRIBUTION = re.compile(r"\b(?:said|says|say|told|tells|according|quoted|added|explained)\b", re.IGNORECASE)
_DENIAL_WORDS = re.compile(
    r"\b(?:false|untrue|den(?:y|ies|ied)|reject\w*|dismiss\w*|refut\w*|debunk\w*|hoax|confirm\w*|rubbish)\b",
    re.IGNORECASE,
)


def refdenial_claims(sentences: list[str]) -> list[tuple[str, str]]:
    """(claim, claim as embedded after "that") for sentences a frame can embed cleanly: a plain
    third-person statement with no negation, denial, confirmation, report noun or attribution."""
    cases = casing(sentences)
    out = []
    for s in sorted(sentences):
        if (
            8 <= len(s.split()) <= 30
            and not NEGATION.search(s)
            and not _DENIAL_WORDS.search(s)
            and not _REFERS.search(s)
            and not _ATTRIBUTION.search(s)
            and not _PERSONAL.search(s)
            and not re.match(r"(?:It|This|That|These|Those|He|She|They|His|Her|Their|Its)\b", s)
            and (inner := embed(s, cases))
        ):
            out.append((s, inner))
    return out


def refdenial_probe(sentences: list[str], n_claims: int = 200, seed: int = PROBE_SEED) -> list[Pair]:
    """Three pairs per claim S, one per label, all with the same first sentence."""
    rng = random.Random(seed)
    claims = refdenial_claims(sentences)
    out = []
    for s, inner in rng.sample(claims, min(n_claims, len(claims))):
        template, refs = rng.choice(REPORTS)
        ref, plural = rng.choice(refs)
        first = template.format(R=rng.choice(REPORTERS), s=inner)
        answerer = rng.choice(ANSWERERS)
        for label in LABELS:
            answer = rng.choice(ANSWERS[label]).format(X=answerer, ref=ref, be="were" if plural else "was")
            out.append(Pair(f"{first} {answer}", s, label, f"refdenial/{label}"))
    rng.shuffle(out)
    return out


def load_refdenial_probe(nli: Path, eval_dir: Path | None = None, n_claims: int = 200, seed: int = PROBE_SEED):
    eval_dir = eval_dir or nli.parent / "eval"
    return refdenial_probe(news_sentences(nli, "train", dev_body_ids(eval_dir)), n_claims, seed)


# --- 3. paraphrase corroboration ----------------------------------------------------------------------
SOURCES = [
    "A witness",
    "A local official",
    "The Associated Press",
    "A second newspaper",
    "A government spokesman",
    "A person familiar with the matter",
    "An industry analyst",
    "A regional broadcaster",
]
MAX_SHARED = 0.5
CAPTION_ORIGINS = {"snli_test"}  # photo captions, often verbless: "Man walking a small pug."
_FINITE = re.compile(r"\b(?:is|are|was|were|has|have|had|will|can)\b")


def _clean_claim(text: str) -> bool:
    return (
        5 <= len(text.split()) <= 40
        and text[0].isupper()
        and not _PERSONAL.search(text)
        and not any(c in text for c in '?!"“”;:()')
    )


def shared_fraction(premise: str, hypothesis: str) -> float:
    """Share of the hypothesis's content words that the premise also has."""
    hyp = content_words(hypothesis)
    return len(hyp & content_words(premise)) / max(1, len(hyp))


def paraphrase_probe(rows: list[Pair], seed: int = PROBE_SEED, n_premises: int = 300) -> list[Pair]:
    """Premises with an entailed, a neutral and a contradicted hypothesis, the entailed one a paraphrase
    (under :data:`MAX_SHARED` of its content words in the premise).  ``source`` is ``paraphrase/origin``."""
    rng = random.Random(seed)
    cases = casing(p.premise for p in rows) + casing(p.hypothesis for p in rows)
    groups: dict[tuple[str, str], dict[str, list[Pair]]] = collections.defaultdict(
        lambda: collections.defaultdict(list)
    )
    for p in rows:
        groups[p.source, p.premise][p.label].append(p)
    usable = []
    for origin, premise in sorted(groups):
        g = groups[origin, premise]
        inner = embed(premise, cases)
        if not (inner and _clean_claim(premise) and premise.endswith(".") and ". " not in premise):
            continue
        if origin in CAPTION_ORIGINS and not _FINITE.search(premise):
            continue  # a caption fragment ("Man walking a small pug."): "X said man walking ..." is not a report
        ent = [
            p
            for p in g["entailment"]
            if _clean_claim(p.hypothesis)
            and len(content_words(p.hypothesis)) >= 2
            and shared_fraction(premise, p.hypothesis) < MAX_SHARED
        ]
        neu = [p for p in g["neutral"] if _clean_claim(p.hypothesis)]
        con = [p for p in g["contradiction"] if _clean_claim(p.hypothesis)]
        if ent and neu and con:
            usable.append((origin, inner, ent[0], neu[0], con[0]))
    by_origin: dict[str, list] = collections.defaultdict(list)
    for origin, *rest in usable:
        by_origin[origin].append(rest)
    out = []
    for origin in sorted(by_origin):  # the same number of premises from each origin where possible
        quota = n_premises // len(by_origin)
        for inner, *hyps in rng.sample(by_origin[origin], min(quota, len(by_origin[origin]))):
            framed = f"{rng.choice(SOURCES)} said {inner}."
            out += [Pair(framed, h.hypothesis, h.label, f"paraphrase/{h.source}") for h in hyps]
    rng.shuffle(out)
    return out


def load_paraphrase_probe(nli: Path, seed: int = PROBE_SEED, n_premises: int = 300) -> list[Pair]:
    seen: set[str] = set()
    rows = [p for origin, rels in PARAPHRASE_SOURCES.items() for p in held_out_rows(nli, rels, origin, seen)]
    return paraphrase_probe(rows, seed, n_premises)


def build_probes(nli: Path, eval_dir: Path | None = None, seed: int = PROBE_SEED) -> dict[str, list[Pair]]:
    """The three probes by row name, as :mod:`training.evaluate` reports them."""
    return {
        "probe_negation": load_negation_probe(nli, seed),
        "probe_refdenial": load_refdenial_probe(nli, eval_dir, seed=seed),
        "probe_paraphrase": load_paraphrase_probe(nli, seed),
    }


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--nli", type=Path, default=Path("../shared/nli"))
    ap.add_argument("--eval-dir", type=Path, default=Path("../shared/eval"))
    ap.add_argument("--seed", type=int, default=PROBE_SEED)
    ap.add_argument("--show", type=int, default=0, help="print N random pairs of each probe")
    args = ap.parse_args(argv)
    rng = random.Random(0)
    for name, pairs in build_probes(args.nli, args.eval_dir, args.seed).items():
        kinds = collections.Counter(p.source.split("/")[0] + ":" + p.label for p in pairs)
        print(f"{name}: {len(pairs)} pairs", dict(collections.Counter(p.label for p in pairs)), dict(kinds))
        for p in rng.sample(pairs, min(args.show, len(pairs))):
            print(f"  [{p.label}] P: {p.premise}\n      H: {p.hypothesis}")


if __name__ == "__main__":
    main()
