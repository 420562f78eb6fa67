"""What an operator and a browser caller rely on: metrics, CORS, the demo assets, the k8s manifests."""

from __future__ import annotations

import json
import re
import signal
import urllib.request
from pathlib import Path

import kubernetes_validate
import pytest
import yaml
from helpers import ROOT, free_port, start_gunicorn

from claimcheck import create_app

ARTICLE = {
    "text": "The minister said the bridge will open in May. The ministry denied that the bridge will open in May."
}


def metric(text: str, name: str, **labels: str) -> float:
    """The value of one sample in Prometheus text format (labels matched as a subset)."""
    for line in text.splitlines():
        if line.startswith(name + "{") or line.startswith(name + " "):
            found = dict(re.findall(r'(\w+)="([^"]*)"', line.split(" ")[0]))
            if all(found.get(k) == v for k, v in labels.items()):
                return float(line.rsplit(" ", 1)[1])
    raise AssertionError(f"{name} {labels} not in metrics")


def test_metrics_count_requests_claims_pairs_and_batches(tiny_model_dir):
    app = create_app({"nli_model": str(tiny_model_dir)})
    c = app.test_client()
    for _ in range(3):
        assert c.post("/v1/verify", json=ARTICLE).status_code == 200
    c.post("/v1/verify", data=b"{bad", content_type="application/json")
    text = c.get("/metrics").get_data(as_text=True)
    assert metric(text, "claimcheck_http_request_duration_seconds_count", status="200", method="POST") == 3
    assert metric(text, "claimcheck_http_request_duration_seconds_count", status="400") == 1
    assert metric(text, "claimcheck_claims_per_article_count") == 3
    assert metric(text, "claimcheck_claims_per_article_sum") == 6  # two claims each
    assert metric(text, "claimcheck_nli_pairs_per_request_sum") > 0
    assert metric(text, "claimcheck_model_load_seconds") > 0
    recipe = app.extensions["claimcheck"].info.kernel.recipe  # the probe's pick, named for the operator
    assert metric(text, "claimcheck_inference_recipe", recipe=recipe, requested="auto") == 1
    # the same article three times: the repeats come from the memo (so may the first: the warm-up
    # text is similar), and only text never seen before costs a forward pass
    passes = metric(text, "claimcheck_nli_batch_size_count")
    assert metric(text, "claimcheck_memo_lookups_total", kind="nli", result="hit") >= 2
    assert metric(text, "claimcheck_memo_lookups_total", kind="embedding", result="hit") >= 2
    unseen = "The mayor said the tunnel will close in June. The city denied that the tunnel will close in June."
    c.post("/v1/verify", json={"text": unseen})
    later = c.get("/metrics").get_data(as_text=True)
    assert metric(later, "claimcheck_nli_batch_size_count") > passes


def test_metrics_aggregate_every_gunicorn_worker(tiny_model_dir):
    proc, url = start_gunicorn(
        {"CLAIMCHECK_NLI_MODEL": str(tiny_model_dir), "CLAIMCHECK_WORKERS": "2", "CLAIMCHECK_LOG_LEVEL": "warning"}
    )
    try:
        for _ in range(8):
            req = urllib.request.Request(
                url + "/v1/verify", data=json.dumps(ARTICLE).encode(), headers={"Content-Type": "application/json"}
            )
            urllib.request.urlopen(req, timeout=30).read()
        for _ in range(3):  # whichever worker answers /metrics reports the whole server
            text = urllib.request.urlopen(url + "/metrics", timeout=10).read().decode()
            assert metric(text, "claimcheck_claims_per_article_count") == 8
            assert metric(text, "claimcheck_http_request_duration_seconds_count", status="200", method="POST") == 8
    finally:
        proc.send_signal(signal.SIGTERM)
        proc.wait(timeout=30)


def test_cors_is_off_by_default(client):
    resp = client.options(
        "/v1/verify", headers={"Origin": "https://cms.example", "Access-Control-Request-Method": "POST"}
    )
    assert "Access-Control-Allow-Origin" not in resp.headers


