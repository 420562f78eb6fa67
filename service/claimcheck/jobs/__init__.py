"""Asynchronous jobs on Redis with RQ: the store (web layer and worker), the tasks and the worker."""
