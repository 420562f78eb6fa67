"""Evidence retrieval: for each claim, the few sentences worth running NLI on.

NLI over every claim × sentence pair grows quadratically with the article; most pairs are about
different things.  Every sentence is embedded twice — its content (reported speech unwrapped, with
the previous sentence when it refers back: "this news") and its full text (which keeps context
such as "between the two leaders") — and the similarity of two sentences is the better of the two
cosines.  Candidates are then ranked by that similarity plus the overlap of names and numbers
(what news claims hinge on), a sentence by the claim's own speaker ranks lower (it cannot
corroborate), and only the top k above a floor are scored.

Contradictions between sources are mostly one saying yes and another no on the same topic, often
in words an embedder finds only loosely related ("no substantive talks on a meeting" vs "advanced
arrangements for a meeting").  So each claim also gets its nearest few claims **by another speaker
with the opposite polarity** as contradiction candidates.
"""

from __future__ import annotations

import re

import numpy as np

from claimcheck.pipeline.types import Attributed, Candidate, Claim, same_speaker

OVERLAP_WEIGHT = 0.15
SAME_SPEAKER_PENALTY = 0.1
DISTANCE_PENALTY = 0.01  # per sentence between a hedge and a claim
_KEY_TOKEN = re.compile(r"\b(?:[A-Z][\w’'-]+|\d[\d,.]*)\b")
_NEGATION = re.compile(r"\b(?:no|not|never|none|nobody|nothing|neither|nor|without|denied|denies|deny|\w+n['’]t)\b",
                       re.IGNORECASE)


def key_tokens(text: str) -> set[str]:
    """Names and numbers, minus the sentence-initial capital."""
    tokens = _KEY_TOKEN.findall(text)
    if tokens and text.startswith(tokens[0]) and not tokens[0][0].isdigit():
        tokens = tokens[1:]
    return {t.lower().rstrip(".,") for t in tokens}


def overlap(a: set[str], b: set[str]) -> float:
    return len(a & b) / len(a | b) if a and b else 0.0


def is_negative(text: str) -> bool:
    return bool(_NEGATION.search(text))


def evidence_text(sentences: list[Attributed], index: int) -> str:
    """What the NLI model reads as premise for sentence ``index`` (with context when it refers back)."""
    item = sentences[index]
    if item.refers_back and index > 0:
        return f"{sentences[index - 1].content} {item.content}"
    return item.content


def evidence_texts(sentences: list[Attributed]) -> list[str]:
    return [evidence_text(sentences, i) for i in range(len(sentences))]


def texts_to_embed(sentences: list[Attributed]) -> list[str]:
    """Evidence texts then full sentence texts: the rows :func:`similarity` expects."""
    return evidence_texts(sentences) + [s.sentence.text for s in sentences]


def similarity(vectors: np.ndarray) -> np.ndarray:
    """Sentence × sentence similarity from the unit vectors of :func:`texts_to_embed`."""
    n = len(vectors) // 2
    content, full = vectors[:n], vectors[n:]
    return np.maximum(content @ content.T, full @ full.T)


def rank_candidates(claims: list[Claim], sentences: list[Attributed], sim: np.ndarray, top_k: int,
                    min_similarity: float) -> list[Candidate]:
    """Top-k evidence per claim (never the claim itself, a question, or a non-committal sentence)."""
    texts = evidence_texts(sentences)
    keys = [key_tokens(t) for t in texts]
    out: list[Candidate] = []
    for claim in claims:
        i = claim.sentence.index
        scored = []
        for j, item in enumerate(sentences):
            if j == i or item.non_committal or item.sentence.text.rstrip(" ”\"’").endswith("?"):
                continue
            if sim[i, j] < min_similarity:
                continue
            score = float(sim[i, j]) + OVERLAP_WEIGHT * overlap(keys[i], keys[j])
            if same_speaker(claim.speaker, item.speaker):
                score -= SAME_SPEAKER_PENALTY
            scored.append((score, j))
        scored.sort(reverse=True)
        out += [Candidate(claim.id, sentences[j], texts[j], score) for score, j in scored[:top_k]]
    return out


def contradiction_candidates(claims: list[Claim], sentences: list[Attributed], sim: np.ndarray, per_claim: int,
                             min_similarity: float) -> list[Candidate]:
    """For each claim, the nearest ``per_claim`` claims by another speaker with the opposite polarity."""
    texts = evidence_texts(sentences)
    negative = {c.id: is_negative(c.content) for c in claims}
    out: list[Candidate] = []
    for a in claims:
        i = a.sentence.index
        others = sorted(((float(sim[i, b.sentence.index]), b) for b in claims
                         if b.id != a.id and negative[b.id] != negative[a.id] and not same_speaker(a.speaker, b.speaker)
                         and sim[i, b.sentence.index] >= min_similarity), key=lambda x: -x[0])
        out += [Candidate(a.id, b.source, texts[b.sentence.index], s) for s, b in others[:per_claim]]
    return out


def attach_hedges(claims: list[Claim], sentences: list[Attributed], sim: np.ndarray, min_similarity: float,
                  window: int = 3, margin: float = 0.05) -> list[Candidate]:
    """Non-committal sentences that are about a claim.

    A hedge that refers back ("can neither deny nor confirm this news") is about the lede (the
    story's news) and the claims within ``window`` sentences before it.  Any other hedge is about
    the claim it is most similar to (names and numbers count, as in ranking; nearness in the text
    breaks near-ties) — and about others only as close as that one, within ``margin`` — provided
    the similarity reaches ``min_similarity``: "it was unclear when the leaders spoke" doubts one
    thing, not the article.
    """
    hedges = [j for j, s in enumerate(sentences) if s.non_committal]
    if not hedges or not claims:
        return []
    texts = evidence_texts(sentences)
    keys = [key_tokens(t) for t in texts]
    lede = claims[0].sentence.index
    out = []
    for j in hedges:
        if sentences[j].refers_back:
            chosen = [(c, float(sim[c.sentence.index, j])) for c in claims
                      if c.sentence.index == lede or 0 < j - c.sentence.index <= window]
        else:
            scored = [(c, float(sim[c.sentence.index, j]) + OVERLAP_WEIGHT * overlap(keys[c.sentence.index], keys[j]))
                      for c in claims]
            # nearness breaks ties: a hedge usually qualifies what was just reported
            near = {c.id: score - min(DISTANCE_PENALTY * abs(j - c.sentence.index), 0.15) for c, score in scored}
            best = max(near.values())
            chosen = [(c, score) for c, score in scored if score >= min_similarity and near[c.id] >= best - margin]
        out += [Candidate(c.id, sentences[j], texts[j], score) for c, score in chosen if c.sentence.index != j]
    return out


def all_candidates(claims: list[Claim], sentences: list[Attributed]) -> list[Candidate]:
    """The naive design (every claim × every other sentence), kept for the benchmark."""
    texts = evidence_texts(sentences)
    return [Candidate(c.id, s, texts[j], 0.0) for c in claims for j, s in enumerate(sentences)
            if j != c.sentence.index and not s.non_committal]
