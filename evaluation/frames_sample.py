"""A fixed sample of frames from both dev files, for the hand check of speakers and propositions.

    python -m evaluation.frames_sample --out frames_sample.json    # draw the sample (to judge by hand)
    python -m evaluation.frames_sample --check                     # the judged sample against this pipeline

Every sentence of four words or more is attributed (the real parser, no models); the sample is 70
sentences with a speaker or a non-assert frame (what issue 23's point 2 is about) and 30 narrator
assertions, drawn with a fixed seed.  ``evaluation/frames_check.tsv`` holds the hand judgement of
each (before and after the point-2 fixes) with the output it judged; ``--check`` re-attributes the
same sentences, prints the tallies and lists every row whose output has changed since, to be judged
again, so a later pipeline is measured on the same sentences.
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import json
import random
from pathlib import Path

from claimcheck.config import REPO_ROOT, Settings
from claimcheck.inference.parser import SpacyParser
from claimcheck.pipeline.attribution import attribute
from claimcheck.pipeline.segment import segment
from evaluation.quality import REALNEWS_FILES, load_realnews

CHECK = REPO_ROOT / "evaluation" / "frames_check.tsv"


def _fingerprint(text: str | None) -> str:
    return hashlib.sha1((text or "").encode()).hexdigest()[:10]


def check(attributed: dict[str, list], path: Path) -> int:
    """The judged tallies, and the rows whose speaker, frame or proposition differ from what was judged."""
    rows = list(csv.DictReader(path.open(encoding="utf-8"), delimiter="\t"))
    changed = 0
    for r in rows:
        now = attributed[r["article"]][int(r["i"])]
        output = (now.speaker or "", now.frame, _fingerprint(now.premise))
        if output != (r["speaker"], r["frame"], r["proposition_sha1"]):
            changed += 1
            print(
                f"changed #{r['n']} {r['article']}#{r['i']}: speaker {r['speaker']!r} -> {now.speaker!r}, "
                f"frame {r['frame']} -> {now.frame}\n    {now.sentence.text}\n    proposition: {now.premise}"
            )
    for part in ("framed", "narrator"):
        rs = [r for r in rows if r["sample"] == part]
        cells = [
            f"{what} {sum(r[f'{what}_ok_before'] == '1' for r in rs)} -> {sum(r[f'{what}_ok'] == '1' for r in rs)}"
            for what in ("speaker", "frame", "proposition")
        ]
        print(f"{len(rs)} {part} sentences, right before -> after the fixes: " + ", ".join(cells))
    print(f"{changed} rows changed since judged" + (": judge them and update the file" if changed else ""))
    return 1 if changed else 0


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--eval-dir", type=Path, default=REPO_ROOT.parent / "shared" / "eval")
    what = ap.add_mutually_exclusive_group(required=True)
    what.add_argument("--out", type=Path, help="write a new sample here")
    what.add_argument("--check", type=Path, nargs="?", const=CHECK, help=f"the judged sample (default {CHECK.name})")
    ap.add_argument("--seed", type=int, default=23)
    args = ap.parse_args(argv)
    parser = SpacyParser(Settings.from_env().parser)
    attributed: dict[str, list] = {}
    for file in REALNEWS_FILES.values():
        for art in load_realnews(args.eval_dir, file) or []:
            sentences = segment(art["text"])
            attributed[art["id"]] = attribute(sentences, parser.parse([s.text for s in sentences]))
    if args.check:
        return check(attributed, args.check)
    rows = []
    for article, items in attributed.items():
        for item in items:
            if len(item.sentence.text.split()) < 4:
                continue
            rows.append(
                {
                    "article": article,
                    "i": item.sentence.index,
                    "sentence": item.sentence.text,
                    "speaker": item.speaker,
                    "frame": item.frame,
                    "proposition": item.premise,
                    "reference": item.target_is_reference,
                }
            )
    random.Random(args.seed).shuffle(rows)
    framed = [r for r in rows if r["speaker"] or r["frame"] != "asserts"][:70]
    plain = [r for r in rows if not (r["speaker"] or r["frame"] != "asserts")][:30]
    args.out.write_text(json.dumps(framed + plain, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"{len(framed)} framed and {len(plain)} narrator sentences written to {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
