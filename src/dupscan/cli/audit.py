"""``dupscan audit``: which questions the blank forms of a form set ask more than once.

Reads the templates (files or folders), writes ``OUT/audit.json`` and/or
``OUT/audit.html`` and prints the headline. With ``--records`` it also scans the
completed records (or reads a ``findings.json``) and attaches the measured
re-entry. Exit 0, or 3 when a template could not be read (listed), 2 on a usage
error.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from dupscan.cli import EXIT_OK, EXIT_SKIPPED, EXIT_USAGE

_FORMATS = ("json", "html")


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "audit", help="find questions a set of blank forms asks more than once",
        description="Audit blank form templates: the questions each form type asks, those "
        "asked again by other form types, a redundancy matrix, the time re-asking costs per "
        "completed set and merge/prefill recommendations.",
        epilog="Exit codes: 0 success, 1 failure, 2 usage error, 3 completed with skipped files.")
    parser.add_argument("templates", nargs="+", type=Path, metavar="TEMPLATES",
                        help="template files or folders")
    parser.add_argument("--records", type=Path, metavar="ROOT",
                        help="completed records to scan (or a findings.json from dupscan scan)")
    parser.add_argument("--out", type=Path, metavar="DIR", help="write audit.json / audit.html here")
    parser.add_argument("--format", default="json,html", metavar="LIST",
                        help="comma-separated: json,html (default json,html)")
    parser.add_argument("--profile", type=Path, metavar="FILE", help="time profile (TOML)")
    parser.add_argument("--quiet", action="store_true", help="print nothing but errors")
    parser.set_defaults(func=run)


def _usage(message: str) -> int:
    print(f"dupscan audit: error: {message}", file=sys.stderr)
    return EXIT_USAGE


def _print(result, console) -> None:  # noqa: ANN001 - rich objects
    from rich.table import Table
    from rich.text import Text

    s = result.seconds_per_set
    console.print(Text(f"Form-set audit: {len(result.forms)} forms, "
                       f"{sum(len(f.questions) for f in result.forms)} questions, "
                       f"{len(result.shared)} asked by more than one form", style="bold"))
    console.print(Text(f"Re-answering costs about {s.central / 60:.1f} minutes per completed "
                       f"set (range {s.low / 60:.1f}–{s.high / 60:.1f})"))
    table = Table(title="Questions asked most often", title_justify="left")
    for col in ("Question", "Kind", "Asked", "Minutes per set"):
        table.add_column(col, justify="right" if col in ("Asked", "Minutes per set") else "left")
    for q in result.shared[:10]:
        table.add_row(Text(q.label), Text(q.kind), Text(str(q.asked)),
                      Text(f"{q.seconds.central / 60:.1f}"))
    console.print(table)
    for text in result.recommendations[:5]:
        console.print(Text(f"• {text}"))
    for item in result.skipped:
        console.print(Text(f"skipped {item.path}: {item.reason}"))


def run(args: argparse.Namespace) -> int:
    from rich.console import Console

    from dupscan._io import atomic_write_text
    from dupscan.audit import audit, audit_to_dict
    from dupscan.report._format import utf8_safe

    formats = [f.strip().lower() for f in args.format.split(",") if f.strip()]
    unknown = [f for f in formats if f not in _FORMATS]
    if unknown or not formats:
        return _usage(f"unknown format(s) {', '.join(unknown) or '(none)'}; "
                      f"choose from {', '.join(_FORMATS)}")
    missing = [str(p) for p in args.templates if not p.exists()]
    if missing:
        return _usage(f"no such template file or folder: {', '.join(missing)}")
    if args.records is not None and not args.records.exists():
        return _usage(f"{args.records}: no such folder or file")
    result = audit(args.templates, records=args.records, profile=args.profile)
    if not args.quiet:
        _print(result, Console())
    if args.out is not None:
        if "json" in formats:
            text = json.dumps(audit_to_dict(result), ensure_ascii=False, indent=2) + "\n"
            path = atomic_write_text(args.out / "audit.json", utf8_safe(text))
            if not args.quiet:
                print(f"wrote {path}")
        if "html" in formats:
            from dupscan.report.audit_html import render_audit_html

            path = atomic_write_text(args.out / "audit.html", utf8_safe(render_audit_html(result)))
            if not args.quiet:
                print(f"wrote {path}")
    return EXIT_SKIPPED if result.skipped else EXIT_OK
