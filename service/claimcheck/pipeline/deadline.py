"""A wall-clock budget for one request, checked between stages and between model batches.

A worker must never be held by one pathological article: the verifier calls :meth:`Deadline.check`
after each stage and before each forward pass (the models take it as a plain callback, so the
inference layer knows nothing of budgets), and the web layer turns :class:`BudgetExceeded` into 504.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field


class BudgetExceeded(TimeoutError):
    def __init__(self, budget_s: float, stage: str) -> None:
        super().__init__(f"verification took longer than the request budget of {budget_s:g} s (during {stage})")
        self.budget_s, self.stage = budget_s, stage


@dataclass
class Deadline:
    budget_s: float | None = None  # None: no limit (CLI, benchmarks)
    started: float = field(default_factory=time.monotonic)

    def check(self, stage: str = "model inference") -> None:
        if self.budget_s is not None and time.monotonic() - self.started > self.budget_s:
            raise BudgetExceeded(self.budget_s, stage)
