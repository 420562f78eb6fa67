"""One error body for every failure: ``{"error": {"code", "message", "details"}}``.

``code`` is a stable machine-readable slug (``validation_error``, ``payload_too_large``, …),
``message`` a sentence for humans, ``details`` per-field messages where there are some.  It is part of
the contract: the web layer answers with it, and a batch or job item that failed carries it too.
"""

from __future__ import annotations

import marshmallow as ma

CODES = {
    400: "bad_request",
    401: "unauthorized",
    404: "not_found",
    405: "method_not_allowed",
    409: "conflict",
    413: "payload_too_large",
    415: "unsupported_media_type",
    422: "validation_error",
    429: "rate_limited",
    500: "internal_error",
    503: "not_ready",
    504: "timeout",
}


class ErrorDetailSchema(ma.Schema):
    code = ma.fields.String(
        required=True, metadata={"description": "stable machine-readable error code", "example": "validation_error"}
    )
    message = ma.fields.String(required=True, metadata={"description": "what was wrong, for humans"})
    details = ma.fields.Dict(metadata={"description": "per-field messages, when the request body was invalid"})


class ErrorSchema(ma.Schema):
    error = ma.fields.Nested(ErrorDetailSchema, required=True)


def error_body(status: int, message: str, details: dict | None = None, code: str | None = None) -> dict:
    body: dict[str, object] = {"code": code or CODES.get(status, "error"), "message": message}
    if details:
        body["details"] = details
    return {"error": body}
