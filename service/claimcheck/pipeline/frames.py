"""Frames: who is the source of a sentence, what it does with its proposition, and what the proposition is.

Read off a dependency parse, not word patterns over the surface string, so the frame is found where
news prose puts it: "…, the BBC reported", "However, the clinic has denied…", "X, a spokesman for Y,
told AP that…", "according to X", nested reports ("the army says it detained…, the BBC reported":
the innermost report is the claim, its source the army).  Each sentence becomes:

* **asserts** — no reporting verb: the narrator (or a quotation's speaker) states the proposition;
* **reports** / **confirms** — a speaker says or confirms the proposition (its clausal complement);
* **denies** — "denied that S", "dismissed claims that S", "called the reports false", "the reports
  were false": the proposition is what is denied, so NLI compares propositions and the frame turns
  the result into support or refutation (the model never has to understand "false");
* **declines** — a negated report or confirmation ("would not confirm that S"), "declined to
  comment", "did not return emails": non-committal about S.

Two marks ride on the frame: **speculative** — the proposition's head carries epistemic possibility
("there could be something I don't know", "I will probably be talking to him"), a possibility and not a
fact; **discredited** — a report whose source the narrator calls false as it names it ("a false story
claimed that S", "according to a satirical site, S"), so the sentence also denies S.

The only lexicon is the verb classes of lexicon.py (what a verb of saying, confirming or denying *is*);
which token is the verb, its subject and its complement comes from the parse.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from claimcheck.pipeline.lexicon import (
    CONFIRM_VERBS,
    DECLINE_VERBS,
    DENY_VERBS,
    EPISTEMIC_ADVERBS,
    EPISTEMIC_MODALS,
    FALSE_WORDS,
    FRAME_VERBS,
    NO_REPLY_VERBS,
    REFERENCE_NOUNS,
    REPLY_OBJECTS,
    REPORT_NOUNS,
    REPORT_VERBS,
    SUBSTANCE_NOUNS,
    TRUE_WORDS,
)
from claimcheck.pipeline.text import CURLY_CLOSE, CURLY_OPEN, QUOTE_OPEN
from claimcheck.pipeline.types import FrameKind, Parse, Token

CLAUSAL = ("ccomp", "xcomp", "advcl")
# dependents that are not the core of a proposition: place, time, manner, asides
ADJUNCTS = frozenset(
    {
        "prep",
        "npadvmod",
        "advcl",
        "advmod",
        "parataxis",
        "punct",
        "appos",
        "relcl",
        "agent",
        "dep",
        "intj",
        "mark",
        "meta",
    }
)
RELATIVE_PRONOUNS = frozenset({"who", "which", "that"})
NOUN_ASIDES = frozenset({"appos", "relcl", "acl", "punct", "parataxis", "advcl"})


@dataclass(frozen=True)
class FrameParse:
    """What :func:`read_frame` found in one sentence (speaker unresolved: attribution resolves it)."""

    kind: FrameKind
    speaker: str | None = None
    verb: str | None = None
    content: str | None = None  # the proposition; None: the whole sentence
    core: str | None = None
    target_is_reference: bool = False  # "denied the reports": the proposition is a report made earlier
    speaker_context: str | None = None  # the whole subject phrase: "Dmitry Peskov, the Kremlin spokesperson"
    predicate: str | None = None  # the proposition's head lemma ("spoke to us about closures" → "speak")
    speculative: bool = False  # the proposition's head carries epistemic possibility ("could be", "probably")
    discredited: bool = False  # the reporter is called false in its own phrase: "a false story claimed that S"
    also: tuple[FrameParse, ...] = ()  # the sentence's other assertions, each a reading of its own (_other_readings)
    introduces: str | None = None  # "the cleric replied, saying,": whose words the next sentences are
    quotation: bool = False  # the sentence opens with quoted words (a clause, not a quoted title): someone's words


Framed = tuple[Token, Token | None, Token]  # a reporting, confirming or denying verb, its subject, its complement
_NOT_ASSERTED = frozenset({"if", "unless", "whether", "case", "lest"})  # an adverbial clause these open is a condition


class _Tree:
    """Children and subtrees of one parse, and which tokens sit inside quotation marks."""

    def __init__(self, tokens: Parse) -> None:
        self.tokens = tokens
        self.children: list[list[Token]] = [[] for _ in tokens]
        for t in tokens:
            if t.head != t.i:
                self.children[t.head].append(t)
        self.quoted = [False] * len(tokens)
        inside = False
        for t in tokens:
            if t.text in CURLY_OPEN or (t.text == '"' and not inside):
                inside = True
                continue
            if t.text in CURLY_CLOSE or (t.text == '"' and inside):
                inside = False
                continue
            self.quoted[t.i] = inside

    def kids(self, t: Token, *deps: str) -> list[Token]:
        return [c for c in self.children[t.i] if not deps or c.dep in deps]

    def subtree(
        self, t: Token, drop: frozenset[str] = frozenset(), drop_top: frozenset[str] = frozenset()
    ) -> list[Token]:
        """``t`` and its descendants, in order; children with a dep in ``drop_top`` (at ``t`` only) or
        ``drop`` (anywhere below) are left out with their subtrees."""
        out, stack = [], [(t, True)]
        while stack:
            node, top = stack.pop()
            out.append(node)
            for c in self.children[node.i]:
                if (top and c.dep in drop_top) or c.dep in drop:
                    continue
                stack.append((c, False))
        return sorted(out, key=lambda x: x.i)

    def depth(self, t: Token) -> int:
        return len(self.ancestors(t))

    def ancestors(self, t: Token) -> list[Token]:
        """``t``'s heads up to the root, nearest first."""
        out: list[Token] = []
        while t.head != t.i and len(out) < len(self.tokens):
            t = self.tokens[t.head]
            out.append(t)
        return out

    def in_relative_clause(self, t: Token) -> bool:
        """``t`` sits in a clause that describes a noun ("a site that publishes …", "…, which would have …")."""
        return t.dep == "relcl" or any(a.dep == "relcl" for a in self.ancestors(t))


