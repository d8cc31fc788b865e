"""Helpers to build Documents by hand, as dupscan.ingest would."""

from __future__ import annotations

import pytest

from dupscan.model import Block, Document


class DocBuilder:
    """Append text and record blocks over it (offsets always right)."""

    def __init__(self) -> None:
        self.text = ""
        self.blocks: list[Block] = []

    def add(self, kind: str, text: str, **attrs) -> "DocBuilder":
        start = len(self.text)
        self.text += text
        self.blocks.append(Block(kind, start, start + len(text), **attrs))  # type: ignore[arg-type]
        self.text += "\n"
        return self

    def doc(self, path: str = "C1/form.docx", fmt: str = "docx") -> Document:
        return Document(path, fmt, self.text, tuple(self.blocks))


@pytest.fixture
def builder() -> DocBuilder:
    return DocBuilder()


def _check_offsets(form, doc) -> None:
    for field in form.fields:
        assert doc.text[field.start:field.end] == field.text
        assert field.text == field.text.strip()
        for s, e in field.stock:
            assert field.start <= s < e <= field.end


@pytest.fixture
def check_offsets():
    """``check_offsets(form, doc)``: every field and stock span indexes doc.text exactly."""
    return _check_offsets
