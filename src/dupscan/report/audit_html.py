"""The form-set audit as one self-contained HTML page (same style and script as the report).

>>> from dupscan.audit import audit
>>> render_audit_html(audit([])).startswith("<!DOCTYPE html>")
True
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from markupsafe import Markup

from dupscan.report._format import humanise
from dupscan.report.charts import heatmap
from dupscan.report.html import Cell, Table, asset, csp_for, environment, json_block

if TYPE_CHECKING:  # pragma: no cover
    from dupscan.audit import AuditReport

__all__ = ["render_audit_html"]


def _minutes(seconds: float) -> str:
    return f"{seconds / 60:,.1f}"


def _num(value: float, text: str | None = None) -> Cell:
    return Cell(text if text is not None else f"{value:,}", float(value), "n")


def _tables(result: AuditReport) -> dict[str, Table]:
    shared_keys = {s.key for s in result.shared}
    measured = any(s.measured for s in result.shared)
    headers = [("Question", "text"), ("Canonical field", "text"), ("Kind", "text"),
               ("Asked", "num"), ("Form types (first asked first)", "text"),
               ("Minutes each re-ask", "num"), ("Minutes per set", "num"),
               ("Range per set", "num")]
    if measured:
        headers += [("Measured words", "num"), ("Measured hours", "num")]
    rows = []
    for s in result.shared:
        row = [Cell(s.label), Cell(s.key), Cell(s.kind), _num(s.asked),
               Cell(", ".join(humanise(t) for t in s.form_types)),
               _num(s.seconds_each.central, _minutes(s.seconds_each.central)),
               _num(s.seconds.central, _minutes(s.seconds.central)),
               _num(s.seconds.high, f"{_minutes(s.seconds.low)}–{_minutes(s.seconds.high)}")]
        if measured:
            row += [_num(s.measured.get("words", 0)),
                    _num(s.measured.get("hours_central", 0.0),
                         f"{s.measured.get('hours_central', 0.0):,.1f}")]
        rows.append(row)
    forms = Table("t-forms", [("Form type", "text"), ("Template", "text"),
                              ("Structured fields", "num"), ("Narrative questions", "num"),
                              ("Asked elsewhere too", "num")], [
        [Cell(humanise(f.form_type)), Cell(f.doc),
         _num(sum(q.kind == "structured" for q in f.questions)),
         _num(sum(q.kind == "narrative" for q in f.questions)),
         _num(sum(q.key in shared_keys for q in f.questions))] for f in result.forms])
    asked = Table("t-questions", [("Form type", "text"), ("Question", "text"),
                                  ("Canonical field", "text"), ("Kind", "text"),
                                  ("Asked elsewhere", "text")], [
        [Cell(humanise(f.form_type)), Cell(q.label), Cell(q.key), Cell(q.kind),
         Cell("yes" if q.key in shared_keys else "")]
        for f in result.forms for q in f.questions])
    meas = Table("t-measured", [("From form type", "text"), ("Field", "text"),
                                ("Into form type", "text"), ("Field", "text"),
                                ("Findings", "num"), ("Words", "num"), ("Hours", "num")], [
        [Cell(humanise(r["source_form_type"])), Cell(str(r["source_key"])),
         Cell(humanise(r["target_form_type"])), Cell(str(r["target_key"])),
         _num(r["findings"]), _num(r["words"]),
         _num(r["seconds_central"], f"{r['seconds_central'] / 3600:,.1f}")]
        for r in result.measured])
    skipped = Table("t-skipped", [("File", "text"), ("Reason", "text")],
                    [[Cell(s.path), Cell(s.reason)] for s in result.skipped], filter=False)
    return {"shared": Table("t-shared", headers, rows), "forms": forms, "questions": asked,
            "measured": meas, "skipped": skipped}


def render_audit_html(result: AuditReport, *, title: str = "") -> str:
    """The audit as one self-contained HTML page."""
    from dupscan import __version__

    css, js = asset("report.css"), asset("report.js")
    order = [f.form_type for f in result.forms]
    cells = [r for r in result.matrix if r["form_type_a"] != r["form_type_b"] and r["shared"]]
    structured = sum(s.kind == "structured" for s in result.shared)
    context = {
        "title": title or "Form-set audit: questions asked more than once",
        "css": Markup(css), "js": Markup(js), "csp": Markup(csp_for(css, js)),
        "data_json": json_block({"schema": "dupscan.audit-data/1", "cases": [],
                                 "form_types": order}),
        "version": __version__, "r": result,
        "per_set": _minutes(result.seconds_per_set.central),
        "per_set_range": f"{_minutes(result.seconds_per_set.low)}–"
                         f"{_minutes(result.seconds_per_set.high)}",
        "structured": structured, "narrative": len(result.shared) - structured,
        "questions": sum(len(f.questions) for f in result.forms),
        "heatmap": heatmap([{"source_form_type": r["form_type_a"],
                             "target_form_type": r["form_type_b"],
                             "reentered_words": r["shared"]} for r in cells],
                           order, unit="shared questions"),
        "tables": _tables(result),
        "measured": bool(result.measured),
    }
    return environment().get_template("audit.html.j2").render(**context)
