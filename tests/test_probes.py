"""training.probes: the negation / reference-denial / paraphrase probes that training.evaluate reports.

What a user would notice: the same probe every run, classes balanced, no pair from a training file,
grammatical negations, and denial premises that never repeat the claim after the first sentence.
The tests that read ``../shared/nli`` skip where it is absent (CI)."""

import collections
import os
import re
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from training import patterns, probes  # noqa: E402
from training.data import LABELS, TRAIN_SETS, TRAIN_SETS_3, dev_body_ids, pair_key, read_jsonl  # noqa: E402

NLI = Path(os.environ.get("CLAIMCHECK_NLI_DIR", Path(__file__).resolve().parents[2] / "shared" / "nli"))
needs_data = pytest.mark.skipif(not (NLI / "README.md").is_file(), reason=f"no public NLI data at {NLI}")


@pytest.mark.parametrize(
    ("sentence", "negated"),
    [
        ("A man is playing a guitar.", "A man is not playing a guitar."),
        ("The company has released a new phone.", "The company has not released a new phone."),
        ("The man has a dog.", "The man does not have a dog."),
        ("The boys had lunch.", "The boys did not have lunch."),
        ("The boy can swim.", "The boy cannot swim."),
        ("The president will visit Paris.", "The president will not visit Paris."),
        ("There is a man on the stage.", "There is no man on the stage."),
        ("There are people at the beach.", "There are no people at the beach."),
        ("There are two men outside.", "There are not two men outside."),
        ("The team won the match.", "The team did not win the match."),
        ("John Smith arrived late.", "John Smith did not arrive late."),
        ("The police arrested him yesterday.", "The police did not arrest him yesterday."),
        ("The man was arrested by police.", "The man was not arrested by police."),
    ],
)
def test_negation_rule_writes_grammatical_negations(sentence, negated):
    assert probes.negate(sentence) == negated


@pytest.mark.parametrize(
    "sentence",
    [
        "Some people are dancing.",  # quantifier: "some are not" does not contradict "some are"
        "The man who is wearing a hat sits.",  # the first "is" sits in a relative clause
        "The man may be sleeping.",  # modal
        "The woman is probably tired.",  # adverb after the auxiliary
        "A man is not sleeping.",  # already negated
        "He's running.",  # contraction
        "A dog on the left sleeps.",  # "left" is not a verb here
        "The man killed in the crash was a teacher.",  # participle modifier
        "People walk in the street.",  # simple present: person and number unknown
    ],
)
def test_negation_rule_skips_what_it_cannot_negate_cleanly(sentence):
    assert probes.negate(sentence) is None


CLAIMS = [
    "The Federal Reserve raised interest rates by half a point on Wednesday.",
    "Apple will open a new store in central Mumbai next spring.",
    "The mayor of Lyon resigned after a row over the city budget.",
    "Scientists found traces of water in rock samples from the crater.",
    "A fire destroyed the old warehouse near the harbour overnight.",
    "Officials closed the border crossing for three days last week.",
    "The striker signed a four-year contract with the Italian club.",
    "Heavy rain flooded dozens of homes in the northern valley.",
    "The airline cancelled all flights to the island until Friday.",
    "Police arrested two men in connection with the museum robbery.",
]


def _after_first_sentence(premise: str, hypothesis: str) -> str:
    core = hypothesis.rstrip(".")
    inner = core[0].lower() + core[1:]
    at = max(premise.find(core), premise.find(inner))
    assert at >= 0, premise
    return premise[at + len(core) :]


def test_refdenial_is_deterministic_balanced_and_names_the_claim_only_by_reference():
    first = probes.refdenial_probe(CLAIMS, n_claims=10, seed=3)
    assert first == probes.refdenial_probe(CLAIMS, n_claims=10, seed=3)
    assert first != probes.refdenial_probe(CLAIMS, n_claims=10, seed=4)
    assert collections.Counter(p.label for p in first) == {label: 10 for label in LABELS}
    for p in first:
        tail = _after_first_sentence(p.premise, p.hypothesis)
        assert p.hypothesis.rstrip(".").lower() not in tail.lower()
        assert re.search(r"\b(?:report|reports|story|claims?|allegations|rumour|speculation)\b", tail), tail
    # the three answers to one claim share its first sentence
    firsts = collections.defaultdict(set)
    for p in first:
        firsts[p.hypothesis].add(p.premise[: len(p.premise) - len(_after_first_sentence(p.premise, p.hypothesis))])
    assert all(len(v) == 1 for v in firsts.values())


