"""A fixed sample of frames from both dev files, for the hand check of speakers and propositions.

    python -m evaluation.frames_sample --out frames_sample.json

Every sentence of four words or more is attributed (the real parser, no models); the sample is 70
sentences with a speaker or a non-assert frame (what issue 23's point 2 is about) and 30 narrator
assertions, drawn with a fixed seed, so a later pipeline can be checked on the same sentences.
"""

from __future__ import annotations

import argparse
import json
import random
from pathlib import Path

from claimcheck.config import REPO_ROOT, Settings
from claimcheck.inference.parser import SpacyParser
from claimcheck.pipeline.attribution import attribute
from claimcheck.pipeline.segment import segment
from evaluation.quality import REALNEWS_FILES, load_realnews


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--eval-dir", type=Path, default=REPO_ROOT.parent / "shared" / "eval")
    ap.add_argument("--out", type=Path, required=True)
    ap.add_argument("--seed", type=int, default=23)
    args = ap.parse_args(argv)
    parser = SpacyParser(Settings.from_env().parser)
    rows = []
    for file in REALNEWS_FILES.values():
        for art in load_realnews(args.eval_dir, file) or []:
            sentences = segment(art["text"])
            for item in attribute(sentences, parser.parse([s.text for s in sentences])):
                if len(item.sentence.text.split()) < 4:
                    continue
                rows.append(
                    {
                        "article": art["id"],
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
