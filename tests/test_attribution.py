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


# --- speakers are the people who speak (issue 23, point 2), on sentences written for the purpose ---


def test_a_role_named_in_apposition_is_the_speaker_and_she_points_back_to_it():
    items = attributed(
        "“I heard a blast,” Jorge Lopez told reporters. "
        "A government spokeswoman, Rosa Marin, said the crater was left by a meteorite. "
        "She said scientists had been called in."
    )
    assert items[1].speaker == "Rosa Marin"
    assert items[2].speaker == "Rosa Marin"  # not the witness quoted before her


def test_he_in_a_report_is_the_named_subject_of_the_same_sentence():
    items = attributed(
        "“We are watching closely,” spokesman Colonel Pat Reed said. "
        "General Lloyd Arden, head of the command, said he could not confirm that the pilots had defected."
    )
    assert items[1].speaker == "Lloyd Arden"
    assert items[1].non_committal


def test_he_points_back_to_an_unnamed_spokesman_not_to_an_earlier_name():
    items = attributed(
        "Jeff Tolan, the son of the owner, said he had sold the truck years ago. "
        "An AutoNation spokesman denied any direct involvement. "
        "He said the company sent the truck to an auction."
    )
    assert items[2].speaker == "An AutoNation spokesman"


def test_a_report_in_a_relative_clause_is_not_the_sentences_frame():
    items = attributed(
        "National Report is a fake news site that publishes made-up stories about celebrities. "
        "The officials blasted the secretary for the trade, which the administration said would have ended the deal."
    )
    for item in items:
        assert item.speaker is None
        assert item.frame == "asserts"
        assert item.premise.startswith(item.sentence.text.split()[0])  # the whole main clause, not a fragment


def test_words_in_scare_quotes_are_not_a_quotation():
    item = attributed("A “satirical” website, Huzlers.com, posted an article about six days of darkness.")[0]
    assert item.speaker is None
    assert item.frame == "asserts"


def test_generic_you_is_no_speaker():
    item = attributed("The story falls apart when you wonder why the detective shares his name with an author.")[0]
    assert item.speaker is None


def test_a_quotation_continued_over_several_sentences_keeps_its_speaker():
    items = attributed(
        "“I have heard that he is suspended,” Olsen said on the radio show. "
        "“I heard he is on a month’s suspension. It is a strong witness. "
        "It is a credible person that is telling me this.” "
        "The tour said it does not announce suspensions."
    )
    assert [a.speaker for a in items[:4]] == ["Olsen"] * 4
    assert items[4].speaker == "The tour"


def test_a_quotation_opened_by_an_attributed_sentence_keeps_its_speaker_until_it_closes():
    items = attributed(
        "Brett Christensen told the paper that “I do not think the changes will backfire. "
        "After all, Facebook is not going to delete the posts.” "
        "Facebook did not respond to a request for comment."
    )
    assert items[1].speaker == "Brett Christensen"
    assert items[2].speaker is None  # after the quotation closes, the narrator again


def test_a_denial_or_refusal_in_a_relative_clause_is_kept_and_who_is_the_named_person():
    items = attributed(
        "“The committee is looking into it,” said Dustin Walker, a spokesman, who could not confirm the allegation. "
        "He noted that the chairman had expressed concern."
    )
    assert items[0].speaker == "Dustin Walker"
    assert items[0].non_committal
    assert items[1].speaker == "Dustin Walker"


def test_a_directive_has_its_issuer_as_source():
    item = attributed(
        "In a statement, the ministry advised soldiers to “cover their faces with a wet cloth to protect themselves”."
    )[0]
    assert item.speaker == "the ministry"


def test_it_in_an_organisations_report_is_the_organisation_and_she_is_the_person_named():
    items = attributed(
        "The city will close four libraries, Mayor Ana Ruiz announced on Monday. "
        "The mayor's office confirmed that she had signed the order. "
        "The librarians' union denied that it had been consulted."
    )
    assert items[1].content == "Ruiz had signed the order."  # not "The mayor's office had signed the order."
    # (the plural's apostrophe reads as a closing quote mark and goes)
    assert items[2].premise == "The librarians union had been consulted."


