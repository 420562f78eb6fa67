"""Why the gold *confirmed* claims of the dev files are not confirmed: a hand-checked map, re-read against the
pipeline as it is now.

``evaluation/confirmed_misses.tsv`` holds, for each of the 71 gold confirmed claims of both dev files (by
file, article and the claim's position in it; no text is copied), the sentence(s) a reader found to
corroborate it (indices of this pipeline's segmentation) and why 2.0 at 4ef6512 did not confirm it:
``same_source_attribution`` (the support was given the claim's own source — mostly quotes, tweets and block
quotes read as the narrator's), ``not_candidate`` (another source, but not among the sentences scored),
``candidate_low_entail`` (scored, read as neutral), ``proposition_lost`` (the clause that carries it is not
the proposition), ``multi_sentence``, ``inference`` (only a loose or partial reading supports it), ``other``,
or ``ok``.  Judged by a second reader from the annotators' notes, no model.

    python -m evaluation.confirmed_misses

prints, per reason, how many of those claims now have a supporting sentence from another source and how
many have it among their scored candidates (the verifier's own retrieval).
"""

from __future__ import annotations

import collections
import csv
import sys
from pathlib import Path

from claimcheck.config import REPO_ROOT, Settings
from claimcheck.pipeline.deadline import Deadline
from claimcheck.pipeline.retrieval import evidence_readings
from claimcheck.runtime import Runtime
from evaluation.quality import claim_overlapping, load_realnews

TABLE = REPO_ROOT / "evaluation" / "confirmed_misses.tsv"


def main(eval_dir: Path = REPO_ROOT.parent / "shared" / "eval") -> int:
    rows = list(csv.DictReader(TABLE.open(encoding="utf-8"), delimiter="\t"))
    runtime = Runtime.load(Settings.from_env())
    verifier = runtime.verifier
    articles = {}
    for file in {r["file"] for r in rows}:
        for art in load_realnews(eval_dir, file) or []:
            articles[art["id"]] = art
    if not articles:
        print(f"skipped: no dev files in {eval_dir}")
        return 0
    tally: dict[str, collections.Counter] = collections.defaultdict(collections.Counter)
    read: dict[str, tuple] = {}  # one article's preparation and candidates, for all its rows
    for r in rows:
        art = articles.get(r["article"])
        if art is None:
            continue  # its dev file is absent
        if r["article"] not in read:
            prep = verifier.prepare(art["text"], None, verifier.options)
            read[r["article"]] = (prep, verifier.retrieve([prep], verifier.options, Deadline())[0])
        prep, retrieved = read[r["article"]]
        gold = art["claims"][int(r["claim"])]
        start = art["text"].find(gold["anchor"])
        cid = claim_overlapping(prep.claims, start, start + len(gold["anchor"])) if start >= 0 else None
        claim = next((c for c in prep.claims if c.id == cid), None)
        support = [int(i) for i in r["support"].split(",") if i != ""]
        tally[r["reason"]]["claims"] += 1
        if claim is None:
            continue
        if any(evidence_readings(claim.source, prep.sentences[i]) for i in support if i < len(prep.sentences)):
            tally[r["reason"]]["another source now"] += 1
        scored = {c.evidence.sentence.index for c in retrieved.candidates if c.claim.id == cid}
        if scored & set(support):
            tally[r["reason"]]["a candidate now"] += 1
    width = max(len(k) for k in tally)
    for reason, counts in sorted(tally.items(), key=lambda kv: -kv[1]["claims"]):
        print(
            f"{reason:<{width}}  {counts['claims']:>3} claims; support by another source now "
            f"{counts['another source now']:>3}; among the candidates now {counts['a candidate now']:>3}"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
