"""The verdict rules on hand-made scores: no model involved, each rule a user-visible behaviour."""

from dataclasses import replace

from claimcheck.pipeline.pairs import find_contradictions
from claimcheck.pipeline.types import Attributed, Candidate, Claim, Sentence
from claimcheck.pipeline.verdict import (
    FEATURES,
    LearnedDecision,
    Policy,
    Thresholds,
    decide,
    gather,
)

RULES = Policy(Thresholds(entail=0.6, contradict=0.6, pair=0.6))


def item(
    index: int,
    text: str,
    speaker: str | None = None,
    non_committal: bool = False,
    frame="asserts",
    proposition: str = "",
) -> Attributed:
    return Attributed(
        Sentence(index, index * 100, index * 100 + len(text), text),
        speaker,
        text,
        non_committal=non_committal,
        frame=frame,
        proposition=proposition or text,
    )


CLAIM = Claim("c1", item(0, "The bridge will open in May.", "The minister"))


def cand(ev: Attributed, is_claim: bool = False, claim: Claim = CLAIM) -> Candidate:
    return Candidate(claim, ev, 0.8, is_claim)


def probs(e: float, n: float, c: float) -> dict:
    return {"entailment": e, "neutral": n, "contradiction": c}


def scores_for(ev: Attributed, e: float, n: float, c: float, claim: Claim = CLAIM) -> dict:
    return {(ev.premise, claim.source.premise): probs(e, n, c)}


def verdict(candidates, scores, paired=(), policy=RULES, claim=CLAIM):
    return decide(claim, gather(claim, candidates, scores, paired), policy)


def test_independent_support_confirms():
    ev = item(1, "Engineers confirmed the bridge opens in May.", "Engineers")
    v = verdict([cand(ev)], scores_for(ev, 0.9, 0.05, 0.05))
    assert v.label == "confirmed" and v.confidence == 0.9
    assert [e.relation for e in v.evidence] == ["supports"]


def test_same_speaker_repeating_is_not_corroboration_and_never_refutation():
    ev = item(1, "The bridge opens in May, the minister repeated.", "the minister")
    assert verdict([cand(ev)], scores_for(ev, 0.95, 0.03, 0.02)).label == "unverified"
    # a source contradicting itself in other words is not a denial: only an explicit one would be
    assert verdict([cand(ev)], scores_for(ev, 0.02, 0.03, 0.95)).label == "unverified"


def test_contradiction_denies():
    ev = item(1, "Engineers said the bridge will stay closed until autumn.", "Engineers")
    v = verdict([cand(ev)], scores_for(ev, 0.02, 0.1, 0.88))
    assert v.label == "denied" and v.evidence[0].relation == "refutes" and v.scores["contradiction"] == 0.88


def test_a_denial_refutes_the_claim_whose_proposition_it_names():
    """ "The ministry denied that the bridge will open in May": NLI reads the denied proposition,
    which *entails* the claim; the frame turns that into a refutation."""
    denial = item(
        1,
        "The ministry denied that the bridge will open in May.",
        "The ministry",
        frame="denies",
        proposition="The bridge will open in May.",
    )
    v = verdict([cand(denial)], scores_for(denial, 0.97, 0.02, 0.01))
    assert v.label == "denied" and v.evidence[0].relation == "refutes" and v.evidence[0].score == 0.97


def test_a_denial_of_something_else_is_not_a_refutation():
    denial = item(
        1,
        "The ministry denied that the tunnel will close.",
        "The ministry",
        frame="denies",
        proposition="The tunnel will close.",
    )
    assert verdict([cand(denial)], scores_for(denial, 0.05, 0.9, 0.05)).label == "unverified"


def test_a_hedge_leaves_the_claim_unverified_but_a_contradiction_beats_it():
    hedge = item(1, "The ministry would neither confirm nor deny it.", "The ministry", non_committal=True)
    ev = item(2, "Engineers confirmed the bridge opens in May.", "Engineers")
    v = verdict([cand(hedge), cand(ev)], scores_for(ev, 0.9, 0.05, 0.05))
    assert v.label == "unverified" and v.evidence[0].relation == "non_committal"
    v = verdict([cand(hedge), cand(ev)], scores_for(ev, 0.02, 0.05, 0.93))
    assert v.label == "denied"


def test_threshold_is_respected():
    ev = item(1, "Engineers said the bridge opens in May.", "Engineers")
    scores = scores_for(ev, 0.55, 0.4, 0.05)
    assert verdict([cand(ev)], scores).label == "unverified"
    assert verdict([cand(ev)], scores, policy=Policy(Thresholds(0.5, 0.6, 0.6))).label == "confirmed"


