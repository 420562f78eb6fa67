import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import SEED
from helpers import free_port

CLI = str(Path(sys.executable).parent / "claimcheck")


@pytest.mark.model
def test_verify_prints_the_api_response_one_line_per_file(tmp_path):
    other = tmp_path / "short.txt"
    other.write_text("The bridge opened in 1932, officials said. Engineers said the bridge opened in 1932.", "utf-8")
    out = subprocess.run(
        [CLI, "verify", "--format", "json", str(SEED), str(other)], capture_output=True, text=True, check=True
    )
    seed, short = (json.loads(line) for line in out.stdout.splitlines())
    assert set(seed) == {"claims", "title", "contradictions", "stats", "model", "timing_ms"}  # the API's response
    text = SEED.read_text("utf-8")
    assert all(text[c["start"] : c["end"]] == c["text"] for c in seed["claims"])
    lede = next(c for c in seed["claims"] if "he had talked with Russian President" in c["text"])
    assert lede["label"] == "unverified"
    assert short["stats"]["sentences"] == 2


@pytest.mark.model
def test_stdin_and_a_title(tmp_path):
    body = "The minister resigned on Friday, officials said. A spokesman confirmed that the minister resigned."
    out = subprocess.run(
        [CLI, "verify", "--format", "json", "--title", "Minister resigns", "-"],
        input=body,
        capture_output=True,
        text=True,
        check=True,
    )
    response = json.loads(out.stdout)
    assert response["title"]["id"] == "title" and response["title"]["text"] == "Minister resigns"
    assert all(body[c["start"] : c["end"]] == c["text"] for c in response["claims"])


def test_empty_input_is_an_error_with_a_non_zero_exit(tmp_path):
    empty = tmp_path / "empty.txt"
    empty.write_text("  \n", "utf-8")
    out = subprocess.run([CLI, "verify", str(empty)], capture_output=True, text=True)
    assert out.returncode == 2 and "empty" in out.stderr
    out = subprocess.run([CLI, "verify", "-"], input="", capture_output=True, text=True)
    assert out.returncode == 2


@pytest.mark.model
def test_table_format_is_readable():
    out = subprocess.run([CLI, "verify", str(SEED)], capture_output=True, text=True, check=True).stdout
    assert out.startswith(f"== {SEED}:")
    assert "non_committal" in out and "unverified" in out


def test_unreadable_file_is_a_clear_error(tmp_path):
    out = subprocess.run([CLI, "verify", str(tmp_path / "missing.txt")], capture_output=True, text=True)
    assert out.returncode == 2
    assert "cannot read" in out.stderr


def test_worker_without_redis_stops_at_once_with_the_setting_named():
    env = {**os.environ, "CLAIMCHECK_REDIS_URL": f"redis://127.0.0.1:{free_port()}/0"}
    proc = subprocess.run([CLI, "worker"], env=env, capture_output=True, text=True, timeout=60)
    assert proc.returncode != 0
    assert "CLAIMCHECK_REDIS_URL" in proc.stderr


@pytest.fixture()
def readyz_only():
    """A stand-in service: 200 on /readyz, 404 anywhere else (as claimcheck answers unknown paths)."""
    import http.server
    import threading

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            self.send_response(200 if self.path == "/readyz" else 404)
            self.end_headers()

        def log_message(self, *args) -> None:
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


@pytest.mark.parametrize("suffix", ["", "/", "/readyz"])
def test_healthcheck_takes_the_service_base_url_or_its_readyz_url(readyz_only, suffix, capsys):
    from claimcheck.cli import main

    assert main(["healthcheck", "--url", readyz_only + suffix, "--timeout", "5"]) == 0, capsys.readouterr().err
    assert main(["healthcheck", "--url", readyz_only + "/elsewhere", "--timeout", "5"]) == 1  # a path is kept


def test_doctor_names_the_cpu_the_probe_and_the_recipe_without_loading_models():
    env = {**os.environ, "CLAIMCHECK_QUANTIZE": "auto"}
    out = subprocess.run([CLI, "doctor"], capture_output=True, text=True, env=env, timeout=120)
    assert out.returncode == 0, out.stderr
    lines = dict(line.split(":", 1) for line in out.stdout.splitlines())
    assert lines["cpu"].strip() and "capability" in lines["torch"]
    assert "none" in lines["probe"]  # fp32's time is always among the probe's
    recipe = lines["quantize"].split("->")[1].split()[0]
    assert recipe in {"none", "int8", "int8-fbgemm"}, out.stdout
    pinned = subprocess.run(
        [CLI, "doctor"], capture_output=True, text=True, timeout=120, env={**env, "CLAIMCHECK_QUANTIZE": "none"}
    )
    assert "CLAIMCHECK_QUANTIZE=none -> none (set by CLAIMCHECK_QUANTIZE)" in pinned.stdout
    assert "probe" not in dict(line.split(":", 1) for line in pinned.stdout.splitlines())
