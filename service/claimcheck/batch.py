"""``claimcheck batch IN OUT``: a back catalogue verified offline, resumable, on local processes or on Ray.

IN is JSONL (``{"id", "text", "title"?}`` per line), CSV (columns ``id``, ``text``, ``title``) or a
directory of ``.txt`` files (id: the path inside it).  OUT is JSONL, one line per article, each exactly
an item of ``/v1/verify/batch`` results (``index`` is the record's position in IN, null under
``--ray``, which reads IN in parallel blocks; ``id`` is the key).  Lines are written
as results arrive and flushed, so a run that is stopped loses at most the articles in flight: run the
same command again and ids already in OUT are skipped (a torn last line is cut off first).

Memory stays bounded whatever the size of IN: records are read lazily, at most a few chunks per
process are in flight, and the ids already done are kept as 64-bit hashes (a resume over 1,000,000
done ids peaks at 118 MB RSS: docs/operations.md).

Local (default): ``--workers N`` processes (spawned, models loaded once each; 1 runs in this process).
``--ray [ADDRESS]``: the same work as a ``ray.data`` pipeline with an actor pool (models loaded once
per actor), on a local Ray or a cluster, so one command scales past one machine.
"""

from __future__ import annotations

import csv
import hashlib
import json
import os
import sys
from collections.abc import Iterable, Iterator
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from claimcheck.config import Settings

CHUNK = 4  # articles per task: enough to hide the inter-process hop, small enough for a steady progress bar
IN_FLIGHT_PER_WORKER = 3


@dataclass(frozen=True)
class Record:
    index: int | None  # position in IN; None under Ray, which reads IN in parallel blocks
    id: str
    text: Any
    title: Any = None


def id_hash(article_id: str) -> int:
    return int.from_bytes(hashlib.blake2b(article_id.encode("utf-8", "surrogatepass"), digest_size=8).digest(), "big")


# --- input ------------------------------------------------------------------------------------
def read_records(source: Path) -> Iterator[Record]:
    """Records one at a time; an unreadable record still yields (with ``text=None``) so it gets an error line."""
    if source.is_dir():
        for n, path in enumerate(sorted(p for p in source.rglob("*.txt") if p.is_file())):
            try:
                text: Any = path.read_text(encoding="utf-8")
            except (OSError, UnicodeDecodeError):
                text = None
            yield Record(n, str(path.relative_to(source)), text)
    elif source.suffix.lower() == ".csv":
        csv.field_size_limit(sys.maxsize)
        with source.open(newline="", encoding="utf-8") as fh:
            for n, row in enumerate(csv.DictReader(fh)):
                yield Record(n, str(row.get("id") or f"row-{n + 1}"), row.get("text"), row.get("title") or None)
    else:
        with source.open(encoding="utf-8") as fh:
            for n, line in enumerate(fh):
                if not line.strip():
                    continue
                try:
                    row = json.loads(line)
                except json.JSONDecodeError:
                    row = None
                if not isinstance(row, dict):
                    yield Record(n, f"line-{n + 1}", None)
                    continue
                yield Record(n, str(row.get("id") or f"line-{n + 1}"), row.get("text"), row.get("title"))


def count_records(source: Path) -> int | None:
    """For the progress bar's ETA; one streaming pass (no parsing for JSONL)."""
    if source.is_dir():
        return sum(1 for p in source.rglob("*.txt") if p.is_file())
    if source.suffix.lower() == ".csv":
        csv.field_size_limit(sys.maxsize)
        with source.open(newline="", encoding="utf-8") as fh:
            return sum(1 for _ in csv.DictReader(fh))
    with source.open("rb") as fh:
        return sum(1 for line in fh if line.strip())


