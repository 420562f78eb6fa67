"""The shipped NLI model, loaded through the service's own loading path."""

import pytest

from claimcheck.config import DEFAULT_NLI_MODEL
from claimcheck.inference.nli import ModelLoadError, NLIModel

pytestmark = pytest.mark.model


@pytest.fixture(scope="module")
def nli():
    return NLIModel(str(DEFAULT_NLI_MODEL))


def test_shipped_model_has_the_three_labels(nli):
    assert sorted(nli.labels) == ["contradiction", "entailment", "neutral"]


@pytest.mark.parametrize(
    "premise,hypothesis,label",
    [
        ("A man is playing a guitar on stage in front of a crowd.", "A man is playing an instrument.", "entailment"),
        (
            "The company reported a profit of 5 million dollars in 2023.",
            "The company made a profit in 2023.",
            "entailment",
        ),
        ("A woman is sleeping in her bed.", "A woman is running a marathon.", "contradiction"),
        pytest.param(
            "The museum is closed on Mondays.",
            "The museum is open on Mondays.",
            "contradiction",
            # measured: fp32 E 0.4813 / C 0.4821, row-wise int8 E 0.4821 / C 0.4817, fbgemm E 0.4785 / C 0.4816:
            # a tie every recipe breaks its own way (antonyms, issue 22); it passed only by 0.0008 in fp32
            marks=pytest.mark.xfail(reason="2.0 reads closed/open as a tie (0.48 / 0.48)", strict=False),
        ),
        ("A man is walking his dog in the park.", "The man is going to buy a newspaper after the walk.", "neutral"),
        (
            "The spokesman said he can neither confirm nor deny that the minister resigned.",
            "The minister resigned.",
            "neutral",
        ),
    ],
)
def test_unmistakable_pairs(nli, premise, hypothesis, label):
    probs, _ = nli.predict([(premise, hypothesis)])
    assert max(probs[0], key=probs[0].get) == label, probs[0]


def test_predict_batches_and_keeps_input_order(nli):
    pairs = [("A cat sleeps.", "An animal sleeps.")] * 3 + [("A cat sleeps.", "A cat runs a marathon right now.")]
    probs, stats = NLIModel(str(DEFAULT_NLI_MODEL), batch_size=2).predict(pairs)
    assert stats.batches == 2 and stats.pairs == 4
    assert probs[0] == pytest.approx(probs[1])
    assert probs[3]["contradiction"] > probs[0]["contradiction"]


def test_missing_or_wrong_model_fails_at_load_naming_the_path(tmp_path):
    with pytest.raises(ModelLoadError, match=str(tmp_path)):
        NLIModel(str(tmp_path))
    (tmp_path / "config.json").write_text("{not json")
    with pytest.raises(ModelLoadError, match=str(tmp_path)):
        NLIModel(str(tmp_path))
