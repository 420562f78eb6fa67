"""The jobs API on a real Redis (Debian's ``redis-server``, started here on a free loopback port) and real RQ.

Workers run in this process (``burst``: until the queue is empty) for the mechanics, and as real
``claimcheck worker`` processes where a process has to die: a worker killed mid-job must leave a job
that ends with every article answered exactly once.
"""

from __future__ import annotations

import hashlib
import hmac
import http.server
import json
import os
import signal
import subprocess
import threading
import time
from pathlib import Path

import pytest
from helpers import BIN, REDIS, free_port

from claimcheck import create_app
from claimcheck.jobs.store import Jobs
from claimcheck.jobs.tasks import WorkerState, attach
from claimcheck.jobs.worker import make_worker

pytestmark = pytest.mark.skipif(
    REDIS is None, reason="redis-server is not installed (apt-get install redis-server; .ci/run does)"
)
SECRET = "test-callback-secret"
ARTICLE = "The minister said the bridge will open in May. The ministry denied that the bridge will open in May."


@pytest.fixture()
def jobs_app(redis_server, tiny_model_dir):
    app = create_app(
        {
            "TESTING": True,
            "nli_model": str(tiny_model_dir),
            "redis_url": redis_server.url,
            "callback_secret": SECRET,
            "callback_backoff_s": 0.05,
            "callback_attempts": 3,
            "max_job_articles": 250,
            "max_article_chars": 5_000,
            "job_lease_s": 2,
            "max_worker_rss_mib": 0,  # this test process holds several models; the guard has its own test
        }
    )
    Jobs(app.extensions["claimcheck_settings"]).connection.flushdb()
    return app


def work(app) -> None:
    """One in-process worker, with the app's loaded models, until the queues are empty."""
    settings = app.extensions["claimcheck_settings"]
    jobs = Jobs(settings)
    attach(WorkerState(app.extensions["claimcheck"], jobs))
    make_worker(settings, jobs).work(burst=True)


def submit(client, **body):
    resp = client.post("/v1/jobs", json=body)
    assert resp.status_code == 202, resp.get_json()
    return resp


def test_accepted_job_has_a_location_and_is_queued_until_a_worker_runs_it(jobs_app):
    client = jobs_app.test_client()
    resp = submit(client, text=ARTICLE, title="Bridge to open in May")
    job = resp.get_json()
    assert resp.headers["Location"] == f"/v1/jobs/{job['id']}"
    assert job["status"] == "queued" and job["progress"] == {"done": 0, "total": 1}
    assert "results" not in job  # only once it has ended
    assert client.get(resp.headers["Location"]).get_json()["status"] == "queued"

    work(jobs_app)
    done = client.get(resp.headers["Location"]).get_json()
    assert done["status"] == "finished" and done["progress"] == {"done": 1, "total": 1}
    assert done["ended_at"] and done["error"] is None
    [item] = done["results"]
    # the same answer the synchronous endpoint gives for the same article
    sync = client.post("/v1/verify", json={"text": ARTICLE, "title": "Bridge to open in May"}).get_json()
    assert item["ok"] and item["result"]["claims"] == sync["claims"] and item["result"]["title"] == sync["title"]


def test_batch_job_answers_every_article_in_order_and_a_bad_one_fails_alone(jobs_app):
    client = jobs_app.test_client()
    articles = [{"id": "a", "text": ARTICLE}, {"id": "blank", "text": "   "}, {"id": "c", "text": "Rain fell. " * 3}]
    location = submit(client, articles=articles).headers["Location"]
    work(jobs_app)
    job = client.get(location).get_json()
    assert job["status"] == "finished"
    assert [(r["index"], r["id"], r["ok"]) for r in job["results"]] == [
        (0, "a", True),
        (1, "blank", False),
        (2, "c", True),
    ]
    assert job["results"][1]["error"]["code"] == "validation_error"
    batch = client.post("/v1/verify/batch", json={"articles": articles}).get_json()["results"]
    assert job["results"][0]["result"]["claims"] == batch[0]["result"]["claims"]


