"""The HTML report: one self-contained, offline page a manager can read.

The page is rendered by Jinja2 with autoescaping on, so every record text is
escaped; charts are inline SVG (:mod:`dupscan.report.charts`); the style sheet
and the small sorting/filtering script are inlined from ``templates/`` and
allowed by a Content-Security-Policy that names their SHA-256 hashes and
nothing else (no network, no other script). Data for the script travels in a
``<script type="application/json">`` block whose ``<``, ``>`` and ``&`` are
written as ``\\u003c`` ... so record text cannot close the block.

>>> from dupscan.estimate import estimate
>>> page = render_html(estimate([], []))
>>> page.startswith("<!DOCTYPE html>") and "https:" not in page and "http:" not in page
True
"""

from __future__ import annotations

import base64
import hashlib
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from typing import Any

from jinja2 import Environment, FunctionLoader, StrictUndefined
from markupsafe import Markup

from dupscan.model import Form, Report
from dupscan.report._cases import case_groups
from dupscan.report._format import duration, hours, humanise, pct, totals
from dupscan.report.charts import bar_chart, heatmap
from dupscan.report.diff import word_diff
from dupscan.report.recommend import recommendations

__all__ = ["Cell", "Table", "asset", "csp_for", "environment", "json_block", "render_html"]

MAX_FINDINGS_PER_CASE = 60
MAX_FINDINGS_SHOWN = 2000
MAX_EXCERPT_CHARS = 4000
MAX_TABLE_ROWS = 1000


@lru_cache(maxsize=None)
def asset(name: str) -> str:
    """The text of a file in ``dupscan/report/templates``."""
    return resources.files("dupscan.report").joinpath("templates", name).read_text("utf-8")


def _sha(text: str) -> str:
    return base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode("ascii")


def csp_for(css: str, js: str) -> str:
    """A policy allowing exactly this inline style sheet and script, nothing else."""
    return (f"default-src 'none'; style-src 'sha256-{_sha(css)}'; "
            f"script-src 'sha256-{_sha(js)}'; img-src data:; base-uri 'none'; "
            "form-action 'none'")


def json_block(data: Any) -> Markup:
    """JSON safe to place inside ``<script type="application/json">``."""
    text = json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    text = text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    text = text.replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")
    return Markup(text)


@lru_cache(maxsize=None)
def environment() -> Environment:
    """The Jinja2 environment (autoescape always on, undefined names are errors)."""
    env = Environment(loader=FunctionLoader(asset), autoescape=True,
                      undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True,
                      keep_trailing_newline=True)
    env.filters["hours"] = hours
    env.filters["duration"] = duration
    env.filters["pct"] = pct
    env.filters["humanise"] = humanise
    return env


@dataclass(frozen=True, slots=True)
class Cell:
    """One table cell: shown text, optional sort value, class and in-page link."""

    text: str
    v: float | None = None
    cls: str = ""
    href: str = ""
    case: str = ""


@dataclass(frozen=True, slots=True)
class Table:
    """A sortable, filterable table for the template."""

    id: str
    headers: Sequence[tuple[str, str]]  # (label, "num" | "text")
    rows: Sequence[Sequence[Cell]] = field(default_factory=list)
    filter: bool = True
    total: int = 0  # rows before the page's cap (0: all shown)
    csv: str = ""  # the CSV file that holds every row


def _num(value: Any, text: str | None = None) -> Cell:
    number = float(value) if value is not None else 0.0
    if text is None:
        text = f"{value:,}" if isinstance(value, int) else hours(value)
    return Cell(text, number, "n")


def _hours_cells(row: Mapping[str, Any], annual: bool) -> list[Cell]:
    prefix = "annual_hours" if annual else "hours"
    return [_num(row.get(f"{prefix}_central"), hours(row.get(f"{prefix}_central"))),
            Cell(f"{hours(row.get(f'{prefix}_low'))}–{hours(row.get(f'{prefix}_high'))}",
                 row.get(f"{prefix}_high"), "n")]