_GLUED_QUOTE = re.compile(r"(?<=\w)[“”\"](?=\w)")


def text_of(tokens: list[Token], sentence: str) -> str:
    """The tokens' text with the sentence's own spacing, quotation marks and edge punctuation dropped."""
    kept = [t for t in tokens if t.text not in QUOTE_OPEN + CURLY_CLOSE]
    while kept and kept[0].pos == "PUNCT":
        kept = kept[1:]
    while kept and (kept[-1].pos in ("PUNCT", "CCONJ") and kept[-1].text not in ")?!"):
        kept = kept[:-1]
    if not kept:
        return ""
    parts, prev = [], None
    for t in kept:
        gap = sentence[prev.end : t.idx] if prev is not None else ""
        # a space, or a dropped quotation mark between two words ('maintained that“the claim')
        if gap and (
            any(c.isspace() for c in gap) or (t.text[:1].isalnum() and prev is not None and prev.text[-1:].isalnum())
        ):
            parts.append(" ")
        word = sentence[t.idx : t.end] if sentence[t.idx : t.end] == t.text else t.text
        parts.append(_GLUED_QUOTE.sub(" ", word))  # 'that“the' is one token when the copy drops a space
        prev = t
    return "".join(parts).strip()


def _antecedent(tree: _Tree, verb: Token) -> Token | None:
    """The noun a relative clause describes, and the name it is in apposition to ("Walker, a spokesman, who")."""
    clause = next((a for a in [verb, *tree.ancestors(verb)] if a.dep == "relcl"), None)
    if clause is None:
        return None
    noun = tree.tokens[clause.head]
    if noun.dep == "appos" and tree.tokens[noun.head].pos == "PROPN":
        return tree.tokens[noun.head]
    return noun if noun.pos in ("NOUN", "PROPN") else None


def _opens_with_quoted_words(tree: _Tree) -> bool:
    """The sentence opens with someone's quoted words — a clause, not a quoted title ("“Home Alone” was filmed
    in Chicago during “the worst winter in living memory”" is the narrator's)."""
    first = next((t for t in tree.tokens if t.pos != "PUNCT"), None)
    if first is None or not tree.quoted[first.i]:
        return False
    span = []
    for t in tree.tokens[first.i :]:
        if not tree.quoted[t.i]:
            break
        span.append(t)
    return _are_words(span)


def _quotes_words(tree: _Tree) -> bool:
    """The sentence quotes someone's words, not a word in scare quotes ("a “satirical” website")."""
    return _are_words([t for t in tree.tokens if tree.quoted[t.i]])


