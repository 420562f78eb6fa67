"""``claimcheck verify FILE…`` (``-``: stdin): the pipeline on files; also ``serve``, ``worker`` and ``batch``.

``--format json`` prints, per input, one line that is exactly the ``POST /v1/verify`` response
(``model`` and ``timing_ms`` included); ``table`` is for people.  Blank input is an error (exit 2),
as it is a 422 for the API.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from claimcheck.config import Settings
from claimcheck.pipeline.types import ArticleResult


def table(name: str, result: ArticleResult) -> str:
    lines = [f"== {name}: {len(result.verdicts)} claims, {len(result.contradictions)} contradiction pairs"]
    for v in ([result.title] if result.title else []) + result.verdicts:
        speaker = v.claim.speaker or "(narrator)"
        lines.append(f"{v.claim.id:>4} {v.label:<10} {v.confidence:5.2f}  {speaker[:22]:<22} {v.claim.content[:90]}")
        for e in v.evidence:
            lines.append(f"{'':>16}{e.relation:<13} {e.score:5.2f}  {e.sentence.text[:80]}")
    for c in result.contradictions:
        lines.append(f"  contradiction {c.claim_ids[0]} <-> {c.claim_ids[1]} ({c.score:.2f})")
    return "\n".join(lines)


def readyz_url(url: str) -> str:
    """The service's base URL gets ``/readyz``; a URL with a path (``…/readyz``) is used as given."""
    from urllib.parse import urlsplit, urlunsplit

    parts = urlsplit(url)
    return urlunsplit(parts._replace(path="/readyz")) if parts.path in ("", "/") else url


def healthcheck(url: str, timeout: float) -> int:
    """Standard library only, so the slim image needs no curl."""
    import urllib.error
    import urllib.request

    url = readyz_url(url)
    try:
        with urllib.request.urlopen(url, timeout=timeout) as resp:
            return 0 if resp.status == 200 else 1
    except (urllib.error.URLError, OSError) as exc:
        print(f"claimcheck: {url} not ready: {exc}", file=sys.stderr)
        return 1


def doctor(settings: Settings) -> int:
    """What an operator asks when the service is slow on a new machine: the CPU, torch's capability,
    the probe's timings and the recipe ``CLAIMCHECK_QUANTIZE`` resolves to, with the threads a gunicorn
    worker would have.  No model is loaded (seconds, not a start-up)."""
    import torch

    from claimcheck.inference.cpu import cpu_model
    from claimcheck.inference.quantize import PROBE_ROWS, choose, fbgemm_available, model_shape, share_choice

    threads = settings.threads_per_process(settings.workers)
    hidden, intermediate = model_shape(settings.nli_model) or (0, 0)
    # as the gunicorn master does; where its child cannot run, the probe here is what a worker would do
    choice = share_choice(settings.quantize, [settings.nli_model], threads)
    if choice is None:
        torch.set_num_threads(threads)
        choice = choose(settings.quantize, hidden, intermediate)
    print(f"cpu:        {cpu_model()}")
    print(f"torch:      {torch.__version__}, capability {choice.cpu_capability}, {threads} threads per worker")
    print(f"kernels:    fbgemm {'yes' if fbgemm_available() else 'no'}, oneDNN {torch.backends.mkldnn.is_available()}")
    if choice.probe_ms:
        shown = ", ".join(f"{recipe} {ms:.3f}" for recipe, ms in choice.probe_ms.items())
        print(f"probe:      ms per {PROBE_ROWS}x{hidden} . {hidden}x{intermediate} product: {shown}")
    print(f"quantize:   CLAIMCHECK_QUANTIZE={choice.requested} -> {choice.recipe} ({choice.reason})")
    return 0


def _read(path: str) -> str:
    if path == "-":
        return sys.stdin.read()
    return Path(path).read_text(encoding="utf-8")


def serve(bind: str | None, workers: int | None) -> int:
    """gunicorn with the packaged configuration, so an installed wheel needs no clone."""
    import os

    if bind:
        os.environ["CLAIMCHECK_BIND"] = bind
    if workers:
        os.environ["CLAIMCHECK_WORKERS"] = str(workers)
    gunicorn = Path(sys.executable).with_name("gunicorn")
    os.execv(str(gunicorn), [str(gunicorn), "-c", "python:claimcheck.gunicorn_conf"])
    return 1  # pragma: no cover - execv does not return


