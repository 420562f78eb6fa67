"""Jobs on Redis with RQ: submitting, reading and cancelling them, shared by the web layer and the worker.

A job is one RQ job (``claimcheck.jobs.tasks.run_job``) whose articles' results are kept apart from it,
in one Redis hash per job (index → the ``/v1/verify/batch`` result item).  That hash is what makes
a job safe to retry: a worker that dies mid-job leaves the articles it finished in the hash, the
retry skips them, and a result is written with ``HSETNX``, so no article is ever answered twice.
The job's RQ status plus its ``meta`` (total, cancellation, the failure's message, the callback's
outcome) give the API's view, built here and nowhere else (:meth:`Jobs.describe`).
"""

from __future__ import annotations

import json
import re
import uuid
from datetime import UTC, datetime
from typing import Any

from redis import Redis
from rq import Queue, Retry
from rq.callbacks import Callback
from rq.exceptions import NoSuchJobError
from rq.job import Dependency, Job, JobStatus
from rq.serializers import JSONSerializer

from claimcheck.config import Settings

TERMINAL = ("finished", "failed", "cancelled")
_STATE = {
    JobStatus.CREATED: "queued",
    JobStatus.QUEUED: "queued",
    JobStatus.DEFERRED: "queued",
    JobStatus.SCHEDULED: "queued",
    JobStatus.RATE_LIMITED: "queued",
    JobStatus.READY_TO_ENQUEUE: "queued",
    JobStatus.STARTED: "running",
    JobStatus.FINISHED: "finished",
    JobStatus.FAILED: "failed",
    JobStatus.STOPPED: "failed",
    JobStatus.CANCELED: "cancelled",
}
JOB_ID = re.compile(r"[A-Za-z0-9_-]{1,100}")  # what RQ accepts as a job id
# seconds past the job budget before RQ's own timeout stops an attempt that ignored the budget check
HARD_STOP_GRACE_S = 60


def connect(settings: Settings) -> Redis:
    """Short connect timeout: a web request must answer 503 quickly when Redis is down, not hang."""
    return Redis.from_url(settings.redis_url, socket_connect_timeout=2, health_check_interval=30)


def _iso(when: datetime | None) -> str | None:
    if when is None:
        return None
    return (when if when.tzinfo else when.replace(tzinfo=UTC)).isoformat()


