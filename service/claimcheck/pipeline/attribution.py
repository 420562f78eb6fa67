"""Attribution: who says each sentence, and what it asserts once the attribution is removed.

Rules cover the shapes news copy uses:

* reported speech — "X said/told/stated/noted/informed … that S" (X may carry an appositive:
  "Dmitry Peskov, the Kremlin spokesperson, told AWN that …");
* quotations — "“S,” X stated." / "X said: “S”", including a quotation running over several
  sentences, whose speaker is named only where it closes;
* "according to X, S" / "S, according to X";
* pronoun and title speakers ("he noted", "the president told reporters") resolved to the latest
  named speaker that fits.

A sentence with no speaker is the narrator's (``speaker=None``).  Content keeps the words that
carry the claim: "Trump said … that he had talked with Putin" → "Trump had talked with Putin".
"""

from __future__ import annotations

import re

from claimcheck.pipeline.hedges import is_non_committal, refers_back
from claimcheck.pipeline.types import Attributed, Sentence

VERBS = ("said|says|say|asked|asks|stated|states|told|tells|noted|notes|informed|informs|explained|explains|added|adds|claimed|"
         "claims|announced|announces|replied|wrote|writes|insisted|insists|argued|argues|reported|reports|suggested|"
         "suggests|warned|warns|confirmed|confirms|acknowledged|acknowledges|admitted|admits|asserted|asserts|"
         "maintained|maintains|recalled|revealed|reveals|declared|declares|denied|denies|predicted|predicts|"
         "expressed (?:optimism|hope|confidence|concern|doubt)s?")
# verbs whose "that"-clause the speaker asserts; "denied that S" must keep its frame (it is the opposite of S)
UNWRAP = {"said", "says", "say", "stated", "states", "told", "tells", "noted", "notes", "informed", "informs",
          "explained", "explains", "added", "adds", "claimed", "claims", "announced", "announces", "replied",
          "wrote", "writes", "insisted", "insists", "argued", "argues", "reported", "reports", "confirmed",
          "confirms", "acknowledged", "acknowledges", "admitted", "admits", "asserted", "asserts", "maintained",
          "maintains", "revealed", "reveals", "declared", "declares"}

_Q_OPEN, _Q_CLOSE = "“\"‘", "”\"’"
_PRONOUNS = {"he", "she", "they", "it", "we", "i"}
_TITLES = ("President", "Vice President", "Prime Minister", "Minister", "Senator", "Sen.", "Rep.", "Gov.", "Governor",
           "Mr.", "Mrs.", "Ms.", "Dr.", "Prof.", "General", "Gen.", "Chancellor", "Secretary", "Mayor", "King",
           "Queen", "Pope", "Judge", "Justice", "Chief", "Director", "CEO", "Chairman", "Spokesman",
           "Spokeswoman", "Spokesperson", "Ambassador", "Foreign Minister", "Defense Secretary")
# a speaker noun phrase: a name, a pronoun, or a determiner phrase ("a top Russian senator", "the Kremlin")
_GROUPS = ("police|officials|authorities|witnesses|sources|analysts|residents|experts|investigators|prosecutors|"
           "doctors|rescuers|medics|organi[sz]ers|diplomats|lawmakers|researchers|scientists|critics|activists|"
           "protesters|aides|observers|economists|engineers|workers|employees|students|parents|villagers")
_NP = r"(?:(?:[A-Za-z][\w-]* )?(?:" + _GROUPS + r")|(?:[a-z][\w-]* ){1,3}[A-Z][\w.’'-]*(?: [A-Z][\w.’'-]*)*|[A-Z][\w.’'-]*(?: [A-Z][\w.’'-]*)*|[Hh]e|[Ss]he|[Tt]hey|[Ww]e|I|(?:[Tt]he|[Aa]n?|[Oo]ne|[Tt]wo|[Ss]everal|[Hh]is|[Hh]er|[Tt]heir)(?: [\w’'-]+){1,5}?)"
# "X, <appositive>, said" — the appositive between commas is dropped from the speaker
_REPORTED = re.compile(rf"(?:^|, |\. )(?P<spk>{_NP})(?:, [^,“”\"]{{2,80}},)? (?:(?:also|later|earlier|previously|then) )?"
                       rf"(?P<verb>{VERBS})\b(?P<rest>.*)$")
