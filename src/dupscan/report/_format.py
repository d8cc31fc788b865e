"""Number and label formatting shared by the console, CSV and HTML renderers."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

__all__ = ["band_text", "duration", "hours", "humanise", "pct", "totals", "utf8_safe"]

_SURROGATE = re.compile("[\ud800-\udfff]")


def totals(aggregates: Mapping[str, Any]) -> dict[str, Any]:
    """The single ``totals`` row of a report's aggregates (empty when absent)."""
    rows = aggregates.get("totals") or ()
    return dict(rows[0]) if rows else {}


def hours(value: float | None) -> str:
    """``1234.5`` -> ``"1,234"``, ``3.21`` -> ``"3.2"``, ``0.04`` -> ``"0.04"``.

    >>> hours(1234.5), hours(3.21), hours(0.04), hours(None)
    ('1,234', '3.2', '0.04', '–')
    """
    if value is None:
        return "–"
    if abs(value) >= 100:
        return f"{value:,.0f}"
    if abs(value) >= 1:
        return f"{value:,.1f}"
    return f"{value:.2f}"


def duration(value: float | None) -> str:
    """Hours as words a manager reads: ``"310 hours"``, ``"1.5 hours"``, ``"12 minutes"``.

    >>> duration(310.4), duration(1.46), duration(0.2), duration(0.001)
    ('310 hours', '1.5 hours', '12 minutes', 'under a minute')
    """
    if value is None:
        return "–"
    if value >= 1:
        return f"{hours(value)} hours"
    minutes = value * 60
    if minutes < 1:
        return "under a minute"
    return f"{minutes:.0f} minute{'s' if round(minutes) != 1 else ''}"


def pct(value: float | None) -> str:
    """``0.1234`` -> ``"12.3%"``.

    >>> pct(0.1234)
    '12.3%'
    """
    if value is None:
        return "–"
    return f"{100 * value:.1f}%"


def band_text(row: Mapping[str, Any], prefix: str) -> str:
    """``"12 (8–30)"`` for the ``<prefix>_low/central/high`` columns of ``row``."""
    low, central, high = (row.get(f"{prefix}_{lv}") for lv in ("low", "central", "high"))
    if central is None:
        return "–"
    return f"{hours(central)} ({hours(low)}–{hours(high)})"


def humanise(name: str) -> str:
    """A canonical id as words: ``"contact_referral"`` -> ``"contact referral"``.

    >>> humanise("child_and_family-assessment")
    'child and family assessment'
    """
    return " ".join(str(name).replace("_", " ").replace("-", " ").split())


def utf8_safe(text: str) -> str:
    """Replace lone surrogates, which cannot be written as UTF-8, with U+FFFD.

    >>> utf8_safe("a" + chr(0xD800) + "b") == "a" + chr(0xFFFD) + "b"
    True
    """
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return _SURROGATE.sub("\ufffd", text)
    return text