# --- several readings of one sentence, and words the narrator only introduces (issue 23, point 2) ------------


def _readings(item):
    return [(r.speaker, r.frame, r.proposition) for r in item.readings]


def test_a_participle_of_saying_is_a_second_reading_and_the_main_clause_stays():
    item = attributed("The army announced a ceasefire on Friday, saying the hostages would soon be freed.")[0]
    assert item.speaker is None and "announced a ceasefire" in item.proposition  # the narrator's assertion is kept
    assert _readings(item) == [("The army", "reports", "The hostages would soon be freed.")]


def test_a_rumour_that_spreads_is_not_the_speaker_of_a_participle():
    item = attributed("Rumours spread after the king promised to strike back, saying the pilot had not died in vain.")[
        0
    ]
    assert all(r.speaker != "Rumours" for r in item.readings)


def test_a_clause_beside_a_denial_is_told_by_the_outer_reporter_not_the_denier():
    item = attributed(
        "An official denied that the woman is the leader's wife, as confusion continues over a woman and child "
        "captured by the army, the agency reported."
    )[0]
    assert (item.speaker, item.frame) == ("An official", "denies")
    told = [r for r in item.readings if "captured by the army" in r.proposition]
    assert len(told) == 1 and told[0].speaker == "the agency" and told[0].frame == "reports"
    assert "official" not in told[0].proposition.lower()


def test_two_reports_side_by_side_are_two_readings():
    item = attributed("The police said the road was closed, and the mayor denied that the bridge had collapsed.")[0]
    speakers = {item.speaker} | {r.speaker for r in item.readings}
    assert speakers == {"The police", "the mayor"}
    assert {item.frame} | {r.frame for r in item.readings} == {"reports", "denies"}


def test_a_condition_is_no_reading():
    item = attributed("The ministry said the road was closed, unless the river rises.")[0]
    assert not any("river rises" in r.proposition for r in item.readings)


def test_readings_do_not_change_who_a_later_pronoun_means():
    later = "The spokesman for the council said the vote is set. It said the date is fixed."
    with_reading = attributed("The council announced the plan, saying the union had agreed. " + later)
    without = attributed("The council announced the plan. " + later)
    assert with_reading[0].readings and not without[0].readings
    assert [a.speaker for a in with_reading[1:]] == [a.speaker for a in without[1:]]


def test_a_quotation_introduced_by_saying_comma_is_the_speakers():
    items = attributed(
        "Asked about the ban, the cleric replied, saying,\n\n“It is not permitted to build a statue of snow.”\n\n"
        "The ruling was widely shared."
    )
    assert items[0].speaker is None and items[0].introduces == "the cleric"
    assert items[1].speaker == "the cleric"
    assert items[2].speaker is None  # the quotation closed: the narrator speaks again


def test_a_block_quotation_after_a_colon_is_its_sources_and_a_picture_is_not_words():
    items = attributed(
        "The magazine ran its own test and reported the following:\n\nIn our testing, the reset deleted every "
        "document. The files did not come back.\n\nThe company did not comment."
    )
    assert [i.speaker for i in items[1:3]] == ["The magazine", "The magazine"]
    assert items[3].speaker is None or items[3].speaker == "The company"
    shown = attributed("The palace published a picture of the king in pilot gear:\n\nThe picture was shared widely.")
    assert shown[1].speaker is None


def test_an_embedded_tweet_is_its_authors_and_nli_reads_it_without_links():
    items = attributed(
        "Police sealed off the clinic on Wednesday.\n\n"
        "RIGHT NOW: car outside the clinic taped off with red tape pic.twitter.com/abc123\n\n"
        "— Ray Villa (@RayVilla) October 8, 2014\n\nThe patient was taken to hospital."
    )
    tweet = next(i for i in items if i.sentence.text.startswith("RIGHT NOW"))
    assert tweet.speaker == "Ray Villa"
    assert "pic.twitter.com" not in tweet.proposition and "taped off with red tape" in tweet.proposition
    assert items[0].speaker is None and items[-1].speaker is None  # the narrator's paragraphs stay the narrator's


