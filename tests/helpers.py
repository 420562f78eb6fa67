"""Assertions shared by the HTTP tests, the tiny model, and a real gunicorn."""

import functools


def assert_error(resp, status: int, code: str) -> dict:
    """The response is claimcheck's one error body with this status and code; returns the error object."""
    assert resp.status_code == status, resp.get_data(as_text=True)
    assert resp.is_json
    body = resp.get_json()
    assert set(body) == {"error"}
    assert body["error"]["code"] == code
    assert body["error"]["message"]
    return body["error"]


def make_tiny_nli_model(out):
    """A 2-layer BERT classifier with random weights on the embedder's tokenizer, for mechanics."""
    import torch
    from transformers import AutoTokenizer, BertConfig, BertForSequenceClassification

    from claimcheck.config import Settings

    tokenizer = AutoTokenizer.from_pretrained(Settings.from_env().embedder, local_files_only=True)
    config = BertConfig(
        vocab_size=tokenizer.vocab_size,
        hidden_size=32,
        num_hidden_layers=2,
        num_attention_heads=2,
        intermediate_size=64,
        num_labels=3,
        # deliberately not the shipped order: the service must read id2label, not assume it
        id2label={0: "contradiction", 1: "entailment", 2: "neutral"},
        label2id={"contradiction": 0, "entailment": 1, "neutral": 2},
    )
    torch.manual_seed(0)
    BertForSequenceClassification(config).save_pretrained(out)
    tokenizer.save_pretrained(out)
    return out


# --- a real gunicorn, as the Dockerfile runs it -------------------------------------------------
import contextlib  # noqa: E402
import json  # noqa: E402
import os  # noqa: E402
import shutil  # noqa: E402
import signal  # noqa: E402
import socket  # noqa: E402
import subprocess  # noqa: E402
import sys  # noqa: E402
import time  # noqa: E402
import urllib.request  # noqa: E402
from pathlib import Path  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent


def dockerfile_instruction(name: str) -> str:
    lines = [line for line in (ROOT / "Dockerfile").read_text().splitlines() if line.startswith(name + " ")]
    assert len(lines) == 1, lines
    return lines[0]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_gunicorn(env: dict[str, str] | None = None, ready_within: float = 120.0):
    """The image's CMD on a loopback port; returns (process, base url) once ``/readyz`` answers 200.

    In a session of its own, so a master that never gets ready is killed with its workers: a worker
    left behind would hold the output pipe open and the failure would hang instead of being told."""
    port = free_port()
    env = {**os.environ, "CLAIMCHECK_BIND": f"127.0.0.1:{port}", **(env or {})}
    cmd = json.loads(dockerfile_instruction("CMD").split(" ", 1)[1])
    proc = subprocess.Popen(
        [str(BIN / cmd[0]), *cmd[1:]],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.time() + ready_within
    while time.time() < deadline:
        if proc.poll() is not None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(proc.pid, signal.SIGKILL)  # any worker it left behind
            raise AssertionError(f"gunicorn exited with {proc.returncode}:\n{proc.stdout.read()}")
        try:
            with urllib.request.urlopen(url + "/readyz", timeout=2) as resp:
                if resp.status == 200:
                    return proc, url
        except OSError:
            pass
        time.sleep(0.5)
    with contextlib.suppress(ProcessLookupError):
        os.killpg(proc.pid, signal.SIGKILL)  # the master and its workers
    proc.wait()
    raise AssertionError(f"gunicorn did not become ready in {ready_within} s:\n{proc.stdout.read()}")


def rss_mib(pid: int) -> float | None:
    """A process's resident memory from /proc; None once it has exited (a recycled worker)."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except OSError:
        return None
    return None


def worker_pids(master_pid: int) -> set[int]:
    """gunicorn workers: the master's child processes (from /proc, no extra dependency)."""
    pids = set()
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == master_pid:
                pids.add(int(entry.name))
    return pids


@functools.lru_cache(maxsize=1)
def parser():
    """The real spaCy parser (a 12.8 MB wheel, offline): attribution and frames are tested on real parses."""
    from claimcheck.config import Settings
    from claimcheck.inference.parser import SpacyParser

    return SpacyParser(Settings().parser)


def attributed(text: str):
    from claimcheck.pipeline.attribution import attribute_text

    return attribute_text(text, parser())


REDIS = shutil.which("redis-server")  # Debian's redis-server: the jobs tests and the fuzzing of /v1/jobs


class RedisServer:
    """A real redis-server in a temporary directory, with append-only persistence, restartable."""

    def __init__(self, workdir: Path, appendfsync: str = "always") -> None:
        """``always``: every write on disk before Redis answers, so a restart in a test loses nothing."""
        self.dir, self.port, self.proc, self.appendfsync = workdir, free_port(), None, appendfsync
        self.url = f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        self.proc = subprocess.Popen(
            [str(REDIS), "--port", str(self.port), "--bind", "127.0.0.1", "--dir", str(self.dir), "--save", ""]
            + ["--appendonly", "yes", "--appendfsync", self.appendfsync],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        import redis

        client = redis.Redis.from_url(self.url)
        for _ in range(100):
            try:
                client.ping()
                return
            except redis.exceptions.ConnectionError:
                time.sleep(0.05)
        raise AssertionError("redis-server did not start")

    def stop(self) -> None:
        import redis

        try:
            redis.Redis.from_url(self.url).shutdown(save=False)
        except redis.exceptions.ConnectionError:
            pass
        self.proc.wait(timeout=10)
