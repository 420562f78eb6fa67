"""Reference resolution: which claims "the reports", "that rumour" or "it" point back to.

News answers a claim by reference far more often than by restating it: "These claims are completely
false", "Amazon quickly shot down that rumor", "Saudi officials deny the claim", "It was all a hoax".
The frame (frames.py) reads such a sentence as a denial or confirmation whose target is a noun
phrase, not a proposition, so NLI has nothing to compare.  This stage resolves the target to the
claims it names, in the order a reader does:

1. **by reporter** — the phrase names who made the report ("Hunter's claim", "a Daily Mirror
   report"): that source's claims;
2. **by description** — the phrase carries content ("rumours of Ms Rosenberg's kidnap", "the $72
   million figure", "the castration allegation"): the claims that share what it describes (its
   numbers and content words; its names only when it has nothing else);
3. **bare** ("the story", "these claims", "it", "this") — the nearest preceding claims of another
   source within :data:`WINDOW` sentences (read against the referring sentence and the one before
   it, which says what "it" is).

The title sent with an article is the story itself: a bare reference in its body points at it too, and
a described one when it describes the title (a headline that is itself a denial is never a target).

Among the claims a rule admits, the ones most similar to the referring sentence are kept (the best,
and others within :data:`MARGIN`); a body claim below the similarity floor is never resolved.  The result
is a :class:`~claimcheck.pipeline.types.Candidate` with ``resolved=True``: the verdict reads it
through the frame (a denial refutes, a confirmation supports) with the rule's :data:`CONFIDENCE` as
its score, and no NLI pair is spent on it.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence

import numpy as np

from claimcheck.pipeline.lexicon import REFERENCE_NOUNS
from claimcheck.pipeline.retrieval import content_words, is_negative, key_tokens
from claimcheck.pipeline.sources import same_source
from claimcheck.pipeline.types import Attributed, Candidate, Claim

WINDOW = 3  # a bare reference points at most this many sentences back
MARGIN = 0.05  # claims this close to the best match are resolved too ("the reports" often covers several)
# how sure each rule is: a named reporter or a described content pins the target; "it" may be anything nearby
CONFIDENCE = {"reporter": 0.9, "description": 0.85, "bare": 0.75}
_NAME = re.compile(r"\b[A-Z][\w’'-]+")


def _name(word: str) -> str:
    return re.sub(r"[’']s?$", "", word).lower()


def _names(phrase: str) -> set[str]:
    """Capitalised words of the target phrase that name someone or something ("Hunter’s claim")."""
    return {n for m in _NAME.finditer(phrase) if (n := _name(m.group())) and n not in REFERENCE_NOUNS}


def _speaker_names(item: Attributed) -> set[str]:
    return {_name(w) for w in _NAME.findall(" ".join(x for x in (item.speaker, item.speaker_context) if x))}


def _words(text: str) -> set[str]:
    return key_tokens(text) | content_words(text)


def _description(phrase: str) -> set[str]:
    """What the target phrase says about its content: numbers and content words, reference nouns aside
    (a leading space: the phrase's first word is not a sentence's first word, and may be a name)."""
    return _words(" " + phrase) - REFERENCE_NOUNS


def is_reference(item: Attributed) -> bool:
    """A denial or confirmation whose target is a noun phrase standing for something reported."""
    return item.target_is_reference and item.frame in ("denies", "confirms") and not item.non_committal


_REPORTED = re.compile(
    r"\b(?:reported(?:ly)?|allegedly|alleged|purported(?:ly)?|rumou?r\w*|claim\w*|according to)\b", re.IGNORECASE
)


def _eligible(claim: Claim, ref: Attributed) -> bool:
    """A claim a reference may point at: said before it (or the title), by another source, and itself a
    report — a speaker's, or one the narrator marks as reported ("allegedly", "according to") — of a
    positive proposition (a denial or a hedge is not what "the claims" stands for)."""
    src = claim.source
    return (
        (src.sentence.index < ref.sentence.index or src.headline)
        and not same_source(src, ref)
        and (src.speaker is not None or src.headline or bool(_REPORTED.search(src.sentence.text)))
        and src.frame in ("reports", "asserts", "confirms")
        and not is_negative(src)
        and not src.target_is_reference
        and not src.non_committal
    )


def resolve(claims: Sequence[Claim], sentences: Sequence[Attributed], sim: np.ndarray, floor: float) -> list[Candidate]:
    """For every referring sentence, the claims its target resolves to, as resolved candidates."""
    out: list[Candidate] = []
    for ref in (s for s in sentences if is_reference(s)):
        j = ref.sentence.index
        eligible = [c for c in claims if _eligible(c, ref)]
        names = _names(ref.premise)
        described = _description(ref.premise) - names

        def near(c: Claim, j: int = j) -> float:
            return float(sim[c.sentence.index, j])

        def near_or_before(c: Claim, j: int = j) -> float:
            return max(near(c), float(sim[c.sentence.index, j - 1])) if j > 0 else near(c)

        score: Callable[[Claim], float] = near
        words = described or names  # what the phrase describes must be there, not only a name it mentions
        by_reporter = [c for c in eligible if names & _speaker_names(c.source)]
        if by_reporter:
            how, pool = "reporter", by_reporter
        elif words:
            how = "description"
            pool = [c for c in eligible if words & _words(c.source.premise)]
        else:
            how, score = "bare", near_or_before
            pool = [c for c in eligible if 0 < j - c.sentence.index <= WINDOW]
        pool = [c for c in pool if score(c) >= floor and not c.source.headline]
        best = max((score(c) for c in pool), default=0.0)
        chosen = [c for c in pool if score(c) >= best - MARGIN]
        # the story a body calls false is its title's: a bare reference ("the story is a hoax") points at the
        # title, however loosely the sentence's words match it; a described one when it describes the title
        chosen += [c for c in eligible if c.source.headline and (how == "bare" or words & _words(c.source.premise))]
        out += [Candidate(c, ref, CONFIDENCE[how], resolved=True) for c in chosen]
    return out
