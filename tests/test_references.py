"""Reference resolution (pipeline/references.py): "the report", "Hunter's claim", "it" → the claims meant.

The parse is real (spaCy); similarity is given per topic, as an ideal embedder would give it, so each
test shows which rule resolves what and what must never be resolved.
"""

import numpy as np
from helpers import attributed

from claimcheck.pipeline.claims import extract_claims
from claimcheck.pipeline.references import is_reference, resolve


def resolved(text: str, topics: list[str], floor: float = 0.5) -> dict[int, set[int]]:
    """Referring sentence index → the sentence indices of the claims its target resolves to."""
    sentences = attributed(text)
    assert len(sentences) == len(topics), [s.sentence.text for s in sentences]
    sim = np.array([[1.0 if a == b else 0.1 for b in topics] for a in topics])
    out: dict[int, set[int]] = {}
    for cand in resolve(extract_claims(sentences), sentences, sim, floor):
        assert cand.resolved
        out.setdefault(cand.evidence.sentence.index, set()).add(cand.claim.sentence.index)
    return out


def test_a_bare_reference_points_at_the_report_just_before_it_and_not_at_another_topic():
    text = (
        "The council approved a new stadium budget on Monday. "
        "The Daily Post reported that the mayor resigned after the vote. "
        "The mayor's office denied the report."
    )
    assert resolved(text, ["stadium", "mayor", "mayor"]) == {2: {1}}


def test_a_named_reporter_picks_that_sources_claims_only():
    text = (
        "Hunter said that ISIS fighters had been caught crossing the Mexican border. "
        "Police said that two men were arrested in Dallas on unrelated charges. "
        "On Wednesday, DHS said that Hunter's claim was unfounded."
    )
    # the border claim and the arrests are equally near by topic: the reporter's name decides
    assert resolved(text, ["border", "border", "border"]) == {2: {0}}


def test_a_described_target_picks_the_claim_with_that_content():
    text = (
        "Residents said that the dam gates were opened overnight. "
        "Officials said that the coastal road was closed for repairs. "
        "The ministry dismissed the dam allegation."
    )
    assert resolved(text, ["water", "water", "water"]) == {2: {0}}


def test_what_a_reference_never_points_at():
    """Not a claim after it, not its own source, not a denial or negative claim, not another topic."""
    text = (
        "The ministry said that the bridge would open in May. "
        "Engineers said that no inspection had taken place. "
        "The ministry denied the reports. "
        "Residents said that the bridge was already open."
    )
    assert resolved(text, ["bridge", "bridge", "bridge", "bridge"]) == {}


def test_a_confirmation_by_reference_is_resolved_as_well_and_a_hedge_is_not():
    confirmed = attributed("A spokesperson for the clinic confirmed the news to reporters.")[0]
    hedge = attributed("The clinic would not confirm the reports.")[0]
    assert is_reference(confirmed) and confirmed.frame == "confirms"
    assert not is_reference(hedge)


def test_a_body_calling_the_story_false_points_at_the_title_but_not_at_a_title_that_denies():
    story = "Famous singer found dead in his Malibu home\n\nThe singer's manager said the story was a hoax."
    assert resolved(story, ["singer", "singer"]) == {1: {0}}
    denial = "Police deny famous singer was found dead\n\nThe singer's manager said the story was a hoax."
    assert resolved(denial, ["singer", "singer"]) == {}


def test_an_explicit_denial_of_a_speculation_resolves_to_it():
    """A speculation is never read against other sentences by NLI, but "dismissed the speculation" names it."""
    text = (
        "Some analysts said that the leader may have been sidelined in a power struggle. "
        "Government officials dismissed the speculation on Tuesday."
    )
    sentences = attributed(text)
    assert sentences[0].speculative
    assert resolved(text, ["leader", "leader"]) == {1: {0}}