def _tables(report: Report, annual: bool, anchors: Mapping[str, str]) -> dict[str, Table]:
    unit = "Hours a year" if annual else "Hours"
    agg = report.aggregates
    pair = Table("t-pairs", [("From form type", "text"), ("Into form type", "text"),
                             ("Re-entered words", "num"), ("Share of target's words", "num"),
                             ("Cases", "num"), (unit, "num"), ("Range", "num")], [
        [Cell(humanise(r["source_form_type"])), Cell(humanise(r["target_form_type"])),
         _num(r["reentered_words"]),
         _num(r.get("share_of_target_words"), pct(r.get("share_of_target_words"))),
         _num(r["cases"]), *_hours_cells(r, annual)]
        for r in agg.get("form_type_pair", ())])
    fields = Table("t-fields", [("From form", "text"), ("From field", "text"),
                                ("Into form", "text"), ("Into field", "text"), ("Words", "num"), ("Exact", "num"),
                                ("Near", "num"), ("Paraphrase", "num"), (unit, "num"),
                                ("Range", "num")], [
        [Cell(humanise(r["source_form_type"])), Cell(str(r["source_field"])),
         Cell(humanise(r["target_form_type"])), Cell(str(r["target_field"])),
         _num(r["reentered_words"]), _num(r["exact_words"]), _num(r["near_words"]),
         _num(r["paraphrase_words"]), *_hours_cells(r, annual)]
        for r in agg.get("field_pair", ())])
    cases = Table("t-cases", [("Case", "text"), ("Forms", "num"), ("Words", "num"),
                              ("Re-entered words", "num"), ("Share", "num"),
                              ("Hours", "num"), ("Range", "num")], [
        [Cell(str(r["case_id"]), href="#" + anchors.get(str(r["case_id"]), ""),
              case=anchors.get(str(r["case_id"]), "")),
         _num(r["forms"]), _num(r["words"]), _num(r["reentered_words"]),
         _num(r["share_of_words"], pct(r["share_of_words"])), *_hours_cells(r, False)]
        for r in agg.get("case", ())])
    factor = totals(agg).get("annual_factor") if annual else None
    prefill = Table("t-prefill", [("Field", "text"), ("First typed in", "text"),
                                  ("Typed again in", "text"), ("Times", "num"),
                                  ("Words", "num"), (unit, "num")], [
        [Cell(p.label or p.canonical), Cell(humanise(p.source_form_type)),
         Cell(humanise(p.target_form_type)), _num(p.occurrences), _num(p.words),
         _num(p.seconds.central / 3600 * (factor or 1.0))]
        for p in sorted(report.prefill, key=lambda p: (-p.seconds.central, p.canonical))])
    stock = Table("t-stock", [("Text", "text"), ("Why", "text"), ("Occurrences", "num"),
                              ("Cases", "num"), ("Words", "num")], [
        [Cell(s.text[:MAX_EXCERPT_CHARS], cls="stock"), Cell(s.reason), _num(s.occurrences),
         _num(s.cases), _num(s.words)] for s in report.stock_text])
    authors = Table("t-authors", [("Author", "text"), ("Forms", "num"), ("Words", "num"),
                                  ("Re-entered words", "num"), ("Share", "num"),
                                  ("Hours", "num"), ("Range", "num")], [
        [Cell(str(r["author"])), _num(r["forms"]), _num(r["words"]), _num(r["reentered_words"]),
         _num(r["share_of_words"], pct(r["share_of_words"])), *_hours_cells(r, False)]
        for r in agg.get("author", ())])
    skipped = Table("t-skipped", [("File", "text"), ("Reason", "text")],
                    [[Cell(s.path), Cell(s.reason)] for s in report.skipped],
                    filter=len(report.skipped) > 10)
    tables = {"pairs": (pair, "aggregates_form_type_pair.csv"),
              "fields": (fields, "aggregates_field_pair.csv"),
              "cases": (cases, "aggregates_case.csv"), "prefill": (prefill, "prefill.csv"),
              "stock": (stock, "stock_text.csv"), "authors": (authors, "aggregates_author.csv"),
              "skipped": (skipped, "skipped.csv")}
    return {name: _capped(tb, csv) for name, (tb, csv) in tables.items()}


def _capped(table: Table, csv: str) -> Table:
    if len(table.rows) <= MAX_TABLE_ROWS:
        return table
    return Table(table.id, table.headers, list(table.rows[:MAX_TABLE_ROWS]), table.filter,
                 len(table.rows), csv)


def _side(span: Any, form: Form | None, segments: list[tuple[str, bool]]) -> dict[str, Any]:
    return {"doc": span.doc, "field": span.field,
            "form_type": humanise(form.form_type) if form else "",
            "date": form.date if form else "", "segments": segments}


def _figures(report: Report) -> list[dict[str, str]]:
    from dupscan.profiles import load_profile

    meta = report.options.get("time_model", {}) if report.options else {}
    figures = meta.get("figures") if isinstance(meta, Mapping) else None
    if figures:
        return list(figures)
    if isinstance(meta, Mapping) and meta.get("profile") not in (None, "default"):
        return []
    from dupscan.estimate import profile_figures

    return profile_figures(load_profile())


