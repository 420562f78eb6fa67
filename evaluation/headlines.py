"""The FNC-1 headline dev set: does the headline come back confirmed / denied / unverified?

Built from FNC-1 *train* only (``../shared/nli/fnc1/train.jsonl.gz``; the competition-test file is
never read here): agree → confirmed, disagree → denied, discuss → unverified, ``PER_STANCE`` rows of
each, one row per body, the realnews dev bodies left out (they are tuned on separately).  The rows
are fixed by the ids committed in ``fnc1_headline_dev_ids.json`` (body id + SHA-1 of the headline),
so the set is the same on every machine; the texts stay in ``../shared``.

    python -m evaluation.headlines --nli ../shared/nli --write   # re-draw the ids (seeded)
"""

from __future__ import annotations

import argparse
import gzip
import hashlib
import json
import random
from pathlib import Path

IDS_FILE = Path(__file__).with_name("fnc1_headline_dev_ids.json")
PER_STANCE = 120
SEED = 2026
MIN_BODY_CHARS, MAX_BODY_CHARS = 400, 6000


def headline_key(body_id: int, headline: str) -> str:
    return f"{body_id}:{hashlib.sha1(headline.encode('utf-8')).hexdigest()[:12]}"


def _rows(nli: Path) -> list[dict]:
    with gzip.open(nli / "fnc1" / "train.jsonl.gz", "rt", encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


def draw(nli: Path, exclude_bodies: set[int]) -> list[str]:
    """A balanced, seeded draw: one headline per body, bodies of ordinary news length."""
    rng = random.Random(SEED)
    by_stance: dict[str, list[dict]] = {"agree": [], "disagree": [], "discuss": []}
    for row in _rows(nli):
        if (
            row.get("stance") in by_stance
            and row["body_id"] not in exclude_bodies
            and MIN_BODY_CHARS <= len(row["premise"]) <= MAX_BODY_CHARS
        ):
            by_stance[row["stance"]].append(row)
    used: set[int] = set()
    keys: list[str] = []
    for stance in ("disagree", "agree", "discuss"):  # the rarest first, so it gets its pick of bodies
        rows = by_stance[stance]
        rng.shuffle(rows)
        taken = 0
        for row in rows:
            if row["body_id"] in used:
                continue
            used.add(row["body_id"])
            keys.append(headline_key(row["body_id"], row["hypothesis"]))
            taken += 1
            if taken == PER_STANCE:
                break
    return keys


def load_headline_dev(nli: Path) -> list[dict] | None:
    """The committed rows as {id, headline, body, stance}; None when the FNC-1 file is absent."""
    if not (nli / "fnc1" / "train.jsonl.gz").is_file():
        return None
    wanted = json.loads(IDS_FILE.read_text(encoding="utf-8"))["ids"]
    found: dict[str, dict] = {}
    for row in _rows(nli):
        key = headline_key(row["body_id"], row["hypothesis"])
        if key in wanted and key not in found:
            found[key] = {"id": key, "headline": row["hypothesis"], "body": row["premise"], "stance": row["stance"]}
    return [found[k] for k in wanted if k in found]


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--nli", type=Path, default=Path("../shared/nli"))
    ap.add_argument("--eval-dir", type=Path, default=Path("../shared/eval"))
    ap.add_argument("--write", action="store_true")
    args = ap.parse_args(argv)
    dev = args.eval_dir / "realnews_dev.json"
    exclude = (
        {int(a["id"].rsplit("-", 1)[1]) for a in json.loads(dev.read_text(encoding="utf-8"))}
        if dev.is_file()
        else set()
    )
    keys = draw(args.nli, exclude)
    if args.write:
        IDS_FILE.write_text(
            json.dumps({"source": "fnc1/train.jsonl.gz", "seed": SEED, "per_stance": PER_STANCE, "ids": keys}, indent=1)
            + "\n",
            encoding="utf-8",
        )
    print(f"{len(keys)} headlines ({PER_STANCE} per stance)" + (f" written to {IDS_FILE}" if args.write else ""))


if __name__ == "__main__":
    main()
