"""Wires the stages together and batches the model calls across claims and articles.

segmentation → parse → attribution/frames → claims → evidence (embeddings, candidates) → NLI →
verdicts.  Each stage returns immutable data that the next one reads; the models (NLI, embedder,
parser) are injected, so the pipeline needs neither Flask nor torch nor spaCy.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any, Protocol

import numpy as np

from claimcheck.pipeline.attribution import attribute
from claimcheck.pipeline.claims import extract_claims, title_claim
from claimcheck.pipeline.deadline import Deadline
from claimcheck.pipeline.memo import Memo
from claimcheck.pipeline.normalize import normalize
from claimcheck.pipeline.pairs import (
    REVERSE_FLOOR,
    Pair,
    find_contradictions,
    plan,
    reference_pairs,
    reverse_pairs,
    without_hedged,
)
from claimcheck.pipeline.references import resolve
from claimcheck.pipeline.retrieval import (
    Limits,
    about_the_same_thing,
    attach_hedges,
    contradiction_candidates,
    evidence_text,
    rank_candidates,
    similarity,
    texts_to_embed,
    with_windows,
)
from claimcheck.pipeline.segment import segment
from claimcheck.pipeline.types import (
    ArticleResult,
    Attributed,
    Candidate,
    Claim,
    Parse,
    Sentence,
)
from claimcheck.pipeline.verdict import (
    LearnedDecision,
    Policy,
    Reading,
    Thresholds,
    decide,
    gather,
)


class PairScorer(Protocol):
    def predict(
        self, pairs: Sequence[Pair], before_batch: Callable[[], None] | None = None
    ) -> tuple[list[dict[str, float]], object]: ...


class Encoder(Protocol):
    def encode(self, texts: Sequence[str], before_batch: Callable[[], None] | None = None) -> np.ndarray: ...


class Parser(Protocol):
    def parse(self, texts: Sequence[str]) -> list[Parse]: ...


class ArticleTooLarge(ValueError):
    """The article exceeds a configured limit (sentences); the web layer answers 422."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field


@dataclass(frozen=True)
class Options:
    """Everything a request may change, built from ``Settings`` (runtime.py) and per-request options."""

    limits: Limits
    thresholds: Thresholds
    max_sentences: int
    core_candidates: int  # other-source candidates per claim whose support is also read against the claim's core
    headline_windows: int  # ... and a headline's, against a window of the candidate's source's adjacent sentences

    def overridden(self, given: Mapping[str, Any] | None) -> Options:
        """These options with a request's own (``OptionsSchema``: top_k and the two label thresholds)."""
        given = given or {}
        thresholds = replace(
            self.thresholds,
            entail=given.get("entail_threshold", self.thresholds.entail),
            contradict=given.get("contradict_threshold", self.thresholds.contradict),
        )
        limits = replace(self.limits, top_k=given.get("top_k", self.limits.top_k))
        return replace(self, limits=limits, thresholds=thresholds)


@dataclass(frozen=True)
class Prepared:
    """One article after segmentation, attribution and claim extraction (sentence 0 is the title, if any)."""

    sentences: tuple[Attributed, ...]
    claims: tuple[Claim, ...]
    title: Claim | None


@dataclass(frozen=True)
class Retrieved:
    """A prepared article with its similarity matrix, evidence texts and candidates."""

    prepared: Prepared
    similarity: np.ndarray
    candidates: tuple[Candidate, ...]
    pairs: tuple[Pair, ...]  # the NLI pairs the candidates need, first direction


TITLE_PARAGRAPH = -1  # a title sent apart from the text is in no paragraph (its offsets index the title)


def _title_sentence(title: str) -> Sentence:
    text = normalize(title)
    return Sentence(0, 0, len(title), text, TITLE_PARAGRAPH, None if text == title else title)