def test_no_evidence_is_unverified_with_no_evidence_shown():
    v = verdict([], {})
    assert v.label == "unverified" and v.evidence == [] and v.confidence == 1.0


def test_support_from_the_claims_core_confirms_when_the_details_are_not_repeated():
    claim = Claim(
        "c1",
        replace(
            item(0, "Police arrested two men in Lyon on Sunday after a chase.", "Police"),
            core="Police arrested two men.",
        ),
    )
    ev = item(1, "Two men were arrested, a witness said.", "a witness")
    scores = {
        (ev.premise, claim.source.premise): probs(0.2, 0.75, 0.05),
        (ev.premise, "Police arrested two men."): probs(0.9, 0.08, 0.02),
    }
    v = verdict([cand(ev, claim=claim)], scores, claim=claim)
    assert v.label == "confirmed" and v.evidence[0].score == 0.9
    # a conflicting detail (the whole claim contradicted) still refutes
    scores[(ev.premise, claim.source.premise)] = probs(0.01, 0.04, 0.95)
    assert verdict([cand(ev, claim=claim)], scores, claim=claim).label == "denied"


def test_contradictions_need_one_direction_over_the_threshold_and_the_same_thing():
    a = Claim("c1", item(0, "Five people died in the Lyon fire.", "Police"))
    b = Claim("c2", item(1, "Fifty people died in the Lyon fire.", "Officials"))
    one_way = {
        (b.source.premise, a.source.premise): probs(0.1, 0.2, 0.7),
        (a.source.premise, b.source.premise): probs(0.1, 0.6, 0.3),
    }
    found = find_contradictions([a, b], one_way, 0.6, aligned=lambda x, y: True)
    assert [(c.claim_ids, c.score) for c, _ in found] == [(("c1", "c2"), 0.7)]
    assert find_contradictions([a, b], one_way, 0.75, aligned=lambda x, y: True) == []
    # a shared topic is not enough: the two must be about the same thing
    assert find_contradictions([a, b], one_way, 0.6, aligned=lambda x, y: False) == []


def test_no_pair_within_one_source_or_when_either_direction_supports():
    a = Claim("c1", item(0, "Five people died.", "Police"))
    b = Claim("c2", item(1, "Nobody died.", "police"))
    scores = {(b.source.premise, a.source.premise): probs(0.01, 0.01, 0.98)}
    assert find_contradictions([a, b], scores, 0.6, aligned=lambda x, y: True) == []
    c = Claim("c2", item(1, "Some people died.", "Officials"))
    scores = {
        (c.source.premise, a.source.premise): probs(0.1, 0.2, 0.7),
        (a.source.premise, c.source.premise): probs(0.9, 0.05, 0.05),
    }
    assert find_contradictions([a, c], scores, 0.6, aligned=lambda x, y: True) == []


def test_a_claim_as_evidence_refutes_only_through_a_contradiction_pair():
    other = item(1, "There had been no talks on the bridge.", "The ministry")
    scores = scores_for(other, 0.01, 0.01, 0.98)
    assert (
        verdict([cand(other, is_claim=True)], scores, policy=Policy(Thresholds(0.6, 0.99, 0.6))).label == "unverified"
    )
    reading = find_contradictions([CLAIM, Claim("c2", other)], scores, 0.6, aligned=lambda x, y: True)[0][1]
    paired = verdict([cand(other, is_claim=True)], scores, [(other, reading)])
    assert paired.label == "denied" and paired.evidence[0].relation == "refutes"


def test_a_fitted_decision_gives_the_confidence_and_the_rules_give_the_label():
    weights = {
        "confirmed": tuple(3.0 if f == "support" else 0.0 for f in FEATURES) + (-1.5,),
        "denied": tuple(3.0 if f == "refute" else 0.0 for f in FEATURES) + (-1.5,),
        "unverified": tuple(0.0 for _ in FEATURES) + (0.0,),
    }
    fitted = Policy(RULES.thresholds, LearnedDecision(FEATURES, weights))
    ev = item(1, "Engineers confirmed the bridge opens in May.", "Engineers")
    v = verdict([cand(ev)], scores_for(ev, 0.95, 0.03, 0.02), policy=fitted)
    p = fitted.learned.probabilities(v.features)
    assert v.label == "confirmed" and v.confidence == round(p["confirmed"], 4) and 0 < v.confidence < 1
    weak = verdict([cand(ev)], scores_for(ev, 0.5, 0.45, 0.05), policy=fitted)
    assert weak.label == "unverified"  # under the entailment threshold, whatever the regression says
    assert weak.confidence == round(fitted.learned.probabilities(weak.features)["unverified"], 4)


