"""``dupscan evaluate``: score findings against a synthetic corpus's truth."""

from __future__ import annotations

import argparse
import json

from dupscan.cli import EXIT_OK


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "evaluate",
        help="score findings against ground truth (precision, recall, F1 per kind)",
        description="Score a findings.json against the truth.jsonl of a generated corpus.",
    )
    parser.add_argument("--truth", required=True, help="truth.jsonl written by `dupscan generate`")
    parser.add_argument("--findings", required=True, help="findings.json written by `dupscan scan`")
    parser.add_argument("--json", action="store_true", help="print the scores as JSON")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from dupscan.evaluate import KINDS, evaluate

    result = evaluate(args.truth, args.findings)
    if args.json:
        print(json.dumps(result.as_dict(), indent=2, sort_keys=True))
        return EXIT_OK

    from rich.console import Console
    from rich.table import Table

    table = Table(title="dupscan evaluate")
    for column in ("kind", "truth", "recovered", "predicted", "precision", "recall", "F1"):
        table.add_column(column, justify="left" if column == "kind" else "right")
    for kind, row in [*((k, result.by_kind[k]) for k in KINDS), ("all", result.overall)]:
        table.add_row(kind, str(row.truth), str(row.recovered), str(row.predicted),
                      f"{row.precision:.3f}", f"{row.recall:.3f}", f"{row.f1:.3f}")
    console = Console()
    console.print(table)
    console.print(f"distinct items wrongly flagged: {result.distinct_flagged}/"
                  f"{result.distinct_total} ({result.distinct_flagged_rate:.1%})")
    console.print(f"estimated / true re-entered words: {result.estimated_words}/"
                  f"{result.true_words} = {result.words_ratio:.3f}")
    return EXIT_OK
