"""The synthetic-pair rules (training/synthetic.py) on tiny in-memory articles and the real spaCy parser:
swaps change one thing for another of its kind, entailments keep the main clause, excluded bodies
never come out of the body reader, and a teacher filter keeps only what the scorer agrees with."""

import gzip
import json
import random
import sys
from pathlib import Path

import numpy as np
import pytest
from helpers import parser

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from training import synthetic  # noqa: E402
from training.synthetic import (  # noqa: E402
    NAME_LABELS,
    NUMBER_LABELS,
    balance_labels,
    drop_adjuncts,
    filter_with,
    label_with,
    quantity,
    swap_entity,
    unwrap_speech,
)

ARTICLE = [
    "Barack Obama met Vladimir Putin in Moscow on Monday to discuss the crisis in Ukraine.",
    "The attack killed 12 people in the capital.",
    "Angela Merkel travelled to Berlin on Friday to meet 300 delegates.",
    "Officials later said 15 people had been injured.",
    "The company paid $5 million for the building in 2014.",
    "The Kremlin said that the talks had lasted 40 minutes.",
]


@pytest.fixture(scope="module")
def nlp():
    return synthetic.load_ner()


@pytest.fixture(scope="module")
def docs(nlp):
    return list(nlp.pipe(ARTICLE))


def changed_span(before: str, after: str) -> tuple[str, str]:
    """The one stretch that differs: (old text, new text)."""
    start = 0
    while start < min(len(before), len(after)) and before[start] == after[start]:
        start += 1
    end = 0
    while end < min(len(before), len(after)) - start and before[-1 - end] == after[-1 - end]:
        end += 1
    return before[start : len(before) - end], after[start : len(after) - end]


def test_an_entity_swap_changes_exactly_one_entity_and_never_to_the_same_string(docs):
    mentions = synthetic._mentions(docs)
    swaps = [swap_entity(docs[0], mentions, random.Random(seed)) for seed in range(30)]
    swaps = [s for s in swaps if s is not None]
    assert swaps and {s.label for s in swaps} & NAME_LABELS
    for s in swaps:
        assert s.replacement.lower() != s.original.lower()
        assert synthetic._norm(s.replacement) in mentions[s.label]  # from the same article, same NER label
        assert s.hypothesis.replace(s.replacement, s.original, 1) == docs[0].text  # one span replaced, nothing else
        old, new = changed_span(docs[0].text, s.hypothesis)
        assert old and new and old in s.original and new in s.replacement
        assert not synthetic.same_referent(s.original, s.replacement)
        if s.label == "PERSON":  # never a name already in the sentence ("Putin met Vladimir Putin")
            assert s.replacement not in ("Vladimir Putin", "Barack Obama")


def test_numbers_swap_to_a_different_number_from_the_same_article(docs):
    mentions = synthetic._mentions(docs)
    article_numbers = {
        quantity(s)[0] for label in NUMBER_LABELS for s in mentions.get(label, {}).values() if quantity(s)
    }
    seen = set()
    for seed in range(20):
        s = swap_entity(docs[1], mentions, random.Random(seed))
        assert s is not None and s.family == "swap_number"
        before, after = quantity(s.original), quantity(s.replacement)
        assert before[0] == 12 and after[0] != before[0] and after[0] in article_numbers
        seen.add(s.replacement)
    assert seen <= {"15", "300", "40"}


def test_approximate_hedged_and_negated_numbers_are_left_alone(nlp):
    assert quantity("more than 100") is None and quantity("about 12") is None
    assert quantity("$5 million") == (5_000_000, "$") and quantity("two hundred") == (200, "")
    docs = list(nlp.pipe(["More than 100 soldiers were sent to the border.", "The army did not send 40 soldiers."]))
    mentions = synthetic._mentions(docs)
    for doc in docs:
        assert all(swap_entity(doc, mentions, random.Random(seed)) is None for seed in range(5))


