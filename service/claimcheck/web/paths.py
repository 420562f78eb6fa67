"""The operational paths: what load balancers, scrapers and an operator's browser call, not the API.

One list, read by the access check (no API key needed, web/access.py) and by the traffic metrics
(not counted as API traffic, web/metrics.py), so a new probe path is added once.
"""

OPERATIONAL = ("/healthz", "/readyz", "/metrics", "/openapi.json", "/docs", "/demo")
# the demo page's own assets are open too, but are requests like any other for the metrics
OPEN = (*OPERATIONAL, "/static/")
