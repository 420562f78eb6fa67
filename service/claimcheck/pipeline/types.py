"""Plain dataclasses passed between pipeline stages: text in, these out, no Flask, no torch."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

Label = Literal["confirmed", "denied", "unverified"]
Relation = Literal["supports", "refutes", "non_committal"]


@dataclass(frozen=True)
class Sentence:
    """A sentence of the article.

    ``text`` is what the pipeline reads (normalized: markup and control characters blanked, same
    length); ``raw`` is the submitted ``article[start:end]``, what the API returns.
    """

    index: int
    start: int
    end: int
    text: str
    paragraph: int = 0
    raw: str | None = None

    @property
    def submitted(self) -> str:
        return self.text if self.raw is None else self.raw


def same_speaker(a: str | None, b: str | None) -> bool:
    """One speaker, case aside; the narrator (None) counts as one speaker too."""
    return (a or "").lower() == (b or "").lower()


@dataclass(frozen=True)
class Attributed:
    """A sentence with its speaker (None: the narrator) and what it asserts once attribution is removed."""

    sentence: Sentence
    speaker: str | None
    content: str
    reporting_verb: str | None = None
    non_committal: bool = False  # "can neither confirm nor deny", "declined to comment", ...
    refers_back: bool = False  # "this news", "the report": needs the previous sentence as context


@dataclass(frozen=True)
class Claim:
    id: str
    source: Attributed

    @property
    def sentence(self) -> Sentence:
        return self.source.sentence

    @property
    def content(self) -> str:
        return self.source.content

    @property
    def speaker(self) -> str | None:
        return self.source.speaker


@dataclass(frozen=True)
class Candidate:
    """An evidence sentence ranked for a claim, with the text the NLI model reads as premise."""

    claim_id: str
    evidence: Attributed
    premise: str
    similarity: float


@dataclass(frozen=True)
class Evidence:
    sentence: Sentence
    speaker: str | None
    relation: Relation
    score: float
    scores: dict[str, float] = field(default_factory=dict)


@dataclass(frozen=True)
class Verdict:
    claim: Claim
    label: Label
    confidence: float
    scores: dict[str, float]
    evidence: list[Evidence]


@dataclass(frozen=True)
class Contradiction:
    claim_ids: tuple[str, str]
    score: float


@dataclass(frozen=True)
class ArticleResult:
    verdicts: list[Verdict]
    contradictions: list[Contradiction]
    sentences: list[Attributed]
    nli_pairs: int
