"""CSV/JSONL exports: one Document per row, "Column: value" lines, value blocks."""

from __future__ import annotations

import json

import pytest
from conftest import spans

from dupscan.errors import ConfigError, IngestError
from dupscan.ingest import ExportOptions, ingest


def test_csv_rows_become_documents(tmp_path):
    path = tmp_path / "export" / "visits.csv"
    path.parent.mkdir()
    path.write_text('Case ID,Visit Date,Form Type,Worker,Notes\n'
                    'C1,2024-01-05,visit,J Smith,"Mum home.\nAva fine."\n'
                    '\n'
                    'C2,2024-02-01,assessment,K Lee,\n', encoding="utf-8")
    docs = ingest(path, root=tmp_path)
    assert [d.path for d in docs] == ["export/visits.csv#1", "export/visits.csv#2"]
    first = docs[0]
    assert first.format == "csv"
    assert first.text == ("Case ID: C1\nVisit Date: 2024-01-05\nForm Type: visit\n"
                          "Worker: J Smith\nNotes: Mum home.\nAva fine.\n")
    assert [(b.name, first.text[b.start:b.end]) for b in first.blocks] == [
        ("Case ID", "C1"), ("Visit Date", "2024-01-05"), ("Form Type", "visit"),
        ("Worker", "J Smith"), ("Notes", "Mum home.\nAva fine.")]
    meta = first.metadata
    assert (meta["row"], meta["case_id"], meta["date"], meta["form_type"], meta["author"]) == (
        "1", "C1", "2024-01-05", "visit", "J Smith")
    assert meta["Notes"] == "Mum home.\nAva fine."
    second = docs[1]
    assert second.metadata["row"] == "2"
    assert second.text.endswith("Notes:\n")
    assert spans(second)[-1] == ""


def test_semicolon_delimiter_and_explicit_columns(tmp_path):
    path = tmp_path / "x.csv"
    path.write_text("child;when;text\nA1;2024-03-01;Seen at school\n", encoding="utf-8")
    doc, = ingest(path, root=tmp_path,
                  export=ExportOptions(case_id_column="child", date_column="when"))
    assert doc.metadata["case_id"] == "A1"
    assert doc.metadata["date"] == "2024-03-01"
    assert spans(doc) == ["A1", "2024-03-01", "Seen at school"]


def test_unknown_column_is_a_clear_error(tmp_path):
    path = tmp_path / "x.csv"
    path.write_text("a,b\n1,2\n", encoding="utf-8")
    with pytest.raises(IngestError, match="case_id_column 'nope'"):
        ingest(path, root=tmp_path, export=ExportOptions(case_id_column="nope"))
    with pytest.raises(ConfigError):
        ExportOptions(delimiter=";;")


def test_tsv_cp1252(tmp_path):
    path = tmp_path / "x.tsv"
    path.write_bytes("Child ID\tNotes\nB7\tPaid £20 – “late”\n".encode("cp1252"))
    doc, = ingest(path, root=tmp_path)
    assert doc.metadata["case_id"] == "B7"
    assert spans(doc) == ["B7", "Paid £20 – “late”"]


def test_header_only_csv(tmp_path):
    path = tmp_path / "x.csv"
    path.write_text("a,b\n", encoding="utf-8")
    with pytest.raises(IngestError, match="no data rows"):
        ingest(path, root=tmp_path)


def test_jsonl(tmp_path):
    path = tmp_path / "forms.jsonl"
    rows = [{"case_id": "C1", "date": "2024-01-01", "summary": "Mum called.", "score": 3},
            {"case_id": "C2", "summary": "Visit done.", "flag": True, "tags": ["a"]}]
    path.write_text("\n".join(json.dumps(r) for r in rows) + "\n\n", encoding="utf-8")
    docs = ingest(path, root=tmp_path)
    assert [d.path for d in docs] == ["forms.jsonl#1", "forms.jsonl#2"]
    assert docs[0].text == "case_id: C1\ndate: 2024-01-01\nsummary: Mum called.\nscore: 3\n"
    assert docs[1].metadata["case_id"] == "C2"
    assert spans(docs[1]) == ["C2", "Visit done.", "true", '["a"]']


def test_jsonl_bad_line(tmp_path):
    path = tmp_path / "bad.jsonl"
    path.write_text('{"a": "1"}\n[1, 2]\n', encoding="utf-8")
    with pytest.raises(IngestError, match="line 2 is not a JSON object"):
        ingest(path, root=tmp_path)
    path.write_text('{"a": "1"}\n{"a": \n', encoding="utf-8")
    with pytest.raises(IngestError, match="line 2 is not valid JSON"):
        ingest(path, root=tmp_path)


def test_long_narrative_cell(tmp_path):
    path = tmp_path / "long.csv"
    narrative = "Ava was seen at home. " * 20_000  # larger than the csv module's default field cap
    path.write_text(f'id,notes\n1,"{narrative}"\n', encoding="utf-8")
    doc, = ingest(path, root=tmp_path)
    assert spans(doc)[-1] == narrative.strip()


def test_excel_utf8_bom_header(tmp_path):
    path = tmp_path / "excel.csv"
    path.write_bytes("Child ID,Date,Notes\r\nX9,01/02/2024,Seen – well\r\n".encode("utf-8-sig"))
    doc, = ingest(path, root=tmp_path)
    assert doc.metadata["case_id"] == "X9"
    assert doc.metadata["date"] == "01/02/2024"
    assert doc.text.startswith("Child ID: X9\n")
