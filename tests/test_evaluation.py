"""The evaluation's hand-readings scorer: hand labels decide where they exist, the model everywhere else."""

import json

from evaluation.readings import HandReadings, load


class CountingModel:
    def __init__(self):
        self.asked = []

    def predict(self, pairs, before_batch=None):
        self.asked += list(pairs)
        return [{"entailment": 0.2, "neutral": 0.7, "contradiction": 0.1} for _ in pairs], None


def test_hand_labels_answer_their_pairs_and_the_model_the_rest_in_order(tmp_path):
    path = tmp_path / "readings.jsonl"
    rows = [
        {"article": "a", "premise": "The army detained her.", "hypothesis": "She was detained.", "label": "entailment"},
        {"article": "a", "premise": "It is his son.", "hypothesis": "It is his daughter.", "label": "contradiction"},
    ]
    path.write_text("\n".join(json.dumps(r) for r in rows) + "\n")
    model = CountingModel()
    scorer = HandReadings(model, load(path))
    pairs = [
        ("It is his son.", "It is his daughter."),
        ("Rain fell.", "Streams flooded."),
        ("The army detained her.", "She was detained."),
    ]
    probs, _ = scorer.predict(pairs)
    assert probs[0] == {"entailment": 0.0, "neutral": 0.0, "contradiction": 1.0}
    assert probs[1]["neutral"] == 0.7  # not labelled: the model's reading, in its place
    assert probs[2]["entailment"] == 1.0
    assert model.asked == [("Rain fell.", "Streams flooded.")]  # the model never reads a labelled pair
    assert scorer.coverage() == 2 / 3


def test_agreement_counts_what_the_model_says_and_what_a_person_agrees_with():
    from evaluation.readings import agreement

    labels = {("a", "b"): "contradiction", ("c", "d"): "neutral", ("e", "f"): "entailment"}

    class Reader:
        def predict(self, pairs, before_batch=None):
            table = {("a", "b"): 0.9, ("c", "d"): 0.7, ("e", "f"): 0.1}  # calls (c, d) a contradiction too
            return [{"contradiction": table[p], "entailment": 1 - table[p], "neutral": 0.0} for p in pairs], None

    got = agreement(Reader(), labels, 0.6)
    assert got["contradiction"] == {"gold": 1, "said": 2, "right": 1, "precision": 0.5, "recall": 1.0}
    assert got["entailment"]["said"] == 1 and got["entailment"]["right"] == 1