def run_batch(args: argparse.Namespace) -> int:
    from claimcheck import batch, logs

    if not args.input.exists():
        print(f"claimcheck: {args.input} does not exist", file=sys.stderr)
        return 2
    if args.workers < 1:
        print("claimcheck: --workers must be >= 1", file=sys.stderr)
        return 2
    if args.ray is not None:
        try:
            import ray  # noqa: F401
        except ImportError:
            print("claimcheck: --ray needs Ray: pip install 'claimcheck[ray]'", file=sys.stderr)
            return 2
    settings = Settings.from_env()
    logs.configure(settings.log_level, settings.log_format)
    try:
        counts = batch.run(args.input, args.output, args.workers, args.ray, progress=not args.no_progress)
    except KeyboardInterrupt:  # Ctrl-C: what is in OUT is kept, and a local Ray has been stopped
        print(
            f"claimcheck batch: interrupted; run the same command again to resume into {args.output}", file=sys.stderr
        )
        return 130
    print(
        f"claimcheck batch: {counts['written']} written ({counts['errors']} with errors), "
        f"{counts['skipped']} already in {args.output}",
        file=sys.stderr,
    )
    return 0


def build_parser() -> argparse.ArgumentParser:
    """Every subcommand and flag (the docs' snippets are parsed with it by tests/test_docs.py)."""
    ap = argparse.ArgumentParser(prog="claimcheck", description="Verify the claims of news articles.")
    sub = ap.add_subparsers(dest="command", required=True)
    verify = sub.add_parser("verify", help="verify article files (plain text, UTF-8; - reads stdin)")
    verify.add_argument("files", nargs="+", help="article files, or - for standard input")
    verify.add_argument("--title", help="the article's headline (one input only): verified against the body")
    verify.add_argument(
        "--format",
        choices=("table", "json"),
        default="table",
        help="json: one line per input, exactly the API's response",
    )
    run = sub.add_parser("serve", help="run the HTTP service under gunicorn (settings: CLAIMCHECK_* variables)")
    run.add_argument("--bind", help="address:port (default CLAIMCHECK_BIND, 0.0.0.0:8000)")
    run.add_argument("--workers", type=int, help="worker processes (default CLAIMCHECK_WORKERS, 2)")
    work = sub.add_parser("worker", help="take jobs from the queue (CLAIMCHECK_REDIS_URL) until SIGTERM")
    work.add_argument("--burst", action="store_true", help="exit once the queues are empty")
    batch = sub.add_parser("batch", help="verify a back catalogue: IN (JSONL, CSV or .txt directory) to OUT JSONL")
    batch.add_argument(
        "input", type=Path, help="JSONL ({id, text, title?} per line), CSV (id,text,title) or a directory"
    )
    batch.add_argument("output", type=Path, help="JSONL of results; ids already in it are skipped (resume)")
    batch.add_argument("--workers", type=int, default=1, help="processes (or Ray actors), each with its own models")
    batch.add_argument(
        "--ray", nargs="?", const="", metavar="ADDRESS", help="run on Ray: a local one, or the cluster at ADDRESS"
    )
    batch.add_argument("--no-progress", action="store_true", help="no progress bar (logs, CI)")
    sub.add_parser("doctor", help="print the CPU, the kernel probe and the inference recipe chosen here")
    health = sub.add_parser("healthcheck", help="exit 0 when the service at URL is ready (Docker HEALTHCHECK)")
    health.add_argument(
        "--url",
        default="http://127.0.0.1:8000",
        help="the service's base URL (/readyz is appended) or its full /readyz URL (default http://127.0.0.1:8000)",
    )
    health.add_argument("--timeout", type=float, default=3.0)
    return ap


def main(argv: list[str] | None = None) -> int:
    ap = build_parser()
    args = ap.parse_args(argv)
    if args.command == "healthcheck":
        return healthcheck(args.url, args.timeout)
    if args.command == "doctor":
        return doctor(Settings.from_env())
    if args.command == "serve":
        return serve(args.bind, args.workers)
    if args.command == "worker":
        from claimcheck import logs
        from claimcheck.jobs import worker

        settings = Settings.from_env()
        logs.configure(settings.log_level, settings.log_format, names=("claimcheck", "rq"))
        return worker.run(settings, burst=args.burst)
    if args.command == "batch":
        return run_batch(args)
    if args.title and len(args.files) != 1:
        ap.error("--title goes with exactly one input")

    texts = []
    for path in args.files:
        try:
            text = _read(path)
        except (OSError, UnicodeDecodeError) as exc:
            print(f"claimcheck: cannot read {path}: {exc}", file=sys.stderr)
            return 2
        if not text.strip():
            print(f"claimcheck: {path} is empty: nothing to verify", file=sys.stderr)
            return 2
        texts.append(text)

    import time

    from claimcheck import logs
    from claimcheck.contract.payload import response_to_json
    from claimcheck.runtime import Runtime

    settings = Settings.from_env()
    logs.configure(settings.log_level, settings.log_format)
    runtime = Runtime.load(settings)
    for path, text in zip(args.files, texts):
        started = time.perf_counter()
        result = runtime.verifier.verify(text, title=args.title)
        if args.format == "json":
            body = response_to_json(result, runtime.info, round((time.perf_counter() - started) * 1000, 1))
            print(json.dumps(body, ensure_ascii=False))
        else:
            print(table(path, result) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
