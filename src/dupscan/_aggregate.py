"""Totals of a costed scan by case, form type, form-type pair, field pair, author and kind.

Rows are plain dicts of str/int/float/None so that every renderer (JSON, CSV,
HTML, console) can show them as they are. Rows are sorted by central seconds,
largest first, then by their key columns, so the order never depends on input order.

Seconds are summed as whole numbers of ``2**-64`` s (:func:`exact_seconds`), so a
total never depends on the order its cases were added in, nor on whether a case was
taken out again (:meth:`Aggregator.subtract_tallies`): a scan with an index keeps
the last run's totals and brings them up to date by the cases that changed, to the
same bits as counting every case again.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Mapping
from typing import Any

from dupscan._case_part import FindingTally, FormTally
from dupscan.model import Finding, Form, Prefill, Seconds, Summary

__all__ = ["SECONDS_SCALE", "UNKNOWN", "Aggregator", "count_words", "exact_seconds",
           "tallies", "time_columns"]

UNKNOWN = "(unknown)"
#: seconds are summed in units of ``1 / SECONDS_SCALE`` s (see :func:`exact_seconds`)
SECONDS_SCALE = 2**64
_WORD = re.compile(r"\S+")


def count_words(text: str) -> int:
    """Whitespace-separated words, the unit every count in dupscan uses.

    >>> count_words("Mum said  Ava was late.")
    5
    """
    return len(_WORD.findall(text))


def exact_seconds(value: float) -> int:
    """``value`` seconds as a whole number of ``1 / SECONDS_SCALE`` s.

    Scaling by a power of two is exact, so this is ``value`` to the bit for any
    value of more than about 2**-11 s, and a fixed function of it below: integer
    sums of these are the same in any order, and after any case is taken out.

    >>> exact_seconds(1.5) == 3 * SECONDS_SCALE // 2
    True
    """
    return int(value * 18446744073709551616.0)  # float(SECONDS_SCALE)


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
    """Running totals for one row (seconds in units of ``1 / SECONDS_SCALE``).

    Findings come grouped by case (sorted by case first), so distinct cases are
    counted by watching the case id change instead of holding a set of them.
    """

    __slots__ = ("_last_case", "cases", "central", "findings", "high", "kinds", "low", "words")

    def __init__(self) -> None:
        self.findings = 0
        self.words = 0
        self.low = self.central = self.high = 0
        self.kinds: dict[str, int] = {"exact": 0, "near": 0, "paraphrase": 0}
        self.cases = 0
        self._last_case: str | None = None

    @property
    def seconds(self) -> Seconds:
        return Seconds(self.low / SECONDS_SCALE, self.central / SECONDS_SCALE,
                       self.high / SECONDS_SCALE)

    def add(self, case_id: str, kind: str, words: int, low: int, central: int,
            high: int) -> None:
        self.findings += 1
        self.words += words
        self.low += low
        self.central += central
        self.high += high
        self.kinds[kind] = self.kinds.get(kind, 0) + words
        if case_id != self._last_case:
            self.cases += 1
            self._last_case = case_id

    def take(self, kind: str, words: int, low: int, central: int, high: int) -> None:
        """Take one finding out (:meth:`add` in reverse; the caller counts the cases)."""
        self.findings -= 1
        self.words -= words
        self.low -= low
        self.central -= central
        self.high -= high
        self.kinds[kind] -= words

    def state(self) -> list[Any]:
        return [self.findings, self.words, self.low, self.central, self.high,
                self.kinds, self.cases]

    @classmethod
    def of(cls, state: list[Any]) -> _Acc:
        acc = cls()
        (acc.findings, acc.words, acc.low, acc.central, acc.high, kinds,
         acc.cases) = state
        acc.kinds = dict(kinds)
        return acc

    def columns(self, factor: float | None) -> dict[str, Any]:
        return {
            "findings": self.findings,
            "reentered_words": self.words,
            "exact_words": self.kinds.get("exact", 0),
            "near_words": self.kinds.get("near", 0),
            "paraphrase_words": self.kinds.get("paraphrase", 0),
            "cases": self.cases,
            **time_columns(self.seconds, factor),
        }


class _Forms:
    """Forms and words counted for one row."""

    __slots__ = ("forms", "words")

    def __init__(self) -> None:
        self.forms = 0
        self.words = 0

    def add(self, words: int) -> None:
        self.forms += 1
        self.words += words

    def take(self, words: int) -> None:
        self.forms -= 1
        self.words -= words


_NO_FORMS = _Forms()


def _rows_of(case_id: str, kind: str, src_type: str, src_field: str, tgt_type: str,
             tgt_field: str, author: str) -> tuple[tuple[str, tuple[str, ...]], ...]:
    """The row of each table that a finding counts in, as ``(table, key)``."""
    return (("case", (case_id,)), ("form_type", (tgt_type,)),
            ("form_type_pair", (src_type, tgt_type)),
            ("field_pair", (src_type, src_field, tgt_type, tgt_field)),
            ("author", (author,)), ("kind", (kind,)))


def _sorted(rows: Iterable[dict[str, Any]], keys: tuple[str, ...]) -> tuple[dict[str, Any], ...]:
    return tuple(sorted(rows, key=lambda r: (-(r["seconds_central"] or 0.0),
                                             *(str(r[k]) for k in keys))))


def _form_type(forms: Mapping[str, Form], form_id: str) -> str:
    form = forms.get(form_id)
    return form.form_type if form is not None and form.form_type else UNKNOWN


def tallies(forms: Iterable[Form], findings: Iterable[Finding],
            by_id: Mapping[str, Form]) -> tuple[list[FormTally], list[FindingTally]]:
    """What the tables count of each form (``words`` set) and costed finding, in order;
    ``by_id`` finds the forms the findings point at."""
    form_rows: list[FormTally] = [
        (f.case_id, f.form_type or UNKNOWN, f.author or UNKNOWN, f.words, f.date) for f in forms]
    finding_rows: list[FindingTally] = []
    for finding in findings:
        target = by_id.get(finding.target.form_id)
        s = finding.seconds
        finding_rows.append((
            finding.case_id, finding.kind, finding.words, s.low, s.central, s.high,
            _form_type(by_id, finding.source.form_id), finding.source.field or UNKNOWN,
            _form_type(by_id, finding.target.form_id), finding.target.field or UNKNOWN,
            target.author if target is not None and target.author else UNKNOWN))
    return form_rows, finding_rows


class Aggregator:
    """Every aggregate table of a report, totalled case by case.

    Call :meth:`add` once per case, cases in order (each case's findings sorted
    by case first, as :func:`dupscan.estimate.estimate` sorts them); memory grows
    with the rows (cases, form types, field pairs, authors), not with the
    findings. :meth:`rows` gives the tables of :func:`dupscan.estimate.estimate`.
    """

    def __init__(self) -> None:
        self.findings = 0
        self.finding_words = 0
        self._acc: dict[str, dict[tuple[str, ...], _Acc]] = {
            k: defaultdict(_Acc) for k in ("case", "form_type", "form_type_pair",
                                           "field_pair", "author", "kind")}
        self._case_forms: dict[str, _Forms] = defaultdict(_Forms)
        self._type_forms: dict[str, _Forms] = defaultdict(_Forms)
        self._author_forms: dict[str, _Forms] = defaultdict(_Forms)

    def add(self, forms: Iterable[Form], findings: Iterable[Finding],
            by_id: Mapping[str, Form]) -> None:
        """Count one case: its forms (``words`` set) and costed findings; ``by_id``
        finds the forms the findings point at."""
        self.add_tallies(*tallies(forms, findings, by_id))

    def add_tallies(self, forms: Iterable[FormTally], findings: Iterable[FindingTally]) -> None:
        """Count one case from its :func:`tallies` (as :meth:`add` does from its objects)."""
        for case_id, form_type, author, words, _ in forms:
            self._case_forms[case_id].add(words)
            self._type_forms[form_type].add(words)
            self._author_forms[author].add(words)
        acc = self._acc
        for (case_id, kind, words, low, central, high, src_type, src_field, tgt_type,
             tgt_field, author) in findings:
            self.findings += 1
            self.finding_words += words
            cost = (case_id, kind, words, exact_seconds(low), exact_seconds(central),
                    exact_seconds(high))
            for name, key in _rows_of(case_id, kind, src_type, src_field, tgt_type,
                                      tgt_field, author):
                acc[name][key].add(*cost)

    def subtract_tallies(self, forms: Iterable[FormTally],
                         findings: Iterable[FindingTally]) -> None:
        """Take out one case counted before by :meth:`add_tallies` with these tallies:
        the tables are then those of every other case counted, to the bit (a row left
        with no form and no finding goes)."""
        for case_id, form_type, author, words, _ in forms:
            for table, key in ((self._case_forms, case_id), (self._type_forms, form_type),
                               (self._author_forms, author)):
                group = table[key]
                group.take(words)
                if not group.forms:
                    del table[key]
        touched: dict[tuple[str, tuple[str, ...], str], _Acc] = {}
        for (case_id, kind, words, low, central, high, src_type, src_field, tgt_type,
             tgt_field, author) in findings:
            self.findings -= 1
            self.finding_words -= words
            cost = (kind, words, exact_seconds(low), exact_seconds(central), exact_seconds(high))
            for name, row_key in _rows_of(case_id, kind, src_type, src_field, tgt_type,
                                          tgt_field, author):
                row = self._acc[name][row_key]
                row.take(*cost)
                touched[(name, row_key, case_id)] = row
        for (name, row_key, _), row in touched.items():
            row.cases -= 1  # each case counted once in each row it has findings in
            if not row.findings and row_key in self._acc[name]:
                del self._acc[name][row_key]

    @property
    def seconds(self) -> Seconds:
        """The seconds of every finding counted: the sum of the kind rows, in which each
        finding counts once (whole numbers, so the same as summing the findings)."""
        rows = self._acc["kind"].values()
        return Seconds(sum(a.low for a in rows) / SECONDS_SCALE,
                       sum(a.central for a in rows) / SECONDS_SCALE,
                       sum(a.high for a in rows) / SECONDS_SCALE)

    def state(self) -> dict[str, Any]:
        """Everything counted, as JSON values (:meth:`of` makes the aggregator again)."""
        return {
            "findings": self.findings, "finding_words": self.finding_words,
            "acc": {name: [[list(k), a.state()] for k, a in rows.items()]
                    for name, rows in self._acc.items()},
            "forms": [[[k, g.forms, g.words] for k, g in table.items()]
                      for table in (self._case_forms, self._type_forms, self._author_forms)],
        }

    @classmethod
    def of(cls, state: Mapping[str, Any]) -> Aggregator:
        """The aggregator :meth:`state` describes; cases added next are counted in each
        row they have findings in, as the first case of a run is."""
        agg = cls()
        agg.findings, agg.finding_words = state["findings"], state["finding_words"]
        for name, rows in state["acc"].items():
            agg._acc[name].update((tuple(k), _Acc.of(a)) for k, a in rows)
        for table, rows in zip((agg._case_forms, agg._type_forms, agg._author_forms),
                               state["forms"], strict=True):
            for key, forms, words in rows:
                group = table[key]
                group.forms, group.words = forms, words
        return agg

    def _totals(self, summary: Summary, prefill: tuple[Prefill, ...],
                meta: Mapping[str, Any]) -> dict[str, Any]:
        factor = meta.get("annual_factor")
        row: dict[str, Any] = {
            "forms": summary.forms,
            "cases": summary.cases,
            "words": summary.words,
            "findings": self.findings,
            "reentered_words": summary.reentered_words,
            "finding_words": self.finding_words,
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

    def rows(self, summary: Summary, prefill: tuple[Prefill, ...],
             meta: Mapping[str, Any]) -> dict[str, tuple[dict[str, Any], ...]]:
        """The tables, keyed ``totals``, ``case``, ``form_type``, ``form_type_pair``,
        ``field_pair``, ``author`` and ``kind``."""
        factor = meta.get("annual_factor")
        acc = self._acc

        def forms_cols(group: _Forms, words: int) -> dict[str, Any]:
            return {"forms": group.forms, "words": group.words,
                    "share_of_words": _share(words, group.words)}

        def keyed(name: str, key: str, forms: Mapping[str, _Forms]) -> tuple[dict[str, Any], ...]:
            out = []
            for value in sorted(set(forms) | {k[0] for k in acc[name]}):
                a = acc[name].get((value,), _Acc())
                out.append({key: value, **forms_cols(forms.get(value, _NO_FORMS), a.words),
                            **a.columns(factor)})
            return _sorted(out, (key,))

        rows: dict[str, tuple[dict[str, Any], ...]] = {
            "totals": (self._totals(summary, prefill, meta),)}
        rows["case"] = keyed("case", "case_id", self._case_forms)
        rows["form_type"] = keyed("form_type", "form_type", self._type_forms)
        pair_rows = []
        for (src, tgt), a in acc["form_type_pair"].items():
            target = self._type_forms.get(tgt, _NO_FORMS)
            pair_rows.append({"source_form_type": src, "target_form_type": tgt,
                              "target_forms": target.forms, "target_words": target.words,
                              "share_of_target_words": _share(a.words, target.words),
                              **a.columns(factor)})
        rows["form_type_pair"] = _sorted(pair_rows, ("source_form_type", "target_form_type"))
        rows["field_pair"] = _sorted(
            ({"source_form_type": k[0], "source_field": k[1], "target_form_type": k[2],
              "target_field": k[3], **a.columns(factor)} for k, a in acc["field_pair"].items()),
            ("source_form_type", "source_field", "target_form_type", "target_field"))
        rows["author"] = keyed("author", "author", self._author_forms)
        rows["kind"] = _sorted(({"kind": k[0], **a.columns(factor)}
                                for k, a in acc["kind"].items()), ("kind",))
        return rows
