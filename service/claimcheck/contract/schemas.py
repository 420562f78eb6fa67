"""Request and response schemas: the single source of the API's validation and OpenAPI spec.

Response schemas dump the pipeline's objects themselves (an ``ArticleResult``, its verdicts through
dotted ``attribute`` paths), so the JSON shape is defined here and nowhere else.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import marshmallow as ma
from flask import current_app
from marshmallow import validate

from claimcheck.config import Settings
from claimcheck.pipeline.types import ArticleResult
from claimcheck.pipeline.verdict import LABELS

LABEL_VALUES = LABELS  # the pipeline's labels are the API's
RELATION_VALUES = ("supports", "refutes", "non_committal")
JOB_STATES = ("queued", "running", "finished", "failed", "cancelled")  # what GET /v1/jobs/{id} may say
CALLBACK_STATES = ("pending", "delivered", "failed")
SETTINGS_KEY = "claimcheck_settings"  # where the serving app keeps its ``Settings`` (``app.extensions``)


def settings_in_force() -> Settings:
    """The serving app's ``Settings``: request validation runs inside the app, so there is one."""
    return current_app.extensions[SETTINGS_KEY]


DEFAULTS = Settings()  # the spec states the default limits; validation applies the app's configured ones


class ConfiguredLimit(validate.Validator):
    """At most the app's configured ``Settings`` limit, read when a request is validated.

    Schemas are classes built at import, but a deployment may raise or lower a limit; this reads
    the running app's settings, so each limit is configured once and checked once, here.
    """

    def __init__(self, setting: str, what: str) -> None:
        self.setting, self.what = setting, what

    def __call__(self, value, settings: Settings | None = None):
        """``settings`` where there is no app (``claimcheck batch``); else the running app's."""
        limit = getattr(settings or settings_in_force(), self.setting)
        if len(value) > limit:
            raise ma.ValidationError(
                f"{len(value)} {self.what}; the limit is {limit} (CLAIMCHECK_{self.setting.upper()})"
            )
        return value


def not_blank(value: str) -> str:
    if not value.strip():
        raise ma.ValidationError("text must contain at least one non-whitespace character")
    return value


TEXT_RULES = (not_blank, ConfiguredLimit("max_article_chars", "characters"))


def text_problems(text: str, settings: Settings | None = None) -> list[str]:
    """The article-text rules, for a batch, where one bad article fails alone (not the whole request);
    ``settings`` outside a request (``claimcheck batch``)."""
    problems: list[str] = []
    for rule in TEXT_RULES:
        try:
            rule(text, settings) if isinstance(rule, ConfiguredLimit) else rule(text)
        except ma.ValidationError as exc:
            problems += exc.messages if isinstance(exc.messages, list) else [str(exc.messages)]
    return problems


class StrictSchema(ma.Schema):
    class Meta:
        unknown = ma.RAISE


class OptionsSchema(StrictSchema):
    top_k = ma.fields.Integer(
        validate=validate.Range(1, 20),
        metadata={"description": "evidence sentences scored per claim (default from config)"},
    )
    entail_threshold = ma.fields.Float(
        validate=validate.Range(0.0, 1.0), metadata={"description": "P(entailment) needed to confirm"}
    )
    contradict_threshold = ma.fields.Float(
        validate=validate.Range(0.0, 1.0), metadata={"description": "P(contradiction) needed to deny"}
    )


class ArticleSchema(StrictSchema):
    text = ma.fields.String(
        required=True,
        validate=list(TEXT_RULES),
        metadata={
            "description": f"the article body (plain text; HTML tags are blanked; blank text is a 422); at most "
            f"CLAIMCHECK_MAX_ARTICLE_CHARS characters (default {DEFAULTS.max_article_chars}); offsets in "
            "the response index into this string, in Unicode code points",
            "example": "The minister said the bridge will open in May. The ministry denied that the bridge will open "
            "in May.",
        },
    )
    title = ma.fields.String(
        validate=validate.Length(max=1000),
        metadata={
            "description": "optional headline: verified against the body and answered as `title` (its offsets index "
            "the title)"
        },
    )


class VerifyRequestSchema(ArticleSchema):
    options = ma.fields.Nested(OptionsSchema)


