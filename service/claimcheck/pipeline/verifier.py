"""Wires the stages together and batches the model calls across claims and articles."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Callable, Protocol, Sequence

import numpy as np

from claimcheck.pipeline.attribution import attribute
from claimcheck.pipeline.claims import extract_claims
from claimcheck.pipeline.deadline import Deadline
from claimcheck.pipeline.memo import Memo
from claimcheck.pipeline.retrieval import (all_candidates, attach_hedges, contradiction_candidates, evidence_texts,
                                           rank_candidates, similarity, texts_to_embed)
from claimcheck.pipeline.segment import segment
from claimcheck.pipeline.types import ArticleResult, Attributed, Candidate, Claim
from claimcheck.pipeline.verdict import Thresholds, decide, find_contradictions


class PairScorer(Protocol):
    def predict(self, pairs: Sequence[tuple[str, str]],
                before_batch: Callable[[], None] | None = None) -> tuple[list[dict[str, float]], object]: ...


class Encoder(Protocol):
    def encode(self, texts: Sequence[str], before_batch: Callable[[], None] | None = None) -> np.ndarray: ...


class ArticleTooLarge(ValueError):
    """The article exceeds a configured limit (characters or sentences); the web layer answers 422."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field


@dataclass(frozen=True)
class Options:
    top_k: int = 4
    min_similarity: float = 0.45
    hedge_similarity: float = 0.45
    contradiction_candidates: int = 3
    contradiction_similarity: float = 0.25
    thresholds: Thresholds = Thresholds()
    naive: bool = False  # NLI over every claim × sentence pair (benchmark baseline)
    max_sentences: int = 400


@dataclass
class _Prepared:
    sentences: list[Attributed]
    claims: list[Claim]
    candidates: list[Candidate] = field(default_factory=list)
    pairs: list[tuple[str, str]] = field(default_factory=list)
    premise_of: dict[str, str] = field(default_factory=dict)
    similarity: np.ndarray = field(default_factory=lambda: np.zeros((0, 0)))

    def __post_init__(self) -> None:
        self.by_id = {c.id: c for c in self.claims}
        self.claim_at = {c.sentence.index: c for c in self.claims}

    def forward(self, cand: Candidate) -> tuple[str, str]:
        """(evidence premise, claim content): does the evidence entail or contradict the claim?"""
        return cand.premise, self.by_id[cand.claim_id].content

    def reverse(self, cand: Candidate) -> tuple[str, str] | None:
        """(claim premise, evidence claim content), when the evidence sentence is itself a claim."""
        other = self.claim_at.get(cand.evidence.sentence.index)
        return None if other is None else (self.premise_of[cand.claim_id], other.content)


