"""``claimcheck verify FILE…``: the service's pipeline on local files, as JSON or a readable table."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from claimcheck.config import Settings
from claimcheck.pipeline.types import ArticleResult


def result_to_json(result: ArticleResult) -> dict:
    """The same JSON as ``POST /v1/verify`` (dumped with the API's own schema)."""
    from claimcheck.web.schemas import ArticleResultSchema

    payload = {"claims": result.verdicts, "contradictions": result.contradictions,
               "stats": {"sentences": len(result.sentences), "claims": len(result.verdicts),
                         "nli_pairs": result.nli_pairs}}
    return ArticleResultSchema().dump(payload)


def table(name: str, result: ArticleResult) -> str:
    lines = [f"== {name}: {len(result.verdicts)} claims, {len(result.contradictions)} contradiction pairs"]
    for v in result.verdicts:
        speaker = v.claim.speaker or "(narrator)"
        lines.append(f"{v.claim.id:>4} {v.label:<10} {v.confidence:5.2f}  {speaker[:22]:<22} {v.claim.content[:90]}")
        for e in v.evidence:
            lines.append(f"{'':>16}{e.relation:<13} {e.score:5.2f}  {e.sentence.text[:80]}")
    for c in result.contradictions:
        lines.append(f"  contradiction {c.claim_ids[0]} <-> {c.claim_ids[1]} ({c.score:.2f})")
    return "\n".join(lines)


def healthcheck(url: str, timeout: float) -> int:
    """Standard library only, so the slim image needs no curl."""
    import urllib.error
    import urllib.request

    try:
        with urllib.request.urlopen(url, timeout=timeout) as resp:
            return 0 if resp.status == 200 else 1
    except (urllib.error.URLError, OSError) as exc:
        print(f"claimcheck: {url} not ready: {exc}", file=sys.stderr)
        return 1


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="claimcheck", description="Verify the claims of news articles.")
    sub = ap.add_subparsers(dest="command", required=True)
    verify = sub.add_parser("verify", help="verify article files (plain text, UTF-8)")
    verify.add_argument("files", nargs="+", type=Path)
    verify.add_argument("--format", choices=("table", "json"), default="table")
    health = sub.add_parser("healthcheck", help="exit 0 when the service at URL is ready (Docker HEALTHCHECK)")
    health.add_argument("--url", default="http://127.0.0.1:8000/readyz")
    health.add_argument("--timeout", type=float, default=3.0)
    args = ap.parse_args(argv)
    if args.command == "healthcheck":
        return healthcheck(args.url, args.timeout)

    from claimcheck.runtime import Runtime

    runtime = Runtime.load(Settings.from_env())
    texts = []
    for path in args.files:
        try:
            texts.append(path.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError) as exc:
            print(f"claimcheck: cannot read {path}: {exc}", file=sys.stderr)
            return 2
    results = runtime.verifier.verify_many(texts)
    if args.format == "json":
        print(json.dumps({str(p): result_to_json(r) for p, r in zip(args.files, results)}, indent=2,
                         ensure_ascii=False))
    else:
        print("\n\n".join(table(str(p), r) for p, r in zip(args.files, results)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
