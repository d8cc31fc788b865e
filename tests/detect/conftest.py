from __future__ import annotations

from pathlib import Path

import pytest

from dupscan.ingest import ingest
from dupscan.model import Field, Form
from dupscan.segment import segment

CORPUS = Path(__file__).resolve().parents[2] / "corpora" / "synthetic"


def corpus_forms(case: str) -> list[Form]:
    """The forms of one case of the bundled corpus, read from its text files."""
    forms = []
    for path in sorted((CORPUS / case).iterdir()):
        if path.suffix in (".txt", ".md"):
            forms.extend(segment(doc) for doc in ingest(path))
    return forms


def make_form(form_id: str, date: str, *fields: tuple[str, str], order: int = 0,
              case_id: str = "C1", form_type: str = "note", prefix: str = "Header line\n",
              structured: tuple[tuple[str, str, str], ...] = ()) -> tuple[Form, str]:
    """Build a Form and its document text; fields are (label, text) narrative pairs."""
    text = prefix
    out = []
    for label, value in fields:
        text += f"{label}: "
        out.append(Field(label, None, value, len(text), len(text) + len(value), "narrative"))
        text += value + "\n\n"
    for label, canonical, value in structured:
        text += f"{label}: "
        out.append(Field(label, canonical, value, len(text), len(text) + len(value), "structured"))
        text += value + "\n"
    form = Form(form_id, f"{form_id}.txt", case_id, form_type, date, tuple(out), order=order)
    return form, text


@pytest.fixture
def form_factory():
    return make_form
