"""Totals of a costed scan by case, form type, form-type pair, field pair, author and kind.

Rows are plain dicts of str/int/float/None so that every renderer (JSON, CSV,
HTML, console) can show them as they are. Rows are sorted by central seconds,
largest first, then by their key columns, so the order never depends on input order.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Mapping
from typing import Any

from dupscan.model import Finding, Form, Prefill, Seconds, Summary

__all__ = ["UNKNOWN", "aggregate_rows", "count_words", "time_columns"]

UNKNOWN = "(unknown)"
_WORD = re.compile(r"\S+")


def count_words(text: str) -> int:
    """Whitespace-separated words, the unit every count in dupscan uses.

    >>> count_words("Mum said  Ava was late.")
    5
    """
    return len(_WORD.findall(text))


def _r(value: float | None, digits: int) -> float | None:
    if value is None:
        return None
    out = round(float(value), digits)
    return 0.0 if out == 0 else out


def time_columns(seconds: Seconds, factor: float | None) -> dict[str, float | None]:
    """Seconds, hours and (when the period is known) hours a year of a band."""
    row: dict[str, float | None] = {}
    for level in ("low", "central", "high"):
        value = getattr(seconds, level)
        row[f"seconds_{level}"] = _r(value, 3)
        row[f"hours_{level}"] = _r(value / 3600.0, 3)
        row[f"annual_hours_{level}"] = _r(value / 3600.0 * factor, 3) if factor else None
    return row


def _share(part: float, whole: float) -> float:
    return _r(part / whole, 4) if whole else 0.0  # type: ignore[return-value]


class _Acc:
    """Running totals for one row."""

    __slots__ = ("findings", "words", "low", "central", "high", "kinds", "cases")

    def __init__(self) -> None:
        self.findings = 0
        self.words = 0
        self.low = self.central = self.high = 0.0
        self.kinds: dict[str, int] = {"exact": 0, "near": 0, "paraphrase": 0}
        self.cases: set[str] = set()

    @property
    def seconds(self) -> Seconds:
        return Seconds(self.low, self.central, self.high)

    def add(self, finding: Finding) -> None:
        self.findings += 1
        self.words += finding.words
        s = finding.seconds
        self.low += s.low
        self.central += s.central
        self.high += s.high
        self.kinds[finding.kind] = self.kinds.get(finding.kind, 0) + finding.words
        self.cases.add(finding.case_id)

    def columns(self, factor: float | None) -> dict[str, Any]:
        return {
            "findings": self.findings,
            "reentered_words": self.words,
            "exact_words": self.kinds.get("exact", 0),
            "near_words": self.kinds.get("near", 0),
            "paraphrase_words": self.kinds.get("paraphrase", 0),
            "cases": len(self.cases),
            **time_columns(self.seconds, factor),
        }


def _sorted(rows: Iterable[dict[str, Any]], keys: tuple[str, ...]) -> tuple[dict[str, Any], ...]:
    return tuple(sorted(rows, key=lambda r: (-(r["seconds_central"] or 0.0),
                                             *(str(r[k]) for k in keys))))


def _form_type(forms: Mapping[str, Form], form_id: str) -> str:
    form = forms.get(form_id)
    return form.form_type if form is not None and form.form_type else UNKNOWN


def _totals(summary: Summary, findings: tuple[Finding, ...], prefill: tuple[Prefill, ...],
            meta: Mapping[str, Any]) -> dict[str, Any]:
    factor = meta.get("annual_factor")
    row: dict[str, Any] = {
        "forms": summary.forms,
        "cases": summary.cases,
        "words": summary.words,
        "findings": len(findings),
        "reentered_words": summary.reentered_words,
        "finding_words": sum(f.words for f in findings),
        "prefill_words": sum(p.words for p in prefill),
        "share_of_words": _share(summary.reentered_words, summary.words),
        **time_columns(summary.seconds, factor),
    }
    for level in ("low", "central", "high"):
        rec = getattr(summary.recording_seconds, level)
        row[f"recording_seconds_{level}"] = _r(rec, 3)
        row[f"recording_hours_{level}"] = _r(rec / 3600.0, 3)
        row[f"share_of_recording_{level}"] = _share(getattr(summary.seconds, level), rec)
    staff, weeks = meta.get("staff"), meta.get("working_weeks")
    for level in ("low", "central", "high"):
        annual = row[f"annual_hours_{level}"]
        row[f"hours_per_worker_week_{level}"] = (
            _r(annual / staff / weeks, 3) if annual is not None and staff and weeks else None)
    for key in ("profile", "period_days", "period_source", "annual_factor", "staff",
                "working_weeks"):
        value = meta.get(key)
        row[key] = _r(value, 6) if isinstance(value, float) else value
    return row


def aggregate_rows(
    summary: Summary,
    forms: tuple[Form, ...],
    findings: tuple[Finding, ...],
    prefill: tuple[Prefill, ...],
    meta: Mapping[str, Any],
) -> dict[str, tuple[dict[str, Any], ...]]:
    """Every aggregate table of a report (see :func:`dupscan.estimate.estimate`)."""
    factor = meta.get("annual_factor")
    by_id = {f.form_id: f for f in forms}
    case_forms: dict[str, list[Form]] = defaultdict(list)
    type_forms: dict[str, list[Form]] = defaultdict(list)
    author_forms: dict[str, list[Form]] = defaultdict(list)
    for form in forms:
        case_forms[form.case_id].append(form)
        type_forms[form.form_type or UNKNOWN].append(form)
        author_forms[form.author or UNKNOWN].append(form)

    acc: dict[str, dict[tuple[str, ...], _Acc]] = {
        k: defaultdict(_Acc) for k in ("case", "form_type", "form_type_pair", "field_pair",
                                       "author", "kind")}
    for finding in findings:
        src_type = _form_type(by_id, finding.source.form_id)
        tgt_type = _form_type(by_id, finding.target.form_id)
        target = by_id.get(finding.target.form_id)
        author = target.author if target is not None and target.author else UNKNOWN
        acc["case"][(finding.case_id,)].add(finding)
        acc["form_type"][(tgt_type,)].add(finding)
        acc["form_type_pair"][(src_type, tgt_type)].add(finding)
        acc["field_pair"][(src_type, finding.source.field or UNKNOWN, tgt_type,
                           finding.target.field or UNKNOWN)].add(finding)
        acc["author"][(author,)].add(finding)
        acc["kind"][(finding.kind,)].add(finding)

    def forms_cols(group: list[Form], words: int) -> dict[str, Any]:
        total = sum(f.words for f in group)
        return {"forms": len(group), "words": total, "share_of_words": _share(words, total)}

    rows: dict[str, tuple[dict[str, Any], ...]] = {"totals": (_totals(summary, findings, prefill,
                                                                       meta),)}
    case_rows = []
    for case_id in sorted(set(case_forms) | {k[0] for k in acc["case"]}):
        a = acc["case"].get((case_id,), _Acc())
        case_rows.append({"case_id": case_id, **forms_cols(case_forms.get(case_id, []), a.words),
                          **a.columns(factor)})
    rows["case"] = _sorted(case_rows, ("case_id",))
    type_rows = []
    for form_type in sorted(set(type_forms) | {k[0] for k in acc["form_type"]}):
        a = acc["form_type"].get((form_type,), _Acc())
        type_rows.append({"form_type": form_type,
                          **forms_cols(type_forms.get(form_type, []), a.words),
                          **a.columns(factor)})
    rows["form_type"] = _sorted(type_rows, ("form_type",))
    pair_rows = []
    for (src, tgt), a in acc["form_type_pair"].items():
        target_words = sum(f.words for f in type_forms.get(tgt, []))
        pair_rows.append({"source_form_type": src, "target_form_type": tgt,
                          "target_forms": len(type_forms.get(tgt, [])),
                          "target_words": target_words,
                          "share_of_target_words": _share(a.words, target_words),
                          **a.columns(factor)})
    rows["form_type_pair"] = _sorted(pair_rows, ("source_form_type", "target_form_type"))
    rows["field_pair"] = _sorted(
        ({"source_form_type": k[0], "source_field": k[1], "target_form_type": k[2],
          "target_field": k[3], **a.columns(factor)} for k, a in acc["field_pair"].items()),
        ("source_form_type", "source_field", "target_form_type", "target_field"))
    author_rows = []
    for author in sorted(set(author_forms) | {k[0] for k in acc["author"]}):
        a = acc["author"].get((author,), _Acc())
        author_rows.append({"author": author,
                            **forms_cols(author_forms.get(author, []), a.words),
                            **a.columns(factor)})
    rows["author"] = _sorted(author_rows, ("author",))
    rows["kind"] = _sorted(({"kind": k[0], **a.columns(factor)} for k, a in acc["kind"].items()),
                           ("kind",))
    return rows
