"""Choose the verdict thresholds and fit the confidence for an NLI model on hand-annotated news.

    python -m evaluation.fit_decision --model service/claimcheck/models/claimcheck-nli-minilm-l3 --write

The pipeline reads every claim's evidence through the frames into a few features
(:data:`claimcheck.pipeline.verdict.FEATURES`: best support, support of the core, refutation by
other evidence, by another claim, a pair, a hedge, the claim's own frame and negation, …), on the
realnews dev claims and the FNC-1 headline dev titles.  Printed:

* the rules' precision / recall per label over a grid of thresholds (the trade-off in
  docs/quality.md; the shipped thresholds are chosen from it for precision);
* the **confidence** fit: a multinomial logistic regression over the features, scored
  **leave-articles-out** (10 folds grouped by article: every claim by a fit that never saw its
  article), with the calibration (ECE) of the probability it gives to the label the rules chose,
  beside the calibration of the raw deciding score it replaces.

``--write`` stores the fit in the model's ``claimcheck.json`` (it belongs to the model that
produced the scores).

Pairs are not learned: ``--pairs`` sweeps CLAIMCHECK_PAIR_THRESHOLD on the dev pairs instead
(precision among claims that carry a gold anchor, recall over the gold pairs).
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

import numpy as np

from claimcheck.config import REPO_ROOT, Settings
from claimcheck.pipeline.verdict import FEATURES, LABELS, LearnedDecision
from claimcheck.runtime import Runtime
from evaluation.headlines import load_headline_dev
from evaluation.quality import REALNEWS_FILES, claim_at, load_realnews

STANCE = {"agree": "confirmed", "disagree": "denied", "discuss": "unverified"}


def collect(runtime: Runtime, articles: list[dict], headlines: list[dict]) -> tuple[np.ndarray, list[str], list[str]]:
    """Features, gold labels and article ids of every gold claim (a missed claim is left out).

    Pairs are collected with a low floor (``LOOSE_PAIR``) so that the ``pair`` feature carries the
    best aligned pair's score, whatever threshold is chosen afterwards."""
    import dataclasses

    base = runtime.verifier.options  # features do not depend on the decision, only on the evidence
    loose = dataclasses.replace(base, thresholds=dataclasses.replace(base.thresholds, pair=LOOSE_PAIR))
    xs, ys, groups = [], [], []
    for art in articles:
        result = runtime.verifier.verify(art["text"], loose)
        by_id = {v.claim.id: v for v in result.verdicts}
        for gold in art["claims"]:
            i = art["text"].find(gold["anchor"])
            cid = claim_at(result, i, i + len(gold["anchor"]))
            if cid:
                xs.append([by_id[cid].features.get(f, 0.0) for f in FEATURES])
                ys.append(gold["label"])
                groups.append(art["id"])
    for row in headlines:
        result = runtime.verifier.verify(row["body"], loose, title=row["headline"])
        if result.title is not None:
            xs.append([result.title.features.get(f, 0.0) for f in FEATURES])
            ys.append(STANCE[row["stance"]])
            groups.append(row["id"])
    return np.array(xs), ys, groups


LOOSE_PAIR = 0.3


def rule_labels(x: np.ndarray, hedge_col: int, entail: float, contradict: float) -> list[str]:
    """The thresholded rules (verdict.Policy without a fitted decision) applied to collected features."""
    col = {f: i for i, f in enumerate(FEATURES)}
    out = []
    for row in x:
        refute = max(row[col["refute"]], row[col["denial"]], row[col["pair"]])
        if refute >= contradict:
            out.append("denied")
        elif row[hedge_col] > 0:
            out.append("unverified")
        elif row[col["support"]] >= entail:
            out.append("confirmed")
        else:
            out.append("unverified")
    return out


def sweep_rules(x: np.ndarray, y: list[str], groups: list[str]) -> list[dict]:
    """Per-label precision / recall of the rules over a grid of thresholds, on the dev items."""
    is_news = np.array([g.startswith("fnc1-train-body") for g in groups])
    hedge_col = FEATURES.index("hedge")
    rows = []
    for t in [round(v, 2) for v in np.arange(0.3, 0.96, 0.05)]:
        pred = rule_labels(x, hedge_col, t, t)
        rows.append({"threshold": t, "realnews": report(y, pred, is_news), "headlines": report(y, pred, ~is_news)})
    return rows


