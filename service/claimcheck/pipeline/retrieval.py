"""Evidence retrieval: for each claim, the few sentences worth running NLI on.

NLI over every claim × sentence pair grows quadratically with the article; most pairs are about
different things.  Candidates are ranked by embedding cosine similarity plus the overlap of names
and numbers (what news claims hinge on), and only the top k above a floor are scored.  A sentence
that refers back ("this news") is read with the sentence before it.
"""

from __future__ import annotations

import re

import numpy as np

from claimcheck.pipeline.types import Attributed, Candidate, Claim

OVERLAP_WEIGHT = 0.15
_KEY_TOKEN = re.compile(r"\b(?:[A-Z][\w’'-]+|\d[\d,.]*)\b")


def key_tokens(text: str) -> set[str]:
    """Names and numbers, minus the sentence-initial capital."""
    tokens = _KEY_TOKEN.findall(text)
    if tokens and text.startswith(tokens[0]) and not tokens[0][0].isdigit():
        tokens = tokens[1:]
    return {t.lower().rstrip(".,") for t in tokens}


def overlap(a: set[str], b: set[str]) -> float:
    return len(a & b) / len(a | b) if a and b else 0.0


def evidence_text(sentences: list[Attributed], index: int) -> str:
    """What the NLI model reads as premise for sentence ``index`` (with context when it refers back)."""
    item = sentences[index]
    if item.refers_back and index > 0:
        return f"{sentences[index - 1].content} {item.content}"
    return item.content


def evidence_texts(sentences: list[Attributed]) -> list[str]:
    return [evidence_text(sentences, i) for i in range(len(sentences))]


def rank_candidates(claims: list[Claim], sentences: list[Attributed], claim_vecs: np.ndarray,
                    evidence_vecs: np.ndarray, top_k: int, min_similarity: float) -> list[Candidate]:
    """Top-k evidence per claim. ``claim_vecs[i]`` embeds ``claims[i].content``; ``evidence_vecs[j]``
    embeds ``evidence_text(sentences, j)``; both unit-length."""
    if not claims or not sentences:
        return []
    texts = evidence_texts(sentences)
    keys = [key_tokens(t) for t in texts]
    sims = claim_vecs @ evidence_vecs.T
    out: list[Candidate] = []
    for ci, claim in enumerate(claims):
        claim_keys = key_tokens(claim.content)
        scored = []
        for j, item in enumerate(sentences):
            if j == claim.sentence.index or item.non_committal or item.sentence.text.rstrip(" ”\"’").endswith("?"):
                continue
            sim = float(sims[ci, j])
            if sim < min_similarity:
                continue
            scored.append((sim + OVERLAP_WEIGHT * overlap(claim_keys, keys[j]), j))
        scored.sort(reverse=True)
        out += [Candidate(claim.id, sentences[j], texts[j], score) for score, j in scored[:top_k]]
    return out


def attach_hedges(claims: list[Claim], sentences: list[Attributed], claim_vecs: np.ndarray,
                  evidence_vecs: np.ndarray, min_similarity: float, window: int = 3) -> list[Candidate]:
    """Non-committal sentences that are about a claim.

    A hedge is about a claim when it is similar enough (names and numbers count, as in ranking), or
    when it refers back ("can neither deny nor confirm this news") and the claim is the lede (the
    story's news) or stands within ``window`` sentences before it.
    """
    hedges = [j for j, s in enumerate(sentences) if s.non_committal]
    if not hedges or not claims:
        return []
    texts = evidence_texts(sentences)
    sims = claim_vecs @ evidence_vecs.T
    lede = claims[0].sentence.index
    out = []
    for ci, claim in enumerate(claims):
        claim_keys = key_tokens(claim.content)
        for j in hedges:
            score = float(sims[ci, j]) + OVERLAP_WEIGHT * overlap(claim_keys, key_tokens(texts[j]))
            about = score >= min_similarity
            if sentences[j].refers_back and (claim.sentence.index == lede or 0 < j - claim.sentence.index <= window):
                about = True
            if about and j != claim.sentence.index:
                out.append(Candidate(claim.id, sentences[j], texts[j], score))
    return out


def all_candidates(claims: list[Claim], sentences: list[Attributed]) -> list[Candidate]:
    """The naive design (every claim × every other sentence), kept for the benchmark."""
    texts = evidence_texts(sentences)
    return [Candidate(c.id, s, texts[j], 0.0) for c in claims for j, s in enumerate(sentences)
            if j != c.sentence.index and not s.non_committal]
