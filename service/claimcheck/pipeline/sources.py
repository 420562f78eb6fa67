"""Sources: when two sentences come from one source, so that one cannot corroborate or refute the other.

One speaker is one source, case aside, and the narrator (no speaker) is one too — but quoted words it does
not attribute ("“We have to ask if anyone has a photo.”") are someone else's, a source apart; a spokesperson is
one source with the organisation their own phrase names ("Dmitry Peskov, the Kremlin spokesperson"
speaks for "The Kremlin"); the headline is its own source, so the body's narrator may corroborate
or refute it.  Retrieval, references, the verdict's evidence and the claim pairs all ask here.
"""

from __future__ import annotations

from claimcheck.pipeline.types import Attributed


def same_speaker(a: str | None, b: str | None) -> bool:
    """One speaker, case aside; the narrator (None) counts as one speaker too."""
    return (a or "").lower() == (b or "").lower()


def _name_words(speaker: str) -> set[str]:
    return {w.strip(".,’'").lower() for w in speaker.split() if w[:1].isupper() and w.lower() not in ("the", "a")}


def _speaks_for(member: Attributed, body: Attributed) -> bool:
    """``member``'s own phrase names ``body``: "Dmitry Peskov, the Kremlin spokesperson" speaks for "The Kremlin"."""
    if not (member.speaker_context and body.speaker):
        return False
    words = _name_words(body.speaker)
    context = {w.strip(".,’'").lower() for w in member.speaker_context.split()}
    return bool(words) and words <= context


def same_source(a: Attributed, b: Attributed) -> bool:
    """One source: one speaker (the narrator is one), or a spokesperson and the organisation their own
    phrase names.  The headline is its own source: the body's narrator may corroborate or refute it."""
    if a.headline != b.headline or a.unattributed_quote != b.unattributed_quote:
        return False  # quoted words the article leaves unattributed are someone's, not the narrator's
    return same_speaker(a.speaker, b.speaker) or _speaks_for(a, b) or _speaks_for(b, a)
