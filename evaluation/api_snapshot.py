"""Every dev article through the real API, written without timings: a refactor is checked byte for byte.

    CLAIMCHECK_QUANTIZE=int8-fbgemm python -m evaluation.api_snapshot OUT.json
    cmp BEFORE.json AFTER.json      # the same command in the tree before the change (git worktree)

Each article of both dev files (and the seed, with a title) is POSTed to ``/v1/verify`` through the
app's test client, and the seed, a blank article and five dev articles to ``/v1/verify/batch``; the
bodies are written with ``timing_ms`` removed.  Pin the kernel recipe: under ``auto`` two runs may
pick different int8 recipes, which move a few scores.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any

from claimcheck.app import create_app
from claimcheck.config import REPO_ROOT
from evaluation.quality import REALNEWS_FILES, load_realnews

SEED = REPO_ROOT / "seeds" / "000_460de1b4d77b6b69.txt"


def _without_timing(body: dict[str, Any]) -> dict[str, Any]:
    body.pop("timing_ms", None)
    return body


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("out", type=Path)
    ap.add_argument("--eval-dir", type=Path, default=REPO_ROOT.parent / "shared" / "eval")
    args = ap.parse_args(argv)
    client = create_app().test_client()
    seed = SEED.read_text(encoding="utf-8")
    articles = [a for file in REALNEWS_FILES.values() for a in load_realnews(args.eval_dir, file) or []]
    out = []
    for art in [{"id": "seed", "text": seed, "title": "Trump says he talked with Putin"}, *articles]:
        body = {"text": art["text"], **({"title": art["title"]} if art.get("title") else {})}
        resp = client.post("/v1/verify", json=body)
        out.append({"id": art["id"], "status": resp.status_code, "body": _without_timing(resp.get_json())})
    batch = [{"id": "seed", "text": seed}, {"id": "blank", "text": "   "}] + [
        {"id": a["id"], "text": a["text"]} for a in articles[:5]
    ]
    resp = client.post("/v1/verify/batch", json={"articles": batch})
    out.append({"id": "batch", "status": resp.status_code, "body": _without_timing(resp.get_json())})
    args.out.write_text(json.dumps(out, indent=1, sort_keys=True, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"{len(out)} responses written to {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
