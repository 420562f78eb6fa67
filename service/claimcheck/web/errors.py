"""One error body for every failure: ``{"error": {"code", "message", "details"}}``.

``code`` is a stable machine-readable slug (``validation_error``, ``payload_too_large``, …),
``message`` a sentence for humans, ``details`` per-field messages where there are some.  The
handler is flask-smorest's own hook, so the same schema documents errors in the OpenAPI spec;
it also catches what Flask raises outside our views (404, 405, 413) and unhandled exceptions
(500, logged with a traceback, never leaked to the client).
"""

from __future__ import annotations

import logging

import marshmallow as ma
from flask import current_app
from flask_smorest import Api
from werkzeug.exceptions import HTTPException, InternalServerError

log = logging.getLogger("claimcheck.web")

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


class ClaimcheckApi(Api):
    """flask-smorest ``Api`` whose error payload is claimcheck's error body."""

    ERROR_SCHEMA = ErrorSchema

    def handle_http_exception(self, error: HTTPException):
        data = getattr(error, "data", None) or {}
        details = data.get("errors") or data.get("messages")
        body_problems: list[str] = []
        if isinstance(details, dict) and details and set(details) <= {"json", "query", "headers", "form", "files"}:
            # webargs nests messages under the location; clients care about the fields.  A list
            # there (["Invalid JSON body."]) is about the body as a whole.
            flat: dict = {}
            for loc in details.values():
                if isinstance(loc, dict):
                    flat.update(loc)
                else:
                    body_problems += [str(m) for m in loc]
            details = flat
        if isinstance(error, InternalServerError):
            original = getattr(error, "original_exception", None)
            if original is not None:
                log.error("unhandled error", exc_info=original)
            message = "internal error; the request was not processed"
        elif error.code == 413 and not data.get("message") and current_app.config.get("MAX_CONTENT_LENGTH"):
            # werkzeug's own text names neither the limit nor the setting that raises it
            limit = current_app.config["MAX_CONTENT_LENGTH"]
            message = f"the request body is larger than {limit} bytes, the limit set by CLAIMCHECK_MAX_BODY_BYTES"
        else:
            message = data.get("message") or "; ".join(body_problems) or error.description or error.name
            if error.code == 422 and details and "message" not in data:
                message = "the request body failed validation"
        return error_body(error.code or 500, message, details, data.get("code")), error.code, data.get("headers", {})
