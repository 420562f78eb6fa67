"""The API's JSON for a verified article, built in one place for the views, the CLI and the tools.

The shape itself is defined by the marshmallow schemas (``web/schemas.py``); this module only maps a
pipeline result onto them, so ``claimcheck verify --format json`` prints exactly what
``POST /v1/verify`` answers.
"""

from __future__ import annotations

from typing import Any

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
