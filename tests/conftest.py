"""Fixtures in the manner of Flask's tutorial: an app per configuration, a client per app.

Two model set-ups:

* ``tiny_model_dir`` — a 2-layer BERT classifier with random weights, made on the fly: for the
  mechanics (schemas, errors, offsets, batching) where labels don't matter;
* the real shipped model in ``models/`` — for every test that asserts a label.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from claimcheck.config import DEFAULT_NLI_MODEL

SEED = Path(__file__).resolve().parents[1] / "seeds" / "000_460de1b4d77b6b69.txt"


@pytest.fixture(scope="session")
def tiny_model_dir(tmp_path_factory) -> Path:
    from helpers import make_tiny_nli_model

    return make_tiny_nli_model(tmp_path_factory.mktemp("tiny-nli"))


@pytest.fixture(scope="session")
def tiny_app(tiny_model_dir):
    from claimcheck import create_app

    return create_app(
        {
            "TESTING": True,
            "nli_model": str(tiny_model_dir),
            "max_body_bytes": 20_000,
            "max_article_chars": 5_000,
            "max_sentences": 60,
            "max_batch_articles": 3,
        }
    )


@pytest.fixture()
def client(tiny_app):
    return tiny_app.test_client()


@pytest.fixture(scope="session")
def real_app():
    from claimcheck import create_app

    assert (DEFAULT_NLI_MODEL / "config.json").is_file(), f"shipped model missing at {DEFAULT_NLI_MODEL}"
    return create_app({"TESTING": True, "nli_model": str(DEFAULT_NLI_MODEL)})


@pytest.fixture()
def real_client(real_app):
    return real_app.test_client()


@pytest.fixture(scope="session")
def verifier(real_app):
    return real_app.extensions["claimcheck"].verifier


@pytest.fixture(scope="session")
def seed_text() -> str:
    return SEED.read_text(encoding="utf-8")


def dumps(obj) -> str:
    return json.dumps(obj, ensure_ascii=False, indent=1)


@pytest.fixture(scope="session")
def redis_server(tmp_path_factory):
    """A real redis-server on a free loopback port (append-only, restartable); skips where there is none."""
    from helpers import REDIS, RedisServer

    if REDIS is None:
        pytest.skip("redis-server is not installed (apt-get install redis-server; .ci/run does)")
    server = RedisServer(tmp_path_factory.mktemp("redis"))
    server.start()
    yield server
    server.stop()
