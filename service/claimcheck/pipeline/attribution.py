"""Attribution: who is the source of each sentence, and what it asserts once the attribution is removed.

The frame (speaker, reporting verb, proposition) comes from the dependency parse
(:mod:`claimcheck.pipeline.frames`); this stage resolves speakers across the article and carries
them over quotations:

* pronoun and title speakers ("he noted", "the president told reporters") map to the latest named
  speaker that fits, surnames to the full name ("Peskov" is "Dmitry Peskov");
* a quotation running over several sentences, whose speaker is named only where it closes, gives
  that speaker to every sentence it spans; a quotation that continues after an attributed one
  ("“We were not consulted,” Diaz said. “Nobody asked us.”") keeps its speaker.

A sentence with no speaker is the narrator's (``speaker=None``).  ``content`` is what the sentence
asserts ("Trump said … that he had talked with Putin" → "Trump had talked with Putin"; a denial keeps
its frame: "The ministry denied that S"), ``proposition`` what NLI compares (a denial's is S).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import replace
from typing import Protocol

from claimcheck.pipeline.frames import FrameParse, read_frame
from claimcheck.pipeline.hedges import is_non_committal, refers_back
from claimcheck.pipeline.lexicon import PERSON_ROLES, SPEAKER_PRONOUNS, TITLES
from claimcheck.pipeline.text import QUOTE_OPEN, strip_quotes
from claimcheck.pipeline.types import Attributed, Parse, Sentence


def _clean_speaker(raw: str) -> str:
    raw = raw.strip().rstrip(",.")
    return re.sub(r"^(?:[Ss]o|[Bb]ut|[Aa]nd)\s+", "", raw)


def _short_name(speaker: str) -> str:
    """ "President Donald Trump" → "Trump": how news copy refers to a person the second time."""
    words = speaker.split()
    if len(words) >= 2 and all(w[0].isupper() for w in words) and not speaker.startswith("The "):
        return words[-1]
    return speaker


def _finish(content: str) -> str:
    content = strip_quotes(content).rstrip(",:;")
    if content and content[-1] not in ".!?":
        content += "."
    return content[0].upper() + content[1:] if content else content


_TITLE_WORDS = {w.rstrip(".") for t in TITLES for w in t.split()} | {"Senator", "Commissioner", "Spokesman", "Envoy"}
_ROLE_TITLES = {w.lower() for w in _TITLE_WORDS if len(w) > 3}


def is_person(name: str) -> bool:
    """A capitalised name ("Jack Langer"), or a phrase naming a person's role ("an AutoNation spokesman");
    not an organisation ("the ministry", "The mayor's office")."""
    last = name.split()[-1].lower() if name.split() else ""
    if last in PERSON_ROLES or last in _ROLE_TITLES:
        return True
    return bool(re.match(r"^(?:[A-Z][\w.’'-]+ )*[A-Z][\w’'-]+$", name)) and not name.lower().startswith("the ")


class SpeakerResolver:
    """Maps pronouns and titles to the named speaker they most likely mean, and surname mentions to
    one canonical name ("Peskov" and "Dmitry Peskov" are one speaker)."""

    def __init__(self) -> None:
        self.named: list[str] = []  # canonical names, most recent last
        self.context: dict[str, str] = {}  # name -> the fullest phrase it was introduced with

    def resolve(self, raw: str) -> str:
        raw = _clean_speaker(raw)
        low = raw.lower()
        if low in SPEAKER_PRONOUNS:
            person = self.latest_person(besides=None)
            return person if person and low in {"he", "she", "i"} else (self.named[-1] if self.named else raw)
        if low.startswith(("the ", "a ", "an ")) and self.named:
            head = low.split()[-1]
            for name in reversed(self.named):
                if head in name.lower().split() or any(head == t.lower().rstrip(".") for t in name.split()):
                    return name
        for name in reversed(self.named):
            # "Peskov" is "Dmitry Peskov" and "Pentagon" "The Pentagon", but "Obama" is not "Videos of the
            # meeting between Salman and President Obama"
            if _short_name(name) == _short_name(raw) or (
                name.endswith(" " + raw) and (is_person(name) or name.lower() == f"the {raw.lower()}")
            ):
                return name
        self.named.append(raw)
        return raw

    def latest_person(self, besides: str | None) -> str | None:
        """The person named last, other than ``besides``: who "she" is when an office speaks of her."""
        return next((n for n in reversed(self.named) if n != besides and is_person(n)), None)

    def remember(self, name: str) -> None:
        if name in self.named:
            self.named.remove(name)
        self.named.append(name)


def _canonical_title_speaker(speaker: str) -> str:
    """ "Health Minister Karen Olsen" → "Karen Olsen"; "chief executive Mark Lee" → "Mark Lee"."""
    words = speaker.split()
    start = 0
    while start < len(words) - 1 and words[start][0].islower() and words[start].lower() not in {"the", "a", "an"}:
        start += 1
    if start and words[start][0].isupper():
        words = words[start:]
    last_title = max(
        (i for i, w in enumerate(words[:-1]) if w.rstrip(".") in _TITLE_WORDS and w[0].isupper()), default=-1
    )
    if last_title >= 0 and all(w[0].isupper() for w in words[: last_title + 2]):
        words = words[last_title + 1 :]
    return " ".join(words)


def _resolve_pronoun_subject(content: str, speaker: str | None, person: str | None = None) -> str:
    """In reported speech, a leading pronoun is most often the speaker: "Trump said he had …" → "Trump
    had …", "The union denied that it had been consulted" → "The union had been consulted".  "He"/"she"
    is a person: where an organisation speaks ("The mayor's office confirmed that she had resigned"),
    it is ``person``, the person named last, or stays a pronoun."""
    if not speaker:
        return content
    if is_person(speaker):
        content = re.sub(r"^(?:he|she)\b", _short_name(speaker), content)
    else:
        content = re.sub(r"^(?:it|they)\b", speaker, content)
        if person:
            content = re.sub(r"^(?:he|she)\b", _short_name(person), content)
    # "I will …" → "Trump will …"; only before verb forms that agree with any subject
    return re.sub(
        r"^I (?=(?:will|would|could|can|should|must|may|might|had|did|was|\w+ed)\b)",
        _short_name(speaker) + " ",
        content,
    )


def _headline_line(sentence: Sentence, following: Sentence | None) -> bool:
    """A first line that is a title: one sentence, no closing punctuation, more paragraphs below."""
    text = sentence.text.strip()
    return (
        sentence.index == 0
        and following is not None
        and following.paragraph > sentence.paragraph
        and len(text.split()) >= 4
        and text[-1] not in '.!?:”"’'
    )


def attribute_one(sentence: Sentence, parse: Parse, resolver: SpeakerResolver) -> Attributed:
    """Speaker, frame and content of one sentence (multi-sentence quotes are handled by :func:`attribute`),
    with its other assertions as readings of their own (frames.py: a clause the frame leaves out)."""
    frame: FrameParse = read_frame(parse, sentence.text)
    primary = _reading(sentence, frame, resolver, whole=True)
    if not (frame.also or frame.introduces):
        return primary
    # later sentences are attributed as without these (a pronoun keeps meaning the sentence's own speaker)
    named, context = list(resolver.named), dict(resolver.context)
    readings = tuple(_reading(sentence, f, resolver, whole=False) for f in frame.also)
    introduces = _canonical_title_speaker(resolver.resolve(frame.introduces)) if frame.introduces else None
    resolver.named, resolver.context = named, context
    return replace(primary, readings=readings, introduces=introduces)


def _reading(sentence: Sentence, frame: FrameParse, resolver: SpeakerResolver, whole: bool) -> Attributed:
    """One reading of a sentence; ``whole``: the sentence's own, whose hedges and back-references are the
    sentence's (a further reading is one clause: its frame alone says whether it hedges)."""
    text = sentence.text
    speaker = context = None
    if frame.speaker:
        speaker = _canonical_title_speaker(resolver.resolve(frame.speaker))
        resolver.remember(speaker)
        if frame.speaker_context and len(frame.speaker_context) > len(resolver.context.get(speaker, "")):
            resolver.context[speaker] = (
                frame.speaker_context
            )  # "he" later speaks for what "Peskov, the Kremlin spokesperson" did
        context = resolver.context.get(speaker)
    person = resolver.latest_person(besides=speaker)
    if frame.content is None:
        content = text
    else:
        content = _resolve_pronoun_subject(strip_quotes(frame.content), speaker, person)
    core = _resolve_pronoun_subject(strip_quotes(frame.core), speaker, person) if frame.core else None
    non_committal = frame.kind == "declines" or (whole and is_non_committal(text))
    shown = text if frame.kind == "denies" and whole else content  # a denial's content keeps its frame
    return Attributed(
        sentence=sentence,
        speaker=speaker,
        content=_finish(shown),
        reporting_verb=frame.verb,
        non_committal=non_committal,
        refers_back=whole and refers_back(text),
        frame=frame.kind,
        core=_finish(core) if core else None,
        proposition=_finish(content),
        target_is_reference=frame.target_is_reference,
        speaker_context=context,
        predicate=frame.predicate,
        speculative=frame.speculative,
        discredited=frame.discredited,
        quotation=whole and frame.quotation,
    )