class BatchItemSchema(ArticleSchema):
    text = ma.fields.String(
        required=True,
        metadata={"description": "as in /v1/verify; an article that breaks a text rule fails alone, in its result"},
    )
    id = ma.fields.String(
        validate=validate.Length(max=200), metadata={"description": "caller's id, echoed back in the result"}
    )


class BatchRequestSchema(StrictSchema):
    articles = ma.fields.List(
        ma.fields.Nested(BatchItemSchema),
        required=True,
        validate=[validate.Length(min=1), ConfiguredLimit("max_batch_articles", "articles")],
        metadata={
            "description": f"articles to verify, at most CLAIMCHECK_MAX_BATCH_ARTICLES "
            f"(default {DEFAULTS.max_batch_articles})"
        },
    )
    options = ma.fields.Nested(OptionsSchema)


class JobRequestSchema(StrictSchema):
    """One article (as ``/v1/verify``) or many (as ``/v1/verify/batch``), plus where to say it is done."""

    text = ma.fields.String(metadata={"description": "one article, as in /v1/verify (or send `articles`)"})
    title = ma.fields.String(validate=validate.Length(max=1000), metadata={"description": "with `text` only"})
    articles = ma.fields.List(
        ma.fields.Nested(BatchItemSchema),
        validate=[validate.Length(min=1), ConfiguredLimit("max_job_articles", "articles")],
        metadata={
            "description": "many articles, as in /v1/verify/batch, at most CLAIMCHECK_MAX_JOB_ARTICLES "
            f"(default {DEFAULTS.max_job_articles}); an article that breaks a text rule fails alone"
        },
    )
    options = ma.fields.Nested(OptionsSchema)
    callback_url = ma.fields.Url(
        require_tld=False,
        schemes={"http", "https"},
        metadata={
            "description": "POSTed the final job (as GET /v1/jobs/{id} answers it) when the job ends, signed "
            "`X-Claimcheck-Signature: sha256=<hex HMAC-SHA256 of the body>` with CLAIMCHECK_CALLBACK_SECRET, "
            "retried with exponential backoff; the outcome shows in the job's `callback`"
        },
    )

    @ma.validates_schema
    def one_of(self, data: dict, **kwargs) -> None:
        if ("text" in data) == ("articles" in data):
            raise ma.ValidationError("send either `text` (one article) or `articles` (many)", "_schema")
        if "title" in data and "articles" in data:
            raise ma.ValidationError("`title` goes with `text`; give each article its own title", "title")
        if "text" in data:
            for rule in TEXT_RULES:
                try:
                    rule(data["text"])
                except ma.ValidationError as exc:
                    raise ma.ValidationError(exc.messages, "text") from None
        if "callback_url" in data and not settings_in_force().callback_secret:
            raise ma.ValidationError(
                "callbacks are signed, and this service has no CLAIMCHECK_CALLBACK_SECRET", "callback_url"
            )


class ProgressSchema(ma.Schema):
    done = ma.fields.Integer(required=True, metadata={"description": "articles answered (results or errors)"})
    total = ma.fields.Integer(required=True)


class CallbackStateSchema(ma.Schema):
    url = ma.fields.String(required=True)
    state = ma.fields.String(required=True, validate=validate.OneOf(CALLBACK_STATES))
    attempts = ma.fields.Integer()
    last_status = ma.fields.Integer(allow_none=True, metadata={"description": "the receiver's HTTP status"})
    last_error = ma.fields.String(allow_none=True)


class JobSchema(ma.Schema):
    id = ma.fields.String(required=True)
    status = ma.fields.String(required=True, validate=validate.OneOf(JOB_STATES))
    progress = ma.fields.Nested(ProgressSchema, required=True)
    created_at = ma.fields.String(allow_none=True)
    started_at = ma.fields.String(allow_none=True)
    ended_at = ma.fields.String(allow_none=True)
    error = ma.fields.Nested(
        "BatchErrorSchema", allow_none=True, metadata={"description": "why the job failed (status failed)"}
    )
    callback = ma.fields.Nested(CallbackStateSchema, allow_none=True)
    cancel_requested = ma.fields.Boolean(
        metadata={"description": "DELETE was received; a running job stops after its current article"}
    )
    results = ma.fields.List(
        ma.fields.Dict(),
        metadata={
            "description": "once the job has ended: one item per article answered, in order, each exactly an item of "
            "/v1/verify/batch `results` (index, id, ok, result or error); partial for a failed or cancelled job"
        },
    )


