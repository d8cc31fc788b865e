"""Independent readers for the synthetic corpus (test side only).

They use third-party libraries directly (python-docx, pypdf, html.parser, csv)
and share nothing with dupscan.ingest, so a passing check means a reader of the
file really sees the planted text.
"""

from __future__ import annotations

import csv
import io
from html.parser import HTMLParser
from pathlib import Path


def norm(text: str) -> str:
    """Collapse runs of whitespace."""
    return " ".join(text.split())


class _HTMLText(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []

    def handle_data(self, data: str) -> None:
        self.parts.append(data)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.parts.append(" ")


def read_docx(path: Path) -> str:
    import docx

    d = docx.Document(str(path))
    parts = [p.text for p in d.paragraphs]
    for table in d.tables:
        for row in table.rows:
            for cell in row.cells:
                parts.append(cell.text)
    return "\n".join(parts)


def read_pdf(path: Path) -> str:
    from pypdf import PdfReader

    reader = PdfReader(str(path))
    parts = [page.extract_text() or "" for page in reader.pages]
    fields = reader.get_fields() or {}
    for name in sorted(fields):
        value = fields[name].get("/V")
        if value is not None:
            parts.append(str(value))
    return "\n".join(parts)


def read_html(path: Path) -> str:
    parser = _HTMLText()
    parser.feed(path.read_text(encoding="utf-8"))
    return "".join(parser.parts)


def read_csv_row(path: Path, row: int) -> str:
    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    data = rows[row - 1]
    return "\n".join(f"{k}: {v}" for k, v in data.items())


def reader_text(root: Path, doc: str) -> str:
    """What a reader of ``doc`` (a manifest path, maybe ``file#row``) sees."""
    rel, _, row = doc.partition("#")
    path = root / rel
    suffix = path.suffix.lower()
    if row:
        return read_csv_row(path, int(row))
    if suffix == ".docx":
        return read_docx(path)
    if suffix == ".pdf":
        return read_pdf(path)
    if suffix == ".html":
        return read_html(path)
    return io.open(path, encoding="utf-8").read()
