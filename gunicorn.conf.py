"""gunicorn settings for a clone: the packaged ones (``claimcheck/gunicorn_conf.py``).

gunicorn -c gunicorn.conf.py      # or, from any install: claimcheck serve
"""

from claimcheck.gunicorn_conf import *  # noqa: F401,F403
