"""The app's own state (settings, runtime, job store, metrics, rate limiter) and each request's budget
clock, set and read here only.

Flask keeps extension state in ``app.extensions`` by string key; this module owns the keys, so views,
schemas and hooks ask for what they need by name and type instead of repeating strings, and no
blueprint imports another for a helper (``runtime_or_503`` lives here).
"""

from __future__ import annotations

import time
from typing import TYPE_CHECKING, Any

from flask import Flask, current_app, g
from flask_smorest import abort

from claimcheck.contract.schemas import SETTINGS_KEY, settings_in_force

if TYPE_CHECKING:
    from claimcheck.config import Settings
    from claimcheck.jobs.store import Jobs
    from claimcheck.runtime import Runtime
    from claimcheck.web.metrics import ServiceMetrics

SETTINGS = SETTINGS_KEY  # the contract's validation reads the configured limits there
RUNTIME, JOBS, METRICS, LIMITER = (
    "claimcheck",
    "claimcheck_jobs",
    "claimcheck_metrics",
    "claimcheck_limiter",
)


def put(app: Flask, key: str, value: Any) -> None:
    app.extensions[key] = value


def settings() -> Settings:
    return settings_in_force()


def runtime(app: Flask | None = None) -> Runtime | None:
    """The loaded models and pipeline, or None while they load (or with ``LOAD_MODELS=False``)."""
    return (app or current_app).extensions.get(RUNTIME)


def runtime_or_503() -> Runtime:
    found = runtime()
    if found is None or not found.ready:
        abort(503, message="the model is not loaded yet; retry shortly", headers={"Retry-After": "5"})
    assert found is not None
    return found


def jobs() -> Jobs:
    """The job store, connected on first use (a server without Redis serves /v1/verify all the same)."""
    from claimcheck.jobs.store import Jobs

    store = current_app.extensions.get(JOBS)
    if store is None:
        store = current_app.extensions[JOBS] = Jobs(settings())
    return store


def metrics() -> ServiceMetrics | None:
    return current_app.extensions.get(METRICS)


def _start_budget_clock() -> None:
    g.budget_started = time.monotonic()


def budget_started() -> float:
    """When this request's ``CLAIMCHECK_REQUEST_BUDGET_S`` began: as it arrived, before any other hook ran."""
    return g.get("budget_started", time.monotonic())


def init_app(app: Flask) -> None:
    """Starts each request's budget clock; registered first, so the checks before the view count too."""
    app.before_request(_start_budget_clock)
