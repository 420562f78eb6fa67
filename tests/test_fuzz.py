"""Generated requests against the service's own spec, and generated text through the pipeline.

* schemathesis reads ``/openapi.json`` from the app in-process (WSGI) and sends valid and invalid
  requests to every operation: no answer may be a 5xx or disagree with the spec (status code,
  content type, body schema, headers), and invalid requests must be rejected.  Its
  "schema-valid request rejected" heuristic is off: whitespace-only text and articles past the
  sentence limit are schema-valid strings that get the documented 422.  The count and seed are fixed here so CI is repeatable;
  ``benchmarks/fuzz_long.py`` runs the same checks longer, with a seed of your choice.
* hypothesis feeds arbitrary unicode to the pipeline stages: offsets always lie inside the text,
  ``text[start:end]`` is the sentence as submitted, and no stage raises.
"""

from __future__ import annotations

import pytest
import schemathesis
from helpers import parser
from hypothesis import HealthCheck, given, settings
from hypothesis import seed as hypothesis_seed
from hypothesis import strategies as st
from schemathesis import GenerationMode
from schemathesis.config import SchemathesisConfig
from schemathesis.specs.openapi.checks import positive_data_acceptance

from claimcheck.pipeline.attribution import attribute
from claimcheck.pipeline.claims import extract_claims
from claimcheck.pipeline.normalize import normalize
from claimcheck.pipeline.segment import segment

EXAMPLES_PER_MODE = 260  # × 2 modes × 2 POST operations, plus the GETs: > 1,000 requests


@pytest.fixture(scope="module")
def fuzz_app(tiny_model_dir, request):
    from helpers import REDIS

    from claimcheck import create_app

    # the default limits: schema-valid requests under them must all be accepted; /v1/jobs on a real
    # Redis where there is one (without one it answers 503 by design, and is left out below)
    config = {"nli_model": str(tiny_model_dir), "log_level": "warning", "callback_secret": "fuzz"}
    if REDIS is not None:
        config["redis_url"] = request.getfixturevalue("redis_server").url
    return create_app(config)


def run_operation(operation, mode: GenerationMode, examples: int, seed: int | None = None) -> int:
    """Send ``examples`` generated requests to one operation; any failed check raises.  ``seed=None``
    derandomizes (the same requests every run, for CI)."""
    sent = 0

    @settings(
        max_examples=examples,
        derandomize=seed is None,
        deadline=None,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    @given(case=operation.as_strategy(generation_mode=mode))
    def check(case):
        nonlocal sent
        sent += 1
        case.call_and_validate(excluded_checks=[positive_data_acceptance])

    if seed is not None:
        check = hypothesis_seed(seed)(check)
    check()
    return sent


def _queue_reachable(app) -> bool:
    from redis.exceptions import RedisError

    from claimcheck.jobs.store import connect

    try:
        return bool(connect(app.extensions["claimcheck_settings"]).ping())
    except RedisError:
        return False


def fuzz_service(app, examples_per_mode: int, seed: int | None = None) -> dict[str, int]:
    """Every operation of the app's own /openapi.json, valid and invalid bodies; requests sent per run."""
    # an invalid body may also be refused for its size (413) before it is parsed
    config = SchemathesisConfig.from_str(
        '[checks.negative_data_rejection]\nexpected-statuses = ["400", "401", "413", "415", "422", "429"]\n'
    )
    schema = schemathesis.openapi.from_wsgi("/openapi.json", app, config=config)
    sent: dict[str, int] = {}
    for result in schema.get_all_operations():
        operation = result.ok()
        if operation.path.startswith("/v1/jobs") and not _queue_reachable(app):
            continue
        has_body = operation.method.upper() == "POST"  # the GETs take no input: nothing to make invalid
        for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE) if has_body else (GenerationMode.POSITIVE,):
            examples = examples_per_mode if has_body else 5
            sent[f"{operation.label} {mode.value}"] = run_operation(operation, mode, examples, seed)
    return sent


def test_schemathesis_finds_no_5xx_and_no_spec_violation(fuzz_app):
    sent = fuzz_service(fuzz_app, EXAMPLES_PER_MODE)
    print("schemathesis requests:", sum(sent.values()), sent)
    assert sum(sent.values()) >= 1000, sent


unicode_text = st.text(alphabet=st.characters(codec=None, exclude_categories=()), max_size=400)
newsy_text = st.lists(
    st.sampled_from(
        [
            "The minister said",
            " the bridge",
            " will open.",
            " “It is safe,”",
            " he told reporters.",
            "\n\n",
            " Dr.",
            " U.S.",
            " 3.5%",
            "…",
            " according to police",
            "?",
            "!",
            " <p>",
            "</p>",
            "\x00",
            "\ud800",
            " 部长说",
            " قال",
            " can neither confirm nor deny this report.",
            " ",
            "\t",
            '"',
            "“",
            "”",
            " Mr. Smith denied it.",
        ]
    ),
    max_size=40,
).map("".join)


@settings(max_examples=300, derandomize=True, deadline=None)
@given(st.one_of(unicode_text, newsy_text))
def test_pipeline_offsets_hold_for_any_text(text):
    assert len(normalize(text)) == len(text)
    sentences = segment(text)
    previous_end = 0
    for s in sentences:
        assert 0 <= s.start < s.end <= len(text)
        assert s.start >= previous_end  # in order, never overlapping
        assert text[s.start : s.end] == s.submitted
        assert len(s.text) == len(s.submitted)
        previous_end = s.end
    attributed = attribute(sentences, parser().parse([s.text for s in sentences]))
    claims = extract_claims(attributed)
    for claim in claims:
        assert text[claim.sentence.start : claim.sentence.end] == claim.sentence.submitted
        assert isinstance(claim.content, str)