def _closes_quote(text: str) -> bool:
    return text.rstrip().endswith(("”", '"')) or bool(re.search(r"[”\"],? ", text))


def _opens_quote(text: str) -> bool:
    return text.lstrip()[:1] in QUOTE_OPEN


def _with_speaker(src: Attributed, by: Attributed) -> Attributed:
    """``src`` as part of ``by``'s quotation: ``by``'s speaker, context and reporting verb."""
    assert by.speaker is not None
    return _words_of(src, by.speaker, by.reporting_verb, by.speaker_context)


def _words_of(
    src: Attributed, speaker: str, verb: str | None, context: str | None = None, proposition: str | None = None
) -> Attributed:
    """``src``, words the narrator did not write, as ``speaker``'s ("I" is the speaker); a quoted sentence holds
    no other source's clause, so it has no further readings."""
    content = _finish(_resolve_pronoun_subject(strip_quotes(src.content), speaker))
    return replace(
        src,
        speaker=speaker,
        content=content,
        proposition=proposition if proposition is not None else content,
        core=None if proposition is not None else src.core,
        reporting_verb=verb,
        speaker_context=context,
        readings=(),
    )


def _open_after(text: str, open_: bool = False) -> bool:
    """Whether a quotation is still open at the end of ``text`` (open or not at its start)."""
    for ch in text:
        if ch == "“":
            open_ = True
        elif ch == "”":
            open_ = False
        elif ch == '"':
            open_ = not open_
    return open_


