"""Speakers, frames and propositions on the shapes real news copy uses (the real spaCy parser, no NLI).

Each case is a failure 1.1.0's word lists made on real articles, rewritten in sentences of our own.
"""

import pytest
from helpers import attributed

from claimcheck.pipeline.claims import extract_claims


def one(text: str):
    items = attributed(text)
    assert len(items) == 1, [i.sentence.text for i in items]
    return items[0]


def test_a_passive_report_is_not_a_speaker_phrase():
    item = one("The soldiers were reported missing by the army on Monday.")
    assert item.speaker != "The soldiers were" and item.speaker in (None, "the army")


def test_a_sentence_adverb_is_not_part_of_the_speaker_and_the_denial_is_a_frame():
    item = one("However, the clinic has denied the claims, saying the surgery never happened.")
    assert item.speaker == "the clinic"
    assert item.frame == "denies"


@pytest.mark.parametrize(
    "text,speaker,proposition",
    [
        ("Trump tweeted that the deal was done.", "Trump", "The deal was done."),
        ("The mayor insisted that the bridge is safe.", "The mayor", "The bridge is safe."),
        (
            "However, the BBC reported that the child is his son.",
            "the BBC",
            "The child is his son.",
        ),
        (
            "The Lebanese army says it has detained the wife of the leader near the border, the BBC reported.",
            "The Lebanese army",
            "The Lebanese army has detained the wife of the leader near the border.",
        ),
    ],
)
def test_reporting_verbs_beyond_a_list_of_said(text, speaker, proposition):
    item = one(text)
    assert (item.speaker, item.frame) == (speaker, "reports")
    assert item.proposition.lower().replace("it has", "the lebanese army has") == proposition.lower()


def test_a_quoted_report_is_not_unwrapped_into_the_speakers_own_claim():
    item = one("“They said it could never happen,” she insisted.")
    assert item.content == "They said it could never happen."


def test_a_continued_quotation_keeps_its_speaker():
    items = attributed("“We were not consulted,” Ms. Diaz said. “Nobody asked the workers.”")
    assert [i.speaker for i in items] == ["Diaz", "Diaz"]


@pytest.mark.parametrize(
    "text,proposition",
    [
        ("The Kremlin dismissed claims that Putin had met the envoy.", "Putin had met the envoy."),
        ("The ministry rejected reports that the plant will close.", "The plant will close."),
        ("The carmaker denied that it is preparing to cut jobs.", "The carmaker is preparing to cut jobs."),
    ],
)
def test_denials_carry_the_proposition_they_deny(text, proposition):
    item = one(text)
    assert item.frame == "denies"
    assert item.proposition.lower().replace("it is", "the carmaker is") == proposition.lower()
    assert (
        "den" in item.content or "dismiss" in item.content or "reject" in item.content
    )  # the shown content keeps its frame


@pytest.mark.parametrize(
    "text,speaker",
    [
        ("The reports were false, the ministry said.", "the ministry"),
        ("Police called the reports false.", "Police"),
        # how FNC-1 bodies answer a headline: a truth word under negation, an existential negation, a passive
        ("That story is simply not true.", None),
        ("The figures are not accurate, the agency said.", "the agency"),
        ("There is no truth whatsoever to these claims.", None),
        ("The rumour has been debunked by officials.", "officials"),
        ("The claims were denied by the ministry.", "the ministry"),
        ("This is a fake news story.", None),
        ("The video was a prank.", None),
    ],
)
def test_calling_reports_false_is_a_denial_of_those_reports(text, speaker):
    item = one(text)
    assert item.frame == "denies" and item.target_is_reference and item.speaker == speaker


def test_a_story_with_no_basis_in_fact_is_the_story_denied():
    item = one("The story has no basis in fact.")
    assert item.frame == "denies" and item.target_is_reference and item.premise == "The story."


def test_it_is_not_true_that_denies_the_clause():
    item = one("It is not true that the plant will close.")
    assert item.frame == "denies" and not item.target_is_reference
    assert item.proposition == "The plant will close."