@pytest.mark.parametrize(
    "body, field",
    [
        ({}, "_schema"),
        ({"text": ARTICLE, "articles": [{"text": ARTICLE}]}, "_schema"),
        ({"text": "  "}, "text"),
        ({"text": "x" * 5_001}, "text"),
        ({"articles": [{"text": ARTICLE}] * 251}, "articles"),
        ({"articles": [{"text": ARTICLE}], "title": "one title for many"}, "title"),
        ({"text": ARTICLE, "callback_url": "ftp://example.org/hook"}, "callback_url"),
        ({"text": ARTICLE, "priority": "high"}, "priority"),
    ],
)
def test_invalid_job_is_refused_with_422_and_nothing_is_queued(jobs_app, body, field):
    client = jobs_app.test_client()
    resp = client.post("/v1/jobs", json=body)
    assert resp.status_code == 422
    assert field in resp.get_json()["error"]["details"]
    assert Jobs(jobs_app.extensions["claimcheck_settings"]).queue.count == 0


def test_callback_needs_a_secret_to_sign_with(redis_server, tiny_model_dir):
    app = create_app({"TESTING": True, "nli_model": str(tiny_model_dir), "redis_url": redis_server.url})
    resp = app.test_client().post("/v1/jobs", json={"text": ARTICLE, "callback_url": "http://127.0.0.1:9/hook"})
    assert resp.status_code == 422
    assert "CLAIMCHECK_CALLBACK_SECRET" in resp.get_json()["error"]["details"]["callback_url"][0]


def test_redis_down_is_a_503_json_error_not_a_crash(tiny_model_dir):
    app = create_app(
        {"TESTING": True, "nli_model": str(tiny_model_dir), "redis_url": f"redis://127.0.0.1:{free_port()}/0"}
    )
    client = app.test_client()
    for resp in (client.post("/v1/jobs", json={"text": ARTICLE}), client.get("/v1/jobs/some-id")):
        assert resp.status_code == 503
        assert resp.get_json()["error"]["code"] == "queue_unavailable"
        assert resp.headers["Retry-After"]
    assert client.get("/readyz").status_code == 200  # the synchronous API is unaffected


def test_unknown_job_is_404(jobs_app):
    resp = jobs_app.test_client().get("/v1/jobs/no-such-job")
    assert resp.status_code == 404 and resp.get_json()["error"]["code"] == "not_found"


def test_cancelling_a_queued_job_means_it_never_runs(jobs_app):
    client = jobs_app.test_client()
    location = submit(client, articles=[{"text": ARTICLE}] * 3).headers["Location"]
    resp = client.delete(location)
    assert resp.status_code == 202 and resp.get_json()["status"] == "cancelled"
    work(jobs_app)
    job = client.get(location).get_json()
    assert job["status"] == "cancelled" and job["progress"]["done"] == 0
    assert client.delete(location).status_code == 409  # already ended


def test_a_running_job_stops_between_articles_when_cancelled(jobs_app):
    client = jobs_app.test_client()
    job_id = submit(client, articles=[{"text": ARTICLE}] * 4).get_json()["id"]
    jobs = Jobs(jobs_app.extensions["claimcheck_settings"])
    job = jobs.fetch(job_id)
    job.meta["cancel_requested"] = True  # what DELETE records for a job already running
    job.save_meta()
    work(jobs_app)
    body = client.get(f"/v1/jobs/{job_id}").get_json()
    assert body["status"] == "cancelled" and body["cancel_requested"]
    assert body["progress"] == {"done": 0, "total": 4} and body["results"] == []


