"""Load for ``benchmarks/load_test.py``: editors' articles posted back to back (closed loop).

Every answer that is not 2xx is a failure named by its status ("status 503"), so the summary
counts non-2xx and 5xx answers separately.
"""

from __future__ import annotations

import json
from pathlib import Path

from locust import FastHttpUser, constant, task

ROOT = Path(__file__).resolve().parents[1]
SEED = (ROOT / "seeds" / "000_460de1b4d77b6b69.txt").read_text(encoding="utf-8")
SHORT = (
    "The carmaker is preparing to cut 500 jobs at its Turin plant, a union leader said on Monday. "
    "The carmaker denied that it is preparing to cut jobs at the Turin plant."
)


class Editor(FastHttpUser):
    wait_time = constant(0)

    def _verify(self, text: str, name: str) -> None:
        with self.client.post(
            "/v1/verify",
            data=json.dumps({"text": text}),
            name=name,
            headers={"Content-Type": "application/json"},
            catch_response=True,
        ) as resp:
            if not 200 <= resp.status_code < 300:
                resp.failure(f"status {resp.status_code}")

    @task(1)
    def seed_article(self) -> None:
        self._verify(SEED, "seed article (3.3k chars)")

    @task(3)
    def short_article(self) -> None:
        self._verify(SHORT, "short article (2 sentences)")
