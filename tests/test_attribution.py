from helpers import attributed


def by_prefix(items, prefix: str):
    return next(a for a in items if a.sentence.text.startswith(prefix))


def test_seed_speakers(seed_text):
    items = attributed(seed_text)
    assert by_prefix(items, "“So…there could be something").speaker == "Dmitry Peskov"
    assert by_prefix(items, "Dmitry Peskov, the Kremlin spokesperson").speaker == "Dmitry Peskov"
    assert by_prefix(items, "He noted that Washington").speaker == "Dmitry Peskov"
    assert by_prefix(items, "President Donald Trump said").speaker == "Donald Trump"
    assert by_prefix(items, "The Kremlin informed AWN").speaker == "The Kremlin"
    assert by_prefix(items, "Amid increased expectations").speaker == "a top Russian senator"
    assert by_prefix(items, "Zelensky is set to head").speaker is None


def test_reported_speech_is_unwrapped_and_the_speaker_pronoun_resolved(seed_text):
    lede = by_prefix(attributed(seed_text), "President Donald Trump said")
    assert lede.content == "Trump had talked with Russian President Vladimir Putin."
    kremlin = by_prefix(attributed(seed_text), "The Kremlin informed AWN")
    assert kremlin.content.startswith("There had been no substantive talks on a possible meeting")


def test_multi_sentence_quote_gets_the_speaker_named_where_it_closes(seed_text):
    items = attributed(seed_text)
    for prefix in ("“I hope it is quick.", "Every day, people die.", "The war in Ukraine is quite nasty."):
        assert by_prefix(items, prefix).speaker == "Donald Trump"


def test_according_to_and_quote_first_forms():
    items = attributed("The plant will close in May, according to the union. “We were not consulted,” Ms. Diaz said.")
    assert items[0].speaker == "the union"
    assert items[0].content == "The plant will close in May."
    assert items[1].speaker == "Diaz"
    assert items[1].content == "We were not consulted."


def test_surname_and_title_map_to_one_speaker():
    items = attributed(
        "Senator Maria Lopez said the bill will pass. Lopez later told reporters the vote is set. "
        "The senator added that she was confident."
    )
    assert {a.speaker for a in items} == {"Maria Lopez"}


def test_denial_frame_is_not_unwrapped():
    item = attributed("The ministry denied that the bridge will open in May.")[0]
    assert item.speaker == "The ministry"
    assert "denied" in item.content


def test_narrator_sentence_has_no_speaker():
    item = attributed("The bridge opened in 1932.")[0]
    assert item.speaker is None and item.content == "The bridge opened in 1932."


def test_capitalised_group_speaker_at_sentence_start():
    """ "Independent engineers said …" is the engineers' claim, not the narrator's."""
    item = attributed("Independent engineers said the old bridge is not safe for heavy traffic.")[0]
    assert item.speaker == "Independent engineers"
    assert item.content == "The old bridge is not safe for heavy traffic."
