"""Claim extraction: which sentences state a checkable fact.

Kept: declarative statements.  Dropped: questions, fragments (short and verbless), non-committal statements (they are
evidence *about* claims, not claims), and opinion or emotion — first-person wishes and feelings
("I hope it is quick"), attitudes ("expressed optimism that …") and short evaluative lines
("The war is quite nasty").
"""

from __future__ import annotations

import re

from claimcheck.pipeline.lexicon import ATTITUDE_VERBS
from claimcheck.pipeline.text import is_question
from claimcheck.pipeline.types import Attributed, Claim

MIN_WORDS = 3
SHORT = 6  # a claim this short needs a finite-verb cue, or it is a fragment ("On both sides.")
_VERB_CUE = re.compile(
    r"\b(?:is|are|was|were|be|been|has|have|had|will|would|can|could|may|might|must|shall|should|do|does|did|"
    r"\w+ed|\w+ing|\w+n['’]t|"
    # common irregular past forms (a fragment check, not a parser)
    r"made|said|told|took|gave|went|came|saw|found|got|left|won|lost|met|held|paid|sold|bought|brought|thought|"
    r"knew|began|ran|fell|rose|hit|cut|put|set|kept|led|sent|spent|built|became|broke|chose|drove|flew|grew|"
    r"meant|spoke|stood|struck|taught|threw|wrote|fought|caught|sought|fled|felt|heard|shot|sank|won|wore|"
    r"die|dies|live|lives|work|works|say|says|want|wants|need|needs|remain|remains)\b|['’]s\b",
    re.IGNORECASE,
)
_FIRST_PERSON_ATTITUDE = re.compile(
    r"^(?:[A-Z][\w’'-]+ |I |We |we )?(?:hope|hopes|want|wants|wish|wishes|think|thinks|feel|feels|believe|believes|"
    r"love|loves|hate|hates|am looking|are looking|['’]re looking|['’]m looking|would like|expect|expects)\b",
    re.IGNORECASE,
)
_EVALUATIVE = re.compile(
    r"\b(?:nasty|beautiful|terrible|horrible|wonderful|great|awful|amazing|disgusting|shameful|fantastic|"
    r"ridiculous|sad|damn|tremendous|incredible|disgrace\w*|best|worst)\b",
    re.IGNORECASE,
)


def is_opinion(item: Attributed) -> bool:
    content = item.content
    if item.reporting_verb in ATTITUDE_VERBS:
        return True
    if _FIRST_PERSON_ATTITUDE.match(content):
        return True
    return len(content.split()) <= 12 and bool(_EVALUATIVE.search(content))


def is_fragment(content: str) -> bool:
    words = content.split()
    return len(words) < MIN_WORDS or (len(words) <= SHORT and not _VERB_CUE.search(content))


def is_claim(item: Attributed) -> bool:
    if item.headline:  # a title line is always checked against the body, terse and verbless as headlines are
        return not is_question(item.sentence.text)
    return not (
        is_fragment(item.content)
        or is_question(item.sentence.text)
        or is_question(item.content)
        or item.non_committal
        or is_opinion(item)
    )


def extract_claims(sentences: list[Attributed]) -> list[Claim]:
    """Claims in article order, with stable ids ("c1", "c2", …) that the response refers to."""
    claims = [s for s in sentences if is_claim(s)]
    return [Claim(id=f"c{i + 1}", source=s) for i, s in enumerate(claims)]


def title_claim(headline: Attributed) -> Claim:
    """The title sent with an article: always verified (headlines are terse, often verbless)."""
    return Claim(id="title", source=headline)
