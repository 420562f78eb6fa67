import numpy as np

from claimcheck.pipeline.attribution import attribute
from claimcheck.pipeline.claims import extract_claims
from claimcheck.pipeline.retrieval import (attach_hedges, contradiction_candidates, evidence_text, key_tokens,
                                           rank_candidates, similarity, texts_to_embed)
from claimcheck.pipeline.segment import segment

TEXT = ("Police said 5 people died in the fire. The mayor opened a new park. Officials said 50 people died in the fire. "
        "Is the park open? The fire service would not confirm the report.")


def setup():
    sentences = attribute(segment(TEXT))
    return sentences, extract_claims(sentences)


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
    chosen = {c.claim_id: c.evidence.sentence.index for c in rank_candidates(claims, sentences, sim, 1, 0.3)}
    # the park claim has no other park statement (the question is skipped); the hedge is never evidence
    assert chosen == {"c1": 2, "c3": 0}


def test_opposite_polarity_claims_by_other_speakers_are_contradiction_candidates():
    sentences = attribute(segment("The talks made progress, the envoy said. There were no talks at all, the Kremlin "
                                  "said. The envoy added that the talks made no progress."))
    claims = extract_claims(sentences)
    sim = np.full((3, 3), 0.5)
    pairs = {(c.claim_id, c.evidence.sentence.index) for c in contradiction_candidates(claims, sentences, sim, 3, 0.2)}
    assert pairs == {("c1", 1), ("c2", 0)}  # not c3: same speaker as c1 and same polarity as c2


def test_back_referring_hedge_is_read_with_its_predecessor_and_attaches_to_nearby_claims():
    sentences, claims = setup()
    hedge_index = len(sentences) - 1
    assert sentences[hedge_index].non_committal and sentences[hedge_index].refers_back
    assert evidence_text(sentences, hedge_index).startswith(sentences[hedge_index - 1].content)
    attached = attach_hedges(claims, sentences, np.zeros((len(sentences), len(sentences))), min_similarity=0.9)
    # no similarity at all: only the lede and the claims within three sentences before the hedge
    assert {c.claim_id for c in attached} == {"c1", "c2", "c3"}
