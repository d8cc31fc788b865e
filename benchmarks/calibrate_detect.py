"""Fit the paraphrase pair classifier and the detection thresholds.

Generates a synthetic corpus with seed 11 (``dupscan generate``; the quality
benchmark uses seed 4242, never used here), collects every candidate pair the
detector would verify, labels it from the corpus truth, fits a gradient-boosted
tree ensemble (scikit-learn's histogram boosting, monotone in the features
where more agreement can only mean more likely a re-entry) on the pairs that
reach the paraphrase stage, exports it as plain arrays
(:class:`dupscan.detect.forest.Forest`) and picks the thresholds that maximise
F1 on the calibration corpus. ``--extra-seeds`` adds pairs of further corpora
(never 4242). With ``--fit-on-extra`` (the default) the trees are fitted on the
extra corpora only, so the seed-11 corpus on which the thresholds are picked is
held out from the fit and the picked thresholds are not flattered by it.
Writes ``src/dupscan/detect/weights.json``.

Usage::

    python benchmarks/calibrate_detect.py [--cases 120] [--out out/bench/calib_s11]
        [--extra-seeds 13]
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections import defaultdict
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _detect_corpus import ROOT, forms_from_fields, generate, read_truth  # noqa: E402

from dupscan._io import atomic_write_text  # noqa: E402
from dupscan.config import ScanOptions  # noqa: E402
from dupscan.detect.classify import FEATURES, PairModel, feature_vector, load_pair_model  # noqa: E402
from dupscan.detect.classify import pair_features  # noqa: E402
from dupscan.detect.forest import ALWAYS_LEFT, Forest  # noqa: E402
from dupscan.detect.engine import _margin, _same_field, prepare  # noqa: E402
from dupscan.detect.fuzzy import lexical  # noqa: E402
from dupscan.detect.guard import conflict  # noqa: E402
from dupscan.errors import ConfigError  # noqa: E402
from dupscan.evaluate import coverage  # noqa: E402

SEED = 11
# features the classifier uses; the others keep weight 0 (fewer, generator-independent features
# transfer better to hand-written text than the full set fitted to one generator). The
# idf-weighted covers are left out: they weigh words by the rest of the case, so a form added
# later would change the verdicts on earlier forms, and an index scan could not keep them
# (dupscan/detect/extend.py); the plain cover both ways takes their place
USED = ("cosine", "token_set", "cover_min", "cover_max", "same_field",
        "margin", "length_ratio", "facts_shared", "facts_only", "names_shared", "names_only")
# +1: the probability may only rise with the feature; -1: only fall; 0: free
MONOTONE = {"cosine": 1, "token_set": 1, "same_field": 1, "margin": 1, "facts_shared": 1,
            "facts_only": -1, "names_shared": 1}
DEPTH, TREES, RATE = 4, 200, 0.1
HELD_OUT = 4242
WEIGHTS = ROOT / "src" / "dupscan" / "detect" / "weights.json"


def _truth_index(truth: list[dict]) -> dict[str, list[dict]]:
    by_doc: dict[str, list[dict]] = defaultdict(list)
    for t in truth:
        if t["kind"] != "distinct":
            by_doc[t["target"]["doc"]].append(t)
    return by_doc


def _label(s_doc: str, s_text: str, t_doc: str, t_text: str, by_doc: dict) -> int:
    for item in by_doc.get(t_doc, ()):
        if s_doc not in item["valid_sources"]:
            continue
        if coverage(t_text, item["target"]["text"]) >= 0.5 or \
                coverage(t_text, item["target"]["text"]) > 0 and \
                coverage(item["target"]["text"], t_text) >= 0.5:
            if s_doc != item["source"]["doc"] or coverage(s_text, item["source"]["text"]) >= 0.5 \
                    or item["kind"] == "paraphrase":
                return 1
    return 0


def _para_label(s_doc: str, s_text: str, t_doc: str, t_text: str, by_doc: dict) -> int | None:
    """1 when the target lies in a planted item and the source in its source text.

    ``None`` (left out) when the source form is a valid source but the source
    sentence lies outside the planted source text's words: a paraphrase may draw
    on any sentence of the passage, so such pairs are neither clear positives
    nor clear negatives.
    """
    for item in by_doc.get(t_doc, ()):
        if s_doc in item["valid_sources"] and coverage(t_text, item["target"]["text"]) >= 0.5:
            if coverage(s_text, item["source"]["text"]) >= 0.5:
                return 1
            return None
    return 0


def collect(root: Path, near_threshold: float, floor: float) -> tuple[list, list, list]:
    """Candidate pairs of the corpus: (near-stage rows, paraphrase-stage rows, labels)."""
    truth = read_truth(root)
    by_doc = _truth_index(truth)
    near_rows, para_rows, para_y = [], [], []
    for forms in forms_from_fields(root).values():
        prep = prepare(forms, options=ScanOptions(), floor=floor)
        for t in prep.units:
            if t.form == 0:
                continue
            t_doc = prep.forms[t.form].doc
            cands = prep.candidates(t)
            positives: list[tuple[float, list[float], bool]] = []
            for s, cosine in cands:
                if s.key == t.key:
                    continue
                s_doc = prep.forms[s.form].doc
                lex = lexical(s.norm, t.norm, s.toks, t.toks)
                if lex.ratio >= 0.6:
                    veto = conflict(s.text, t.text, near=True, aliases=prep.aliases) is not None
                    near_rows.append((lex.ratio, veto, _label(s_doc, s.text, t_doc, t.text, by_doc)))
                if lex.ratio >= near_threshold or cosine is None or cosine < floor:
                    continue
                if lex.containment >= 0.9 and min(s.words, t.words) >= 6:
                    continue
                label = _para_label(s_doc, s.text, t_doc, t.text, by_doc)
                if label is None:
                    continue
                x = pair_features(s, t, lex, cosine, _same_field(prep.forms, s, t), prep.idf,
                                  _margin(cands, s, cosine))
                veto = conflict(s.text, t.text, near=lex.token_ratio >= 0.7,
                                aliases=prep.aliases) is not None
                if label:
                    positives.append((x["cosine"] + x["idf_cover_max"], feature_vector(x), veto))
                else:
                    para_rows.append((feature_vector(x), veto))
                    para_y.append(0)
            # a paraphrased sentence restates one source sentence: the best-matching
            # sentence of the planted source passage is the positive, the rest are left out
            if positives:
                _, x_best, veto = max(positives, key=lambda p: p[0])
                para_rows.append((x_best, veto))
                para_y.append(1)
    return near_rows, para_rows, para_y


def _best_threshold(scores: np.ndarray, y: np.ndarray, grid: np.ndarray) -> tuple[float, float]:
    best = (0.5, -1.0)
    for thr in grid:
        pred = scores >= thr
        tp = float((pred & (y == 1)).sum())
        p = tp / max(1.0, pred.sum())
        r = tp / max(1.0, (y == 1).sum())
        f1 = 2 * p * r / (p + r) if p + r else 0.0
        if f1 > best[1]:
            best = (float(thr), f1)
    return best


SWEEP = (0.4, 0.5, 0.6, 0.7, 0.8, 0.9)
CONTEXT_SWEEP = (0.2, 0.35)
DISTINCT_SLACK = 0.01


def _sweep(model: PairModel, root: Path, cases: int, out: Path) -> PairModel:
    """Pick the paraphrase and context thresholds by end-to-end F1 on the first ``cases`` cases.

    The pair-level threshold ignores that each target keeps one match and that
    sentences merge into spans; this runs the detector itself and scores it
    with ``dupscan.evaluate``, keeping the distinct (changed-fact) rate near its floor.
    """
    import dataclasses

    from dupscan.detect import detect
    from dupscan.evaluate import score

    from _detect_corpus import finding_dict

    forms = dict(list(forms_from_fields(root).items())[:cases])
    truth = [t for t in read_truth(root) if t["case_id"] in forms]
    results = []
    for thr in SWEEP:
        for ctx in CONTEXT_SWEEP:
            trial = dataclasses.replace(model, paraphrase_threshold=thr, context_threshold=ctx)
            path = out / f"weights_{thr:.2f}_{ctx:.2f}.json"
            atomic_write_text(path, trial.to_json())
            options = ScanOptions(extra={"pair_weights": str(path)})
            found = [finding_dict(f) for fs in forms.values()
                     for f in detect(fs, options=options)]
            ev = score(truth, found)
            para, overall = ev.by_kind["paraphrase"].f1, ev.overall.f1
            print(f"  threshold {thr:.2f}, context {ctx:.2f}: paraphrase F1 {para:.3f}, "
                  f"all F1 {overall:.3f}, distinct flagged {ev.distinct_flagged_rate:.1%}",
                  flush=True)
            results.append((trial, para, overall, ev.distinct_flagged_rate))
    # some planted changed-fact items restate facts found elsewhere in their case, so the
    # distinct rate has a floor; allow at most one point above the best rate seen
    floor = min(r[3] for r in results)
    ok = [r for r in results if r[3] <= floor + DISTINCT_SLACK]
    best_r = max(ok, key=lambda r: (r[1], r[2]))
    best = (best_r[0], (best_r[1], best_r[2]))
    chosen = best[0]
    meta = dict(chosen.meta or {})
    meta.update({"sweep_cases": cases, "sweep_paraphrase_f1": round(best[1][0], 4),
                 "sweep_all_f1": round(best[1][1], 4)})
    print(f"paraphrase threshold {chosen.paraphrase_threshold:.2f}, context threshold "
          f"{chosen.context_threshold:.2f} by end-to-end sweep")
    return dataclasses.replace(chosen, meta=meta)


def _complete(nodes: np.ndarray, depth: int) -> tuple[list[int], list[float], list[float]]:
    """One scikit-learn histogram-boosting tree as complete breadth-first arrays."""
    feature, threshold = [0] * (2 ** depth - 1), [ALWAYS_LEFT] * (2 ** depth - 1)
    leaf = [0.0] * 2 ** depth

    def fill(node: int, pos: int, level: int) -> None:
        row = nodes[node]
        if level == depth:
            assert row["is_leaf"], "tree deeper than the export depth"
            leaf[pos - (2 ** depth - 1)] = float(row["value"])
            return
        if row["is_leaf"]:  # pad: always go left, keep the value on both sides
            fill(node, 2 * pos + 1, level + 1)
            fill(node, 2 * pos + 2, level + 1)
            return
        feature[pos], threshold[pos] = int(row["feature_idx"]), float(row["num_threshold"])
        fill(int(row["left"]), 2 * pos + 1, level + 1)
        fill(int(row["right"]), 2 * pos + 2, level + 1)

    fill(0, 0, 0)
    return feature, threshold, leaf


def fit_forest(X: np.ndarray, y: np.ndarray, cols: list[int]) -> Forest:
    """Fit the boosted trees on columns ``cols`` of ``X`` and export them over all features."""
    from sklearn.ensemble import HistGradientBoostingClassifier

    clf = HistGradientBoostingClassifier(
        max_iter=TREES, max_depth=DEPTH, max_leaf_nodes=None, learning_rate=RATE,
        early_stopping=False, random_state=0,
        monotonic_cst=[MONOTONE.get(FEATURES[c], 0) for c in cols])
    clf.fit(X[:, cols], y)
    feats, thrs, leaves = [], [], []
    for (predictor,) in clf._predictors:
        f, t, leaf = _complete(predictor.nodes, DEPTH)
        feats.append([cols[i] if thr < ALWAYS_LEFT else 0 for i, thr in zip(f, t)])
        thrs.append(t)
        leaves.append(leaf)
    forest = Forest(DEPTH, float(np.ravel(clf._baseline_prediction)[0]), np.array(feats),
                    np.array(thrs), np.array(leaves))
    check = X[: min(len(X), 2000)]
    assert np.allclose(forest.log_odds(check), clf.decision_function(check[:, cols]),
                       atol=1e-6), "exported forest disagrees with the fitted model"
    return forest


def _pairs(root: Path, near_threshold: float, floor: float, cache: Path,
           reuse: bool) -> tuple[list, list, list]:
    if reuse and cache.is_file():
        return json.loads(cache.read_text())
    rows = collect(root, near_threshold, floor)
    cache.write_text(json.dumps(rows))
    return rows


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=120)
    parser.add_argument("--out", type=Path, default=ROOT / "out" / "bench" / "calib_s11")
    parser.add_argument("--weights", type=Path, default=WEIGHTS)
    parser.add_argument("--sweep-cases", type=int, default=120,
                        help="cases for the end-to-end threshold sweep (0: keep the pair optimum)")
    parser.add_argument("--extra-seeds", type=int, nargs="*", default=[13, 14],
                        help="further corpora whose pairs join the training set (not 4242)")
    parser.add_argument("--extra-cases", type=int, default=200)
    parser.add_argument("--fit-on-extra", action=argparse.BooleanOptionalAction, default=True,
                        help="fit the trees on the extra corpora only (seed 11 held out)")
    parser.add_argument("--reuse", action="store_true",
                        help="reuse the candidate pairs collected by the previous run")
    args = parser.parse_args()
    if HELD_OUT in args.extra_seeds or SEED in args.extra_seeds:
        parser.error(f"--extra-seeds may not hold {HELD_OUT} (the test seed) or {SEED}")

    t0 = time.perf_counter()
    root = generate(args.out, args.cases, SEED)
    try:
        near_start = load_pair_model(None).near_threshold
    except ConfigError:  # weights of an older feature set: start from the default
        near_start = 0.7
    floor = 0.5
    near_rows, para_rows, para_y = _pairs(root, near_start, floor, args.out / "pairs.json",
                                          args.reuse)
    print(f"corpus seed {SEED}, {args.cases} cases: {len(near_rows)} near-stage and "
          f"{len(para_rows)} paraphrase-stage pairs ({time.perf_counter() - t0:.0f}s)")
    extra_rows, extra_y = [], []
    for seed in args.extra_seeds:
        out = args.out.parent / f"calib_s{seed}"
        extra = generate(out, args.extra_cases, seed)
        _, rows, ys = _pairs(extra, near_start, floor, out / "pairs.json", args.reuse)
        extra_rows += rows
        extra_y += ys
        print(f"corpus seed {seed}, {args.extra_cases} cases: {len(rows)} paraphrase-stage "
              f"pairs ({time.perf_counter() - t0:.0f}s)")

    # near threshold: best F1 of (ratio >= thr and not vetoed) against the labels
    ratio = np.array([r for r, _, _ in near_rows])
    veto = np.array([v for _, v, _ in near_rows])
    y_near = np.array([y for _, _, y in near_rows])
    near_thr, near_f1 = _best_threshold(np.where(veto, -1.0, ratio), y_near,
                                        np.arange(0.70, 0.951, 0.01))
    print(f"near threshold {near_thr:.2f} (pair F1 {near_f1:.3f})")

    X = np.array([x for x, _ in para_rows], dtype=float)
    vetoed = np.array([v for _, v in para_rows])
    y = np.array(para_y)
    keep = ~vetoed
    cols = [FEATURES.index(f) for f in USED]
    X_fit, y_fit = X[keep], y[keep]
    if extra_rows and args.fit_on_extra:
        X_fit, y_fit = X_fit[:0], y_fit[:0]
    if extra_rows:
        X_extra = np.array([x for x, _ in extra_rows], dtype=float)
        keep_extra = ~np.array([v for _, v in extra_rows])
        X_fit = np.vstack([X_fit, X_extra[keep_extra]])
        y_fit = np.concatenate([y_fit, np.array(extra_y)[keep_extra]])
    forest = fit_forest(X_fit, y_fit, cols)
    prob = np.zeros(len(y))
    prob[keep] = 1.0 / (1.0 + np.exp(-forest.log_odds(X[keep])))
    para_thr, para_f1 = _best_threshold(prob, y, np.arange(0.3, 0.99, 0.01))
    print(f"paraphrase threshold {para_thr:.2f} (pair F1 {para_f1:.3f} on seed {SEED}; "
          f"{int(y.sum())} positive of {len(y)}; fitted on {len(y_fit)} pairs)")
    mean, scale = X_fit.mean(axis=0), X_fit.std(axis=0)
    model = PairModel(
        weights=(0.0,) * len(FEATURES), bias=0.0,
        mean=tuple(round(float(v), 6) for v in mean),
        scale=tuple(round(float(v), 6) or 1.0 for v in scale),
        near_threshold=round(near_thr, 2), paraphrase_threshold=round(para_thr, 2),
        cosine_floor=floor, forest=forest,
        meta={"source": "benchmarks/calibrate_detect.py", "seed": SEED, "cases": args.cases,
              "extra_seeds": list(args.extra_seeds), "extra_cases": args.extra_cases,
              "fit_seeds": ([] if extra_rows and args.fit_on_extra else [SEED])
              + list(args.extra_seeds),
              "model": f"histogram gradient boosting, {TREES} trees of depth {DEPTH}",
              "pairs": int(len(y_fit)), "positives": int(y_fit.sum()),
              "pair_f1": round(para_f1, 4), "near_pair_f1": round(near_f1, 4)},
    )
    if args.sweep_cases:
        model = _sweep(model, root, args.sweep_cases, args.out)
    atomic_write_text(args.weights, model.to_json())
    print(f"wrote {args.weights} ({time.perf_counter() - t0:.0f}s)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
