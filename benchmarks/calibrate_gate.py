"""Fit the pair classifier's gate: the sentence cosine and token-set ratio below both of
which a candidate pair is not scored (:meth:`dupscan.detect.classify.PairModel.worth_scoring`).

Most pairs the detector scores share too little meaning and too few words to be
re-entry: on the fit corpora 94% of those at the cosine floor score below the
context threshold, and computing their features (word profiles, word cover,
facts) and walking the trees is most of the classifier's cost. The gate turns
most of them away with two numbers the detector already has.

Every pair the detector scores on the fit corpora (seeds 13 and 14 of
``calibrate_detect.py``, 200 cases each, true fields -> detect, no gate) is
scored with the shipped trees. The gate is the point of the grid (cosine 0.50 to
0.95, token-set ratio 0.30 to 0.95, steps of 0.05) that leaves the fewest pairs
to score while keeping every pair at the paraphrase threshold and all but at
most :data:`MAX_LOST` of those at the context threshold (ties: the lower
thresholds). Only the gate of ``weights.json`` is rewritten; the trees and the
thresholds stay as ``calibrate_detect.py`` fitted them.

Usage::

    .venv/bin/python benchmarks/calibrate_gate.py [--reuse]
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _detect_corpus import ROOT, forms_from_fields, generate

from dupscan._io import atomic_write_text
from dupscan.config import ScanOptions
from dupscan.detect.classify import PairModel, load_pair_model
from dupscan.detect.engine import _copies, _Open, _probabilities, prepare
from dupscan.detect.extend import CASE_WEIGHTS

WEIGHTS = ROOT / "src" / "dupscan" / "detect" / "weights.json"
SEEDS = (13, 14)  # calibrate_detect.py's fit corpora
CASES = 200
#: share of the pairs at the context threshold the gate may turn away (1 in 400)
MAX_LOST = 0.0025
COSINES = np.round(np.arange(0.50, 0.951, 0.05), 2)
TOKEN_SETS = np.round(np.arange(0.30, 0.951, 0.05), 2)


def scored_pairs(root: Path, model: PairModel) -> list[tuple[float, float, float]]:
    """``(cosine, token-set ratio, probability)`` of every pair detection scores in the
    corpus at ``root`` with ``model`` ungated."""
    ungated = dataclasses.replace(model, gate_cosine=0.0, gate_token_set=0.0)
    options = ScanOptions()
    kinds = set(options.kinds)
    rows = []
    for forms in forms_from_fields(root).values():
        prep = prepare(forms, options=options, floor=ungated.cosine_floor,
                       weigh_words=not CASE_WEIGHTS <= ungated.unused)
        open_ = [v for t in prep.units if isinstance(v := _copies(prep, t, ungated, kinds), _Open)]
        for o, probs in zip(open_, _probabilities(prep, open_, ungated, ungated.unused)):
            rows += [(cosine, lex.token_set, float(p))
                     for (_, cosine, lex, _), p in zip(o.rows, probs)]
    return rows


def choose_gate(pairs: np.ndarray, model: PairModel) -> tuple[float, float, dict]:
    """The gate (see the module docstring) for ``pairs`` (rows of ``scored_pairs``),
    and what it keeps."""
    cosine, token_set, prob = pairs.T
    confident = prob >= model.paraphrase_threshold
    context = prob >= min(model.context_threshold, model.paraphrase_threshold)
    best: tuple[float, float, float] | None = None
    for c in COSINES:
        for t in TOKEN_SETS:
            kept = (cosine >= c) | (token_set >= t)
            if (confident & ~kept).any() or (context & ~kept).sum() > MAX_LOST * context.sum():
                continue
            if best is None or kept.mean() < best[0] - 1e-12:
                best = (float(kept.mean()), float(c), float(t))
    if best is None:  # no grid point qualifies: score every pair
        return 0.0, 0.0, {"kept": 1.0}
    share, c, t = best
    kept = (cosine >= c) | (token_set >= t)
    return c, t, {"pairs": len(pairs), "kept": round(share, 4),
                  "context_pairs": int(context.sum()),
                  "context_turned_away": int((context & ~kept).sum())}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--weights", type=Path, default=WEIGHTS)
    parser.add_argument("--reuse", action="store_true",
                        help="reuse the scored pairs of the previous run")
    args = parser.parse_args()
    model = load_pair_model(str(args.weights))
    pairs = []
    for seed in SEEDS:
        root = generate(ROOT / "out" / "bench" / f"calib_s{seed}", CASES, seed)
        cache = root / "gate_pairs.json"
        if args.reuse and cache.is_file():
            rows = json.loads(cache.read_text())
        else:
            rows = scored_pairs(root, model)
            cache.write_text(json.dumps(rows))
        print(f"seed {seed}: {len(rows)} scored pairs")
        pairs += rows
    c, t, stats = choose_gate(np.array(pairs, dtype=float), model)
    meta = {**dict(model.meta or {}), "gate": {"seeds": list(SEEDS), "cases": CASES, **stats}}
    gated = dataclasses.replace(model, gate_cosine=c, gate_token_set=t, meta=meta)
    atomic_write_text(args.weights, gated.to_json())
    print(f"gate: cosine >= {c:.2f} or token-set ratio >= {t:.2f} ({stats}); wrote {args.weights}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
