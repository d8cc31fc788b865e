"""Time ``detect()`` per case: this checkout against another source tree, in turns.

    python benchmarks/detect_speed.py --index /tmp/dupscan-scale/index-10000-full.sqlite \
        --cases 200 --against /tmp/base/src [--kinds exact,near] [--rounds 3]

The cases are the first ``--cases`` cases of a scan index (the forms as the scan
stored them, sentence offsets included, with no stock text left out), read once. Each round runs this
checkout's ``src`` and then ``--against`` (for example ``git worktree add /tmp/base
<commit>`` and its ``src``) in fresh processes on the same cases, so both sides
share the machine's state; the cyclic garbage collector is paused while timing,
as the scan's workers pause it per case. Every round also hashes the findings:
the two trees are expected to agree unless a change is meant to alter them.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import sqlite3
import statistics
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent


def _read_cases(index: Path, count: int) -> list[list[str]]:
    db = sqlite3.connect(f"file:{index}?mode=ro", uri=True)
    ids = [c for (c,) in db.execute(
        "SELECT DISTINCT case_id FROM run_forms ORDER BY case_id LIMIT ?", (count,))]
    cases = [[t for (t,) in db.execute(
        "SELECT t.form FROM run_forms f JOIN run_texts t USING (doc) WHERE f.case_id = ? "
        "ORDER BY f.sort_key, f.doc", (c,))]
        for c in ids]
    db.close()
    return cases


def _child(index: str, count: str, kinds: str) -> None:
    """Time detection of every case once, in this process; print one JSON line."""
    import gc
    import time

    from dupscan.batch.runtables import encode_findings
    from dupscan.batch.tasks import case_forms
    from dupscan.config import ScanOptions
    from dupscan.detect import detect

    options = ScanOptions(kinds=tuple(kinds.split(",")))
    cases = [case_forms(texts) for texts in _read_cases(Path(index), int(count))]
    detect(cases[0], options=options)  # models loaded before timing
    digest = hashlib.sha256()
    gc.disable()
    start = time.process_time()
    found = [detect(forms, options=options) for forms in cases]
    seconds = time.process_time() - start
    gc.enable()
    for findings in found:
        digest.update(encode_findings(findings).encode())
    print(json.dumps({"ms_per_case": 1000 * seconds / len(cases), "cases": len(cases),
                      "findings": sum(map(len, found)), "digest": digest.hexdigest()[:16]}))


def _run(src: Path, args: argparse.Namespace) -> dict:
    env = {**os.environ, "PYTHONPATH": str(src)}
    out = subprocess.run([sys.executable, str(Path(__file__).resolve()), "_child",
                          str(args.index), str(args.cases), args.kinds],
                         env=env, check=True, capture_output=True, text=True).stdout
    return json.loads(out.strip().splitlines()[-1])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--index", type=Path, required=True, help="a scan index (read only)")
    parser.add_argument("--cases", type=int, default=200)
    parser.add_argument("--against", type=Path, help="another tree's src folder")
    parser.add_argument("--kinds", default="exact,near,paraphrase")
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args(argv)
    sides = {"this checkout": HERE.parent / "src"}
    if args.against:
        sides["against"] = args.against
    times: dict[str, list[float]] = {name: [] for name in sides}
    digests: dict[str, set[str]] = {name: set() for name in sides}
    for round_ in range(args.rounds):
        for name, src in sides.items():
            result = _run(src, args)
            times[name].append(result["ms_per_case"])
            digests[name].add(result["digest"])
            print(f"round {round_ + 1}: {name}: {result['ms_per_case']:.2f} ms per case "
                  f"({result['cases']} cases, {result['findings']} findings, "
                  f"findings {result['digest']})", flush=True)
    medians = {name: statistics.median(v) for name, v in times.items()}
    for name, value in medians.items():
        print(f"{name}: median {value:.2f} ms per case (CPU time, kinds {args.kinds})")
    if args.against:
        print(f"against / this checkout: {medians['against'] / medians['this checkout']:.2f}x; "
              f"findings identical: {digests['against'] == digests['this checkout']}")
    return 0


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "_child":
        _child(*sys.argv[2:5])
        sys.exit(0)
    sys.exit(main())
