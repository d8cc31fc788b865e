"""Time a whole scan on the local engine and on a Dask local cluster, in turns.

    python benchmarks/engines.py --corpus /tmp/dupscan-scale/corpus-10000 \
        --workers 2 --rounds 2 [--task-scales 1,8]

The corpus is a folder made by ``dupscan generate`` (``manifest.csv`` and
``templates`` inside), for example one that ``scale.py`` left in its work
folder. Each round scans it once with ``engine="local"`` and once with
``engine="dask"`` for every ``--task-scales`` value (units per Dask task, as a
multiple of the chunk the pipeline asks for; see ``DaskEngine``), each scan in
a fresh process with no index, writing findings.json (``scale.py``'s scan).
Reading, detection and the whole scan are timed; every findings.json is
compared with the first, byte for byte. Ratios are against the local engine.
"""

from __future__ import annotations

import argparse
import hashlib
import statistics
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from scale import _scan  # noqa: E402


def _run(root: Path, workers: int, engine: str, task_scale: int) -> dict:
    """One scan in a fresh process: its times and the hash of its findings.json."""
    with tempfile.TemporaryDirectory(prefix="dupscan-engines-") as out:
        result = _scan(root, root / "manifest.csv", Path(out), workers, engine=engine,
                       task_scale=task_scale)
        result["sha256"] = hashlib.sha256((Path(out) / "findings.json").read_bytes()).hexdigest()
    return result


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
        for name, engine, scale in [("local", "local", 0),
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
    sys.exit(main())
