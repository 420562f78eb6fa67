"""Structured logs: one JSON object per line, each tagged with the request id when there is one.

Used by the app (every worker) and by ``gunicorn.conf.py`` (the master), so operators get one
format from both.  Article text is never logged at INFO: views log counts and timings only.
"""

from __future__ import annotations

import logging
import sys

from pythonjsonlogger.json import JsonFormatter

TEXT_FORMAT = "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"
JSON_FIELDS = "%(asctime)s %(levelname)s %(name)s %(message)s %(request_id)s"


class RequestIdFilter(logging.Filter):
    """Adds ``request_id`` (from the Flask request context, or "-") to every record."""

    def filter(self, record: logging.LogRecord) -> bool:
        if not hasattr(record, "request_id"):
            from flask import g, has_request_context

            record.request_id = g.get("request_id", "-") if has_request_context() else "-"
        return True


def formatter(fmt: str) -> logging.Formatter:
    if fmt == "json":
        return JsonFormatter(
            JSON_FIELDS, rename_fields={"asctime": "time", "levelname": "level", "name": "logger"}, timestamp=False
        )
    return logging.Formatter(TEXT_FORMAT)


def configure(level: str = "info", fmt: str = "json", stream=None, names: tuple[str, ...] = ("claimcheck",)) -> None:
    """Route the ``claimcheck`` loggers (and ``names``: ``rq`` in a worker) to one handler on ``stream``
    (stderr), replacing earlier set-ups."""
    handler = logging.StreamHandler(stream or sys.stderr)
    handler._claimcheck = True  # type: ignore[attr-defined]
    handler.setFormatter(formatter(fmt))
    handler.addFilter(RequestIdFilter())
    for name in names:
        logger = logging.getLogger(name)
        for old in list(logger.handlers):
            if getattr(old, "_claimcheck", False):
                logger.removeHandler(old)
        logger.addHandler(handler)
        logger.setLevel(level.upper())


def gunicorn_logconfig(level: str = "info", fmt: str = "json") -> dict:
    """gunicorn's ``logconfig_dict``: its master and worker messages in the same format as the app's."""
    formatter_spec = (
        {
            "()": "pythonjsonlogger.json.JsonFormatter",
            "fmt": "%(asctime)s %(levelname)s %(name)s %(message)s",
            "rename_fields": {"asctime": "time", "levelname": "level", "name": "logger"},
        }
        if fmt == "json"
        else {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}
    )
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "formatters": {"claimcheck": formatter_spec},
        "handlers": {
            "stderr": {"class": "logging.StreamHandler", "formatter": "claimcheck", "stream": "ext://sys.stderr"}
        },
        "loggers": {
            "gunicorn.error": {"level": level.upper(), "handlers": ["stderr"], "propagate": False},
            "gunicorn.access": {"level": level.upper(), "handlers": [], "propagate": False},
        },
        "root": {"level": "WARNING", "handlers": []},
    }
