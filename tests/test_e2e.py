"""The editor's view, end to end: Debian's Chromium, driven by Playwright, on ``/demo`` of a real
gunicorn with the shipped model.  Saves ``docs/demo.png`` (shown in the README).

Needs ``apt-get install chromium`` (``.ci/run`` installs it); skipped with that reason elsewhere,
because Playwright's own browser download does not work offline.
"""

from __future__ import annotations

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

pytestmark = pytest.mark.skipif(
    not Path(CHROMIUM).exists() or shutil.which("chromium") is None,
    reason="Debian's chromium is not installed (apt-get install chromium)",
)


@pytest.fixture(scope="module")
def server():
    proc, url = start_gunicorn({"CLAIMCHECK_WORKERS": "1", "CLAIMCHECK_LOG_LEVEL": "warning"})
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


def test_demo_highlights_the_seed_article(server, browser, seed_text):
    page = browser.new_page(viewport={"width": 1100, "height": 900})
    page.goto(server + "/demo")
    page.fill("textarea.cc-input", seed_text)
    page.click("button.cc-check")
    page.wait_for_selector("mark[data-claim-id]", timeout=60_000)

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
    assert "non-committal" in popover.inner_text() and "can neither deny nor confirm" in popover.inner_text()
    assert page.locator(".cc-evidence-active").count() >= 1  # the evidence is highlighted in the text too
    page.screenshot(path=str(ROOT / "docs" / "demo.png"), full_page=True)
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