def _are_words(quoted: list[Token]) -> bool:
    """Quoted tokens are someone's words — four words or more, or a verb — not a name or a scare-quoted term."""
    words = [t for t in quoted if t.pos != "PUNCT"]
    return len(words) >= 4 or any(t.pos in ("VERB", "AUX") for t in words)


def _quotation_of(tree: _Tree, verb: Token) -> bool:
    """The quotation is this verb's complement ("“All over the battlefield,” he explained"), not words another
    verb quotes ("he promised to fight back, saying the pilot's death “will not be in vain”")."""
    heads = [t for t in tree.tokens if tree.quoted[t.i] and (t.head == t.i or not tree.quoted[t.head])]
    # attached either way, or two roots side by side (the parser split "“Is this the end?” she asked")
    return any(h.head == verb.i or verb.head == h.i or (h.head == h.i and verb.head == verb.i) for h in heads)


def _speaker_phrase(tree: _Tree, subj: Token, sentence: str) -> str:
    """The subject's noun phrase without asides; a person's name without the title before it
    ("Iraqi Interior Ministry spokesman Saad Maan Ibrahim" → "Saad Maan Ibrahim"), or the name a role
    is given in apposition ("A government spokeswoman, Rosario Murillo," → "Rosario Murillo")."""
    if subj.pos == "NOUN":
        named = next((a for a in tree.kids(subj, "appos") if a.pos == "PROPN"), None)
        if named is not None:
            subj = named
    phrase = tree.subtree(subj, drop=NOUN_ASIDES, drop_top=NOUN_ASIDES)
    if subj.pos == "PROPN":
        run = [subj]
        for t in reversed([t for t in phrase if t.i < subj.i]):
            if t.pos == "PROPN" and t.dep in ("compound", "flat") and t.i == run[0].i - 1:
                run.insert(0, t)
            elif t.text in "-–" and t.i == run[0].i - 1:
                run.insert(0, t)
            else:
                break
        if len(run) < len(phrase):
            before = [t for t in phrase if t.i < run[0].i]
            if before and before[-1].pos in ("NOUN", "ADJ") and before[-1].i == run[0].i - 1:
                return text_of(run, sentence)  # a title or role before a name
    return text_of(phrase, sentence)


def _core(tree: _Tree, head: Token, sentence: str, content: str, aside: frozenset[int] = frozenset()) -> str | None:
    """The proposition's main clause without adjuncts: what a second source most often restates.

    Place, time and manner go; an intransitive verb keeps its first prepositional phrase, which is
    its argument ("talked with Putin"), not an adjunct; what the proposition left ``aside`` stays out.
    """
    keep = tree.subtree(head, drop=frozenset({"relcl", "advcl", "parataxis"}), drop_top=ADJUNCTS - {"prep"})
    preps = tree.kids(head, "prep")
    transitive = tree.kids(head, "dobj", "attr", "acomp", "xcomp", "ccomp", "oprd", "nsubjpass")
    dropped = set(aside) | {t.i for p in (preps if transitive else preps[1:]) for t in tree.subtree(p)}
    core = text_of([t for t in keep if t.i not in dropped], sentence)
    if len(core.split()) < 3 or len(content.split()) - len(core.split()) < 3:
        return None
    return core


_QUOTATION = Token(-1, "", 0, "", "", "quotation", -1)  # stands for "the quoted words" as a verb's complement


def _that_clause(tree: _Tree, verb: Token) -> Token | None:
    """A "that"-clause the parser hung elsewhere: "said in an interview released on Saturday that S",
    "a senator informed state media that S" (parsed as a relative clause of "media")."""
    for t in tree.tokens[verb.i + 1 :]:
        marks = tree.kids(t, "mark")
        if (
            marks
            and marks[0].lemma in ("that", "whether", "if")
            and t.dep in ("ccomp", "relcl", "acl", "advcl")
            and t not in _ancestors(tree, verb, verb)
            and not any(a.lemma in FRAME_VERBS and a.i != verb.i for a in _ancestors(tree, t, verb))
        ):
            return t
    return None


def _ancestors(tree: _Tree, t: Token, stop: Token) -> list[Token]:
    """Tokens above ``t`` up to ``stop`` (excluded) or the root (included when ``stop`` is not above)."""
    out = []
    while t.head != t.i and t.head != stop.i:
        t = tree.tokens[t.head]
        out.append(t)
    return out


def _negated(tree: _Tree, verb: Token) -> bool:
    return bool(tree.kids(verb, "neg"))


