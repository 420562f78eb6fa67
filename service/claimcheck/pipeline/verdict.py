"""Verdicts: turn NLI scores over a claim's evidence into confirmed / denied / unverified.

Rules, in order (a newsroom's, not a benchmark's):

1. a sentence never confirms or denies itself (retrieval never offers it);
2. non-committal evidence is never support or refutation; it is shown as ``non_committal`` and
   makes the claim *unverified*: when the article itself says a claim can be neither confirmed
   nor denied, claimcheck does not overrule it;
3. otherwise *denied* when some evidence contradicts the claim with P(contradiction) ≥ threshold;
4. otherwise *confirmed* when evidence **from another speaker** entails the claim with
   P(entailment) ≥ threshold (the same speaker repeating a claim is not corroboration; the narrator
   counts as one speaker);
5. otherwise *unverified*.

Contradictions between claims are checked in both directions and reported once per pair; a pair
refutes both of its claims (contradiction is symmetric even when the model's scores are not).
Because it is symmetric, a pair counts when contradiction is the most likely label in every
direction the model scored, or, seen in one direction only, when the two claims are about the same
thing (similarity at the evidence floor).  A small NLI model calls almost any hypothesis with
"no"/"not" in it a contradiction of whatever premise it gets ("Trump wants Ukraine's rare earths" →
"there had been no talks on a meeting": 0.98) while the other direction says neutral; on the same
topic a one-sided reading is real ("300 workers will lose their jobs" → "no worker will lose their
job": 0.77, the reverse neutral).  Evidence that is itself a claim refutes only through a pair.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable, Container, Sequence

from claimcheck.pipeline.types import Attributed, Candidate, Claim, Contradiction, Evidence, Verdict, same_speaker

Scores = dict[str, float]


@dataclass(frozen=True)
class Thresholds:
    entail: float = 0.6
    contradict: float = 0.6


def _rounded(scores: Scores) -> Scores:
    return {k: round(v, 4) for k, v in scores.items()}


def decide(claim: Claim, candidates: list[Candidate], scores: dict[tuple[str, str], Scores],
           thresholds: Thresholds, contradicted_by: Sequence[tuple[Attributed, Scores]] = (),
           claim_sentences: Container[int] = ()) -> Verdict:
    """The verdict on one claim from its candidates; ``scores`` maps (premise, hypothesis) to probabilities.

    ``contradicted_by`` lists the claims it forms a contradiction pair with (and that pair's scores):
    they refute it even when the model saw the contradiction only in the other direction.  Evidence
    at ``claim_sentences`` (sentences that are claims themselves) refutes only that way.
    """
    supports: list[tuple[float, Evidence]] = []
    refutes: list[tuple[float, Evidence]] = []
    hedges: list[Evidence] = []
    best_entail = best_contra = 0.0
    nearest: Scores | None = None
    for cand in candidates:
        ev = cand.evidence
        if ev.non_committal:
            hedges.append(Evidence(ev.sentence, ev.speaker, "non_committal", round(cand.similarity, 4)))
            continue
        probs = scores[(cand.premise, claim.content)]
        nearest = nearest or probs
        independent = not same_speaker(ev.speaker, claim.speaker)
        contra, entail = probs.get("contradiction", 0.0), probs.get("entailment", 0.0)
        best_contra = max(best_contra, contra)
        if independent:
            best_entail = max(best_entail, entail)
        if contra >= thresholds.contradict and contra > entail and ev.sentence.index not in claim_sentences:
            refutes.append((contra, Evidence(ev.sentence, ev.speaker, "refutes", round(contra, 4), _rounded(probs))))
        elif entail >= thresholds.entail and independent:
            supports.append((entail, Evidence(ev.sentence, ev.speaker, "supports", round(entail, 4), _rounded(probs))))
    refuting = {e.sentence.index for _, e in refutes}
    for other, probs in contradicted_by:
        contra = probs.get("contradiction", 0.0)
        best_contra = max(best_contra, contra)
        if other.sentence.index not in refuting:
            refutes.append((contra, Evidence(other.sentence, other.speaker, "refutes", round(contra, 4),
                                             _rounded(probs))))
    refutes.sort(key=lambda x: -x[0])
    supports.sort(key=lambda x: -x[0])
    undecided = round(1.0 - max(best_entail, best_contra), 4)
    if hedges:
        return Verdict(claim, "unverified", undecided, _rounded(nearest) if nearest else {}, hedges)
    if refutes:
        return Verdict(claim, "denied", round(refutes[0][0], 4), refutes[0][1].scores, [e for _, e in refutes])
    if supports:
        return Verdict(claim, "confirmed", round(supports[0][0], 4), supports[0][1].scores, [e for _, e in supports])
    return Verdict(claim, "unverified", undecided, _rounded(nearest) if nearest else {}, [])


def find_contradictions(claims: list[Claim], scores: dict[tuple[str, str], Scores], premise_of: dict[str, str],
                        threshold: float, same_topic: Callable[[Claim, Claim], bool] = lambda a, b: True
                        ) -> list[Contradiction]:
    """Claim pairs with P(contradiction) ≥ threshold in one direction, no direction favouring
    entailment, and contradiction the most likely label in every direction scored or the two claims
    ``same_topic`` (module docstring)."""
    out: list[Contradiction] = []
    for i, a in enumerate(claims):
        for b in claims[i + 1:]:
            forward = scores.get((premise_of[b.id], a.content))
            backward = scores.get((premise_of[a.id], b.content))
            probs = [p for p in (forward, backward) if p]
            if not probs:
                continue
            best = max(p.get("contradiction", 0.0) for p in probs)
            never_entailed = all(p.get("contradiction", 0.0) >= p.get("entailment", 0.0) for p in probs)
            symmetric = all(max(p, key=p.get) == "contradiction" for p in probs)
            if best >= threshold and never_entailed and (symmetric or same_topic(a, b)):
                out.append(Contradiction((a.id, b.id), round(best, 4)))
    return out