@pytest.mark.parametrize(
    "text",
    [
        "He was denied entry to the country.",  # a refusal to someone, not a denial of something said
        "He returned to work after his requests for leave were denied.",  # a refusal of a request
        "His appeal, which was denied by the court, cost him $5,000.",  # a relative pronoun is no report
        "There is no evidence that the vaccine causes autism.",  # an absence of evidence is no denial
        "The minister is not a real doctor.",  # a negated description, not a report called untrue
        "The report is true.",
        "He is a fake doctor.",  # a fake person, not a report called fake
        "He bought a fake passport.",
    ],
)
def test_what_is_not_a_denial_stays_a_plain_statement(text):
    assert one(text).frame != "denies"


@pytest.mark.parametrize(
    "text",
    [
        "A spokesman did not immediately return emails seeking comment.",
        "The company refused to address the contents of the letter.",
        "The Kremlin would not confirm that the leaders had spoken.",
    ],
)
def test_non_committal_frames_are_hedges_not_claims(text):
    item = one(text)
    assert item.non_committal
    assert extract_claims([item]) == []


def test_an_unconfirmed_report_is_a_claim_not_a_hedge_about_others():
    item = one("There were unconfirmed reports that the minister had resigned.")
    assert not item.non_committal
    assert extract_claims([item])


def test_a_title_line_is_a_headline_source_of_its_own():
    items = attributed("Minister resigns over bridge scandal\n\nThe minister resigned on Friday, officials said.")
    assert items[0].headline and not items[1].headline


def test_a_quotation_mark_dropped_between_two_words_leaves_a_space():
    """ "maintained that“the claim…" must not read "Thatthe claim" (a fragment NLI cannot use)."""
    item = one("The agency maintained that\u201cthe dam gates were never opened.\u201d")
    assert item.speaker == "The agency"
    assert item.proposition in ("The dam gates were never opened.", "That the dam gates were never opened.")


@pytest.mark.parametrize(
    "text",
    [
        "“So there could be something I don’t know,” the spokesman said.",
        "The senator said he will probably be talking to the president next week.",
        "The meteorite may have been a fragment of a larger asteroid.",
        "Perhaps the plant will close in the spring.",
    ],
)
def test_a_possibility_or_forecast_is_speculative(text):
    assert one(text).speculative


@pytest.mark.parametrize(
    "text",
    [
        "The minister said the disease could not have been registered in Baghdad.",  # a possibility ruled out
        "The minister resigned on Monday.",
        "The company said it would close the plant in March.",  # a plan, reported: checkable
        "The union may not strike, a court ruled.",
        "It might sound odd, but I don't have a problem picturing God as a woman.",  # an assertion beside it
    ],
)
def test_facts_plans_and_ruled_out_possibilities_are_not_speculative(text):
    assert not one(text).speculative


@pytest.mark.parametrize(
    "text,speaker",
    [
        ("A false story claimed that the artist had been arrested by the police.", "A false story"),
        ("The bogus report says the town has been quarantined.", "The bogus report"),
        ("According to a satirical website, the mayor has resigned.", "a satirical website"),
    ],
)
def test_a_reporter_called_false_as_it_is_named_is_discredited(text, speaker):
    item = one(text)
    assert item.discredited and item.speaker == speaker and item.frame == "reports"


@pytest.mark.parametrize(
    "text",
    [
        "A local newspaper reported that the artist had been arrested.",
        "Hoax Slayer's founder said the changes will not backfire.",  # a name, not a false report
        "The report on false alarms said the town has been quarantined.",  # false modifies something else
    ],
)
def test_a_reporter_not_called_false_is_not_discredited(text):
    assert not one(text).discredited


def test_a_participle_of_saying_reports_its_clause_not_itself():
    """ "sources saying that S": the proposition is S, never the fragment "Saying that S"."""
    item = one("Iraqi news outlets cited unofficial sources saying that the king was personally flying a plane.")
    assert item.proposition == "The king was personally flying a plane."


def test_words_another_verb_quotes_are_not_the_frames_proposition():
    """ "he promised to fight back, saying the pilot's death “will not be in vain”": the quoted fragment
    belongs to "saying", not to "promised", and is never the claim's content on its own."""
    item = one("He promised to fight back hard, saying that the death of the pilot “will not be in vain”.")
    assert item.content != "Will not be in vain."
    assert "the death of the pilot" in item.content.lower()


def test_a_verbless_line_calling_a_report_false_denies_its_clause():
    """A caption or headline line: "The false report claiming Banksy had been arrested"."""
    item = one("The false report claiming Banksy had been arrested.")
    assert item.frame == "denies" and item.proposition == "Banksy had been arrested."
