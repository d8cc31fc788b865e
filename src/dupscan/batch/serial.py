"""Plain-JSON round trips for the dataclasses the batch layer stores or streams.

Forms, findings and prefill candidates are stored in the SQLite index and sent
between processes as JSON-compatible dicts (never pickles on disk), so an index
written by one version can be inspected with any SQLite client.
"""

from __future__ import annotations

import json
from typing import Any

from dupscan.model import Field, Finding, Form, Prefill, Seconds, Span, StockText

__all__ = [
    "dumps",
    "finding_from_dict",
    "finding_to_dict",
    "form_from_dict",
    "form_to_dict",
    "prefill_from_dict",
    "prefill_to_dict",
    "stock_from_dict",
    "stock_to_dict",
]


def dumps(value: Any) -> str:
    """Compact, key-sorted JSON: equal values give equal strings."""
    return json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def _seconds(value: Seconds) -> dict[str, float]:
    return {"low": value.low, "central": value.central, "high": value.high}


def _seconds_from(data: dict[str, float] | None) -> Seconds:
    data = data or {}
    return Seconds(float(data.get("low", 0.0)), float(data.get("central", 0.0)),
                   float(data.get("high", 0.0)))


def form_to_dict(form: Form) -> dict[str, Any]:
    """A :class:`Form` as a JSON-compatible dict (fields included).

    When fields carry their sentence offsets (:attr:`Field.sentences`), the
    dict has a ``"sentences"`` list with one entry per field: the offsets
    flattened (``[start0, end0, start1, end1, ...]``), or ``None`` for a field
    that was not split.
    """
    data: dict[str, Any] = {
        "form_id": form.form_id, "doc": form.doc, "case_id": form.case_id,
        "form_type": form.form_type, "date": form.date, "author": form.author,
        "order": form.order, "words": form.words,
        "fields": [{"label": f.label, "canonical": f.canonical, "text": f.text,
                    "start": f.start, "end": f.end, "kind": f.kind,
                    "confidence": f.confidence, "stock": [list(s) for s in f.stock]}
                   for f in form.fields],
    }
    if any(f.sentences is not None for f in form.fields):
        data["sentences"] = [None if f.sentences is None else [i for s in f.sentences for i in s]
                             for f in form.fields]
    return data


def _sentences(flat: Any, text: str) -> tuple[tuple[int, int], ...] | None:
    """Stored flat sentence offsets as pairs; ``None`` when absent or not valid for ``text``
    (each pair ints with ``0 <= start < end <= len(text)``)."""
    if not isinstance(flat, list) or len(flat) % 2:
        return None
    if not flat:
        return ()
    starts, ends = flat[::2], flat[1::2]
    # checked with C-level passes: a worker decodes every field of a case's forms
    if (set(map(type, flat)) != _INTS or min(starts) < 0
            or max(ends) > len(text) or not all(map(int.__lt__, starts, ends))):
        return None
    return tuple(zip(starts, ends))


_INTS = {int}


def form_from_dict(data: dict[str, Any]) -> Form:
    """Inverse of :func:`form_to_dict`."""
    raw = data.get("fields", ())
    split = data.get("sentences")
    if not isinstance(split, list) or len(split) != len(raw):
        split = [None] * len(raw)
    # positional: keyword arguments cost a fifth more in a dataclass's __init__, and a
    # worker builds every field of a case's forms
    fields = tuple(
        Field(f["label"], f["canonical"], f["text"], f["start"], f["end"], f["kind"],
              f.get("confidence", 1.0),
              tuple((int(a), int(b)) for a, b in f["stock"]) if f.get("stock") else (),
              _sentences(s, f["text"]))
        for f, s in zip(raw, split))
    return Form(form_id=data["form_id"], doc=data["doc"], case_id=data["case_id"],
                form_type=data["form_type"], date=data["date"], fields=fields,
                author=data.get("author", ""), order=data.get("order", 0),
                words=data.get("words", 0))


def _span(span: Span) -> dict[str, Any]:
    return {"form_id": span.form_id, "doc": span.doc, "field": span.field,
            "start": span.start, "end": span.end, "text": span.text}


def finding_to_dict(finding: Finding) -> dict[str, Any]:
    """A :class:`Finding` in the ``findings.json`` item layout."""
    return {"case_id": finding.case_id, "kind": finding.kind,
            "similarity": finding.similarity, "words": finding.words,
            "seconds": _seconds(finding.seconds),
            "source": _span(finding.source), "target": _span(finding.target)}


def finding_from_dict(data: dict[str, Any]) -> Finding:
    """Inverse of :func:`finding_to_dict`."""
    return Finding(case_id=data["case_id"], kind=data["kind"],
                   similarity=float(data["similarity"]), words=int(data["words"]),
                   source=Span(**data["source"]), target=Span(**data["target"]),
                   seconds=_seconds_from(data.get("seconds")))


def prefill_to_dict(item: Prefill) -> dict[str, Any]:
    """A :class:`Prefill` as a JSON-compatible dict."""
    return {"canonical": item.canonical, "label": item.label,
            "source_form_type": item.source_form_type,
            "target_form_type": item.target_form_type, "occurrences": item.occurrences,
            "words": item.words, "seconds": _seconds(item.seconds)}


def prefill_from_dict(data: dict[str, Any]) -> Prefill:
    """Inverse of :func:`prefill_to_dict`."""
    return Prefill(canonical=data["canonical"], label=data["label"],
                   source_form_type=data["source_form_type"],
                   target_form_type=data["target_form_type"],
                   occurrences=int(data["occurrences"]), words=int(data["words"]),
                   seconds=_seconds_from(data.get("seconds")))


def stock_to_dict(item: StockText) -> dict[str, Any]:
    """A :class:`StockText` as a JSON-compatible dict."""
    return {"text": item.text, "words": item.words, "occurrences": item.occurrences,
            "cases": item.cases, "reason": item.reason, "examples": list(item.examples)}


def stock_from_dict(data: dict[str, Any]) -> StockText:
    """Inverse of :func:`stock_to_dict`."""
    return StockText(text=data["text"], words=int(data["words"]),
                     occurrences=int(data["occurrences"]), cases=int(data["cases"]),
                     reason=data["reason"], examples=tuple(data.get("examples", ())))
