"""The HTTP contract, through Flask's test client on a tiny random model (labels are not asserted here)."""

import pytest
from helpers import assert_error

ARTICLE = (
    "The minister said the bridge will open in May. The ministry denied that the bridge will open in May. "
    "“Work is on schedule. Nobody was hurt,” the engineer said."
)


def test_verify_returns_claims_with_exact_offsets(client):
    resp = client.post("/v1/verify", json={"text": ARTICLE, "title": "Bridge"})
    assert resp.status_code == 200
    body = resp.get_json()
    assert set(body) == {"claims", "title", "contradictions", "stats", "model", "timing_ms"}
    assert body["claims"], body
    title = body["title"]  # the headline, verified against the body; its offsets index the title
    assert title["id"] == "title" and "Bridge"[title["start"] : title["end"]] == title["text"] == "Bridge"
    assert all(c["id"] != "title" for c in body["claims"])
    for claim in body["claims"]:
        assert ARTICLE[claim["start"] : claim["end"]] == claim["text"]
        assert claim["label"] in {"confirmed", "denied", "unverified"}
        assert 0.0 <= claim["confidence"] <= 1.0
        for ev in claim["evidence"]:
            assert ARTICLE[ev["start"] : ev["end"]] == ev["text"]
            assert ev["relation"] in {"supports", "refutes", "non_committal"}
    assert [c["speaker"] for c in body["claims"]][-1] == "the engineer"
    assert body["stats"]["claims"] == len(body["claims"])
    assert body["model"]["labels"] == ["contradiction", "entailment", "neutral"]  # the tiny model's own order


def test_without_a_title_the_title_is_null(client):
    assert client.post("/v1/verify", json={"text": ARTICLE}).get_json()["title"] is None


def test_scores_are_keyed_by_label_name_not_index(client):
    body = client.post("/v1/verify", json={"text": ARTICLE}).get_json()
    scored = [c for c in body["claims"] if c["scores"]]
    assert scored
    for claim in scored:
        assert set(claim["scores"]) == {"entailment", "neutral", "contradiction"}
        assert sum(claim["scores"].values()) == pytest.approx(1.0, abs=1e-3)


def test_options_change_the_work_done(client):
    text = (
        "The new bridge will open in May, the minister said. Engineers said the bridge will open in June. "
        "The bridge cost 40 million euros, officials said. The mayor said the bridge cost 60 million euros. "
        "Residents said the bridge is already open to cyclists."
    )
    few = client.post("/v1/verify", json={"text": text, "options": {"top_k": 1}}).get_json()
    many = client.post("/v1/verify", json={"text": text, "options": {"top_k": 4}}).get_json()
    assert few["stats"]["nli_pairs"] < many["stats"]["nli_pairs"]


def test_wrong_content_type_is_415(client):
    assert_error(client.post("/v1/verify", data="text=hello", content_type="text/plain"), 415, "unsupported_media_type")


def test_malformed_json_is_400(client):
    err = assert_error(client.post("/v1/verify", data="{not json", content_type="application/json"), 400, "bad_request")
    assert "JSON" in err["message"]


@pytest.mark.parametrize(
    "body,field",
    [
        ({}, "text"),
        ({"text": 42}, "text"),
        ({"text": "   "}, "text"),
        ({"text": "ok text here", "extra": 1}, "extra"),
        ({"text": "ok text here", "options": {"top_k": 0}}, "options"),
        ({"text": "ok text here", "options": {"entail_threshold": 2}}, "options"),
        ({"text": "x" * 5001}, "text"),
    ],
)
def test_schema_violations_are_422_with_field_messages(client, body, field):
    err = assert_error(client.post("/v1/verify", json=body), 422, "validation_error")
    assert field in err["details"]


def test_too_many_sentences_is_422(client):
    err = assert_error(client.post("/v1/verify", json={"text": "It rained today. " * 70}), 422, "validation_error")
    assert "sentences" in err["message"]


def test_body_over_the_byte_limit_is_413(client):
    assert_error(client.post("/v1/verify", json={"text": "a" * 30_000}), 413, "payload_too_large")


