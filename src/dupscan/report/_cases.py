"""A report's forms and findings case by case, in one pass over each.

Renderers that need a finding's forms (their types and dates) look them up in
the finding's own case instead of a map of every form of the scan, so a report
whose forms and findings are held on disk (:class:`dupscan._spool.Spool`) is
written with one case in memory at a time.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from itertools import groupby, pairwise
from operator import attrgetter
from typing import TypeVar

from dupscan._spool import heads
from dupscan.model import Finding, Form, Report

__all__ = ["case_groups"]

T = TypeVar("T", Form, Finding)
_CASE = attrgetter("case_id")


def _in_case_order(items: Iterable[T]) -> Iterable[T]:
    """``items`` grouped by case, in case order, each case's items in their order.

    A report made by :func:`dupscan.estimate.estimate` or a scan is already in
    this order; a tuple built by hand is sorted (stably) if it is not.
    """
    if not isinstance(items, (tuple, list)):
        return items  # on disk: written in case order
    if all(a.case_id <= b.case_id for a, b in pairwise(items)):
        return items
    return sorted(items, key=_CASE)


def case_groups(report: Report) -> Iterator[tuple[str, list[Form], list[Finding]]]:
    """``(case_id, its forms, its findings)`` for every case of ``report``, in case order.

    >>> from dupscan.estimate import estimate
    >>> list(case_groups(estimate([], [])))
    []
    """
    # a spooled report's forms without their fields: no renderer reads them
    forms = groupby(_in_case_order(heads(report.forms)), key=_CASE)
    findings = groupby(_in_case_order(report.findings), key=_CASE)
    form_case, form_items = next(forms, (None, iter(())))
    finding_case, finding_items = next(findings, (None, iter(())))
    while form_case is not None or finding_case is not None:
        if finding_case is None or (form_case is not None and form_case < finding_case):
            yield form_case, list(form_items), []  # type: ignore[misc]
            form_case, form_items = next(forms, (None, iter(())))
        elif form_case is None or finding_case < form_case:
            yield finding_case, [], list(finding_items)
            finding_case, finding_items = next(findings, (None, iter(())))
        else:
            yield form_case, list(form_items), list(finding_items)
            form_case, form_items = next(forms, (None, iter(())))
            finding_case, finding_items = next(findings, (None, iter(())))
