"""A base-size model ships in shards (no committed file may pass 95 MB) and loads like any other."""

import json
import shutil

import pytest

from claimcheck.inference.nli import ModelLoadError, NLIModel, preflight
from training.export import export

PAIRS = [("The council voted to close the library.", "The library will close."), ("It rained.", "It was dry.")]


@pytest.fixture(scope="module")
def sharded(tiny_model_dir, tmp_path_factory):
    run = tmp_path_factory.mktemp("run")
    shutil.copytree(tiny_model_dir, run / "final")
    return export(run, tmp_path_factory.mktemp("out") / "nli-sharded", "0.0.1", max_shard_mb=1.0)


def test_an_export_over_the_shard_size_is_cut_into_shards_that_each_stay_under_it(sharded):
    shards = sorted(sharded.glob("model-*.safetensors"))
    assert len(shards) >= 2 and not (sharded / "model.safetensors").exists()
    index = json.loads((sharded / "model.safetensors.index.json").read_text())["weight_map"]
    for shard in shards:  # a tensor is never split: a shard over the size holds that one tensor alone
        assert shard.stat().st_size <= 1_000_000 or list(index.values()).count(shard.name) == 1
    assert json.loads((sharded / "claimcheck.json").read_text())["version"] == "0.0.1"


def test_a_sharded_model_passes_preflight_and_predicts_what_the_unsharded_one_does(sharded, tiny_model_dir):
    preflight(str(sharded))
    got, _ = NLIModel(str(sharded), quantize="none").predict(PAIRS)
    want, _ = NLIModel(str(tiny_model_dir), quantize="none").predict(PAIRS)
    for g, w in zip(got, want):  # fp16 storage: the same probabilities to within rounding
        assert g.keys() == w.keys() and all(abs(g[k] - w[k]) < 5e-3 for k in w)


def test_a_missing_shard_stops_the_service_at_boot_naming_it(sharded, tmp_path):
    broken = shutil.copytree(sharded, tmp_path / "broken")
    victim = sorted(broken.glob("model-*.safetensors"))[-1]
    victim.unlink()
    with pytest.raises(ModelLoadError, match=victim.name):
        preflight(str(broken))


@pytest.mark.parametrize("index", ['["model-00001-of-00002.safetensors"]', '{"weight_map": {}}', "not json"])
def test_a_broken_shard_index_stops_the_service_at_boot_naming_it(sharded, tmp_path, index):
    broken = shutil.copytree(sharded, tmp_path / "broken")
    (broken / "model.safetensors.index.json").write_text(index)
    with pytest.raises(ModelLoadError, match="model.safetensors.index.json"):
        preflight(str(broken))
