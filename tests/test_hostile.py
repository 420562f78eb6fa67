"""Whatever other services send: markup, binary junk, huge or degenerate text, no key, too fast, too slow.

Mechanics only (tiny random model): the answer is a 200 with exact offsets or a clear JSON error,
never a 500, and the worker keeps serving.
"""

from __future__ import annotations

import io
import json
import logging
import time

import pytest
from helpers import assert_error

from claimcheck import create_app

HOSTILE = {
    "html_page": (
        "<html><head><style>p{color:red}</style><script>var x = 'The minister resigned.';</script></head>"
        "<body><h1>Bridge</h1><p>The minister said the bridge will open in May.</p>"
        "<p>The ministry denied that the bridge will open in May.</p><!-- The CEO quit. --></body></html>"
    ),
    "pdf_by_mistake": "%PDF-1.7\n%\u00e2\u00e3\u00cf\u00d3\n1 0 obj\n<< /Type /Catalog >>\nstream\n\x00\x01\x02\x9c endstream",
    "control_and_nul": "The mayor\x00 said the\x1b[31m bridge will open.\x07 Police said it will not open.\x7f",
    "lone_surrogates": "The minister \ud800said the bridge will open. The ministry \udfffdenied it.",
    "right_to_left": "قال الوزير إن الجسر سيفتح في مايو. ونفت الوزارة ذلك. The minister said it will open.",
    "cjk": "部长说，这座桥将于五月开放。该部否认了这一说法。橋は五月に開通すると大臣は述べた。",
    "one_huge_sentence": "word " * 1000,
    "one_word_lines": "\n".join(["Yes"] * 50),
    "only_punctuation": "?!.,;:…—“”‘’()[]{}" * 20,
    "emoji_and_zero_width": "The 🚀 launch\u200b was delayed, NASA said. 👩‍🚀 Astronauts said it was on time.",
    "unbalanced_quotes": "“The talks failed, he said. ”” “ The envoy said: “nothing was agreed",
}


@pytest.mark.parametrize("name", list(HOSTILE))
def test_hostile_text_is_answered_with_offsets_into_what_was_sent(client, name):
    text = HOSTILE[name]
    resp = client.post("/v1/verify", json={"text": text})
    assert resp.status_code in (200, 422), resp.get_data(as_text=True)
    body = resp.get_json()
    if resp.status_code == 422:
        assert body["error"]["code"] == "validation_error" and body["error"]["details"]
        return
    for claim in body["claims"]:
        assert text[claim["start"] : claim["end"]] == claim["text"]
        for ev in claim["evidence"]:
            assert text[ev["start"] : ev["end"]] == ev["text"]
    assert client.get("/healthz").status_code == 200


def test_html_is_stripped_not_read_as_claims(client):
    text = HOSTILE["html_page"]
    body = client.post("/v1/verify", json={"text": text}).get_json()
    contents = " ".join(c["content"] for c in body["claims"])
    assert "bridge will open in May" in contents
    assert "<p>" not in contents and "color:red" not in contents
    assert "The minister resigned" not in contents and "The CEO quit" not in contents  # script and comment bodies


@pytest.mark.parametrize("text,reason", [("", "non-whitespace"), (" \n\t \u00a0 ", "non-whitespace")])
def test_blank_text_is_422(client, text, reason):
    err = assert_error(client.post("/v1/verify", json={"text": text}), 422, "validation_error")
    assert reason in err["details"]["text"][0]


def test_too_many_lines_is_refused_with_the_limit(client):
    err = assert_error(client.post("/v1/verify", json={"text": "\n".join(["Yes."] * 1000)}), 422, "validation_error")
    assert "the limit is 60" in err["message"]


def test_oversized_body_is_413_before_parsing(client):
    resp = client.post("/v1/verify", data=b'{"text": "' + b"a" * 30_000 + b'"}', content_type="application/json")
    assert_error(resp, 413, "payload_too_large")


@pytest.mark.parametrize(
    "body,status,code",
    [
        (b"\x00\x01\x02", 400, "bad_request"),
        (b'{"text": "\\ud800 unpaired"}', 200, None),
        (b"[1, 2, 3]", 422, "validation_error"),
        (b'"just a string"', 422, "validation_error"),
        (b'{"text": 42}', 422, "validation_error"),
        (b'{"text": "ok", "extra": 1}', 422, "validation_error"),
        (b'{"text": "ok", "options": {"top_k": 0}}', 422, "validation_error"),
    ],
)
def test_malformed_bodies(client, body, status, code):
    resp = client.post("/v1/verify", data=body, content_type="application/json")
    if code:
        assert_error(resp, status, code)
    else:
        assert resp.status_code == status


