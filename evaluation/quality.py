"""Verdict quality on text the team did not write: one command, several configurations side by side.

    python -m evaluation.quality                       # the shipped configuration
    python -m evaluation.quality --config old:nli_model=/path/to/1.1.0 --config new:
    python -m evaluation.quality --sets realnews --json docs/quality.json

Sets (each skipped with a note when its data is absent; CI never needs them):

* ``realnews``: ``../shared/eval/realnews_dev.json``, real news bodies annotated blind (``realnews2``:
  ``realnews_dev2.json``, 20 more; ``realnews_all``: both together).  Each gold
  anchor is matched to the returned claim whose span overlaps it most; a gold claim with no such
  claim counts as *missed* (wrong for every label).  Pairs: gold anchor pairs vs returned pairs.
* ``headline``: the FNC-1 headline dev set (:mod:`evaluation.headlines`, FNC-1 *train* only), the
  headline sent as ``title``; agree → confirmed, disagree → denied, discuss → unverified.
* ``regression``: the seed article and ``evaluation/articles.py`` (the tests' articles).

Printed per configuration: per-label precision / recall, balanced accuracy, pair precision /
recall, and the precision of "denied", "confirmed" and pairs among claims that carry a gold anchor.
"""

from __future__ import annotations

import argparse
import collections
import json
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from claimcheck.config import REPO_ROOT, Settings
from claimcheck.pipeline.types import ArticleResult, Claim
from claimcheck.pipeline.verdict import LABELS  # the API's labels (an earlier release has them here too)
from claimcheck.pipeline.verifier import Options
from claimcheck.runtime import Runtime, options_from
from evaluation.readings import FILE as READINGS_FILE
from evaluation.readings import HandReadings
from evaluation.readings import load as load_readings

MISSED = "missed"


@dataclass
class Tally:
    """Gold vs predicted labels, and pairs, accumulated over a set."""

    confusion: collections.Counter = field(default_factory=collections.Counter)  # (gold, predicted) -> n
    pairs_gold: int = 0
    pairs_found: int = 0
    pairs_predicted_anchored: int = 0
    pairs_predicted_anchored_gold: int = 0
    pairs_predicted: int = 0
    seconds: float = 0.0
    articles: int = 0
    errors: list[str] = field(default_factory=list)  # one line per wrong label or pair (``--errors``)

    def add(self, gold: str, predicted: str) -> None:
        self.confusion[(gold, predicted)] += 1

    def merge(self, other: Tally) -> None:
        """Add another set's counts to this one (both dev files reported together as well as apart)."""
        self.confusion.update(other.confusion)
        for name in (
            "pairs_gold",
            "pairs_found",
            "pairs_predicted_anchored",
            "pairs_predicted_anchored_gold",
            "pairs_predicted",
            "seconds",
            "articles",
        ):
            setattr(self, name, getattr(self, name) + getattr(other, name))
        self.errors += other.errors

    def recall(self, label: str) -> float | None:
        total = sum(n for (g, _), n in self.confusion.items() if g == label)
        return self.confusion[(label, label)] / total if total else None

    def precision(self, label: str) -> float | None:
        total = sum(n for (_, p), n in self.confusion.items() if p == label)
        return self.confusion[(label, label)] / total if total else None

    def count(self, label: str, predicted: bool = False) -> int:
        return sum(n for (g, p), n in self.confusion.items() if (p if predicted else g) == label)

    def balanced_accuracy(self) -> float:
        recalls = [r for r in (self.recall(lab) for lab in LABELS) if r is not None]
        return sum(recalls) / len(recalls) if recalls else 0.0

    def summary(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "articles": self.articles,
            "balanced_accuracy": round(self.balanced_accuracy(), 3),
            "missed": self.count(MISSED, predicted=True),
        }
        for lab in LABELS:
            out[lab] = {
                "gold": self.count(lab),
                "predicted": self.count(lab, predicted=True),
                "correct": self.confusion[(lab, lab)],
                "precision": _round(self.precision(lab)),
                "recall": _round(self.recall(lab)),
            }
        if self.pairs_gold or self.pairs_predicted:
            out["pairs"] = {
                "gold": self.pairs_gold,
                "found": self.pairs_found,
                "predicted": self.pairs_predicted,
                "recall": _round(self.pairs_found / self.pairs_gold if self.pairs_gold else None),
                "predicted_anchored": self.pairs_predicted_anchored,
                "precision_anchored": _round(
                    self.pairs_predicted_anchored_gold / self.pairs_predicted_anchored
                    if self.pairs_predicted_anchored
                    else None
                ),
            }
        out["ms_per_article"] = round(1000 * self.seconds / max(1, self.articles), 1)
        return out


