"""The lexicon: every word list the pipeline reads, in one place a linguist may edit.

Which token is a verb, its subject or its complement comes from the dependency parse (frames.py);
these lists only say what a word *is*: a verb of saying, confirming or denying, a word that calls a
report false, a title before a name, an abbreviation that does not end a sentence.  Change a list
here and every stage that reads it follows; the tests in tests/test_frames.py and
tests/test_attribution.py show what each list is for.
"""

from __future__ import annotations

# --- frames (pipeline/frames.py) -----------------------------------------------------------------
REPORT_VERBS = frozenset(
    {
        "say",
        "tell",
        "state",
        "report",
        "add",
        "note",
        "explain",
        "write",
        "tweet",
        "post",
        "announce",
        "claim",
        "insist",
        "argue",
        "maintain",
        "allege",
        "assert",
        "declare",
        "reveal",
        "warn",
        "advise",  # directives are a source speaking: "the ministry advised soldiers to “cover their faces”"
        "urge",
        "recall",
        "reply",
        "respond",
        "stress",
        "testify",
        "indicate",
        "inform",
        "disclose",
        "suggest",
        "predict",
        "contend",
        "emphasize",
        "emphasise",
        "observe",
        "remark",
        "comment",
        "publish",
        "mention",
        "hint",
        "boast",
        "concede",
        "cite",
        "quote",
        "retort",
        "exclaim",
        "affirm",
        "assure",
        "promise",
        "vow",
        "pledge",
        "speculate",
        "estimate",
        "conclude",
        "show",
        "find",
        "learn",
        "hear",
        "ask",
        "wonder",
    }
)
# attitudes, not reports: "expressed optimism that S", "hopes that S" (claims.py drops them as opinion)
ATTITUDE_VERBS = frozenset(
    {
        "express",
        "hope",
        "wish",
        "believe",
        "think",
        "feel",
        "fear",
        "expect",
        "doubt",
        "suspect",
        "want",
        "predict",
        "suggest",
        "warn",
    }
)
CONFIRM_VERBS = frozenset({"confirm", "verify", "corroborate", "acknowledge", "admit", "validate"})
DENY_VERBS = frozenset(
    {
        "deny",
        "dismiss",
        "reject",
        "refute",
        "dispute",
        "rebut",
        "debunk",
        "disavow",
        "contradict",
        "repudiate",
        "discredit",
    }
)
FRAME_VERBS = REPORT_VERBS | ATTITUDE_VERBS | CONFIRM_VERBS | DENY_VERBS
# "the story is not true", "the reports are not accurate": a truth predicate under negation
TRUE_WORDS = frozenset({"true", "accurate", "correct", "real", "genuine", "authentic", "factual"})
# "there is no truth to these claims", "no basis for the reports": a denial by an existential negation
# ("no evidence for" is left out: an absence of evidence is not a denial)
SUBSTANCE_NOUNS = frozenset({"truth", "basis", "substance", "foundation", "merit"})
# "called the reports false", "the claims were untrue", "dismissed it as a hoax"
FALSE_WORDS = frozenset(
    {
        "false",
        "untrue",
        "baseless",
        "fake",
        "wrong",
        "inaccurate",
        "incorrect",
        "hoax",
        "groundless",
        "unfounded",
        "fabricated",
        "fabrication",
        "nonsense",
        "lie",
        "lies",
        "bogus",
        "fiction",
        "misleading",
        "erroneous",
        "myth",
        "rumor",
        "rumour",
        "satire",
        "parody",
        "prank",
        "falsehood",
        "phony",
        "satirical",
        "spoof",
    }
)
# what a confirmation's object must be to stand for a report ("confirmed the news", not "admitted the mistake")
REPORT_NOUNS = frozenset(
    {"news", "report", "claim", "story", "account", "rumor", "rumour", "allegation", "statement", "accusation"}
)
# epistemic possibility on a proposition's head, a closed class of English grammar (modal auxiliaries and
# modal adverbs): "there could be something I don't know", "I will probably be talking to Putin" speculate
# or predict; "would" and "will" alone report a plan or a future ("he said he would resign") and stay out
EPISTEMIC_MODALS = frozenset({"could", "might", "may"})
EPISTEMIC_ADVERBS = frozenset({"probably", "possibly", "perhaps", "maybe"})
# contact between people: "nobody has spoken to us about closures" denies the contact, not the closures
# (not "reach": "no agreement was reached" is about the agreement)
CONTACT_VERBS = frozenset(
    "speak talk tell inform consult brief contact notify ask call email e-mail approach discuss meet "
    "respond reply answer comment warn".split()
)
# "declined to comment", "refused to address the contents"
DECLINE_VERBS = frozenset({"decline", "refuse"})
# "did not return emails", "has not responded to requests for comment"
NO_REPLY_VERBS = frozenset({"return", "respond", "reply", "answer", "comment"})
REPLY_OBJECTS = frozenset(
    {"email", "call", "message", "request", "comment", "inquiry", "query", "question", "phone", "e-mail", "voicemail"}
)

# --- speakers (pipeline/attribution.py) -----------------------------------------------------------
SPEAKER_PRONOUNS = {"he", "she", "they", "it", "we", "i"}
TITLES = (
    "President",
    "Vice President",
    "Prime Minister",
    "Minister",
    "Senator",
    "Sen.",
    "Rep.",
    "Gov.",
    "Governor",
    "Mr.",
    "Mrs.",
    "Ms.",
    "Dr.",
    "Prof.",
    "General",
    "Gen.",
    "Chancellor",
    "Secretary",
    "Mayor",
    "King",
    "Queen",
    "Pope",
    "Judge",
    "Justice",
    "Chief",
    "Director",
    "CEO",
    "Chairman",
    "Spokesman",
    "Spokeswoman",
    "Spokesperson",
    "Ambassador",
    "Foreign Minister",
    "Defense Secretary",
)
# a speaker phrase ending in one of these (or in a title) is a person: "he" may point back to
# "an AutoNation spokesman" but not to "the ministry"
PERSON_ROLES = frozenset(
    "spokesman spokeswoman spokesperson official representative aide lawyer attorney witness officer "
    "executive founder owner analyst expert researcher scientist professor doctor source publicist agent "
    "manager friend son daughter father mother wife husband".split()
)

# --- sentence boundaries (pipeline/segment.py): a period after these does not end a sentence ------
ABBREVIATIONS = {
    "vs",
    "etc",
    "approx",
    "no",
    "nos",
    "cf",
    "al",
    "inc",
    "ltd",
    "co",
    "corp",
    "jr",
    "sr",
    "st",
    "gen",
    "gov",
    "sen",
    "rep",
    "mr",
    "mrs",
    "ms",
    "dr",
    "prof",
    "lt",
    "col",
    "sgt",
    "capt",
    "jan",
    "feb",
    "mar",
    "apr",
    "jun",
    "jul",
    "aug",
    "sep",
    "sept",
    "oct",
    "nov",
    "dec",
    "mt",
    "ft",
    "op",
}

# --- references (pipeline/references.py) ----------------------------------------------------------
# words of a target phrase that say *that* something was reported, not *what*
REFERENCE_NOUNS = frozenset(
    "claim claims report reports story stories rumor rumors rumour rumours allegation allegations account accounts "
    "speculation news idea figure figures suggestion suggestions assertion assertions statement statements article "
    "articles information post posts contents content piece video photo photos image images picture pictures tweet "
    "tweets headline headlines remark remarks thing things matter charge charges accusation accusations paper "
    "newspaper local such entire whole recent earlier latest any these those this that the a an it all which what "
    "reported alleged claimed".split()
)
