"""The API's JSON for a verified article, built in one place for the views, the CLI and the tools.

The shape itself is defined by the marshmallow schemas (``web/schemas.py``); this module only maps a
pipeline result onto them, so ``claimcheck verify --format json`` prints exactly what
``POST /v1/verify`` answers.
"""

from __future__ import annotations

from typing import Any

from claimcheck.pipeline import ArticleTooLarge
from claimcheck.pipeline.types import ArticleResult


def article_payload(result: ArticleResult) -> dict[str, Any]:
    """What ``ArticleResultSchema`` dumps: claims, contradiction pairs, stats, and the title's verdict."""
    payload: dict[str, Any] = {
        "claims": result.verdicts,
        "contradictions": result.contradictions,
        "title": result.title,
        "stats": {"sentences": len(result.sentences), "claims": len(result.verdicts), "nli_pairs": result.nli_pairs},
    }
    return payload


def result_to_json(result: ArticleResult) -> dict[str, Any]:
    """One article's result as JSON-ready data (the API's ``ArticleResultSchema``)."""
    from claimcheck.web.schemas import ArticleResultSchema

    return ArticleResultSchema().dump(article_payload(result))


def response_to_json(result: ArticleResult, model: Any, timing_ms: float) -> dict[str, Any]:
    """The whole ``POST /v1/verify`` response body."""
    from claimcheck.web.schemas import VerifyResponseSchema

    return VerifyResponseSchema().dump({**article_payload(result), "model": model, "timing_ms": timing_ms})


def rejected_item(index: int | None, article_id: str | None, problems: list[str]) -> dict[str, Any]:
    """The item of an article that broke a text rule (422 ``validation_error``, the rules' messages)."""
    from claimcheck.web.errors import error_body

    return {
        "index": index,
        "id": article_id,
        "ok": False,
        "error": error_body(422, problems[0], {"text": problems})["error"],
    }


def batch_item(index: int | None, article_id: str | None, outcome: ArticleResult | ArticleTooLarge) -> dict[str, Any]:
    """One article of a batch or a job (``BatchResultSchema``): its result, or its error alone."""
    from claimcheck.web.errors import error_body

    item: dict[str, Any] = {"index": index, "id": article_id, "ok": not isinstance(outcome, ArticleTooLarge)}
    if isinstance(outcome, ArticleTooLarge):
        item["error"] = error_body(422, str(outcome), {outcome.field: [str(outcome)]})["error"]
    else:
        item["result"] = article_payload(outcome)
    return item


def batch_item_to_json(
    index: int | None, article_id: str | None, outcome: ArticleResult | ArticleTooLarge
) -> dict[str, Any]:
    """:func:`batch_item` as JSON-ready data: what a job stores and ``claimcheck batch`` writes."""
    from claimcheck.web.schemas import BatchResultSchema

    return BatchResultSchema().dump(batch_item(index, article_id, outcome))
