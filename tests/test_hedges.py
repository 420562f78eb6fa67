import pytest

from claimcheck.pipeline.hedges import is_non_committal, refers_back


@pytest.mark.parametrize(
    "text",
    [
        "Dmitry Peskov told AWN that he “can neither deny nor confirm this news.”",
        "The club declined to comment.",
        "The claim could not be independently verified.",
        "It was unclear whether the two men had met.",
        "The ministry said it had no information about the incident.",
        "Officials would not confirm or deny the report.",
        "There was no immediate confirmation of the deaths.",
        "A spokesman did not respond to a request for comment.",
    ],
)
def test_non_committal(text):
    assert is_non_committal(text)


@pytest.mark.parametrize(
    "text",
    [
        "The ministry denied the report.",
        "Police confirmed that two people died.",
        "The minister said the bridge will open in May.",
        "It was clear that the talks had failed.",
    ],
)
def test_committal(text):
    assert not is_non_committal(text)


def test_refers_back():
    assert refers_back("He can neither deny nor confirm this news.")
    assert refers_back("The ministry called the report false.")
    assert not refers_back("The ministry said the bridge is closed.")
