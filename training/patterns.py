"""Rule-generated NLI pairs in the news patterns claimcheck lives on.

The public sets hold few examples of what news copy does every day: a spokesman who "can neither
confirm nor deny", a ministry that "denied reports", a second source restating a claim, a figure
that differs by a digit.  Each family below wraps a real sentence S (from FNC-1 article bodies) in
such a frame and labels the pair (frame(S), S):

    hedge        "X would neither confirm nor deny that S"       -> neutral
    denial       "X denied that S"                               -> contradiction
    restatement  "S, X told reporters" / "X confirmed that S"    -> entailment
    swap         S vs S with a number/date/name changed or negated -> contradiction
    antonym      S vs S with a word swapped for its opposite ("rose"/"fell") -> contradiction,
                 and for a synonym ("rose"/"increased") -> entailment, so that the model learns the
                 word, not "any change means contradiction"

Templates are split: the *train* templates generate training pairs; the *eval* split uses unseen
sentences (FNC-1 competition-test bodies) and adds templates never seen in training, so the hedge
and denial scores measure the pattern, not memorised wording.
"""

from __future__ import annotations

import random
import re
from collections.abc import Callable

from training.pairs import Pair

FAMILIES = ("hedge", "denial", "restatement", "swap", "antonym")

SPEAKERS = [
    "The Kremlin",
    "A Kremlin spokesman",
    "The White House",
    "A spokeswoman for the ministry",
    "The company",
    "Police",
    "A Pentagon official",
    "The minister",
    "Her lawyer",
    "His spokesman",
    "The embassy",
    "A senior official",
    "The club",
    "The foreign ministry",
    "A government source",
    "The agency",
    "Dmitry Peskov",
    "Jane Mitchell",
    "The prime minister's office",
    "A UN spokesperson",
]

_HEDGE = {
    "train": [
        "{X} would neither confirm nor deny that {s}.",
        "{X} could neither confirm nor deny reports that {s}.",
        "{X} can neither deny nor confirm that {s}.",
        "{X} declined to comment on reports that {s}.",
        "It was unclear whether {s}.",
        "{S}, according to one person familiar with the matter, but the claim could not be independently verified.",
        "{X} said it had no information about whether {s}.",
        "There was no immediate confirmation that {s}.",
        "{X} refused to say whether {s}.",
        "It is not known whether {s}.",
        "{X} did not respond to requests for comment on claims that {s}.",
        "Reports that {s} could not be verified.",
        "Local media reported that {s}. {X} said it could neither confirm nor deny this news.",
    ],
    "eval": [
        "{X} would not confirm or deny that {s}.",
        "Officials have yet to verify claims that {s}.",
        "{X} said it was too early to say whether {s}.",
        "Some outlets reported that {s}. {X} declined to comment on the report.",
        "It remains unclear if {s}.",
    ],
}
_DENIAL = {
    "train": [
        "{X} denied that {s}.",
        "{X} called reports that {s} false.",
        "{X} dismissed claims that {s} as untrue.",
        "{X} rejected reports that {s}, saying they were fabricated.",
        "{X} said it was not true that {s}.",
        "{X} strongly denied reports that {s}.",
        "Reports that {s} are false, {X} said.",
    ],
    "eval": [
        "{X} flatly denied that {s}.",
        "{X} said the report that {s} was completely false.",
        "{X} insisted it was untrue that {s}.",
    ],
}
_RESTATE = {
    "train": [
        "{S}, {X} told reporters.",
        "{X} confirmed that {s}.",
        "{S}, {X} said in a statement.",
        "According to {x}, {s}.",
        "{X} acknowledged that {s}.",
    ],
    "eval": [
        "{X} verified that {s}.",
        "{S}, {X} confirmed on Tuesday.",
    ],
}

_LOWER_FIRST = {
    "The",
    "A",
    "An",
    "It",
    "This",
    "That",
    "These",
    "Those",
    "They",
    "He",
    "She",
    "We",
    "There",
    "Its",
    "His",
    "Her",
    "Their",
    "Our",
    "Some",
    "Many",
    "Most",
    "One",
    "Two",
    "In",
    "On",
    "At",
    "After",
    "Before",
    "According",
    "Officials",
    "Police",
    "Authorities",
    "Several",
    "Both",
}


