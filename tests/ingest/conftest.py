"""Fixtures for the ingest tests: files are built in tmp_path, never committed."""

from __future__ import annotations

from pathlib import Path

import pytest

from dupscan.model import Document


def spans(doc: Document, kind: str | None = None) -> list[str]:
    """Texts of the blocks of ``doc`` (of one kind), checking every offset."""
    out = []
    for block in doc.blocks:
        assert 0 <= block.start <= block.end <= len(doc.text), block
        if kind is None or block.kind == kind:
            out.append(doc.text[block.start:block.end])
    return out


@pytest.fixture
def make_docx(tmp_path: Path):
    """Return a function that saves a python-docx Document built by a callback."""
    import docx

    def make(build, name: str = "form.docx") -> Path:
        document = docx.Document()
        build(document)
        path = tmp_path / name
        document.save(path)
        return path

    return make
