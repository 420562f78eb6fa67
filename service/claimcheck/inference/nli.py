"""The NLI cross-encoder: one model per process, batched, probabilities keyed by the model's labels.

Modelled on sentence-transformers' ``CrossEncoder``: a small wrapper that owns a tokenizer and a
sequence-classification model, sorts pairs by length to cut padding, and runs them in batches.
Label order is read from the checkpoint's own ``config.id2label``, never assumed.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from claimcheck.inference.card import ModelCard
from claimcheck.inference.quantize import KernelChoice, prepare

EXPECTED_LABELS = frozenset({"entailment", "neutral", "contradiction"})


def quiet_loading() -> None:
    """No progress bars or advisory prints from transformers: every line the service writes is a JSON log."""
    from transformers.utils import logging as hf_logging

    hf_logging.disable_progress_bar()
    hf_logging.set_verbosity_error()


class ModelLoadError(RuntimeError):
    """The model directory is missing, unreadable or not a 3-way NLI model (raised at boot)."""


def preflight(model_dir: str, what: str = "NLI model") -> None:
    """Cheap checks of a model directory, run by the gunicorn master before any worker forks.

    Reads config.json and the safetensors header only (milliseconds), so a missing or corrupt
    model stops the service at boot with a message naming the path, not at the first request.
    """
    from safetensors import safe_open

    path = Path(model_dir) if model_dir else None
    if path is None or not path.is_dir():
        raise ModelLoadError(f"{what} directory {model_dir!r} does not exist")
    try:
        json.loads((path / "config.json").read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise ModelLoadError(f"{what} at {path}: config.json is missing or not JSON ({exc})") from exc
    for weights in weight_files(path, what):
        try:
            with safe_open(str(weights), framework="pt") as f:
                if not list(f.keys()):
                    raise ModelLoadError(f"{what} at {path}: {weights.name} holds no tensors")
        except ModelLoadError:
            raise
        except Exception as exc:  # safetensors raises its own error types for a bad header
            raise ModelLoadError(f"{what} at {path}: {weights.name} is corrupt ({exc})") from exc


def weight_files(path: Path, what: str = "NLI model") -> list[Path]:
    """The safetensors files of a model directory: one ``model.safetensors``, or the shards its index
    names (a base-size model is shipped in shards, since no committed file may pass 95 MB)."""
    single, index = path / "model.safetensors", path / "model.safetensors.index.json"
    if single.is_file():
        return [single]
    if not index.is_file():
        raise ModelLoadError(f"{what} at {path}: no model.safetensors")
    try:
        shards = sorted({str(name) for name in json.loads(index.read_text(encoding="utf-8"))["weight_map"].values()})
    except (OSError, ValueError, KeyError, AttributeError, TypeError) as exc:
        raise ModelLoadError(f"{what} at {path}: {index.name} is not a safetensors index ({exc})") from exc
    if not shards:
        raise ModelLoadError(f"{what} at {path}: {index.name} names no shards")
    missing = [name for name in shards if not (path / name).is_file()]
    if missing:
        raise ModelLoadError(f"{what} at {path}: {index.name} names missing shards {missing}")
    return [path / name for name in shards]


@dataclass(frozen=True)
class BatchStats:
    pairs: int
    batches: int
    seconds: float


PAD_BUCKET = 16  # tokens: pairs are padded to a multiple of this, never to their batch mates' length


def bucket_sizes(bucket: int, max_tokens: int) -> list[int]:
    """Every padded length a text can take: the multiples of ``bucket`` up to ``max_tokens``, and
    ``max_tokens`` itself (where truncation stops), so warm-up runs every shape a request can."""
    return sorted({*range(bucket, max_tokens + 1, bucket), max_tokens})


def bucketed_batches(
    lengths: Sequence[int], bucket: int, max_tokens: int, batch_size: int
) -> Iterator[tuple[int, list[int]]]:
    """(padded length, indices) for every batch, shortest bucket first.

    Each input is padded to its own length bucket (a multiple of ``bucket``, at most ``max_tokens``) and
    batched only with inputs of that bucket, so its result never depends on its batch company (a batch
    request, the memo after an edit).  The one batching rule of both models (NLI pairs, embeddings)."""
    buckets: dict[int, list[int]] = {}
    for i, n in enumerate(lengths):
        buckets.setdefault(min(max_tokens, -(-n // bucket) * bucket), []).append(i)
    for size, members in sorted(buckets.items()):
        for offset in range(0, len(members), batch_size):
            yield size, members[offset : offset + batch_size]


class NLIModel:
    def __init__(
        self,
        model_dir: str,
        *,
        batch_size: int = 32,
        max_tokens: int = 256,
        quantize: str = "auto",
        torch_threads: int = 0,
    ) -> None:
        import torch
        from transformers import AutoModelForSequenceClassification, AutoTokenizer

        quiet_loading()
        path = Path(model_dir)
        if not (path / "config.json").is_file():
            raise ModelLoadError(f"NLI model directory {path} has no config.json (set CLAIMCHECK_NLI_MODEL)")
        if torch_threads:
            torch.set_num_threads(torch_threads)
        started = time.perf_counter()
        try:
            self.tokenizer = AutoTokenizer.from_pretrained(str(path), local_files_only=True)
            model = AutoModelForSequenceClassification.from_pretrained(
                str(path), local_files_only=True, dtype=torch.float32
            )
        except (OSError, ValueError) as exc:
            raise ModelLoadError(f"cannot load NLI model from {path}: {exc}") from exc
        model.eval()
        self.model, self.kernel = prepare(model, quantize)  # the recipe, and why it was chosen
        self.id2label = {int(i): str(name).lower() for i, name in model.config.id2label.items()}
        if set(self.id2label.values()) != EXPECTED_LABELS:
            raise ModelLoadError(
                f"NLI model at {path} has labels {sorted(self.id2label.values())}, expected {sorted(EXPECTED_LABELS)}"
            )
        self.model_dir = str(path)
        self.card = ModelCard.read(path)  # claimcheck.json and MODEL_CARD.md, read once (inference/card.py)
        self.temperature = self.card.temperature
        self.batch_size, self.max_tokens = batch_size, max_tokens
        self.batch_observer: Callable[[int], None] | None = None  # e.g. a metrics histogram's observe
        self.load_seconds = time.perf_counter() - started
        self._torch = torch

    kernel: KernelChoice

    def warm_up(self) -> None:
        """One forward pass at every padding bucket, so no request is the first to run a shape."""
        with self._torch.inference_mode():
            for size in bucket_sizes(PAD_BUCKET, self.max_tokens):
                enc = self.tokenizer(["x"], ["y"], padding="max_length", max_length=size, return_tensors="pt")
                self.model(**enc)

    @property
    def labels(self) -> list[str]:
        return [self.id2label[i] for i in sorted(self.id2label)]

    def predict(
        self, pairs: Sequence[tuple[str, str]], before_batch: Callable[[], None] | None = None
    ) -> tuple[list[dict[str, float]], BatchStats]:
        """Probabilities for each (premise, hypothesis) pair, in input order.

        ``before_batch`` runs before every forward pass (the caller's deadline check may raise there).
        """
        torch = self._torch
        started = time.perf_counter()
        results: list[dict[str, float]] = [{} for _ in pairs]
        batches = 0
        firsts, seconds = [p[0] for p in pairs], [p[1] for p in pairs]
        lengths = (
            [
                len(ids)
                for ids in self.tokenizer(firsts, seconds, truncation=True, max_length=self.max_tokens)["input_ids"]
            ]
            if pairs
            else []
        )
        with torch.inference_mode():
            for size, idx in bucketed_batches(lengths, PAD_BUCKET, self.max_tokens, self.batch_size):
                if before_batch:
                    before_batch()
                if self.batch_observer:
                    self.batch_observer(len(idx))
                enc = self.tokenizer(
                    [firsts[i] for i in idx],
                    [seconds[i] for i in idx],
                    padding="max_length",
                    truncation=True,
                    max_length=size,
                    return_tensors="pt",
                )
                probs = torch.softmax(self.model(**enc).logits.float() / self.temperature, dim=-1).tolist()
                for i, row in zip(idx, probs):
                    results[i] = {self.id2label[j]: float(p) for j, p in enumerate(row)}
                batches += 1
        return results, BatchStats(len(pairs), batches, time.perf_counter() - started)
