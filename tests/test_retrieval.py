from dataclasses import replace

import numpy as np
from helpers import attributed

from claimcheck.pipeline.claims import extract_claims
from claimcheck.pipeline.retrieval import (
    Limits,
    about_the_same_thing,
    attach_hedges,
    contradiction_candidates,
    evidence_text,
    key_tokens,
    rank_candidates,
    similarity,
    texts_to_embed,
    with_windows,
)
from claimcheck.pipeline.types import Candidate

TEXT = (
    "Police said 5 people died in the fire. The mayor opened a new park. Officials said 50 people died in the fire. "
    "Is the park open? The fire service would not confirm the report."
)


def setup():
    sentences = attributed(TEXT)
    return sentences, extract_claims(sentences)


def limits(top_k=4, min_similarity=0.3, hedge_similarity=0.45, per_claim=3, contradiction_similarity=0.2):
    return Limits(top_k, min_similarity, hedge_similarity, per_claim, contradiction_similarity)


def evidence(sentences):
    return [evidence_text(sentences, i) for i in range(len(sentences))]


def topic_similarity(sentences, topics):
    """Similarity 1 within a topic, 0 across (what an embedder would give in the ideal case)."""
    n = len(sentences)
    return np.array([[1.0 if topics[i] == topics[j] else 0.0 for j in range(n)] for i in range(n)])


def test_key_tokens_are_names_and_numbers():
    assert key_tokens("Police said 5 people died in Paris.") == {"5", "paris"}


def test_similarity_takes_the_better_of_content_and_full_text():
    sentences, _ = setup()
    assert len(texts_to_embed(sentences)) == 2 * len(sentences)
    content = np.eye(len(sentences))
    full = np.eye(len(sentences))
    full[0], full[2] = [1, 0, 0, 0, 0], [0.6, 0.8, 0, 0, 0]
    sim = similarity(np.vstack([content, full]))
    assert sim[0, 2] == sim[2, 0] == 0.6 and sim[0, 1] == 0.0


def test_top_k_keeps_the_most_similar_and_never_the_claim_itself_or_questions():
    sentences, claims = setup()
    sim = topic_similarity(sentences, ["fire", "park", "fire", "park", "fire"])
    chosen = {
        c.claim.id: c.evidence.sentence.index
        for c in rank_candidates(claims, sentences, sim, evidence(sentences), limits(top_k=1))
    }
    # the park claim has no other park statement (the question is skipped); the hedge is never evidence
    assert chosen == {"c1": 2, "c3": 0}


def test_opposite_polarity_claims_by_other_speakers_are_contradiction_candidates():
    sentences = attributed(
        "The talks made progress, the envoy said. There were no talks at all, the Kremlin "
        "said. The envoy added that the talks made no progress."
    )
    claims = extract_claims(sentences)
    sim = np.full((3, 3), 0.5)
    pairs = {(c.claim.id, c.evidence.sentence.index) for c in contradiction_candidates(claims, sim, limits())}
    assert pairs == {("c1", 1), ("c2", 0)}  # not c3: same speaker as c1 and same polarity as c2


def test_back_referring_hedge_is_read_with_its_predecessor_and_attaches_to_nearby_claims():
    sentences, claims = setup()
    hedge_index = len(sentences) - 1
    assert sentences[hedge_index].non_committal and sentences[hedge_index].refers_back
    assert evidence_text(sentences, hedge_index).startswith(sentences[hedge_index - 1].premise)
    attached = attach_hedges(
        claims, sentences, np.zeros((len(sentences), len(sentences))), evidence(sentences), limits(hedge_similarity=0.9)
    )
    # no similarity at all: only the lede and the claims within three sentences before the hedge
    assert {c.claim.id for c in attached} == {"c1", "c2", "c3"}


def test_same_thing_means_a_shared_name_number_or_two_content_words_not_a_topic():
    a, b, c, d = attributed(
        "Police said 5 people died in the fire in Lyon. Officials said the fire in Lyon killed "
        "nobody. The mayor praised the firefighters. Engineers said the old bridge is unsafe."
    )
    assert about_the_same_thing(a, b)
    assert not about_the_same_thing(a, d) and not about_the_same_thing(c, d)


def test_a_window_joins_the_adjacent_sentences_of_the_evidences_source_and_nothing_else():
    sentences = attributed(
        "The mayor said the council approved a budget that funds a new bridge. The council voted on Monday. "
        "The budget sets aside money for a new bridge. Residents denied that the bridge was needed. "
        "Is the bridge needed?"
    )
    body = next(c for c in extract_claims(sentences) if c.sentence.index == 0)
    headline = replace(body, source=replace(body.source, headline=True))  # as if it were the title line
    cands = [Candidate(headline, sentences[j], 0.8) for j in (1, 2, 3)]
    windows = [[s.sentence.index for s in c.window] for c in with_windows(cands, sentences, per_claim=2)]
    # never the claim's own sentence, another source's denial or a question; a denial gets no window
    assert windows == [[1, 2], [1, 2], []]
    assert [len(c.window) for c in with_windows(cands, sentences, per_claim=1)] == [2, 0, 0]
    assert all(not c.window for c in with_windows(cands, sentences, per_claim=0))
    # a claim in the body is matched sentence by sentence: no window
    assert all(not c.window for c in with_windows([replace(c, claim=body) for c in cands], sentences, 2))


def test_a_sentence_of_the_claims_own_source_still_offers_another_sources_clause_and_it_is_no_claim():
    sentences = attributed(
        "The hostages will be freed this week. The army announced a ceasefire on Friday, saying the hostages "
        "would soon be freed."
    )
    claims = extract_claims(sentences)
    claim = claims[0]  # the narrator's, as is the second sentence's own reading
    sim = np.ones((len(sentences), len(sentences)))
    found = [c for c in rank_candidates([claim], sentences, sim, evidence(sentences), limits()) if c.claim is claim]
    assert [(c.evidence.speaker, c.is_claim) for c in found] == [("The army", False)]
