"""CORS for browser callers (a CMS plugin, the widget on another origin); off by default.

``CLAIMCHECK_CORS_ORIGINS=https://cms.example,https://staging.cms.example`` lets those origins call
``/v1/*`` with JSON and an API key: the preflight allows ``Content-Type``, ``X-API-Key``,
``Authorization`` and ``X-Request-ID``, and the response exposes ``X-Request-ID`` and the
rate-limit headers to the page.  Preflights are never locked by API keys nor rate-limited.
"""

from __future__ import annotations

from flask import Flask
from flask_cors import CORS

from claimcheck.config import Settings

ALLOW_HEADERS = ["Content-Type", "X-API-Key", "Authorization", "X-Request-ID"]
EXPOSE_HEADERS = ["X-Request-ID", "Retry-After", "X-RateLimit-Limit", "X-RateLimit-Remaining", "X-RateLimit-Reset"]


def init_app(app: Flask, settings: Settings) -> None:
    origins = [o.strip() for o in settings.cors_origins.split(",") if o.strip()]
    if not origins:
        return
    CORS(
        app,
        resources={r"/v1/*": {"origins": "*" if origins == ["*"] else origins}},
        methods=["GET", "POST", "OPTIONS"],
        allow_headers=ALLOW_HEADERS,
        expose_headers=EXPOSE_HEADERS,
        max_age=600,
    )
