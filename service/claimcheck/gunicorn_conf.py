"""gunicorn settings, from the same CLAIMCHECK_* variables as the app (see claimcheck.config).

    claimcheck serve          # or: gunicorn -c python:claimcheck.gunicorn_conf

No ``preload_app``: every worker loads its own model after the fork (torch and fork don't mix
well), so a worker that dies is replaced by one that loads cleanly.  The master checks both
model directories before forking (``on_starting``), so a missing or corrupt model stops the
service at boot with the path in the message.  Torch threads default to cores ÷ workers so
workers don't fight over the CPU.  Logs are JSON lines (``CLAIMCHECK_LOG_FORMAT``); the app
writes the access line itself, with the request id, so gunicorn's own access log is off.
Metrics use prometheus_client's multiprocess mode (``PROMETHEUS_MULTIPROC_DIR``), so ``/metrics``
on any worker reports the whole server; the temporary directory made for it is removed when the
master that made it exits.
"""

import atexit
import os
import shutil
import tempfile
from pathlib import Path

from claimcheck import logs
from claimcheck.config import Settings
from claimcheck.inference.quantize import share_choice
from claimcheck.runtime import check_model_dirs, rss_mib

settings = Settings.from_env()

wsgi_app = "claimcheck.wsgi:app"
bind = settings.bind
workers = settings.workers
threads = settings.threads
timeout = settings.timeout  # keep above CLAIMCHECK_REQUEST_BUDGET_S: the budget answers 504 first
graceful_timeout = 30
keepalive = 5
loglevel = settings.log_level
accesslog = None
errorlog = "-"
logconfig_dict = logs.gunicorn_logconfig(settings.log_level, settings.log_format)
# Recycling guards (docs/robustness.md, "Memory under a newsroom's traffic"): a worker whose RSS has
# passed CLAIMCHECK_MAX_WORKER_RSS_MIB after a request is replaced (post_request below), well before
# the container limit; the request count is a last resort for leaks that are not memory.
max_requests = 10_000
max_requests_jitter = 1_000

# Prometheus multiprocess mode: every worker writes its metrics to files here, /metrics aggregates
# them.  A fresh directory per master, emptied at start, so counters never carry over a restart.  One
# given in PROMETHEUS_MULTIPROC_DIR is the operator's and stays; one made here is removed when this
# master exits (on_exit, or atexit when it stops before serving), never by a worker, which inherits
# the atexit hook through fork and exits while the master and the other workers still use the directory.
METRICS_DIR = os.environ.get("PROMETHEUS_MULTIPROC_DIR", "")
METRICS_DIR_OWNER = 0  # pid of the process that made METRICS_DIR (0: not made here)
if not METRICS_DIR:
    METRICS_DIR = os.environ["PROMETHEUS_MULTIPROC_DIR"] = tempfile.mkdtemp(prefix="claimcheck-metrics-")
    METRICS_DIR_OWNER = os.getpid()


def remove_metrics_dir() -> None:
    if METRICS_DIR_OWNER == os.getpid():
        shutil.rmtree(METRICS_DIR, ignore_errors=True)


atexit.register(remove_metrics_dir)

if not settings.torch_threads:
    os.environ["CLAIMCHECK_TORCH_THREADS"] = str(settings.threads_per_process(workers))


def on_starting(server):
    global METRICS_DIR_OWNER
    if METRICS_DIR_OWNER:
        METRICS_DIR_OWNER = os.getpid()  # the master, also after `--daemon` forked it away from the importer
    check_model_dirs(settings)  # ModelLoadError is a RuntimeError: gunicorn prints it and exits 1
    # CLAIMCHECK_QUANTIZE=auto probed once here, with a worker's thread count: every worker runs the same recipe
    share_choice(settings.quantize, [settings.nli_model, settings.embedder], settings.threads_per_process(workers))
    shutil.rmtree(METRICS_DIR, ignore_errors=True)
    Path(METRICS_DIR).mkdir(parents=True, exist_ok=True)


def on_exit(server):
    remove_metrics_dir()


def child_exit(server, worker):
    from prometheus_flask_exporter.multiprocess import GunicornInternalPrometheusMetrics

    GunicornInternalPrometheusMetrics.mark_process_dead_on_child_exit(worker.pid)


def post_request(worker, req, environ, resp):
    """Replace this worker, after the answer is sent, once its RSS has passed the configured bound.

    Checked after API work only (``/v1/``): probes and metrics scrapes neither grow memory nor should
    recycle a worker."""
    if not settings.max_worker_rss_mib or not environ.get("PATH_INFO", "").startswith("/v1/"):
        return
    rss = rss_mib()
    if rss > settings.max_worker_rss_mib and worker.alive:
        worker.log.warning(
            "worker RSS %.0f MiB is over CLAIMCHECK_MAX_WORKER_RSS_MIB=%d: replacing it",
            rss,
            settings.max_worker_rss_mib,
        )
        worker.alive = False  # gunicorn finishes this request, exits the worker and forks a fresh one