def lower_first(sentence: str) -> str:
    """Embed a sentence after "that": lower its first word unless it is a name."""
    first = sentence.split(" ", 1)[0]
    return sentence[0].lower() + sentence[1:] if first in _LOWER_FIRST else sentence


def _frame(template: str, sentence: str, speaker: str) -> str:
    core = sentence.rstrip(".")
    return template.format(
        X=speaker,
        x=speaker[0].lower() + speaker[1:] if speaker.split()[0] in _LOWER_FIRST else speaker,
        s=lower_first(core),
        S=core,
    )


# --- swaps -------------------------------------------------------------------------------------
_NUM = re.compile(r"\b\d[\d,]*(\.\d+)?\b")
_MONTHS = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
]
_DAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
_AUX = re.compile(r"\b(is|was|are|were|has|have|had|will|can|could|would|did|does)\b(?! not\b)")
_NAME = re.compile(r"(?<=[a-z,] )([A-Z][a-z]{2,}(?: [A-Z][a-z]{2,})?)")


def swap_number(s: str, rng: random.Random, _names: list[str]) -> str | None:
    nums = list(_NUM.finditer(s))
    if not nums:
        return None
    m = rng.choice(nums)
    digits = m.group().replace(",", "")
    try:
        value = float(digits)
    except ValueError:
        return None
    if 1900 <= value <= 2100 and "." not in digits:
        new = str(int(value) + rng.choice([-3, -2, -1, 1, 2, 3]))
    else:
        factor = rng.choice([0.5, 2, 3, 0.25, 10])
        new_value = value * factor if value > 1 else value + rng.randint(2, 9)
        new = f"{new_value:,.0f}" if new_value >= 1 else f"{new_value:g}"
    return None if new == m.group() else s[: m.start()] + new + s[m.end() :]


def swap_date(s: str, rng: random.Random, _names: list[str]) -> str | None:
    for pool in (_MONTHS, _DAYS):
        found = [w for w in pool if re.search(rf"\b{w}\b", s)]
        if found:
            old = found[0]
            return re.sub(rf"\b{old}\b", rng.choice([w for w in pool if w != old]), s, count=1)
    return None


def swap_negation(s: str, rng: random.Random, _names: list[str]) -> str | None:
    m = _AUX.search(s)
    return None if not m else s[: m.end()] + " not" + s[m.end() :]


def swap_entity(s: str, rng: random.Random, names: list[str]) -> str | None:
    found = _NAME.findall(s)
    if not found or not names:
        return None
    old = rng.choice(found)
    new = rng.choice(names)
    return None if new == old or new in s else s.replace(old, new, 1)


# news verbs and adjectives whose opposite flips a report; each pair works both ways
ANTONYMS = [
    ("open", "closed"),
    ("opened", "closed"),
    ("rose", "fell"),
    ("risen", "fallen"),
    ("increased", "decreased"),
    ("increase", "decrease"),
    ("won", "lost"),
    ("win", "lose"),
    ("wins", "loses"),
    ("alive", "dead"),
    ("guilty", "innocent"),
    ("approved", "rejected"),
    ("accepted", "refused"),
    ("higher", "lower"),
    ("more", "fewer"),
    ("before", "after"),
    ("started", "ended"),
    ("allowed", "banned"),
    ("legal", "illegal"),
    ("true", "false"),
    ("confirmed", "denied"),
    ("gained", "lost"),
    ("passed", "failed"),
    ("acquitted", "convicted"),
    ("released", "detained"),
    ("expanded", "shrank"),
    ("north", "south"),
    ("east", "west"),
    ("success", "failure"),
    ("safe", "dangerous"),
    ("public", "private"),
    ("first", "last"),
    ("up", "down"),
    ("entered", "left"),
    ("arrived", "departed"),
    ("supported", "opposed"),
    ("supports", "opposes"),
    ("agreed", "refused"),
    ("strong", "weak"),
    ("rich", "poor"),
    ("cheap", "expensive"),
    ("early", "late"),
    ("included", "excluded"),
    ("married", "divorced"),
    ("victory", "defeat"),
    ("profit", "loss"),
    ("majority", "minority"),
    ("young", "old"),
    ("inside", "outside"),
    ("present", "absent"),
    ("full", "empty"),
]
SYNONYMS = [
    ("rose", "increased"),
    ("fell", "dropped"),
    ("started", "began"),
    ("bought", "purchased"),
    ("big", "large"),
    ("quickly", "rapidly"),
    ("ended", "finished"),
    ("talks", "negotiations"),
    ("car", "vehicle"),
    ("said", "stated"),
    ("help", "assistance"),
    ("killed", "slain"),
    ("died", "was killed"),
    ("children", "kids"),
    ("begin", "start"),
    ("home", "house"),
    ("shown", "displayed"),
    ("about", "approximately"),
    ("enormous", "huge"),
    ("attempted", "tried"),
    ("received", "got"),
    ("announced", "declared"),
    ("large", "big"),
    ("small", "little"),
    ("officials", "authorities"),
    ("police", "officers"),
]