def _round(x: float | None) -> float | None:
    return None if x is None else round(x, 3)


def claim_at(result: ArticleResult, start: int, end: int) -> str | None:
    """The id of the returned claim whose sentence span overlaps [start, end) most."""
    return claim_overlapping([v.claim for v in result.verdicts], start, end)


def claim_overlapping(claims: Sequence[Claim], start: int, end: int) -> str | None:
    """The id of the claim whose sentence span overlaps [start, end) most (the first of equals), or None."""
    best, best_overlap = None, 0
    for claim in claims:
        s = claim.sentence
        ov = min(end, s.end) - max(start, s.start)
        if ov > best_overlap:
            best, best_overlap = claim.id, ov
    return best


def score_realnews(runtime: Runtime, articles: list[dict], tally: Tally, options: Options | None = None) -> None:
    for art in articles:
        text = art["text"]
        started = time.perf_counter()
        result = runtime.verifier.verify(text, options)
        tally.seconds += time.perf_counter() - started
        tally.articles += 1
        labels = {v.claim.id: v.label for v in result.verdicts}

        def locate(anchor: str, text: str = text, result: ArticleResult = result) -> str | None:
            i = text.find(anchor)
            return claim_at(result, i, i + len(anchor)) if i >= 0 else None

        by_id = {v.claim.id: v for v in result.verdicts}
        for gold in art["claims"]:
            cid = locate(gold["anchor"])
            predicted = labels[cid] if cid else MISSED
            tally.add(gold["label"], predicted)
            if predicted != gold["label"]:
                tally.errors.append(_describe_error(art["id"], gold, by_id.get(cid) if cid else None))
        gold_pairs = {frozenset((locate(a), locate(b))) for a, b in art.get("contradictions", [])}
        tally.pairs_gold += len(art.get("contradictions", []))
        anchored = {locate(c["anchor"]) for c in art["claims"]} | {
            locate(x) for p in art.get("contradictions", []) for x in p
        }
        anchored.discard(None)
        predicted = {frozenset(c.claim_ids) for c in result.contradictions}
        tally.pairs_predicted += len(predicted)
        tally.pairs_found += len(gold_pairs & predicted)
        in_anchored = [p for p in predicted if p <= anchored]
        tally.pairs_predicted_anchored += len(in_anchored)
        tally.pairs_predicted_anchored_gold += sum(1 for p in in_anchored if p in gold_pairs)


def _describe_error(article: str, gold: dict, verdict) -> str:
    head = f"{article} gold={gold['label']}"
    if verdict is None:
        return f"{head} MISSED anchor={gold['anchor']!r}"
    src = verdict.claim.source
    lines = [
        f"{head} got={verdict.label} ({verdict.confidence}) speaker={src.speaker!r} "
        f"frame={getattr(src, 'frame', '-')} content={src.content!r} core={getattr(src, 'core', None)!r}"
    ]
    lines += [f"      {e.relation} {e.score} {e.speaker!r}: {e.sentence.text[:140]!r}" for e in verdict.evidence[:3]]
    return "\n".join(lines)


def score_headlines(
    runtime: Runtime, rows: list[dict], tally: Tally, mode: str, options: Options | None = None
) -> None:
    """``mode`` "first": the headline is the text's first line (how the hidden set sends it);
    "title": it is sent as ``title`` and the ``title`` verdict is read."""
    stance_label = {"agree": "confirmed", "disagree": "denied", "discuss": "unverified"}
    for row in rows:
        started = time.perf_counter()
        if mode == "title":
            result = runtime.verifier.verify(row["body"], options, title=row["headline"])
            predicted = result.title.label if result.title is not None else MISSED
        else:
            result = runtime.verifier.verify(row["headline"] + "\n\n" + row["body"], options)
            cid = claim_at(result, 0, len(row["headline"]))
            predicted = next((v.label for v in result.verdicts if v.claim.id == cid), MISSED)
        tally.seconds += time.perf_counter() - started
        tally.articles += 1
        tally.add(stance_label[row["stance"]], predicted)


