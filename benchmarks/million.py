"""A million forms on one machine: an indexed scan of about 1M forms, then a month's increment.

A regional study holds millions of forms. This benchmark checks that one small
machine still scans them with bounded memory and near-linear time, and what an
increment costs once the index is that large:

1. a text-only synthetic corpus of ``--forms`` forms is generated (as
   ``scale.py`` does: txt, md and numbered layouts, seed 1);
2. the corpus without the last form of ``--added-forms`` cases (spread evenly) is
   scanned end to end into a new index (``--index``), with the peak memory of the
   scan's own process and of its workers sampled;
3. the whole corpus is then scanned with the same index: the increment;
4. the increment's findings (the whole corpus) are scored against the generator's
   truth;
5. for the growth of time and memory, the ``--compare-at`` corpus (by default the
   100k one of ``scale.py``) is scanned the same way in the same run.

The increment's share is that of the first scan, scaled to the forms of the whole
corpus (a full rescan of a million forms would take as long again).

Results go to ``benchmarks/data/million.json``; ``benchmarks/README.md`` quotes them.

Usage::

    python benchmarks/million.py --work /tmp/dupscan-scale --workers 2
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from incremental import holdout
from scale import _fit, _fresh_index, _generate, _machine, _scan, _score, _snapshot


def _sizes(path: Path) -> int:
    """Bytes of an SQLite index with its write-ahead log and shared memory."""
    return sum(Path(f"{path}{s}").stat().st_size for s in ("", "-wal", "-shm")
               if Path(f"{path}{s}").exists())


def _indexed(corpus: Path, work: Path, forms: int, workers: int, added: int) -> dict:
    """The first scan (all but ``added`` forms) into a new index, then the increment."""
    index = _fresh_index(work / f"index-{forms}.sqlite")
    part = holdout(corpus, work / f"manifest-holdout-{forms}.csv", cases=added)
    print(f"[million] {forms}: first scan into {index}", file=sys.stderr, flush=True)
    first = _scan(corpus, part, work / f"out-{forms}-part", workers, index)
    first["index_bytes"] = _sizes(index)
    print(f"[million] {forms}: {first}", file=sys.stderr, flush=True)
    again = _scan(corpus, corpus / "manifest.csv", work / f"out-{forms}-incr", workers, index)
    print(f"[million] {forms}: increment {again}", file=sys.stderr, flush=True)
    scaled = first["wall_s"] * again["forms"] / first["forms"]
    return {"first_scan": first, "increment": again,
            "increment_share_of_first_scaled": round(again["wall_s"] / scaled, 4)}


def _quality(corpus: Path, findings_json: Path) -> dict:
    start = time.perf_counter()
    written = json.loads(findings_json.read_text())
    out = _score(corpus / "truth.jsonl", written["findings"])
    out["stock_sentences"] = len(written["stock_text"])
    out["scored_in_s"] = round(time.perf_counter() - start, 1)
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--work", type=Path, required=True,
                        help="folder for the corpora, indexes and outputs")
    parser.add_argument("--forms", type=int, default=1_000_000)
    parser.add_argument("--compare-at", type=int, default=100_000,
                        help="a smaller corpus scanned the same way, for growth (0: none)")
    parser.add_argument("--added-forms", type=int, default=1000)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--source", type=Path, default=None,
                        help="src folder to benchmark instead of the checkout's src")
    args = parser.parse_args(argv)
    args.work.mkdir(parents=True, exist_ok=True)
    _snapshot(args.work, args.source)
    results: dict = {"machine": _machine(), "workers": args.workers, "seed": args.seed,
                     "added_forms": args.added_forms, "runs": {}}
    sizes = [s for s in (args.compare_at, args.forms) if s]
    for forms in sizes:
        corpus = _generate(args.work / f"corpus-{forms}", forms, args.seed)
        run = _indexed(corpus, args.work, forms, args.workers, args.added_forms)
        run["quality"] = _quality(corpus, args.work / f"out-{forms}-incr" / "findings.json")
        results["runs"][str(forms)] = run
    if len(sizes) == 2:
        points = [(r["first_scan"]["forms"], r["first_scan"]["wall_s"])
                  for r in results["runs"].values()]
        results["growth_exponent"] = _fit(points)
        memory = [(r["first_scan"]["forms"], r["first_scan"]["peak_rss_mb"])
                  for r in results["runs"].values()]
        results["memory_growth_exponent"] = _fit(memory)
    (HERE / "data").mkdir(exist_ok=True)
    (HERE / "data" / "million.json").write_text(json.dumps(results, indent=2) + "\n")
    print(json.dumps(results, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
