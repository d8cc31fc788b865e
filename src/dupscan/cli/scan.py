"""``dupscan scan``: scan a folder of case records and write the reports.

Writes ``OUT/findings.json`` plus the requested formats (``csv``, ``html``,
``console`` through :func:`dupscan.report.write_reports`; ``jsonl`` and
``parquet`` streamed case by case as the scan runs), prints the headline and
the report path. Exit 0, or 3 when files were skipped (each is listed), 1 on
failure, 2 on a usage error.
"""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path
from typing import Any

from dupscan.cli import EXIT_OK, EXIT_SKIPPED, EXIT_USAGE

_REPORT_FORMATS = ("json", "csv", "html", "console")
_STREAM_FORMATS = ("jsonl", "parquet")


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "scan", help="find re-entered text in a folder of case records",
        description="Scan ROOT (a folder of case records), find text re-entered across the "
        "forms of each case, estimate the recording time it costs and write reports to OUT.",
        epilog="Exit codes: 0 success, 1 failure, 2 usage error, 3 completed with skipped files.")
    parser.add_argument("root", type=Path, metavar="ROOT", help="folder to scan")
    parser.add_argument("--manifest", type=Path, metavar="M",
                        help="manifest.csv (path,case_id,form_type,date[,author]); "
                        "when given, exactly the documents it lists are scanned")
    parser.add_argument("--templates", type=Path, metavar="DIR",
                        help="folder of blank templates (their text is stock, not re-entry)")
    parser.add_argument("--out", type=Path, required=True, metavar="DIR", help="output folder")
    parser.add_argument("--format", default="json,html", metavar="LIST",
                        help="comma-separated: json,csv,html,console,jsonl,parquet "
                        "(findings.json is always written; default json,html)")
    parser.add_argument("--workers", type=int, default=0, metavar="N",
                        help="worker processes (0 = all cores, 1 = in this process)")
    parser.add_argument("--engine", choices=("local", "dask"), default="local",
                        help="run the per-case work locally or on a Dask cluster")
    parser.add_argument("--scheduler", metavar="ADDR",
                        help="Dask scheduler address (default: a local cluster)")
    parser.add_argument("--restart-hung-workers", action="store_true",
                        help="with --scheduler: restart a worker whose case times out "
                        "(for a cluster that runs this scan alone)")
    parser.add_argument("--index", type=Path, metavar="DB",
                        help="SQLite index: incremental and resumable scans")
    parser.add_argument("--case-timeout", type=float, default=900.0, metavar="SECONDS",
                        help="seconds one case may take on a worker before it is skipped")
    parser.add_argument("--redact", action="store_true",
                        help="mask names, dates, addresses, numbers and ids in excerpts")
    parser.add_argument("--profile", type=Path, metavar="FILE", help="time profile (TOML)")
    parser.add_argument("--period", type=float, metavar="DAYS",
                        help="days the records cover (for the annual extrapolation)")
    parser.add_argument("--staff", type=int, metavar="N", help="workers writing these records")
    parser.add_argument("--min-words", type=int, default=None, metavar="N",
                        help="shortest passage counted as re-entry")
    parser.add_argument("--stock-min-share", type=float, default=None, metavar="SHARE",
                        help="share of the cases (0-1) a sentence must recur in to be stock "
                             "text, with at least 5 cases (default 0.05; 0 = 5 cases always)")
    parser.add_argument("--kinds", default=None, metavar="LIST",
                        help="comma-separated kinds to report: exact,near,paraphrase")
    parser.add_argument("--quiet", action="store_true", help="no progress bars or summary")
    parser.set_defaults(func=run)


#: characters that would break a one-line message (a file name may hold a newline)
_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029]")


def _one_line(text: str) -> str:
    """``text`` with control characters shown as escapes (``\\n``), so it stays one line."""
    return _CONTROL.sub(lambda m: repr(m.group())[1:-1], text)


def _usage(message: str) -> int:
    print(f"dupscan scan: error: {message}", file=sys.stderr)
    return EXIT_USAGE


