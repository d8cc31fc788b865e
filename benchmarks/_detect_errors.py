"""Error analysis of paraphrase detection on a development corpus (never seed 4242).

Runs ``dupscan.detect`` on the true fields of a generated corpus (stock text
excluded, as the quality benchmark does), scores it, and sorts every missed
paraphrase truth item into a bucket: no candidate retrieved, retrieved but
below the cosine floor, scored below the threshold, rejected by the guard,
or matched to another source form. False paraphrase findings are listed too.

Usage::

    python benchmarks/_detect_errors.py ROOT [--cases N] [--dump FILE]
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _detect_corpus import finding_dict, forms_from_fields, read_truth  # noqa: E402

from dupscan.config import ScanOptions  # noqa: E402
from dupscan.detect import detect, find_stock, stock_keys  # noqa: E402
from dupscan.detect.classify import feature_vector, load_pair_model, pair_features  # noqa: E402
from dupscan.detect.engine import _margin, _same_field, prepare  # noqa: E402
from dupscan.detect.fuzzy import lexical  # noqa: E402
from dupscan.detect.guard import conflict  # noqa: E402
from dupscan.evaluate import coverage, score, words_of  # noqa: E402


def run(root: Path, cases: int | None, options: ScanOptions) -> tuple[dict, list, list, float]:
    forms = forms_from_fields(root)
    if cases:
        forms = dict(list(forms.items())[:cases])
    truth = [t for t in read_truth(root) if t["case_id"] in forms]
    t0 = time.perf_counter()
    keys = stock_keys(find_stock(forms, options=options))
    found = [finding_dict(f) for fs in forms.values()
             for f in detect(fs, options=options, exclude=keys)]
    return forms, truth, found, time.perf_counter() - t0


def _diagnose(forms: list, item: dict, model, keys) -> str:
    prep = prepare(forms, exclude=keys, floor=model.cosine_floor)
    docs = [f.doc for f in prep.forms]
    t_text, s_text = item["target"]["text"], item["source"]["text"]
    targets = [u for u in prep.units if docs[u.form] == item["target"]["doc"]
               and coverage(u.text, t_text) >= 0.5]
    if not targets:
        return "target not a unit"
    best = "not retrieved"
    rank = ["not retrieved", "below floor", "scored low", "guard", "ok"]
    for t in targets:
        cands = prep.candidates(t)
        for s, cos in cands:
            if docs[s.form] not in item["valid_sources"] or coverage(s.text, s_text) < 0.5:
                continue
            if cos is None or cos < model.cosine_floor:
                why = "below floor"
            else:
                lex = lexical(s.norm, t.norm, s.toks, t.toks)
                x = pair_features(s, t, lex, cos, _same_field(prep.forms, s, t), prep.idf,
                                  _margin(cands, s, cos))
                p = model.probability(feature_vector(x))
                if p < model.paraphrase_threshold:
                    why = "scored low"
                elif conflict(s.text, t.text, near=lex.token_ratio >= 0.7, aliases=prep.aliases):
                    why = "guard"
                else:
                    why = "ok"
            if rank.index(why) > rank.index(best):
                best = why
    return best


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("root", type=Path)
    ap.add_argument("--cases", type=int, default=0)
    ap.add_argument("--dump", type=Path)
    ap.add_argument("--weights")
    ap.add_argument("--no-diagnose", action="store_true")
    args = ap.parse_args()
    options = ScanOptions(extra={"pair_weights": args.weights} if args.weights else None)
    forms, truth, found, secs = run(args.root, args.cases or None, options)
    ev = score(truth, found)
    for k, ks in ev.by_kind.items():
        print(f"{k:>10} P {ks.precision:.3f} R {ks.recall:.3f} F1 {ks.f1:.3f}")
    print(f"distinct {ev.distinct_flagged}/{ev.distinct_total} ({ev.distinct_flagged_rate:.1%}) "
          f"words {ev.words_ratio:.3f} detect {secs:.1f}s")
    if args.no_diagnose:
        return 0
    model = load_pair_model(args.weights)
    keys = stock_keys(find_stock(forms, options=options))
    by_doc: dict = {}
    for f in found:
        by_doc.setdefault(f["target"]["doc"], []).append(f)
    missed, buckets = [], Counter()
    for item in truth:
        if item["kind"] != "paraphrase":
            continue
        tw = words_of(item["target"]["text"])
        hit = any(f["source"]["doc"] in item["valid_sources"] and
                  coverage(item["target"]["text"], f["target"]["text"]) >= 0.5
                  for f in by_doc.get(item["target"]["doc"], ()))
        if hit or not tw:
            continue
        why = _diagnose(forms[item["case_id"]], item, model, keys)
        buckets[why] += 1
        missed.append({"why": why, "source": item["source"]["text"],
                       "target": item["target"]["text"], "s_field": item["source"]["field"],
                       "t_field": item["target"]["field"]})
    print("missed paraphrase buckets:", dict(buckets))
    planted = {}
    for t in truth:
        if t["kind"] != "distinct":
            planted.setdefault(t["target"]["doc"], []).append(t["target"]["text"])
    false = [f for f in found if f["kind"] == "paraphrase" and not any(
        coverage(f["target"]["text"], p) >= 0.5 for p in planted.get(f["target"]["doc"], ()))]
    print("false paraphrase findings:", len(false))
    if args.dump:
        args.dump.write_text(json.dumps({"missed": missed, "false": [
            {"source": f["source"]["text"], "target": f["target"]["text"],
             "sim": f["similarity"], "s_field": f["source"]["field"],
             "t_field": f["target"]["field"]} for f in false]}, indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