class Verifier:
    def __init__(self, nli: PairScorer, embedder: Encoder, options: Options | None = None,
                 memo_entries: int = 0) -> None:
        """``memo_entries`` > 0 remembers that many NLI results and as many embeddings (pipeline/memo.py)."""
        self.nli, self.embedder = nli, embedder
        self.options = options or Options()
        self.scores_memo: Memo[tuple[str, str], dict[str, float]] = Memo(memo_entries)
        self.vectors_memo: Memo[str, np.ndarray] = Memo(memo_entries)

    def with_options(self, **changes) -> Options:
        return replace(self.options, **changes)

    def verify(self, text: str, options: Options | None = None, deadline: Deadline | None = None) -> ArticleResult:
        return self.verify_many([text], options, deadline=deadline)[0]

    def verify_many(self, texts: Sequence[str], options: Options | None = None,
                    return_exceptions: bool = False, deadline: Deadline | None = None) -> list:
        """All articles' embeddings in one encoder pass and all NLI pairs in shared batches.

        With ``return_exceptions`` an article over a limit gives its :class:`ArticleTooLarge` in
        its place (as ``asyncio.gather`` does) and the others are still verified.  ``deadline``
        raises :class:`~claimcheck.pipeline.deadline.BudgetExceeded` between stages and batches.
        """
        opts = options or self.options
        deadline = deadline or Deadline()
        outcomes: list = []
        for text in texts:
            try:
                outcomes.append(self._analyse(text, opts))
            except ArticleTooLarge as exc:
                if not return_exceptions:
                    raise
                outcomes.append(exc)
            deadline.check("segmentation")
        prepared = [o for o in outcomes if isinstance(o, _Prepared)]
        results = iter(self._verify_prepared(prepared, opts, deadline))
        return [next(results) if isinstance(o, _Prepared) else o for o in outcomes]

    def _verify_prepared(self, prepared: list["_Prepared"], opts: Options, deadline: Deadline) -> list[ArticleResult]:
        self._retrieve(prepared, opts, deadline)
        scores: dict[tuple[str, str], dict[str, float]] = {}
        self._score(scores, [p for prep in prepared for p in prep.pairs], deadline)
        # second direction, only for claim pairs that look contradictory one way and were not scored the other:
        # contradiction candidates included, so an unrelated pair costs one NLI pair, not two
        reverse = [self._reverse_pairs(prep, scores, opts.thresholds.contradict / 2) for prep in prepared]
        self._score(scores, [p for pairs in reverse for p in pairs], deadline)
        for prep, pairs in zip(prepared, reverse):
            prep.pairs += pairs
        return [self._decide(prep, scores, opts) for prep in prepared]

    def _score(self, scores: dict, pairs: list[tuple[str, str]], deadline: Deadline) -> None:
        known, todo = self.scores_memo.lookup(p for p in pairs if p not in scores)
        scores.update(known)
        if todo:
            probs, _stats = self.nli.predict(todo, before_batch=lambda: deadline.check("NLI scoring"))
            scores.update(zip(todo, probs))
            self.scores_memo.store(zip(todo, probs))

    @staticmethod
    def _reverse_pairs(prep: _Prepared, scores: dict, min_contradiction: float) -> list[tuple[str, str]]:
        """The unscored reverse of every scored claim-vs-claim pair whose contradiction reaches the floor."""
        out = []
        for cand in prep.candidates:
            forward, reverse = scores.get(prep.forward(cand)), prep.reverse(cand)
            if (reverse is not None and forward is not None and forward.get("contradiction", 0.0) >= min_contradiction
                    and reverse not in prep.pairs):
                out.append(reverse)
        return list(dict.fromkeys(out))

    # --- stages ---------------------------------------------------------------------------------
    @staticmethod
    def _analyse(text: str, opts: Options) -> _Prepared:
        sentences = attribute(segment(text))
        if len(sentences) > opts.max_sentences:
            raise ArticleTooLarge("text", f"article has {len(sentences)} sentences; the limit is {opts.max_sentences}")
        return _Prepared(sentences, extract_claims(sentences))

    def _retrieve(self, prepared: list[_Prepared], opts: Options, deadline: Deadline) -> None:
        texts: list[str] = []
        for prep in prepared:
            texts += texts_to_embed(prep.sentences)
        known, todo = self.vectors_memo.lookup(texts)  # a narrator's sentence is its own content: embed it once
        if todo:  # one pass for all articles
            fresh = self.embedder.encode(todo, before_batch=lambda: deadline.check("sentence embedding"))
            known.update(zip(todo, fresh))
            self.vectors_memo.store((t, v.copy()) for t, v in zip(todo, fresh))
        vecs = np.stack([known[t] for t in texts]) if texts else np.zeros((0, 1))
        offset = 0
        for prep in prepared:
            n = 2 * len(prep.sentences)
            sim = prep.similarity = similarity(vecs[offset:offset + n])
            offset += n
            if opts.naive:
                ranked = all_candidates(prep.claims, prep.sentences)
            else:
                ranked = rank_candidates(prep.claims, prep.sentences, sim, opts.top_k, opts.min_similarity)
                seen = {(c.claim_id, c.evidence.sentence.index) for c in ranked}
                ranked += [c for c in contradiction_candidates(prep.claims, prep.sentences, sim,
                                                               opts.contradiction_candidates, opts.contradiction_similarity)
                           if (c.claim_id, c.evidence.sentence.index) not in seen]
            prep.candidates = ranked + attach_hedges(prep.claims, prep.sentences, sim, opts.hedge_similarity)
        for prep in prepared:
            texts_by_index = evidence_texts(prep.sentences)
            prep.premise_of = {c.id: texts_by_index[c.sentence.index] for c in prep.claims}
            pairs = []
            for cand in prep.candidates:
                if cand.evidence.non_committal:
                    continue
                pairs.append(prep.forward(cand))
            prep.pairs = list(dict.fromkeys(pairs))

    @staticmethod
    def _decide(prep: _Prepared, scores: dict, opts: Options) -> ArticleResult:
        by_claim: dict[str, list[Candidate]] = {c.id: [] for c in prep.claims}
        for cand in prep.candidates:
            by_claim[cand.claim_id].append(cand)
        sim = prep.similarity
        contradictions = find_contradictions(
            prep.claims, scores, prep.premise_of, opts.thresholds.contradict,
            same_topic=lambda a, b: sim[a.sentence.index, b.sentence.index] >= opts.min_similarity)
        # a contradiction pair refutes both of its claims, whichever direction the model saw it in
        partners: dict[str, list] = {c.id: [] for c in prep.claims}
        for pair in contradictions:
            a, b = (prep.by_id[i] for i in pair.claim_ids)
            probs = max((scores.get((prep.premise_of[b.id], a.content)), scores.get((prep.premise_of[a.id], b.content))),
                        key=lambda p: p.get("contradiction", 0.0) if p else -1.0)
            partners[a.id].append((b.source, probs))
            partners[b.id].append((a.source, probs))
        verdicts = [decide(c, by_claim[c.id], scores, opts.thresholds, partners[c.id], prep.claim_at)
                    for c in prep.claims]
        return ArticleResult(verdicts, contradictions, prep.sentences, len(prep.pairs))
