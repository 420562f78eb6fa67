"""``claimcheck batch IN OUT``: JSONL, CSV and directories in; every record answered once; resumable;
the same lines from one process, two processes and a real local Ray."""

from __future__ import annotations

import csv
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

import pytest

from claimcheck import batch, cli
from claimcheck.inference.quantize import CHOICE_ENV

ARTICLE = "The minister said the bridge will open in May. The ministry denied that the bridge will open in May."


def records(n: int) -> list[dict]:
    return [{"id": f"art-{i}", "text": f"Official {i} said {i} schools will close. {ARTICLE}"} for i in range(n)]


def write_jsonl(path: Path, rows: list) -> Path:
    path.write_text("".join((r if isinstance(r, str) else json.dumps(r)) + "\n" for r in rows), encoding="utf-8")
    return path


def read_out(path: Path) -> dict[str, dict]:
    lines = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
    ids = [line["id"] for line in lines]
    assert len(ids) == len(set(ids)), "an id was written twice"
    return {line["id"]: line for line in lines}


@pytest.fixture()
def tiny_env(monkeypatch, tiny_model_dir):
    """Settings reach spawned processes and Ray actors through the environment, as in production."""
    monkeypatch.setenv("CLAIMCHECK_NLI_MODEL", str(tiny_model_dir))
    monkeypatch.setenv("CLAIMCHECK_LOG_LEVEL", "warning")
    monkeypatch.setattr(batch, "_runtime", None)  # this process loads the tiny model, not a cached one
    monkeypatch.setenv(CHOICE_ENV, "")  # each run shares its own probe; none leaks into later tests
    yield
    batch._runtime = None


def run(*argv: str) -> int:
    return cli.main(["batch", *argv, "--no-progress"])


def test_jsonl_every_record_answered_bad_ones_with_their_error(tiny_env, tmp_path, tiny_app):
    src = write_jsonl(
        tmp_path / "in.jsonl",
        [
            *records(3),
            {"id": "blank", "text": "  "},
            "{not json",
            {"id": "no-text"},
            {"id": "t", "text": ARTICLE, "title": "Bridge"},
        ],
    )
    assert run(str(src), str(tmp_path / "out.jsonl")) == 0
    out = read_out(tmp_path / "out.jsonl")
    assert set(out) == {"art-0", "art-1", "art-2", "blank", "line-5", "no-text", "t"}
    assert not out["blank"]["ok"] and out["blank"]["error"]["code"] == "validation_error"
    assert not out["line-5"]["ok"] and not out["no-text"]["ok"]
    # exactly what the API answers for the same article
    api = tiny_app.test_client().post("/v1/verify", json={"text": ARTICLE, "title": "Bridge"}).get_json()
    assert out["t"]["result"]["claims"] == api["claims"] and out["t"]["result"]["title"] == api["title"]
    assert out["art-1"]["index"] == 1


