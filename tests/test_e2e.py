"""The editor's view, end to end: Debian's Chromium, driven by Playwright, on ``/demo`` of a real
gunicorn with the shipped model (in fp32: ``QUANTIZE``).

``docs/demo.png`` (shown in the README) is this test's product: the demo on the seed article, with a
denied claim open.  Beside it, ``docs/demo.json`` records what the picture shows (each claim's label,
confidence and text, the contradiction pairs, the open popover's text) and the PNG's sha256.  The test
fails when the demo now renders something else than that record (labels, texts and pairs exactly;
numbers within ``TOLERANCE``, robust to another CPU's kernel; pixels are not compared, fonts differ
between machines), or when the PNG is not the one the record was written with.  Regenerate both with
``CLAIMCHECK_UPDATE_DEMO=1 .venv/bin/python -m pytest tests/test_e2e.py`` and commit them.

Needs ``apt-get install chromium`` (``.ci/run`` installs it); skipped with that reason elsewhere,
because Playwright's own browser download does not work offline.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import signal
from pathlib import Path

import pytest
from helpers import ROOT, start_gunicorn

CHROMIUM = "/usr/bin/chromium"
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
    "--disable-quic",
]

DEMO_PNG = ROOT / "docs" / "demo.png"
DEMO_JSON = ROOT / "docs" / "demo.json"
UPDATE_DEMO = os.environ.get("CLAIMCHECK_UPDATE_DEMO") == "1"
TOLERANCE = 0.05  # a confidence or score may move by 0.05 (0.43 vs 0.47; 43 % vs 47 %), another number by 5 %
SEED_PATH = "seeds/000_460de1b4d77b6b69.txt"
# distinctive, and generous for a slow machine: the widget's client must wait this plus its 5 s margin
BUDGET_S = 47.5
# the picture shows fp32, the model's reference precision, on every machine: under "auto" the recipe is
# probed at load, and int8 and fp32 label this article differently (c11: confirmed 0.48 in fp32, unverified 0.27
# in int8), so the picture would depend on the machine and on how busy it was at start-up
QUANTIZE = "none"
NETWORK_MARGIN_MS = 5000

pytestmark = pytest.mark.skipif(
    not Path(CHROMIUM).exists() or shutil.which("chromium") is None,
    reason="Debian's chromium is not installed (apt-get install chromium)",
)


@pytest.fixture(scope="module")
def server():
    proc, url = start_gunicorn(
        {
            "CLAIMCHECK_WORKERS": "1",
            "CLAIMCHECK_LOG_LEVEL": "warning",
            "CLAIMCHECK_REQUEST_BUDGET_S": str(BUDGET_S),
            "CLAIMCHECK_QUANTIZE": QUANTIZE,
        },
        ready_within=300,  # the shipped model's load and warm-up, on a busy 2-core machine
    )
    yield url
    proc.send_signal(signal.SIGTERM)
    proc.wait(timeout=30)


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS, headless=True)
        yield browser
        browser.close()


# what the picture shows, read from the DOM: robust to font antialiasing, exact on what an editor reads
RENDERED = """() => ({
  claims: [...document.querySelectorAll(".cc-article mark[data-claim-id]")].map((m) => ({
    id: m.dataset.claimId, label: m.dataset.label, confidence: Math.round(Number(m.dataset.confidence) * 1000) / 1000,
    text: m.textContent,
  })),
  contradictions: [...document.querySelectorAll("li[data-pair]")].map((li) => li.dataset.pair.split(" ")),
})"""
NUMBER = re.compile(r"(\d+(?:\.\d+)?)( ?%)?")


def close(a: float, b: float) -> bool:
    return abs(a - b) <= TOLERANCE * max(1.0, abs(a), abs(b))


def same_text(a: str, b: str) -> bool:
    """Equal but for the numbers in them, which may each move within TOLERANCE."""
    if NUMBER.sub("#", a) != NUMBER.sub("#", b):
        return False
    values = [[float(n) / (100 if pct else 1) for n, pct in NUMBER.findall(text)] for text in (a, b)]
    return all(close(x, y) for x, y in zip(*values))


def differences(recorded: dict, rendered: dict) -> list[str]:
    """What an editor would see differently in the committed picture than in the demo now."""
    found = []
    for key in ("article", "quantize"):
        if recorded.get(key) != rendered[key]:
            found.append(f"{key}: {recorded.get(key)} in the picture, {rendered[key]} now")
    old, new = recorded.get("claims", []), rendered["claims"]
    if [c["text"] for c in old] != [c["text"] for c in new]:
        found.append(f"claims: {len(old)} highlighted in the picture, {len(new)} now, or other sentences")
    for was, now in zip(old, new):
        if (was["id"], was["label"]) != (now["id"], now["label"]):
            found.append(
                f"{now['text'][:50]!r}: {was['id']} {was['label']} in the picture, {now['id']} {now['label']} now"
            )
        elif not close(was["confidence"], now["confidence"]):
            found.append(f"{now['id']}: confidence {was['confidence']} in the picture, {now['confidence']} now")
    if recorded.get("contradictions") != rendered["contradictions"]:
        found.append(f"contradictions: {recorded.get('contradictions')} vs {rendered['contradictions']}")
    was_open, now_open = recorded.get("popover", {}), rendered["popover"]
    if was_open.get("claim_id") != now_open["claim_id"] or not same_text(was_open.get("text", ""), now_open["text"]):
        found.append(f"popover: {was_open.get('text')!r}\n  now: {now_open['text']!r}")
    return found


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_demo_highlights_the_seed_article(server, browser, seed_text, tmp_path):
    page = browser.new_page(viewport={"width": 1100, "height": 900})
    page.goto(server + "/demo")
    page.fill("textarea.cc-input", seed_text)
    page.click("button.cc-check")
    page.wait_for_selector("mark[data-claim-id]", timeout=2 * 1000 * BUDGET_S)

    trump = page.locator("mark[data-claim-id]", has_text="he had talked with Russian President Vladimir Putin")
    assert trump.get_attribute("data-label") == "unverified"
    kremlin = page.locator("mark[data-claim-id]", has_text="no substantive talks on a possible meeting")
    senator = page.locator("mark[data-claim-id]", has_text="arrangements for a meeting were underway")
    k_id, s_id = kremlin.get_attribute("data-claim-id"), senator.get_attribute("data-claim-id")
    assert s_id in (kremlin.get_attribute("data-contradicts") or "").split()
    pairs = [set(li.get_attribute("data-pair").split()) for li in page.locator("li[data-pair]").all()]
    assert {k_id, s_id} in pairs
    assert "denied" in {kremlin.get_attribute("data-label"), senator.get_attribute("data-label")}

    trump.click()
    popover = page.locator(".cc-popover")
    assert popover.is_visible()
    said = popover.inner_text()
    assert "non-committal" in said and "can neither deny nor confirm" in said
    assert re.search(r"this sentence is non-committal: similarity 0\.\d\d", said), said
    assert page.locator(".cc-evidence-active").count() >= 1  # the evidence is highlighted in the text too

    # issue 24.11: "denied · 43 %" beside "refutes (0.93)" read as a contradiction; each number says what it is
    # (the senator's account: refuted by the Kremlin at a higher NLI score than its verdict confidence)
    senator.click()
    said = popover.inner_text()
    confidence = round(float(senator.get_attribute("data-confidence")) * 100)
    assert f"denied · verdict confidence {confidence} %" in said, said
    nli = re.search(r"this sentence refutes it: NLI (0\.\d\d)", said)
    assert nli and float(nli.group(1)) > confidence / 100, said  # the case that confused editors
    assert "Verdict confidence: how likely the label is right, all the evidence weighed." in said
    assert "NLI: how strongly the language model reads that one sentence" in said

    # a forecast is shown as one: "I will probably be talking to President Putin" is neither confirmed nor denied
    zelensky = page.locator("mark[data-claim-id]", has_text="I will probably be meeting with President Zelensky")
    assert zelensky.get_attribute("data-label") == "unverified"
    zelensky.click()
    assert "A possibility or forecast" in popover.inner_text()
    senator.click()

    rendered = {
        "article": SEED_PATH,
        "quantize": page.evaluate("() => fetch('/v1/model').then((r) => r.json()).then((m) => m.quantize)"),
        **page.evaluate(RENDERED),
        "popover": {"claim_id": senator.get_attribute("data-claim-id"), "text": said},
    }
    shot = DEMO_PNG if UPDATE_DEMO else tmp_path / "demo.png"
    page.screenshot(path=str(shot), full_page=True)
    page.close()
    if UPDATE_DEMO:
        record = {"png": DEMO_PNG.name, "png_sha256": sha256(DEMO_PNG), **rendered}
        DEMO_JSON.write_text(json.dumps(record, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
        return
    recorded = json.loads(DEMO_JSON.read_text(encoding="utf-8"))
    assert recorded["png_sha256"] == sha256(DEMO_PNG), (
        "docs/demo.png is not the picture docs/demo.json describes: regenerate both with CLAIMCHECK_UPDATE_DEMO=1"
    )
    found = differences(recorded, rendered)
    assert not found, (
        "docs/demo.png (as docs/demo.json records it) no longer shows what the demo renders; regenerate both with "
        f"CLAIMCHECK_UPDATE_DEMO=1 .venv/bin/python -m pytest tests/test_e2e.py (this run's picture: {shot}):\n"
        + "\n".join(found)
    )


def test_the_widget_waits_as_long_as_the_servers_budget(server, browser):
    """Issue 24.3: the client's timeout is the server's CLAIMCHECK_REQUEST_BUDGET_S plus a network margin, read
    from the server, so it neither gives up on work the server goes on doing nor waits past the server's 504."""
    page = browser.new_page()
    page.goto(server + "/demo")
    wait_ms = BUDGET_S * 1000 + NETWORK_MARGIN_MS
    assert page.evaluate("() => window.claimcheckWidget.client.requestTimeoutMs()") == wait_ms
    client = "(options) => import('/demo/static/claimcheck.js').then((m) => new m.ClaimcheckClient(options))"
    assert page.evaluate(f"async () => ({client})({{}}).then((c) => c.requestTimeoutMs())") == wait_ms
    assert page.evaluate(f"async () => ({client})({{timeoutMs: 1234}}).then((c) => c.requestTimeoutMs())") == 1234
    # the budget cannot be read: a sane default, and the lookup is tried again on the next request
    page.route("**/v1/model", lambda route: route.abort("connectionrefused"))
    fallback = page.evaluate("() => import('/demo/static/claimcheck.js').then((m) => m.FALLBACK_TIMEOUT_MS)")
    assert page.evaluate(f"async () => ({client})({{}}).then((c) => c.requestTimeoutMs())") == fallback == 25000
    page.close()

    # and the widget acts on it: a service with a 0.5 s budget that never answers is given up on at 5.5 s
    page = browser.new_page()
    page.route("**/v1/model", lambda route: route.fulfill(json={"request_budget_s": 0.5}))
    page.route("**/v1/verify", lambda route: None)  # never answered
    page.goto(server + "/demo")
    page.fill("textarea.cc-input", "The bridge will open in May, the minister said.")
    page.click("button.cc-check")
    banner = page.locator(".cc-banner")
    banner.wait_for(state="visible", timeout=30_000)
    assert "unavailable (timeout)" in banner.inner_text() and "no answer within 5500 ms" in banner.inner_text()
    page.close()


def test_demo_says_clearly_when_the_service_is_down(server, browser):
    page = browser.new_page()
    page.goto(server + "/demo")
    page.route("**/v1/verify", lambda route: route.abort("connectionrefused"))
    page.fill("textarea.cc-input", "The bridge will open in May, the minister said.")
    page.click("button.cc-check")
    banner = page.locator(".cc-banner")
    banner.wait_for(state="visible", timeout=10_000)
    assert "unavailable" in banner.inner_text()
    assert "The bridge will open in May" in page.locator(".cc-article").inner_text()  # the editor's text is kept
    page.close()