class Verifier:
    def __init__(
        self,
        nli: PairScorer,
        embedder: Encoder,
        parser: Parser,
        options: Options,
        memo_entries: int = 0,
        learned: LearnedDecision | None = None,
    ) -> None:
        """``memo_entries`` > 0 remembers that many NLI results and as many embeddings (pipeline/memo.py);
        ``learned`` is the confidence fitted for the NLI model (verdict.py); None: the deciding score is it."""
        self.nli, self.embedder, self.parser = nli, embedder, parser
        self.options = options
        self.learned = learned
        self.scores_memo: Memo[Pair, dict[str, float]] = Memo(memo_entries)
        self.vectors_memo: Memo[str, np.ndarray] = Memo(memo_entries)

    def verify(
        self, text: str, options: Options | None = None, deadline: Deadline | None = None, title: str | None = None
    ) -> ArticleResult:
        result = self.verify_many([text], options, deadline=deadline, titles=[title])[0]
        assert isinstance(result, ArticleResult)
        return result

    def verify_many(
        self,
        texts: Sequence[str],
        options: Options | None = None,
        return_exceptions: bool = False,
        deadline: Deadline | None = None,
        titles: Sequence[str | None] | None = None,
    ) -> list[ArticleResult | ArticleTooLarge]:
        """All articles' embeddings in one encoder pass and all NLI pairs in shared batches.

        With ``return_exceptions`` an article over a limit gives its :class:`ArticleTooLarge` in
        its place (as ``asyncio.gather`` does) and the others are still verified.  ``deadline``
        raises :class:`~claimcheck.pipeline.deadline.BudgetExceeded` between stages and batches.
        """
        opts = options or self.options
        deadline = deadline or Deadline()
        outcomes: list[Prepared | ArticleTooLarge] = []
        for text, title in zip(texts, titles or [None] * len(texts)):
            try:
                outcomes.append(self.prepare(text, title, opts))
            except ArticleTooLarge as exc:
                if not return_exceptions:
                    raise
                outcomes.append(exc)
            deadline.check("segmentation")
        prepared = [o for o in outcomes if isinstance(o, Prepared)]
        results = iter(self._verify_prepared(prepared, opts, deadline))
        return [next(results) if isinstance(o, Prepared) else o for o in outcomes]

    # --- stages ---------------------------------------------------------------------------------
    def prepare(self, text: str, title: str | None, opts: Options) -> Prepared:
        sentences = segment(text)
        if len(sentences) > opts.max_sentences:
            raise ArticleTooLarge("text", f"article has {len(sentences)} sentences; the limit is {opts.max_sentences}")
        if title and title.strip():
            sentences = [_title_sentence(title)] + [replace(s, index=s.index + 1) for s in sentences]
        attributed = attribute(sentences, self.parser.parse([s.text for s in sentences]))
        if title and title.strip():
            attributed[0] = replace(attributed[0], headline=True, readings=())  # a title is never evidence
        head = title_claim(attributed[0]) if title and title.strip() else None  # verified even as a fragment
        claims = tuple(extract_claims(attributed[1:] if head else attributed))
        return Prepared(tuple(attributed), claims if head is None else (head, *claims), head)

    def retrieve(self, prepared: list[Prepared], opts: Options, deadline: Deadline) -> list[Retrieved]:
        """Embeddings, then per article the candidates (ranked, opposite-polarity, resolved references,
        hedges) and the NLI pairs they need; public so evaluations can inspect what a claim was read against."""
        per_article = [texts_to_embed(list(p.sentences)) for p in prepared]
        texts = [t for group in per_article for t in group]
        known, todo = self.vectors_memo.lookup(texts)  # a narrator's sentence is its own content: embed it once
        if todo:  # one pass for all articles
            fresh = self.embedder.encode(todo, before_batch=lambda: deadline.check("sentence embedding"))
            known.update(zip(todo, fresh))
            self.vectors_memo.store((t, v.copy()) for t, v in zip(todo, fresh))
        out = []
        for prep, group in zip(prepared, per_article):
            sim = similarity(np.stack([known[t] for t in group])) if group else np.zeros((0, 0))
            sentences, claims = list(prep.sentences), list(prep.claims)
            evidence = [evidence_text(sentences, i) for i in range(len(sentences))]
            ranked = rank_candidates(claims, sentences, sim, evidence, opts.limits)
            seen = {(c.claim.id, c.evidence.sentence.index) for c in ranked}
            ranked += [
                c
                for c in contradiction_candidates(claims, sim, opts.limits)
                if (c.claim.id, c.evidence.sentence.index) not in seen
            ]
            resolved = resolve(claims, sentences, sim, opts.limits.min_similarity)
            taken = {(c.claim.id, c.evidence.sentence.index) for c in resolved}
            ranked = [c for c in ranked if (c.claim.id, c.evidence.sentence.index) not in taken] + resolved
            ranked = with_windows(ranked, sentences, opts.headline_windows)
            candidates = tuple(ranked + attach_hedges(claims, sentences, sim, evidence, opts.limits))
            pairs = [p for _, needed in plan(candidates, opts.core_candidates) for p in needed]
            out.append(Retrieved(prep, sim, candidates, tuple(dict.fromkeys(pairs))))
        return out

    def score(self, scores: dict[Pair, dict[str, float]], pairs: Sequence[Pair], deadline: Deadline) -> None:
        """Add the NLI reading of each pair not yet in ``scores`` (memo first, then one batched model call);
        public, like :meth:`retrieve`, so evaluations read exactly what the pipeline reads."""
        known, todo = self.scores_memo.lookup(p for p in pairs if p not in scores)
        scores.update(known)
        if todo:
            probs, _stats = self.nli.predict(todo, before_batch=lambda: deadline.check("NLI scoring"))
            scores.update(zip(todo, probs))
            self.scores_memo.store(zip(todo, probs))

    def _verify_prepared(self, prepared: list[Prepared], opts: Options, deadline: Deadline) -> list[ArticleResult]:
        retrieved = self.retrieve(prepared, opts, deadline)
        scores: dict[Pair, dict[str, float]] = {}
        self.score(scores, [p for art in retrieved for p in art.pairs], deadline)
        reverse = [reverse_pairs(art.candidates, scores, opts.thresholds.pair * REVERSE_FLOOR) for art in retrieved]
        self.score(scores, [p for pairs in reverse for p in pairs], deadline)
        return [self._decide(art, scores, opts, len(art.pairs) + len(rev)) for art, rev in zip(retrieved, reverse)]

    def _decide(self, art: Retrieved, scores: dict, opts: Options, nli_pairs: int) -> ArticleResult:
        prep = art.prepared
        by_claim: dict[str, list[Candidate]] = {c.id: [] for c in prep.claims}
        for cand in art.candidates:
            by_claim[cand.claim.id].append(cand)
        found = find_contradictions(
            list(prep.claims),
            scores,
            opts.thresholds.pair,
            aligned=lambda a, b: about_the_same_thing(
                a.source,
                b.source,
                float(art.similarity[a.sentence.index, b.sentence.index]),
                opts.limits.contradiction_similarity,
            ),
        )
        found += reference_pairs(prep.claims, art.candidates, found, opts.thresholds.pair)
        found = without_hedged(found, prep.claims, art.candidates)
        by_id = {c.id: c for c in prep.claims}
        partners: dict[str, list[tuple[Attributed, Reading]]] = {c.id: [] for c in prep.claims}
        for pair, reading in found:
            a, b = (by_id[i] for i in pair.claim_ids)
            partners[a.id].append((b.source, reading))
            partners[b.id].append((a.source, reading))
        policy = Policy(opts.thresholds, self.learned)
        verdicts = [decide(c, gather(c, by_claim[c.id], scores, partners[c.id]), policy) for c in prep.claims]
        # a title sent as ``title`` is answered apart; a headline line inside the text stays one of its claims
        title = next((v for v in verdicts if v.claim is prep.title), None)
        body = [v for v in verdicts if v.claim is not prep.title]
        sentences = [s for s in prep.sentences if prep.title is None or s is not prep.title.source]
        return ArticleResult(body, [p for p, _ in found], sentences, nli_pairs, title)
