"""What RQ runs: one job's articles, its failure record, and its signed callback.

The worker process loads the models once (:func:`attach`, called by ``claimcheck worker``) and every
job reuses that :class:`~claimcheck.runtime.Runtime`.  A job verifies its articles one by one and keeps
each result as soon as it has it (:meth:`Jobs.store`), so progress is visible, cancellation takes
effect between articles and a retried job resumes where its dead worker stopped.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from typing import Any

from rq import get_current_job
from rq.exceptions import AbandonedJobError
from rq.job import Job
from rq.timeouts import JobTimeoutException
from tenacity import RetryError, Retrying, retry_if_exception_type, stop_after_attempt, wait_exponential

from claimcheck.config import Settings
from claimcheck.contract.payload import batch_item_to_json
from claimcheck.jobs.store import Jobs
from claimcheck.pipeline import ArticleTooLarge, BudgetExceeded, Deadline
from claimcheck.runtime import Runtime

log = logging.getLogger("claimcheck.jobs")
SIGNATURE_HEADER = "X-Claimcheck-Signature"


@dataclass
class WorkerState:
    """This process's models, store and hooks (one per worker process, set by :func:`attach`)."""

    runtime: Runtime
    jobs: Jobs
    on_article: list[Any] = field(default_factory=list)  # metrics hooks, called after each article
    on_job_end: list[Any] = field(default_factory=list)  # called with (seconds, outcome)


_state: WorkerState | None = None


def attach(state: WorkerState) -> None:
    global _state
    _state = state


def state() -> WorkerState:
    """The process's state; loaded on first use when RQ runs these tasks outside ``claimcheck worker``."""
    global _state
    if _state is None:
        settings = Settings.from_env()
        _state = WorkerState(Runtime.load(settings), Jobs(settings))
    return _state


class JobBudgetExceeded(TimeoutError):
    pass


def run_job(articles: list[dict], options: dict) -> dict[str, int]:
    """Verify every article not yet answered; returns counts (the results live in the job's hash)."""
    job = get_current_job()
    assert job is not None, "run_job runs inside an RQ job"
    st = state()
    jobs, verifier = st.jobs, st.runtime.verifier
    opts = verifier.options.overridden(options)
    budget = Deadline(jobs.settings.job_budget_s)
    done = jobs.done(job.id)
    started, outcome, verified = time.monotonic(), "finished", 0
    try:
        for index, article in enumerate(articles):
            if index in done:
                continue
            if jobs.cancel_requested(job):
                job.meta["cancelled"] = True
                job.save_meta()
                outcome = "cancelled"
                break
            try:
                result: Any = verifier.verify(article["text"], opts, deadline=budget, title=article.get("title"))
            except ArticleTooLarge as exc:
                result = exc
            except BudgetExceeded as exc:
                raise JobBudgetExceeded(
                    f"the job ran past its budget of {exc.budget_s:g} s (CLAIMCHECK_JOB_BUDGET_S) after "
                    f"{len(jobs.done(job.id))} of {len(articles)} articles; their results are kept"
                ) from None
            jobs.store(job.id, index, batch_item_to_json(index, article.get("id"), result))
            verified += 1
            for hook in st.on_article:
                hook()
    except BaseException:
        outcome = "failed"
        raise
    finally:
        for hook in st.on_job_end:
            hook(time.monotonic() - started, outcome)
    return {"verified": verified, "total": len(articles)}


def record_failure(job: Job, connection: Any, exc_type: type, exc: BaseException, tb: Any) -> None:
    """RQ's failure callback: the job's error, in words a client can act on, on the job itself."""
    if isinstance(exc, JobBudgetExceeded):
        error = {"code": "job_budget_exceeded", "message": str(exc)}
    elif isinstance(exc, JobTimeoutException):
        error = {"code": "job_budget_exceeded", "message": f"the job was stopped after {job.timeout} s"}
    elif isinstance(exc, AbandonedJobError):
        error = {
            "code": "worker_lost",
            "message": "the worker running the job stopped; it is retried if retries remain",
        }
    else:
        log.error("job failed", extra={"job_id": job.id}, exc_info=(exc_type, exc, tb))
        error = {"code": "internal_error", "message": "the job failed inside the service; see the worker's log"}
    job.meta["error"] = error
    job.save_meta()


def sign(body: bytes, secret: str) -> str:
    """``sha256=<hex HMAC-SHA256 of the raw body>``: what a receiver recomputes with the shared secret."""
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


class CallbackRefused(RuntimeError):
    pass


def _post(url: str, body: bytes, headers: dict[str, str]) -> int:
    req = urllib.request.Request(url, data=body, headers=headers, method="POST")
    try:
        with urllib.request.urlopen(req, timeout=10) as resp:
            return resp.status
    except urllib.error.HTTPError as exc:
        raise CallbackRefused(f"HTTP {exc.code}") from None
    except OSError as exc:
        raise CallbackRefused(str(exc)) from None


def deliver_callback(job_id: str) -> dict[str, Any]:
    """POST the job's final state to its ``callback_url``, signed, retried with exponential backoff.

    Runs as its own RQ job once the article job has ended (finished, failed or cancelled), so the
    body says the same as ``GET /v1/jobs/{id}`` would at that moment."""
    jobs = state().jobs
    settings = jobs.settings
    job = jobs.fetch(job_id)
    if job is None:
        return {"state": "expired"}
    record = dict(job.get_meta(refresh=True).get("callback") or {})
    body = json.dumps(jobs.describe(job, with_results=True), ensure_ascii=False).encode()
    headers = {
        "Content-Type": "application/json",
        "User-Agent": "claimcheck-callback",
        "X-Claimcheck-Job": job_id,
        SIGNATURE_HEADER: sign(body, settings.callback_secret),
    }

    def remember(**changes: Any) -> None:
        record.update(changes)
        job.meta["callback"] = record
        job.save_meta()

    attempts = 0
    try:
        for attempt in Retrying(
            stop=stop_after_attempt(settings.callback_attempts),
            wait=wait_exponential(multiplier=settings.callback_backoff_s, max=600),
            retry=retry_if_exception_type(CallbackRefused),
        ):
            with attempt:
                attempts = attempt.retry_state.attempt_number
                try:
                    status = _post(record["url"], body, headers)
                except CallbackRefused as exc:
                    remember(attempts=attempts, last_error=str(exc))
                    raise
                remember(state="delivered", attempts=attempts, last_status=status, last_error=None)
    except RetryError:
        remember(state="failed", attempts=attempts)
        log.warning("callback not delivered", extra={"job_id": job_id, "attempts": attempts})
    return record
