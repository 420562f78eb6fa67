"""One NLI training pair and the label order: what every training module passes around.

Its own module so that the data builder (data.py) and the generated families (patterns.py) can both
use it without importing each other.
"""

from __future__ import annotations

from dataclasses import dataclass

LABELS = ("entailment", "neutral", "contradiction")


@dataclass(frozen=True)
class Pair:
    premise: str
    hypothesis: str
    label: str
    source: str

    def to_json(self) -> dict[str, str]:
        return {"premise": self.premise, "hypothesis": self.hypothesis, "label": self.label, "source": self.source}
