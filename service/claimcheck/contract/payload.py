"""A verified article as the contract's JSON, for the web layer, the jobs worker, the CLI and the tools.

The shape is the schemas' (``contract/schemas.py``), which dump the pipeline's ``ArticleResult``
itself; this module only adds the item of a batch or job (its result, or its error alone), so
``claimcheck verify --format json`` and ``claimcheck batch`` print exactly what the API answers.
"""

from __future__ import annotations

from typing import Any

from claimcheck.contract.errors import error_body
from claimcheck.contract.schemas import Answer, ArticleResultSchema, BatchResultSchema, VerifyResponseSchema
from claimcheck.pipeline import ArticleTooLarge
from claimcheck.pipeline.types import ArticleResult


def result_to_json(result: ArticleResult) -> dict[str, Any]:
    """One article's result as JSON-ready data (the API's ``ArticleResultSchema``)."""
    return ArticleResultSchema().dump(result)


def response_to_json(result: ArticleResult, model: Any, timing_ms: float) -> dict[str, Any]:
    """The whole ``POST /v1/verify`` response body."""
    return VerifyResponseSchema().dump(Answer(result, model, timing_ms))


def rejected_item(index: int | None, article_id: str | None, problems: list[str]) -> dict[str, Any]:
    """The item of an article that broke a text rule (422 ``validation_error``, the rules' messages)."""
    return {
        "index": index,
        "id": article_id,
        "ok": False,
        "error": error_body(422, problems[0], {"text": problems})["error"],
    }


def batch_item(index: int | None, article_id: str | None, outcome: ArticleResult | ArticleTooLarge) -> dict[str, Any]:
    """One article of a batch or a job (``BatchResultSchema`` dumps it): its result, or its error alone."""
    item: dict[str, Any] = {"index": index, "id": article_id, "ok": not isinstance(outcome, ArticleTooLarge)}
    if isinstance(outcome, ArticleTooLarge):
        item["error"] = error_body(422, str(outcome), {outcome.field: [str(outcome)]})["error"]
    else:
        item["result"] = outcome
    return item


def batch_item_to_json(
    index: int | None, article_id: str | None, outcome: ArticleResult | ArticleTooLarge
) -> dict[str, Any]:
    """:func:`batch_item` as JSON-ready data: what a job stores and ``claimcheck batch`` writes."""
    return BatchResultSchema().dump(batch_item(index, article_id, outcome))
