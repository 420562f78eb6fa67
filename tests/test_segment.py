import pytest

from claimcheck.pipeline.segment import segment


def texts(text: str) -> list[str]:
    sentences = segment(text)
    for s in sentences:
        assert text[s.start : s.end] == s.text
    return [s.text for s in sentences]


def test_offsets_are_exact_on_the_seed(seed_text):
    sentences = segment(seed_text)
    assert len(sentences) > 25
    for s in sentences:
        assert seed_text[s.start : s.end] == s.text
        assert s.text == s.text.strip()
    assert [s.start for s in sentences] == sorted(s.start for s in sentences)


@pytest.mark.parametrize(
    "text,expected",
    [
        (
            "Mr. J. K. Rowling arrived at 5 p.m. on Monday. Sales rose 3.5 percent to $4.2 billion in the U.S. last year.",
            [
                "Mr. J. K. Rowling arrived at 5 p.m. on Monday.",
                "Sales rose 3.5 percent to $4.2 billion in the U.S. last year.",
            ],
        ),
        (
            "Gov. Smith said it was over. Gen. Ray Jr. disagreed.",
            ["Gov. Smith said it was over.", "Gen. Ray Jr. disagreed."],
        ),
        (
            "Police said the suspect fled… He was arrested later.",
            ["Police said the suspect fled…", "He was arrested later."],
        ),
        (
            "“So…there could be something I don’t know,” Peskov stated.",
            ["“So…there could be something I don’t know,” Peskov stated."],
        ),
    ],
)
def test_news_style_boundaries(text, expected):
    assert texts(text) == expected


def test_multi_sentence_quote_is_split_into_sentences():
    text = "“I hope it is quick. Every day, people die. “I want to finish this damn thing,” he told the New York Post."
    assert texts(text) == [
        "“I hope it is quick.",
        "Every day, people die.",
        "“I want to finish this damn thing,” he told the New York Post.",
    ]


def test_nested_and_curly_quotes_keep_attribution_in_the_sentence():
    text = "He said: “They told me ‘no deal.’ We left.” Then the talks ended."
    out = texts(text)
    assert out[-1] == "Then the talks ended."
    assert "’" in "".join(out)


def test_line_breaks_are_hard_boundaries():
    text = "Bridge closed after storm\nThe bridge was closed on Monday. Repairs begin today."
    sentences = segment(text)
    assert [s.text for s in sentences] == [
        "Bridge closed after storm",
        "The bridge was closed on Monday.",
        "Repairs begin today.",
    ]
    assert [s.paragraph for s in sentences] == [0, 1, 1]


@pytest.mark.parametrize("text", ["", "   \n\t ", "...", "“”"])
def test_empty_or_punctuation_only_text_does_not_fail(text):
    for s in segment(text):
        assert text[s.start : s.end] == s.text


def test_a_long_paragraph_is_segmented_in_blocks_without_cutting_abbreviations():
    unit = "The minister said the bridge will open in May. Mr. J. Smith of the U.S. Army disagreed. "
    text = unit * 200  # 17,800 characters in one paragraph: several pysbd blocks
    out = texts(text)
    assert out == ["The minister said the bridge will open in May.", "Mr. J. Smith of the U.S. Army disagreed."] * 200


def test_a_number_before_a_full_stop_is_not_a_sentence_of_its_own():
    """pysbd reads "day 0. The" as a list item "0."; news copy means the end of a sentence."""
    texts = [s.text for s in segment("The vote was on day 0. The count was on day 1. It ended on page 12.")]
    assert texts == ["The vote was on day 0.", "The count was on day 1.", "It ended on page 12."]


@pytest.mark.parametrize(
    "text,expected",
    [
        ("WASHINGTON (AP) — The Pentagon confirmed the raid.", ["The Pentagon confirmed the raid."]),
        ("SANAA, Dec 6 (Reuters) - Yemen's army said it fell.", ["Yemen's army said it fell."]),
        (
            "ELON, N.C. – A recent rumor claims that the term was banned.",
            ["A recent rumor claims that the term was banned."],
        ),
        ("(CNN) -- The city will change its policy.", ["The city will change its policy."]),
        ("BREAKING – The king will fly the mission.", ["The king will fly the mission."]),
        ("BREAKING: Local reports say the king will fly.", ["Local reports say the king will fly."]),
        ("NASA: the agency said no.", ["NASA: the agency said no."]),
        ("HOAX: The report claiming he was arrested", ["HOAX: The report claiming he was arrested"]),  # a verdict
        # not datelines: a subject with an aside, a capitalised name, a dash in the middle of a paragraph
        ("NASA – the agency – said no such thing.", ["NASA – the agency – said no such thing."]),
        ("Reuters - the agency - said so.", ["Reuters - the agency - said so."]),
        ("U.S. - China trade talks collapse", ["U.S. - China trade talks collapse"]),  # a headline's subject
        ("He spoke first. LONDON — The vote was held.", ["He spoke first.", "LONDON — The vote was held."]),
    ],
)
def test_a_paragraphs_dateline_is_not_part_of_its_first_sentence(text, expected):
    """The parser would read "WASHINGTON (AP)" or "BREAKING" as the lede's subject (a speaker, or no reporter
    at all); the offsets stay exact, the dateline is simply outside every sentence."""
    assert texts(text) == expected
