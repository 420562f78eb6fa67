"""The README's and docs' commands, run or parsed as written, so that none can drift from the code.

* Every ``claimcheck …`` line of a bash block in README.md and docs/*.md must parse with the CLI's own
  parser (a renamed flag or subcommand fails here, placeholders such as ``archive.jsonl`` are fine).
* The README's runnable commands are run as written against a real gunicorn: the "Try it" curl (its
  answer must have the shape, the labels and the texts of the JSON printed under it), ``claimcheck
  verify`` on the seed and ``claimcheck doctor``.  The jobs examples of docs/operations.md are checked
  by tests/test_operator.py.
"""

from __future__ import annotations

import json
import re
import shlex
import subprocess
import sys
from pathlib import Path

import pytest
from helpers import start_gunicorn

from claimcheck.cli import build_parser

ROOT = Path(__file__).resolve().parents[1]
DOCS = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
BIN = Path(sys.executable).parent


def bash_commands(path: Path) -> list[str]:
    """Each command of each ```bash block: continuations joined, comments dropped."""
    commands: list[str] = []
    for block in re.findall(r"```bash\n(.*?)```", path.read_text(encoding="utf-8"), re.S):
        for line in block.replace("\\\n", " ").splitlines():
            line = re.sub(r"\s+#.*$", "", line).strip()
            if line and not line.startswith("#"):
                commands.append(line)
    return commands


def claimcheck_invocations(command: str) -> list[list[str]]:
    """The argument lists given to ``claimcheck`` in one shell line (pipes, ``&&`` and ``&`` split it)."""
    out = []
    for part in re.split(r"\s*(?:&&|\|\||[|;&])\s*", command):
        words = [w for w in (shlex.split(part) if part else []) if not re.match(r"\d*[<>]", w)]  # redirections
        for i, word in enumerate(words):
            if word.endswith("claimcheck") and "/" in word or word == "claimcheck":
                out.append(words[i + 1 :])
                break
    return out


def test_every_claimcheck_command_in_the_docs_parses():
    parser = build_parser()
    seen = 0
    for path in DOCS:
        for command in bash_commands(path):
            for args in claimcheck_invocations(command):
                seen += 1
                try:
                    parser.parse_args(args)
                except SystemExit as exc:  # argparse's way of refusing
                    pytest.fail(f"{path.name}: `{command}` does not parse (exit {exc.code})")
    assert seen >= 10  # the README's CLI section alone has more: the extraction itself is working


def readme_try_it() -> tuple[str, dict]:
    """The README's "Try it" command and the JSON answer printed under it."""
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    section = text[text.index("### Try it") :]
    command = re.search(r"```bash\n(.*?)```", section, re.S).group(1).replace("\\\n", " ").strip()
    answer = json.loads(re.search(r"```json\n(.*?)```", section, re.S).group(1))
    return command, answer


def keys(value, prefix="") -> set[str]:
    """Every key path of a JSON value (list items merged), e.g. ``claims[].evidence[].score``."""
    if isinstance(value, dict):
        return set().union(*[{prefix + k} | keys(v, prefix + k + ".") for k, v in value.items()])
    if isinstance(value, list):
        return set().union(set(), *[keys(v, prefix.rstrip(".") + "[].") for v in value])
    return set()


@pytest.fixture(scope="module")
def service():
    proc, url = start_gunicorn({"CLAIMCHECK_WORKERS": "1", "CLAIMCHECK_LOG_LEVEL": "warning"}, ready_within=300)
    yield url
    proc.terminate()
    proc.wait(timeout=60)


@pytest.mark.model
def test_the_readme_curl_answers_what_the_readme_prints(service):
    command, printed = readme_try_it()
    assert command.startswith("curl -s localhost:8000/v1/verify")
    got = json.loads(
        subprocess.run(
            command.replace("localhost:8000", service.split("//")[1]),
            shell=True,
            capture_output=True,
            text=True,
            check=True,
            timeout=120,
        ).stdout
    )
    # the same shape (a field added or dropped shows here), the same claims, labels and pairs
    optional = {"title"}  # null in both, so it has no key path below it
    assert keys(got) - optional == keys(printed) - optional
    assert [(c["id"], c["label"], c["text"]) for c in got["claims"]] == [
        (c["id"], c["label"], c["text"]) for c in printed["claims"]
    ]
    assert [p["claim_ids"] for p in got["contradictions"]] == [p["claim_ids"] for p in printed["contradictions"]]
    for mine, theirs in zip(got["claims"], printed["claims"]):
        assert abs(mine["confidence"] - theirs["confidence"]) < 0.05  # the recipe auto picks may move a point


@pytest.mark.model
def test_the_readme_cli_examples_run_as_written():
    commands = bash_commands(ROOT / "README.md")
    for wanted in ("claimcheck verify seeds/", "claimcheck doctor"):
        command = next(c for c in commands if wanted in c)
        done = subprocess.run(
            command.replace(".venv/bin/", f"{BIN}/"), shell=True, cwd=ROOT, capture_output=True, text=True, timeout=300
        )
        assert done.returncode == 0, f"`{command}`: {done.stderr[-2000:]}"
        assert done.stdout.strip()
