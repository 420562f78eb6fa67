"""The training campaign resumes exactly: a run stopped and resumed ends where an unbroken run ends."""

import gzip
import json

import torch
from safetensors.torch import load_file

from training.train import TrainConfig, train


def _data(path):
    rows = [
        {"premise": f"The council met on day {i}.", "hypothesis": f"The council met {i} times.", "label": lab}
        for i, lab in zip(range(48), ["entailment", "neutral", "contradiction"] * 16)
    ]
    with gzip.open(path, "wt", encoding="utf-8") as fh:
        fh.writelines(json.dumps(r) + "\n" for r in rows)


def test_a_run_stopped_and_resumed_matches_one_that_never_stopped(tiny_model_dir, tmp_path):
    _data(tmp_path / "d.jsonl.gz")
    common = dict(
        data=str(tmp_path / "d.jsonl.gz"), base=str(tiny_model_dir), batch_size=8, threads=1, checkpoint_every=100
    )
    whole = train(TrainConfig(out=str(tmp_path / "whole"), **common))
    assert (tmp_path / "whole" / "final").is_dir()
    sliced = TrainConfig(out=str(tmp_path / "sliced"), max_steps=2, **common)
    assert train(sliced).name == "checkpoint"  # a bounded slice leaves a checkpoint, no final model
    state = torch.load(tmp_path / "sliced" / "checkpoint" / "state.pt", weights_only=False)
    assert state["step"] == 2
    resumed = train(TrainConfig(out=str(tmp_path / "sliced"), **common))  # the same command, again
    a, b = load_file(str(whole / "model.safetensors")), load_file(str(resumed / "model.safetensors"))
    assert a.keys() == b.keys()
    assert all(torch.equal(a[k], b[k]) for k in a), "resuming changed the result: optimizer, schedule or order lost"


def _predict(model_dir, pairs):
    from claimcheck.inference.nli import NLIModel

    probs, _ = NLIModel(str(model_dir), quantize="none").predict(pairs)
    return probs


def test_a_teachers_probabilities_are_learnt_as_soft_targets_beside_gold_rows(tiny_model_dir, tmp_path):
    """Distillation into a student of another architecture: rows with ``probs`` pull the student toward
    the teacher's distribution (not only its argmax), gold rows in the same batches toward their label."""
    teacher = {"entailment": 0.05, "neutral": 0.25, "contradiction": 0.70}
    soft = [
        {
            "premise": f"The mayor said on day {i} that the plan stands.",
            "hypothesis": "The plan was dropped.",
            "probs": teacher,
        }
        for i in range(24)
    ]
    gold = [{"premise": f"Rain fell on day {i}.", "hypothesis": "It rained.", "label": "entailment"} for i in range(24)]
    with gzip.open(tmp_path / "mix.jsonl.gz", "wt", encoding="utf-8") as fh:
        fh.writelines(json.dumps(r) + "\n" for r in soft + gold)
    final = train(
        TrainConfig(
            data=str(tmp_path / "mix.jsonl.gz"),
            base=str(tiny_model_dir),
            out=str(tmp_path / "s"),
            batch_size=8,
            epochs=30,
            lr=3e-3,
            warmup_ratio=0.0,
            threads=1,
            log_every=1000,
        )
    )
    before = _predict(tiny_model_dir, [(soft[0]["premise"], soft[0]["hypothesis"])])[0]
    after, rain = _predict(final, [(soft[0]["premise"], soft[0]["hypothesis"]), (gold[0]["premise"], "It rained.")])
    assert max(after, key=after.get) == "contradiction" and max(rain, key=rain.get) == "entailment"
    assert abs(after["contradiction"] - 0.70) < abs(before["contradiction"] - 0.70)
    # a soft target is a distribution, not a label: the student does not collapse onto the argmax
    assert 0.45 < after["contradiction"] < 0.9 and after["neutral"] > after["entailment"]
