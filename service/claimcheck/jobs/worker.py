"""``claimcheck worker``: an RQ worker that loads the models once and runs every job in its own process.

RQ's default worker forks a child per job, which would either reload the models for every job or
fork a process whose torch thread pools are already running; :class:`ClaimcheckWorker` is RQ's
``SimpleWorker`` (jobs run in the worker process itself) with a heartbeat thread, so a job of any
length keeps a short lease: when the worker dies (OOM-kill, node loss, ``kill -9``) its lease runs
out within ``CLAIMCHECK_JOB_LEASE_S`` and the next worker's maintenance retries the job, which
resumes after the articles already answered.  SIGTERM is a warm shutdown: the current job ends first,
within ``CLAIMCHECK_WORKER_STOP_GRACE_S`` whatever Redis does (down, or not answering); past it the worker
exits anyway and the job it leaves is retried the same way, after its lease.
"""

from __future__ import annotations

import logging
import os
import sys
import threading
from types import FrameType
from typing import Any

from rq import SimpleWorker
from rq.job import Job
from rq.queue import Queue
from rq.serializers import JSONSerializer

from claimcheck.config import Settings
from claimcheck.jobs import metrics
from claimcheck.jobs.store import Jobs
from claimcheck.jobs.tasks import WorkerState, attach
from claimcheck.runtime import rss_mib

log = logging.getLogger("claimcheck.jobs")


class ClaimcheckWorker(SimpleWorker):
    lease_s = 30
    max_rss_mib = 0
    stop_grace_s = 100.0
    _stop_deadline: threading.Timer | None = None

    def request_stop(self, signum: int, frame: FrameType | None) -> None:
        """SIGTERM (or SIGINT): RQ's warm shutdown, with a deadline.  RQ waits for the job, then for Redis
        to record its end and the worker's; a Redis that is down or does not answer would hold it there
        for ever.  Past ``stop_grace_s`` the process exits: the job it leaves keeps its articles' results
        and is retried once its lease runs out, as when a worker is killed."""
        if self._stop_deadline is None:
            self._stop_deadline = threading.Timer(self.stop_grace_s, self._exit_now)
            self._stop_deadline.daemon = True
            self._stop_deadline.start()
        super().request_stop(signum, frame)

    def _exit_now(self) -> None:
        log.error(
            "warm shutdown still not done after CLAIMCHECK_WORKER_STOP_GRACE_S=%g s (the job, or Redis): exiting; "
            "the job is retried after its lease (CLAIMCHECK_JOB_LEASE_S)",
            self.stop_grace_s,
        )
        logging.shutdown()
        sys.stderr.flush()
        os._exit(1)  # not SystemExit: the main thread may be blocked on Redis, and its clean-up would be too

    def work(self, *args: Any, **kwargs: Any) -> bool:
        try:
            return super().work(*args, **kwargs)
        finally:
            if self._stop_deadline is not None:  # ended in time (a worker in a test process must not exit it later)
                self._stop_deadline.cancel()

    def get_heartbeat_ttl(self, job: Job, working_time: float = 0.0) -> int:
        return self.lease_s

    def execute_job(self, job: Job, queue: Queue) -> None:
        stop = threading.Event()

        def beat() -> None:
            while not stop.wait(max(1.0, self.lease_s / 3)):
                execution = self.execution
                if execution is None:
                    continue
                try:
                    self.maintain_heartbeats(job, execution)
                except Exception:  # a missed beat only shortens the lease; the next one may succeed
                    log.warning("job heartbeat failed", extra={"job_id": job.id}, exc_info=True)

        thread = threading.Thread(target=beat, name="claimcheck-heartbeat", daemon=True)
        thread.start()
        try:
            super().execute_job(job, queue)
        finally:
            stop.set()
            thread.join()
        if self.max_rss_mib and rss_mib() > self.max_rss_mib:
            # the same guard as the web workers': exit after this job, the orchestrator starts a fresh one
            log.warning("worker RSS over CLAIMCHECK_MAX_WORKER_RSS_MIB: stopping after this job")
            self._stop_requested = True


def make_worker(settings: Settings, jobs: Jobs, **kwargs: Any) -> ClaimcheckWorker:
    """Callbacks first, so a finished job's notice never waits behind the next archive."""
    worker = ClaimcheckWorker(
        [jobs.callbacks, jobs.queue],
        connection=jobs.connection,
        serializer=JSONSerializer,
        worker_ttl=settings.job_lease_s + 15,  # idle workers wake every lease to run maintenance
        maintenance_interval=settings.job_lease_s,
        **kwargs,
    )
    worker.lease_s = settings.job_lease_s
    worker.max_rss_mib = settings.max_worker_rss_mib
    worker.stop_grace_s = settings.worker_stop_grace_s
    return worker


def run(settings: Settings, burst: bool = False) -> int:
    """Load the models, then take jobs until SIGTERM (or, with ``burst``, until the queues are empty)."""
    from redis.exceptions import RedisError

    from claimcheck.runtime import Runtime

    jobs = Jobs(settings)
    try:
        jobs.connection.ping()
    except RedisError as exc:
        raise SystemExit(f"claimcheck worker: cannot reach Redis at CLAIMCHECK_REDIS_URL: {exc}") from None
    state = WorkerState(Runtime.load(settings), jobs)
    if settings.worker_metrics_port:
        metrics.serve_worker_metrics(settings.worker_metrics_port, state, settings.worker_metrics_bind)
    attach(state)
    make_worker(settings, jobs).work(burst=burst, logging_level=settings.log_level.upper())
    return 0
