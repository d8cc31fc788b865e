"""Offsets are exact: every Field of segment(ingest(file)) and every Finding of detect
over such forms satisfies ``text == document_text[start:end]``."""

from __future__ import annotations

import tempfile
from dataclasses import replace
from pathlib import Path

from hypothesis import event, given
from hypothesis import strategies as st

from prop_support import FORMAT_SUFFIX, bounded, form_fields, write_form

from dupscan.detect import detect
from dupscan.ingest import ingest
from dupscan.segment import segment

FORMATS = st.sampled_from(sorted(FORMAT_SUFFIX))


def _read(folder: Path, name: str, fmt: str, fields):
    path = write_form(folder / f"{name}{FORMAT_SUFFIX[fmt]}", fmt, fields)
    docs = ingest(path, root=folder)
    assert docs
    return docs


def _check_document(doc, form) -> None:
    for block in doc.blocks:
        assert 0 <= block.start <= block.end <= len(doc.text), block
    for field in form.fields:
        assert 0 <= field.start <= field.end <= len(doc.text), field
        assert doc.text[field.start:field.end] == field.text, field
        for start, end in field.stock:
            assert field.start <= start <= end <= field.end, (field, start, end)


@bounded(40)
@given(fmt=FORMATS, fields=form_fields())
def test_every_field_indexes_its_document_text(fmt, fields) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        for doc in _read(Path(tmp), "form", fmt, fields):
            _check_document(doc, segment(doc))


@st.composite
def two_forms(draw):
    first = draw(form_fields())
    pool = [value for _, value in first]
    second = draw(form_fields(pool=pool))
    return draw(FORMATS), first, draw(FORMATS), second


@bounded(30)
@given(data=two_forms())
def test_every_finding_indexes_its_document_text(data) -> None:
    fmt_a, fields_a, fmt_b, fields_b = data
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        docs = _read(folder, "01_referral", fmt_a, fields_a) + \
            _read(folder, "02_assessment", fmt_b, fields_b)
        texts = {doc.path: doc.text for doc in docs}
        forms = []
        for order, doc in enumerate(docs):
            form = segment(doc)
            _check_document(doc, form)
            # one case, dated in file order, as the pipeline would place them
            forms.append(replace(form, case_id="C1", order=order,
                                 date=f"2025-01-{order + 1:02d}"))
        found = detect(forms)
        event(f"findings: {min(len(found), 3)}+" if found else "no findings")
        for finding in found:
            for span in (finding.source, finding.target):
                assert span.doc in texts, span
                assert texts[span.doc][span.start:span.end] == span.text, (finding.kind, span)
            assert finding.source.doc != finding.target.doc or \
                finding.source.end <= finding.target.start or \
                finding.target.end <= finding.source.start
