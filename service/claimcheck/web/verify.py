"""``POST /v1/verify`` and ``POST /v1/verify/batch``."""

from __future__ import annotations

import logging
import time

from flask import request
from flask.views import MethodView
from flask_smorest import Blueprint, abort

from claimcheck.contract.errors import ErrorSchema
from claimcheck.contract.payload import batch_item, rejected_item
from claimcheck.contract.schemas import (
    Answer,
    BatchRequestSchema,
    BatchResponseSchema,
    VerifyRequestSchema,
    VerifyResponseSchema,
    text_problems,
)
from claimcheck.pipeline import ArticleTooLarge, BudgetExceeded, Deadline
from claimcheck.web import context
from claimcheck.web.context import runtime_or_503

log = logging.getLogger("claimcheck.web")
blp = Blueprint("verify", __name__, url_prefix="/v1", description="Verify the claims of news articles")


ERRORS = {
    400: "body is not valid JSON",
    401: "API keys are configured and none (or a wrong one) was sent",
    413: "body larger than CLAIMCHECK_MAX_BODY_BYTES",
    415: "body is not JSON",
    429: "rate limit reached (CLAIMCHECK_RATE_LIMIT); see Retry-After",
    503: "model not loaded yet",
    504: "verification ran past CLAIMCHECK_REQUEST_BUDGET_S",
}


def common_errors(view):
    """The error responses every verify endpoint can give, for the OpenAPI spec (422 comes from the schema)."""
    for status, description in ERRORS.items():
        view = blp.alt_response(status, schema=ErrorSchema, description=description)(view)
    return view


def _deadline(runtime) -> Deadline:
    return Deadline(runtime.settings.request_budget_s, started=context.budget_started())


def _over_budget(exc: BudgetExceeded):
    abort(
        504,
        message=f"{exc}; send a shorter article or raise CLAIMCHECK_REQUEST_BUDGET_S",
        errors={"budget_s": [str(exc.budget_s)]},
    )


@blp.before_request
def require_json():
    """415 for a body that is not JSON, before webargs would report it as missing fields."""
    if request.method == "POST" and not request.is_json:
        abort(415, message="send the article as JSON with Content-Type: application/json")


def rejected_items(articles: list[dict]) -> dict[int, dict]:
    """Result items (index → item) for articles that break a text rule: each fails alone, at once."""
    rejected = {}
    for i, article in enumerate(articles):
        problems = text_problems(article["text"])
        if problems:
            rejected[i] = rejected_item(i, article.get("id"), problems)
    return rejected


def _observe(results: list) -> None:
    observer = context.metrics()
    if observer is not None:
        observer.observe(results)


@blp.route("/verify")
class Verify(MethodView):
    @blp.arguments(VerifyRequestSchema)
    @blp.response(200, VerifyResponseSchema)
    @common_errors
    def post(self, body: dict):
        """Label every claim of one article as confirmed, denied or unverified against the rest of it."""
        started = time.perf_counter()
        runtime = runtime_or_503()
        try:
            result = runtime.verifier.verify(
                body["text"],
                runtime.verifier.options.overridden(body.get("options")),
                deadline=_deadline(runtime),
                title=body.get("title"),
            )
        except ArticleTooLarge as exc:
            abort(422, message=str(exc), errors={exc.field: [str(exc)]})
        except BudgetExceeded as exc:
            _over_budget(exc)
        _observe([result])
        answer = Answer(result, runtime.info, round((time.perf_counter() - started) * 1000, 1))
        log.info(
            "verified", extra={"claims": len(result.verdicts), "nli_pairs": result.nli_pairs, "ms": answer.timing_ms}
        )
        return answer


@blp.route("/verify/batch")
class VerifyBatch(MethodView):
    @blp.arguments(BatchRequestSchema)
    @blp.response(200, BatchResponseSchema)
    @common_errors
    def post(self, body: dict):
        """Verify several articles with their NLI pairs batched together; a bad article fails alone."""
        started = time.perf_counter()
        runtime = runtime_or_503()
        articles = body["articles"]
        options = runtime.verifier.options.overridden(body.get("options"))
        rejected = rejected_items(articles)
        results: list[dict] = [rejected.get(i, {}) for i in range(len(articles))]
        good = [i for i in range(len(articles)) if i not in rejected]
        try:
            verified = runtime.verifier.verify_many(
                [articles[i]["text"] for i in good],
                options,
                return_exceptions=True,
                deadline=_deadline(runtime),
                titles=[articles[i].get("title") for i in good],
            )
        except BudgetExceeded as exc:
            _over_budget(exc)
        _observe([o for o in verified if not isinstance(o, ArticleTooLarge)])
        for i, outcome in zip(good, verified):
            results[i] = batch_item(i, articles[i].get("id"), outcome)
        return {
            "results": results,
            "model": runtime.info,
            "timing_ms": round((time.perf_counter() - started) * 1000, 1),
        }
