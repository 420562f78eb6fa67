"""Segmentation: the article's sentences with exact character offsets.

pysbd does the heavy lifting (abbreviations, initials, numbers, ellipses) and gives character
spans.  Three fixes make it fit news copy:

* paragraphs (line breaks) are hard boundaries, so a headline or dateline never swallows the lede;
* pysbd keeps a multi-sentence quotation as one segment ("“I hope it is quick. Every day, people
  die. …” he told the Post."): such segments are split again at sentence ends inside the quote,
  so each sentence can be its own claim while attribution carries the speaker over the quote;
* a segment that starts in lower case or with a bare closing quote continues the previous one;
* a paragraph's dateline or slug ("WASHINGTON (AP) — ", "SANAA, Dec 6 (Reuters) - ", "BREAKING: ") is
  left out of its first sentence: the parser would take it for the subject ("ELON, N.C. – A recent rumor
  claims that …" has no reporter, "BREAKING" becomes a speaker).

Splitting runs on the normalized text (HTML and control characters blanked, same length:
:mod:`claimcheck.pipeline.normalize`), so offsets are always offsets into what was submitted.
"""

from __future__ import annotations

import re
from functools import lru_cache

import pysbd

from claimcheck.pipeline.lexicon import ABBREVIATIONS, FALSE_WORDS
from claimcheck.pipeline.normalize import normalize
from claimcheck.pipeline.types import Sentence

_PARAGRAPH = re.compile(r"[^\n]+")
# a dateline: an upper-case place or slug (with ", Region" or ", Dec 6"), an optional "(Agency)", a dash, then
# a capital; an agency alone ("(Reuters) - "); or a slug and a colon ("BREAKING: Local reports say …").  Upper
# case of four letters or more, never a lower-case word after it: "NASA – the agency – said" and a headline's
# "U.S. - China talks" keep their subjects
_CAPS = r"[A-Z][A-Z'’-]{3,}(?: [A-Z][A-Z.'’-]+){0,3}"
_REGION = r"(?:, (?:[A-Z][\w.'’-]*|\d{1,4},?)(?: (?:[A-Z][\w.'’-]*|\d{1,4},?)){0,4})?"
_AGENCY = r"\([A-Z][\w ]{1,20}\)"
_DATELINE = re.compile(
    rf"(?:(?:{_CAPS}{_REGION}\s*(?:{_AGENCY}\s*)?|{_AGENCY}\s*)[–—-]{{1,2}}|{_CAPS}:)\s+(?=[“\"‘]?[A-Z0-9])"
)
# a sentence end inside a segment: ". " (optionally after a closing quote) before a capital or an opening quote
_INNER_END = re.compile(r"(?<=[.!?…])[”\"’]?\s+(?=[“\"‘]?[A-Z])")


@lru_cache(maxsize=1)
def _segmenter() -> pysbd.Segmenter:
    return pysbd.Segmenter(language="en", clean=False, char_span=True)


def _trimmed(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def _inner_splits(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Split a segment at sentence ends pysbd kept inside it (quotes, ellipses), never at abbreviations."""
    segment = text[start:end]
    cuts = []
    for m in _INNER_END.finditer(segment):
        before = segment[: m.start()]
        word = re.search(r"([\w.]+)[.!?]$", before)
        token = word.group(1) if word else ""
        if before.endswith(".") and (
            not token or "." in token or token.lower() in ABBREVIATIONS or (len(token) == 1 and token.isupper())
        ):
            continue
        cuts.append(m.start())
    pieces, prev = [], start
    for cut in cuts:
        # keep a closing quote with the sentence it closes
        cut_abs = start + cut
        while cut_abs < end and text[cut_abs] in '”"’':
            cut_abs += 1
        pieces.append((prev, cut_abs))
        prev = cut_abs
    pieces.append((prev, end))
    return [p for p in (_trimmed(text, a, b) for a, b in pieces) if p[0] < p[1]]


def _continues_previous(piece: str) -> bool:
    """A piece that cannot start a sentence: lower case, a bare closing quote, "he said", or a lone
    number pysbd took for a list item ("on day 0. The …" is not a sentence "0.")."""
    return (
        piece[0].islower()
        or bool(re.match(r"^\d{1,4}[.)]$", piece))
        or bool(re.match(r"^[”\"’]?,? ?(he|she|they|it) (said|says|added|told)\b", piece))
        or piece[0] in "”’,;:"
    )


BLOCK_CHARS = 1500  # pysbd's cost grows with the square of the text it is given: feed it blocks
# an unambiguous end: after a lower-case word of 3+ letters or a number (never "Mr." or "U.S."), before "The"
_SAFE_CUT = re.compile(r"(?:(?<=[a-z]{3}[.!?])|(?<=\d[.!?]))\s+(?=[A-Z][a-z])")
MAX_BLOCK_CHARS = 4 * BLOCK_CHARS  # with no safe cut in sight, cut at a space: pysbd must never see a long run


def _blocks(paragraph: str) -> list[tuple[int, str]]:
    """Long paragraphs cut at an unambiguous sentence end (". The", after a lower-case word of 3+
    letters, so never after "Mr." or "U.S.") every ~BLOCK_CHARS characters."""
    out, start = [], 0
    while len(paragraph) - start > 2 * BLOCK_CHARS:
        cut = _SAFE_CUT.search(paragraph, start + BLOCK_CHARS, start + MAX_BLOCK_CHARS)
        if cut:
            out.append((start, paragraph[start : cut.start()]))
            start = cut.end()
            continue
        space = paragraph.rfind(" ", start + BLOCK_CHARS, start + MAX_BLOCK_CHARS)
        end = space if space > start else start + MAX_BLOCK_CHARS
        out.append((start, paragraph[start:end]))
        start = end
    out.append((start, paragraph[start:]))
    return out


def segment(submitted: str) -> list[Sentence]:
    """The sentences of ``submitted``: ``submitted[s.start:s.end] == s.submitted``, and ``s.text`` is
    that span as the pipeline reads it (normalized, same length)."""
    text = normalize(submitted)
    spans: list[tuple[int, int, int]] = []  # start, end, paragraph
    for para_index, para in enumerate(_PARAGRAPH.finditer(text)):
        dateline = _DATELINE.match(para.group().lstrip())
        slug = dateline.group().strip() if dateline else ""
        if slug.endswith(":") and slug[:-1].lower() in FALSE_WORDS:
            dateline = None  # "HOAX: the report claiming …" is the narrator's verdict, not a slug
        skip = len(para.group()) - len(para.group().lstrip()) + dateline.end() if dateline else 0
        for offset, block in _blocks(para.group()[skip:]):
            base = para.start() + skip + offset
            for seg in _segmenter().segment(block):
                a, b = _trimmed(text, base + seg.start, base + seg.end)
                for s, e in _inner_splits(text, a, b) if a < b else []:
                    if spans and spans[-1][2] == para_index and _continues_previous(text[s:e]):
                        spans[-1] = (spans[-1][0], e, para_index)
                    else:
                        spans.append((s, e, para_index))
    if text == submitted:
        return [Sentence(i, s, e, text[s:e], p) for i, (s, e, p) in enumerate(spans)]
    return [Sentence(i, s, e, text[s:e], p, submitted[s:e]) for i, (s, e, p) in enumerate(spans)]