def test_cors_preflight_allows_json_and_an_api_key_from_a_listed_origin(tiny_model_dir):
    app = create_app(
        {
            "nli_model": str(tiny_model_dir),
            "cors_origins": "https://cms.example",
            "api_keys": "k1",
            "rate_limit": "1/minute",
        }
    )
    c = app.test_client()
    for _ in range(2):  # preflights are neither locked nor rate-limited
        pre = c.options(
            "/v1/verify",
            headers={
                "Origin": "https://cms.example",
                "Access-Control-Request-Method": "POST",
                "Access-Control-Request-Headers": "content-type, x-api-key",
            },
        )
        assert pre.status_code == 200
        assert pre.headers["Access-Control-Allow-Origin"] == "https://cms.example"
        assert {"content-type", "x-api-key"} <= {
            h.strip().lower() for h in pre.headers["Access-Control-Allow-Headers"].split(",")
        }
    resp = c.post("/v1/verify", json=ARTICLE, headers={"Origin": "https://cms.example", "X-API-Key": "k1"})
    assert resp.status_code == 200
    assert resp.headers["Access-Control-Allow-Origin"] == "https://cms.example"
    assert "X-Request-ID" in resp.headers["Access-Control-Expose-Headers"]
    other = c.options("/v1/verify", headers={"Origin": "https://evil.example", "Access-Control-Request-Method": "POST"})
    assert "Access-Control-Allow-Origin" not in other.headers


def test_demo_page_and_its_scripts_are_served(client):
    page = client.get("/demo")
    assert page.status_code == 200 and b'id="claimcheck"' in page.data
    for name in ("widget.js", "widget.css", "claimcheck.js"):
        asset = client.get(f"/demo/static/{name}")
        assert asset.status_code == 200, name
    assert b"export class ClaimcheckClient" in client.get("/demo/static/claimcheck.js").data
    assert client.get("/demo/static/nope.js").status_code == 404


MANIFESTS = sorted((ROOT / "deploy" / "k8s").glob("*.yaml"))


@pytest.mark.parametrize("path", [p for p in MANIFESTS if p.name != "kustomization.yaml"], ids=lambda p: p.name)
def test_k8s_manifest_is_valid_against_the_kubernetes_schema(path: Path):
    for doc in yaml.safe_load_all(path.read_text()):
        kubernetes_validate.validate(doc, "1.33", strict=True)


def test_k8s_probes_match_the_service_endpoints_and_image():
    deploy = yaml.safe_load((ROOT / "deploy" / "k8s" / "deployment.yaml").read_text())
    pod = deploy["spec"]["template"]["spec"]
    container = pod["containers"][0]
    assert container["readinessProbe"]["httpGet"]["path"] == "/readyz"
    assert container["startupProbe"]["httpGet"]["path"] == "/readyz"
    assert container["livenessProbe"]["httpGet"]["path"] == "/healthz"
    assert pod["securityContext"]["runAsUser"] == 10001  # the Dockerfile's USER
    assert container["resources"]["requests"]["cpu"] == container["resources"]["limits"]["cpu"]
    kustomize = yaml.safe_load((ROOT / "deploy" / "k8s" / "kustomization.yaml").read_text())
    assert sorted(kustomize["resources"]) == sorted(p.name for p in MANIFESTS if p.name != "kustomization.yaml")


def test_worker_metrics_listen_on_loopback_unless_the_operator_says_otherwise():
    from claimcheck.config import Settings
    from claimcheck.jobs.metrics import serve_worker_metrics
    from claimcheck.jobs.store import Jobs
    from claimcheck.jobs.tasks import WorkerState

    settings = Settings.from_env({"CLAIMCHECK_REDIS_URL": f"redis://127.0.0.1:{free_port()}/0"})  # nothing there
    assert settings.worker_metrics_bind == "127.0.0.1"
    assert Settings.from_env({"CLAIMCHECK_WORKER_METRICS_BIND": "0.0.0.0"}).worker_metrics_bind == "0.0.0.0"
    port = free_port()
    _, server = serve_worker_metrics(port, WorkerState(None, Jobs(settings)), settings.worker_metrics_bind)
    try:
        assert server.socket.getsockname()[:2] == ("127.0.0.1", port)  # not 0.0.0.0: no other host reaches it
        text = urllib.request.urlopen(f"http://127.0.0.1:{port}/metrics", timeout=10).read().decode()
        assert metric(text, "claimcheck_queue_up") == 0  # Redis is down, the endpoint still answers
    finally:
        server.shutdown()
        server.server_close()


def test_k8s_worker_metrics_listen_where_prometheus_and_the_probe_reach_them():
    from claimcheck.config import Settings

    pod = yaml.safe_load((ROOT / "deploy" / "k8s" / "worker.yaml").read_text())["spec"]["template"]
    container = pod["spec"]["containers"][0]
    assert pod["metadata"]["annotations"]["prometheus.io/scrape"] == "true"
    [port] = [p["containerPort"] for p in container["ports"] if p["name"] == "metrics"]
    assert str(port) == pod["metadata"]["annotations"]["prometheus.io/port"] == str(Settings().worker_metrics_port)
    assert container["livenessProbe"]["httpGet"]["port"] == "metrics"
    env = {e["name"]: e.get("value") for e in container["env"]}
    assert env["CLAIMCHECK_WORKER_METRICS_BIND"] == "0.0.0.0"  # scraped on the pod IP, not loopback