def _discredited(tree: _Tree, source: Token | None) -> bool:
    """ "A false story claimed that S", "the bogus report said S", "according to a satirical site, S": the
    narrator calls the source false as it names it, so the sentence denies S as much as it reports it."""
    return source is not None and any(a.lemma in FALSE_WORDS for a in tree.kids(source, "amod", "compound"))


def _speculative(tree: _Tree, head: Token | None) -> bool:
    """ "there could be something I don't know", "I will probably be talking to him": the proposition is a
    possibility or a forecast, not a fact another source can confirm or contradict."""
    if head is None:
        return False

    def possible(verb: Token) -> bool:
        if _negated(tree, verb):
            return False  # "it could not have been registered" rules a possibility out: a claim of fact
        return any(a.lemma in EPISTEMIC_MODALS for a in tree.kids(verb, "aux")) or any(
            a.lemma in EPISTEMIC_ADVERBS for a in tree.kids(verb, "advmod")
        )

    # "it might sound odd, but I don't have a problem with it": a plain assertion beside it is a claim
    return all(possible(v) for v in (head, *(c for c in tree.kids(head, "conj") if c.pos in ("VERB", "AUX"))))


def _declines(tree: _Tree, tokens: Parse) -> bool:
    """ "declined to comment", "refused to address the contents", "did not return emails for comment"."""
    for t in tokens:
        if t.lemma in DECLINE_VERBS and t.pos == "VERB" and tree.kids(t, "xcomp", "dobj", "ccomp"):
            return True
        if t.lemma in NO_REPLY_VERBS and _negated(tree, t):
            objects = [c for c in tree.kids(t, "dobj", "prep", "pobj") for c in [c, *tree.kids(c, "pobj")]]
            if any(o.lemma in REPLY_OBJECTS for o in objects) or t.lemma == "comment":
                return True
    return False


def _clause_of_noun(tree: _Tree, noun: Token) -> Token | None:
    """ "the claims that S", "reports that S": the clause a noun carries; "sources saying that S", "an
    article claiming S": the clause its participle of saying reports, not the participle."""
    for c in tree.kids(noun, "acl", "ccomp", "relcl"):
        if any(m.lemma == "that" and m.dep == "mark" for m in tree.kids(c, "mark")) or c.dep in ("acl", "ccomp"):
            said = next(iter(tree.kids(c, "ccomp")), None) if c.lemma in REPORT_VERBS and c.pos == "VERB" else None
            return said or c
    return None


def _proposition(
    tree: _Tree, clause: Token, sentence: str, aside: frozenset[int] = frozenset()
) -> tuple[str, str | None]:
    """The clause's text (``aside``: token indices left out) and its core."""
    content = text_of([t for t in tree.subtree(clause, drop_top=frozenset({"mark"})) if t.i not in aside], sentence)
    return content, _core(tree, clause, sentence, content, aside)


def _asserted_clauses(tree: _Tree, head: Token, framed: list[Framed], set_off: bool = False) -> list[Token]:
    """Adverbial clauses of ``head`` that assert something of their own: finite (a subject), not a condition
    ("if …", "in case …"), not a report of their own; ``set_off``: only those a comma sets off ("…, as confusion
    continues over …"), which are not part of a proposition denied before them."""
    out = []
    for clause in tree.kids(head, "advcl"):
        below = tree.subtree(clause)
        if (
            tree.quoted[clause.i]
            or clause.pos not in ("VERB", "AUX")
            or not tree.kids(clause, "nsubj", "nsubjpass", "expl")
            or any(t.lemma in _NOT_ASSERTED for t in below if t.i < clause.i)
            or any(t.i in (f[0].i, f[2].i) for f in framed for t in below)  # a report of its own, or the frame's
            or (set_off and (below[0].i == 0 or tree.tokens[below[0].i - 1].text != ","))
        ):
            continue
        out.append(clause)
    return out


_SUBSTANCE_PREPS = ("to", "in", "for", "behind")  # "no truth to", "no basis for", "no substance behind"