def _quotation_end(out: list[Attributed], i: int, open_: bool) -> int | None:
    """The sentence where the quotation open after sentence ``i`` closes: in the same paragraph, through
    sentences that name no speaker; None if it does not close there."""
    for k in range(i + 1, len(out)):
        if out[k].sentence.paragraph != out[i].sentence.paragraph or out[k].speaker is not None:
            return None
        open_ = _open_after(out[k].sentence.text, open_)
        if not open_:
            return k
    return None


# an embedded tweet as it reads once the page's markup is gone: its text, then "— Name (@handle) Month D, YYYY"
_TWEET_SIGNATURE = re.compile(r"[—–]\s*(?P<name>[^()\n—–]{1,80}?)\s*\(@\w{1,30}\)\s*[A-Z][a-z]+ \d{1,2}, \d{4}\s*$")
_LINK = re.compile(r"\s*(?:https?://|pic\.twitter\.com/)\S+")


def _continued_quotes(out: list[Attributed]) -> list[Attributed]:
    """A quotation that names no speaker, right after a sentence that names one, is that speaker's words
    (news copy attributes a quote once: 'Strauch said it was strange. “We have to ask if anyone has a
    photo.”'), through the sentence where it closes in its paragraph; with no speaker before it (or only a
    title: its paragraph is negative), every sentence of it stays an unnamed source's, the same one."""
    out = list(out)
    i = 1
    while i < len(out):
        before = out[i - 1]
        if out[i].unattributed_quote:
            end = _quotation_end(out, i, True) if _open_after(out[i].sentence.text) else i
            end = i if end is None else end
            named = before.speaker is not None and not before.headline and before.sentence.paragraph >= 0
            for k in range(i, end + 1):
                out[k] = _with_speaker(out[k], before) if named else replace(out[k], quotation=True, readings=())
            i = end
        i += 1
    return out


def _posted_by(src: Attributed, name: str) -> Attributed:
    """``src`` as words of the post signed ``name``: its source; NLI reads it without links and signature."""
    text = _LINK.sub("", _TWEET_SIGNATURE.sub("", src.sentence.text)).strip(' —–"”')
    return _words_of(src, name, "post", proposition=_finish(text) if text else None)


