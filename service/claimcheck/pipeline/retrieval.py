"""Evidence retrieval: for each claim, the few sentences worth running NLI on.

NLI over every claim × sentence pair grows quadratically with the article; most pairs are about
different things.  Every sentence is embedded twice — its proposition (reported speech unwrapped,
with the previous sentence when it refers back: "this news") and its full text (which keeps
context such as "between the two leaders") — and the similarity of two sentences is the better of
the two cosines.  Candidates are ranked by that similarity plus the overlap of names and numbers
(what news claims hinge on); a sentence from the claim's own source cannot corroborate or refute
it and is not offered; only the top k above a floor are scored.

Contradictions between sources are mostly one saying yes and another no on the same thing, often
in words an embedder finds only loosely related ("no substantive talks on a meeting" vs "advanced
arrangements for a meeting").  So each claim also gets its nearest few claims **by another source
with the opposite polarity** (a negation, or a denial frame) as contradiction candidates.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

import numpy as np

from claimcheck.pipeline.sources import same_source
from claimcheck.pipeline.text import NEGATION_OR_WITHOUT, is_question
from claimcheck.pipeline.types import Attributed, Candidate, Claim

OVERLAP_WEIGHT = 0.15  # names and numbers in common add up to this much to the cosine
DISTANCE_PENALTY = 0.01  # per sentence between a hedge and a claim
MAX_DISTANCE_PENALTY = 0.15
HEDGE_MARGIN = 0.05  # a hedge is about every claim this close to its best match
HEDGE_WINDOW = 3  # a hedge that refers back ("this news") is about the claims this many sentences before it
MIN_SHARED_WORDS = 2  # content words two propositions must share to be about the same thing, without a shared name
_KEY_TOKEN = re.compile(r"\b(?:[A-Z][\w’'-]+|\d[\d,.]*)\b")
_WORD = re.compile(r"[a-z][a-z’'-]{2,}")
_STOP = frozenset(
    "the and for with from that this was were are been has have had his her their its they them will would could "
    "should said says not but also about after before into over than then there which who whom what when where "
    "while more most some any all one two new other such only just very can may might must our out year years "
    "last first".split()
)


def key_tokens(text: str) -> set[str]:
    """Names and numbers, minus the sentence-initial capital."""
    tokens = _KEY_TOKEN.findall(text)
    if tokens and text.startswith(tokens[0]) and not tokens[0][0].isdigit():
        tokens = tokens[1:]
    return {t.lower().rstrip(".,") for t in tokens}


def content_words(text: str) -> set[str]:
    return {w.rstrip("’'") for w in _WORD.findall(text.lower()) if w not in _STOP}


def overlap(a: set[str], b: set[str]) -> float:
    return len(a & b) / len(a | b) if a and b else 0.0


def is_negative(item: Attributed) -> bool:
    return item.frame == "denies" or bool(NEGATION_OR_WITHOUT.search(item.premise))


def about_the_same_thing(a: Attributed, b: Attributed, similarity: float = 0.0, close: float = 1.0) -> bool:
    """Two propositions share a name or number, or ``MIN_SHARED_WORDS`` content words, or one content
    word while the two sentences are ``close`` in meaning ("no talks on a meeting" / "arrangements for
    a meeting")."""
    if key_tokens(a.premise) & key_tokens(b.premise):
        return True
    shared = len(content_words(a.premise) & content_words(b.premise))
    return shared >= MIN_SHARED_WORDS or (shared >= 1 and similarity >= close)


def evidence_text(sentences: list[Attributed], index: int) -> str:
    """What the NLI model reads as premise for sentence ``index`` (with context when it refers back)."""
    item = sentences[index]
    if item.refers_back and index > 0 and not sentences[index - 1].headline:
        return f"{sentences[index - 1].premise} {item.premise}"
    return item.premise


def texts_to_embed(sentences: list[Attributed]) -> list[str]:
    """Evidence texts then full sentence texts: the rows :func:`similarity` expects."""
    return [evidence_text(sentences, i) for i in range(len(sentences))] + [s.sentence.text for s in sentences]


def similarity(vectors: np.ndarray) -> np.ndarray:
    """Sentence × sentence similarity from the unit vectors of :func:`texts_to_embed`."""
    n = len(vectors) // 2
    content, full = vectors[:n], vectors[n:]
    return np.maximum(content @ content.T, full @ full.T)


@dataclass(frozen=True)
class Limits:
    """How many candidates per claim, and the similarity floors (from ``Settings``)."""

    top_k: int
    min_similarity: float
    hedge_similarity: float
    contradiction_candidates: int
    contradiction_similarity: float


def _usable(item: Attributed) -> bool:
    """Evidence at all: a proposition (a tweet's signature line has none), not the headline, a hedge or a question."""
    return bool(item.premise) and not (item.headline or item.non_committal or is_question(item.sentence.text))


def evidence_readings(claim: Attributed, item: Attributed) -> list[Attributed]:
    """The readings of ``item`` (its own, and the clauses its frame leaves out) that can be evidence for
    ``claim``: usable, and from another source."""
    return [x for x in (item, *item.readings) if _usable(x) and not same_source(claim, x)]


def rank_candidates(
    claims: list[Claim], sentences: list[Attributed], sim: np.ndarray, texts: list[str], limits: Limits
) -> list[Candidate]:
    """Top-k evidence sentences per claim from other sources (never the claim itself, a question, a hedge or the
    headline); each offers every reading of it by another source (its own, and the clauses its frame leaves out)."""
    keys = [key_tokens(t) for t in texts]
    claim_at = {c.sentence.index for c in claims}
    out: list[Candidate] = []
    for claim in claims:
        i = claim.sentence.index
        scored = []
        for j, item in enumerate(sentences):
            if j == i or sim[i, j] < limits.min_similarity:
                continue
            usable = evidence_readings(claim.source, item)
            if usable:
                scored.append((float(sim[i, j]) + OVERLAP_WEIGHT * overlap(keys[i], keys[j]), j, usable))
        scored.sort(key=lambda x: (x[0], x[1]), reverse=True)
        out += [
            Candidate(claim, x, score, j in claim_at and x is sentences[j])  # a further reading is no claim
            for score, j, usable in scored[: limits.top_k]
            for x in usable
        ]
    return out


def contradiction_candidates(claims: list[Claim], sim: np.ndarray, limits: Limits) -> list[Candidate]:
    """For each claim, the nearest claims by another source with the opposite polarity."""
    negative = {c.id: is_negative(c.source) for c in claims}
    out: list[Candidate] = []
    for a in claims:
        i = a.sentence.index
        others = sorted(
            (
                (float(sim[i, b.sentence.index]), b)
                for b in claims
                if b.id != a.id
                and negative[b.id] != negative[a.id]
                and _usable(b.source)
                and not same_source(a.source, b.source)
                and sim[i, b.sentence.index] >= limits.contradiction_similarity
            ),
            key=lambda x: -x[0],
        )
        out += [Candidate(a, b.source, s, True) for s, b in others[: limits.contradiction_candidates]]
    return out


def attach_hedges(
    claims: list[Claim], sentences: list[Attributed], sim: np.ndarray, texts: list[str], limits: Limits
) -> list[Candidate]:
    """Non-committal sentences that are about a claim.

    A hedge that refers back ("can neither deny nor confirm this news") is about the lede (the
    story's news) and the claims within ``HEDGE_WINDOW`` sentences before it.  Any other hedge is
    about the claim it is most similar to (names and numbers count, as in ranking; nearness in the
    text breaks near-ties) — and about others only as close as that one, within ``HEDGE_MARGIN`` —
    provided the similarity reaches ``hedge_similarity``: "it was unclear when the leaders spoke"
    doubts one thing, not the article.
    """
    hedges = [j for j, s in enumerate(sentences) if s.non_committal]
    body = [c for c in claims if not c.source.headline]
    if not hedges or not body:
        return []
    keys = [key_tokens(t) for t in texts]
    lede = body[0].sentence.index
    out = []
    for j in hedges:
        if sentences[j].refers_back:
            chosen = [
                (c, float(sim[c.sentence.index, j]))
                for c in body
                if c.sentence.index == lede or 0 < j - c.sentence.index <= HEDGE_WINDOW
            ]
        else:
            scored = [
                (c, float(sim[c.sentence.index, j]) + OVERLAP_WEIGHT * overlap(keys[c.sentence.index], keys[j]))
                for c in claims
            ]
            # nearness breaks ties: a hedge usually qualifies what was just reported
            near = {
                c.id: score - min(DISTANCE_PENALTY * abs(j - c.sentence.index), MAX_DISTANCE_PENALTY)
                for c, score in scored
            }
            best = max(near.values())
            chosen = [
                (c, score)
                for c, score in scored
                if score >= limits.hedge_similarity and near[c.id] >= best - HEDGE_MARGIN
            ]
        out += [Candidate(c, sentences[j], score) for c, score in chosen if c.sentence.index != j]
    return out


def _window(cand: Candidate, sentences: list[Attributed]) -> tuple[Attributed, ...]:
    """The evidence and its neighbours (one either side) that the same source asserts outright: no
    headline, question, hedge, denial or bare reference, and never the claim's own sentence."""
    ev, j = cand.evidence, cand.evidence.sentence.index

    def joins(k: int) -> bool:
        item = sentences[k] if 0 <= k < len(sentences) else None
        return (
            item is not None
            and k != cand.claim.sentence.index
            and _usable(item)
            and item.frame != "denies"
            and not item.target_is_reference
            and same_source(ev, item)
        )

    return tuple(sentences[k] for k in (j - 1, j, j + 1) if k == j or joins(k))


def with_windows(candidates: list[Candidate], sentences: list[Attributed], per_claim: int) -> list[Candidate]:
    """Up to ``per_claim`` candidates of a headline, the best ranked of those that can have one (an
    asserting evidence sentence with an asserting neighbour by its source; neither side a denial, a
    hedge or a reference), also carry a window of their source's adjacent sentences.

    A headline sums up what the body says over several sentences; a claim in the body is matched by
    one sentence elsewhere, and windows for body claims added more wrong confirmations than right ones
    on the dev articles (docs/quality.md).  Read for support only (rule 2 of verdict.py): a longer
    premise adds content, and with it contradictions the single sentence would not make."""
    used: dict[str, int] = {}
    out = []
    for cand in candidates:
        ev, claim = cand.evidence, cand.claim.source
        if (
            claim.headline
            and ev is sentences[ev.sentence.index]  # the sentence's own reading: a further one is a clause of it
            and used.get(cand.claim.id, 0) < per_claim
            and not cand.resolved
            and not (ev.denies or claim.frame == "denies")
            and cand.reads_propositions
        ):
            window = _window(cand, sentences)
            if len(window) > 1:
                used[cand.claim.id] = used.get(cand.claim.id, 0) + 1
                cand = replace(cand, window=window)
        out.append(cand)
    return out