def run(args: argparse.Namespace) -> int:
    from rich.console import Console

    from dupscan._spool import SpoolFolder
    from dupscan.batch.progress import ProgressBars, RunCounts
    from dupscan.batch.sink import FindingSink
    from dupscan.pipeline import scan
    from dupscan.report import print_console, write_reports

    formats = [f.strip().lower() for f in args.format.split(",") if f.strip()]
    unknown = [f for f in formats if f not in _REPORT_FORMATS + _STREAM_FORMATS]
    if unknown:
        return _usage(f"unknown format(s) {', '.join(unknown)}; choose from "
                      f"{', '.join(_REPORT_FORMATS + _STREAM_FORMATS)}")
    if not args.root.is_dir():
        return _usage(f"{args.root}: not a folder")
    if args.manifest is not None and not args.manifest.is_file():
        return _usage(f"{args.manifest}: manifest not found")
    if args.templates is not None and not args.templates.is_dir():
        return _usage(f"{args.templates}: templates folder not found")
    if args.workers < 0:
        return _usage(f"--workers must be 0 (all cores) or more, got {args.workers}")
    if args.scheduler and args.engine != "dask":
        return _usage("--scheduler needs --engine dask")
    if args.restart_hung_workers and not args.scheduler:
        return _usage("--restart-hung-workers needs --scheduler (the scan restarts its own "
                      "workers anyway)")
    if args.out.exists() and not args.out.is_dir():
        return _usage(f"{args.out}: --out must be a folder")
    options: dict[str, Any] = {"workers": args.workers, "redact": args.redact,
                                  "templates": args.templates, "profile": args.profile,
                                  "period_days": args.period, "staff": args.staff}
    if args.min_words is not None:
        options["min_words"] = args.min_words
    if args.stock_min_share is not None:
        if not 0.0 <= args.stock_min_share <= 1.0:
            return _usage(f"--stock-min-share must be between 0 and 1, got {args.stock_min_share}")
        options["stock_min_share"] = args.stock_min_share
    if args.kinds is not None:
        options["kinds"] = tuple(k.strip() for k in args.kinds.split(",") if k.strip())
    report_formats = ["json"] + [f for f in formats if f in _REPORT_FORMATS and f != "json"]
    stream_formats = [f for f in formats if f in _STREAM_FORMATS]
    try:  # before the scan, not after it: a long scan must not fail for want of a folder
        args.out.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        return _usage(f"{args.out}: cannot create the output folder ({exc.strerror or exc})")

    sink = FindingSink(args.out, stream_formats, redact=args.redact) if stream_formats else None
    committed = False
    # one set of bars for the scan and the writing (a 100k-form report takes seconds)
    bars = None if args.quiet else ProgressBars.for_stderr()
    counts = RunCounts(bars.update if bars is not None else None)  # and what was done again
    # the report's forms and findings wait on disk next to the reports made from them
    # (a year of records makes millions of findings); removed once they are written,
    # and by the next scan into this folder when this one is killed
    with SpoolFolder(args.out) as spool:
        try:
            report = scan(args.root, args.manifest, engine=args.engine,
                          scheduler=args.scheduler,
                          restart_hung_workers=args.restart_hung_workers, index=args.index,
                          case_timeout=args.case_timeout or None, progress=counts,
                          sink=sink, spool=spool, **options)
            paths = write_reports(report, args.out, report_formats, redact=args.redact,
                                  progress=counts)
            if sink is not None:
                paths.update(sink.close())
            committed = True
        finally:
            if bars is not None:
                bars.close()
            if sink is not None and not committed:
                sink.close(commit=False)
        console = Console(file=sys.stdout)
        if not args.quiet:
            print_console(report, console, redact=args.redact)
    main = paths.get("html") or paths["json"]
    line = counts.index_line() if args.index is not None and not args.quiet else None
    if line is not None:  # what a monthly run with the index did again
        console.print(f"Index {args.index}: {line}.", soft_wrap=True, highlight=False,
                      markup=False)
    console.print(f"Report: {Path(main).resolve()}", soft_wrap=True, highlight=False)
    if report.skipped:
        print(f"dupscan scan: {len(report.skipped)} file(s) skipped:", file=sys.stderr)
        for item in report.skipped:
            print(f"  {_one_line(item.path)}: {_one_line(item.reason)}", file=sys.stderr)
        return EXIT_SKIPPED
    return EXIT_OK