def _by_case(report: Report) -> tuple[list[dict[str, Any]], dict[str, str], list[str]]:
    """In one pass over the cases (a spooled report is read once): the drill-down of
    each case with findings, each case's anchor (``case-1`` ... in case order) and
    the form types by their typical position in a case (mean rank of their dates)."""
    anchors: dict[str, str] = {}
    rank_sum: dict[str, int] = {}
    rank_count: dict[str, int] = {}
    shown_total = 0
    drill = []
    for case, case_forms, findings in case_groups(report):
        anchor = anchors[case] = f"case-{len(anchors) + 1}"
        for rank, form in enumerate(sorted(case_forms, key=lambda f: (f.date, f.order, f.doc))):
            kind = form.form_type or "(unknown)"
            rank_sum[kind] = rank_sum.get(kind, 0) + rank
            rank_count[kind] = rank_count.get(kind, 0) + 1
        if not findings:
            continue
        forms = {f.form_id: f for f in case_forms}
        items = sorted(findings, key=lambda f: (-f.seconds.central, f.target.doc,
                                                f.target.start))
        budget = max(0, min(MAX_FINDINGS_PER_CASE, MAX_FINDINGS_SHOWN - shown_total))
        pairs = []
        for f in items[:budget]:
            src_segs, tgt_segs = word_diff(f.source.text[:MAX_EXCERPT_CHARS],
                                           f.target.text[:MAX_EXCERPT_CHARS])
            pairs.append({"kind": f.kind, "similarity": f"{f.similarity:.2f}",
                          "words": f.words, "seconds": f"{f.seconds.central:,.0f}",
                          "source": _side(f.source, forms.get(f.source.form_id), src_segs),
                          "target": _side(f.target, forms.get(f.target.form_id), tgt_segs)})
        shown_total += len(pairs)
        drill.append({"case": case, "anchor": anchor, "total": len(items),
                      "pairs": pairs, "hidden": len(items) - len(pairs),
                      "hours": hours(sum(f.seconds.central for f in items) / 3600),
                      "words": sum(f.words for f in items)})
    types = sorted(rank_sum, key=lambda t: (rank_sum[t] / rank_count[t], t))
    return drill, anchors, types


def render_html(report: Report, *, redacted: bool = False, title: str = "") -> str:
    """The whole report as one self-contained HTML page."""
    from dupscan import __version__

    t = totals(report.aggregates)
    annual = t.get("annual_factor") is not None
    drill, anchors, type_order = _by_case(report)
    css, js = asset("report.css"), asset("report.js")
    data = {"schema": "dupscan.report-data/1",
            "cases": [{"id": d["case"], "anchor": d["anchor"], "findings": d["total"]}
                      for d in drill],
            "summary": {"forms": report.summary.forms, "cases": report.summary.cases,
                        "words": report.summary.words,
                        "reentered_words": report.summary.reentered_words}}
    context = {
        "title": title or "Re-entered text in case records",
        "css": Markup(css), "js": Markup(js), "csp": Markup(csp_for(css, js)),
        "data_json": json_block(data), "redacted": redacted, "version": __version__,
        "s": report.summary, "t": t, "annual": annual,
        "headline": {
            "hours_central": duration(t.get("hours_central")),
            "hours_range": f"{duration(t.get('hours_low'))} to {duration(t.get('hours_high'))}",
            "annual_central": duration(t.get("annual_hours_central")),
            "annual_range": f"{duration(t.get('annual_hours_low'))} to "
                            f"{duration(t.get('annual_hours_high'))}",
            "worker_central": duration(t.get("hours_per_worker_week_central")),
            "worker_range": f"{duration(t.get('hours_per_worker_week_low'))} to "
                            f"{duration(t.get('hours_per_worker_week_high'))}",
            "share": pct(t.get("share_of_recording_central")),
            "share_range": f"{pct(t.get('share_of_recording_low'))}–"
                           f"{pct(t.get('share_of_recording_high'))}",
            "words_share": pct(t.get("share_of_words")),
        },
        "recs": recommendations(report),
        "heatmap": heatmap(report.aggregates.get("form_type_pair", ()), type_order),
        "bars": bar_chart(report.aggregates.get("field_pair", ()),
                          prefix="annual_hours" if annual else "hours"),
        "tables": _tables(report, annual, anchors),
        "drill": drill, "shown_limit": MAX_FINDINGS_PER_CASE,
        "figures": _figures(report),
    }
    return environment().get_template("report.html.j2").render(**context)