def problems(record: Record, settings: Settings) -> list[str]:
    """The API's text rules (``text_problems``), so a record fails here exactly as in ``/v1/verify/batch``."""
    from claimcheck.web.schemas import text_problems

    if not isinstance(record.text, str):
        return ["the record has no readable `text` (JSON object with a string `text`, UTF-8)"]
    if record.title is not None and not isinstance(record.title, str):
        return ["`title` must be a string"]
    return text_problems(record.text, settings)


# --- output / resume --------------------------------------------------------------------------
def done_ids(out: Path) -> set[int]:
    """Hashes of the ids already in OUT; a last line cut off mid-write is removed first."""
    done: set[int] = set()
    if not out.exists():
        return done
    with out.open("rb+") as fh:
        good_end = 0
        for line in fh:
            if not line.endswith(b"\n"):
                break
            try:
                done.add(id_hash(str(json.loads(line)["id"])))
            except (ValueError, KeyError, TypeError):
                break
            good_end += len(line)
        fh.truncate(good_end)
    return done


# --- verification (one process) ----------------------------------------------------------------
_runtime: Any = None


def _load(env: dict[str, str] | None = None) -> Any:
    """This process's runtime, loaded once (a worker process, a Ray actor, or the CLI itself)."""
    global _runtime
    if env:
        os.environ.update(env)
    if _runtime is None:
        from claimcheck.runtime import Runtime

        _runtime = Runtime.load(Settings.from_env())
    return _runtime


Line = tuple[bool, str]  # (ok, the OUT line)


def verify_records(records: Iterable[Record]) -> list[Line]:
    """OUT lines for some records: each verified alone, a bad one answered with its error."""
    from claimcheck.payload import batch_item_to_json, rejected_item
    from claimcheck.pipeline import ArticleTooLarge

    runtime = _load()
    lines = []
    for record in records:
        found = problems(record, runtime.settings)
        if found:
            item = rejected_item(record.index, record.id, found)
        else:
            try:
                outcome: Any = runtime.verifier.verify(record.text, title=record.title)
            except ArticleTooLarge as exc:
                outcome = exc
            item = batch_item_to_json(record.index, record.id, outcome)
        lines.append((bool(item["ok"]), json.dumps(item, ensure_ascii=False) + "\n"))
    return lines


def _chunks(records: Iterable[Record], size: int) -> Iterator[list[Record]]:
    chunk: list[Record] = []
    for record in records:
        chunk.append(record)
        if len(chunk) == size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def run_local(records: Iterable[Record], workers: int, write: Any) -> None:
    if workers == 1:
        for chunk in _chunks(records, CHUNK):
            write(verify_records(chunk))
        return
    import multiprocessing

    env = {k: v for k, v in os.environ.items() if k.startswith("CLAIMCHECK_")}
    if not Settings.from_env().torch_threads:  # as gunicorn_conf does: the cores shared, not each process all of them
        env["CLAIMCHECK_TORCH_THREADS"] = str(Settings.from_env().threads_per_process(workers))
    ctx = multiprocessing.get_context("spawn")  # torch's thread pools do not survive a fork
    with ProcessPoolExecutor(workers, mp_context=ctx, initializer=_load, initargs=(env,)) as pool:
        pending: set[Future] = set()
        for chunk in _chunks(records, CHUNK):
            if len(pending) >= workers * IN_FLIGHT_PER_WORKER:
                finished, pending = wait(pending, return_when=FIRST_COMPLETED)
                for f in finished:
                    write(f.result())
            pending.add(pool.submit(verify_records, chunk))
        for f in pending:
            write(f.result())


# --- Ray ----------------------------------------------------------------------------------------
class RayVerifier:
    """One actor of the pool: loads the models once, answers batches of rows with OUT lines.

    Rows whose id is already in OUT give no line (``done``: the hashes, shipped to each actor once)."""

    def __init__(self, env: dict[str, str], done: set[int]) -> None:
        _load(env)
        self.done = done

    def __call__(self, batch: dict[str, Any]) -> dict[str, Any]:
        records = [
            Record(None, str(a), t if isinstance(t, str) else None, h if isinstance(h, str) else None)
            for a, t, h in zip(batch["id"], batch["text"], batch["title"])
            if id_hash(str(a)) not in self.done
        ]
        lines = verify_records(records)
        return {"ok": [ok for ok, _ in lines], "line": [line for _, line in lines]}


