"""Request ids and the access log: every response carries ``X-Request-ID``, every request one log line.

An incoming ``X-Request-ID`` (from a proxy or the calling service) is kept when it is a plain token,
so one id follows a request across services; otherwise a new one is made.  The access line holds
method, path, status, duration and the caller's key id, never the body.
"""

from __future__ import annotations

import logging
import re
import time
import uuid

from flask import Flask, Response, g, request

log = logging.getLogger("claimcheck.access")
HEADER = "X-Request-ID"
_VALID_ID = re.compile(r"^[A-Za-z0-9._:-]{1,128}$")


def _start() -> None:
    given = request.headers.get(HEADER, "")
    g.request_id = given if _VALID_ID.match(given) else uuid.uuid4().hex
    g.started = time.perf_counter()


def _finish(response: Response) -> Response:
    response.headers[HEADER] = g.get("request_id", "-")
    ms = round((time.perf_counter() - g.get("started", time.perf_counter())) * 1000, 1)
    log.info(
        "request",
        extra={
            "method": request.method,
            "path": request.path,
            "status": response.status_code,
            "ms": ms,
            "client": g.get("client_id", "-"),
            "bytes_in": request.content_length or 0,
        },
    )
    return response


def init_app(app: Flask) -> None:
    app.before_request(_start)
    app.after_request(_finish)