class Jobs:
    """The job store on one Redis connection (the web app keeps one; each worker process one)."""

    def __init__(self, settings: Settings, connection: Redis | None = None) -> None:
        self.settings = settings
        self.connection = connection if connection is not None else connect(settings)
        self.queue = Queue(settings.job_queue, connection=self.connection, serializer=JSONSerializer)
        self.callbacks = Queue(f"{settings.job_queue}-callbacks", connection=self.connection, serializer=JSONSerializer)

    # --- keys ---------------------------------------------------------------------------------
    @staticmethod
    def results_key(job_id: str) -> str:
        return f"claimcheck:job:{job_id}:results"

    # --- submit / read / cancel ---------------------------------------------------------------
    def submit(
        self,
        articles: list[dict],
        options: dict | None,
        callback_url: str | None,
        rejected: dict,
        owner: str | None = None,
    ) -> Job:
        """Enqueue one job; ``rejected`` (index → result item) holds articles that already failed validation;
        ``owner`` (an API key's id) is the only client that may read or cancel it."""
        total = len(articles)
        job_id = str(uuid.uuid4())
        if rejected:  # before the job can start, so its worker sees them as answered
            self.store_many(job_id, rejected)
        job = self.queue.enqueue(
            "claimcheck.jobs.tasks.run_job",
            job_id=job_id,
            kwargs={"articles": articles, "options": options or {}},
            job_timeout=int(self.settings.job_budget_s) + HARD_STOP_GRACE_S,
            result_ttl=self.settings.job_result_ttl_s,
            failure_ttl=self.settings.job_result_ttl_s,
            retry=Retry(max=self.settings.job_retries) if self.settings.job_retries else None,
            on_failure=Callback("claimcheck.jobs.tasks.record_failure"),
            meta={
                "total": total,
                "owner": owner,
                "callback": {"url": callback_url, "state": "pending"} if callback_url else None,
            },
        )
        if callback_url:
            self.callbacks.enqueue(
                "claimcheck.jobs.tasks.deliver_callback",
                job.id,
                depends_on=Dependency(jobs=[job], allow_failure=True),
                result_ttl=self.settings.job_result_ttl_s,
                failure_ttl=self.settings.job_result_ttl_s,
                job_timeout=int(self.settings.callback_backoff_s * 2**self.settings.callback_attempts) + 120,
            )
        return job

    def fetch(self, job_id: str) -> Job | None:
        """The job, or None for an unknown, expired or malformed id (a client's typo is a 404, not a 500)."""
        if not JOB_ID.fullmatch(job_id):
            return None
        try:
            job = Job.fetch(job_id, connection=self.connection, serializer=JSONSerializer)
        except NoSuchJobError:
            return None
        return job if job.func_name == "claimcheck.jobs.tasks.run_job" else None

    def cancel(self, job: Job, state: str) -> None:
        """Cancel a queued job at once; ask a running one to stop after its current article.

        ``state`` is the job's :meth:`state`, which the caller has read to refuse an ended job."""
        if state == "queued":
            job.cancel(enqueue_dependents=True)  # its callback, if any, still reports the cancellation
        elif state == "running":
            job.meta["cancel_requested"] = True
            job.save_meta()

    def cancel_requested(self, job: Job) -> bool:
        return bool(job.get_meta(refresh=True).get("cancel_requested"))

    def state(self, job: Job) -> str:
        status = job.get_status(refresh=True)
        meta = job.get_meta(refresh=True)
        if status == JobStatus.FINISHED and meta.get("cancelled"):
            return "cancelled"
        return _STATE.get(status, "queued")

    # --- per-article results --------------------------------------------------------------------
    def done(self, job_id: str) -> set[int]:
        return {int(i) for i in self.connection.hkeys(self.results_key(job_id))}

    def store(self, job_id: str, index: int, item: dict) -> bool:
        """Keep one article's result unless one is already kept (a retried job never answers twice)."""
        key = self.results_key(job_id)
        with self.connection.pipeline() as pipe:
            pipe.hsetnx(key, str(index), json.dumps(item, ensure_ascii=False))
            pipe.expire(key, self.settings.job_result_ttl_s + int(self.settings.job_budget_s))
            written, _ = pipe.execute()
        return bool(written)

    def store_many(self, job_id: str, items: dict[int, dict]) -> None:
        for index, item in items.items():
            self.store(job_id, index, item)

    def results(self, job_id: str) -> list[dict]:
        raw = self.connection.hgetall(self.results_key(job_id))
        return [json.loads(raw[k]) for k in sorted(raw, key=int)]

    # --- the API's view -----------------------------------------------------------------------
    def describe(self, job: Job, with_results: bool | None = None) -> dict[str, Any]:
        """What ``GET /v1/jobs/{id}`` answers (``JobSchema``) and what a callback carries.

        Results are included once the job has ended (``with_results`` forces either way)."""
        state = self.state(job)
        meta = job.get_meta(refresh=False)
        done = int(self.connection.hlen(self.results_key(job.id)))
        body: dict[str, Any] = {
            "id": job.id,
            "status": state,
            "progress": {"done": done, "total": int(meta.get("total", 0))},
            "created_at": _iso(job.created_at),
            "started_at": _iso(job.started_at),
            "ended_at": _iso(job.ended_at) if state in TERMINAL else None,
            "error": meta.get("error") if state == "failed" else None,
            "cancel_requested": bool(meta.get("cancel_requested")),
            "callback": meta.get("callback"),
        }
        if with_results if with_results is not None else state in TERMINAL:
            body["results"] = self.results(job.id)
        return body

    def counts(self) -> dict[str, int]:
        """Jobs by RQ registry, for the queue-depth metrics."""
        return {
            "queued": self.queue.count,
            "running": self.queue.started_job_registry.count,
            "deferred": self.queue.deferred_job_registry.count,
            "failed": self.queue.failed_job_registry.count,
            "callbacks_queued": self.callbacks.count,
        }
