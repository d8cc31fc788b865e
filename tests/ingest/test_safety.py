"""Bad input never escapes as anything but IngestError, with a one-line reason."""

from __future__ import annotations

import io
import os
import zipfile

import pytest
from conftest import spans

from dupscan.config import Limits
from dupscan.errors import ConfigError, IngestError, UnsafePathError
from dupscan.ingest import SUPPORTED_SUFFIXES, detect_format, ingest


def test_supported_suffixes():
    assert {".txt", ".md", ".docx", ".pdf", ".html", ".htm", ".csv", ".jsonl"} <= SUPPORTED_SUFFIXES


def test_unknown_extension(tmp_path):
    path = tmp_path / "notes.xyz"
    path.write_text("hello", encoding="utf-8")
    with pytest.raises(IngestError, match="unsupported format"):
        ingest(path, root=tmp_path)


def test_empty_file(tmp_path):
    path = tmp_path / "empty.docx"
    path.write_bytes(b"")
    with pytest.raises(IngestError, match="empty file"):
        ingest(path, root=tmp_path)


def test_oversized_file_checked_before_reading(tmp_path):
    path = tmp_path / "big.txt"
    path.write_text("x" * 2000, encoding="utf-8")
    with pytest.raises(IngestError, match="file too large"):
        ingest(path, root=tmp_path, limits=Limits(max_file_bytes=1000))


def test_text_length_limit(tmp_path):
    path = tmp_path / "long.txt"
    path.write_text("word " * 400, encoding="utf-8")
    with pytest.raises(IngestError, match="extracted text too long"):
        ingest(path, root=tmp_path, limits=Limits(max_text_chars=1000))


def _zip_bomb_docx(make_docx, big: int) -> bytes:
    path = make_docx(lambda d: d.add_paragraph("hello"))
    buffer = io.BytesIO()
    with zipfile.ZipFile(path) as src, zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            dst.writestr(info.filename, src.read(info))
        dst.writestr("word/media/padding.bin", b"\0" * big)
    return buffer.getvalue()


def test_zip_bomb_ratio(make_docx, tmp_path):
    path = tmp_path / "bomb.docx"
    path.write_bytes(_zip_bomb_docx(make_docx, 8 * 1024 * 1024))
    assert path.stat().st_size < 100_000
    with pytest.raises(IngestError, match=r"zip bomb guard: member word/media/padding\.bin"):
        ingest(path, root=tmp_path)


def test_zip_bomb_total_size(make_docx, tmp_path):
    path = tmp_path / "bomb.docx"
    path.write_bytes(_zip_bomb_docx(make_docx, 2 * 1024 * 1024))
    with pytest.raises(IngestError, match="unpacked size"):
        ingest(path, root=tmp_path, limits=Limits(max_unpacked_bytes=1024 * 1024,
                                                  max_compression_ratio=1e9))


def test_pdf_named_docx_is_read_as_pdf(tmp_path):
    from reportlab.pdfgen import canvas

    path = tmp_path / "really_a_pdf.docx"
    c = canvas.Canvas(str(path))
    c.drawString(72, 720, "Strategy discussion")
    c.save()
    assert detect_format(path) == "pdf"
    doc, = ingest(path, root=tmp_path)
    assert doc.format == "pdf"
    assert spans(doc, "line") == ["Strategy discussion"]
    assert doc.metadata["format_mismatch"] == "named .docx but the content is pdf"


def test_docx_named_txt_is_read_as_docx(make_docx, tmp_path):
    source = make_docx(lambda d: d.add_paragraph("Core group minutes"))
    path = tmp_path / "minutes.txt"
    path.write_bytes(source.read_bytes())
    doc, = ingest(path, root=tmp_path)
    assert doc.format == "docx"
    assert spans(doc, "paragraph") == ["Core group minutes"]
    assert "format_mismatch" in doc.metadata


@pytest.mark.parametrize("name, payload, reason", [
    ("a.txt", b"PK\x03\x04" + b"\0" * 50, "corrupt or truncated zip archive"),
    ("a.docx", b"just some text", "not a valid DOCX"),
    ("a.pdf", b"hello world", "not a valid PDF"),
    ("a.docx", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100, "OLE2"),
    ("a.txt", b"\x89PNG\r\n\x1a\n" + b"\0" * 100, "PNG image"),
])
def test_wrong_or_corrupt_content(tmp_path, name, payload, reason):
    path = tmp_path / name
    path.write_bytes(payload)
    with pytest.raises(IngestError, match=reason):
        ingest(path, root=tmp_path)


def test_xlsx_is_not_a_docx(tmp_path):
    path = tmp_path / "sheet.docx"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("xl/workbook.xml", "<workbook/>")
    with pytest.raises(IngestError, match="XLSX"):
        ingest(path, root=tmp_path)


def test_html_named_docx_is_read_as_html(tmp_path):
    path = tmp_path / "web.docx"
    path.write_text("<!DOCTYPE html><html><body><h2>Plan</h2></body></html>", encoding="utf-8")
    doc, = ingest(path, root=tmp_path)
    assert doc.format == "html"
    assert spans(doc, "heading") == ["Plan"]


def test_outside_root(tmp_path):
    root = tmp_path / "root"
    root.mkdir()
    outside = tmp_path / "secret.txt"
    outside.write_text("secret", encoding="utf-8")
    with pytest.raises(UnsafePathError, match="outside the scan root"):
        ingest(root / ".." / "secret.txt", root=root)
    link = root / "link.txt"
    link.symlink_to(outside)
    with pytest.raises(UnsafePathError, match="symlink"):
        ingest(link, root=root)


def test_symlink_inside_root_keeps_its_own_name(tmp_path):
    (tmp_path / "real.txt").write_text("Text", encoding="utf-8")
    (tmp_path / "alias.txt").symlink_to(tmp_path / "real.txt")
    doc, = ingest(tmp_path / "alias.txt", root=tmp_path)
    assert doc.path == "alias.txt"


def test_not_found_directory_and_fifo(tmp_path):
    with pytest.raises(IngestError, match="file not found"):
        ingest(tmp_path / "missing.txt", root=tmp_path)
    (tmp_path / "dir.txt").mkdir()
    with pytest.raises(IngestError, match="is a directory"):
        ingest(tmp_path / "dir.txt", root=tmp_path)
    fifo = tmp_path / "pipe.txt"
    os.mkfifo(fifo)
    with pytest.raises(IngestError, match="not a regular file"):
        ingest(fifo, root=tmp_path)


def test_error_is_one_line_naming_the_file(tmp_path):
    path = tmp_path / "sub" / "bad.pdf"
    path.parent.mkdir()
    path.write_bytes(b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog /Pages 9 0 R >>\nendobj\n" * 3
                     + b"trailer << /Root 1 0 R >>\n%%EOF\n")
    with pytest.raises(IngestError) as info:
        ingest(path, root=tmp_path)
    message = str(info.value)
    assert message.startswith("sub/bad.pdf: ") and "\n" not in message
    assert info.value.path == "sub/bad.pdf"


def test_forced_format_and_bad_format(tmp_path):
    path = tmp_path / "notes.log"
    path.write_text("# Title\nbody", encoding="utf-8")
    doc, = ingest(path, root=tmp_path, fmt="md")
    assert spans(doc, "heading") == ["# Title"]
    with pytest.raises(ConfigError):
        ingest(path, root=tmp_path, fmt="rtf")
