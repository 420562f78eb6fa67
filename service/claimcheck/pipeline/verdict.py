"""Verdicts: NLI scores over propositions, read through each sentence's frame, become labels.

Rules, in order (a newsroom's, not a benchmark's):

1. a sentence never confirms or denies itself, and a source never corroborates or refutes itself
   (the narrator is one source; the headline is a source of its own); a speculation ("there could be
   something I don't know", "I will probably be talking to him") is a possibility, not a fact: it neither
   confirms nor contradicts, and no reading of another sentence confirms or contradicts it (an explicit
   denial by reference still does: "officials dismissed the speculation", references.py); one sentence
   holds two sources when the narrator discredits the reporter as it names it ("a false story claimed
   that S"): the narrator's denial refutes S, shown as the sentence itself;
2. the frame decides what an NLI result means (:func:`relation`): evidence that *denies* a
   proposition the claim asserts refutes it; evidence asserting what a denial claim denies refutes
   the denial; otherwise entailment supports and contradiction refutes.  Support may come from the
   claim's core (its main clause without time, place and asides), since a second source rarely
   repeats every detail; a conflicting detail (the full claim contradicted) still refutes; a headline's
   support may come from a window of the body's sentences (retrieval.with_windows), which never refutes;
3. *denied* when independent evidence refutes the claim with a score ≥ ``contradict``; contradiction
   beats a hedge ("cannot confirm" and contradicted is denied);
4. *unverified* when a non-committal sentence is about the claim ("can neither confirm nor deny");
5. *confirmed* when independent evidence supports it with a score ≥ ``entail``;
6. *unverified* otherwise.

Claim pairs contradict when one refutes the other by rule 2 in either direction (≥ ``pair``), the
other direction does not support, and the two are about the same thing: shared names or numbers,
or shared content words — never merely a shared topic (the pair rules live in pairs.py).

Where the model ships a fitted decision (:class:`LearnedDecision`, fitted on hand-annotated news),
``confidence`` is its probability that the label rules 3–6 chose is right, for every label — not the
deciding evidence's raw score.  As the label itself it gave no more recall at the rules' precision
(docs/quality.md), so the rules decide.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from claimcheck.pipeline.lexicon import CONTACT_VERBS
from claimcheck.pipeline.sources import same_source
from claimcheck.pipeline.text import NEGATION
from claimcheck.pipeline.types import (
    Attributed,
    Candidate,
    Claim,
    Evidence,
    Label,
    Relation,
    Verdict,
)

Scores = dict[str, float]
ScoreTable = Mapping[tuple[str, str], Scores]


@dataclass(frozen=True)
class Thresholds:
    """Decision thresholds on the model's (calibrated) probabilities; defaults live in ``Settings``."""

    entail: float
    contradict: float
    pair: float


@dataclass(frozen=True)
class Reading:
    """What one piece of evidence does to one claim, with the probabilities that decided it."""

    relation: Relation | None
    score: float
    probs: Scores


NONE = Reading(None, 0.0, {})
DISCREDITED = 0.85  # how sure "a false story claimed that S" denies S (references.py's "description" rule's)
SOURCE_SUPPORT = 0.5  # support at which a source counts towards the ``sources`` feature (how many agree)


def _p(probs: Scores | None, label: str) -> float:
    return probs.get(label, 0.0) if probs else 0.0


def _denies_contact(item: Attributed) -> bool:
    """ "Nobody from the city has spoken to us about closures": a denial of contact, which says nothing
    of the closures themselves; it bears only on another statement about contact ("the union had been
    briefed on the plan"), never on the plan."""
    return item.predicate in CONTACT_VERBS and bool(NEGATION.search(item.premise))


def _off_topic_contact(a: Attributed, b: Attributed) -> bool:
    return (_denies_contact(a) and b.predicate not in CONTACT_VERBS) or (
        _denies_contact(b) and a.predicate not in CONTACT_VERBS
    )