def test_dropping_adjuncts_keeps_the_main_clause(nlp):
    doc = nlp("Police arrested two men in Paris on Tuesday after a raid on a flat.")
    assert drop_adjuncts(doc) == "Police arrested two men."
    # an intransitive verb keeps its first phrase: its argument, not an adjunct
    assert drop_adjuncts(nlp("Angela Merkel travelled to Berlin on Friday after the summit.")) == (
        "Angela Merkel travelled to Berlin."
    )
    # a fronted phrase is an adjunct, never the argument the verb keeps
    assert (
        drop_adjuncts(nlp("On Monday, the minister travelled to Paris for talks."))
        == "The minister travelled to Paris."
    )
    for unsure in (
        "If the deal goes ahead, the company will cut 300 jobs in Germany.",  # a condition is not an adjunct
        "The minister said on Tuesday that the hospital would close.",  # reported speech: unwrap's job
        "All the passengers survived except two children.",
    ):
        assert drop_adjuncts(nlp(unsure)) is None, unsure


def test_unwrapping_reported_speech_gives_the_clause(nlp):
    assert unwrap_speech(nlp("The minister said that the hospital would close next year.")) == (
        "The hospital would close next year."
    )
    assert unwrap_speech(nlp("The hospital will close next year, the minister told reporters.")) == (
        "The hospital will close next year."
    )
    assert unwrap_speech(nlp("According to Reuters, the company lost $5 million in 2014.")) == (
        "The company lost $5 million in 2014."
    )
    # a non-projective parse: spaCy's subtree is not in text order
    text = (
        'NBC News reported that the government was monitoring "hundreds of people" that it suspected could join ISIS.'
    )
    assert (
        unwrap_speech(nlp(text))
        == 'The government was monitoring "hundreds of people" that it suspected could join ISIS.'
    )
    for unsure in (
        "The minister did not say that the hospital would close.",
        "The minister claimed that the hospital would close.",
        '"We will close the hospital," the minister said.',  # "we" would change speaker
        "The minister would say that the hospital will close.",
    ):
        assert unwrap_speech(nlp(unsure)) is None, unsure


