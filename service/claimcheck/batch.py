"""``claimcheck batch IN OUT``: a back catalogue verified offline, resumable, on local processes or on Ray.

IN is JSONL (``{"id", "text", "title"?}`` per line), CSV (columns ``id``, ``text``, ``title``) or a
directory of ``.txt`` files (id: the path inside it).  OUT is JSONL, one line per article, each exactly
an item of ``/v1/verify/batch`` results (``index`` is the record's position in IN, ``id`` is the key).
Lines are written as results arrive and flushed, so a run that is stopped loses at most the articles
in flight: run the same command again and ids already in OUT are skipped (a torn last line is cut off first).

One reader (:func:`read_records`) turns every record of IN, good or bad, into a :class:`Record`: its
text and title, or why it cannot be verified (a line that is not JSON, not UTF-8, a title that is not
a string...).  Both modes verify those same records with the same function, so a bad record gets the
same error line locally and on Ray, and the run goes on.

Memory stays bounded whatever the size of IN: records are read lazily, at most a few chunks per
process are in flight, and the ids already done are kept as 64-bit hashes (a resume over 1,000,000
done ids peaks at 118 MB RSS: docs/operations.md).

Local (default): ``--workers N`` processes (spawned, models loaded once each; 1 runs in this process).
``--ray [ADDRESS]``: the same chunks sent to a pool of ``--workers`` Ray actors (models loaded once per
actor), on a local Ray or a cluster, so one command scales past one machine.  A local Ray started here
is stopped with the command, every process of it, whether the run ends, fails or is interrupted.
"""

from __future__ import annotations

import contextlib
import csv
import hashlib
import json
import logging
import os
import signal
import sys
import time
import uuid
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from claimcheck.config import Settings

log = logging.getLogger("claimcheck.batch")
CHUNK = 4  # articles per task: enough to hide the inter-process hop, small enough for a steady progress bar
IN_FLIGHT_PER_WORKER = 3


NO_TEXT = "the record has no readable `text` (JSON object with a string `text`, UTF-8)"


@dataclass(frozen=True)
class Record:
    """One record of IN as both modes verify it: its text (and title), or ``error``, why it cannot be."""

    index: int  # position in IN
    id: str
    text: str | None
    title: str | None = None
    error: str | None = None  # set when ``text`` is None


def id_hash(article_id: str) -> int:
    return int.from_bytes(hashlib.blake2b(article_id.encode("utf-8", "surrogatepass"), digest_size=8).digest(), "big")


def make_record(index: int, article_id: str, text: Any, title: Any = None) -> Record:
    """The record for raw values: a text that is not a string, or a title that is not one, is its error."""
    if not isinstance(text, str):
        return Record(index, article_id, None, error=NO_TEXT)
    if title is not None and not isinstance(title, str):
        return Record(index, article_id, None, error="`title` must be a string")
    return Record(index, article_id, text, title)


def jsonl_record(index: int, line: bytes) -> Record:
    """One line of a JSONL IN (``line-N`` is the id of a line without one)."""
    fallback = f"line-{index + 1}"
    try:
        row = json.loads(line.decode("utf-8"))
    except UnicodeDecodeError:
        return Record(index, fallback, None, error=f"line {index + 1} is not UTF-8")
    except json.JSONDecodeError as exc:
        return Record(index, fallback, None, error=f"line {index + 1} is not valid JSON ({exc.msg})")
    if not isinstance(row, dict):
        return Record(index, fallback, None, error=f"line {index + 1} is not a JSON object")
    return make_record(index, str(row.get("id") or fallback), row.get("text"), row.get("title"))


# --- input ------------------------------------------------------------------------------------
def read_records(source: Path) -> Iterator[Record]:
    """Every record of IN, one at a time, in order; a bad one too (with its ``error``), so it gets its error line."""
    if source.is_dir():
        for n, path in enumerate(sorted(p for p in source.rglob("*.txt") if p.is_file())):
            try:
                text: Any = path.read_text(encoding="utf-8")
            except (OSError, UnicodeDecodeError):
                text = None
            yield make_record(n, str(path.relative_to(source)), text)
    elif source.suffix.lower() == ".csv":
        csv.field_size_limit(sys.maxsize)
        with source.open(newline="", encoding="utf-8") as fh:
            for n, row in enumerate(csv.DictReader(fh)):
                yield make_record(n, str(row.get("id") or f"row-{n + 1}"), row.get("text"), row.get("title") or None)
    else:
        with source.open("rb") as fh:  # bytes: a line that is not UTF-8 is that line's error, not the run's end
            for n, line in enumerate(fh):
                if line.strip():
                    yield jsonl_record(n, line)


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
    from claimcheck.contract.schemas import text_problems

    if record.text is None:
        return [record.error or NO_TEXT]
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
    from claimcheck.contract.payload import batch_item_to_json, rejected_item
    from claimcheck.pipeline import ArticleTooLarge

    runtime = _load()
    lines = []
    for record in records:
        found = problems(record, runtime.settings)
        if found or record.text is None:
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