class ScoresSchema(ma.Schema):
    entailment = ma.fields.Float()
    neutral = ma.fields.Float()
    contradiction = ma.fields.Float()


class WindowSchema(ma.Schema):
    start = ma.fields.Integer(required=True)
    end = ma.fields.Integer(required=True)

    @ma.pre_dump
    def _from_span(self, span: tuple[int, int], **_: object) -> dict[str, int]:
        return {"start": span[0], "end": span[1]}


class EvidenceSchema(ma.Schema):
    start = ma.fields.Integer(attribute="sentence.start", required=True)
    end = ma.fields.Integer(attribute="sentence.end", required=True)
    text = ma.fields.String(attribute="sentence.submitted", required=True)
    speaker = ma.fields.String(allow_none=True, required=True)
    relation = ma.fields.String(required=True, validate=validate.OneOf(RELATION_VALUES))
    score = ma.fields.Float(
        required=True,
        metadata={
            "description": "supports: P(entailment) of the claim (or its core) given this sentence, or given "
            "its window where `window` is set; refutes: P(contradiction), or for a "
            "denial P(entailment) between the claim and the proposition denied, or for a denial by reference "
            '("denied the reports") how sure the reference resolution is; non_committal: retrieval similarity'
        },
    )
    window = ma.fields.Nested(
        WindowSchema,
        allow_none=True,
        required=True,
        metadata={
            "description": "where this sentence was read together with its neighbours by the same source and "
            "that window, not the sentence alone, gave the score (a headline's support): the window's span, "
            "text[start:end] of the request; null otherwise"
        },
    )


class ClaimSchema(ma.Schema):
    id = ma.fields.String(attribute="claim.id", required=True)
    text = ma.fields.String(
        attribute="claim.sentence.submitted",
        required=True,
        metadata={"description": "the sentence; equals text[start:end] of the request"},
    )
    start = ma.fields.Integer(attribute="claim.sentence.start", required=True)
    end = ma.fields.Integer(attribute="claim.sentence.end", required=True)
    content = ma.fields.String(
        attribute="claim.content",
        required=True,
        metadata={"description": "what the sentence asserts, reported speech unwrapped"},
    )
    speaker = ma.fields.String(attribute="claim.speaker", allow_none=True, required=True)
    speculative = ma.fields.Boolean(
        attribute="claim.source.speculative",
        required=True,
        metadata={
            "description": "a possibility or forecast ('there could be …', 'will probably …'): never read against "
            "other sentences nor used as evidence; unverified unless a source explicitly denies or confirms it"
        },
    )
    label = ma.fields.String(required=True, validate=validate.OneOf(LABEL_VALUES))
    confidence = ma.fields.Float(
        required=True,
        metadata={"description": "calibrated probability that the label is right (measured on hand-annotated news)"},
    )
    scores = ma.fields.Nested(
        ScoresSchema,
        required=True,
        metadata={
            "description": "NLI probabilities of the deciding (or nearest) evidence; empty when no evidence was scored"
        },
    )
    evidence = ma.fields.List(ma.fields.Nested(EvidenceSchema), required=True)


class ContradictionSchema(ma.Schema):
    claim_ids = ma.fields.List(ma.fields.String(), required=True)
    score = ma.fields.Float(required=True)


class KernelSchema(ma.Schema):
    requested = ma.fields.String(required=True, metadata={"description": "what CLAIMCHECK_QUANTIZE asked for"})
    recipe = ma.fields.String(required=True, metadata={"description": "the recipe running"})
    reason = ma.fields.String(required=True, metadata={"description": "why that recipe"})
    cpu_capability = ma.fields.String(required=True, metadata={"description": "torch's vector ISA on this CPU"})
    probe_ms = ma.fields.Dict(
        keys=ma.fields.String(),
        values=ma.fields.Float(),
        metadata={"description": "auto only: ms per probe product for each candidate recipe, timed at load"},
    )