def test_a_quote_after_a_named_speaker_is_theirs():
    items = attributed(
        "Strauch said it was strange that no one had reported a streak of light.\n\n"
        "“We have to ask if anyone has a photo or something.”"
    )
    assert items[1].speaker == "Strauch"


def test_quoted_words_nobody_is_named_for_are_not_the_narrators_but_a_quoted_title_is():
    from claimcheck.pipeline.sources import same_source

    items = attributed(
        "The site posted a notice on Monday.\n\n“All files stored on the server will be deleted at midnight.”\n\n"
        "“Home Alone” was filmed in Chicago."
    )
    narrator, quote, title_line = items
    assert quote.speaker is None and quote.unattributed_quote
    assert not same_source(narrator, quote)  # the quote may corroborate the narrator, and the narrator it
    assert not title_line.unattributed_quote and same_source(narrator, title_line)


def test_the_narrators_first_clause_leads_when_a_report_is_only_coordinated_with_it():
    item = attributed(
        "A man with a rifle shot a guard at the memorial, and witnesses said there were further shots nearby."
    )[0]
    assert (item.speaker, item.frame) == (None, "asserts")
    assert item.proposition == "A man with a rifle shot a guard at the memorial."
    assert _readings(item) == [("witnesses", "reports", "There were further shots nearby.")]
    denial = attributed("There was no announcement from the ministry, and an official denied the story.")[0]
    assert denial.frame == "denies"  # a denial beside the first clause is the sentence's point: it stays the frame


def test_a_headline_line_offers_no_reading_as_evidence():
    items = attributed(
        "Kremlin announces truce, saying troops will withdraw from the city\n\nThe troops left on Monday."
    )
    assert items[0].headline and not items[0].readings


def test_a_coordinated_report_that_calls_the_reports_false_stays_the_denial():
    item = attributed(
        "Crowds gathered outside the palace on Sunday, and the ministry said the reports of a coup were false."
    )[0]
    assert item.frame == "denies" and item.speaker == "the ministry"


def test_the_first_clauses_core_leaves_the_coordinated_report_out():
    item = attributed(
        "A man with a rifle shot a guard at the memorial in the capital on Sunday, and police said he fled."
    )[0]
    assert "police" not in (item.core or "") and "police" not in item.proposition


def test_an_unnamed_quote_over_two_sentences_is_one_source_apart_from_the_narrator():
    from claimcheck.pipeline.sources import same_source

    items = attributed(
        "The town was flooded.\n\n“We will rebuild the town. The town deserves it and we will not stop.”"
    )
    narrator, first, second = items
    assert first.unattributed_quote and second.unattributed_quote
    assert same_source(first, second) and not same_source(narrator, second)


def test_a_quoted_title_then_a_quoted_phrase_is_still_the_narrators():
    item = attributed(
        "“Home Alone” was filmed in Chicago during what locals call “the worst winter in living memory.”"
    )[0]
    assert not item.unattributed_quote


def test_an_organisation_named_with_and_without_the_article_is_one_speaker():
    items = attributed("The Pentagon said the drill was routine. Pentagon said the ships would return on Monday.")
    assert items[0].speaker == items[1].speaker


def test_a_tweet_signature_line_is_neither_claim_nor_evidence():
    from claimcheck.pipeline.claims import extract_claims

    items = attributed(
        "Police sealed the clinic.\n\nCar outside the clinic taped off pic.twitter.com/abc123\n\n— Ray Villa (@RayVilla) October 8, 2014"
    )
    signature = items[-1]
    assert signature.speaker == "Ray Villa" and signature.premise == ""
    assert all(c.source is not signature for c in extract_claims(items))
