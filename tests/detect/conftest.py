from __future__ import annotations

import pytest

from dupscan.model import Field, Form


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
