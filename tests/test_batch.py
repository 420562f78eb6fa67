"""``claimcheck batch IN OUT``: JSONL, CSV and directories in; every record answered once; resumable;
the same lines from one process, two processes and a real local Ray."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest

from claimcheck import batch, cli

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


def _without_index(out: dict[str, dict]) -> dict[str, dict]:
    return {k: {f: v for f, v in line.items() if f != "index"} for k, line in out.items()}


def test_two_processes_and_ray_give_the_same_lines_as_one(tiny_env, tmp_path):
    src = write_jsonl(tmp_path / "in.jsonl", records(12) + [{"id": "blank", "text": ""}])
    assert run(str(src), str(tmp_path / "one.jsonl")) == 0
    one = read_out(tmp_path / "one.jsonl")
    assert run(str(src), str(tmp_path / "two.jsonl"), "--workers", "2") == 0
    assert read_out(tmp_path / "two.jsonl") == one

    pytest.importorskip("ray", reason="claimcheck[ray] is not installed")
    ray_out = tmp_path / "ray.jsonl"
    write_jsonl(ray_out, [one["art-0"], one["art-1"]])  # resumable on Ray too
    assert run(str(src), str(ray_out), "--ray", "--workers", "2") == 0
    got = read_out(ray_out)
    assert _without_index(got) == _without_index(one)
    assert got["art-0"] == one["art-0"] and got["art-5"]["index"] is None  # Ray reads IN in parallel blocks
