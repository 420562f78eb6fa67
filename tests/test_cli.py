import json
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import SEED

CLI = str(Path(sys.executable).parent / "claimcheck")


@pytest.mark.model
def test_verify_prints_the_api_json_for_each_file(tmp_path):
    other = tmp_path / "short.txt"
    other.write_text("The bridge opened in 1932, officials said. Engineers said the bridge opened in 1932.", "utf-8")
    out = subprocess.run(
        [CLI, "verify", "--format", "json", str(SEED), str(other)], capture_output=True, text=True, check=True
    )
    body = json.loads(out.stdout)
    assert set(body) == {str(SEED), str(other)}
    seed = body[str(SEED)]
    text = SEED.read_text("utf-8")
    assert all(text[c["start"] : c["end"]] == c["text"] for c in seed["claims"])
    lede = next(c for c in seed["claims"] if "he had talked with Russian President" in c["text"])
    assert lede["label"] == "unverified"


@pytest.mark.model
def test_table_format_is_readable():
    out = subprocess.run([CLI, "verify", str(SEED)], capture_output=True, text=True, check=True).stdout
    assert out.startswith(f"== {SEED}:")
    assert "non_committal" in out and "unverified" in out


def test_unreadable_file_is_a_clear_error(tmp_path):
    out = subprocess.run([CLI, "verify", str(tmp_path / "missing.txt")], capture_output=True, text=True)
    assert out.returncode == 2
    assert "cannot read" in out.stderr