def score_regression(runtime: Runtime, tally: Tally, options: Options | None = None) -> dict[str, Any]:
    """Expectations of the seed and the tests' articles met, out of all (a regression check, not quality)."""
    from evaluation.articles import ARTICLES, SEED_EXPECTATIONS, check_article

    met = total = 0
    failures = []
    cases = list(ARTICLES)
    seed = REPO_ROOT / "seeds" / "000_460de1b4d77b6b69.txt"
    if seed.is_file():
        cases.append({"name": "seed", "text": seed.read_text(encoding="utf-8"), **SEED_EXPECTATIONS})
    for case in cases:
        started = time.perf_counter()
        result = runtime.verifier.verify(case["text"], options)
        tally.seconds += time.perf_counter() - started
        tally.articles += 1
        ok, n, why = check_article(case, result)
        met += ok
        total += n
        failures += [f"{case['name']}: {w}" for w in why]
    return {"met": met, "total": total, "failures": failures}


REALNEWS_FILES = {"realnews": "realnews_dev.json", "realnews2": "realnews_dev2.json"}  # scored apart and together


def load_realnews(eval_dir: Path, file: str = "realnews_dev.json") -> list[dict] | None:
    path = eval_dir / file
    return json.loads(path.read_text(encoding="utf-8")) if path.is_file() else None


THRESHOLDS = ("entail_threshold", "contradict_threshold", "pair_threshold")
SHARED_MEMO = 400_000  # NLI results a shared runtime remembers: every pair of every set, read once


def _model_key(settings: Settings) -> Settings:
    """What loading a runtime depends on: everything but the decision thresholds."""
    return replace(settings, **dict.fromkeys(THRESHOLDS, 0.0))


def run_config(
    name: str,
    settings: Settings,
    sets: list[str],
    eval_dir: Path,
    nli_dir: Path,
    headline_modes: list[str],
    runtimes: dict[tuple[Settings, bool], Runtime] | None = None,
    hand_readings: bool = False,
) -> dict[str, Any]:
    """One configuration's scores.  Configurations that differ only in their thresholds share one runtime
    through ``runtimes``: its memo returns the NLI readings already made, so a threshold sweep costs one
    reading of the sets, and every threshold is judged on the same scores.  ``hand_readings``: the
    hand-labelled readings of ``evaluation/readings.py`` answer where they have a pair (the model elsewhere)."""
    runtimes = {} if runtimes is None else runtimes
    slot = (_model_key(settings), hand_readings)
    if hand_readings and not (eval_dir / READINGS_FILE).is_file():
        return {"config": name, "skipped": f"no {eval_dir / READINGS_FILE}"}
    shared = slot in runtimes
    if not shared:
        runtimes[slot] = Runtime.load(replace(settings, memo_entries=max(settings.memo_entries, SHARED_MEMO)))
        if hand_readings:
            runtimes[slot].verifier.nli = HandReadings(runtimes[slot].model, load_readings(eval_dir / READINGS_FILE))
    runtime, options = runtimes[slot], options_from(settings)
    out: dict[str, Any] = {
        "config": name,
        "nli_model": settings.nli_model,
        "model_version": runtime.info.version,
        # int8 recipes differ by a few labels in a thousand, and auto picks by timing: compare like with like
        "recipe": runtime.info.quantize,
        # its NLI readings came from an earlier configuration's memo: its seconds are not its cost
        "shared_runtime": shared,
    }
    if "realnews" in sets:
        together = Tally()
        for key, file in REALNEWS_FILES.items():
            articles = load_realnews(eval_dir, file)
            if articles is None:
                out[key] = f"skipped: no {file}"
                continue
            tally = Tally()
            hand = runtime.verifier.nli if isinstance(runtime.verifier.nli, HandReadings) else None
            if hand is not None:
                hand.hits = hand.asked = 0
            score_realnews(runtime, articles, tally, options)
            out[key] = tally.summary()
            if hand is not None and not shared:  # the share of this set's NLI pairs the hand labels answered
                out[key]["hand_coverage"] = round(hand.coverage(), 3)  # (a shared runtime answers from its memo)
            out.setdefault("realnews_errors", []).extend(tally.errors)
            together.merge(tally)
        if together.articles:
            out["realnews_all"] = together.summary()
    if "headline" in sets:
        from evaluation.headlines import load_headline_dev

        rows = load_headline_dev(nli_dir)
        if rows is None:
            out["headline"] = "skipped: no fnc1/train.jsonl.gz"
        else:
            for mode in headline_modes:
                tally = Tally()
                score_headlines(runtime, rows, tally, mode, options)
                out[f"headline_{mode}"] = tally.summary()
    if "regression" in sets:
        tally = Tally()
        out["regression"] = score_regression(runtime, tally, options)
    if shared:  # memo hits, not this configuration's cost: the table shows "–"
        for summary in out.values():
            if isinstance(summary, dict):
                summary.pop("ms_per_article", None)
    return out