def _false_target(tree: _Tree, t: Token) -> tuple[Token, Token | None] | None:
    """(the predicate's head, what it calls false) when ``t`` calls something false: "the reports were
    false", "called it a hoax", "dismissed it as a hoax"; a truth word under negation, "the story is not
    true"; an existential negation of its substance, "there is no truth to these claims"."""
    if tree.quoted[t.i]:
        return None
    head = tree.tokens[t.head]
    if t.lemma in SUBSTANCE_NOUNS and t.dep in ("attr", "dobj") and any(d.lemma == "no" for d in tree.kids(t, "det")):
        if head.lemma == "have":  # "the story has no basis in fact": the story
            return head, next(iter(tree.kids(head, "nsubj")), None)
        preps = [p for p in (*tree.kids(t, "prep"), *tree.kids(head, "prep")) if p.lemma in _SUBSTANCE_PREPS]
        return head, next((o for p in preps for o in tree.kids(p, "pobj")), None)
    if t.lemma in TRUE_WORDS and t.dep in ("acomp", "attr") and head.lemma == "be" and _negated(tree, head):
        return head, next(iter(tree.kids(head, "nsubj", "nsubjpass")), None)
    if t.lemma not in FALSE_WORDS or t.dep not in ("acomp", "attr", "oprd", "pobj", "amod"):
        return None
    if t.dep == "amod" and head.dep == "attr" and head.lemma in REFERENCE_NOUNS:
        head = tree.tokens[head.head]  # "this is a fake news story": what "this" stands for is fake
    elif t.dep == "amod" and head.dep == "ROOT" and head.lemma in REPORT_NOUNS and _clause_of_noun(tree, head):
        return head, head  # a verbless line, "The false report claiming Banksy had been arrested": its clause
    if head.dep == "prep" and head.lemma == "as":
        head = tree.tokens[head.head]
    kids = tree.kids(head, "nsubj", "nsubjpass") if head.lemma == "be" else tree.kids(head, "dobj")
    return head, next(iter(kids), None)


def _false_frame(tree: _Tree, tokens: Parse | list[Token], sentence: str) -> FrameParse | None:
    """ "X called the reports false" / "the reports were false" / "the story is not true" / "there is no
    truth to these claims" / "dismissed it as a hoax": a denial of what the noun phrase stands for."""
    for t in tokens:
        found = _false_target(tree, t)
        if found is None:
            continue
        head, target = found
        if target is None or target.pos not in ("NOUN", "PROPN", "PRON"):
            continue
        subj = next(iter(tree.kids(head, "nsubj")), None) if head.lemma != "be" else None
        speaker = _speaker_phrase(tree, subj, sentence) if subj is not None else None
        clause = _clause_of_noun(tree, target)
        if clause is None and target.lemma == "it":  # "it is not true that the plant will close"
            clause = next(iter(tree.kids(head, "ccomp")), None)
        if clause is not None:
            content, core = _proposition(tree, clause, sentence)
            return FrameParse("denies", speaker, head.lemma, content, core)
        return FrameParse(
            "denies", speaker, head.lemma, text_of(tree.subtree(target), sentence), None, target_is_reference=True
        )
    return None


def read_frame(tokens: Parse, sentence: str) -> FrameParse:
    """The frame of one sentence from its parse (``sentence`` is the text the parse offsets index),
    with the speaker's whole phrase as context (it names the organisation a spokesperson speaks for)."""
    if not tokens:
        return FrameParse("asserts")
    tree = _Tree(tokens)  # one tree per sentence, for the frame and the speaker's phrase
    frame, subject = _read_frame(tree, sentence)
    also = [
        f
        for f in (*frame.also, *_participle_readings(tree, sentence))
        if (f.speaker, f.content) != (frame.speaker, frame.content)
    ]
    quotation = _opens_with_quoted_words(tree)
    frame = replace(frame, also=tuple(also), introduces=_introducer(tree, sentence), quotation=quotation)
    if subject is None or frame.speaker is None:
        return frame
    context = text_of(tree.subtree(subject, drop=frozenset({"relcl", "acl"})), sentence)
    return replace(frame, speaker_context=context)