def write_jsonl(path: Path, rows: list[dict]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    opener = gzip.open if path.suffix == ".gz" else open
    with opener(path, "wt", encoding="utf-8") as fh:
        fh.writelines(json.dumps(r) + "\n" for r in rows)


@pytest.fixture()
def tiny_nli(tmp_path):
    body = "Body {n} says the mayor opened a new bridge over the river on Tuesday. It cost $4 million."
    train = [
        {
            "premise": body.format(n=n),
            "hypothesis": f"Headline {n}-{k}",
            "label": "neutral",
            "stance": "discuss",
            "body_id": n,
        }
        for n in (1, 2, 3)
        for k in range(2)
    ]
    test_body = body.format(n=3)  # body 3's text is also a competition-test body: held out whatever its id
    write_jsonl(tmp_path / "fnc1/train.jsonl.gz", train)
    write_jsonl(
        tmp_path / "fnc1/competition_test.jsonl.gz",
        [{"premise": test_body, "hypothesis": "A test headline about bridges", "label": "neutral", "body_id": 9}],
    )
    write_jsonl(
        tmp_path / "emergent_full_train/train.jsonl",
        [
            {
                "premise": h,
                "hypothesis": "A bridge was opened",
                "claimId": "c1",
                "articleId": str(i),
                "label": "entailment",
            }
            for i, h in enumerate(
                ["Mayor opens bridge", "New bridge opened on Tuesday", "A test headline about bridges"]
            )
        ],
    )
    write_jsonl(tmp_path / "emergent/test.jsonl", [{"premise": "x", "hypothesis": "y", "label": "neutral"}])
    return tmp_path


def test_excluded_bodies_never_come_out_of_the_body_reader(tiny_nli, monkeypatch):
    held = synthetic.held_out_text(tiny_nli, {2})
    bodies = synthetic.read_bodies(tiny_nli, ("fnc1", "emergent"), {2}, held)
    ids = {b.body_id for b in bodies}
    assert ids == {"fnc1-train-body-1", "emergent-claim-c1"}
    emergent = next(b for b in bodies if b.source == "emergent_full_train")
    assert "test headline" not in emergent.text  # an FNC-1 competition-test headline
    # the CLI path takes the exclusions from training.data.dev_body_ids
    monkeypatch.setattr(synthetic, "dev_body_ids", lambda eval_dir: {1})
    chosen, held = synthetic.allowed_bodies(tiny_nli, tiny_nli / "eval", ["fnc1"], 0, seed=1)
    assert {b.body_id for b in chosen} == {"fnc1-train-body-2"}
    assert "Body 1 says the mayor opened a new bridge over the river on Tuesday." in held


class FakeScorer:
    """Entailment for hypotheses with "yes", contradiction for "no", neutral otherwise."""

    def __init__(self) -> None:
        self.calls = 0

    def predict(self, pairs):
        self.calls += 1
        out = []
        for _, h in pairs:
            top = "entailment" if "yes" in h else "contradiction" if "no" in h else "neutral"
            out.append({label: (0.8 if label == top else 0.1) for label in ("entailment", "neutral", "contradiction")})
        return out, None


def test_filter_with_keeps_only_pairs_the_scorer_agrees_with():
    pairs = [
        {"premise": "p", "hypothesis": "yes", "label": "entailment", "transformation": "drop_adjuncts"},
        {"premise": "p", "hypothesis": "yes", "label": "contradiction", "transformation": "swap_name:PERSON"},
        {"premise": "p", "hypothesis": "no", "label": "contradiction", "transformation": "swap_number:CARDINAL"},
        {"premise": "p", "hypothesis": "maybe", "label": "entailment", "transformation": "unwrap_speech"},
        {"premise": "p", "hypothesis": "maybe", "label": "neutral", "transformation": "topic_neutral"},
    ]
    kept = filter_with(FakeScorer(), pairs)
    assert [(k["hypothesis"], k["label"]) for k in kept] == [
        ("yes", "entailment"),
        ("no", "contradiction"),
        ("maybe", "neutral"),
    ]
    assert all(k["teacher"][k["label"]] == 0.8 for k in kept)
    assert "teacher" not in pairs[0]  # the inputs are left as they were
    assert filter_with(FakeScorer(), pairs, agree_min=0.9) == []
    assert synthetic.kept_by(pairs, kept)["swap_name"] == (0, 1)


def test_label_with_attaches_the_scorers_probabilities():
    rows = label_with(FakeScorer(), [{"premise": "p", "hypothesis": "no"}, {"premise": "p", "hypothesis": "yes"}])
    assert [r["teacher_label"] for r in rows] == ["contradiction", "entailment"]
    assert all(abs(sum(r["probs"].values()) - 1.0) < 1e-9 for r in rows)


def test_labels_are_balanced_round_robin_over_transformations():
    rows = [{"label": "contradiction", "transformation": f"swap_name:{t}"} for t in ["ORG"] * 9 + ["PERSON"] * 3]
    rows += [{"label": "entailment", "transformation": "drop_adjuncts"}] * 5
    rows += [{"label": "neutral", "transformation": "topic_neutral"}] * 4
    out = balance_labels(rows, random.Random(0))
    counts = {label: sum(r["label"] == label for r in out) for label in ("entailment", "neutral", "contradiction")}
    assert counts == {"entailment": 4, "neutral": 4, "contradiction": 4}
    assert sum(r["transformation"] == "swap_name:PERSON" for r in out) == 2  # ORG does not crowd PERSON out


class BagEncoder:
    def encode(self, texts, before_batch=None):
        vocab = ["bridge", "mayor", "cost", "river", "closed", "million"]
        vecs = np.array([[float(w in t.lower()) for w in vocab] + [0.1] for t in texts])
        return vecs / np.linalg.norm(vecs, axis=1, keepdims=True)


def test_candidate_pairs_are_the_pairs_the_pipeline_reads():
    from claimcheck.config import Settings
    from claimcheck.pipeline import Verifier
    from claimcheck.runtime import options_from

    verifier = Verifier(None, BagEncoder(), parser(), options_from(Settings()))
    text = (
        "The mayor opened the new bridge over the river on Tuesday. "
        "The bridge cost $4 million, the council said. "
        "A council spokesman said the bridge was not opened and remains closed. "
        "It was unclear whether the mayor attended the opening of the bridge."
    )
    body = synthetic.Body("fnc1-train-body-7", "fnc1/train", text)
    [(got_body, pairs)] = list(synthetic.candidate_pairs(verifier, [body]))
    assert got_body is body and pairs
    from claimcheck.pipeline.deadline import Deadline

    prepared = verifier.prepare(text, None, verifier.options)
    [retrieved] = verifier.retrieve([prepared], verifier.options, Deadline())
    read = {(p["premise"], p["hypothesis"]) for p in pairs if p["read_by_service"] and p["role"] != "reverse"}
    assert read == set(retrieved.pairs)  # exactly what the service would send to NLI first
    assert {p["kind"] for p in pairs} <= {"evidence", "contradiction-candidate", "hedge"}
    assert all(p["body_id"] == body.body_id for p in pairs)