def test_request_id_is_returned_and_kept_when_given(client):
    given = client.post("/v1/verify", json={"text": "The bridge will open."}, headers={"X-Request-ID": "cms-42.a"})
    assert given.headers["X-Request-ID"] == "cms-42.a"
    made = client.get("/healthz")
    assert len(made.headers["X-Request-ID"]) == 32
    hostile = client.get("/healthz", headers={"X-Request-ID": "<script>alert(1)</script>" + "x" * 200})
    assert len(hostile.headers["X-Request-ID"]) == 32  # not echoed: only plain tokens are kept
    assert client.get("/nope").headers["X-Request-ID"]  # errors too


def test_logs_are_json_lines_with_the_request_id_and_never_the_article(tiny_model_dir):
    from claimcheck import logs

    app = create_app({"nli_model": str(tiny_model_dir), "log_format": "json"})
    stream = io.StringIO()
    logs.configure("info", "json", stream)
    marker = "Zanzibar-confidential-7731"
    resp = app.test_client().post("/v1/verify", json={"text": f"The {marker} bridge will open, the minister said."})
    assert resp.status_code == 200
    lines = [json.loads(line) for line in stream.getvalue().splitlines()]
    assert lines and all(rec["request_id"] == resp.headers["X-Request-ID"] for rec in lines)
    access = [rec for rec in lines if rec["logger"] == "claimcheck.access"]
    assert access[0]["status"] == 200 and access[0]["path"] == "/v1/verify" and access[0]["ms"] > 0
    assert marker not in stream.getvalue()
    logs.configure("info", "text")
    logging.getLogger("claimcheck").handlers.clear()


@pytest.fixture(scope="module")
def keyed_client(tiny_model_dir):
    app = create_app({"nli_model": str(tiny_model_dir), "api_keys": "k-alpha, k-beta", "rate_limit": "3/minute"})
    return app.test_client()


def test_api_keys_are_required_when_configured(keyed_client):
    text = {"text": "The bridge will open."}
    err = assert_error(keyed_client.post("/v1/verify", json=text), 401, "unauthorized")
    assert "API key" in err["message"]
    assert_error(keyed_client.post("/v1/verify", json=text, headers={"X-API-Key": "k-alph"}), 401, "unauthorized")
    assert keyed_client.post("/v1/verify", json=text, headers={"X-API-Key": "k-alpha"}).status_code == 200
    assert keyed_client.post("/v1/verify", json=text, headers={"Authorization": "Bearer k-beta"}).status_code == 200
    # probes and docs stay open for orchestrators
    assert keyed_client.get("/healthz").status_code == 200 and keyed_client.get("/readyz").status_code == 200
    assert keyed_client.get("/openapi.json").status_code == 200


def test_rate_limit_is_per_key_and_answers_429(keyed_client):
    text = {"text": "The bridge will open."}
    statuses = [
        keyed_client.post("/v1/verify/batch", json={"articles": [text]}, headers={"X-API-Key": "k-beta"}).status_code
        for _ in range(4)
    ]
    assert statuses[-1] == 429
    limited = keyed_client.post("/v1/verify", json=text, headers={"X-API-Key": "k-beta"})
    assert_error(limited, 429, "rate_limited")
    assert int(limited.headers["Retry-After"]) > 0
    assert keyed_client.get("/healthz").status_code == 200  # never limited


def test_request_over_the_wall_clock_budget_is_504_and_the_worker_serves_on(tiny_model_dir):
    app = create_app({"nli_model": str(tiny_model_dir), "request_budget_s": 1e-6})
    c = app.test_client()
    err = assert_error(
        c.post("/v1/verify", json={"text": "The bridge will open. The ministry denied it."}), 504, "timeout"
    )
    assert "request budget" in err["message"]
    assert c.get("/healthz").status_code == 200


@pytest.fixture(scope="module")
def default_limits(tiny_model_dir):
    """The shipped limits (100,000 characters, 400 sentences, 20 s budget), not the small test ones."""
    return create_app({"nli_model": str(tiny_model_dir), "log_level": "warning"}).test_client()


def test_a_100000_character_sentence_is_answered_within_the_budget(default_limits):
    text = ("word " * 20_000)[:100_000]
    started = time.perf_counter()
    resp = default_limits.post("/v1/verify", json={"text": text})
    assert resp.status_code == 200, resp.get_data(as_text=True)
    assert time.perf_counter() - started < 20  # the default request budget: no 504, no quadratic segmentation
    for claim in resp.get_json()["claims"]:
        assert text[claim["start"] : claim["end"]] == claim["text"]


@pytest.mark.parametrize(
    "text,limit",
    [
        ("\n".join(["Yes"] * 10_000), "the limit is 400"),  # 10,000 one-word lines
        ("It rained in Leeds. " * 5_000, "the limit is 400"),  # 5,000 sentences (100,000 characters)
        ("The bridge will open in May. " * 6_900, "100000"),  # a 200,000-character article
    ],
)
def test_pathological_articles_are_refused_up_front_naming_the_limit(default_limits, text, limit):
    started = time.perf_counter()
    err = assert_error(default_limits.post("/v1/verify", json={"text": text}), 422, "validation_error")
    assert limit in json.dumps(err)
    assert time.perf_counter() - started < 5  # refused before any model work
