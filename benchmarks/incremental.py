"""Incremental-scan benchmark: what adding a few forms to an indexed corpus costs.

Given a corpus and a holdout manifest (the corpus's manifest without some forms),
three scans run, each in its own child process with ``--workers`` workers and, as
``dupscan scan`` does, the report's forms and findings spooled in the output folder:

1. **initial**: the holdout manifest, into a new ``--index``;
2. **incremental**: the full manifest, against the same index;
3. **full**: the full manifest, without an index.

For each it prints the wall time and a phase breakdown (the ``progress`` stages
``files`` and ``cases`` plus timers around the pipeline's corpus-wide steps and
the report writers), then the ratio incremental / full and whether the
incremental scan's ``findings.json`` is byte-identical to the full rescan's.
The 1-minute load average is printed before and after each scan.

Usage::

    python benchmarks/incremental.py --corpus /tmp/dupscan-scale/corpus-10000 \\
        --work /tmp/incr-bench --every 8 [--source SRC] [--profile]

``--holdout`` gives a holdout manifest; otherwise one is written holding out the
last form of every ``--every``-th case, or of ``--cases`` cases spread evenly.
``--source`` runs the scans on another ``src`` folder (e.g. a ``git archive`` of an
earlier commit). ``--profile`` writes a cProfile of the incremental scan's parent
process to ``WORK/incr.prof``.

``--against SRC`` compares two codes on one machine whose speed drifts: the code of
``--source`` (A) and of ``SRC`` (B) each build their own holdout index, then
``--repeat`` increments of each run in turns (A B, then B A, ...), each from a copy of
its own index, and the medians of both sides are printed with B / A::

    python benchmarks/incremental.py --corpus /tmp/dupscan-scale/corpus-100000 \
        --work /tmp/incr-ab --cases 1000 --source /tmp/a/src --against src --repeat 6
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve()


def holdout(corpus: Path, out: Path, every: int = 0, *, cases: int = 0) -> Path:
    """Write a manifest without the last form of every ``every``-th case (sorted by case)
    or, given ``cases``, of that many cases spread evenly over them (the first, then one
    every ``len / cases`` cases): ``cases=1000`` holds out exactly 1,000 forms."""
    if every < 1 and cases < 1:
        raise ValueError("holdout: give every (>= 1) or cases (>= 1)")
    rows = (corpus / "manifest.csv").read_text().splitlines()
    last: dict[str, str] = {}
    for row in rows[1:]:
        last[row.split(",")[1]] = row
    ordered = [row for _, row in sorted(last.items())]
    picked = ({k * len(ordered) // cases for k in range(min(cases, len(ordered)))} if cases
              else set(range(0, len(ordered), every)))
    drop = {ordered[i] for i in picked}
    out.write_text("\n".join([rows[0]] + [r for r in rows[1:] if r not in drop]) + "\n")
    return out


def stage_marks():  # noqa: ANN201
    """``(marks, progress)``: a scan ``progress`` callback recording, in ``marks``,
    seconds from now to the first and the last report of each stage."""
    marks: dict[str, float] = {}
    t0 = time.perf_counter()

    def progress(stage: str, done: int, total: int) -> None:
        now = time.perf_counter() - t0
        marks.setdefault(f"{stage}_start", now)
        if done == total:
            marks[f"{stage}_end"] = now

    return marks, progress


def _timed(marks: dict[str, float], name: str, fn):  # noqa: ANN001, ANN202
    def wrapper(*args, **kwargs):  # noqa: ANN002, ANN003, ANN202
        start = time.perf_counter()
        try:
            return fn(*args, **kwargs)
        finally:
            marks[name] = marks.get(name, 0.0) + time.perf_counter() - start
    return wrapper


def child(root: str, manifest: str, out: str, workers: str, index: str, formats: str,
          profile: str) -> None:
    """One scan in this process; print a JSON line of times."""
    from dupscan import pipeline
    from dupscan._spool import SpoolFolder
    from dupscan.batch import stock
    from dupscan.report import write_reports

    t0 = time.perf_counter()
    marks, progress = stage_marks()
    stream = pipeline.ScanStream
    for name in ("_read", "_group", "_result"):
        if hasattr(stream, name):
            setattr(stream, name, _timed(marks, name.strip("_"), getattr(stream, name)))
    stock.StockPass.run = _timed(marks, "stock", stock.StockPass.run)
    if hasattr(pipeline, "place"):  # the run tables kept across runs
        pipeline.place = _timed(marks, "place", pipeline.place)
        stream._report_forms = _timed(marks, "report_forms", stream._report_forms)
    if hasattr(pipeline, "_prefill"):
        pipeline._prefill = _timed(marks, "prefill", pipeline._prefill)
    if hasattr(pipeline, "discover"):
        pipeline.discover = _timed(marks, "discover", pipeline.discover)
    profiler = None
    if profile:
        import cProfile

        profiler = cProfile.Profile()
        profiler.enable()
    started = time.perf_counter()
    Path(out).mkdir(parents=True, exist_ok=True)
    writes: dict[str, float] = {}
    # as `dupscan scan` does: forms and findings wait on disk until written
    with SpoolFolder(out) as spool:
        report = pipeline.scan(root, manifest, templates=Path(root) / "templates",
                               workers=int(workers), index=index or None, progress=progress,
                               spool=spool)
        scanned = time.perf_counter()
        for fmt in formats.split(","):
            t = time.perf_counter()
            write_reports(report, out, [fmt])
            writes[f"write_{fmt}"] = round(time.perf_counter() - t, 2)
        counts = {"forms": report.summary.forms, "cases": report.summary.cases,
                  "findings": len(report.findings), "skipped": len(report.skipped)}
    if profiler is not None:
        profiler.disable()
        profiler.dump_stats(profile)
    phases = {k: round(v, 2) for k, v in marks.items() if not k.endswith(("_start", "_end"))}
    phases["first_case"] = round(marks.get("cases_start", 0), 2)
    phases["read_files"] = round(marks.get("files_end", 0) - marks.get("files_start", 0), 2)
    phases["detect_cases"] = round(marks.get("cases_end", 0) - marks.get("cases_start", 0), 2)
    phases["estimate_and_tail"] = round(scanned - t0 - marks.get("cases_end", 0), 2)
    import resource

    usage = resource.getrusage(resource.RUSAGE_SELF)
    print(json.dumps({**counts, "scan_s": round(scanned - started, 2), **phases, **writes,
                      "parent_cpu_s": round(usage.ru_utime + usage.ru_stime, 2)}))


def _load() -> float:
    return round(os.getloadavg()[0], 2)


def _run(label: str, args: argparse.Namespace, manifest: Path, out: Path,
         index: Path | None, profile: Path | None = None, src: Path | None = None) -> dict:
    cmd = [sys.executable, str(HERE), "_child", str(args.corpus), str(manifest), str(out),
           str(args.workers), str(index or ""), args.formats, str(profile or "")]
    env = {**os.environ, "PYTHONPATH": str(src.resolve())} if src is not None else None
    before = _load()
    start = time.perf_counter()
    proc = subprocess.run(cmd, stdout=subprocess.PIPE, text=True, check=True, env=env)
    wall = time.perf_counter() - start
    result = json.loads(proc.stdout.strip().splitlines()[-1])
    result.update(wall_s=round(wall, 2), load_before=before, load_after=_load())
    print(f"{label:12s} {json.dumps(result)}", flush=True)
    return result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, required=True)
    parser.add_argument("--work", type=Path, required=True)
    parser.add_argument("--holdout", type=Path)
    parser.add_argument("--every", type=int, default=8)
    parser.add_argument("--cases", type=int, default=0,
                        help="hold out the last form of this many cases instead (spread evenly)")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--formats", default="json,csv,html")
    parser.add_argument("--source", type=Path, help="a src folder to run instead of this one")
    parser.add_argument("--profile", action="store_true")
    parser.add_argument("--skip-full", action="store_true", help="no full rescan")
    parser.add_argument("--repeat", type=int, default=1,
                        help="run the incremental scan this many times, each from a copy "
                        "of the index the initial scan left")
    parser.add_argument("--against", type=Path,
                        help="a second src folder: increments of both codes in turns")
    args = parser.parse_args(argv)
    args.work.mkdir(parents=True, exist_ok=True)
    src = args.source or HERE.parent.parent / "src"
    os.environ["PYTHONPATH"] = str(src.resolve())
    manifest = args.holdout or holdout(args.corpus, args.work / "holdout.csv", args.every,
                                        cases=args.cases)
    if args.against is not None:
        return _compare(args, manifest, {"A": src, "B": args.against})
    index = args.work / "index.sqlite"
    for stale in (index, Path(f"{index}-wal"), Path(f"{index}-shm")):
        stale.unlink(missing_ok=True)
    for name in ("out-initial", "out-incr", "out-full"):
        shutil.rmtree(args.work / name, ignore_errors=True)
    print(f"source {src}; corpus {args.corpus}; holdout {manifest}; workers {args.workers}",
          flush=True)
    full_manifest = args.corpus / "manifest.csv"
    initial = _run("initial", args, manifest, args.work / "out-initial", index)
    kept = args.work / "index-initial.sqlite"
    shutil.copyfile(index, kept)  # closed cleanly: the WAL is checkpointed into the file
    for n in range(args.repeat):
        if n:
            shutil.copyfile(kept, index)
        incr = _run("incremental", args, full_manifest, args.work / "out-incr", index,
                    args.work / "incr.prof" if args.profile else None)
    summary = {"initial_s": initial["wall_s"], "incremental_s": incr["wall_s"],
               "added_forms": incr["forms"] - initial["forms"]}
    if not args.skip_full:
        full = _run("full", args, full_manifest, args.work / "out-full", None)
        same = ((args.work / "out-incr" / "findings.json").read_bytes()
                == (args.work / "out-full" / "findings.json").read_bytes())
        differ = sorted(p.name for p in (args.work / "out-full").iterdir()
                        if (args.work / "out-incr" / p.name).read_bytes() != p.read_bytes())
        summary.update(full_s=full["wall_s"], ratio=round(incr["wall_s"] / full["wall_s"], 4),
                       identical=same, other_outputs_differing=differ)
    print("summary " + json.dumps(summary), flush=True)
    return 0


#: what the comparison summarises of each increment (seconds, medians over the rounds)
_COMPARED = ("wall_s", "first_case", "read_files", "detect_cases", "parent_cpu_s")


def _compare(args: argparse.Namespace, manifest: Path, sources: dict[str, Path]) -> int:
    """Increments of two codes in turns, each from a copy of the holdout index its own
    code built (an index built by other code is emptied when opened)."""
    from statistics import median

    kept: dict[str, Path] = {}
    for side, src in sources.items():
        index = args.work / f"index-{side}.sqlite"
        for stale in (index, Path(f"{index}-wal"), Path(f"{index}-shm")):
            stale.unlink(missing_ok=True)
        print(f"{side}: {src}", flush=True)
        _run(f"initial {side}", args, manifest, args.work / f"out-initial-{side}", index,
             src=src)
        kept[side] = args.work / f"index-{side}-initial.sqlite"
        shutil.copyfile(index, kept[side])
    runs: dict[str, list[dict]] = {side: [] for side in sources}
    for n in range(args.repeat):
        for side in (sorted(sources) if n % 2 == 0 else sorted(sources, reverse=True)):
            index = args.work / f"index-{side}.sqlite"
            shutil.copyfile(kept[side], index)
            runs[side].append(_run(f"incr {side}", args, args.corpus / "manifest.csv",
                                   args.work / f"out-incr-{side}", index, src=sources[side]))
    same = ((args.work / "out-incr-A" / "findings.json").read_bytes()
            == (args.work / "out-incr-B" / "findings.json").read_bytes())
    medians = {side: {key: round(median(r.get(key, 0.0) for r in done), 2)
                      for key in _COMPARED} for side, done in runs.items()}
    ratios = {key: round(medians["B"][key] / medians["A"][key], 3) if medians["A"][key] else None
              for key in _COMPARED}
    print("summary " + json.dumps({"rounds": args.repeat, "medians": medians,
                                   "B_over_A": ratios, "findings_identical": same}), flush=True)
    return 0


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "_child":
        child(*sys.argv[2:9])
    else:
        sys.exit(main())
