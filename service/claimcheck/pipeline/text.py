"""Small text facts every stage shares, defined once: quotation marks, questions, quote stripping, negation."""

from __future__ import annotations

import re

CURLY_OPEN, CURLY_CLOSE = "“‘«", "”’»"  # quotation marks that say which side they are on
QUOTE_OPEN = CURLY_OPEN + '"'  # a straight quote opens or closes, by position
QUOTE_CLOSE = CURLY_CLOSE + '"'
_NEGATORS = r"no|not|never|none|nobody|nothing|neither|nor|\w+n['’]t"
# a negated proposition ("not", "nobody", "didn't"): the claim feature, and the counter-data of training
NEGATION = re.compile(rf"\b(?:{_NEGATORS})\b", re.IGNORECASE)
# polarity for contradiction candidates also counts "without" ("opened the gates without warning")
NEGATION_OR_WITHOUT = re.compile(rf"\b(?:{_NEGATORS}|without)\b", re.IGNORECASE)
_QUOTES = re.compile(r"[“”«»\"]|(?<!\w)[‘’']|[‘’'](?!\w)")


def strip_quotes(text: str) -> str:
    """Drop quotation marks but keep apostrophes ("don’t", "Putin’s")."""
    return re.sub(r"\s+", " ", _QUOTES.sub("", text)).strip(" ,")


def is_question(text: str) -> bool:
    """A sentence or content that asks rather than states (closing quotes and brackets aside)."""
    return text.rstrip(' ”"’»)').endswith("?")