def test_every_line_the_service_writes_is_json(tiny_model_dir):
    """A real start (master, worker, model loading), a request and a shutdown: no progress bar, no stray print."""
    proc, url = start_gunicorn({"CLAIMCHECK_NLI_MODEL": str(tiny_model_dir), "CLAIMCHECK_WORKERS": "1"})
    try:
        req = urllib.request.Request(
            url + "/v1/verify", data=json.dumps(ARTICLE).encode(), headers={"Content-Type": "application/json"}
        )
        assert urllib.request.urlopen(req, timeout=30).status == 200
    finally:
        proc.send_signal(signal.SIGTERM)
        out, _ = proc.communicate(timeout=30)
    lines = [line for line in out.splitlines() if line.strip()]
    assert any('"models loaded"' in line for line in lines), out[-2000:]
    for line in lines:
        assert isinstance(json.loads(line), dict), line


def operations_examples(section: str) -> list[str]:
    """The ```bash blocks of one ``## …`` section of docs/operations.md."""
    doc = (ROOT / "docs" / "operations.md").read_text()
    body = doc.split(f"\n## {section}", 1)[1].split("\n## ", 1)[0]
    return re.findall(r"```bash\n(.*?)```", body, re.S)


def test_the_jobs_examples_in_the_docs_are_accepted_as_written(monkeypatch):
    """Each POST /v1/jobs of the jobs section, on an API started as its snippet starts it: no 422.

    No Redis listens here, so an accepted body ends as 503 ``queue_unavailable``, after validation."""
    posts = 0
    for block in operations_examples("Jobs and the queue"):
        exported = dict(re.findall(r"^export (CLAIMCHECK_\w+)=(\S+)", block, re.M))
        bodies = re.findall(r"curl [^\n]*/v1/jobs -H 'Content-Type: application/json' \\\n\s*-d '([^']*)'", block)
        with monkeypatch.context() as m:
            m.delenv("CLAIMCHECK_CALLBACK_SECRET", raising=False)
            for name, value in {**exported, "CLAIMCHECK_REDIS_URL": f"redis://127.0.0.1:{free_port()}/0"}.items():
                m.setenv(name, value)
            client = create_app({"TESTING": True, "LOAD_MODELS": False}).test_client()
            for body in bodies:
                resp = client.post("/v1/jobs", data=body.encode(), content_type="application/json")
                assert resp.status_code == 503, (body, resp.get_json())
                assert resp.get_json()["error"]["code"] == "queue_unavailable"
                posts += 1
        if any("callback_url" in b for b in bodies):  # the worker signs callbacks: it needs the secret too
            secret_at = block.find("export CLAIMCHECK_CALLBACK_SECRET=")
            assert -1 < secret_at < block.index("claimcheck worker"), block
    assert posts >= 2  # the minimal example and the one with a callback


def test_every_gunicorn_worker_runs_the_recipe_the_master_probed(tiny_model_dir):
    """auto is probed once, in the master, with a worker's thread count: two workers probing on their own at
    once on a busy machine could pick different kernels, and an article's labels would depend on the worker.
    Two torch threads per worker: a master that ran the probe's threads itself and then forked left its
    workers hanging at load (a dead OpenMP pool); the probe runs in a child process instead."""
    env = {
        "CLAIMCHECK_NLI_MODEL": str(tiny_model_dir),
        "CLAIMCHECK_WORKERS": "2",
        "CLAIMCHECK_TORCH_THREADS": "2",
        "CLAIMCHECK_LOG_LEVEL": "warning",
    }
    proc, url = start_gunicorn(env, ready_within=90)
    try:
        seen = set()
        for _ in range(12):
            with urllib.request.urlopen(url + "/v1/model", timeout=10) as resp:
                kernel = json.loads(resp.read())["kernel"]
            seen.add(json.dumps(kernel, sort_keys=True))
        assert len(seen) == 1, seen  # the same pick and the same probe timings: one probe, not one per worker
        assert json.loads(seen.pop())["requested"] == "auto"
    finally:
        proc.send_signal(signal.SIGTERM)
        proc.wait(timeout=30)
