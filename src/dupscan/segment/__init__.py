"""Split a document into fields as a person sees them.

>>> from dupscan.model import Document
>>> doc = Document("C1/visit.txt", "txt",
...                "Home Visit Record\\nChild's name: Ava Jones\\nDate of visit: 3 March 2025\\n"
...                "Observations: The home was warm and tidy.\\nAva showed me her room.")
>>> form = segment(doc)
>>> form.form_type, form.date, form.case_id
('home_visit_record', '2025-03-03', 'C1')
>>> [(f.canonical, f.kind) for f in form.fields]
[('child_name', 'structured'), ('form_date', 'structured'), ('visit_observations', 'narrative')]

Public names: :func:`segment`, :func:`find_recurring`, :func:`load_templates`,
:class:`TemplateIndex`, :func:`load_ontology`, :class:`Ontology`,
:func:`load_classifier`, :func:`canonicalise`.
"""

from __future__ import annotations

import os
from bisect import bisect_right
from dataclasses import replace
from typing import Iterable, Sequence

from dupscan.model import Document, Field, FieldKind, Form
from dupscan.segment._text import count_words, has_sentence_punctuation
from dupscan.segment.boundaries import RawField, find_fields
from dupscan.segment.classifier import LabelClassifier, load_classifier
from dupscan.segment.metadata import (
    author_of, case_id_of, date_of, form_id, form_type_of, parse_date,
)
from dupscan.segment.ontology import Ontology, load_ontology, normalise_label
from dupscan.segment.stock import TemplateIndex, find_recurring, load_templates, subtract

__all__ = [
    "Ontology",
    "TemplateIndex",
    "canonicalise",
    "find_recurring",
    "load_classifier",
    "load_ontology",
    "load_templates",
    "parse_date",
    "segment",
]

#: longest value, in words, that reads as a structured entry when its type is unknown
STRUCTURED_MAX_WORDS = 12

Templates = str | os.PathLike[str] | TemplateIndex | Iterable[Document | Form] | None


def canonicalise(label: str, *, ontology: Ontology | None = None,
                 classifier: LabelClassifier | None = None) -> tuple[str | None, float]:
    """Map a label as written to a canonical field type.

    Exact lookup of the normalised wording in the ontology first (confidence
    1.0); otherwise the label classifier, which abstains (``None``) below its
    calibrated threshold.

    Examples
    --------
    >>> canonicalise("D.O.B:")
    ('dob', 1.0)
    >>> canonicalise("Lorem zzz")[0] is None
    True
    """
    onto = ontology or load_ontology()
    found = onto.lookup(label)
    if found is not None:
        return found, 1.0
    if not normalise_label(label):
        return None, 0.0
    clf = classifier if classifier is not None else load_classifier()
    prediction = clf.predict(label)
    if prediction.canonical is not None and prediction.canonical not in onto.fields:
        return None, prediction.confidence
    return prediction.canonical, prediction.confidence


def _canonical(label: str, onto: Ontology) -> tuple[str | None, float]:
    memo = onto._memo  # labels repeat across thousands of forms: answer each once
    found = memo.get(label)
    if found is None:
        if len(memo) > 50_000:
            memo.clear()
        found = memo[label] = canonicalise(label, ontology=onto)
    return found


def _kind(text: str, canonical: str | None, onto: Ontology) -> FieldKind:
    if onto.kind(canonical) == "structured":
        return "structured"
    if count_words(text) <= STRUCTURED_MAX_WORDS and not has_sentence_punctuation(text) \
            and "\n" not in text.strip():
        return "structured"
    return "narrative"


def _index(templates: Templates) -> TemplateIndex | None:
    if templates is None:
        return None
    if isinstance(templates, TemplateIndex):
        return templates
    if isinstance(templates, (str, os.PathLike)):
        return load_templates(templates)
    return TemplateIndex.from_documents(templates)


def _to_fields(raw: Sequence[RawField], text: str, onto: Ontology) -> list[Field]:
    fields = []
    for item in raw:
        canonical, confidence = _canonical(item.label, onto)
        value = text[item.start:item.end]
        fields.append(Field(item.label, canonical, value, item.start, item.end,
                            _kind(value, canonical, onto), round(confidence, 4)))
    return fields


def _within(fields: Sequence[Field], spans: set[tuple[int, int]]) -> list[Field]:
    """Fields lying inside one of ``spans`` (template subtraction only shrinks a field)."""
    ordered = sorted(spans)
    starts = [s for s, _ in ordered]
    out = []
    for item in fields:
        i = bisect_right(starts, item.start) - 1
        if i >= 0 and ordered[i][1] >= item.end:
            out.append(item)
    return out


def segment(doc: Document, *, templates: Templates = None, ontology: Ontology | None = None) -> Form:
    """Split ``doc`` into fields and read its form type, case, date and author.

    Parameters
    ----------
    doc : Document
        A document from :func:`dupscan.ingest` (or built by hand: a Document
        without blocks is read line by line).
    templates : folder path, TemplateIndex or iterable of Document/Form, optional
        Blank templates whose prompts and guidance are removed from field values.
    ontology : Ontology, optional
        Field and form types; the shipped ontology by default.

    Returns
    -------
    Form
        ``fields`` in document order; ``doc.text[f.start:f.end] == f.text`` for each.
        ``case_id``/``date``/``form_type``/``author`` are "" when unknown.
    """
    onto = ontology or load_ontology()
    text = doc.text

    def known(label: str) -> bool:
        return _canonical(label, onto)[0] is not None

    def is_title(line: str) -> bool:
        return onto.form_type(line) is not None

    layout = find_fields(doc, known=known, exact=lambda label: onto.lookup(label) is not None,
                         is_title=is_title)
    fields = _to_fields(layout.fields, text, onto)
    # a column of an action or event table ("Lead", "Date") does not describe the form itself
    header_spans = {(f.start, f.end) for f in layout.fields if f.how != "table_column"}
    index = _index(templates)
    if index:
        fields = subtract(text, fields, index)
        for i, item in enumerate(fields):
            kind = _kind(item.text, item.canonical, onto)
            if kind != item.kind:  # re-read only when subtraction changed the value
                fields[i] = replace(item, kind=kind)
    meta = doc.metadata or {}
    heads = _within(fields, header_spans)
    words = sum(count_words(f.text) - sum(count_words(text[s:e]) for s, e in f.stock)
                for f in fields)
    return Form(
        form_id=form_id(doc.path, text),
        doc=doc.path,
        case_id=case_id_of(heads, doc.path, meta),
        form_type=form_type_of(layout.titles, doc.path, onto, meta),
        date=date_of(heads, meta),
        fields=tuple(fields),
        author=author_of(heads, meta),
        words=words,
    )