def learned_label_sweep(
    x: np.ndarray,
    y: list[str],
    groups: list[str],
    probs: np.ndarray,
    files: dict[str, set[str]],
    thresholds: tuple[float, float],
) -> list[str]:
    """The fitted regression as the *label*: its most probable label where that probability reaches τ
    (else unverified), against the thresholded rules, on each dev file and the headlines.  Shipped only
    where it gives more recall at the same precision on every file."""
    masks = {key: np.array([g in ids for g in groups]) for key, ids in files.items()}
    masks["headlines"] = ~np.any(list(masks.values()), axis=0)
    candidates = {"rules": rule_labels(x, FEATURES.index("hedge"), *thresholds)}
    for tau in (0.0, 0.5, 0.6, 0.7):
        candidates[f"learned τ={tau}"] = [
            LABELS[k] if LABELS[k] == "unverified" or p[k] >= tau else "unverified"
            for p, k in ((p, int(np.argmax(p))) for p in probs)
        ]
    rows = []
    for name, pred in candidates.items():
        for key, mask in masks.items():
            r = report(y, pred, mask)
            c, d = r["confirmed"], r["denied"]
            rows.append(
                f"| {name} | {key} | {r['balanced_accuracy']} | {c['precision']}/{c['recall']} ({c['pred']}) | "
                f"{d['precision']}/{d['recall']} ({d['pred']}) |"
            )
    return rows


def _score_probs(x: np.ndarray) -> np.ndarray:
    """What confidence was without a fit: the deciding score (1 − the strongest evidence for unverified)."""
    col = {f: i for i, f in enumerate(FEATURES)}
    out = np.zeros((len(x), 3))
    for i, row in enumerate(x):
        refute = max(row[col["refute"]], row[col["pair"]], row[col["denial"]])
        out[i] = [row[col["support"]], refute, 1 - max(row[col["support"]], refute)]
    return out


def _model(c: float):
    from sklearn.linear_model import LogisticRegression

    return LogisticRegression(C=c, class_weight="balanced", max_iter=5000)


def out_of_fold(x: np.ndarray, y: list[str], groups: list[str], c: float) -> np.ndarray:
    from sklearn.model_selection import GroupKFold

    probs = np.zeros((len(y), len(LABELS)))
    labels = np.array(y)
    for train, test in GroupKFold(n_splits=10).split(x, labels, groups):
        clf = _model(c).fit(x[train], labels[train])
        order = [list(clf.classes_).index(lab) for lab in LABELS]
        probs[test] = clf.predict_proba(x[test])[:, order]
    return probs


def report(y: list[str], pred: list[str], mask: np.ndarray | None = None) -> dict:
    idx = range(len(y)) if mask is None else np.flatnonzero(mask)
    gold = [y[i] for i in idx]
    got = [pred[i] for i in idx]
    out: dict = {}
    recalls = []
    for lab in LABELS:
        tp = sum(g == p == lab for g, p in zip(gold, got))
        n_gold, n_pred = gold.count(lab), got.count(lab)
        out[lab] = {
            "precision": round(tp / n_pred, 3) if n_pred else None,
            "recall": round(tp / n_gold, 3) if n_gold else None,
            "tp": tp,
            "gold": n_gold,
            "pred": n_pred,
        }
        if n_gold:
            recalls.append(tp / n_gold)
    out["balanced_accuracy"] = round(sum(recalls) / len(recalls), 3) if recalls else None
    return out


def confidence_calibration(probs: np.ndarray, y: list[str], labels: list[str], bins: int = 10) -> dict:
    """How well the out-of-fold probability of the label the rules chose matches how often it is right."""
    conf = np.array([probs[i, LABELS.index(lab)] for i, lab in enumerate(labels)])
    right = np.array([g == lab for g, lab in zip(y, labels)], dtype=float)
    edges = np.linspace(0, 1, bins + 1)
    ece = sum(
        abs(right[m].mean() - conf[m].mean()) * m.mean()
        for lo, hi in zip(edges[:-1], edges[1:])
        if (m := (conf > lo) & (conf <= hi)).any()
    )
    per_label = {
        lab: {"mean_confidence": round(float(conf[sel].mean()), 3), "accuracy": round(float(right[sel].mean()), 3)}
        for lab in LABELS
        if (sel := np.array([x == lab for x in labels])).any()
    }
    return {"ece": round(float(ece), 3), "per_label": per_label}


