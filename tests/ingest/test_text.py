"""Plain text and Markdown: encodings, newlines, line and heading blocks."""

from __future__ import annotations

import random

import pytest
from conftest import spans

from dupscan.errors import IngestError
from dupscan.ingest import ingest

SAMPLE = "Mum said “she’s fine” and paid £20.\nSchool café visit — late again.\n"


def test_txt_lines_and_offsets(tmp_path):
    path = tmp_path / "C1" / "note.txt"
    path.parent.mkdir()
    path.write_bytes(b"First line\r\n\r\n  Second line  \rThird\n")
    doc, = ingest(path, root=tmp_path)
    assert doc.path == "C1/note.txt"
    assert doc.format == "txt"
    assert doc.text == "First line\n\n  Second line  \nThird\n"
    assert spans(doc) == ["First line", "  Second line  ", "Third"]
    assert {b.kind for b in doc.blocks} == {"line"}


def test_path_without_root_is_as_given(tmp_path):
    path = tmp_path / "a.txt"
    path.write_text("x", encoding="utf-8")
    doc, = ingest(str(path))
    assert doc.path == path.as_posix()


def test_markdown_headings(tmp_path):
    path = tmp_path / "plan.md"
    path.write_text("# Plan\n\n## Goals\nKeep Ava safe.\n#hashtag\n####### seven\n"
                    "```\n# not a heading\n```\n### Review ###\n", encoding="utf-8")
    doc, = ingest(path, root=tmp_path)
    heads = [(doc.text[b.start:b.end], b.level) for b in doc.blocks if b.kind == "heading"]
    assert heads == [("# Plan", 1), ("## Goals", 2), ("### Review ###", 3)]
    assert "# not a heading" in spans(doc, "line")
    assert "#hashtag" in spans(doc, "line")
    assert "####### seven" in spans(doc, "line")


@pytest.mark.parametrize("encoding, prefix", [
    ("utf-8", b""),
    ("utf-8-sig", b""),
    ("utf-16", b""),  # Python writes a BOM, native order
    ("utf-16-le", b"\xff\xfe"),
    ("utf-16-be", b"\xfe\xff"),
    ("cp1252", b""),
])
def test_encodings(tmp_path, encoding, prefix):
    path = tmp_path / "enc.txt"
    path.write_bytes(prefix + SAMPLE.encode(encoding))
    doc, = ingest(path, root=tmp_path)
    assert doc.text == SAMPLE
    assert spans(doc) == SAMPLE.splitlines()


def test_cp1252_short_text_with_pound_is_not_misread(tmp_path):
    path = tmp_path / "short.txt"
    path.write_bytes("Cost £5 “quoted” – it’s fine".encode("cp1252"))
    doc, = ingest(path, root=tmp_path)
    assert doc.text == "Cost £5 “quoted” – it’s fine"
    assert doc.metadata["encoding"] == "cp1252"


def test_utf16_without_bom(tmp_path):
    path = tmp_path / "nobom.txt"
    path.write_bytes("Case note\nAll well.\n".encode("utf-16-le"))
    doc, = ingest(path, root=tmp_path)
    assert doc.text == "Case note\nAll well.\n"


@pytest.mark.parametrize("payload", [
    bytes(range(256)) * 8,
    b"\x00\x01\x02\x03" * 500,
    random.Random(7).randbytes(4096),
])
def test_binary_junk_with_text_extension_is_refused(tmp_path, payload):
    path = tmp_path / "junk.txt"
    path.write_bytes(payload)
    with pytest.raises(IngestError, match="binary content, not text"):
        ingest(path, root=tmp_path)


def test_a_few_control_characters_are_tolerated(tmp_path):
    path = tmp_path / "form.txt"
    path.write_bytes(b"Name: Ava\x0c\nPage 2 text with a stray \x07 bell" + b" words" * 40)
    doc, = ingest(path, root=tmp_path)
    assert doc.text.startswith("Name: Ava\x0c\n")


def test_utf8_with_a_stray_byte_stays_utf8(tmp_path):
    path = tmp_path / "mixed.txt"
    body = "Mum said “she’s fine” – café visit. " * 5
    path.write_bytes(body.encode("utf-8") + b" paid \xa35\n")
    doc, = ingest(path, root=tmp_path)
    assert doc.text.startswith(body)
    assert doc.metadata["encoding"] == "utf-8"