def relation(claim: Attributed, evidence: Attributed, scores: ScoreTable, window: str = "") -> Reading:
    """How ``evidence`` bears on ``claim``, read through both frames (module docstring, rule 2).

    ``scores`` holds (premise, hypothesis) → probabilities for the pairs the verifier scored:
    (evidence.premise, claim.premise), and where asked for (evidence.premise, claim.core),
    (claim.premise, evidence.premise) and (``window``, claim.premise), the evidence read with its
    source's adjacent sentences, which may support but never refutes.
    """
    if evidence.target_is_reference or evidence.speculative or claim.speculative or _off_topic_contact(claim, evidence):
        return NONE  # a reference has no proposition to compare; a possibility neither confirms nor contradicts
    fwd = scores.get((evidence.premise, claim.premise))
    if fwd is None:
        return NONE
    back = scores.get((claim.premise, evidence.premise))
    core = scores.get((evidence.premise, claim.core)) if claim.core else None
    same = max(_p(fwd, "entailment"), _p(back, "entailment"))
    deciding = back if back and _p(back, "entailment") > _p(fwd, "entailment") else fwd
    if evidence.denies != (claim.frame == "denies"):  # one denies what the other asserts
        return Reading("refutes" if same > _p(fwd, "contradiction") else None, same, deciding)
    if claim.frame == "denies" and evidence.denies:
        return Reading("supports", same, deciding)
    contra, entail = _p(fwd, "contradiction"), max(_p(fwd, "entailment"), _p(core, "entailment"))
    if contra > entail:  # the sentence's own reading decides a refutation; its window does not change it
        return Reading("refutes", contra, fwd)
    wide = scores.get((window, claim.premise)) if window else None
    readings = [(_p(probs, "entailment"), probs) for probs in (fwd, core, wide) if probs]
    # the first of equals: the single sentence over its core over the window
    entail, best = max(readings, key=lambda x: x[0], default=(0.0, fwd))
    return Reading("supports", entail, best)


def _rounded(scores: Scores) -> Scores:
    return {k: round(v, 4) for k, v in scores.items()}


def _evidence(item: Attributed, reading: Reading, window: tuple[int, int] | None = None) -> Evidence:
    assert reading.relation is not None
    score = round(reading.score, 4)
    return Evidence(item.sentence, item.speaker, reading.relation, score, _rounded(reading.probs), window)


@dataclass(frozen=True)
class Gathered:
    """A claim's evidence, read through the frames, and the features the decision reads."""

    supports: tuple[Evidence, ...]
    refutes: tuple[Evidence, ...]  # refutation by non-claim evidence, and by the claim's contradiction pairs
    hedges: tuple[Evidence, ...]
    nearest: Scores
    features: dict[str, float]


def gather(
    claim: Claim,
    candidates: Sequence[Candidate],
    scores: ScoreTable,
    paired_with: Sequence[tuple[Attributed, Reading]] = (),
) -> Gathered:
    """Read every candidate against the claim (sources other than the claim's own only)."""
    supports: list[Evidence] = []
    refutes: list[Evidence] = []
    hedges: list[Evidence] = []
    nearest: Scores = {}
    f = dict.fromkeys(FEATURES, 0.0)
    supporting: set[str] = set()
    # a source that explicitly declines to confirm or deny this claim does not refute it elsewhere
    hedgers = [c.evidence for c in candidates if c.evidence.non_committal]
    for cand in candidates:
        ev = cand.evidence
        if ev.non_committal:
            hedges.append(Evidence(ev.sentence, ev.speaker, "non_committal", round(cand.similarity, 4)))
            f["hedge"] = max(f["hedge"], cand.similarity)
            continue
        if same_source(ev, claim.source):
            continue
        if cand.resolved:  # "the clinic denied the claims", and the claims are this one (references.py)
            rel: Relation = "refutes" if ev.frame == "denies" else "supports"
            if rel == "refutes" and any(same_source(ev, h) for h in hedgers):
                continue
            key = "denial" if rel == "refutes" else "support"
            f[key] = max(f[key], cand.similarity)
            f["reference"] = max(f["reference"], cand.similarity)
            (refutes if rel == "refutes" else supports).append(
                Evidence(ev.sentence, ev.speaker, rel, round(cand.similarity, 4))
            )
            continue
        if ev.target_is_reference and ev.frame == "denies":  # "the clinic denied the claims" near the claim
            f["ref_denial"] = max(f["ref_denial"], cand.similarity)
            continue
        reading = relation(claim.source, ev, scores, cand.window_premise)
        nearest = nearest or reading.probs
        if reading.relation == "refutes" and any(same_source(ev, h) for h in hedgers):
            continue
        if reading.relation == "refutes":
            key = "refute_claim" if cand.is_claim else ("denial" if ev.denies else "refute")
            f[key] = max(f[key], reading.score)
            if not cand.is_claim:  # another claim refutes only through a contradiction pair
                refutes.append(_evidence(ev, reading))
        elif reading.relation == "supports":
            f["support"] = max(f["support"], reading.score)
            if reading.score >= SOURCE_SUPPORT:
                supporting.add((ev.speaker or "").lower() if not ev.headline else "\0headline")
            windowed = bool(cand.window) and reading.probs is scores.get((cand.window_premise, claim.source.premise))
            if not windowed and reading.probs is not scores.get((ev.premise, claim.source.premise)):
                f["support_core"] = max(f["support_core"], reading.score)  # the claim's core, as fitted
            span = (cand.window[0].sentence.start, cand.window[-1].sentence.end) if windowed else None
            supports.append(_evidence(ev, reading, span))
    if claim.source.discredited:  # "a false story claimed that S": the narrator denies S in the same sentence
        f["denial"] = max(f["denial"], DISCREDITED)
        refutes.append(Evidence(claim.sentence, None, "refutes", DISCREDITED))
    for other, reading in paired_with:  # the verifier already left out pairs against a hedging source
        f["pair"] = max(f["pair"], reading.score)
        refutes.append(_evidence(other, reading))
    src = claim.source
    f["negated"] = float(bool(NEGATION.search(src.premise)))
    f["reported"] = float(src.frame in ("reports", "confirms"))
    f["denies_frame"] = float(src.frame == "denies")
    f["headline"] = float(src.headline)
    f["narrator"] = float(src.speaker is None)
    f["hedged"] = float(bool(_HEDGED.search(src.sentence.text)))
    f["sources"] = min(len(supporting), 3) / 3
    for group in (refutes, supports):
        group.sort(key=lambda e: -e.score)
    # a sentence shown once, at its strongest reading (two readings of it, or one and the claim it pairs with)
    return Gathered(_strongest(supports), _strongest(refutes), tuple(hedges), nearest, f)


