"""Fit the verdict decision for an NLI model on hand-annotated news, with honest cross-validated figures.

    python -m evaluation.fit_decision --model models/claimcheck-nli-minilm-l3 --write

The pipeline reads every claim's evidence through the frames into a few features
(:data:`claimcheck.pipeline.verdict.FEATURES`: best support, support of the core, refutation by a
denial, by other evidence, by another claim, a pair, a hedge, the claim's own frame and negation).
A multinomial logistic regression over them is fitted on the realnews dev claims and the FNC-1
headline dev titles.  Its figures are **leave-articles-out** (10 folds grouped by article): every
claim is scored by a fit that never saw its article.  ``min_prob`` for *confirmed* and *denied* is
then chosen on those out-of-fold probabilities for precision first: the lowest that keeps
precision ≥ ``--precision`` (else the one with the best F0.5).  ``--write`` stores the fit in the
model's ``claimcheck.json`` (it belongs to the model that produced the scores).

Pairs are not learned: ``--pairs`` sweeps CLAIMCHECK_PAIR_THRESHOLD on the dev pairs instead.
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
from evaluation.quality import claim_at, load_realnews

STANCE = {"agree": "confirmed", "disagree": "denied", "discuss": "unverified"}


def collect(runtime: Runtime, articles: list[dict], headlines: list[dict]) -> tuple[np.ndarray, list[str], list[str]]:
    """Features, gold labels and article ids of every gold claim (a missed claim is left out)."""
    runtime.verifier.learned = None  # features do not depend on the decision; keep the rules' evidence
    xs, ys, groups = [], [], []
    for art in articles:
        result = runtime.verifier.verify(art["text"])
        by_id = {v.claim.id: v for v in result.verdicts}
        for gold in art["claims"]:
            i = art["text"].find(gold["anchor"])
            cid = claim_at(result, i, i + len(gold["anchor"]))
            if cid:
                xs.append([by_id[cid].features.get(f, 0.0) for f in FEATURES])
                ys.append(gold["label"])
                groups.append(art["id"])
    for row in headlines:
        result = runtime.verifier.verify(row["body"], title=row["headline"])
        if result.title is not None:
            xs.append([result.title.features.get(f, 0.0) for f in FEATURES])
            ys.append(STANCE[row["stance"]])
            groups.append(row["id"])
    return np.array(xs), ys, groups


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


def decide_all(probs: np.ndarray, min_prob: dict[str, float]) -> list[str]:
    out = []
    for row in probs:
        p = dict(zip(LABELS, row))
        label = "unverified"
        for lab in sorted(("confirmed", "denied"), key=lambda lb: -p[lb]):
            if p[lab] >= min_prob[lab] and p[lab] >= p["unverified"]:
                label = lab
                break
        out.append(label)
    return out


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


def choose_min_prob(probs: np.ndarray, y: list[str], precision: float) -> dict[str, float]:
    """Per label, the lowest probability floor whose out-of-fold precision reaches ``precision``,
    else the floor with the best F0.5 (precision weighted over recall)."""
    chosen = {"confirmed": 0.5, "denied": 0.5}
    grid = [round(v, 2) for v in np.arange(0.34, 0.96, 0.02)]
    for lab in ("confirmed", "denied"):
        best, best_f = 0.95, -1.0
        for t in grid:
            pred = decide_all(probs, {**chosen, lab: t})
            tp = sum(g == p == lab for g, p in zip(y, pred))
            n_pred, n_gold = pred.count(lab), y.count(lab)
            if not n_pred:
                continue
            prec, rec = tp / n_pred, tp / max(1, n_gold)
            if prec >= precision and rec > 0:
                best = t
                break
            f = 1.25 * prec * rec / (0.25 * prec + rec) if prec + rec else 0.0
            if f > best_f:
                best, best_f = t, f
        chosen[lab] = best
    return chosen


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--model", default=str(Settings().nli_model))
    ap.add_argument("--eval-dir", type=Path, default=REPO_ROOT.parent / "shared" / "eval")
    ap.add_argument("--nli", type=Path, default=REPO_ROOT.parent / "shared" / "nli")
    ap.add_argument("--precision", type=float, default=0.85)
    ap.add_argument("--c", type=float, default=0.5, help="inverse L2 strength of the regression")
    ap.add_argument("--write", action="store_true", help="store the fit in the model's claimcheck.json")
    args = ap.parse_args(argv)
    articles = load_realnews(args.eval_dir) or []
    headlines = load_headline_dev(args.nli) or []
    if not articles and not headlines:
        print("no dev data found (../shared/eval, ../shared/nli): nothing to fit")
        return 1
    runtime = Runtime.load(Settings.from_env(nli_model=args.model))
    started = time.perf_counter()
    x, y, groups = collect(runtime, articles, headlines)
    print(
        f"{len(y)} gold items ({sum(not g.startswith('fnc1-train-body') for g in groups)} headlines) "
        f"in {time.perf_counter() - started:.0f} s"
    )
    probs = out_of_fold(x, y, groups, args.c)
    min_prob = choose_min_prob(probs, y, args.precision)
    pred = decide_all(probs, min_prob)
    is_news = np.array([g.startswith("fnc1-train-body") for g in groups])
    cv = {"min_prob": min_prob, "realnews": report(y, pred, is_news), "headlines": report(y, pred, ~is_news)}
    print(json.dumps(cv, indent=1))
    final = _model(args.c).fit(x, np.array(y))
    weights = {
        lab: tuple(float(w) for w in final.coef_[list(final.classes_).index(lab)])
        + (float(final.intercept_[list(final.classes_).index(lab)]),)
        for lab in LABELS
    }
    learned = LearnedDecision(FEATURES, weights, min_prob)
    print("weights:", json.dumps({k: [round(v, 2) for v in w] for k, w in weights.items()}))
    if args.write:
        meta_path = Path(args.model) / "claimcheck.json"
        meta = json.loads(meta_path.read_text(encoding="utf-8")) if meta_path.is_file() else {}
        meta["decision"] = {
            **learned.to_json(),
            "fitted_on": "realnews_dev (40 articles) + fnc1 headline dev (360); figures are 10-fold leave-articles-out",
            "cross_validated": cv,
        }
        meta_path.write_text(json.dumps(meta, indent=2) + "\n", encoding="utf-8")
        print(f"wrote the decision to {meta_path}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