_QUOTE_ATTR = re.compile(rf"[,.!?…]?[{_Q_CLOSE}],? (?P<spk>{_NP}) (?P<verb>{VERBS})\b")
_QUOTE_ATTR_INV = re.compile(rf"[,.!?…]?[{_Q_CLOSE}],? (?P<verb>said|says|added|explained|stated) (?P<spk>{_NP})\b")
# "S, police said." / "S, Mayor Ana Ruiz said on Monday."
_TRAILING = re.compile(rf", (?P<spk>{_NP})(?:, [^,“”\"]{{2,80}},)? (?P<verb>{VERBS})\b(?P<tail>[^,“”\"]{{0,60}})[.!]?[”\"]?$")
_ACCORDING = re.compile(rf"(?:^|, )according to (?P<spk>{_NP})[,.]?", re.IGNORECASE)
_THAT = re.compile(r"^(?:[^“”\"]*?)\bthat (?P<content>.+)$")
# "X said on Monday the bridge will open": the clause follows the verb directly
_BARE_CLAUSE_VERBS = {"said", "says", "say", "stated", "added", "adds", "claimed", "claims", "insisted", "noted",
                      "announced", "reported", "confirmed", "acknowledged", "admitted", "argued", "wrote", "maintained"}
_LEADING_TIME = re.compile(r"^\s*(?:(?:on|late|early|earlier|later|last|this) \w+(?: \w+)?|in a statement|yesterday|today)\s*,?\s+",
                           re.IGNORECASE)
_LEADING_ADVERBIAL = re.compile(r"^(?:On|In|At|During|Earlier|Later|Last|This|Amid|After|Before)\b[^,]{0,90}, ")


def _strip_quotes(text: str) -> str:
    """Drop quotation marks but keep apostrophes ("don’t", "Putin’s")."""
    text = re.sub(r"[“”\"]|(?<!\w)[‘’']|[‘’'](?!\w)", "", text)
    return re.sub(r"\s+", " ", text).strip(" ,")


def _clean_speaker(raw: str) -> str:
    raw = raw.strip().rstrip(",.")
    return re.sub(r"^(?:[Ss]o|[Bb]ut|[Aa]nd)\s+", "", raw)


def _short_name(speaker: str) -> str:
    """"President Donald Trump" → "Trump": how news copy refers to a person the second time."""
    words = speaker.split()
    if len(words) >= 2 and all(w[0].isupper() for w in words) and not speaker.startswith("The "):
        return words[-1]
    return speaker


def _finish(content: str) -> str:
    content = _strip_quotes(content)
    if content and content[-1] not in ".!?":
        content += "."
    return content[0].upper() + content[1:] if content else content


class SpeakerResolver:
    """Maps pronouns and titles to the named speaker they most likely mean, and surname mentions to
    one canonical name ("Peskov" and "Dmitry Peskov" are one speaker)."""

    def __init__(self) -> None:
        self.named: list[str] = []  # canonical names, most recent last

    def resolve(self, raw: str) -> str:
        raw = _clean_speaker(raw)
        low = raw.lower()
        if low in _PRONOUNS:
            people = [n for n in self.named if self._is_person(n)]
            return people[-1] if people and low in {"he", "she", "i"} else (self.named[-1] if self.named else raw)
        if low.startswith(("the ", "a ", "an ")) and self.named:
            head = low.split()[-1]
            for name in reversed(self.named):
                if head in name.lower().split() or any(head == t.lower().rstrip(".") for t in name.split()):
                    return name
        for name in reversed(self.named):
            if _short_name(name) == _short_name(raw) or name.endswith(" " + raw):
                return name
        self.named.append(raw)
        return raw

    def remember(self, name: str) -> None:
        if name in self.named:
            self.named.remove(name)
        self.named.append(name)

    @staticmethod
    def _is_person(name: str) -> bool:
        return bool(re.match(r"^(?:[A-Z][\w.’'-]+ )*[A-Z][\w’'-]+$", name)) and not name.lower().startswith("the ")


_TITLE_WORDS = {w.rstrip(".") for t in _TITLES for w in t.split()} | {"Senator", "Commissioner", "Spokesman", "Envoy"}


def _canonical_title_speaker(speaker: str) -> str:
    """"Health Minister Karen Olsen" → "Karen Olsen"; "chief executive Mark Lee" → "Mark Lee"."""
    words = speaker.split()
    start = 0
    while start < len(words) - 1 and words[start][0].islower() and words[start].lower() not in {"the", "a", "an"}:
        start += 1
    if start and words[start][0].isupper():
        words = words[start:]
    last_title = max((i for i, w in enumerate(words[:-1]) if w.rstrip(".") in _TITLE_WORDS and w[0].isupper()),
                     default=-1)
    if last_title >= 0 and all(w[0].isupper() for w in words[:last_title + 2]):
        words = words[last_title + 1:]
    return " ".join(words)