def _introduced(out: list[Attributed]) -> list[Attributed]:
    """Words a sentence introduces are its speaker's: a quotation that opens right after "…, saying," or "…
    said:" runs until it closes; after a final colon ("reported the following:"), the paragraph that follows
    is a block quotation even without quotation marks.  Both stop at a sentence with a speaker of its own."""
    out = list(out)
    for i, item in enumerate(out[:-1]):
        if item.introduces is None or out[i + 1].speaker is not None:
            continue
        first = out[i + 1].sentence
        quoted = _opens_quote(first.text)
        if not quoted and not (item.sentence.text.rstrip().endswith(":") and first.paragraph > item.sentence.paragraph):
            continue
        open_ = False
        for k in range(i + 1, len(out)):
            if out[k].sentence.paragraph != first.paragraph or out[k].speaker is not None:
                break
            out[k] = _words_of(out[k], item.introduces, "say")
            open_ = _open_after(out[k].sentence.text, open_)
            if quoted and not open_:
                break
    return out


def _embedded_posts(out: list[Attributed]) -> list[Attributed]:
    """An embedded tweet is its author's, not the narrator's: the sentences of the paragraph its signature
    closes, or of the paragraph just before a signature that stands alone ("— Ray Villeda (@RayVilleda)
    October 8, 2014"), take the signed name as their source (a reporter's tweet can corroborate the story)."""
    out = list(out)
    for k, item in enumerate(out):
        sign = _TWEET_SIGNATURE.search(item.sentence.text)
        if sign is None:
            continue
        name = sign["name"].strip()
        alone = not item.sentence.text[: sign.start()].strip()
        if alone:  # the signature line itself asserts nothing: no claim, no evidence
            out[k] = replace(_words_of(item, name, "post", proposition=""), content="")
        paragraph = out[k - 1].sentence.paragraph if alone and k > 0 else item.sentence.paragraph
        for j in range(k - 1 if alone else k, -1, -1):
            here = out[j]
            if here.sentence.paragraph != paragraph or here.speaker is not None or here.headline or here.introduces:
                break  # "X reported the following:" introduces the post, and is not part of it
            out[j] = _posted_by(here, name)
    return out


def attribute(sentences: list[Sentence], parses: list[Parse]) -> list[Attributed]:
    """Attribute every sentence, then carry a quotation's speaker over the sentences it spans.

    A quote that opens in one sentence and is attributed only where a quote closes ("“I hope it is
    quick. Every day, people die. … ,” he told the Post.") gives that speaker to every unattributed
    sentence of the same paragraph from the opening quote on.  A quotation that opens right after a
    quoted, attributed sentence and names no one keeps that speaker through the sentence where it
    closes, and so does one that an attributed sentence opens and leaves open ('Christensen told Epoch
    Times that “I don't think … . After all, …”').  The first line is a headline when it looks like
    one (its own source: the body's narrator may confirm it).
    """
    resolver = SpeakerResolver()
    out = [attribute_one(s, p, resolver) for s, p in zip(sentences, parses)]
    if out and _headline_line(sentences[0], sentences[1] if len(sentences) > 1 else None):
        out[0] = replace(out[0], headline=True, readings=())  # a headline is never evidence, nor a clause of it
    i = 0
    while i < len(out):
        a = out[i]
        if a.speaker is not None and _open_after(a.sentence.text):
            end = _quotation_end(out, i, True)
            if end is not None:
                for k in range(i + 1, end + 1):
                    out[k] = _with_speaker(out[k], a)
                i = end
        elif a.speaker is None and _opens_quote(a.sentence.text):
            j = i
            while j + 1 < len(out) and out[j + 1].sentence.paragraph == a.sentence.paragraph and out[j].speaker is None:
                j += 1
            closer = out[j]
            previous = out[i - 1] if i > 0 else None
            if (
                closer.speaker is not None
                and closer.sentence.paragraph == a.sentence.paragraph
                and j > i
                and _closes_quote(closer.sentence.text)
            ):
                for k in range(i, j):
                    out[k] = _with_speaker(out[k], closer)
                i = j
            elif (
                previous is not None
                and previous.speaker is not None
                and _closes_quote(previous.sentence.text)
                and _opens_quote(previous.sentence.text)
            ):
                opened = _open_after(a.sentence.text)
                end = _quotation_end(out, i, True) if opened else i
                if end is not None:
                    for k in range(i, end + 1):
                        out[k] = _with_speaker(out[k], previous)
                    i = end
        i += 1
    return _embedded_posts(_continued_quotes(_introduced(out)))


def attribute_text(text: str, parser: TextParser) -> list[Attributed]:
    """Segment, parse and attribute a whole text (what the verifier's first stages do)."""
    from claimcheck.pipeline.segment import segment

    sentences = segment(text)
    return attribute(sentences, parser.parse([s.text for s in sentences]))


class TextParser(Protocol):
    def parse(self, texts: Sequence[str]) -> list[Parse]: ...