def test_a_job_past_its_budget_fails_with_a_clear_error_and_keeps_what_it_did(redis_server, tiny_model_dir):
    app = create_app(
        {
            "TESTING": True,
            "nli_model": str(tiny_model_dir),
            "redis_url": redis_server.url,
            "job_budget_s": 0.001,
            "job_retries": 0,
        }
    )
    Jobs(app.extensions["claimcheck_settings"]).connection.flushdb()
    client = app.test_client()
    location = submit(client, articles=[{"text": ARTICLE}] * 3).headers["Location"]
    work(app)
    job = client.get(location).get_json()
    assert job["status"] == "failed"
    assert job["error"]["code"] == "job_budget_exceeded"
    assert "CLAIMCHECK_JOB_BUDGET_S" in job["error"]["message"]
    assert job["progress"]["done"] == len(job["results"]) < 3


class Receiver(http.server.BaseHTTPRequestHandler):
    """A callback receiver that refuses the first ``fail_first`` deliveries with 503."""

    fail_first = 0
    received: list[tuple[bytes, dict]] = []

    def do_POST(self):  # noqa: N802 - http.server's naming
        body = self.rfile.read(int(self.headers["Content-Length"]))
        type(self).received.append((body, dict(self.headers)))
        self.send_response(503 if len(self.received) <= self.fail_first else 204)
        self.end_headers()

    def log_message(self, *args):
        pass


def test_callback_is_signed_retried_with_backoff_and_its_outcome_is_on_the_job(jobs_app):
    Receiver.fail_first, Receiver.received = 2, []
    server = http.server.HTTPServer(("127.0.0.1", 0), Receiver)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    client = jobs_app.test_client()
    hook = f"http://127.0.0.1:{server.server_port}/claimcheck"
    location = submit(client, text=ARTICLE, callback_url=hook).headers["Location"]
    assert client.get(location).get_json()["callback"] == {"url": hook, "state": "pending"}
    work(jobs_app)
    server.shutdown()

    assert len(Receiver.received) == 3  # two refusals, then delivered
    body, headers = Receiver.received[-1]
    expected = "sha256=" + hmac.new(SECRET.encode(), body, hashlib.sha256).hexdigest()
    assert hmac.compare_digest(headers["X-Claimcheck-Signature"], expected)
    sent = json.loads(body)
    assert sent["status"] == "finished" and len(sent["results"]) == 1
    job = client.get(location).get_json()
    assert job["callback"]["state"] == "delivered" and job["callback"]["attempts"] == 3
    assert job["callback"]["last_status"] == 204


def test_undeliverable_callback_is_marked_failed_not_lost_silently(jobs_app):
    client = jobs_app.test_client()
    location = submit(client, text=ARTICLE, callback_url=f"http://127.0.0.1:{free_port()}/gone").headers["Location"]
    work(jobs_app)
    job = client.get(location).get_json()
    assert job["status"] == "finished"
    assert job["callback"]["state"] == "failed" and job["callback"]["attempts"] == 3
    assert job["callback"]["last_error"]


def test_queued_jobs_survive_a_redis_restart(redis_server, jobs_app):
    client = jobs_app.test_client()
    location = submit(client, articles=[{"id": "kept", "text": ARTICLE}]).headers["Location"]
    redis_server.stop()
    redis_server.start()  # append-only file: the queue comes back
    assert client.get(location).get_json()["status"] == "queued"
    work(jobs_app)
    job = client.get(location).get_json()
    assert job["status"] == "finished" and job["results"][0]["id"] == "kept"


def test_a_worker_over_its_memory_bound_stops_after_its_job_and_leaves_the_rest_queued(jobs_app):
    settings = jobs_app.extensions["claimcheck_settings"]
    client = jobs_app.test_client()
    first, second = (submit(client, text=ARTICLE).headers["Location"] for _ in range(2))
    jobs = Jobs(settings)
    attach(WorkerState(jobs_app.extensions["claimcheck"], jobs))
    worker = make_worker(settings, jobs)
    worker.max_rss_mib = 1  # any process is over 1 MiB
    worker.work(burst=True)
    assert client.get(first).get_json()["status"] == "finished"
    assert client.get(second).get_json()["status"] == "queued"  # for the fresh worker the orchestrator starts