def _read_frame(tree: _Tree, sentence: str) -> tuple[FrameParse, Token | None]:
    tokens = tree.tokens
    verbs = [t for t in tokens if t.lemma in FRAME_VERBS and t.pos in ("VERB", "AUX") and not tree.quoted[t.i]]
    framed: list[Framed] = []  # (verb, subject, its clause or object or the quotation)
    for v in verbs:
        subj = next(iter(tree.kids(v, "nsubj")), None)
        agent = next((p for a in tree.kids(v, "agent") for p in tree.kids(a, "pobj")), None)
        clause = next(iter(tree.kids(v, "ccomp")), None) or _that_clause(tree, v)
        if clause is None and v.lemma in DENY_VERBS:  # "denied the reports", "the reports were denied by …"
            if tree.kids(v, "nsubjpass") and tree.kids(v, "dobj"):
                continue  # "he was denied entry": a refusal to someone, not a denial of something said
            # a report noun, never "his requests were denied" or a relative pronoun ("…, which was denied")
            passive = [n for n in tree.kids(v, "nsubjpass") if n.lemma in REPORT_NOUNS]
            clause = next(iter(tree.kids(v, "dobj")), None) or next(iter(passive), None)
        if clause is None and v.lemma not in DENY_VERBS:
            obj = next(iter(tree.kids(v, "dobj")), None)
            clause = _clause_of_noun(tree, obj) if obj is not None else None
            if clause is None and obj is not None and v.lemma in CONFIRM_VERBS and obj.lemma in REPORT_NOUNS:
                clause = obj  # "confirmed the news": a confirmation of something reported (references.py)
        if clause is None and subj is not None and _quotes_words(tree) and _quotation_of(tree, v):
            clause = _QUOTATION  # "“All over the battlefield,” he explained."
        if clause is None:
            continue
        if subj is None and agent is None and not tree.kids(v, "nsubjpass", "expl"):
            continue  # "saying the surgery never happened" belongs to the clause it modifies
        framed.append((v, agent if subj is None else subj, clause))
    # A report inside a relative clause describes a noun ("a site that publishes fake stories", "…, which
    # the administration said would …") and is not the sentence's frame; a denial, confirmation or
    # refusal there is ("…, a claim Conal denies", "Dustin Walker, who could not confirm the allegation").
    framed = [
        f
        for f in framed
        if not tree.in_relative_clause(f[0]) or f[0].lemma in DENY_VERBS | CONFIRM_VERBS or _negated(tree, f[0])
    ]
    according = next((t for t in tokens if t.lemma == "accord" and t.dep == "prep"), None)
    if not framed:
        false = _false_frame(tree, tokens, sentence)
        if false is not None:
            return false, None
        if according is not None:
            source = next((p for to in tree.kids(according, "prep") for p in tree.kids(to, "pobj")), None)
            rest = [t for t in tokens if t not in tree.subtree(according)]
            content = text_of(rest, sentence)
            root = next((t for t in rest if t.head == t.i), None)
            return FrameParse(
                "reports",
                _speaker_phrase(tree, source, sentence) if source else None,
                "accord",
                content,
                _core(tree, root, sentence, content) if root is not None else None,
                predicate=root.lemma if root is not None else None,
                speculative=_speculative(tree, root),
                discredited=_discredited(tree, source),
            ), source
        kind: FrameKind = "declines" if _declines(tree, tokens) else "asserts"
        root = next((t for t in tokens if t.head == t.i), None)
        whole = text_of(list(tokens), sentence)
        core = _core(tree, root, sentence, whole) if root is not None else None
        predicate = root.lemma if root is not None else None
        return FrameParse(kind, core=core, predicate=predicate, speculative=_speculative(tree, root)), None
    # the innermost report is the claim: "the army says it detained …, the BBC reported"
    chosen = max(framed, key=lambda f: tree.depth(f[0]))
    frame, subj = _framed_reading(tree, sentence, framed, *chosen)
    frame = replace(frame, also=_other_readings(tree, sentence, framed, chosen))
    main = _main_clause_beside(tree, sentence, framed)
    if main is not None:  # "A man shot a soldier at the memorial, and witnesses said S": the first clause leads
        return replace(main, also=(replace(frame, also=()), *frame.also)), None
    return frame, subj


