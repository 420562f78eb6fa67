"""``POST /v1/jobs``, ``GET /v1/jobs/{id}``, ``DELETE /v1/jobs/{id}``: long articles and big batches, queued.

The web process only talks to Redis (no model needed): a job is accepted in milliseconds with 202
and ``Location``, and ``claimcheck worker`` processes verify it.  When Redis cannot be reached the
answer is 503 with the JSON error body, and nothing was accepted.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from functools import wraps
from typing import Any

from flask import g, url_for
from flask.views import MethodView
from flask_smorest import Blueprint, abort
from redis.exceptions import RedisError

from claimcheck.contract.errors import ErrorSchema
from claimcheck.contract.schemas import JobRequestSchema, JobSchema
from claimcheck.jobs.store import TERMINAL
from claimcheck.web import context
from claimcheck.web.verify import ERRORS, rejected_items, require_json

log = logging.getLogger("claimcheck.web")
blp = Blueprint("jobs", __name__, url_prefix="/v1", description="Asynchronous jobs: many or long articles")
blp.before_request(require_json)


def queue_errors(view: Callable[..., Any]) -> Callable[..., Any]:
    """Redis down → 503 ``queue_unavailable``; the request was not accepted, so the client retries."""

    @wraps(view)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return view(*args, **kwargs)
        except RedisError as exc:
            log.error("queue unavailable", extra={"error": str(exc)})
            abort(
                503,
                message="the job queue (Redis) is unavailable; nothing was accepted, retry shortly",
                code="queue_unavailable",
                headers={"Retry-After": "5"},
            )

    return wrapper


def _owner() -> str | None:
    """With API keys configured, a job belongs to the key that created it (the id access.py derives)."""
    client = g.get("client_id", "")
    return client if client.startswith("key:") else None


def job_or_404(job_id: str):
    """The job, if it exists and the caller may see it: another key's job is as unknown as a missing one."""
    job = context.jobs().fetch(job_id)
    if job is None or job.get_meta(refresh=False).get("owner") not in (None, _owner()):
        abort(404, message=f"no job {job_id!r}: unknown, or its results expired (CLAIMCHECK_JOB_RESULT_TTL_S)")
    return job


@blp.route("/jobs")
class JobList(MethodView):
    @blp.arguments(JobRequestSchema)
    @blp.response(202, JobSchema, headers={"Location": {"description": "the job's URL", "schema": {"type": "string"}}})
    @blp.alt_response(503, schema=ErrorSchema, description="job queue (Redis) unavailable; nothing accepted")
    @blp.alt_response(401, schema=ErrorSchema, description=ERRORS[401])
    @blp.alt_response(413, schema=ErrorSchema, description=ERRORS[413])
    @blp.alt_response(415, schema=ErrorSchema, description=ERRORS[415])
    @blp.alt_response(429, schema=ErrorSchema, description=ERRORS[429])
    @queue_errors
    def post(self, body: dict):
        """Queue one article (`text`) or many (`articles`); poll the `Location`, or pass a `callback_url`."""
        if "text" in body:
            articles = [{"text": body["text"], **({"title": body["title"]} if "title" in body else {})}]
        else:
            articles = body["articles"]
        rejected = rejected_items(articles) if "articles" in body else {}
        jobs = context.jobs()
        job = jobs.submit(articles, body.get("options"), body.get("callback_url"), rejected, owner=_owner())
        log.info("job accepted", extra={"job_id": job.id, "articles": len(articles)})
        return jobs.describe(job), 202, {"Location": url_for("jobs.Job", job_id=job.id)}


@blp.route("/jobs/<job_id>")
class Job(MethodView):
    @blp.response(200, JobSchema)
    @blp.alt_response(404, schema=ErrorSchema, description="unknown job, or its results expired")
    @blp.alt_response(503, schema=ErrorSchema, description="job queue (Redis) unavailable")
    @queue_errors
    def get(self, job_id: str):
        """Status, progress, and once it has ended the results (or per-article errors) and any failure."""
        return context.jobs().describe(job_or_404(job_id))

    @blp.response(202, JobSchema)
    @blp.alt_response(404, schema=ErrorSchema, description="unknown job, or its results expired")
    @blp.alt_response(409, schema=ErrorSchema, description="the job has already ended")
    @blp.alt_response(503, schema=ErrorSchema, description="job queue (Redis) unavailable")
    @queue_errors
    def delete(self, job_id: str):
        """Cancel: a queued job at once, a running one after its current article (its results so far are kept)."""
        jobs = context.jobs()
        job = job_or_404(job_id)
        state = jobs.state(job)
        if state in TERMINAL:
            abort(409, message=f"job {job_id} has already ended ({state})")
        jobs.cancel(job, state)
        return jobs.describe(job)
