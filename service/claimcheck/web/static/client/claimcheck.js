// claimcheck JavaScript client: no dependencies, works in browsers and Node >= 18 (global fetch).
//
//   import { ClaimcheckClient } from "./claimcheck.js";
//   const cc = new ClaimcheckClient({ baseUrl: "https://claimcheck.example", apiKey: "…" });
//   const result = await cc.verify(articleText);            // { claims, contradictions, stats, model, timing_ms }
//
// How long a verify waits: the service's own request budget (CLAIMCHECK_REQUEST_BUDGET_S, read once
// from GET /v1/model as `request_budget_s`) plus NETWORK_MARGIN_MS, so the client never gives up on
// work the service is still doing, and hears its 504 when the budget runs out. An explicit `timeoutMs`
// wins; when the budget cannot be read (an old service, not ready yet) FALLBACK_TIMEOUT_MS is used and
// the lookup is tried again on the next request.
//
// Every failure is a ClaimcheckError with `status` (HTTP status, 0 when the service could not be
// reached), `code` (the service's error code, or "timeout" / "network_error" / "bad_response"),
// `message`, `details` and `requestId` (the X-Request-ID to quote to an operator).

export class ClaimcheckError extends Error {
  constructor({ status, code, message, details = {}, requestId = null }) {
    super(message);
    this.name = "ClaimcheckError";
    this.status = status;
    this.code = code;
    this.details = details;
    this.requestId = requestId;
  }

  /** True when retrying later may succeed (model loading, rate limit, timeout, service down). */
  get retryable() {
    return this.status === 0 || this.status === 429 || this.status === 503 || this.status === 504;
  }
}

/** Added to the service's request budget: the time the answer needs to travel, and a stage that overran. */
export const NETWORK_MARGIN_MS = 5000;
/** The timeout when the service's budget cannot be read: its default budget (20 s) plus the margin. */
export const FALLBACK_TIMEOUT_MS = 25000;
/** How long the budget lookup itself (GET /v1/model) may take. */
const LOOKUP_TIMEOUT_MS = 10000;

export class ClaimcheckClient {
  constructor({ baseUrl = "", apiKey = null, timeoutMs = null, fetch: fetchImpl = null } = {}) {
    this.baseUrl = baseUrl.replace(/\/+$/, "");
    this.apiKey = apiKey;
    this.timeoutMs = timeoutMs ?? null; // null: the service's budget + NETWORK_MARGIN_MS (requestTimeoutMs)
    this._fetch = fetchImpl || globalThis.fetch.bind(globalThis);
    this._budgetLookup = null; // Promise<number | null>, kept once it has the budget
  }

  /** The service's CLAIMCHECK_REQUEST_BUDGET_S in seconds, read once from GET /v1/model; null when unknown. */
  async requestBudgetS() {
    if (!this._budgetLookup) {
      this._budgetLookup = this._request("GET", "/v1/model", undefined, undefined, LOOKUP_TIMEOUT_MS).then(
        (info) => {
          const budget = Number(info && info.request_budget_s);
          if (Number.isFinite(budget) && budget > 0) return budget;
          this._budgetLookup = null; // a service that does not say: ask again next time
          return null;
        },
        () => {
          this._budgetLookup = null; // not reachable or not ready yet: ask again next time
          return null;
        },
      );
    }
    return this._budgetLookup;
  }

  /** How long verify() and verifyBatch() wait, in ms: `timeoutMs` if given, else the service's budget
   * plus NETWORK_MARGIN_MS, else FALLBACK_TIMEOUT_MS. */
  async requestTimeoutMs() {
    if (this.timeoutMs !== null) return this.timeoutMs;
    const budget = await this.requestBudgetS();
    return budget === null ? FALLBACK_TIMEOUT_MS : Math.round(budget * 1000) + NETWORK_MARGIN_MS;
  }

  /** Verify one article. `options`: { top_k, entail_threshold, contradict_threshold, title, signal }. */
  async verify(text, options = {}) {
    const { title, signal, ...tuning } = options;
    const body = { text };
    if (title) body.title = title;
    if (Object.keys(tuning).length) body.options = tuning;
    return this._request("POST", "/v1/verify", body, signal, await this.requestTimeoutMs());
  }

  /** Verify several articles in one request: `articles` is [{ id?, text, title? }]. */
  async verifyBatch(articles, options = {}) {
    const { signal, ...tuning } = options;
    const body = { articles };
    if (Object.keys(tuning).length) body.options = tuning;
    return this._request("POST", "/v1/verify/batch", body, signal, await this.requestTimeoutMs());
  }

  /** Name, version and labels of the model answering, and the service's `request_budget_s`. */
  async model() {
    const info = await this._request("GET", "/v1/model", undefined, undefined, this.timeoutMs ?? LOOKUP_TIMEOUT_MS);
    const budget = Number(info && info.request_budget_s);
    if (Number.isFinite(budget) && budget > 0) this._budgetLookup = Promise.resolve(budget);
    return info;
  }

  /** True when the service is ready to verify (model loaded). Never throws. */
  async ready() {
    try {
      await this._request("GET", "/readyz", undefined, undefined, this.timeoutMs ?? LOOKUP_TIMEOUT_MS);
      return true;
    } catch {
      return false;
    }
  }

  async _request(method, path, body, outerSignal, timeoutMs) {
    if (outerSignal && outerSignal.aborted) {
      throw new ClaimcheckError({ status: 0, code: "cancelled", message: "the request was cancelled" });
    }
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort("timeout"), timeoutMs);
    const onOuterAbort = () => controller.abort("cancelled");
    if (outerSignal) outerSignal.addEventListener("abort", onOuterAbort, { once: true });
    const headers = { Accept: "application/json" };
    if (body !== undefined) headers["Content-Type"] = "application/json";
    if (this.apiKey) headers["X-API-Key"] = this.apiKey;
    let response;
    try {
      response = await this._fetch(this.baseUrl + path, {
        method,
        headers,
        body: body === undefined ? undefined : JSON.stringify(body),
        signal: controller.signal,
      });
    } catch (err) {
      const reason = controller.signal.reason;
      if (reason === "timeout") {
        throw new ClaimcheckError({ status: 0, code: "timeout", message: `no answer within ${timeoutMs} ms` });
      }
      if (reason === "cancelled") {
        throw new ClaimcheckError({ status: 0, code: "cancelled", message: "the request was cancelled" });
      }
      throw new ClaimcheckError({
        status: 0,
        code: "network_error",
        message: `claimcheck is unreachable at ${this.baseUrl || "this origin"} (${err && err.message})`,
      });
    } finally {
      clearTimeout(timer);
      if (outerSignal) outerSignal.removeEventListener("abort", onOuterAbort);
    }
    const requestId = response.headers.get("X-Request-ID");
    let payload = null;
    try {
      payload = await response.json();
    } catch {
      payload = null;
    }
    if (!response.ok) {
      const error = (payload && payload.error) || {};
      throw new ClaimcheckError({
        status: response.status,
        code: error.code || "http_" + response.status,
        message: error.message || `HTTP ${response.status}`,
        details: error.details || {},
        requestId,
      });
    }
    if (payload === null) {
      throw new ClaimcheckError({ status: response.status, code: "bad_response", message: "answer was not JSON", requestId });
    }
    return payload;
  }
}