def test_refdenial_templates_are_not_patterns_templates():
    ours = [t.format(X="{X}", ref="the report", be="was") for pool in probes.ANSWERS.values() for t in pool]
    theirs = [
        t for table in (patterns._HEDGE, patterns._DENIAL, patterns._RESTATE) for ts in table.values() for t in ts
    ]
    assert not [o for o in ours if any(o in t for t in theirs)]
    assert not set(probes.ANSWERERS) & set(patterns.SPEAKERS)


def test_paraphrase_frames_each_premise_three_ways():
    rows = [
        probes.Pair("The council approved the new stadium plan on Monday.", h, label, "mnli_dev")
        for h, label in [
            ("Local leaders gave the go-ahead for an arena.", "entailment"),
            ("The stadium will cost more than expected.", "neutral"),
            ("The council rejected the stadium plan.", "contradiction"),
        ]
    ]
    out = probes.paraphrase_probe(rows, seed=1)
    assert out == probes.paraphrase_probe(rows, seed=1)
    assert sorted(p.label for p in out) == sorted(LABELS)
    assert len({p.premise for p in out}) == 1
    assert out[0].premise.endswith(" said the council approved the new stadium plan on Monday.")


# --- on the real data --------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def built():
    return probes.build_probes(NLI)


@needs_data
def test_probes_are_deterministic_and_balanced(built):
    again = probes.build_probes(NLI)
    sizes = {"probe_negation": 900, "probe_refdenial": 600, "probe_paraphrase": 450}
    for name, pairs in built.items():
        assert pairs == again[name], name
        counts = collections.Counter(p.label for p in pairs)
        assert set(counts) == set(LABELS)
        assert max(counts.values()) <= 1.05 * min(counts.values()), (name, counts)
        assert len(pairs) >= sizes[name], (name, len(pairs))
        assert len({pair_key(p.premise, p.hypothesis) for p in pairs}) == len(pairs), name
    neg = collections.Counter(p.source.split("/")[0] for p in built["probe_negation"])
    assert neg["negated_entailment"] >= 150 and neg["kept_contradiction"] >= 150  # both kinds of contradiction
    assert all(probes.NEGATION.search(p.hypothesis) for p in built["probe_negation"])


@needs_data
def test_no_probe_pair_is_in_a_training_file(built):
    train = set()
    for rel, _ in dict.fromkeys(TRAIN_SETS + TRAIN_SETS_3):
        if (NLI / rel).exists():
            train |= {pair_key(r["premise"], r["hypothesis"]) for r in read_jsonl(NLI / rel)}
    assert len(train) > 100_000
    for name, pairs in built.items():
        keys = {pair_key(p.premise, p.hypothesis) for p in pairs}
        if name == "probe_paraphrase":  # and the unframed pair: "<Source> said P." -> P
            keys |= {pair_key(p.premise.split(" said ", 1)[1], p.hypothesis) for p in pairs}
        assert not keys & train, name


@needs_data
def test_refdenial_claims_come_from_non_dev_train_bodies(built):
    pairs = built["probe_refdenial"]
    for p in pairs:
        assert p.hypothesis.rstrip(".").lower() not in _after_first_sentence(p.premise, p.hypothesis).lower()
    dev = dev_body_ids(NLI.parent / "eval")
    assert dev
    other = "\n".join(
        {row["premise"] for row in read_jsonl(NLI / "fnc1" / "train.jsonl.gz") if row["body_id"] not in dev}
    )
    assert all(p.hypothesis in other for p in pairs)  # every claim is a sentence of a body outside the dev sets


@needs_data
def test_evaluate_prints_the_probe_rows(tiny_model_dir, capsys):
    from training import evaluate

    only = "probe_negation,probe_refdenial,probe_paraphrase"
    evaluate.main(["--model", str(tiny_model_dir), "--nli", str(NLI), "--only", only, "--max-per-set", "30"])
    out = capsys.readouterr().out
    for name in only.split(","):
        assert re.search(rf"^\| {name} \| 30 \|", out, re.M), name
    evaluate.main(["--model", str(tiny_model_dir), "--nli", str(NLI), "--only", only, "--no-probes"])
    assert "| probe_" not in capsys.readouterr().out
