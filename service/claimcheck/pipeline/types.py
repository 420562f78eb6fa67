"""Plain dataclasses passed between pipeline stages: text in, these out, no Flask, no torch."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

Label = Literal["confirmed", "denied", "unverified"]
Relation = Literal["supports", "refutes", "non_committal"]
# what a sentence does with its proposition (pipeline/frames.py)
FrameKind = Literal["asserts", "reports", "confirms", "denies", "declines"]


@dataclass(frozen=True)
class Token:
    """One token of a dependency parse, as plain data (the parser backend is injected, like the models)."""

    i: int
    text: str
    idx: int  # character offset in the sentence
    lemma: str
    pos: str
    dep: str
    head: int  # index of the head token (itself for the root)
    ent: str = ""  # entity type, "" outside entities

    @property
    def end(self) -> int:
        return self.idx + len(self.text)


Parse = tuple[Token, ...]


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


@dataclass(frozen=True)
class Attributed:
    """A sentence as a source, a frame and a proposition.

    ``speaker`` is None for the narrator; ``content`` the proposition once the attribution is removed
    ("Trump said … he had talked with Putin" → "Trump had talked with Putin"); ``frame`` what the
    speaker does with it (a denial's content is what is denied); ``core`` the content's main clause
    without its adjuncts, when that is shorter (a second source often restates only the core).
    """

    sentence: Sentence
    speaker: str | None
    content: str
    reporting_verb: str | None = None
    non_committal: bool = False  # "can neither confirm nor deny", "declined to comment", ...
    refers_back: bool = False  # "this news", "the report": needs the previous sentence as context
    frame: FrameKind = "asserts"
    core: str | None = None
    headline: bool = False  # the article's title (or a title line): a source of its own, never evidence
    proposition: str = ""  # what NLI compares: ``content``, or for a denial what is denied
    target_is_reference: bool = False  # "denied the reports": the proposition is a report made earlier
    speaker_context: str | None = None  # the speaker's whole phrase: "Dmitry Peskov, the Kremlin spokesperson"
    predicate: str | None = None  # the proposition's head lemma: "spoke to us about closures" → "speak"
    speculative: bool = False  # "there could be …", "will probably …": a possibility or forecast, not a fact
    discredited: bool = False  # "a false story claimed that S": the narrator denies what this source reports
    # the sentence's other assertions, read as evidence beside this one ("X denied S, as a child was captured")
    readings: tuple[Attributed, ...] = ()
    introduces: str | None = None  # "the cleric replied, saying,": the speaker whose words the next sentences are
    quotation: bool = False  # it opens with someone's quoted words; with no speaker found, an unnamed source's

    @property
    def unattributed_quote(self) -> bool:
        """Quoted words whose speaker the article does not name here: not the narrator's own (a source apart)."""
        return self.quotation and self.speaker is None

    @property
    def denies(self) -> bool:
        """The sentence denies its proposition: a denial, or a report the narrator calls false as it names it."""
        return self.frame == "denies" or self.discredited

    @property
    def premise(self) -> str:
        return self.proposition or self.content


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
    """An evidence sentence ranked for a claim; ``is_claim``: the evidence is a claim itself, and
    refutes only through a contradiction pair; ``resolved``: the evidence is a denial or confirmation
    whose target ("the reports") resolves to this claim (references.py), and ``similarity`` is how
    sure that resolution is; ``window``: the evidence read together with the sentences around it by the
    same source, since a second source rarely says it all in one sentence (MiniCheck's chunks)."""

    claim: Claim
    evidence: Attributed
    similarity: float
    is_claim: bool = False
    resolved: bool = False
    window: tuple[Attributed, ...] = ()  # the evidence with its source's adjacent sentences (retrieval.with_windows)

    @property
    def reads_propositions(self) -> bool:
        """Both sides are propositions NLI can compare: no hedge, no reference ("denied the reports"), and no
        speculation ("there could be …", "will probably …"): a possibility neither confirms nor contradicts."""
        ev, claim = self.evidence, self.claim.source
        return not any(
            (ev.non_committal, ev.target_is_reference, claim.target_is_reference, ev.speculative, claim.speculative)
        )

    @property
    def window_premise(self) -> str:
        """What NLI reads for the window: its sentences' propositions, in order ("" without one)."""
        return " ".join(item.premise for item in self.window)


@dataclass(frozen=True)
class Evidence:
    sentence: Sentence
    speaker: str | None
    relation: Relation
    score: float
    scores: dict[str, float] = field(default_factory=dict)
    window: tuple[int, int] | None = None  # the span of the window that, not the sentence alone, gave the score


@dataclass(frozen=True)
class Verdict:
    claim: Claim
    label: Label
    confidence: float
    scores: dict[str, float]
    evidence: list[Evidence]
    features: dict[str, float] = field(default_factory=dict)  # what the decision read (verdict.FEATURES)


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
    title: Verdict | None = None  # the headline's verdict against the body, when a title was sent
