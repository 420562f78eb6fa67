"""Every failure answered with the contract's one error body (``claimcheck.contract.errors``).

The handler is flask-smorest's own hook, so the same schema documents errors in the OpenAPI spec;
it also catches what Flask raises outside our views (404, 405, 413) and unhandled exceptions
(500, logged with a traceback, never leaked to the client).
"""

from __future__ import annotations

import logging

from flask import current_app
from flask_smorest import Api
from werkzeug.exceptions import HTTPException, InternalServerError

from claimcheck.contract.errors import ErrorSchema, error_body

log = logging.getLogger("claimcheck.web")


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
