"""Prefill candidates: structured fields re-typed across the forms of a case.

For every structured field type (the canonical id, or the normalised label
when the field was not mapped), the first form of a case to hold a value is
where it is typed; each later form holding the same or nearly the same value
re-types it. Counts are aggregated by (field type, source form type, target
form type) over all cases.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from typing import Any

from rapidfuzz import fuzz

from dupscan.detect.attribution import attribution_order
from dupscan.detect.normalise import normalise, word_count
from dupscan.model import Form, Prefill

__all__ = ["PrefillSum", "case_prefill", "find_prefill", "merge_prefill"]

SAME_VALUE = 0.85  # rapidfuzz ratio of normalised values: "1 High St" ~ "1 High Street"


def _field_type(canonical: str | None, label: str) -> str:
    return canonical or "label:" + normalise(label).replace(" ", "_")


def find_prefill(forms: Sequence[Form]) -> list[Prefill]:
    """Return structured fields re-typed across the forms of each case.

    Parameters
    ----------
    forms : sequence of Form
        Forms of one or many cases (grouped by ``case_id``).

    Returns
    -------
    list of Prefill
        One per (field type, source form type, target form type), most frequent first.

    Examples
    --------
    >>> from dupscan.model import Field, Form
    >>> a = Form("a", "a.txt", "C1", "referral", "2025-01-01", (Field("DOB", "dob", "3.4.2015", 0, 8, "structured"),))
    >>> b = Form("b", "b.txt", "C1", "assessment", "2025-02-01", (Field("Date of birth", "dob", "03.4.2015", 0, 9, "structured"),))
    >>> [(p.canonical, p.source_form_type, p.target_form_type, p.occurrences) for p in find_prefill([a, b])]
    [('dob', 'referral', 'assessment', 1)]
    """
    by_case: dict[str, list[Form]] = defaultdict(list)
    for form in forms:
        by_case[form.case_id].append(form)
    return merge_prefill(case_prefill(by_case[case_id]) for case_id in sorted(by_case))


#: one case's share of the counts: ``(field type, source type, target type)``,
#: occurrences, words and ``[label, count]`` pairs in the order first seen
CasePrefill = list[tuple[tuple[str, str, str], int, int, list[tuple[str, int]]]]


def case_prefill(forms: Sequence[Form]) -> CasePrefill:
    """The prefill counts of the forms of ONE case, to be summed by :func:`merge_prefill`.

    A scan keeps them per case, so adding forms to a few cases does not count
    every case again; ``merge_prefill`` over the cases in case order equals
    :func:`find_prefill` over all their forms.
    """
    counts: Counter[tuple[str, str, str]] = Counter()
    words: Counter[tuple[str, str, str]] = Counter()
    labels: dict[tuple[str, str, str], Counter[str]] = defaultdict(Counter)
    first: dict[str, tuple[str, str]] = {}  # field type -> (normalised value, form type)
    values: dict[str, str] = {}  # text -> normalised: most values recur across a case's forms
    for form in attribution_order(forms):
        seen_here: set[str] = set()
        for fld in form.fields:
            if fld.kind != "structured":
                continue  # checked first: normalising a narrative field costs far more
            value = values.get(fld.text)
            if value is None:
                value = values[fld.text] = normalise(fld.text)
            if not value:
                continue
            ftype = _field_type(fld.canonical, fld.label)
            if ftype in seen_here:
                continue
            seen_here.add(ftype)
            if ftype not in first:
                first[ftype] = (value, form.form_type)
                continue
            src_value, src_type = first[ftype]
            if value != src_value and fuzz.ratio(value, src_value) / 100.0 < SAME_VALUE:
                continue
            key = (ftype, src_type, form.form_type)
            counts[key] += 1
            words[key] += word_count(fld.text)
            labels[key][fld.label] += 1
    return [(k, n, words[k], list(labels[k].items())) for k, n in counts.items()]


class PrefillSum:
    """:func:`merge_prefill` one case at a time: a scan adds each case's counts as the
    case is emitted instead of keeping them for one pass at the end (0.8 s at the end
    of an incremental scan of 100k forms, with the workers idle).

    Every count is a whole number and a key's label is its most frequent, ties going
    to the first by name: the result does not depend on the order the cases were
    added in, and a case can be taken out again (:meth:`subtract`), so a scan with an
    index keeps the sum of its last run (:meth:`state`) and brings it up to date by
    the cases that changed.
    """

    def __init__(self) -> None:
        #: (field type, source type, target type) -> [occurrences, words, labels seen]:
        #: one lookup a key and case (a counter each took 63 us a case, half of adding
        #: an unchanged case to the report)
        self._totals: dict[tuple[str, str, str], list[Any]] = {}

    def add(self, part: CasePrefill) -> None:
        """Add one case's :func:`case_prefill` (cases in case order)."""
        totals = self._totals
        for key, n, w, seen in part:
            key = tuple(key)  # type: ignore[assignment]
            total = totals.get(key)
            if total is None:
                total = totals[key] = [0, 0, Counter()]
            total[0] += n
            total[1] += w
            labels = total[2]
            for label, times in seen:
                labels[label] += times

    def subtract(self, part: CasePrefill) -> None:
        """Take out one case's counts, added before (a key left with none goes)."""
        totals = self._totals
        for key, n, w, seen in part:
            key = tuple(key)  # type: ignore[assignment]
            total = totals[key]
            total[0] -= n
            total[1] -= w
            labels = total[2]
            for label, times in seen:
                labels[label] -= times
                if not labels[label]:
                    del labels[label]
            if not total[0] and not total[1] and not labels:
                del totals[key]

    def state(self) -> list[Any]:
        """The sums so far as JSON values, by key (:meth:`load` takes them up again)."""
        return sorted([list(k), n, w, sorted(labels.items())] for k, (n, w, labels)
                      in self._totals.items())

    def load(self, state: list[Any]) -> None:
        """Take up the sums of :meth:`state` (before any case is added)."""
        self._totals = {tuple(k): [n, w, Counter(dict(labels))]
                        for k, n, w, labels in state}

    def result(self) -> list[Prefill]:
        """The prefill candidates of every case added, most frequent first."""
        out = [Prefill(canonical=k[0], label=min(labels.items(), key=_most_then_name)[0],
                       source_form_type=k[1], target_form_type=k[2], occurrences=n,
                       words=words)
               for k, (n, words, labels) in self._totals.items()]
        out.sort(key=lambda p: (-p.occurrences, p.canonical, p.source_form_type,
                                p.target_form_type))
        return out


def _most_then_name(item: tuple[str, int]) -> tuple[int, str]:
    return -item[1], item[0]


def merge_prefill(parts: Iterable[CasePrefill]) -> list[Prefill]:
    """Sum :func:`case_prefill` results (given in case order) into prefill candidates."""
    total = PrefillSum()
    for part in parts:
        total.add(part)
    return total.result()