def parse_config(spec: str) -> tuple[str, dict[str, Any]]:
    """``name:key=value,key=value`` (Settings field names) → (name, overrides)."""
    name, _, rest = spec.partition(":")
    overrides: dict[str, Any] = {}
    for item in filter(None, rest.split(",")):
        key, _, value = item.partition("=")
        overrides[key.strip()] = value.strip()
    return name, overrides


def settings_for(overrides: dict[str, Any]) -> Settings:
    env = {f"CLAIMCHECK_{k.upper()}": str(v) for k, v in overrides.items()}
    return Settings.from_env({**_base_env(), **env})


def _base_env() -> dict[str, str]:
    import os

    return {k: v for k, v in os.environ.items() if k.startswith("CLAIMCHECK_")}


def format_table(results: list[dict[str, Any]]) -> str:
    """One markdown table per set, configurations side by side."""
    names = [r["config"] for r in results]
    lines: list[str] = []
    for set_name in ("realnews", "realnews2", "realnews_all", "headline_first", "headline_title"):
        rows = [r.get(set_name) for r in results]
        if not any(isinstance(x, dict) for x in rows):
            continue
        lines += [f"\n### {set_name}\n", "| metric | " + " | ".join(names) + " |", "|---|" + "---|" * len(names)]

        def cell(x: Any, *path: str) -> str:
            for p in path:
                if not isinstance(x, dict):
                    return "–"
                x = x.get(p)
            return "–" if x is None else str(x)

        metrics = [("balanced accuracy", ("balanced_accuracy",)), ("missed (no claim at anchor)", ("missed",))]
        for lab in LABELS:
            metrics += [
                (f"{lab} precision", (lab, "precision")),
                (f"{lab} recall", (lab, "recall")),
                (f"{lab} correct / gold / predicted", (lab,)),
            ]
        if set_name.startswith("realnews"):
            metrics += [
                ("pairs recall (found / gold)", ("pairs", "recall")),
                ("pairs precision among anchored", ("pairs", "precision_anchored")),
                ("pairs predicted (anchored)", ("pairs",)),
            ]
            if any(isinstance(x, dict) and "hand_coverage" in x for x in rows):
                metrics.append(("NLI pairs answered by hand labels", ("hand_coverage",)))
        metrics.append(("ms per article", ("ms_per_article",)))
        for label, path in metrics:
            if path[-1] in LABELS:
                cells = [
                    f"{cell(x, *path, 'correct')} / {cell(x, *path, 'gold')} / {cell(x, *path, 'predicted')}"
                    for x in rows
                ]
            elif path == ("pairs",):
                cells = [f"{cell(x, 'pairs', 'predicted')} ({cell(x, 'pairs', 'predicted_anchored')})" for x in rows]
            else:
                cells = [cell(x, *path) for x in rows]
            lines.append(f"| {label} | " + " | ".join(cells) + " |")
    reg = [r.get("regression") for r in results]
    if any(isinstance(x, dict) for x in reg):
        lines += [
            "\n### regression (seed + tests' articles)\n",
            "| | " + " | ".join(names) + " |",
            "|---|" + "---|" * len(names),
            "| expectations met | "
            + " | ".join(f"{x['met']}/{x['total']}" if isinstance(x, dict) else "–" for x in reg)
            + " |",
        ]
    return "\n".join(lines)


