"""CSV tables: ``findings.csv`` (one row per finding) and one file per aggregate.

Text cells that a spreadsheet would run as a formula (starting with ``=``,
``+``, ``-``, ``@``, tab or carriage return) are prefixed with ``'``, so that
record text opened in Excel stays text.

>>> from dupscan.estimate import estimate
>>> findings_csv(estimate([], [])).splitlines()[0].split(",")[:4]
['case_id', 'kind', 'similarity', 'words']
"""

from __future__ import annotations

import csv as _csv
import io
from collections.abc import Iterable, Iterator, Mapping, Sequence
from typing import Any

from dupscan.model import Report
from dupscan.report._cases import case_groups

__all__ = ["FINDING_COLUMNS", "csv_table_chunks", "csv_tables", "findings_csv", "table_csv"]

FINDING_COLUMNS: tuple[str, ...] = (
    "case_id", "kind", "similarity", "words", "seconds_low", "seconds_central", "seconds_high",
    "source_form_id", "source_doc", "source_form_type", "source_field", "source_start",
    "source_end", "source_text",
    "target_form_id", "target_doc", "target_form_type", "target_field", "target_start",
    "target_end", "target_text",
)
PREFILL_COLUMNS = ("canonical", "label", "source_form_type", "target_form_type", "occurrences",
                   "words", "seconds_low", "seconds_central", "seconds_high")
STOCK_COLUMNS = ("reason", "occurrences", "cases", "words", "text")
_FORMULA = ("=", "+", "-", "@", "\t", "\r")


def _cell(value: Any) -> Any:
    if type(value) is int:
        return value
    if value is None:
        return ""
    if isinstance(value, float):
        return f"{round(value, 4):g}" if abs(value) < 1e15 else repr(value)
    if isinstance(value, str) and value.startswith(_FORMULA):
        return "'" + value
    return value


def table_csv(columns: Sequence[str], rows: Iterable[Mapping[str, Any]]) -> str:
    """Rows as CSV text with a header; missing keys give empty cells."""
    return "".join(_table_chunks(columns, rows))


def _table_chunks(columns: Sequence[str], rows: Iterable[Mapping[str, Any]]) -> Iterator[str]:
    return _csv_chunks(columns, ([_cell(row.get(c)) for c in columns] for row in rows))


def _csv_chunks(columns: Sequence[str], cells: Iterable[Sequence[Any]],
                rows_per_chunk: int = 2000) -> Iterator[str]:
    """CSV text in pieces: the header, then rows of cells already made by :func:`_cell`,
    ``rows_per_chunk`` a piece (a table of 100k findings is never held whole)."""
    buffer = io.StringIO()
    writer = _csv.writer(buffer, lineterminator="\n")
    writer.writerow(columns)
    for n, row in enumerate(cells, 1):
        writer.writerow(row)
        if n % rows_per_chunk == 0:
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue()


def _finding_rows(report: Report) -> Iterable[list[Any]]:
    """One list of cells per finding, in :data:`FINDING_COLUMNS` order."""
    for _, forms, findings in case_groups(report):
        types = {f.form_id: f.form_type for f in forms}
        for f in findings:
            s, t, sec = f.source, f.target, f.seconds
            yield [_cell(v) for v in (
                f.case_id, f.kind, f.similarity, f.words, sec.low, sec.central, sec.high,
                s.form_id, s.doc, types.get(s.form_id, ""), s.field, s.start, s.end, s.text,
                t.form_id, t.doc, types.get(t.form_id, ""), t.field, t.start, t.end, t.text)]


def findings_csv(report: Report) -> str:
    """``findings.csv``: one row per finding, columns :data:`FINDING_COLUMNS`."""
    return "".join(_csv_chunks(FINDING_COLUMNS, _finding_rows(report)))


def csv_tables(report: Report) -> dict[str, str]:
    """Every CSV file of a report, ``{filename: text}``.

    ``findings.csv``, ``prefill.csv``, ``stock_text.csv``, ``skipped.csv`` and
    ``aggregates_<name>.csv`` for each aggregate table (``case``, ``form_type``,
    ``form_type_pair``, ``field_pair``, ``author``, ``kind``, ``totals``).
    """
    return {name: "".join(chunks) for name, chunks in csv_table_chunks(report).items()}


def csv_table_chunks(report: Report) -> dict[str, Iterator[str]]:
    """:func:`csv_tables` with each file's text as pieces, made as they are read."""
    out = {"findings.csv": _csv_chunks(FINDING_COLUMNS, _finding_rows(report))}
    out["prefill.csv"] = _table_chunks(PREFILL_COLUMNS, (
        {"canonical": p.canonical, "label": p.label, "source_form_type": p.source_form_type,
         "target_form_type": p.target_form_type, "occurrences": p.occurrences,
         "words": p.words, "seconds_low": p.seconds.low, "seconds_central": p.seconds.central,
         "seconds_high": p.seconds.high} for p in report.prefill))
    out["stock_text.csv"] = _table_chunks(STOCK_COLUMNS, (
        {"reason": s.reason, "occurrences": s.occurrences, "cases": s.cases, "words": s.words,
         "text": s.text} for s in report.stock_text))
    out["skipped.csv"] = _table_chunks(("path", "reason"),
                                       ({"path": s.path, "reason": s.reason}
                                        for s in report.skipped))
    for name in sorted(report.aggregates):
        rows = report.aggregates[name]
        columns: list[str] = []
        for row in rows:
            columns.extend(k for k in row if k not in columns)
        if columns:
            out[f"aggregates_{name}.csv"] = _table_chunks(columns, rows)
    return out