def _main_clause_beside(tree: _Tree, sentence: str, framed: list[Framed]) -> FrameParse | None:
    """The narrator's own main clause when every report of the sentence is a clause coordinated with it, not
    its complement ("A man shot a soldier standing guard, and witnesses said there were further shots"): the
    sentence asserts it first, and the reports are readings beside it."""
    root = next((t for t in tree.tokens if t.head == t.i), None)
    if (
        root is None
        or root.lemma in FRAME_VERBS
        or root.pos not in ("VERB", "AUX")
        or not tree.kids(root, "nsubj", "nsubjpass", "expl")
        or tree.quoted[root.i]
    ):
        return None
    conjuncts = [c for c in tree.kids(root, "conj") if any(f[0].i == c.i for f in framed)]
    if not conjuncts or any(f[0].i not in {x.i for c in conjuncts for x in tree.subtree(c)} for f in framed):
        return None  # a report is the root's complement or sits elsewhere: the frame as read stands
    readings = [_framed_reading(tree, sentence, framed, *f)[0] for f in framed]
    if any(r.kind != "reports" or r.discredited for r in readings):
        return None  # "…, and the ministry said the reports were false": a denial or refusal is the sentence's point
    aside = frozenset(x.i for c in conjuncts for x in tree.subtree(c))
    content, core = _proposition(tree, root, sentence, aside)
    return FrameParse("asserts", content=content, core=core, predicate=root.lemma, speculative=_speculative(tree, root))


def _inside(tree: _Tree, t: Token, frame: Framed) -> bool:
    """``t`` sits in the complement of ``frame``: the frame reports what ``t`` says."""
    return frame[2] is not _QUOTATION and any(x.i == t.i for x in tree.subtree(frame[2]))


def _other_readings(tree: _Tree, sentence: str, framed: list[Framed], chosen: Framed) -> tuple[FrameParse, ...]:
    """What the chosen frame leaves out of the sentence, each a reading of its own (a second source rarely
    repeats the whole sentence, and one clause of it may be exactly what corroborates another claim):

    * a report beside it, not nested in it: "X said S1, and Y denied S2";
    * an adverbial clause of the frame's verb, asserted by whoever tells of the frame — an outer report, else
      the narrator: "An official denied that S, as confusion continues over a woman and child captured by the
      army, AP reported" (AP tells of the capture).  Not a condition ("if …", "unless …").
    """
    verb = chosen[0]
    out = [
        _framed_reading(tree, sentence, framed, *f)[0]
        for f in framed
        if f is not chosen and not _inside(tree, verb, f) and not _inside(tree, f[0], chosen)
    ]
    outer = max(
        (f for f in framed if f is not chosen and _inside(tree, verb, f)), key=lambda f: tree.depth(f[0]), default=None
    )
    teller = _framed_reading(tree, sentence, framed, *outer)[0] if outer is not None else None
    clauses = _asserted_clauses(tree, verb, framed)
    if verb.lemma in DENY_VERBS and chosen[2] is not _QUOTATION:  # "denied that S, as T": T is not denied
        clauses += _asserted_clauses(tree, chosen[2], framed, set_off=True)
    for clause in clauses:
        content, core = _proposition(tree, clause, sentence)
        out.append(
            FrameParse(
                "asserts" if teller is None else "reports",
                teller.speaker if teller else None,
                teller.verb if teller else None,
                content,
                core,
                predicate=clause.lemma,
                speculative=_speculative(tree, clause),
            )
        )
    return tuple(out)


_SAYING = REPORT_VERBS | CONFIRM_VERBS | DENY_VERBS


def _participle_readings(tree: _Tree, sentence: str) -> tuple[FrameParse, ...]:
    """ "Abdullah vowed war, saying Jordan will hit them": the participle reports its clause for the subject of
    the verb it modifies, a reading beside the sentence's own (the main clause keeps its assertion)."""
    out = []
    for t in tree.tokens:
        if not (t.pos == "VERB" and t.dep == "advcl" and t.text.lower().endswith("ing") and t.lemma in _SAYING):
            continue
        if tree.quoted[t.i] or tree.kids(t, "nsubj", "nsubjpass"):
            continue
        subj = next(iter(tree.kids(tree.tokens[t.head], "nsubj")), None)
        clause = next(iter(tree.kids(t, "ccomp")), None) or _that_clause(tree, t)
        if subj is None or clause is None or (subj.pos == "PRON" and subj.lemma in ("it", "there", "you")):
            continue
        if subj.lemma in REPORT_NOUNS:  # "rumours spread …, saying S": the participle is not the rumour's
            continue
        out.append(_framed_reading(tree, sentence, [], t, subj, clause)[0])
    return tuple(out)


_INTRODUCING = REPORT_VERBS | {"read"}  # "the disclaimer reads:"
_WHAT_FOLLOWS = frozenset({"following", "what", "this"})  # "reported the following:", "here is what it said:"


