"""The verification pipeline: segmentation → attribution → claims → evidence → NLI → verdicts.

Text in, plain dataclasses out; nothing here knows about Flask.  :class:`Verifier` wires the stages
to the two models (anything with ``predict(pairs)`` / ``encode(texts)``), and scores all NLI pairs
of one or many articles in as few batched forward passes as possible.
"""

from __future__ import annotations

from claimcheck.pipeline.deadline import BudgetExceeded, Deadline
from claimcheck.pipeline.types import ArticleResult, Claim, Contradiction, Evidence, Verdict
from claimcheck.pipeline.verifier import ArticleTooLarge, Options, Verifier

__all__ = [
    "ArticleResult",
    "ArticleTooLarge",
    "BudgetExceeded",
    "Deadline",
    "Claim",
    "Contradiction",
    "Evidence",
    "Options",
    "Verdict",
    "Verifier",
]
