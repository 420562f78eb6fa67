import pytest

from claimcheck.config import Settings


def test_defaults_work_out_of_the_box():
    s = Settings.from_env({})
    assert s.nli_model.endswith("models/claimcheck-nli-minilm-l3")
    assert s.embedder and s.top_k == 4 and s.quantize == "auto"


def test_environment_then_overrides():
    s = Settings.from_env(
        {"CLAIMCHECK_TOP_K": "6", "CLAIMCHECK_ENTAIL_THRESHOLD": "0.7", "CLAIMCHECK_NLI_MODEL": "/srv/model"}, top_k=2
    )
    assert (s.top_k, s.entail_threshold, s.nli_model) == (2, 0.7, "/srv/model")


@pytest.mark.parametrize(
    "env,message",
    [
        ({"CLAIMCHECK_TOP_K": "four"}, "CLAIMCHECK_TOP_K='four' is not a valid int"),
        ({"CLAIMCHECK_TOP_K": "0"}, "CLAIMCHECK_TOP_K must be >= 1"),
        ({"CLAIMCHECK_QUANTIZE": "int4"}, "CLAIMCHECK_QUANTIZE must be"),
        ({"CLAIMCHECK_CONTRADICT_THRESHOLD": "1.5"}, "CLAIMCHECK_CONTRADICT_THRESHOLD must be within"),
    ],
)
def test_bad_values_fail_loudly_naming_the_variable(env, message):
    with pytest.raises(ValueError, match=message.replace("(", r"\(").replace("'", "'")):
        Settings.from_env(env)


def test_every_setting_is_documented_for_operators():
    import dataclasses
    from pathlib import Path

    doc = (Path(__file__).resolve().parents[1] / "docs" / "operations.md").read_text()
    missing = [
        f"CLAIMCHECK_{f.name.upper()}"
        for f in dataclasses.fields(Settings)
        if f"`CLAIMCHECK_{f.name.upper()}`" not in doc
    ]
    assert not missing, f"add to docs/operations.md: {missing}"


def test_secrets_never_appear_when_settings_are_printed():
    settings = Settings(api_keys="k-123", callback_secret="s3cret", redis_url="redis://:hunter2@redis:6379/0")
    shown = repr(settings)
    assert "k-123" not in shown and "s3cret" not in shown and "hunter2" not in shown
    assert "redis://***@redis:6379/0" in shown
