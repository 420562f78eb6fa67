"""Non-committal statements and back-references, detected by rule.

A small NLI model reads "can neither deny nor confirm" as a contradiction because of the word
"deny"; a newsroom reads it as *no information*.  Sentences matching these patterns are never
used as support or refutation: they are shown as ``non_committal`` evidence and leave the claim
unverified.
"""

from __future__ import annotations

import re

_NON_COMMITTAL = [
    r"\bneither (?:confirm|deny|denied|confirmed)\w* nor (?:confirm|deny|denied|confirmed)\w*",
    r"\b(?:would|could|can|did|does|do|will)(?: not|n['’]t) (?:confirm|deny|verify|comment)\w*(?: or (?:confirm|deny))?",
    r"\b(?:declined|refused|not available|unavailable|did not respond|didn['’]t respond) (?:to )?(?:comment|confirm|say|respond|answer|be reached)",
    r"\bno comment\b",
    r"\b(?:did not|didn['’]t|has not|hasn['’]t|have not) (?:immediately )?(?:respond|reply)\w* to (?:a |an |several )?(?:requests?|questions?|calls?|emails?)\b",
    r"\bcould not (?:be )?(?:independently )?(?:verified|confirmed)",
    r"\bcannot be (?:independently )?(?:verified|confirmed)",
    r"\bnot (?:been )?(?:independently )?(?:verified|confirmed)",
    r"\b(?:it (?:was|is|remains|remained) )?(?:unclear|not clear|not known|unknown) (?:whether|if|when|how|why|who|what)\b",
    r"\bhad no (?:information|knowledge|details) (?:about|on|of)\b",
    r"\b(?:has|have|had) no (?:information|knowledge|details)\b",
    r"\bno (?:immediate )?confirmation\b",
    r"\byet to (?:confirm|verify|comment)\b",
    r"\btoo early to (?:say|tell)\b",
]  # "unconfirmed reports that S" is a claim (S, hedged), not a hedge about other claims
NON_COMMITTAL = re.compile("|".join(f"(?:{p})" for p in _NON_COMMITTAL), re.IGNORECASE)
# "this news", "the report", "these claims": the sentence is about something said before it
REFERS_BACK = re.compile(
    r"\b(?:this|that|these|those|the|such) (?:news|claims?|reports?|allegations?|rumou?rs?|accounts?|statements?|"
    r"remarks?|assertions?|story|information)\b",
    re.IGNORECASE,
)


def is_non_committal(text: str) -> bool:
    return bool(NON_COMMITTAL.search(text))


def refers_back(text: str) -> bool:
    return bool(REFERS_BACK.search(text))