def _strongest(evidence: list[Evidence]) -> tuple[Evidence, ...]:
    """Each sentence once, at its strongest reading, strongest first (``evidence`` is sorted)."""
    out: dict[int, Evidence] = {}
    for e in evidence:
        out.setdefault(e.sentence.index, e)
    return tuple(out.values())


# the features of a claim's evidence the decision reads (all in [0, 1])
_HEDGED = re.compile(
    r"\b(?:reported(?:ly)?|allegedly|purported(?:ly)?|rumou?r\w*|unconfirmed|claim\w*|apparently)\b", re.IGNORECASE
)
FEATURES = (
    "support",
    "support_core",
    "refute",
    "denial",
    "refute_claim",
    "pair",
    "hedge",
    "negated",
    "reported",
    "denies_frame",
    "headline",
    "narrator",
    "hedged",
    "sources",
    "ref_denial",
    "reference",
)
LABELS = ("confirmed", "denied", "unverified")


@dataclass(frozen=True)
class LearnedDecision:
    """A multinomial logistic regression over :data:`FEATURES` that estimates how likely each label
    is right for a claim with that evidence.  Fitted on hand-annotated news with leave-articles-out
    checks (``python -m evaluation.fit_decision``) and stored with the model whose scores it read
    (``claimcheck.json``).  It gives ``confidence``: the calibrated probability that the label the
    rules chose is right, for every label."""

    features: tuple[str, ...]
    weights: dict[str, tuple[float, ...]]  # label -> one weight per feature, then the intercept

    def probabilities(self, x: Mapping[str, float]) -> dict[str, float]:
        logits = {
            lab: sum(w * x.get(name, 0.0) for w, name in zip(ws, self.features)) + ws[-1]
            for lab, ws in self.weights.items()
        }
        top = max(logits.values())
        exp = {lab: math.exp(v - top) for lab, v in logits.items()}
        total = sum(exp.values())
        return {lab: v / total for lab, v in exp.items()}

    def to_json(self) -> dict:
        return {"features": list(self.features), "weights": {k: list(v) for k, v in self.weights.items()}}

    @classmethod
    def from_json(cls, data: Mapping) -> LearnedDecision:
        return cls(tuple(data["features"]), {k: tuple(v) for k, v in data["weights"].items()})


@dataclass(frozen=True)
class Policy:
    """How gathered evidence becomes a label and a confidence.

    The label always comes from the thresholded rules of the module docstring (thresholds chosen on
    the dev set for precision: docs/quality.md); the confidence from the model's fitted
    :class:`LearnedDecision` when it ships one, else from the deciding score."""

    thresholds: Thresholds
    learned: LearnedDecision | None = None

    def confidence(self, label: Label, g: Gathered, score: float) -> float:
        if self.learned is not None:
            return self.learned.probabilities(g.features)[label]
        if label == "unverified":
            return 1.0 - max(g.features["support"], g.features["refute"], g.features["pair"], g.features["denial"])
        return score

    def label(self, g: Gathered) -> tuple[Label, float]:
        t = self.thresholds
        if g.refutes and g.refutes[0].score >= t.contradict:
            return "denied", self.confidence("denied", g, g.refutes[0].score)
        if not g.hedges and g.supports and g.supports[0].score >= t.entail:
            return "confirmed", self.confidence("confirmed", g, g.supports[0].score)
        return "unverified", self.confidence("unverified", g, 0.0)


def decide(claim: Claim, gathered: Gathered, policy: Policy) -> Verdict:
    """The verdict on one claim: its label, calibrated confidence, and the evidence that shows why."""
    label, confidence = policy.label(gathered)
    g = gathered
    shown: tuple[Evidence, ...] = {"denied": g.refutes, "confirmed": g.supports}.get(label, ())
    if label == "unverified":
        return Verdict(claim, label, round(confidence, 4), _rounded(g.nearest), list(g.hedges), g.features)
    return Verdict(claim, label, round(confidence, 4), shown[0].scores, list(shown), g.features)
