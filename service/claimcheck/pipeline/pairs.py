"""Pairs: which NLI pairs a claim's verdict reads, and which claim pairs are shown as contradicting.

NLI pairs (premise, hypothesis), planned per candidate so the model runs only what
:func:`~claimcheck.pipeline.verdict.relation` reads:

* (evidence → claim) always; (claim → evidence) too where a denial is involved (a denial and its
  target are the same proposition either way); otherwise (evidence → claim core) for the first
  ``core_candidates`` candidates of a claim (a second source rarely repeats every detail);
* never for a hedge or a reference ("denied the reports"): neither is a proposition;
* the other direction of a claim-vs-claim pair only where the first reached half the pair threshold
  (an unrelated pair costs one NLI pair, a possible contradiction two).

Contradiction pairs, what the reader sees: two claims of different sources where one refutes the
other by the frames (≥ the pair threshold), neither supports the other, and the two are about the
same thing; a denial that is itself a claim and the claim its target resolves to; never a pair
against a source that declined to confirm or deny that claim.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence

from claimcheck.pipeline.sources import same_source
from claimcheck.pipeline.types import Attributed, Candidate, Claim, Contradiction
from claimcheck.pipeline.verdict import Reading, ScoreTable, relation

Pair = tuple[str, str]  # (premise, hypothesis) for the NLI model
REVERSE_FLOOR = 0.5  # share of the pair threshold a first reading needs before its other direction is read
Found = list[tuple[Contradiction, Reading]]


def needed_pairs(cand: Candidate, core_allowed: bool) -> list[Pair]:
    """The NLI pairs :func:`~claimcheck.pipeline.verdict.relation` reads for one candidate."""
    claim, ev = cand.claim.source, cand.evidence
    if not cand.reads_propositions:
        return []
    pairs = [(ev.premise, claim.premise)]
    if ev.denies or claim.frame == "denies":
        pairs.append((claim.premise, ev.premise))  # a denial and its target: the same proposition either way
    elif core_allowed and claim.core:
        pairs.append((ev.premise, claim.core))
    if cand.window:
        pairs.append((cand.window_premise, claim.premise))
    return pairs


def plan(candidates: Sequence[Candidate], core_candidates: int) -> list[tuple[Candidate, list[Pair]]]:
    """Every candidate with the pairs it needs; a claim's core is read for its first ``core_candidates``."""
    core_used: dict[str, int] = {}
    out = []
    for cand in candidates:
        needed = needed_pairs(cand, core_used.get(cand.claim.id, 0) < core_candidates)
        if len(needed) > 1 and needed[1][1] == cand.claim.source.core:
            core_used[cand.claim.id] = core_used.get(cand.claim.id, 0) + 1
        out.append((cand, needed))
    return out


def reverse_pairs(
    candidates: Sequence[Candidate], scores: Mapping[Pair, Mapping[str, float]], floor: float
) -> list[Pair]:
    """The other direction of claim-vs-claim pairs whose first reading reaches ``floor`` contradiction."""
    out = []
    for cand in candidates:
        if not cand.is_claim:
            continue
        fwd = scores.get((cand.evidence.premise, cand.claim.source.premise))
        reverse = (cand.claim.source.premise, cand.evidence.premise)
        if fwd is not None and fwd.get("contradiction", 0.0) >= floor and reverse not in scores:
            out.append(reverse)
    return list(dict.fromkeys(out))


def find_contradictions(
    claims: Sequence[Claim], scores: ScoreTable, threshold: float, aligned: Callable[[Claim, Claim], bool]
) -> Found:
    """Claim pairs from different sources where one refutes the other and neither supports it."""
    out: Found = []
    for i, a in enumerate(claims):
        for b in claims[i + 1 :]:
            if same_source(a.source, b.source) or any(c.source.headline or c.source.discredited for c in (a, b)):
                continue  # a discredited report's denial is the narrator's, shown on the claim itself
            readings = [relation(a.source, b.source, scores), relation(b.source, a.source, scores)]
            scored = [r for r in readings if r.relation is not None]
            if not scored or any(r.relation == "supports" and r.score >= threshold for r in scored):
                continue
            best = max((r for r in scored if r.relation == "refutes"), key=lambda r: r.score, default=None)
            if best is not None and best.score >= threshold and aligned(a, b):
                out.append((Contradiction((a.id, b.id), round(best.score, 4)), best))
    return out


def reference_pairs(claims: Sequence[Claim], candidates: Sequence[Candidate], found: Found, threshold: float) -> Found:
    """A denial that is itself a claim ("a Korean embassy official denied the story") and the claim its
    target resolves to (references.py) contradict each other: the pair the reader sees."""
    order = {c.id: n for n, c in enumerate(claims)}
    at = {c.sentence.index: c for c in claims}
    seen = {frozenset(p.claim_ids) for p, _ in found}
    out = []
    for cand in candidates:
        denier = at.get(cand.evidence.sentence.index)
        if not (cand.resolved and cand.evidence.frame == "denies" and denier) or cand.similarity < threshold:
            continue
        if cand.claim.source.headline or denier.source.headline or frozenset((cand.claim.id, denier.id)) in seen:
            continue
        ids = sorted((cand.claim.id, denier.id), key=order.__getitem__)
        seen.add(frozenset(ids))
        out.append(
            (Contradiction((ids[0], ids[1]), round(cand.similarity, 4)), Reading("refutes", cand.similarity, {}))
        )
    return out


def without_hedged(found: Found, claims: Sequence[Claim], candidates: Sequence[Candidate]) -> Found:
    """Drop pairs where one side's source declined to confirm or deny the other side's claim."""
    by_id = {c.id: c for c in claims}
    hedgers: dict[str, list[Attributed]] = {c.id: [] for c in claims}
    for cand in candidates:
        if cand.evidence.non_committal:
            hedgers[cand.claim.id].append(cand.evidence)
    return [
        (pair, reading)
        for pair, reading in found
        if not any(
            same_source(by_id[x].source, h) for x, y in (pair.claim_ids, pair.claim_ids[::-1]) for h in hedgers[y]
        )
    ]