def test_resume_skips_what_is_done_and_cuts_a_torn_last_line(tiny_env, tmp_path):
    src = write_jsonl(tmp_path / "in.jsonl", records(6))
    out = tmp_path / "out.jsonl"
    assert run(str(src), str(out)) == 0
    lines = out.read_text(encoding="utf-8").splitlines(keepends=True)
    # a run stopped after three articles, in the middle of writing the fourth
    out.write_text("".join(lines[:3]) + lines[3][: len(lines[3]) // 2], encoding="utf-8")
    assert run(str(src), str(out)) == 0
    again = out.read_text(encoding="utf-8").splitlines(keepends=True)
    assert again[:3] == lines[:3]  # kept as they were, not redone
    assert read_out(out).keys() == {f"art-{i}" for i in range(6)}
    assert run(str(src), str(out)) == 0  # nothing left: nothing written
    assert out.read_text(encoding="utf-8").splitlines(keepends=True) == again


def test_csv_and_directory_inputs(tiny_env, tmp_path):
    with (tmp_path / "in.csv").open("w", newline="", encoding="utf-8") as fh:
        writer = csv.DictWriter(fh, ["id", "text", "title"])
        writer.writeheader()
        writer.writerows(
            [{"id": "c1", "text": ARTICLE, "title": ""}, {"id": "c2", "text": 'A "quoted",\nline.', "title": "T"}]
        )
    assert run(str(tmp_path / "in.csv"), str(tmp_path / "csv.jsonl")) == 0
    assert set(read_out(tmp_path / "csv.jsonl")) == {"c1", "c2"}

    folder = tmp_path / "archive"
    (folder / "2019").mkdir(parents=True)
    (folder / "a.txt").write_text(ARTICLE, encoding="utf-8")
    (folder / "2019" / "b.txt").write_text(ARTICLE, encoding="utf-8")
    (folder / "notes.md").write_text("not an article", encoding="utf-8")
    assert run(str(folder), str(tmp_path / "dir.jsonl")) == 0
    out = read_out(tmp_path / "dir.jsonl")
    assert set(out) == {"a.txt", "2019/b.txt"} and all(r["ok"] for r in out.values())


def test_missing_input_is_a_clear_error(tmp_path, capsys):
    assert run(str(tmp_path / "nope.jsonl"), str(tmp_path / "out.jsonl")) == 2
    assert "does not exist" in capsys.readouterr().err


def test_two_processes_and_ray_give_the_same_lines_as_one(tiny_env, tmp_path, monkeypatch):
    # one recipe for every run: a lone process probes for itself while --workers shares its own probe, and
    # a tiny model's int8 and fp32 readings differ near the thresholds (the shared pick is tested apart)
    monkeypatch.setenv("CLAIMCHECK_QUANTIZE", "none")
    src = write_jsonl(tmp_path / "in.jsonl", records(12) + [{"id": "blank", "text": ""}])
    assert run(str(src), str(tmp_path / "one.jsonl")) == 0
    one = read_out(tmp_path / "one.jsonl")
    assert run(str(src), str(tmp_path / "two.jsonl"), "--workers", "2") == 0
    assert read_out(tmp_path / "two.jsonl") == one

    pytest.importorskip("ray", reason="claimcheck[ray] is not installed")
    ray_out = tmp_path / "ray.jsonl"
    write_jsonl(ray_out, [one["art-0"], one["art-1"]])  # resumable on Ray too
    assert run(str(src), str(ray_out), "--ray", "--workers", "2") == 0
    assert read_out(ray_out) == one  # the same lines, index included: one reader feeds both modes


def test_local_and_ray_answer_every_bad_record_with_the_same_error_line(tiny_env, tmp_path, monkeypatch):
    """Issue 24: a malformed line aborted a --ray run (and a non-string title was silently dropped
    there); both modes read IN with one reader and write the same line for every record."""
    monkeypatch.setenv("CLAIMCHECK_QUANTIZE", "none")  # one recipe for both runs, as above
    monkeypatch.setenv("CLAIMCHECK_MAX_ARTICLE_CHARS", "2000")
    src = write_jsonl(
        tmp_path / "in.jsonl",
        [
            *records(3),
            "{not json",
            {"id": "title-5", "text": ARTICLE, "title": 5},
            {"id": "long", "text": ARTICLE + " Rain fell." * 200},
            ["a", "list"],
            {"id": "no-text", "title": "T"},
            {"id": "ok-titled", "text": ARTICLE, "title": "Bridge"},
        ],
    )
    with src.open("ab") as fh:
        fh.write(b'{"id": "latin-1", "text": "caf\xe9"}\n')  # not UTF-8: that line's error, not the run's end
    assert run(str(src), str(tmp_path / "local.jsonl")) == 0
    local = read_out(tmp_path / "local.jsonl")
    assert len(local) == 10
    bad = {k: v["error"] for k, v in local.items() if not v["ok"]}
    assert set(bad) == {"line-4", "title-5", "long", "line-7", "no-text", "line-10"}
    assert all(e["code"] == "validation_error" for e in bad.values())
    assert "not valid JSON" in bad["line-4"]["message"] and "JSON object" in bad["line-7"]["message"]
    assert bad["title-5"]["message"] == "`title` must be a string" and "2000" in bad["long"]["message"]
    assert "UTF-8" in bad["line-10"]["message"]

    pytest.importorskip("ray", reason="claimcheck[ray] is not installed")
    assert run(str(src), str(tmp_path / "ray.jsonl"), "--ray") == 0
    assert read_out(tmp_path / "ray.jsonl") == local  # every line the same, index included


# --- a local Ray goes when the command goes (issue 24: an orphaned ray::MapWorker of 760 MB) ----
FAIL_WRITES = """
import sys
from claimcheck import batch, cli

def full(lines):
    raise OSError(28, "No space left on device")

real = batch.run_ray
batch.run_ray = lambda records, address, workers, write: real(records, address, workers, full)
sys.exit(cli.main(sys.argv[1:]))
"""


def _marked(marker: str) -> list[str]:
    """Live processes (not zombies) whose environment carries ``marker``: everything the command started."""
    found = []
    for proc in Path("/proc").iterdir():
        if not proc.name.isdigit():
            continue
        try:
            if marker.encode() not in (proc / "environ").read_bytes():
                continue
            stat = (proc / "stat").read_text()
            cmd = (proc / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
        except OSError:
            continue
        if stat.rsplit(")", 1)[1].split()[0] != "Z":
            found.append(f"{proc.name}: {cmd[:120]}")
    return found


@pytest.mark.parametrize("ending", ["finished", "failed", "ctrl-c"])
def test_a_local_ray_leaves_no_process_behind(tiny_model_dir, tmp_path, ending):
    pytest.importorskip("ray", reason="claimcheck[ray] is not installed")
    marker = f"CLAIMCHECK_TEST_RUN={uuid.uuid4().hex}"
    src = write_jsonl(tmp_path / "in.jsonl", records(400 if ending == "ctrl-c" else 8))
    out = tmp_path / "out.jsonl"
    ray_tmp = tempfile.mkdtemp(prefix="cc-ray-")  # short: Ray's socket paths must fit in 107 bytes
    env = {
        **os.environ,
        "CLAIMCHECK_NLI_MODEL": str(tiny_model_dir),
        "CLAIMCHECK_LOG_LEVEL": "warning",
        "RAY_TMPDIR": ray_tmp,
        marker.split("=")[0]: marker.split("=")[1],
    }
    argv = ["batch", str(src), str(out), "--ray", "--no-progress"]
    cmd = (
        [sys.executable, "-c", FAIL_WRITES, *argv]
        if ending == "failed"
        else [sys.executable, "-m", "claimcheck.cli", *argv]
    )
    log = tmp_path / "cli.log"
    with log.open("wb") as fh:
        # SIGINT as a terminal has it: a shell's background job (`nohup … &`) inherits it ignored, and a Python
        # started so never raises KeyboardInterrupt, which is not what this test is about
        proc = subprocess.Popen(
            cmd,
            env=env,
            stdout=fh,
            stderr=subprocess.STDOUT,
            start_new_session=True,
            preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
        )
    try:
        if ending == "ctrl-c":
            deadline = time.time() + 240
            while not (out.exists() and out.read_text(encoding="utf-8").count("\n") >= 1):
                assert time.time() < deadline and proc.poll() is None, log.read_text()[-3000:]
                time.sleep(0.1)
            os.killpg(proc.pid, signal.SIGINT)  # what Ctrl-C in a terminal sends: the whole foreground group
        rc = proc.wait(timeout=240)
        left = _marked(marker)
        assert not left, f"still running after `claimcheck batch` exited ({ending}):\n" + "\n".join(left)
        expected = {"finished": 0, "failed": 1, "ctrl-c": 130}[ending]
        assert rc == expected, log.read_text()[-3000:]
        if ending == "finished":
            assert len(read_out(out)) == 8
        if ending == "ctrl-c":
            assert "again to resume" in log.read_text()
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
        for line in _marked(marker):  # never leave them to the next test
            os.kill(int(line.split(":")[0]), signal.SIGKILL)
        shutil.rmtree(ray_tmp, ignore_errors=True)