def _introducer(tree: _Tree, sentence: str) -> str | None:
    """The speaker whose words the next sentences are, when this one ends by introducing them: a verb of saying
    left without its complement before a final comma or colon ("To this, the cleric replied in the negative,
    saying," / "MacRumors ran its own test and reported the following:" / "The article reads:")."""
    if not sentence.rstrip().endswith((",", ":")):
        return None
    for v in reversed(tree.tokens):
        if v.lemma not in _INTRODUCING or v.pos != "VERB" or tree.quoted[v.i]:
            continue
        if tree.kids(v, "ccomp") or _that_clause(tree, v):
            return None  # it has its complement: an ordinary report
        if any(o.lemma not in _WHAT_FOLLOWS for o in tree.kids(v, "dobj")):
            return None  # "published a picture of the King:": what follows shows the picture, not words
        subj = next(iter(tree.kids(v, "nsubj")), None)
        if subj is None and v.dep in ("advcl", "conj"):  # "…, saying," / "ran a test and reported the following:"
            subj = next(iter(tree.kids(tree.tokens[v.head], "nsubj")), None)
        if subj is None or (subj.pos == "PRON" and subj.lemma in ("it", "there", "you", "this", "that")):
            return None
        if subj.lemma in RELATIVE_PRONOUNS or tree.in_relative_clause(v):
            return None  # "readers who read the page were given …:" describes the readers
        return _speaker_phrase(tree, subj, sentence)
    return None


def _framed_reading(
    tree: _Tree, sentence: str, framed: list[Framed], verb: Token, subj: Token | None, clause: Token
) -> tuple[FrameParse, Token | None]:
    """The frame of one reporting, confirming or denying verb with its subject and complement."""
    tokens = tree.tokens
    if subj is not None and subj.lemma in RELATIVE_PRONOUNS and tree.in_relative_clause(verb):
        subj = _antecedent(tree, verb) or subj  # "Dustin Walker, a spokesman, who could not confirm …"
    if subj is not None and subj.pos == "PRON" and subj.lemma not in ("it", "there"):
        # "Austin said he could not confirm …": the pronoun is the outer report's named subject
        outer = [s for v, s, _ in framed if s is not None and s.pos != "PRON" and v in tree.ancestors(verb)]
        subj = outer[0] if outer else subj
    if subj is None or (subj.pos == "PRON" and subj.lemma in ("it", "there", "you")):
        speaker = None  # "it was reported that S", "as you can read": a report without a source
    else:
        speaker = _speaker_phrase(tree, subj, sentence)
    kind: FrameKind
    if verb.lemma in DENY_VERBS:
        kind = "declines" if _negated(tree, verb) else "denies"
    elif verb.lemma in CONFIRM_VERBS:
        kind = "declines" if _negated(tree, verb) else "confirms"
    else:
        kind = "declines" if _negated(tree, verb) and verb.lemma in ("say", "tell", "comment") else "reports"
    if clause is _QUOTATION:
        quoted = [t for t in tokens if tree.quoted[t.i]]
        head = next((t for t in quoted if not tree.quoted[t.head] or t.head == t.i), None)
        content = text_of(quoted, sentence)
        speculative = _speculative(tree, head)
        return FrameParse(
            kind, speaker, verb.lemma, content, predicate=head.lemma if head else None, speculative=speculative
        ), subj
    if clause.dep in ("dobj", "nsubjpass") and clause.pos in ("NOUN", "PROPN", "PRON"):
        inner = _clause_of_noun(tree, clause)
        if inner is None:
            return FrameParse(
                kind, speaker, verb.lemma, text_of(tree.subtree(clause), sentence), None, target_is_reference=True
            ), subj
        clause = inner
    if kind == "reports":  # "the reports were false, the ministry said": a reported denial
        false = _false_frame(tree, tree.subtree(clause), sentence)
        if false is not None:
            return FrameParse("denies", speaker, false.verb, false.content, false.core, false.target_is_reference), subj
    aside = (
        frozenset(t.i for a in _asserted_clauses(tree, clause, framed, set_off=True) for t in tree.subtree(a))
        if kind == "denies"
        else frozenset()
    )
    content, core = _proposition(tree, clause, sentence, aside)
    speculative, discredited = _speculative(tree, clause), kind == "reports" and _discredited(tree, subj)
    return FrameParse(
        kind,
        speaker,
        verb.lemma,
        content,
        core,
        predicate=clause.lemma,
        speculative=speculative,
        discredited=discredited,
    ), subj
