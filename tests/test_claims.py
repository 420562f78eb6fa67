import pytest
from helpers import attributed

from claimcheck.pipeline.claims import extract_claims


def claim_texts(text: str) -> list[str]:
    return [c.sentence.text for c in extract_claims(attributed(text))]


@pytest.mark.parametrize(
    "sentence",
    [
        "Will the bridge open in May?",
        "“Is this the end?” she asked.",
        "I hope it is quick.",
        "The war is quite nasty.",
        "On both sides.",
        "The ministry declined to comment on the report.",
        "It was unclear whether the talks would resume.",
        "The US president expressed optimism that the war will end soon.",
    ],
)
def test_not_claims(sentence):
    assert claim_texts(sentence) == []


@pytest.mark.parametrize(
    "sentence",
    [
        "The bridge opened in 1932.",
        "Police said 5 people died.",
        "The company denied that it had cut 500 jobs.",
        "Washington and Moscow communicate through different channels, the spokesman said.",
    ],
)
def test_claims(sentence):
    assert claim_texts(sentence) == [sentence]


def test_claim_ids_are_stable_and_in_order():
    claims = extract_claims(attributed("The bridge opened in 1932. Is it safe? The tunnel opened in 1950."))
    assert [c.id for c in claims] == ["c1", "c2"]
    assert claims[1].sentence.text == "The tunnel opened in 1950."