def test_a_denial_of_contact_bears_on_contact_never_on_the_plan():
    """ "Nobody has spoken to us about closures" says nothing of the closures, however the model reads it."""
    from claimcheck.pipeline.verdict import relation

    plan = replace(item(0, "The city will close four libraries.", "Ana Ruiz"), predicate="close")
    contact = replace(item(1, "Nobody from the city has spoken to us about closures.", "Tom Hale"), predicate="speak")
    briefed = replace(item(2, "The union had been briefed on the plan."), predicate="brief")
    everything = (plan, contact, briefed)
    scores = {(a.premise, b.premise): probs(0.02, 0.08, 0.9) for a in everything for b in everything}
    assert relation(plan, contact, scores).relation is None
    assert relation(contact, plan, scores).relation is None
    assert relation(briefed, contact, scores).relation == "refutes"  # contact against contact still counts


def test_a_window_of_one_sources_sentences_confirms_what_no_single_sentence_says_but_never_denies():
    """ "The council approved the budget on Monday. It includes a new bridge." together support "The
    council's budget, approved Monday, funds a bridge"; neither sentence alone does."""
    claim = Claim("c1", item(0, "The council approved a budget that funds a bridge.", "The mayor"))
    first = item(4, "The council approved the budget on Monday.", "a council clerk")
    second = item(5, "The budget includes money for a new bridge.", "a council clerk")
    windowed = replace(cand(first, claim=claim), window=(first, second))
    window = windowed.window_premise
    assert window == f"{first.premise} {second.premise}"
    scores = {
        (first.premise, claim.source.premise): probs(0.3, 0.65, 0.05),
        (window, claim.source.premise): probs(0.85, 0.1, 0.05),
    }
    v = verdict([windowed], scores, claim=claim)
    assert v.label == "confirmed" and v.evidence[0].score == 0.85
    assert v.evidence[0].window == (first.sentence.start, second.sentence.end)  # the API shows what was read
    scores[(first.premise, claim.source.premise)] = probs(0.9, 0.05, 0.05)  # the sentence alone says it
    assert verdict([windowed], scores, claim=claim).evidence[0].window is None
    scores[(first.premise, claim.source.premise)] = probs(0.3, 0.65, 0.05)
    assert verdict([cand(first, claim=claim)], scores, claim=claim).label == "unverified"  # no window, no support
    # more text is more to contradict: a window's contradiction is never read as a refutation
    scores[(window, claim.source.premise)] = probs(0.02, 0.03, 0.95)
    assert verdict([windowed], scores, claim=claim).label == "unverified"


def test_a_report_the_narrator_calls_false_is_denied_by_its_own_sentence():
    """ "A false story claimed that the bridge will open in May": two sources in one sentence, and the
    narrator's denial is the evidence shown; no other evidence is needed, and none was scored."""
    claim = Claim(
        "c1",
        replace(
            item(0, "A false story claimed the bridge will open in May.", "A false story"),
            proposition="The bridge will open in May.",
            frame="reports",
            discredited=True,
        ),
    )
    v = verdict([], {}, claim=claim)
    assert v.label == "denied" and v.evidence[0].speaker is None and v.evidence[0].sentence == claim.sentence
    # the same report, not called false, is unverified on no evidence
    assert verdict([], {}, claim=Claim("c1", replace(claim.source, discredited=False))).label == "unverified"


def test_a_discredited_report_refutes_a_claim_that_restates_it():
    story = replace(
        item(1, "A false story claimed the bridge will open in May.", "A false story"),
        proposition="The bridge will open in May.",
        frame="reports",
        discredited=True,
    )
    v = verdict([cand(story)], scores_for(story, 0.9, 0.05, 0.05))
    assert v.label == "denied" and v.evidence[0].relation == "refutes"
    # never as a claim-vs-claim pair: its denial is shown on the report itself
    other = Claim("c2", story)
    scores = {**scores_for(story, 0.9, 0.05, 0.05), (CLAIM.source.premise, story.premise): probs(0.9, 0.05, 0.05)}
    assert find_contradictions([CLAIM, other], scores, 0.6, lambda a, b: True) == []


def test_a_sentence_read_two_ways_is_shown_once_at_its_strongest():
    whole = item(1, "The army announced a truce, saying the bridge will open in May.")
    clause = replace(whole, speaker="The army", proposition="The bridge will open in May.")
    scores = {**scores_for(whole, 0.7, 0.2, 0.1), **scores_for(clause, 0.9, 0.05, 0.05)}
    v = verdict([cand(whole), cand(clause)], scores)
    assert v.label == "confirmed"
    assert [(e.sentence.index, e.speaker, e.score) for e in v.evidence] == [(1, "The army", 0.9)]
