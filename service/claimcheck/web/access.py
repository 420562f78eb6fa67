"""Optional API keys and per-key rate limits; both off by default.

Keys (``CLAIMCHECK_API_KEYS``) arrive as ``X-API-Key: <key>`` or ``Authorization: Bearer <key>``
and are compared in constant time against every configured key.  A key is never logged: logs and
rate-limit buckets use its id, the first 12 hex digits of its SHA-256.  Rate limits
(``CLAIMCHECK_RATE_LIMIT``) come from flask-limiter, keyed by that id (or by client address when no
keys are configured); ``memory://`` storage counts per worker, a shared ``redis://`` counts per
deployment.  Health, readiness, metrics and the API docs are never limited nor locked.
"""

from __future__ import annotations

import hashlib
import hmac

from flask import Flask, g, request
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_smorest import abort

from claimcheck.config import Settings
from claimcheck.web import context, paths


def key_id(key: str) -> str:
    return hashlib.sha256(key.encode("utf-8", "surrogatepass")).hexdigest()[:12]


def _presented_key() -> str:
    key = request.headers.get("X-API-Key", "")
    auth = request.headers.get("Authorization", "")
    if not key and auth[:7].lower() == "bearer ":
        key = auth[7:].strip()
    return key


def _is_open() -> bool:
    return request.method == "OPTIONS" or request.path.startswith(paths.OPEN)


def init_app(app: Flask, settings: Settings) -> None:
    keys = [k.encode() for k in settings.api_key_list]

    @app.before_request
    def require_api_key() -> None:
        g.client_id = get_remote_address() or "-"
        if not keys or _is_open():
            return
        presented = _presented_key().encode("utf-8", "surrogatepass")
        # compare against every key, without stopping early, so timing says nothing about which matched
        matches = [hmac.compare_digest(presented, k) for k in keys]
        if not presented or not any(matches):
            abort(
                401,
                message="a valid API key is required (X-API-Key header or Authorization: Bearer)",
                headers={"WWW-Authenticate": 'Bearer realm="claimcheck"'},
            )
        g.client_id = "key:" + key_id(presented.decode("utf-8", "surrogatepass"))

    limiter = Limiter(
        key_func=lambda: g.get("client_id") or get_remote_address(),
        app=app,
        # one bucket per key across all endpoints (default_limits would count per route)
        application_limits=[settings.rate_limit] if settings.rate_limit else [],
        application_limits_exempt_when=_is_open,
        storage_uri=settings.rate_limit_storage,
        headers_enabled=True,
        enabled=bool(settings.rate_limit),
    )
    context.put(app, context.LIMITER, limiter)
