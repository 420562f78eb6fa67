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
