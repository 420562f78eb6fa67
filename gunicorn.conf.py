"""gunicorn settings, from the same CLAIMCHECK_* variables as the app (see claimcheck.config).

    gunicorn -c gunicorn.conf.py

No ``preload_app``: every worker loads its own model after the fork (torch and fork don't mix
well), so a worker that dies is replaced by one that loads cleanly.  Torch threads default to
cores ÷ workers so workers don't fight over the CPU.
"""

import os

from claimcheck.config import Settings

settings = Settings.from_env()

wsgi_app = "claimcheck.wsgi:app"
bind = settings.bind
workers = settings.workers
threads = settings.threads
timeout = settings.timeout
graceful_timeout = 30
keepalive = 5
loglevel = settings.log_level
accesslog = "-"
errorlog = "-"
# recycle workers now and then so a slow leak can never take a replica down
max_requests = 2000
max_requests_jitter = 200

if not settings.torch_threads:
    os.environ["CLAIMCHECK_TORCH_THREADS"] = str(max(1, (os.cpu_count() or 1) // max(1, workers)))
