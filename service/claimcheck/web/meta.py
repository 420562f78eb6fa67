"""Operational endpoints: liveness, readiness, and what model is answering."""

from __future__ import annotations

import dataclasses

from flask_smorest import Blueprint

from claimcheck.contract.errors import ErrorSchema
from claimcheck.contract.schemas import HealthSchema, ServiceInfoSchema
from claimcheck.web.context import runtime_or_503

blp = Blueprint("meta", __name__, description="Health and model information")


@blp.route("/healthz")
@blp.response(200, HealthSchema)
def healthz():
    """Alive: the process answers (no model needed)."""
    return {"status": "ok"}


@blp.route("/readyz")
@blp.response(200, HealthSchema)
@blp.alt_response(503, schema=ErrorSchema, description="model not loaded yet")
def readyz():
    """Ready: both models loaded, the inference recipe chosen, a warm-up inference done."""
    return {"status": "ready", "kernel": runtime_or_503().info.kernel}


@blp.route("/v1/model")
@blp.response(200, ServiceInfoSchema)
@blp.alt_response(503, schema=ErrorSchema, description="model not loaded yet")
def model_info():
    """Name, version, labels and card summary of the NLI model in use, and the request budget clients wait for."""
    runtime = runtime_or_503()
    return {"request_budget_s": runtime.settings.request_budget_s, **dataclasses.asdict(runtime.info)}
