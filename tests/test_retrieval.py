import numpy as np

from claimcheck.pipeline.attribution import attribute
from claimcheck.pipeline.claims import extract_claims
from claimcheck.pipeline.retrieval import attach_hedges, evidence_text, key_tokens, rank_candidates
from claimcheck.pipeline.segment import segment

TEXT = ("Police said 5 people died in the fire. The mayor opened a new park. Officials said 50 people died in the fire. "
        "Is the park open? The fire service would not confirm the report.")


def setup():
    sentences = attribute(segment(TEXT))
    claims = extract_claims(sentences)
    return sentences, claims


def unit(rows):
    m = np.array(rows, dtype=float)
    return m / np.linalg.norm(m, axis=1, keepdims=True)


def test_key_tokens_are_names_and_numbers():
    assert key_tokens("Police said 5 people died in Paris.") == {"5", "paris"}


def test_top_k_keeps_the_most_similar_and_never_the_claim_itself_or_questions():
    sentences, claims = setup()
    # claim vectors: c1 (police), c2 (park), c3 (officials); sentence vectors follow the topic
    topic = {0: [1, 0], 1: [0, 1], 2: [1, 0.1], 3: [0, 1], 4: [1, 0.2]}
    ev = unit([topic[i] for i in range(len(sentences))])
    cv = unit([topic[c.sentence.index] for c in claims])
    cands = rank_candidates(claims, sentences, cv, ev, top_k=1, min_similarity=0.3)
    chosen = {c.claim_id: c.evidence.sentence.index for c in cands}
    assert chosen == {"c1": 2, "c3": 0}  # the park claim has no other park statement, the question is skipped
    assert all(c.evidence.sentence.index != int(c.claim_id[1:]) - 1 for c in cands)


def test_back_referring_sentence_is_read_with_its_predecessor_and_hedges_attach_to_nearby_claims():
    sentences, claims = setup()
    hedge_index = len(sentences) - 1
    assert sentences[hedge_index].non_committal and sentences[hedge_index].refers_back
    assert evidence_text(sentences, hedge_index).startswith(sentences[hedge_index - 1].content)
    zeros = np.zeros((len(claims), 2))
    attached = attach_hedges(claims, sentences, zeros + [1, 0], np.zeros((len(sentences), 2)) + [0, 1],
                             min_similarity=0.9)
    # no similarity at all: only the lede and the claims within three sentences before the hedge
    assert {c.claim_id for c in attached} == {"c1", "c2", "c3"}
