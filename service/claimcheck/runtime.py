"""The loaded models and the configured pipeline, built once per process from :class:`Settings`.

Used by the web app (one per gunicorn worker), the CLI and the benchmarks, so all three run the
same pipeline on the same models.
"""

from __future__ import annotations

import logging
import os
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from claimcheck.config import Settings
from claimcheck.inference.embedder import load_embedder
from claimcheck.inference.nli import NLIModel, preflight
from claimcheck.inference.parser import SpacyParser
from claimcheck.inference.quantize import KernelChoice
from claimcheck.pipeline import Options, Verifier
from claimcheck.pipeline.retrieval import Limits
from claimcheck.pipeline.verdict import LearnedDecision, Thresholds

log = logging.getLogger("claimcheck")
# A made-up article with what real ones have (reported speech, a quote, a denial, a hedge, figures, a
# long sentence), verified once at load so nothing is first done on a user's request: the parser's and
# the models' code paths, the memo, the verdict rules.  Every padding bucket is warmed besides (warm_up).
WARMUP_TEXT = (
    "The regional government will close three rural hospitals by the end of next year, the health minister "
    "told lawmakers on Tuesday, citing a budget shortfall of 40 million euros. "
    '"We cannot keep every building open and still pay our nurses," she said. '
    "Hospital staff said they had not been told about the plan. "
    "A spokesman for the regional government later denied that any hospital would close before 2027. "
    "The opposition leader, who has campaigned for years against cuts to health services in the villages of "
    "the north, said the closures would leave more than 60,000 people an hour's drive from an emergency room. "
    "It was not clear whether the minister had consulted the hospitals' boards."
)


@dataclass(frozen=True)
class ModelInfo:
    name: str
    version: str
    labels: list[str]
    quantize: str  # the recipe in use (``kernel.requested`` is what CLAIMCHECK_QUANTIZE asked for)
    summary: str
    kernel: KernelChoice

    @classmethod
    def read(cls, model: NLIModel) -> ModelInfo:
        card = model.card
        return cls(
            name=card.name,
            version=card.version,
            labels=model.labels,
            quantize=model.kernel.recipe,
            summary=card.summary,
            kernel=model.kernel,
        )


def options_from(settings: Settings) -> Options:
    """The pipeline's options, every default from ``Settings`` (the one place they live)."""
    return Options(
        limits=Limits(
            settings.top_k,
            settings.min_similarity,
            settings.hedge_similarity,
            settings.contradiction_candidates,
            settings.contradiction_similarity,
        ),
        thresholds=Thresholds(settings.entail_threshold, settings.contradict_threshold, settings.pair_threshold),
        max_sentences=settings.max_sentences,
        core_candidates=settings.core_candidates,
        headline_windows=settings.headline_windows,
    )


def rss_mib() -> float:
    """This process's resident memory (the recycling guards of gunicorn_conf and the job worker)."""
    return int(Path("/proc/self/statm").read_text().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20


def check_model_dirs(settings: Settings) -> None:
    """Fail fast (ModelLoadError naming the path) when either model directory is missing or corrupt."""
    preflight(settings.nli_model, "NLI model (CLAIMCHECK_NLI_MODEL)")
    preflight(settings.embedder, "sentence embedder (CLAIMCHECK_EMBEDDER)")


@dataclass
class Runtime:
    settings: Settings
    verifier: Verifier
    model: NLIModel
    info: ModelInfo
    load_seconds: float
    ready: bool = False

    @classmethod
    def load(cls, settings: Settings) -> Runtime:
        """Load both models (fails fast with a message naming the path), then warm up."""
        started = time.perf_counter()
        nli = NLIModel(
            settings.nli_model,
            batch_size=settings.batch_size,
            max_tokens=settings.max_tokens,
            quantize=settings.quantize,
            torch_threads=settings.torch_threads,
        )
        embedder = load_embedder(settings.embedder, settings.quantize)
        parser = SpacyParser(settings.parser)
        options = options_from(settings)
        verifier = Verifier(
            nli,
            embedder,
            parser,
            options,
            memo_entries=settings.memo_entries,
            learned=LearnedDecision.from_json(nli.card.decision)
            if settings.decision == "model" and nli.card.decision
            else None,
        )
        runtime = cls(settings, verifier, nli, ModelInfo.read(nli), 0.0)
        nli.warm_up()
        embedder.warm_up()
        runtime.verifier.verify(WARMUP_TEXT)
        runtime.load_seconds = time.perf_counter() - started
        runtime.ready = True
        kernel = nli.kernel
        log.info(
            "models loaded",
            extra={
                "nli_model": settings.nli_model,
                "seconds": round(runtime.load_seconds, 2),
                "quantize": kernel.recipe,
                "quantize_requested": kernel.requested,
                "quantize_reason": kernel.reason,
                "cpu_capability": kernel.cpu_capability,
                "probe_ms": kernel.probe_ms,
            },
        )
        return runtime

    def observe(self, batch: Callable[[int], None], memo: Callable[[str], Callable[[int, int], None]]) -> None:
        """Let metrics watch the NLI batch sizes and the memos' hits (``memo("nli")``, ``memo("embedding")``),
        wired here so that no observer reaches into the verifier."""
        self.model.batch_observer = batch
        self.verifier.scores_memo.observer = memo("nli")
        self.verifier.vectors_memo.observer = memo("embedding")
