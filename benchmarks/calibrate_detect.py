"""Fit the paraphrase pair classifier and the detection thresholds.

Generates a synthetic corpus with seed 11 (``dupscan generate``; the quality
benchmark uses seed 4242, never used here), collects every candidate pair the
detector would verify, labels it from the corpus truth, fits a logistic
regression on the pairs that reach the paraphrase stage and picks the
thresholds that maximise F1 on the calibration corpus. Writes
``src/dupscan/detect/weights.json``.

Usage::

    python benchmarks/calibrate_detect.py [--cases 120] [--out out/bench/calib_s11]
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
from dupscan.detect.classify import pair_features
from dupscan.detect.engine import _margin, _same_field, prepare  # noqa: E402
from dupscan.detect.fuzzy import lexical  # noqa: E402
from dupscan.detect.guard import conflict  # noqa: E402
from dupscan.evaluate import coverage  # noqa: E402

SEED = 11
# features the classifier uses; the others keep weight 0 (fewer, generator-independent features
# transfer better to hand-written text than the full set fitted to one generator)
USED = ("cosine", "token_set", "cover_min", "idf_cover_min", "idf_cover_max", "same_field",
        "margin", "length_ratio")
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


SWEEP = (0.9, 0.93, 0.95, 0.97)
CONTEXT_SWEEP = (0.3, 0.5, 0.7)
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


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=120)
    parser.add_argument("--out", type=Path, default=ROOT / "out" / "bench" / "calib_s11")
    parser.add_argument("--weights", type=Path, default=WEIGHTS)
    parser.add_argument("--sweep-cases", type=int, default=40,
                        help="cases for the end-to-end threshold sweep (0: keep the pair optimum)")
    parser.add_argument("--reuse", action="store_true",
                        help="reuse the candidate pairs collected by the previous run")
    args = parser.parse_args()
    from sklearn.linear_model import LogisticRegression

    t0 = time.perf_counter()
    root = generate(args.out, args.cases, SEED)
    current = load_pair_model(None)
    floor = 0.5
    cache = args.out / "pairs.json"
    if args.reuse and cache.is_file():
        near_rows, para_rows, para_y = json.loads(cache.read_text())
    else:
        near_rows, para_rows, para_y = collect(root, current.near_threshold, floor)
        cache.write_text(json.dumps([near_rows, para_rows, para_y]))
    print(f"corpus seed {SEED}, {args.cases} cases: {len(near_rows)} near-stage and "
          f"{len(para_rows)} paraphrase-stage pairs ({time.perf_counter() - t0:.0f}s)")

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
    mean, scale = X[keep].mean(axis=0), X[keep].std(axis=0)
    scale[scale == 0] = 1.0
    cols = [FEATURES.index(f) for f in USED]
    clf = LogisticRegression(C=1.0, max_iter=2000, class_weight="balanced")
    clf.fit(((X[keep] - mean) / scale)[:, cols], y[keep])
    prob = np.zeros(len(y))
    prob[keep] = clf.predict_proba(((X[keep] - mean) / scale)[:, cols])[:, 1]
    coef = np.zeros(len(FEATURES))
    coef[cols] = clf.coef_[0]
    para_thr, para_f1 = _best_threshold(prob, y, np.arange(0.3, 0.99, 0.01))
    print(f"paraphrase threshold {para_thr:.2f} (pair F1 {para_f1:.3f}; "
          f"{int(y.sum())} positive of {len(y)})")
    for name, w in zip(FEATURES, coef):
        print(f"  {name:>13} {w:+.3f}")
    model = PairModel(
        weights=tuple(round(float(w), 6) for w in coef),
        bias=round(float(clf.intercept_[0]), 6),
        mean=tuple(round(float(v), 6) for v in mean),
        scale=tuple(round(float(v), 6) for v in scale),
        near_threshold=round(near_thr, 2), paraphrase_threshold=round(para_thr, 2),
        cosine_floor=floor,
        meta={"source": "benchmarks/calibrate_detect.py", "seed": SEED, "cases": args.cases,
              "pairs": len(y), "positives": int(y.sum()), "pair_f1": round(para_f1, 4),
              "near_pair_f1": round(near_f1, 4)},
    )
    if args.sweep_cases:
        model = _sweep(model, root, args.sweep_cases, args.out)
    atomic_write_text(args.weights, model.to_json())
    print(f"wrote {args.weights} ({time.perf_counter() - t0:.0f}s)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