def _resolve_pronoun_subject(content: str, speaker: str | None) -> str:
    """In reported speech, a leading "he"/"she" is the speaker: "Trump said he had …" → "Trump had …"."""
    if not speaker:
        return content
    name = _short_name(speaker)
    content = re.sub(r"^(?:he|she)\b", name, content)
    # "I will …" → "Trump will …"; only before verb forms that agree with any subject
    return re.sub(r"^I (?=(?:will|would|could|can|should|must|may|might|had|did|was|\w+ed)\b)", name + " ", content)


def attribute_one(sentence: Sentence, resolver: SpeakerResolver) -> Attributed:
    """Speaker and content of one sentence (multi-sentence quotes are handled by :func:`attribute`)."""
    text = sentence.text
    speaker: str | None = None
    verb: str | None = None
    content = text

    quoted = _QUOTE_ATTR.search(text) or _QUOTE_ATTR_INV.search(text)
    according = _ACCORDING.search(text)
    body = _LEADING_ADVERBIAL.sub("", text)
    reported = _REPORTED.search(body)
    if quoted and (text.lstrip()[:1] in _Q_OPEN or not any(q in text[: quoted.start()] for q in "“\"")):
        # "“S,” X said." — or the last sentence of a longer quotation: "S2,” X said."
        speaker, verb = resolver.resolve(quoted.group("spk")), quoted.group("verb")
        content = text[: quoted.start() + 1]
        content = _resolve_pronoun_subject(_strip_quotes(content), speaker)
    elif (trailing := _TRAILING.search(text)) and not any(q in text[: trailing.start()] for q in "“\""):
        speaker, verb = resolver.resolve(trailing.group("spk")), trailing.group("verb").split()[0]
        content = _resolve_pronoun_subject(text[: trailing.start()], speaker)
    elif according:
        speaker = resolver.resolve(according.group("spk"))
        content = (text[: according.start()] + " " + text[according.end():]).strip()
    elif reported and reported.start() <= 1:
        speaker, verb = resolver.resolve(reported.group("spk")), reported.group("verb").split()[0]
        rest = reported.group("rest")
        that = _THAT.match(rest)
        if verb in UNWRAP or verb == "expressed":
            if that:
                content = _resolve_pronoun_subject(that.group("content"), speaker)
            elif ":" in rest:
                content = rest.split(":", 1)[1]
            elif verb in _BARE_CLAUSE_VERBS and len(rest.split()) >= 3 and not rest.lstrip().startswith(("to ", ",")):
                content = _resolve_pronoun_subject(_LEADING_TIME.sub("", rest).strip(), speaker)
    if speaker:
        speaker = _canonical_title_speaker(speaker)
        resolver.remember(speaker)
    return Attributed(sentence=sentence, speaker=speaker, content=_finish(content), reporting_verb=verb,
                      non_committal=is_non_committal(text), refers_back=refers_back(text))


def _closes_quote(text: str) -> bool:
    return text.rstrip().endswith(("”", '"')) or bool(re.search(r"[”\"],? ", text))


def attribute(sentences: list[Sentence]) -> list[Attributed]:
    """Attribute every sentence, then carry a quotation's speaker back over the sentences it spans.

    A quote that opens in one sentence and is attributed only where a quote closes ("“I hope it is
    quick. Every day, people die. … ,” he told the Post.") gives that speaker to every unattributed
    sentence of the same paragraph from the opening quote on; an attribution that is not a
    quotation's ("A union official said that …") ends the run without giving its speaker.
    """
    resolver = SpeakerResolver()
    out = [attribute_one(s, resolver) for s in sentences]
    i = 0
    while i < len(out):
        a = out[i]
        if a.speaker is None and a.sentence.text.lstrip()[:1] in _Q_OPEN:
            j = i
            while j + 1 < len(out) and out[j + 1].sentence.paragraph == a.sentence.paragraph and out[j].speaker is None:
                j += 1
            closer = out[j]
            if (closer.speaker is not None and closer.sentence.paragraph == a.sentence.paragraph and j > i
                    and _closes_quote(closer.sentence.text)):
                for k in range(i, j):
                    src = out[k]
                    out[k] = Attributed(src.sentence, closer.speaker, _finish(_resolve_pronoun_subject(
                        _strip_quotes(src.content), closer.speaker)), closer.reporting_verb, src.non_committal,
                        src.refers_back)
                i = j
        i += 1
    return out
