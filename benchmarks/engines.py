"""Time a whole scan on the local engine and on a Dask local cluster, in turns.

    python benchmarks/engines.py --corpus /tmp/dupscan-scale/corpus-10000 \
        --workers 2 --rounds 2 [--task-scales 1,8]

The corpus is a folder made by ``dupscan generate`` (``manifest.csv`` and
``templates`` inside), for example one that ``scale.py`` left in its work
folder. Each round scans it once with ``engine="local"`` and once with
``engine="dask"`` for every ``--task-scales`` value (units per Dask task, as a
multiple of the chunk the pipeline asks for; see ``DaskEngine``), each scan in
a fresh process with no index, writing findings.json. Reading, detection and the
whole scan are timed; every findings.json is compared with the first, byte for
byte. Ratios are against the local engine of the same round.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))


def _child(root: str, out: str, workers: str, engine: str, task_scale: str) -> None:
    """Scan in this process; print one JSON line of phase times and the findings' hash."""
    from incremental import stage_marks

    from dupscan._spool import SpoolFolder
    from dupscan.pipeline import scan
    from dupscan.report import write_reports

    if engine == "dask":
        from dupscan.batch.dask_engine import DaskEngine

        # the pipeline builds its engine from a name: set the default it will use
        DaskEngine.__init__.__kwdefaults__["task_scale"] = int(task_scale)
    start = time.perf_counter()
    marks, progress = stage_marks()
    with SpoolFolder(out) as spool:
        report = scan(root, Path(root) / "manifest.csv", templates=Path(root) / "templates",
                      workers=int(workers), engine=engine, progress=progress, spool=spool)
        write_reports(report, out, ["json"])
    total = time.perf_counter() - start
    digest = hashlib.sha256((Path(out) / "findings.json").read_bytes()).hexdigest()
    print(json.dumps({"scan_s": round(total, 2),
                      "read_s": round(marks["files_end"] - marks["files_start"], 2),
                      "detect_s": round(marks["cases_end"] - marks["cases_start"], 2),
                      "findings": len(report.findings), "sha256": digest}))


def _run(root: Path, workers: int, engine: str, task_scale: int) -> dict:
    with tempfile.TemporaryDirectory(prefix="dupscan-engines-") as out:
        cmd = [sys.executable, str(Path(__file__).resolve()), "_child", str(root), out,
               str(workers), engine, str(task_scale)]
        proc = subprocess.run(cmd, capture_output=True, text=True, check=False)
    if proc.returncode != 0:
        raise SystemExit(f"{engine} scan failed:\n{proc.stderr[-2000:]}")
    return json.loads(proc.stdout.strip().splitlines()[-1])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, required=True)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--task-scales", default="8",
                        help="comma-separated units-per-task multiples for Dask (default 8)")
    args = parser.parse_args(argv)
    scales = [int(s) for s in args.task_scales.split(",")]
    runs: dict[str, list[dict]] = {}
    for r in range(args.rounds):
        for name, engine, scale in [("local", "local", 1),
                                    *((f"dask, task_scale={s}", "dask", s) for s in scales)]:
            result = _run(args.corpus, args.workers, engine, scale)
            runs.setdefault(name, []).append(result)
            print(f"round {r + 1} {name}: {result}", flush=True)
    digests = {run["sha256"] for results in runs.values() for run in results}
    local = statistics.median(run["scan_s"] for run in runs["local"])
    print("\n| engine | scan (s) | read (s) | detect (s) | scan / local |")
    print("| --- | --- | --- | --- | --- |")
    for name, results in runs.items():
        cells = [" / ".join(f"{run[key]:.2f}" for run in results)
                 for key in ("scan_s", "read_s", "detect_s")]
        ratio = statistics.median(run["scan_s"] for run in results) / local
        print(f"| {name} | {' | '.join(cells)} | {ratio:.2f}x |")
    print(f"\nfindings.json identical across all {sum(map(len, runs.values()))} scans: "
          f"{len(digests) == 1}")
    return 0 if len(digests) == 1 else 1


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "_child":
        _child(*sys.argv[2:7])
    else:
        sys.exit(main())
