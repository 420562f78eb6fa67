"""The per-worker memo: a re-check after a small edit computes only what changed, with the same answer."""

import numpy as np
from helpers import parser

from claimcheck.config import Settings
from claimcheck.pipeline import Verifier
from claimcheck.pipeline.memo import Memo
from claimcheck.runtime import options_from

OPTIONS = options_from(Settings())

ARTICLE = (
    "The council approved a budget of $4 million for the library on Tuesday, the mayor said. "
    "The council clerk confirmed that the council approved the $4 million library budget. "
    "The opposition denied that the council approved the budget."
)


class CountingNLI:
    def __init__(self) -> None:
        self.pairs_seen: list[tuple[str, str]] = []

    def predict(self, pairs, before_batch=None):
        self.pairs_seen += pairs
        return [
            {"entailment": 0.1, "neutral": 0.2, "contradiction": 0.7}
            if "denied" in p
            else {"entailment": 0.8, "neutral": 0.1, "contradiction": 0.1}
            for p, _ in pairs
        ], None


class CountingEncoder:
    def __init__(self) -> None:
        self.texts_seen: list[str] = []

    def encode(self, texts, before_batch=None):
        self.texts_seen += texts
        vecs = np.array([[1.0, ("council" in t) * 1.0, ("budget" in t) * 1.0, len(t) % 7 / 10] for t in texts])
        return vecs / np.linalg.norm(vecs, axis=1, keepdims=True)


def labels(result):
    return [(v.claim.id, v.label, v.confidence) for v in result.verdicts], result.contradictions


def test_a_repeat_costs_no_model_call_and_gives_the_same_answer():
    nli, enc = CountingNLI(), CountingEncoder()
    verifier = Verifier(nli, enc, parser(), OPTIONS, memo_entries=1000)
    first = verifier.verify(ARTICLE)
    calls = len(nli.pairs_seen), len(enc.texts_seen)
    assert calls[0] > 0 and calls[1] > 0
    assert labels(verifier.verify(ARTICLE)) == labels(first)
    assert (len(nli.pairs_seen), len(enc.texts_seen)) == calls


def test_an_edit_recomputes_only_the_edited_sentence():
    nli, enc = CountingNLI(), CountingEncoder()
    verifier = Verifier(nli, enc, parser(), OPTIONS, memo_entries=1000)
    verifier.verify(ARTICLE)
    before = len(enc.texts_seen)
    edited = ARTICLE.replace("The opposition denied", "The opposition party denied")
    verifier.verify(edited)
    new_texts = enc.texts_seen[before:]
    assert new_texts and all("opposition party" in t for t in new_texts)
    assert labels(verifier.verify(edited)) == labels(
        Verifier(CountingNLI(), CountingEncoder(), parser(), OPTIONS).verify(edited)
    )


def test_off_by_default_and_bounded():
    nli, enc = CountingNLI(), CountingEncoder()
    verifier = Verifier(nli, enc, parser(), OPTIONS)  # 0 entries
    verifier.verify(ARTICLE)
    once = len(nli.pairs_seen)
    verifier.verify(ARTICLE)
    assert len(nli.pairs_seen) == 2 * once
    memo = Memo(2)
    memo.store([("a", 1), ("b", 2), ("c", 3)])
    found, missing = memo.lookup(["a", "b", "c", "c"])
    assert found == {"b": 2, "c": 3} and missing == ["a"]  # least recently used went first; keys once each