class ModelInfoSchema(ma.Schema):
    name = ma.fields.String(required=True)
    version = ma.fields.String(required=True)
    labels = ma.fields.List(ma.fields.String(), required=True)
    quantize = ma.fields.String(required=True, metadata={"description": "the inference recipe in use"})
    summary = ma.fields.String(metadata={"description": "first paragraph of the model card"})
    kernel = ma.fields.Nested(KernelSchema, metadata={"description": "how the recipe was chosen on this machine"})


class ServiceInfoSchema(ModelInfoSchema):
    """``GET /v1/model``: the model, plus what a client needs to know of this deployment."""

    request_budget_s = ma.fields.Float(
        required=True,
        metadata={
            "description": "CLAIMCHECK_REQUEST_BUDGET_S: the wall clock the service spends on one /v1/verify or "
            "/v1/verify/batch request before it answers 504. A client should wait this long plus a few seconds "
            "for the network, no less (it would give up on work the service goes on doing) and not much more; "
            "the bundled JavaScript client reads it here once and does exactly that",
            "example": DEFAULTS.request_budget_s,
        },
    )


class StatsSchema(ma.Schema):
    sentences = ma.fields.Integer(required=True)
    claims = ma.fields.Integer(required=True)
    nli_pairs = ma.fields.Integer(required=True)


class ArticleResultSchema(ma.Schema):
    """Dumps an ``ArticleResult`` itself: a view, the worker and the CLI hand it over as the pipeline made it."""

    claims = ma.fields.List(ma.fields.Nested(ClaimSchema), required=True)
    title = ma.fields.Nested(
        ClaimSchema,
        allow_none=True,
        metadata={
            "description": 'the headline\'s verdict against the body (id "title"), when a title was sent; else null'
        },
    )
    contradictions = ma.fields.List(ma.fields.Nested(ContradictionSchema), required=True)
    stats = ma.fields.Nested(StatsSchema, required=True)

    @ma.pre_dump
    def from_result(self, result: ArticleResult, **kwargs) -> dict[str, Any]:
        return article_fields(result)


def article_fields(result: ArticleResult) -> dict[str, Any]:
    """An ``ArticleResult`` under the contract's names (claims, contradictions, stats, the title's verdict)."""
    return {
        "claims": result.verdicts,
        "contradictions": result.contradictions,
        "title": result.title,
        "stats": {"sentences": len(result.sentences), "claims": len(result.verdicts), "nli_pairs": result.nli_pairs},
    }


@dataclass(frozen=True)
class Answer:
    """One article answered by ``POST /v1/verify``: the pipeline's result and what the response adds."""

    result: ArticleResult
    model: Any  # the runtime's ``ModelInfo``
    timing_ms: float


class VerifyResponseSchema(ArticleResultSchema):
    """Dumps an :class:`Answer`."""

    model = ma.fields.Nested(ModelInfoSchema, required=True)
    timing_ms = ma.fields.Float(required=True)

    @ma.pre_dump
    def from_result(self, answer: Answer, **kwargs) -> dict[str, Any]:
        return {**article_fields(answer.result), "model": answer.model, "timing_ms": answer.timing_ms}


class BatchErrorSchema(ma.Schema):
    code = ma.fields.String(required=True)
    message = ma.fields.String(required=True)
    details = ma.fields.Dict()


class BatchResultSchema(ma.Schema):
    index = ma.fields.Integer(required=True)
    id = ma.fields.String(allow_none=True)
    ok = ma.fields.Boolean(required=True)
    result = ma.fields.Nested(ArticleResultSchema)
    error = ma.fields.Nested(BatchErrorSchema)


class BatchResponseSchema(ma.Schema):
    results = ma.fields.List(ma.fields.Nested(BatchResultSchema), required=True)
    model = ma.fields.Nested(ModelInfoSchema, required=True)
    timing_ms = ma.fields.Float(required=True)


class HealthSchema(ma.Schema):
    status = ma.fields.String(required=True)
    kernel = ma.fields.Nested(KernelSchema, metadata={"description": "/readyz: the recipe chosen at load, and why"})
