// claimcheck JavaScript client: no dependencies, works in browsers and Node >= 18 (global fetch).
//
//   import { ClaimcheckClient } from "./claimcheck.js";
//   const cc = new ClaimcheckClient({ baseUrl: "https://claimcheck.example", apiKey: "…", timeoutMs: 15000 });
//   const result = await cc.verify(articleText);            // { claims, contradictions, stats, model, timing_ms }
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

export class ClaimcheckClient {
  constructor({ baseUrl = "", apiKey = null, timeoutMs = 20000, fetch: fetchImpl = null } = {}) {
    this.baseUrl = baseUrl.replace(/\/+$/, "");
    this.apiKey = apiKey;
    this.timeoutMs = timeoutMs;
    this._fetch = fetchImpl || globalThis.fetch.bind(globalThis);
  }

  /** Verify one article. `options`: { top_k, entail_threshold, contradict_threshold, title, signal }. */
  async verify(text, options = {}) {
    const { title, signal, ...tuning } = options;
    const body = { text };
    if (title) body.title = title;
    if (Object.keys(tuning).length) body.options = tuning;
    return this._request("POST", "/v1/verify", body, signal);
  }

  /** Verify several articles in one request: `articles` is [{ id?, text, title? }]. */
  async verifyBatch(articles, options = {}) {
    const { signal, ...tuning } = options;
    const body = { articles };
    if (Object.keys(tuning).length) body.options = tuning;
    return this._request("POST", "/v1/verify/batch", body, signal);
  }

  /** Name, version and labels of the model answering. */
  async model() {
    return this._request("GET", "/v1/model");
  }

  /** True when the service is ready to verify (model loaded). Never throws. */
  async ready() {
    try {
      await this._request("GET", "/readyz");
      return true;
    } catch {
      return false;
    }
  }

  async _request(method, path, body, outerSignal) {
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort("timeout"), this.timeoutMs);
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
        throw new ClaimcheckError({ status: 0, code: "timeout", message: `no answer within ${this.timeoutMs} ms` });
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
