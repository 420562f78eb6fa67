"""The parser backend: plain tokens out, and a vocabulary that does not grow with what it reads."""

import random
import string

from helpers import parser


def test_parses_are_plain_tokens_with_offsets_into_the_sentence():
    (parse,) = parser().parse(["The Kremlin denied that Putin met the envoy."])
    text = "The Kremlin denied that Putin met the envoy."
    assert all(text[t.idx : t.end] == t.text for t in parse)
    assert next(t for t in parse if t.text == "denied").lemma == "deny"


def test_new_words_do_not_grow_the_shared_vocabulary():
    """A worker reads millions of unseen names; spaCy would keep every string forever outside a memory zone."""
    p = parser()
    rng = random.Random(3)
    before = len(p.nlp.vocab.strings)
    for _ in range(50):
        novel = " ".join("".join(rng.choice(string.ascii_lowercase) for _ in range(9)) for _ in range(8))
        p.parse([f"Officials said {novel}."])
    assert len(p.nlp.vocab.strings) == before
