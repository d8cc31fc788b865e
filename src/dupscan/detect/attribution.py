"""Source attribution: which form first held a text.

Forms are put in attribution order — by date (ISO strings sort by time; forms
without a date go last), then by ``order``, then by document path for a stable
tie-break. Of every form holding a passage, the earliest is the source and each
later appearance is a target, so a passage copied into 8 forms yields 7 findings.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from dupscan.model import Form

__all__ = ["KIND_RANK", "Match", "attribution_order", "earliest"]

KIND_RANK = {"exact": 0, "near": 1, "paraphrase": 2}


@dataclass(frozen=True, slots=True)
class Match:
    """A verified match of a target unit to a source unit.

    ``t_range``/``s_range`` are the aligned document offsets (a partial copy
    covers less than the whole sentence).
    """

    target: int
    source: int
    source_form: int
    kind: str
    similarity: float
    t_range: tuple[int, int]
    s_range: tuple[int, int]
    partial: bool = False


def _key(form: Form) -> tuple[int, str, int, str, str]:
    return (0 if form.date else 1, form.date, form.order, form.doc, form.form_id)


def attribution_order(forms: Sequence[Form]) -> list[Form]:
    """Return ``forms`` sorted earliest first.

    Examples
    --------
    >>> from dupscan.model import Form
    >>> fs = [Form("b", "b.txt", "C", "plan", "2025-03-01", ()),
    ...       Form("a", "a.txt", "C", "referral", "2025-01-05", ()),
    ...       Form("c", "c.txt", "C", "note", "", (), order=0)]
    >>> [f.form_id for f in attribution_order(fs)]
    ['a', 'b', 'c']
    """
    return sorted(forms, key=_key)


def earliest(matches: Iterable[Match]) -> Match | None:
    """Of the matches of one target unit, return the one in the earliest form.

    Copies (exact or near) take precedence over paraphrases, and copies of
    the whole sentence over copies of a part of it: the text itself was first
    written in the earliest form holding a copy of it. Within a form
    the strongest match wins (exact, then near, then higher similarity, then
    position).
    """
    best = None
    best_key = None
    for m in matches:
        key = (m.kind == "paraphrase", m.partial, m.source_form, KIND_RANK[m.kind],
               -m.similarity, m.source)
        if best_key is None or key < best_key:
            best, best_key = m, key
    return best