def sweep_pairs(runtime: Runtime, articles: list[dict]) -> list[dict]:
    """Pair precision (among anchored claims) and recall on the dev pairs for a grid of pair thresholds.

    One verification per article with the pair floor at 0.01 (every aligned, refuting pair kept with
    its score), then the grid is applied to those scores.
    """
    import dataclasses

    base = runtime.verifier.options
    loose = dataclasses.replace(base, thresholds=dataclasses.replace(base.thresholds, pair=0.01))
    found: list[tuple[float, bool, bool]] = []  # (score, both claims anchored, gold pair)
    n_gold = 0
    for art in articles:
        result = runtime.verifier.verify(art["text"], loose)

        def locate(anchor: str, text: str = art["text"], result=result) -> str | None:
            i = text.find(anchor)
            return claim_at(result, i, i + len(anchor)) if i >= 0 else None

        gold = {frozenset((locate(a), locate(b))) for a, b in art.get("contradictions", [])}
        n_gold += len(art.get("contradictions", []))
        anchored = {locate(c["anchor"]) for c in art["claims"]} | {
            locate(x) for p in art.get("contradictions", []) for x in p
        }
        for c in result.contradictions:
            key = frozenset(c.claim_ids)
            found.append((c.score, key <= anchored, key in gold))
    rows = []
    for t in [round(v, 2) for v in np.arange(0.5, 1.0, 0.05)]:
        kept = [f for f in found if f[0] >= t]
        anchored = [f for f in kept if f[1]]
        hits = sum(f[2] for f in kept)
        rows.append(
            {
                "threshold": t,
                "pairs": len(kept),
                "recall": round(hits / max(1, n_gold), 3),
                "precision_anchored": round(hits / len(anchored), 3) if anchored else None,
            }
        )
    return rows


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--model", default=str(Settings().nli_model))
    ap.add_argument("--eval-dir", type=Path, default=REPO_ROOT.parent / "shared" / "eval")
    ap.add_argument("--nli", type=Path, default=REPO_ROOT.parent / "shared" / "nli")
    ap.add_argument("--c", type=float, default=0.5, help="inverse L2 strength of the regression")
    ap.add_argument("--write", action="store_true", help="store the fit in the model's claimcheck.json")
    ap.add_argument("--pairs", action="store_true", help="only sweep the pair threshold on the dev pairs")
    args = ap.parse_args(argv)
    by_file = {key: load_realnews(args.eval_dir, file) or [] for key, file in REALNEWS_FILES.items()}
    articles = [a for arts in by_file.values() for a in arts]
    headlines = load_headline_dev(args.nli) or []
    if not articles and not headlines:
        print("no dev data found (../shared/eval, ../shared/nli): nothing to fit")
        return 1
    runtime = Runtime.load(Settings.from_env(nli_model=args.model))
    if args.pairs:
        print("| pair threshold | pairs reported | recall | precision among anchored |\n|---|---|---|---|")
        for row in sweep_pairs(runtime, articles):
            print(f"| {row['threshold']} | {row['pairs']} | {row['recall']} | {row['precision_anchored']} |")
        return 0
    started = time.perf_counter()
    x, y, groups = collect(runtime, articles, headlines)
    print(
        f"{len(y)} gold items ({sum(not g.startswith('fnc1-train-body') for g in groups)} headlines) "
        f"in {time.perf_counter() - started:.0f} s"
    )
    print("\nrules, one threshold for entailment and contradiction (precision / recall on realnews | headlines):")
    print(
        "| threshold | confirmed P/R | denied P/R | balanced acc. | headline confirmed P/R | headline denied P/R | "
        "headline balanced acc. |\n|---|---|---|---|---|---|---|"
    )
    for row in sweep_rules(x, y, groups):
        n, h = row["realnews"], row["headlines"]
        print(
            f"| {row['threshold']} | {n['confirmed']['precision']}/{n['confirmed']['recall']} | "
            f"{n['denied']['precision']}/{n['denied']['recall']} | {n['balanced_accuracy']} | "
            f"{h['confirmed']['precision']}/{h['confirmed']['recall']} | {h['denied']['precision']}/"
            f"{h['denied']['recall']} | {h['balanced_accuracy']} |"
        )
    probs = out_of_fold(x, y, groups, args.c)
    settings = runtime.settings
    print("\nlearned label (leave-articles-out) vs the rules, per file (issue 23, point 5):")
    files = {key: {a["id"] for a in arts} for key, arts in by_file.items()}
    print("| decision | set | balanced | confirmed P/R (said) | denied P/R (said) |\n|---|---|---|---|---|")
    print(
        "\n".join(
            learned_label_sweep(x, y, groups, probs, files, (settings.entail_threshold, settings.contradict_threshold))
        )
    )
    labels = rule_labels(x, FEATURES.index("hedge"), settings.entail_threshold, settings.contradict_threshold)
    cv = {
        "thresholds": {"entail": settings.entail_threshold, "contradict": settings.contradict_threshold},
        "confidence": confidence_calibration(probs, y, labels),
        "uncalibrated_score_confidence": confidence_calibration(_score_probs(x), y, labels),
    }
    print(json.dumps(cv, indent=1))
    final = _model(args.c).fit(x, np.array(y))
    weights = {
        lab: tuple(float(w) for w in final.coef_[list(final.classes_).index(lab)])
        + (float(final.intercept_[list(final.classes_).index(lab)]),)
        for lab in LABELS
    }
    learned = LearnedDecision(FEATURES, weights)
    if args.write:
        meta_path = Path(args.model) / "claimcheck.json"
        meta = json.loads(meta_path.read_text(encoding="utf-8")) if meta_path.is_file() else {}
        meta["decision"] = {
            **learned.to_json(),
            "fitted_on": "realnews_dev + realnews_dev2 (60 articles) + fnc1 headline dev (360); figures are 10-fold "
            "leave-articles-out",
            "cross_validated": cv,
        }
        meta_path.write_text(json.dumps(meta, indent=2) + "\n", encoding="utf-8")
        print(f"wrote the decision to {meta_path}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