def run_release(ref: str, sets: list[str], eval_dir: Path, nli_dir: Path) -> dict[str, Any]:
    """An earlier release's own code and model (a git worktree of ``ref``), scored by this module in a
    child process, so that both sets of figures come from the same run and the same scoring."""
    import os
    import subprocess
    import tempfile

    tree = REPO_ROOT / "training" / "work" / f"baseline-{ref}"
    if not tree.exists():
        subprocess.run(["git", "-C", str(REPO_ROOT), "worktree", "add", "--detach", str(tree), ref], check=True)
    shipped_inside = tree / "service" / "claimcheck" / "models" / "claimcheck-nli-minilm-l3"  # 2.0 on
    model = shipped_inside if shipped_inside.is_dir() else tree / "models" / "claimcheck-nli-minilm-l3"  # 1.1.0
    modes = "first,title" if shipped_inside.is_dir() else "first"  # 1.1.0 ignored ``title``
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "release.json"
        env = {
            **os.environ,
            "PYTHONPATH": f"{tree / 'service'}{os.pathsep}{REPO_ROOT}",
            "CLAIMCHECK_NLI_MODEL": str(model),
            "TRANSFORMERS_VERBOSITY": "error",
            "CLAIMCHECK_LOG_LEVEL": "warning",
        }
        release_sets = [s for s in sets if s != "regression"]  # its own tests judged it; titles it ignored
        subprocess.run(
            [
                sys.executable,
                "-m",
                "evaluation.quality",
                "--config",
                f"release {ref}:",
                "--sets",
                ",".join(release_sets),
                "--headline-modes",
                modes,
                "--eval-dir",
                str(eval_dir),
                "--nli",
                str(nli_dir),
                "--json",
                str(out),
            ],
            env=env,
            check=True,
            cwd=REPO_ROOT,
            stdout=subprocess.DEVNULL,
        )
        return json.loads(out.read_text())[0]


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument(
        "--config",
        action="append",
        default=[],
        help="name:setting=value,... (Settings fields); repeat to compare; default: the shipped one",
    )
    ap.add_argument("--sets", default="realnews,headline,regression")
    ap.add_argument("--eval-dir", type=Path, default=REPO_ROOT.parent / "shared" / "eval")
    ap.add_argument("--nli", type=Path, default=REPO_ROOT.parent / "shared" / "nli")
    ap.add_argument(
        "--headline-modes", default="first,title", help="first: headline as the text's first line; title: sent as title"
    )
    ap.add_argument("--json", type=Path, help="also write the full results here")
    ap.add_argument("--errors", action="store_true", help="print every wrong realnews label (for analysis)")
    ap.add_argument(
        "--release",
        default="",
        help="git ref of an earlier release to score in the same run "
        "(its own code and model, from a worktree), e.g. 940a80b for 1.1.0",
    )
    args = ap.parse_args(argv)
    sets = [s for s in args.sets.split(",") if s]
    results = [run_release(args.release, sets, args.eval_dir, args.nli)] if args.release else []
    runtimes: dict[tuple[Settings, bool], Runtime] = {}
    for spec in args.config or ["shipped:"]:
        name, overrides = parse_config(spec)
        hand = overrides.pop("readings", "") == "hand"  # not a Settings field: evaluation/readings.py
        res = run_config(
            name,
            settings_for(overrides),
            sets,
            args.eval_dir,
            args.nli,
            [m for m in args.headline_modes.split(",") if m],
            runtimes,
            hand,
        )
        errors = res.pop("realnews_errors", [])
        if args.errors:
            print("\n".join(errors), file=sys.stderr)
        results.append(res)
        print(json.dumps(res, indent=1), file=sys.stderr)
    print(format_table(results))
    if args.json:
        args.json.write_text(json.dumps(results, indent=1) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
