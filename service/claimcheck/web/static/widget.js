// claimcheck widget: an editor box, and the article rendered with every claim highlighted in place.
// No build step, no dependencies beyond the claimcheck client. Usage:
//
//   import { mountWidget } from "/demo/static/widget.js";
//   mountWidget(document.getElementById("claimcheck"), { baseUrl: "https://claimcheck.example", apiKey: "…" });
//
// Offsets from the service count Unicode code points; the widget slices by code point, so emoji
// and other astral characters never shift a highlight.

import { ClaimcheckClient } from "/demo/static/claimcheck.js";

function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs)) {
    if (value === null || value === undefined) continue;
    if (key === "class") node.className = value;
    else if (key === "text") node.textContent = value;
    else node.setAttribute(key, value);
  }
  for (const child of children) node.append(child);
  return node;
}

const spanKey = (start, end) => `${start}-${end}`;
const percent = (p) => `${Math.round(p * 100)} %`;

// What an evidence sentence does to the claim, and what its score measures (EvidenceSchema.score):
// P(entailment) or P(contradiction) from the NLI model for that one sentence, retrieval similarity for
// a non-committal one. Worded for an editor, who must not read it as the verdict's confidence.
const RELATIONS = {
  supports: { says: "this sentence supports it", score: "NLI" },
  refutes: { says: "this sentence refutes it", score: "NLI" },
  non_committal: { says: "this sentence is non-committal", score: "similarity" },
};
const SCORE_NOTES = {
  NLI: "NLI: how strongly the language model reads that one sentence as supporting or refuting the claim, " +
    "from 0 to 1.",
  similarity: "Similarity: how close that sentence is to the claim in meaning, from 0 to 1.",
};

/** The article as nodes: claims as <mark>, evidence sentences as <span>, the rest as plain text. */
export function renderArticle(text, result) {
  const points = Array.from(text);
  const spans = new Map();
  const partners = new Map();
  for (const pair of result.contradictions) {
    const [a, b] = pair.claim_ids;
    partners.set(a, [...(partners.get(a) || []), b]);
    partners.set(b, [...(partners.get(b) || []), a]);
  }
  for (const claim of result.claims) {
    spans.set(spanKey(claim.start, claim.end), { start: claim.start, end: claim.end, claim });
    for (const ev of claim.evidence) {
      const key = spanKey(ev.start, ev.end);
      if (!spans.has(key)) spans.set(key, { start: ev.start, end: ev.end, claim: null });
    }
  }
  const ordered = [...spans.values()].sort((x, y) => x.start - y.start);
  const fragment = document.createDocumentFragment();
  let cursor = 0;
  for (const span of ordered) {
    if (span.start < cursor) continue; // sentences never overlap; be safe anyway
    fragment.append(points.slice(cursor, span.start).join(""));
    const words = points.slice(span.start, span.end).join("");
    const key = spanKey(span.start, span.end);
    if (span.claim) {
      const c = span.claim;
      fragment.append(el("mark", {
        class: "cc-claim cc-evidence", "data-claim-id": c.id, "data-label": c.label, "data-span": key,
        "data-contradicts": (partners.get(c.id) || []).join(" ") || null, "data-confidence": String(c.confidence),
        tabindex: "0",
        title: `${c.label}, verdict confidence ${percent(c.confidence)}${c.speaker ? " — " + c.speaker : ""}`,
        text: words,
      }));
    } else {
      fragment.append(el("span", { class: "cc-evidence", "data-span": key, text: words }));
    }
    cursor = span.end;
  }
  fragment.append(points.slice(cursor).join(""));
  return { fragment, partners };
}