def ray_dataset(source: Path) -> Any:
    """IN as a ``ray.data`` dataset of (index, id, text, title), read in parallel by Ray's own readers."""
    import ray.data

    if source.is_dir():
        ds = ray.data.read_binary_files(str(source), include_paths=True, file_extensions=["txt"])

        def from_file(row: dict[str, Any]) -> dict[str, Any]:
            path = Path(row["path"])
            try:
                text: Any = row["bytes"].decode("utf-8")
            except UnicodeDecodeError:
                text = None
            rel = str(path.relative_to(source.resolve())) if path.is_absolute() else str(path)
            return {"id": rel, "text": text, "title": None}

        ds = ds.map(from_file)
    elif source.suffix.lower() == ".csv":
        ds = ray.data.read_csv(str(source))
    else:
        ds = ray.data.read_json(str(source), lines=True)

    def normalise(row: dict[str, Any]) -> dict[str, Any]:
        return {
            "id": str(row.get("id")),
            "text": row.get("text"),
            "title": row.get("title") if isinstance(row.get("title"), str) else None,
        }

    return ds.map(normalise)


def run_ray(source: Path, address: str | None, workers: int, done: set[int], write: Any) -> None:
    import ray

    env = {k: v for k, v in os.environ.items() if k.startswith(("CLAIMCHECK_", "HF_"))}
    # a local Ray gets one scheduling slot per actor plus one, or the actors would hold every CPU
    # slot and the tasks that read IN could never be scheduled
    local: dict[str, Any] = {} if address else {"num_cpus": workers + 1, "include_dashboard": False}
    ray.init(address=address, runtime_env={"env_vars": env}, log_to_driver=False, **local)
    try:
        ds = ray_dataset(source).map_batches(
            RayVerifier,
            batch_size=CHUNK,
            compute=ray.data.ActorPoolStrategy(size=workers),
            fn_constructor_kwargs={"env": env, "done": done},
            num_cpus=1,
        )
        for batch in ds.iter_batches(batch_size=CHUNK, batch_format="numpy"):
            write([(bool(ok), str(line)) for ok, line in zip(batch["ok"], batch["line"])])
    finally:
        ray.shutdown()


# --- the command ------------------------------------------------------------------------------
def run(source: Path, out: Path, workers: int, ray_address: str | None, progress: bool = True) -> dict[str, int]:
    """Verify every record of IN not yet in OUT; returns counts (written, skipped, failed)."""
    from tqdm import tqdm

    done = done_ids(out)
    total = count_records(source)
    counts = {"written": 0, "skipped": 0, "errors": 0}
    bar = tqdm(total=total, unit="article", disable=not progress, dynamic_ncols=True, smoothing=0.05)

    def fresh(records: Iterable[Record]) -> Iterator[Record]:
        seen_now: set[int] = set()
        for record in records:
            h = id_hash(record.id)
            if h in done or h in seen_now:
                counts["skipped"] += 1
                bar.update(1)
                continue
            seen_now.add(h)
            yield record

    with out.open("a", encoding="utf-8") as fh:

        def write(lines: list[Line]) -> None:
            fh.writelines(line for _, line in lines)
            fh.flush()
            counts["written"] += len(lines)
            counts["errors"] += sum(not ok for ok, _ in lines)
            bar.update(len(lines))

        if ray_address is not None:
            counts["skipped"] = len(done)
            bar.update(min(len(done), total or 0))
            run_ray(source, ray_address or None, workers, done, write)
        else:
            run_local(fresh(read_records(source)), workers, write)
    bar.close()
    return counts
