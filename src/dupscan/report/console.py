"""The report on a terminal: headline figures, top pairs, prefill and skipped files.

>>> from dupscan.estimate import estimate
>>> "Reclaimable" in render_text(estimate([], []))
True
"""

from __future__ import annotations

import io

from rich.console import Console
from rich.table import Table
from rich.text import Text

from dupscan.model import Report
from dupscan.report._format import band_text, hours, humanise, pct, totals, utf8_safe

__all__ = ["print_report", "render_text"]

_TOP = 8


def _add(table: Table, *cells: object) -> None:
    """Add a row whose cells are plain text: record text is never read as markup."""
    table.add_row(*(Text(utf8_safe(str(c))) for c in cells))


def _headline(report: Report) -> Table:
    t = totals(report.aggregates)
    s = report.summary
    table = Table(title="dupscan: re-entered text and the time it costs", show_header=False,
                  title_justify="left")
    table.add_column(style="bold")
    table.add_column()
    _add(table, "Forms scanned", f"{s.forms:,} forms, {s.cases:,} cases, {s.words:,} words")
    _add(table, "Re-entered", f"{s.reentered_words:,} words "
                  f"({pct(t.get('share_of_words'))} of all words)")
    _add(table, "Reclaimable (hours)",
                  f"{hours(s.seconds.central / 3600)} "
                  f"(range {hours(s.seconds.low / 3600)}–{hours(s.seconds.high / 3600)})")
    _add(table, "Share of recording time",
                  f"{pct(t.get('share_of_recording_central'))} (range "
                  f"{pct(t.get('share_of_recording_low'))}–{pct(t.get('share_of_recording_high'))})")
    if t.get("annual_hours_central") is not None:
        _add(table, "Reclaimable a year (hours)", band_text(t, "annual_hours"))
        if t.get("hours_per_worker_week_central") is not None:
            _add(table, f"Per worker a week ({t.get('staff')} staff)",
                          band_text(t, "hours_per_worker_week"))
    else:
        _add(table, "Reclaimable a year", "not annualised: period unknown "
                      "(give --period DAYS or dated forms)")
    _add(table, "Time profile", str(t.get("profile", "default")))
    return table


def _pairs(report: Report) -> Table:
    table = Table(title="Top form-type pairs (source → target)", title_justify="left")
    for col in ("Source form", "Target form", "Words", "Hours", "Share of target"):
        table.add_column(col, justify="right" if col in ("Words", "Hours", "Share of target")
                         else "left")
    for row in report.aggregates.get("form_type_pair", ())[:_TOP]:
        _add(table, humanise(row["source_form_type"]), humanise(row["target_form_type"]),
                      f"{row['reentered_words']:,}", band_text(row, "hours"),
                      pct(row.get("share_of_target_words")))
    return table


def _fields(report: Report) -> Table:
    table = Table(title="Top field pairs", title_justify="left")
    for col in ("From (form: field)", "Into (form: field)", "Words", "Hours"):
        table.add_column(col, justify="right" if col in ("Words", "Hours") else "left")
    for row in report.aggregates.get("field_pair", ())[:_TOP]:
        _add(table, f"{humanise(row['source_form_type'])}: {row['source_field']}",
                      f"{humanise(row['target_form_type'])}: {row['target_field']}",
                      f"{row['reentered_words']:,}", band_text(row, "hours"))
    return table


def _prefill(report: Report) -> Table:
    table = Table(title="Prefill candidates (structured fields typed again)",
                  title_justify="left")
    for col in ("Field", "From", "Into", "Re-typed", "Hours"):
        table.add_column(col, justify="right" if col in ("Re-typed", "Hours") else "left")
    rows = sorted(report.prefill, key=lambda p: (-p.seconds.central, p.canonical))
    for p in rows[:_TOP]:
        _add(table, p.label or p.canonical, humanise(p.source_form_type),
                      humanise(p.target_form_type), f"{p.occurrences:,}",
                      hours(p.seconds.central / 3600))
    return table


def print_report(report: Report, console: Console | None = None) -> None:
    """Print the report's headline and top tables to ``console`` (stdout by default)."""
    console = console or Console()
    console.print(_headline(report))
    if report.aggregates.get("form_type_pair"):
        console.print(_pairs(report))
    if report.aggregates.get("field_pair"):
        console.print(_fields(report))
    if report.prefill:
        console.print(_prefill(report))
    if report.skipped:
        console.print(f"[bold]Skipped {len(report.skipped)} file(s):[/bold]")
        for item in report.skipped:
            console.print(utf8_safe(f"  {item.path!r}: {item.reason}"), markup=False,
                          highlight=False)
    else:
        console.print("No files skipped.")


def render_text(report: Report, *, width: int = 100) -> str:
    """The console report as plain text (no colour codes)."""
    buffer = io.StringIO()
    console = Console(file=buffer, width=width, color_system=None, record=False,
                      force_terminal=False, highlight=False)
    print_report(report, console)
    return buffer.getvalue()