/** `timeoutMs`: leave it out to wait as long as the service's own request budget (the client reads it). */
export function mountWidget(root, { baseUrl = "", apiKey = null, timeoutMs = null, autoCheckMs = 0 } = {}) {
  const client = new ClaimcheckClient({ baseUrl, apiKey, timeoutMs });
  const input = el("textarea", { class: "cc-input", "aria-label": "Article text", placeholder: "Paste an article…" });
  const button = el("button", { type: "button", class: "cc-check", text: "Check claims" });
  const status = el("span", { class: "cc-status", role: "status", text: "" });
  const banner = el("div", { class: "cc-banner", role: "alert", hidden: "" });
  const article = el("div", { class: "cc-article", "aria-live": "polite" });
  const contradictions = el("ul", { class: "cc-contradictions" });
  const popover = el("div", { class: "cc-popover", hidden: "", role: "dialog" });
  root.classList.add("cc-widget");
  root.append(input, el("div", { class: "cc-bar" }, button, status), banner, article, contradictions, popover);

  let current = null; // { text, result, partners }
  let inflight = null;
  let timer = null;

  function showError(err) {
    const down = err.status === 0 || err.status >= 500;
    banner.textContent = down
      ? `claimcheck is unavailable (${err.code}): ${err.message}. Your text is kept; press Check claims to retry.`
      : `claimcheck could not check this text (${err.code}): ${err.message}`;
    banner.hidden = false;
    status.dataset.state = "error";
    status.textContent = err.requestId ? `request ${err.requestId}` : "";
  }

  function clearActive() {
    for (const node of article.querySelectorAll(".cc-active, .cc-evidence-active, .cc-partner-active")) {
      node.classList.remove("cc-active", "cc-evidence-active", "cc-partner-active");
    }
    popover.hidden = true;
  }

  function openClaim(id) {
    if (!current) return;
    const claim = current.result.claims.find((c) => c.id === id);
    const mark = article.querySelector(`mark[data-claim-id="${id}"]`);
    if (!claim || !mark) return;
    clearActive();
    mark.classList.add("cc-active");
    for (const ev of claim.evidence) {
      const node = article.querySelector(`[data-span="${spanKey(ev.start, ev.end)}"]`);
      if (node) node.classList.add("cc-evidence-active");
    }
    const partners = current.partners.get(id) || [];
    for (const other of partners) {
      const node = article.querySelector(`mark[data-claim-id="${other}"]`);
      if (node) node.classList.add("cc-partner-active");
    }
    const relation = (ev) => RELATIONS[ev.relation] || { says: ev.relation, score: "score" };
    const scoreKinds = [...new Set(claim.evidence.map((ev) => relation(ev).score))];
    popover.replaceChildren(
      el("h3", { text: `${claim.label} · verdict confidence ${percent(claim.confidence)}` }),
      el("div", { text: `Speaker: ${claim.speaker || "the article (narrator)"}` }),
      el("div", { text: `Claim: ${claim.content}` }),
      ...(claim.speculative ? [el("div", { class: "cc-note",
        text: "A possibility or forecast: only an explicit confirmation or denial of it counts." })] : []),
      claim.evidence.length
        ? el("ul", {}, ...claim.evidence.map((ev) => el("li", { "data-relation": ev.relation },
            el("span", { class: "cc-relation",
              text: `${relation(ev).says}: ${relation(ev).score} ${ev.score.toFixed(2)}` }),
            ` — ${ev.speaker ? ev.speaker + ": " : ""}${ev.text}`,
            ev.window ? " (read together with the sentences around it)" : "")))
        : el("div", { text: "No evidence elsewhere in the article." }),
      ...(partners.length ? [el("div", {}, "Contradicts: ",
        ...partners.flatMap((other, i) => [i ? ", " : "",
          el("button", { class: "cc-link", "data-claim-id": other, text: other })]))] : []),
      el("div", { class: "cc-note", text: [
        "Verdict confidence: how likely the label is right, all the evidence weighed.",
        ...scoreKinds.map((kind) => SCORE_NOTES[kind]).filter(Boolean),
      ].join(" ") }),
    );
    const box = mark.getBoundingClientRect();
    popover.style.left = `${window.scrollX + box.left}px`;
    popover.style.top = `${window.scrollY + box.bottom + 6}px`;
    popover.hidden = false;
  }

  async function check() {
    clearTimeout(timer);
    const text = input.value;
    if (!text.trim() || (current && current.text === text)) return;
    if (inflight) inflight.abort();
    inflight = new AbortController();
    status.dataset.state = "busy";
    status.textContent = "checking…";
    try {
      const result = await client.verify(text, { signal: inflight.signal });
      const { fragment, partners } = renderArticle(text, result);
      current = { text, result, partners };
      banner.hidden = true;
      article.replaceChildren(fragment);
      contradictions.replaceChildren(...result.contradictions.map((pair) => el("li",
        { "data-pair": pair.claim_ids.join(" ") },
        el("button", { class: "cc-link", "data-claim-id": pair.claim_ids[0], text: pair.claim_ids[0] }), " ⟷ ",
        el("button", { class: "cc-link", "data-claim-id": pair.claim_ids[1], text: pair.claim_ids[1] }),
        ` contradict each other (${Math.round(pair.score * 100)}%)`)));
      status.dataset.state = "done";
      status.textContent = `${result.claims.length} claims · ${result.contradictions.length} contradictions · ` +
        `${Math.round(result.timing_ms)} ms`;
    } catch (err) {
      if (err.code === "cancelled") return;
      current = null;
      article.replaceChildren(text); // keep the editor's text visible, unhighlighted
      contradictions.replaceChildren();
      showError(err);
    }
  }

  button.addEventListener("click", check);
  if (autoCheckMs > 0) {
    input.addEventListener("input", () => {
      clearTimeout(timer);
      timer = setTimeout(check, autoCheckMs);
    });
  }
  root.addEventListener("click", (event) => {
    const target = event.target.closest("[data-claim-id]");
    if (target && root.contains(target)) openClaim(target.dataset.claimId);
    else if (!popover.contains(event.target)) clearActive();
  });
  root.addEventListener("keydown", (event) => {
    if (event.key === "Escape") clearActive();
    if (event.key === "Enter" && event.target.matches("mark[data-claim-id]")) openClaim(event.target.dataset.claimId);
  });
  client.ready().then((ok) => {
    if (!ok) showError({ status: 0, code: "not_ready", message: "the service is not reachable or still loading" });
  });
  return { check, openClaim, element: root, client };
}
