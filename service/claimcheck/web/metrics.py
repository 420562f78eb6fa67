"""Prometheus metrics at ``/metrics``: HTTP traffic by endpoint and status, plus the pipeline's work.

prometheus-flask-exporter records request counts and latency (``claimcheck_http_request_*``,
labelled by method, endpoint and status).  claimcheck adds what an operator sizes by:

* ``claimcheck_claims_per_article`` and ``claimcheck_nli_pairs_per_request`` (histograms),
* ``claimcheck_nli_batch_size`` (histogram, one observation per forward pass),
* ``claimcheck_model_load_seconds`` (gauge, per worker; max across workers),
* ``claimcheck_inference_recipe{recipe, requested, cpu_capability}`` (gauge, 1): the recipe the
  workers run and what asked for it (``auto``: picked by the probe at load),
* ``claimcheck_memo_lookups_total{kind, result}`` (counter): NLI results and embeddings found in
  the per-worker memo (``hit``) or computed (``miss``).

Under gunicorn every worker is its own process, so ``gunicorn.conf.py`` points
``PROMETHEUS_MULTIPROC_DIR`` at a fresh directory, and ``/metrics`` (served by any worker)
aggregates all of them, with dead workers marked on exit.  Without that variable (tests, the
Flask dev server) each app gets its own registry.
"""

from __future__ import annotations

import os

from flask import Flask
from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram
from prometheus_flask_exporter import PrometheusMetrics
from prometheus_flask_exporter.multiprocess import GunicornInternalPrometheusMetrics

from claimcheck.pipeline import ArticleResult
from claimcheck.web import context, paths


class ServiceMetrics:
    def __init__(self, registry: CollectorRegistry | None) -> None:
        kwargs = {"registry": registry} if registry is not None else {"registry": None}
        self.claims = Histogram(
            "claimcheck_claims_per_article",
            "Claims found in one article",
            buckets=(0, 1, 2, 5, 10, 20, 50, 100, 200, 400),
            **kwargs,
        )
        self.pairs = Histogram(
            "claimcheck_nli_pairs_per_request",
            "NLI pairs scored for one request",
            buckets=(0, 5, 10, 25, 50, 100, 200, 500, 1000, 2000),
            **kwargs,
        )
        self.batch = Histogram(
            "claimcheck_nli_batch_size", "Pairs per NLI forward pass", buckets=(1, 2, 4, 8, 16, 32, 64, 128), **kwargs
        )
        self.load_seconds = Gauge(
            "claimcheck_model_load_seconds", "Time to load both models and warm up", multiprocess_mode="max", **kwargs
        )
        self.memo = Counter("claimcheck_memo_lookups", "Memo lookups of model outputs", ["kind", "result"], **kwargs)
        self.kernel = Gauge(
            "claimcheck_inference_recipe",
            "1 for the inference recipe each worker runs (CLAIMCHECK_QUANTIZE, auto's pick) on this CPU",
            ["recipe", "requested", "cpu_capability"],
            multiprocess_mode="max",
            **kwargs,
        )

    def memo_observer(self, kind: str):
        def observe(hits: int, misses: int) -> None:
            self.memo.labels(kind, "hit").inc(hits)
            self.memo.labels(kind, "miss").inc(misses)

        return observe

    def observe(self, results: list[ArticleResult]) -> None:
        for result in results:
            self.claims.observe(len(result.verdicts))
        self.pairs.observe(sum(r.nli_pairs for r in results))


def init_app(app: Flask) -> ServiceMetrics:
    common = {"defaults_prefix": "claimcheck", "group_by": "endpoint", "excluded_paths": list(paths.OPERATIONAL)}
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        exporter = GunicornInternalPrometheusMetrics(app, **common)
        service = ServiceMetrics(registry=None)  # values go to the shared directory; the collector reads them
    else:
        registry = CollectorRegistry()
        exporter = PrometheusMetrics(app, registry=registry, **common)
        service = ServiceMetrics(registry)
    exporter.info("claimcheck_info", "claimcheck version", version=app.config.get("API_VERSION", ""))
    runtime = context.runtime(app)
    if runtime is not None:
        service.load_seconds.set(runtime.load_seconds)
        kernel = runtime.info.kernel
        service.kernel.labels(kernel.recipe, kernel.requested, kernel.cpu_capability).set(1)
        runtime.observe(batch=service.batch.observe, memo=service.memo_observer)
    context.put(app, context.METRICS, service)
    return service