def test_queue_depth_metric_reads_the_queue(jobs_app):
    from claimcheck.jobs.metrics import QueueCollector

    submit(jobs_app.test_client(), text=ARTICLE)
    families = {f.name: f for f in QueueCollector(Jobs(jobs_app.extensions["claimcheck_settings"])).collect()}
    assert families["claimcheck_queue_up"].samples[0].value == 1
    depth = {s.labels["state"]: s.value for s in families["claimcheck_jobs"].samples}
    assert depth["queued"] == 1 and depth["running"] == 0


def _worker(redis_server, model_dir: Path, log: Path, **settings: str) -> subprocess.Popen:
    env = {
        **os.environ,
        "CLAIMCHECK_REDIS_URL": redis_server.url,
        "CLAIMCHECK_NLI_MODEL": str(model_dir),
        "CLAIMCHECK_JOB_LEASE_S": "2",
        "CLAIMCHECK_WORKER_METRICS_PORT": "0",
        "CLAIMCHECK_LOG_LEVEL": "warning",
        **{f"CLAIMCHECK_{k.upper()}": v for k, v in settings.items()},
    }
    return subprocess.Popen(
        [str(BIN / "claimcheck"), "worker"], env=env, stdout=log.open("w"), stderr=subprocess.STDOUT
    )


def test_a_worker_killed_mid_job_leaves_every_article_answered_exactly_once(
    jobs_app, redis_server, tiny_model_dir, tmp_path
):
    client = jobs_app.test_client()
    articles = [{"id": f"a{i}", "text": f"Official {i} said {i} bridges will open. {ARTICLE}"} for i in range(200)]
    job_id = submit(client, articles=articles).get_json()["id"]
    jobs = Jobs(jobs_app.extensions["claimcheck_settings"])
    first = _worker(redis_server, tiny_model_dir, tmp_path / "first.log")
    deadline = time.time() + 120
    while len(jobs.done(job_id)) < 20:
        assert time.time() < deadline and first.poll() is None, (tmp_path / "first.log").read_text()[-2000:]
        time.sleep(0.05)
    first.send_signal(signal.SIGKILL)  # no warm shutdown: what an OOM-kill does
    first.wait()
    done_at_kill = len(jobs.done(job_id))
    assert done_at_kill < 200, "the job finished before the kill; make it longer"

    second = _worker(redis_server, tiny_model_dir, tmp_path / "second.log")
    try:
        while client.get(f"/v1/jobs/{job_id}").get_json()["status"] != "finished":
            assert time.time() < deadline + 120 and second.poll() is None, (tmp_path / "second.log").read_text()[-2000:]
            time.sleep(0.2)
    finally:
        second.send_signal(signal.SIGTERM)
        second.wait(timeout=60)
    job = client.get(f"/v1/jobs/{job_id}").get_json()
    assert [r["index"] for r in job["results"]] == list(range(200))
    assert [r["id"] for r in job["results"]] == [a["id"] for a in articles]
    assert all(r["ok"] for r in job["results"])
    assert job["progress"] == {"done": 200, "total": 200}
    # the retry verified only what the dead worker had not answered: nothing was done twice
    assert jobs.fetch(job_id).return_value() == {"verified": 200 - done_at_kill, "total": 200}


