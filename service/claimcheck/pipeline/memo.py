"""A bounded, per-process memo of model outputs: a re-check after a small edit pays only for what changed.

A CMS plugin sends the whole article again at every typing pause.  Most sentences are unchanged,
so most embeddings and NLI pairs are the same as last time.  Entries are keyed by the exact text
the model read.  ``cachetools.LRUCache`` bounds the memory, and a lock guards it, since a gunicorn
worker may run several threads.  With 0 entries the memo is off and every lookup misses.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Hashable, Iterable
from typing import Generic, TypeVar

from cachetools import LRUCache

K = TypeVar("K", bound=Hashable)
V = TypeVar("V")


class Memo(Generic[K, V]):
    def __init__(self, entries: int) -> None:
        self._lru: LRUCache | None = LRUCache(maxsize=entries) if entries > 0 else None
        self._lock = threading.Lock()
        self.observer: Callable[[int, int], None] | None = None  # (hits, misses) per lookup, e.g. metrics

    def lookup(self, keys: Iterable[K]) -> tuple[dict[K, V], list[K]]:
        """The values already known, and the keys still to compute (each once, in first-seen order)."""
        found: dict[K, V] = {}
        missing: list[K] = []
        with self._lock:
            for key in dict.fromkeys(keys):
                value = self._lru.get(key) if self._lru is not None else None
                if value is None:
                    missing.append(key)
                else:
                    found[key] = value
        if self.observer:
            self.observer(len(found), len(missing))
        return found, missing

    def store(self, items: Iterable[tuple[K, V]]) -> None:
        if self._lru is None:
            return
        with self._lock:
            for key, value in items:
                self._lru[key] = value
