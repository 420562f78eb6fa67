// Types for claimcheck.js — the JSON shapes of claimcheck's /v1 API (see /openapi.json).

export type Label = "confirmed" | "denied" | "unverified";
export type Relation = "supports" | "refutes" | "non_committal";

export interface Scores {
  entailment?: number;
  neutral?: number;
  contradiction?: number;
}

export interface Evidence {
  /** offsets into the submitted text: text.slice(start, end) === this.text (Unicode code points) */
  start: number;
  end: number;
  text: string;
  speaker: string | null;
  relation: Relation;
  /** P(entailment) for supports (of the sentence, or of its window when `window` is set), P(contradiction)
   * for refutes, retrieval similarity for non_committal */
  score: number;
  /** the span of the neighbouring sentences read together with this one, when that window (not the
   * sentence alone) gave the score: a headline's support; null otherwise */
  window: { start: number; end: number } | null;
}

export interface Claim {
  id: string;
  text: string;
  start: number;
  end: number;
  /** what the sentence asserts, reported speech unwrapped */
  content: string;
  speaker: string | null;
  /** a possibility or forecast ("there could be …", "will probably …"): never read against other sentences
   * nor used as evidence; unverified unless a source explicitly denies or confirms it ("dismissed the speculation") */
  speculative: boolean;
  label: Label;
  /** the verdict's confidence: calibrated probability that `label` is right, all evidence weighed
   * (not an evidence sentence's `score`) */
  confidence: number;
  scores: Scores;
  evidence: Evidence[];
}

export interface Contradiction {
  claim_ids: [string, string];
  score: number;
}

export interface ModelInfo {
  name: string;
  version: string;
  labels: string[];
  quantize: string;
  summary?: string;
}

/** GET /v1/model: the model, plus the service's request budget */
export interface ServiceInfo extends ModelInfo {
  /** CLAIMCHECK_REQUEST_BUDGET_S: seconds the service works on one verify request before it answers 504 */
  request_budget_s: number;
}

export interface Stats {
  sentences: number;
  claims: number;
  nli_pairs: number;
}

export interface ArticleResult {
  claims: Claim[];
  contradictions: Contradiction[];
  stats: Stats;
}

export interface VerifyResult extends ArticleResult {
  model: ModelInfo;
  timing_ms: number;
}

export interface BatchItemResult {
  index: number;
  id: string | null;
  ok: boolean;
  result?: ArticleResult;
  error?: { code: string; message: string; details?: Record<string, unknown> };
}

export interface BatchResult {
  results: BatchItemResult[];
  model: ModelInfo;
  timing_ms: number;
}

export interface VerifyOptions {
  top_k?: number;
  entail_threshold?: number;
  contradict_threshold?: number;
  title?: string;
  signal?: AbortSignal;
}

export interface ClientOptions {
  /** e.g. "https://claimcheck.example"; "" means the page's own origin */
  baseUrl?: string;
  /** sent as X-API-Key when the service has CLAIMCHECK_API_KEYS set */
  apiKey?: string | null;
  /** how long verify() and verifyBatch() wait, in ms. Default (null): the service's request budget
   * (`request_budget_s` of GET /v1/model, read once) + NETWORK_MARGIN_MS, or FALLBACK_TIMEOUT_MS
   * while that cannot be read */
  timeoutMs?: number | null;
  fetch?: typeof fetch;
}

export declare class ClaimcheckError extends Error {
  /** HTTP status; 0 when the service could not be reached, timed out or the call was cancelled */
  status: number;
  /** the service's error code (validation_error, rate_limited, not_ready, …) or timeout / network_error / cancelled / bad_response */
  code: string;
  details: Record<string, unknown>;
  /** X-Request-ID of the failed call, to quote to an operator */
  requestId: string | null;
  readonly retryable: boolean;
}

/** added to the service's request budget for the network: 5000 */
export declare const NETWORK_MARGIN_MS: number;
/** the timeout while the service's budget cannot be read: 25000 (the default budget, 20 s, + the margin) */
export declare const FALLBACK_TIMEOUT_MS: number;

export declare class ClaimcheckClient {
  constructor(options?: ClientOptions);
  /** the explicit `timeoutMs`, or null when the client follows the service's budget */
  timeoutMs: number | null;
  verify(text: string, options?: VerifyOptions): Promise<VerifyResult>;
  verifyBatch(articles: { id?: string; text: string; title?: string }[],
              options?: Omit<VerifyOptions, "title">): Promise<BatchResult>;
  model(): Promise<ServiceInfo>;
  ready(): Promise<boolean>;
  /** the service's CLAIMCHECK_REQUEST_BUDGET_S in seconds (read once, then cached); null when it cannot be read */
  requestBudgetS(): Promise<number | null>;
  /** the timeout verify() and verifyBatch() use now, in ms */
  requestTimeoutMs(): Promise<number>;
}