@pytest.mark.parametrize("path", ["/v1/verify", "/v1/verify/batch", "/v1/jobs"])
def test_413_names_the_limit_in_bytes_and_its_setting(client, path):
    """As every 422 names its limit: the tiny app's CLAIMCHECK_MAX_BODY_BYTES is 20,000."""
    err = assert_error(client.post(path, json={"text": "a" * 30_000}), 413, "payload_too_large")
    assert "20000 bytes" in err["message"] and "CLAIMCHECK_MAX_BODY_BYTES" in err["message"]


def test_unknown_route_and_wrong_method(client):
    assert_error(client.get("/v2/verify"), 404, "not_found")
    assert_error(client.get("/v1/verify"), 405, "method_not_allowed")


def test_unhandled_error_is_a_json_500_and_the_app_keeps_serving(tiny_app, client, monkeypatch):
    verifier = tiny_app.extensions["claimcheck"].verifier

    def boom(*args, **kwargs):
        raise RuntimeError("secret internals")

    monkeypatch.setattr(verifier, "verify", boom)
    monkeypatch.setitem(tiny_app.config, "PROPAGATE_EXCEPTIONS", False)  # as in production (TESTING re-raises)
    err = assert_error(client.post("/v1/verify", json={"text": ARTICLE}), 500, "internal_error")
    assert "secret" not in err["message"]
    monkeypatch.undo()
    assert client.post("/v1/verify", json={"text": ARTICLE}).status_code == 200


def test_batch_reports_errors_per_article(client):
    resp = client.post(
        "/v1/verify/batch",
        json={"articles": [{"id": "good", "text": ARTICLE}, {"id": "empty", "text": " "}, {"text": "x" * 5001}]},
    )
    assert resp.status_code == 200
    results = resp.get_json()["results"]
    assert [r["ok"] for r in results] == [True, False, False]
    assert [r["id"] for r in results] == ["good", "empty", None]
    assert results[1]["error"]["code"] == "validation_error"
    first = results[0]["result"]["claims"][0]
    assert ARTICLE[first["start"] : first["end"]] == first["text"]


def test_batch_matches_single_requests(client):
    single = client.post("/v1/verify", json={"text": ARTICLE}).get_json()
    batch = client.post("/v1/verify/batch", json={"articles": [{"text": ARTICLE}, {"text": ARTICLE}]}).get_json()
    for r in batch["results"]:
        assert [c["label"] for c in r["result"]["claims"]] == [c["label"] for c in single["claims"]]
        assert [c["confidence"] for c in r["result"]["claims"]] == pytest.approx(
            [c["confidence"] for c in single["claims"]], abs=1e-3
        )


def test_batch_limits(client):
    err = assert_error(
        client.post("/v1/verify/batch", json={"articles": [{"text": "a b c"}] * 4}), 422, "validation_error"
    )
    assert "articles" in err["details"]
    assert_error(client.post("/v1/verify/batch", json={"articles": []}), 422, "validation_error")


def test_health_readiness_and_model(client):
    assert client.get("/healthz").get_json() == {"status": "ok"}
    ready = client.get("/readyz").get_json()
    assert ready["status"] == "ready"
    info = client.get("/v1/model").get_json()
    assert set(info["labels"]) == {"entailment", "neutral", "contradiction"}
    # what runs, and why, is visible to an operator: the same choice in /readyz and /v1/model
    assert ready["kernel"] == info["kernel"]
    assert info["kernel"]["requested"] == "auto" and info["quantize"] == info["kernel"]["recipe"]
    assert info["kernel"]["recipe"] in info["kernel"]["probe_ms"] and info["kernel"]["reason"]


def test_model_endpoint_exposes_the_request_budget_clients_wait_for(tiny_model_dir):
    """Issue 24.3: the JS client's timeout comes from the server's CLAIMCHECK_REQUEST_BUDGET_S, so both
    sides stop together; /v1/model says it, documented in the spec."""
    from claimcheck import create_app

    app = create_app({"TESTING": True, "nli_model": str(tiny_model_dir), "request_budget_s": 37.5})
    c = app.test_client()
    info = c.get("/v1/model").get_json()
    assert info["request_budget_s"] == 37.5 == app.extensions["claimcheck_settings"].request_budget_s
    assert info["name"] and info["kernel"]["recipe"]  # the model's own fields are still all there
    spec = c.get("/openapi.json").get_json()
    model_schema = spec["paths"]["/v1/model"]["get"]["responses"]["200"]["content"]["application/json"]["schema"]
    name = model_schema["$ref"].rsplit("/", 1)[1]
    budget = spec["components"]["schemas"][name]["properties"]["request_budget_s"]
    assert "CLAIMCHECK_REQUEST_BUDGET_S" in budget["description"] and "504" in budget["description"]


