"""The worker's ``/metrics`` (``CLAIMCHECK_WORKER_METRICS_PORT``): queue depth, job durations, failures.

It listens on ``CLAIMCHECK_WORKER_METRICS_BIND``, loopback by default: a deployment whose Prometheus
(or kubelet probe) scrapes it from outside the container sets ``0.0.0.0`` (deploy/k8s/worker.yaml).

Queue depth is read from Redis at scrape time, so any one worker's endpoint reports the whole queue
(what an autoscaler reads); durations and outcomes are this worker's own.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING
from wsgiref.simple_server import WSGIServer

from prometheus_client import CollectorRegistry, Counter, Histogram, start_http_server
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.registry import Collector
from redis.exceptions import RedisError

from claimcheck.jobs.store import Jobs

if TYPE_CHECKING:
    from claimcheck.jobs.tasks import WorkerState


class QueueCollector(Collector):
    def __init__(self, jobs: Jobs) -> None:
        self.jobs = jobs

    def collect(self) -> Iterator[GaugeMetricFamily]:
        up = GaugeMetricFamily("claimcheck_queue_up", "1 when Redis answered this scrape")
        depth = GaugeMetricFamily("claimcheck_jobs", "Jobs by state, from the queue's registries", labels=["state"])
        try:
            counts = self.jobs.counts()
        except RedisError:
            up.add_metric([], 0)
            yield up
            return
        up.add_metric([], 1)
        for state, n in counts.items():
            depth.add_metric([state], n)
        yield up
        yield depth


def serve_worker_metrics(port: int, state: WorkerState, addr: str) -> tuple[CollectorRegistry, WSGIServer]:
    """Serve ``/metrics`` on ``addr:port`` in a daemon thread; returns the registry and the server."""
    registry = CollectorRegistry()
    seconds = Histogram(
        "claimcheck_job_seconds",
        "Wall time of one job attempt, by outcome",
        ["outcome"],
        buckets=(1, 5, 15, 60, 300, 900, 1800, 3600, 7200),
        registry=registry,
    )
    jobs_total = Counter("claimcheck_job_attempts", "Job attempts ended, by outcome", ["outcome"], registry=registry)
    articles = Counter("claimcheck_job_articles", "Articles verified by this worker's jobs", registry=registry)
    registry.register(QueueCollector(state.jobs))

    def job_ended(elapsed: float, outcome: str) -> None:
        seconds.labels(outcome).observe(elapsed)
        jobs_total.labels(outcome).inc()

    state.on_article.append(articles.inc)
    state.on_job_end.append(job_ended)
    server, _ = start_http_server(port, addr=addr, registry=registry)
    return registry, server
