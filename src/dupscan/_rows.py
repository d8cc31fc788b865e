"""The model's dataclasses as compact positional JSON rows, and back.

One list of attribute values per object, in the order of the dataclass
attributes: reading a case's forms or findings back is then mostly the JSON
parse. The scan index stores forms and findings this way, and a report held on
disk (:mod:`dupscan._spool`) keeps them so too, which lets a case's stored
report part be appended to the report without being decoded.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from operator import attrgetter
from sys import intern
from typing import Any

from dupscan.model import Field, Finding, Form, Seconds, Span

__all__ = ["decode_fields", "decode_findings", "decode_forms", "encode_fields",
           "encode_findings", "encode_forms", "finding_rows", "form_rows"]


_FORM_NAMES = tuple(Form.__dataclass_fields__)
_FIELD_NAMES = tuple(Field.__dataclass_fields__)
_FIELDS_AT = _FORM_NAMES.index("fields")
#: positions of the Field attributes that are tuples of pairs (stored as lists of lists)
_PAIRS_AT = tuple(i for i, name in enumerate(_FIELD_NAMES)
                  if str(Field.__dataclass_fields__[name].type).startswith("tuple["))
#: attributes whose strings recur across fields and forms (interned when decoded)
_FIELD_STRINGS_AT = tuple(_FIELD_NAMES.index(n) for n in ("label", "canonical", "text", "kind"))
_FORM_STRINGS_AT = tuple(_FORM_NAMES.index(n)
                         for n in ("case_id", "form_type", "date", "author"))


#: a field's attribute values in :data:`_FIELD_NAMES` order (one C call: a case's
#: structured fields are encoded twice a case, some 200 of them)
_field_values = attrgetter(*_FIELD_NAMES)
_form_values = attrgetter(*_FORM_NAMES)


def _field(values: list[Any]) -> Field:
    for i in _PAIRS_AT:
        if values[i] is not None:
            values[i] = tuple(tuple(pair) for pair in values[i])
    for i in _FIELD_STRINGS_AT:
        if type(values[i]) is str:
            values[i] = intern(values[i])
    return Field(*values)


def encode_forms(forms: Iterable[Form]) -> str:
    """Forms as compact JSON: one list of attribute values per form and per field.

    Positional (in the order of the dataclass attributes): loading a case's
    forms for the report is then mostly the JSON parse, at 100k forms too.
    """
    out = []
    for form in forms:
        row: list[Any] = list(_form_values(form))
        row[_FIELDS_AT] = [_field_values(f) for f in form.fields]
        out.append(row)
    return json.dumps(out, ensure_ascii=False, separators=(",", ":"))


def decode_forms(text: str | bytes) -> list[Form]:
    """Inverse of :func:`encode_forms`.

    The report holds these forms for the whole scan, and their strings recur
    (labels, field kinds, form types, and values re-typed across a case's
    forms): each is interned, so one copy is held, not one per field.
    """
    forms = []
    for row in json.loads(text):
        row[_FIELDS_AT] = tuple(map(_field, row[_FIELDS_AT]))
        for i in _FORM_STRINGS_AT:
            if type(row[i]) is str:
                row[i] = intern(row[i])
        forms.append(Form(*row))
    return forms


def form_rows(text: str | bytes) -> list[list[Any]]:
    """The rows of :func:`encode_forms` as plain lists, each checked for its length.

    Raises
    ------
    ValueError
        A row of another shape (rows altered where they were kept).
    """
    rows = json.loads(text)
    if any(len(row) != len(_FORM_NAMES) for row in rows):
        raise ValueError("a form row of the wrong shape")
    return rows


def encode_fields(groups: Iterable[tuple[Field, ...]]) -> str:
    """The fields of several forms, one list per form (the part of a form
    :func:`encode_forms` writes for a form whose ``fields`` are left empty)."""
    return json.dumps([[_field_values(f) for f in group] for group in groups],
                      ensure_ascii=False, separators=(",", ":"))


def decode_fields(text: str | bytes) -> list[tuple[Field, ...]]:
    """Inverse of :func:`encode_fields`."""
    return [tuple(map(_field, group)) for group in json.loads(text)]


_FINDING_NAMES = tuple(Finding.__dataclass_fields__)
_SPAN_NAMES = tuple(Span.__dataclass_fields__)
_SECONDS_NAMES = tuple(Seconds.__dataclass_fields__)
_NESTED = {"source": (Span, _SPAN_NAMES), "target": (Span, _SPAN_NAMES),
           "seconds": (Seconds, _SECONDS_NAMES)}
_NESTED_AT = tuple((i, *_NESTED[name]) for i, name in enumerate(_FINDING_NAMES)
                   if name in _NESTED)
_NESTED_INDEXES = [i for i, _, _ in _NESTED_AT]
_NESTED_WIDTHS = [len(names) for _, _, names in _NESTED_AT]
_FINDING_STRINGS_AT = tuple(_FINDING_NAMES.index(n) for n in ("case_id", "kind"))
_SPAN_STRINGS_AT = tuple(_SPAN_NAMES.index(n) for n in ("form_id", "doc", "field", "text"))


def encode_findings(findings: Iterable[Finding]) -> str:
    """Findings as compact positional JSON (see :func:`encode_forms`)."""
    out = []
    for finding in findings:
        row: list[Any] = [getattr(finding, name) for name in _FINDING_NAMES]
        for i, _, names in _NESTED_AT:
            row[i] = [getattr(row[i], name) for name in names]
        out.append(row)
    return json.dumps(out, ensure_ascii=False, separators=(",", ":"))


def decode_findings(text: str | bytes) -> list[Finding]:
    """Inverse of :func:`encode_findings`.

    As in :func:`decode_forms`, the strings findings repeat are interned: case,
    kind, the form ids, documents and fields of the spans, and the text of an
    exact copy (alike on both sides).
    """
    findings = []
    for row in json.loads(text):
        for i in _FINDING_STRINGS_AT:
            row[i] = intern(row[i])
        for i, cls, _ in _NESTED_AT:
            if cls is Span:
                for j in _SPAN_STRINGS_AT:
                    row[i][j] = intern(row[i][j])
            row[i] = cls(*row[i])
        findings.append(Finding(*row))
    return findings


def finding_rows(text: str | bytes) -> list[list[Any]]:
    """The rows of :func:`encode_findings` as plain lists, each checked for its shape
    (as :func:`form_rows`)."""
    rows = json.loads(text)
    width = len(_FINDING_NAMES)
    for row in rows:
        if len(row) != width or [len(row[i]) for i in _NESTED_INDEXES] != _NESTED_WIDTHS:
            raise ValueError("a finding row of the wrong shape")
    return rows