def _word_swaps(pairs: list[tuple[str, str]]) -> dict[str, list[str]]:
    table: dict[str, list[str]] = {}
    for a, b in pairs:
        table.setdefault(a, []).append(b)
        table.setdefault(b, []).append(a)
    return table


_OPPOSITE = _word_swaps(ANTONYMS)
_SAME = _word_swaps(SYNONYMS)


def swap_word(s: str, rng: random.Random, table: dict[str, list[str]]) -> str | None:
    words = [m for m in re.finditer(r"\b[a-z]+\b", s) if m.group() in table]
    if not words:
        return None
    m = rng.choice(words)
    return s[: m.start()] + rng.choice(table[m.group()]) + s[m.end() :]


SWAPS: list[Callable[[str, random.Random, list[str]], str | None]] = [
    swap_number,
    swap_date,
    swap_negation,
    swap_entity,
]


def generate(
    sentences: list[str], families: list[str], per_family: int, rng: random.Random, split: str = "train"
) -> list[Pair]:
    """``per_family`` pairs for each requested family, from ``sentences``.

    For ``split="eval"`` templates are drawn from both pools and the source says which
    (``gen/hedge/seen`` or ``gen/hedge/unseen``).
    """
    names = sorted({n for s in sentences[:5000] for n in _NAME.findall(s)})
    out: list[Pair] = []
    pools = {
        "hedge": (_HEDGE, "neutral"),
        "denial": (_DENIAL, "contradiction"),
        "restatement": (_RESTATE, "entailment"),
    }
    for family in families:
        if family in pools:
            table, label = pools[family]
            groups = [("seen", table["train"])] + ([("unseen", table["eval"])] if split == "eval" else [])
            for _ in range(per_family):
                group, templates = rng.choice(groups)
                s = rng.choice(sentences)
                premise = _frame(rng.choice(templates), s, rng.choice(SPEAKERS))
                out.append(Pair(premise, s, label, f"gen/{family}/{group}"))
        elif family == "swap":
            made = 0
            while made < per_family:
                s = rng.choice(sentences)
                fn = rng.choice(SWAPS)
                changed = fn(s, rng, names)
                if changed and changed != s:
                    # both directions: the claim may be the original or the altered sentence
                    premise, hyp = (s, changed) if rng.random() < 0.5 else (changed, s)
                    out.append(Pair(premise, hyp, "contradiction", f"gen/swap/{fn.__name__}"))
                    made += 1
        elif family == "antonym":
            usable = [s for s in sentences if any(w in _OPPOSITE for w in re.findall(r"\b[a-z]+\b", s))]
            same = [s for s in sentences if any(w in _SAME for w in re.findall(r"\b[a-z]+\b", s))]
            for i in range(per_family):
                # two contradictions (antonym) for each entailment (synonym)
                table, pool, label, kind = (
                    (_SAME, same, "entailment", "synonym")
                    if i % 3 == 2
                    else (_OPPOSITE, usable, "contradiction", "antonym")
                )
                s = rng.choice(pool)
                changed = swap_word(s, rng, table)
                premise, hyp = (s, changed) if rng.random() < 0.5 else (changed, s)
                out.append(Pair(premise, hyp, label, f"gen/antonym/{kind}"))
        else:
            raise ValueError(f"unknown family {family!r}; known: {FAMILIES}")
    return out