@pytest.mark.parametrize("fault", ["shut down", "frozen"])
def test_a_stopping_worker_exits_within_its_grace_whatever_redis_does_and_its_job_is_retried(
    jobs_app, redis_server, tiny_model_dir, tmp_path, fault
):
    """Issue 24: SIGTERM, then Redis stopped, and the worker waited until Redis came back.

    ``shut down``: Redis exits (connections refused); ``frozen``: it stops answering (SIGSTOP, as a
    paused container or a partition: connections stay open, replies never come)."""
    client = jobs_app.test_client()
    articles = [{"id": f"a{i}", "text": f"Official {i} said {i} bridges will open. {ARTICLE}"} for i in range(120)]
    job_id = submit(client, articles=articles).get_json()["id"]
    jobs = Jobs(jobs_app.extensions["claimcheck_settings"])
    grace = 4
    first = _worker(redis_server, tiny_model_dir, tmp_path / "first.log", worker_stop_grace_s=str(grace))
    second = None
    frozen = False
    try:
        deadline = time.time() + 120
        while len(jobs.done(job_id)) < 5:
            assert time.time() < deadline and first.poll() is None, (tmp_path / "first.log").read_text()[-2000:]
            time.sleep(0.05)
        first.send_signal(signal.SIGTERM)  # a warm shutdown: the job goes on...
        asked = time.monotonic()
        assert len(jobs.done(job_id)) < 120, "the job must still be running when Redis stops: make it longer"
        if fault == "frozen":  # ...and Redis goes away under it
            redis_server.proc.send_signal(signal.SIGSTOP)
            frozen = True
        else:
            redis_server.stop()
        try:
            first.wait(timeout=grace + 10)
        except subprocess.TimeoutExpired:
            pytest.fail(f"the worker was still running {grace + 10} s after SIGTERM with Redis {fault}")
        assert time.monotonic() - asked < grace + 10
        if fault == "frozen":  # nothing but the grace could end it
            log = (tmp_path / "first.log").read_text()
            assert "CLAIMCHECK_WORKER_STOP_GRACE_S" in log, log[-2000:]
            redis_server.proc.send_signal(signal.SIGCONT)
            frozen = False
        else:
            redis_server.start()
        # the job was not lost: the next worker retries it once its lease has run out, resuming
        second = _worker(redis_server, tiny_model_dir, tmp_path / "second.log")
        while client.get(f"/v1/jobs/{job_id}").get_json()["status"] != "finished":
            assert time.time() < deadline + 120 and second.poll() is None, (tmp_path / "second.log").read_text()[-2000:]
            time.sleep(0.2)
        job = client.get(f"/v1/jobs/{job_id}").get_json()
        assert [r["id"] for r in job["results"]] == [a["id"] for a in articles]  # each answered exactly once
        assert job["progress"] == {"done": 120, "total": 120} and all(r["ok"] for r in job["results"])
    finally:
        if frozen:
            redis_server.proc.send_signal(signal.SIGCONT)
        for proc in (first, second):
            if proc is not None and proc.poll() is None:
                proc.kill()
                proc.wait()
        if redis_server.proc.poll() is not None:
            redis_server.start()


@pytest.mark.parametrize("job_id", ["2.0.0", "%3B", "a b", "x" * 101])
def test_a_malformed_job_id_is_a_404_not_a_500(jobs_app, job_id):
    client = jobs_app.test_client()
    for resp in (client.get(f"/v1/jobs/{job_id}"), client.delete(f"/v1/jobs/{job_id}")):
        assert resp.status_code == 404 and resp.get_json()["error"]["code"] == "not_found"


def test_with_api_keys_a_job_is_visible_only_to_the_key_that_created_it(redis_server, tiny_model_dir):
    app = create_app(
        {"TESTING": True, "nli_model": str(tiny_model_dir), "redis_url": redis_server.url, "api_keys": "desk-a,desk-b"}
    )
    client = app.test_client()
    assert client.post("/v1/jobs", json={"text": ARTICLE}).status_code == 401  # no key: nothing queued
    resp = client.post("/v1/jobs", json={"text": ARTICLE}, headers={"X-API-Key": "desk-a"})
    assert resp.status_code == 202
    location = resp.headers["Location"]
    assert client.get(location, headers={"X-API-Key": "desk-a"}).status_code == 200
    for method in (client.get, client.delete):
        other = method(location, headers={"X-API-Key": "desk-b"})
        assert other.status_code == 404  # another desk's job is not even acknowledged
    assert client.get(location, headers={"X-API-Key": "desk-a"}).get_json()["status"] == "queued"  # not cancelled
