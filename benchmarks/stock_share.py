"""Stock-text threshold: detection quality for several ``stock_min_share`` values.

Generates (or reuses) a synthetic corpus with seed 4242, builds Forms from its
true fields (``fields.jsonl``), finds stock text with
:func:`dupscan.detect.find_stock` at each share, runs :func:`dupscan.detect.detect`
per case with that stock excluded, and prints precision/recall/F1 per kind,
distinct items wrongly flagged and estimated / true re-entered words
(:func:`dupscan.evaluate.score`). Share 0 is the fixed ``stock_min_cases``
threshold.

Usage::

    python benchmarks/stock_share.py [--cases 200] [--shares 0,0.03,0.05]
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _detect_corpus import ROOT, finding_dict, forms_from_fields, generate, read_truth  # noqa: E402

from dupscan.config import ScanOptions  # noqa: E402
from dupscan.detect import detect, find_stock, stock_keys  # noqa: E402
from dupscan.evaluate import KINDS, score  # noqa: E402

SEED = 4242


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=200)
    parser.add_argument("--shares", default="0,0.03,0.05")
    parser.add_argument("--out", type=Path, default=ROOT / "out" / "bench")
    args = parser.parse_args()
    name = f"quality_s{SEED}" if args.cases == 200 else f"quality_s{SEED}_{args.cases}"
    root = generate(args.out / name, args.cases, SEED)
    truth, fields = read_truth(root), forms_from_fields(root)
    print("| share | threshold | stock sentences | " + " | ".join(f"{k} P/R/F1" for k in KINDS)
          + " | distinct flagged | words est/true | seconds |")
    for share in (float(s) for s in args.shares.split(",")):
        options = ScanOptions(stock_min_share=share)
        t0 = time.perf_counter()
        stock = find_stock(fields, options=options)
        keys = stock_keys(stock)
        findings = [finding_dict(f) for forms in fields.values()
                    for f in detect(forms, options=options, exclude=keys)]
        ev = score(truth, findings)
        cells = [f"{share:g}", str(options.stock_threshold(len(fields))), str(len(stock))]
        cells += [f"{ev.by_kind[k].precision:.3f} / {ev.by_kind[k].recall:.3f} / "
                  f"**{ev.by_kind[k].f1:.3f}**" for k in KINDS]
        cells += [f"{ev.distinct_flagged}/{ev.distinct_total}", f"{ev.words_ratio:.3f}",
                  f"{time.perf_counter() - t0:.0f}"]
        print("| " + " | ".join(cells) + " |", flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
