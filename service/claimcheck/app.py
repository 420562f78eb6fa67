"""The application factory, in the manner of Flask's tutorial app (``flaskr``)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from flask import Flask

from claimcheck import __version__, logs
from claimcheck.config import Settings
from claimcheck.runtime import Runtime
from claimcheck.web import access, context, cors, demo, docs_ui, jobs, meta, metrics, request_log, verify
from claimcheck.web.errors import ClaimcheckApi


def create_app(config: Mapping[str, Any] | None = None) -> Flask:
    """Build the app. ``config`` may hold Flask keys and ``Settings`` fields (lower case) that
    override the environment, plus ``LOAD_MODELS=False`` to start without models (not ready)."""
    config = dict(config or {})
    fields = set(Settings.__dataclass_fields__)
    settings = Settings.from_env(**{k: v for k, v in config.items() if k in fields})

    app = Flask("claimcheck")
    app.config.update(
        API_TITLE="claimcheck",
        API_VERSION=__version__,
        OPENAPI_VERSION="3.0.3",
        OPENAPI_URL_PREFIX="/",
        OPENAPI_JSON_PATH="openapi.json",
        OPENAPI_SWAGGER_UI_PATH="/docs",
        OPENAPI_SWAGGER_UI_URL=docs_ui.URL,
        MAX_CONTENT_LENGTH=settings.max_body_bytes,
        JSON_SORT_KEYS=False,
        API_SPEC_OPTIONS={
            "info": {
                "description": "Labels the claims of a news article as confirmed, denied or "
                "unverified against the rest of the article."
            }
        },
    )
    app.config.update({k: v for k, v in config.items() if k not in fields})
    logs.configure(settings.log_level, settings.log_format)

    context.init_app(app)  # first: the request's budget clock starts as it arrives
    request_log.init_app(app)  # every later hook and error has a request id
    api = ClaimcheckApi(app)
    access.init_app(app, settings)
    cors.init_app(app, settings)
    api.register_blueprint(meta.blp)
    api.register_blueprint(verify.blp)
    api.register_blueprint(jobs.blp)
    context.put(app, context.SETTINGS, settings)
    if app.config.get("LOAD_MODELS", True):
        context.put(app, context.RUNTIME, Runtime.load(settings))
    metrics.init_app(app)
    demo.init_app(app, settings)
    docs_ui.init_app(app)
    return app