def test_not_ready_answers_503_on_model_endpoints_but_stays_alive(tiny_model_dir):
    from claimcheck import create_app

    app = create_app({"nli_model": str(tiny_model_dir), "LOAD_MODELS": False})
    c = app.test_client()
    assert c.get("/healthz").status_code == 200
    assert_error(c.get("/readyz"), 503, "not_ready")
    resp = c.post("/v1/verify", json={"text": ARTICLE})
    assert_error(resp, 503, "not_ready")
    assert resp.headers["Retry-After"] == "5"


def test_openapi_spec_documents_the_api(client):
    spec = client.get("/openapi.json").get_json()
    assert {"/v1/verify", "/v1/verify/batch", "/healthz", "/readyz", "/v1/model"} <= set(spec["paths"])
    post = spec["paths"]["/v1/verify"]["post"]
    assert {"200", "413", "415", "422"} <= set(post["responses"])
    jobs = spec["paths"]["/v1/jobs"]["post"]["responses"]
    assert {"202", "422", "503"} <= set(jobs) and "Location" in jobs["202"]["headers"]
    assert {"get", "delete"} <= set(spec["paths"]["/v1/jobs/{job_id}"])
    assert "ClaimSchema" in str(spec["components"]["schemas"]) or "Claim" in str(spec["components"]["schemas"])
    assert client.get("/docs").status_code == 200


def test_batch_article_over_the_sentence_limit_fails_alone(client):
    resp = client.post("/v1/verify/batch", json={"articles": [{"text": "It rained today. " * 70}, {"text": ARTICLE}]})
    results = resp.get_json()["results"]
    assert [r["ok"] for r in results] == [False, True]
    assert "sentences" in results[0]["error"]["message"]


def test_docs_page_and_its_assets_are_served_by_the_app_and_name_no_other_host(client):
    import re

    page = client.get("/docs")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert not re.search(r"(?:src|href)=[\"'](?:https?:)?//", html), "the docs page loads something from another host"
    assets = re.findall(r"(?:src|href)=[\"']([^\"']+\.(?:js|css))", html)
    assert any(a.endswith("swagger-ui-bundle.js") for a in assets), html
    for asset in assets:
        assert client.get(asset).status_code == 200, asset


@pytest.mark.parametrize(
    "setting,body,too_big",
    [
        ("max_article_chars", lambda n: {"text": "The bridge opened in May. " * 4}, 104),
        ("max_batch_articles", lambda n: {"articles": [{"text": "The bridge opened in May."}] * 3}, 3),
    ],
)
def test_each_limit_follows_the_configured_setting_both_ways(tiny_model_dir, setting, body, too_big):
    """A deployment that raises a limit gets it raised (1.1.0 kept the class default in the schema)."""
    from claimcheck import create_app

    path = "/v1/verify" if setting == "max_article_chars" else "/v1/verify/batch"
    low = create_app({"TESTING": True, "nli_model": str(tiny_model_dir), setting: too_big - 1}).test_client()
    err = assert_error(low.post(path, json=body(too_big)), 422, "validation_error")
    assert f"the limit is {too_big - 1}" in str(err)
    high = create_app({"TESTING": True, "nli_model": str(tiny_model_dir), setting: too_big}).test_client()
    assert high.post(path, json=body(too_big)).status_code == 200


def test_evidence_names_the_window_it_was_read_in_and_null_otherwise():
    """A headline supported by two sentences together: the client is told which span was read."""
    from claimcheck.contract.schemas import EvidenceSchema
    from claimcheck.pipeline.types import Evidence, Sentence

    sentence = Sentence(3, 120, 160, "The budget includes money for a bridge.")
    both = EvidenceSchema().dump(Evidence(sentence, None, "supports", 0.85, window=(80, 160)))
    assert both["window"] == {"start": 80, "end": 160} and (both["start"], both["end"]) == (120, 160)
    assert EvidenceSchema().dump(Evidence(sentence, None, "supports", 0.85))["window"] is None