Write = Callable[[list[Line]], None]


def run_local(records: Iterable[Record], workers: int, write: Write) -> None:
    if workers == 1:
        for chunk in _chunks(records, CHUNK):
            write(verify_records(chunk))
        return
    import multiprocessing

    env = {k: v for k, v in os.environ.items() if k.startswith("CLAIMCHECK_")}
    settings = Settings.from_env()
    if not settings.torch_threads:  # as gunicorn_conf does: the cores shared, not each process all of them
        env["CLAIMCHECK_TORCH_THREADS"] = str(settings.threads_per_process(workers))

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
    """One actor of the pool: loads the models once, answers chunks of records with OUT lines."""

    def __init__(self, env: dict[str, str]) -> None:
        _load(env)

    def verify(self, records: list[Record]) -> list[Line]:
        return verify_records(records)


RUN_MARK = "CLAIMCHECK_BATCH_RUN"  # in the environment of every process a local Ray of this run starts


def _stop_leftovers(mark: str, grace_s: float = 5.0) -> None:
    """End every process that carries this run's mark: a local Ray's raylet, GCS and workers, one of
    which ``ray.shutdown()`` can leave running, re-parented to init, with its models (issue 24)."""
    import psutil  # the [ray] extra installs it

    def marked() -> list[psutil.Process]:
        found = []
        for proc in psutil.process_iter():
            try:  # a zombie, a process gone or another user's: not ours to end
                if proc.pid != os.getpid() and proc.environ().get(RUN_MARK) == mark:
                    found.append(proc)
            except psutil.Error:
                continue
        return found

    for sig in (signal.SIGTERM, signal.SIGKILL):
        procs = marked()
        for proc in procs:
            with contextlib.suppress(psutil.Error):
                proc.send_signal(sig)
        deadline = time.monotonic() + grace_s
        while procs and time.monotonic() < deadline:
            time.sleep(0.1)
            procs = marked()
        if not procs:
            return
    log.warning("processes of the local Ray outlived SIGKILL: %s", [p.pid for p in procs])


def run_ray(records: Iterable[Record], address: str | None, workers: int, write: Write) -> None:
    """The records' chunks on a pool of ``workers`` actors, at most a few in flight per actor."""
    import ray

    env = {k: v for k, v in os.environ.items() if k.startswith(("CLAIMCHECK_", "HF_"))}
    mark = "" if address else uuid.uuid4().hex
    local: dict[str, Any] = {} if address else {"num_cpus": workers, "include_dashboard": False}
    if mark:
        os.environ[RUN_MARK] = mark  # inherited by every process the local Ray starts
    try:
        ray.init(address=address, runtime_env={"env_vars": env}, log_to_driver=False, **local)
        actor = ray.remote(num_cpus=1)(RayVerifier)
        slots: list[Any] = [actor.remote(env) for _ in range(workers)] * IN_FLIGHT_PER_WORKER
        pending: dict[Any, Any] = {}  # object ref -> the actor computing it

        def collect() -> None:
            ready, _ = ray.wait(list(pending), num_returns=1)
            for ref in ready:
                slots.append(pending.pop(ref))
                write(ray.get(ref))

        for chunk in _chunks(records, CHUNK):
            if not slots:
                collect()
            verifier = slots.pop()
            pending[verifier.verify.remote(chunk)] = verifier
        while pending:
            collect()
    finally:
        try:
            ray.shutdown()
        finally:
            if mark:
                os.environ.pop(RUN_MARK, None)
                _stop_leftovers(mark)


# --- the command ------------------------------------------------------------------------------
def run(source: Path, out: Path, workers: int, ray_address: str | None, progress: bool = True) -> dict[str, int]:
    """Verify every record of IN not yet in OUT; returns counts (written, skipped, failed)."""
    from tqdm import tqdm

    if workers > 1 or ray_address is not None:
        from claimcheck.inference.quantize import share_choice

        # auto probed once, as the gunicorn master does: every process or actor of the run reads the same
        # recipe from the environment it inherits (one process alone probes for itself, as the CLI does)
        settings = Settings.from_env()
        share_choice(settings.quantize, [settings.nli_model, settings.embedder], settings.threads_per_process(workers))
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

        try:
            if ray_address is not None:
                run_ray(fresh(read_records(source)), ray_address or None, workers, write)
            else:
                run_local(fresh(read_records(source)), workers, write)
        finally:
            bar.close()
    return counts
