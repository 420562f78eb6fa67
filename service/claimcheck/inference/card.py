"""What the service knows about an NLI model beyond its weights, read once from the model directory.

``claimcheck.json`` (name, version, the temperature fitted by ``training.evaluate --fit-temperature``,
the decision fitted by ``evaluation.fit_decision``) and ``MODEL_CARD.md`` (its first paragraph is what
``/v1/model`` shows).  The NLI backend reads the temperature, the runtime the rest; the pipeline gets
the fitted decision as data and never opens a file.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any


@dataclass(frozen=True)
class ModelCard:
    name: str
    version: str = "unversioned"
    temperature: float = 1.0  # probabilities are softmax(logits / temperature): calibrated on held-out data
    decision: Mapping[str, Any] | None = None  # a LearnedDecision's JSON (pipeline/verdict.py)
    summary: str = ""

    @classmethod
    def read(cls, model_dir: str | Path) -> ModelCard:
        path = Path(model_dir)
        meta_path = path / "claimcheck.json"
        meta = json.loads(meta_path.read_text(encoding="utf-8")) if meta_path.is_file() else {}
        return cls(
            name=meta.get("name", path.name),
            version=str(meta.get("version", "unversioned")),
            temperature=float(meta.get("temperature", 1.0)),
            decision=meta.get("decision") or None,
            summary=card_summary(path / "MODEL_CARD.md"),
        )


def card_summary(card: Path) -> str:
    """The first prose paragraph of a model card (what /v1/model shows)."""
    if not card.is_file():
        return ""
    for block in card.read_text(encoding="utf-8").split("\n\n"):
        block = block.strip()
        if block and not block.startswith(("#", "|", "```", "-", "<")):
            return " ".join(block.split())
    return ""
