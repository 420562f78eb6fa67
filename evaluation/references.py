"""Every reference the pipeline resolves on the dev articles, for a hand check (issue 23, point 1).

    python -m evaluation.references            # one line per resolved link

Each line: article, referring sentence → the claim it was resolved to, the rule's confidence, the
gold label of that claim where the annotator labelled it, and both sentences.  A link is right when
the claim is what the referring sentence denies or confirms (docs/quality.md gives the tally).
"""

from __future__ import annotations

import argparse
from pathlib import Path

from claimcheck.config import REPO_ROOT, Settings
from claimcheck.pipeline.deadline import Deadline
from claimcheck.runtime import Runtime
from evaluation.quality import REALNEWS_FILES, load_realnews


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--eval-dir", type=Path, default=REPO_ROOT.parent / "shared" / "eval")
    args = ap.parse_args(argv)
    runtime = Runtime.load(Settings.from_env())
    verifier, links = runtime.verifier, 0
    for file in REALNEWS_FILES.values():
        for art in load_realnews(args.eval_dir, file) or []:
            text = art["text"]
            prepared = verifier.prepare(text, None, verifier.options)
            [retrieved] = verifier.retrieve([prepared], verifier.options, Deadline())
            gold = {
                s.sentence.index: c["label"]
                for c in art["claims"]
                for s in prepared.sentences
                if s.sentence.start <= text.find(c["anchor"]) < s.sentence.end
            }
            for cand in (c for c in retrieved.candidates if c.resolved):
                links += 1
                k, j = cand.claim.sentence.index, cand.evidence.sentence.index
                print(
                    f"{art['id']} [{j}]→[{k}] {cand.similarity} gold={gold.get(k, '-')} | "
                    f"{cand.evidence.sentence.text[:100]!r} → {cand.claim.sentence.text[:100]!r}"
                )
    print(f"{links} resolved links")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
