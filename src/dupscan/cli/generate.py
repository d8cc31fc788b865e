"""``dupscan generate``: write a synthetic corpus of case records with ground truth."""

from __future__ import annotations

import argparse
from functools import partial
from typing import Any

__all__ = ["register", "run"]


def register(subparsers: Any) -> None:
    """Add the ``generate`` sub-command."""
    from dupscan.synth import FORMATS

    parser = subparsers.add_parser(
        "generate",
        help="write a synthetic corpus of case records with ground truth",
        description="Write synthetic children's social care case records in many formats, with "
        "manifest.csv, fields.jsonl, truth.jsonl and blank templates. The same seed gives "
        "byte-identical files.",
    )
    parser.add_argument("--cases", type=int, default=25, help="number of cases (default: 25)")
    parser.add_argument("--seed", type=int, default=7, help="random seed (default: 7)")
    parser.add_argument("--out", required=True, help="output folder")
    parser.add_argument("--formats", default="",
                        help=f"comma-separated formats to use (default: all of {','.join(FORMATS)})")
    parser.set_defaults(func=run)


def _table(title: str, counts: dict[str, int]) -> list[str]:
    width = max((len(k) for k in counts), default=0)
    return [title] + [f"  {k:<{width}}  {v:>5}" for k, v in counts.items()]


def run(args: argparse.Namespace) -> int:
    """Generate the corpus and print what was written."""
    from dupscan.batch.progress import ProgressBars
    from dupscan.synth import generate

    formats = [f.strip() for f in args.formats.split(",") if f.strip()] or None
    bars = ProgressBars.for_stderr()  # on a terminal only
    try:
        summary = generate(args.out, cases=args.cases, seed=args.seed, formats=formats,
                           progress=partial(bars.update, "generate") if bars else None)
    finally:
        if bars is not None:
            bars.close()
    lines = [f"wrote {summary.documents} documents for {summary.cases} cases to {summary.out_dir} "
             f"({summary.files} files, {summary.bytes / 1e6:.1f} MB, seed {summary.seed})"]
    lines += _table("form types:", summary.form_types)
    lines += _table("formats:", summary.formats)
    lines += _table("planted items (truth.jsonl):", summary.truth)
    print("\n".join(lines))
    return 0
