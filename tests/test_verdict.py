"""The verdict rules on hand-made scores: no model involved, each rule a user-visible behaviour."""

from claimcheck.pipeline.types import Attributed, Candidate, Claim, Sentence
from claimcheck.pipeline.verdict import Thresholds, decide, find_contradictions


def item(index: int, text: str, speaker: str | None = None, non_committal: bool = False) -> Attributed:
    return Attributed(Sentence(index, index * 100, index * 100 + len(text), text), speaker, text,
                      non_committal=non_committal)


CLAIM = Claim("c1", item(0, "The bridge will open in May.", "The minister"))


def cand(ev: Attributed) -> Candidate:
    return Candidate("c1", ev, ev.content, 0.8)


def scores_for(ev: Attributed, e: float, n: float, c: float) -> dict:
    return {(ev.content, CLAIM.content): {"entailment": e, "neutral": n, "contradiction": c}}


def test_independent_support_confirms():
    ev = item(1, "Engineers confirmed the bridge opens in May.", "Engineers")
    v = decide(CLAIM, [cand(ev)], scores_for(ev, 0.9, 0.05, 0.05), Thresholds())
    assert v.label == "confirmed" and v.confidence == 0.9
    assert [e.relation for e in v.evidence] == ["supports"]


def test_same_speaker_repeating_is_not_corroboration():
    ev = item(1, "The bridge opens in May, the minister repeated.", "the minister")
    v = decide(CLAIM, [cand(ev)], scores_for(ev, 0.95, 0.03, 0.02), Thresholds())
    assert v.label == "unverified" and v.evidence == []


def test_contradiction_denies():
    ev = item(1, "The ministry denied the bridge will open in May.", "The ministry")
    v = decide(CLAIM, [cand(ev)], scores_for(ev, 0.02, 0.1, 0.88), Thresholds())
    assert v.label == "denied" and v.evidence[0].relation == "refutes" and v.scores["contradiction"] == 0.88


def test_non_committal_evidence_keeps_the_claim_unverified_even_with_support():
    hedge = item(1, "The ministry would neither confirm nor deny it.", "The ministry", non_committal=True)
    ev = item(2, "Engineers confirmed the bridge opens in May.", "Engineers")
    v = decide(CLAIM, [cand(hedge), cand(ev)], scores_for(ev, 0.9, 0.05, 0.05), Thresholds())
    assert v.label == "unverified"
    assert [e.relation for e in v.evidence] == ["non_committal"]


def test_below_threshold_is_unverified_and_thresholds_are_respected():
    ev = item(1, "Engineers said the bridge might open in May.", "Engineers")
    scores = scores_for(ev, 0.55, 0.4, 0.05)
    assert decide(CLAIM, [cand(ev)], scores, Thresholds(entail=0.6)).label == "unverified"
    assert decide(CLAIM, [cand(ev)], scores, Thresholds(entail=0.5)).label == "confirmed"


def test_no_evidence_is_unverified_with_empty_scores():
    v = decide(CLAIM, [], {}, Thresholds())
    assert (v.label, v.evidence, v.scores) == ("unverified", [], {})


def test_contradictions_checked_in_both_directions():
    a = Claim("c1", item(0, "Five people died.", "Police"))
    b = Claim("c2", item(1, "Fifty people died.", "Officials"))
    premise_of = {"c1": a.content, "c2": b.content}
    one_way = {(b.content, a.content): {"entailment": 0.1, "neutral": 0.2, "contradiction": 0.7},
               (a.content, b.content): {"entailment": 0.1, "neutral": 0.6, "contradiction": 0.3}}
    found = find_contradictions([a, b], one_way, premise_of, 0.6)
    assert [(c.claim_ids, c.score) for c in found] == [(("c1", "c2"), 0.7)]
    assert find_contradictions([a, b], one_way, premise_of, 0.75) == []


def test_a_one_sided_contradiction_needs_the_claims_to_share_a_topic():
    """"Trump wants Ukraine's rare earths" → "there were no talks on a meeting" reads as 0.98
    contradiction to a small model (the "no" in the hypothesis), while the other way is neutral."""
    a = Claim("c1", item(0, "Trump wants access to Ukraine's rare earths.", "Trump"))
    b = Claim("c2", item(1, "There had been no talks on a meeting.", "The Kremlin"))
    premise_of = {"c1": a.content, "c2": b.content}
    one_sided = {(a.content, b.content): {"entailment": 0.01, "neutral": 0.01, "contradiction": 0.98},
                 (b.content, a.content): {"entailment": 0.03, "neutral": 0.70, "contradiction": 0.27}}
    assert find_contradictions([a, b], one_sided, premise_of, 0.6, same_topic=lambda x, y: False) == []
    assert len(find_contradictions([a, b], one_sided, premise_of, 0.6, same_topic=lambda x, y: True)) == 1
    both_ways = {**one_sided, (b.content, a.content): {"entailment": 0.03, "neutral": 0.27, "contradiction": 0.70}}
    assert len(find_contradictions([a, b], both_ways, premise_of, 0.6, same_topic=lambda x, y: False)) == 1


def test_a_claim_as_evidence_refutes_only_through_a_contradiction_pair():
    other = item(1, "There had been no talks on the bridge.", "The ministry")
    scores = scores_for(other, 0.01, 0.01, 0.98)
    assert decide(CLAIM, [cand(other)], scores, Thresholds(), claim_sentences={1}).label == "unverified"
    assert decide(CLAIM, [cand(other)], scores, Thresholds(), (), claim_sentences=set()).label == "denied"
    paired = decide(CLAIM, [cand(other)], scores, Thresholds(), [(other, scores[(other.content, CLAIM.content)])],
                    claim_sentences={1})
    assert paired.label == "denied" and paired.evidence[0].relation == "refutes"
