"""Make any submitted text safe for the pipeline without moving a single character.

Other services send what they have: HTML pages, text with NUL bytes or terminal escapes, JSON
strings with lone surrogates.  Every rule here replaces characters one for one (same length), so
a sentence's offsets into the cleaned text are its offsets into the submitted text, and the API
can keep its promise ``text[start:end] == claim.text`` (it returns the *submitted* slice).

* HTML is **stripped, not rejected**: tags, comments and the bodies of ``<script>``/``<style>``
  become spaces, block-level tags (``</p>``, ``<br>``, ``<li>``…) a line break plus spaces, so
  paragraphs stay paragraphs.  Character entities (``&amp;``) are left as written.
* C0/C1 control characters (NUL, ESC, DEL…) become spaces; tab, line feed and carriage return stay.
* Lone UTF-16 surrogates (valid in JSON, not in UTF-8) become U+FFFD.
"""

from __future__ import annotations

import re

_LOOKS_LIKE_HTML = re.compile(r"<(?:!--|/?[a-zA-Z][a-zA-Z0-9]*(?:\s[^<>]*)?/?>)")
_HIDDEN = re.compile(r"<(script|style|noscript|template)\b[^>]*>.*?</\1\s*>|<!--.*?-->", re.IGNORECASE | re.DOTALL)
_BLOCK_TAG = re.compile(
    r"</?(?:p|div|br|li|ul|ol|h[1-6]|tr|td|th|table|blockquote|section|article|header|footer|"
    r"pre|hr|dd|dt|figure|figcaption|main|aside|nav)\b[^<>]*>",
    re.IGNORECASE,
)
_TAG = re.compile(r"</?[a-zA-Z][a-zA-Z0-9:-]*(?:\s[^<>]*)?/?>")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
_SURROGATE = re.compile(r"[\ud800-\udfff]")


def _blank(match: re.Match) -> str:
    return " " * len(match.group(0))


def _line_break(match: re.Match) -> str:
    return "\n" + " " * (len(match.group(0)) - 1)


def looks_like_html(text: str) -> bool:
    return bool(_LOOKS_LIKE_HTML.search(text))


def normalize(text: str) -> str:
    """The text the pipeline reads: same length as ``text``, markup and control characters blanked."""
    if looks_like_html(text):
        text = _HIDDEN.sub(_blank, text)
        text = _BLOCK_TAG.sub(_line_break, text)
        text = _TAG.sub(_blank, text)
    text = _CONTROL.sub(" ", text)
    return _SURROGATE.sub("\ufffd", text)
