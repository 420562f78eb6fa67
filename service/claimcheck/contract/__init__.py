"""The API contract: what a client sends, what it gets back, and the one error body.

``schemas`` (validation and the OpenAPI spec), ``errors`` (the error body and its codes) and ``payload``
(a verified article as a batch or job item).  The web layer, the jobs worker, ``claimcheck batch`` and
the CLI all depend on it; it depends on none of them (only on ``config`` for the limits and on the
pipeline's result types), so each of them can be read alone.
"""
