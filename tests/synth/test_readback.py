"""Every field value and every truth text is what a reader of the file sees."""

from __future__ import annotations

from pathlib import Path

import pytest

from .conftest import load_jsonl
from .readers import norm, reader_text


@pytest.fixture(scope="module")
def seen(small_corpus: Path):  # type: ignore[no-untyped-def]
    cache: dict[str, str] = {}

    def get(doc: str) -> str:
        if doc not in cache:
            cache[doc] = norm(reader_text(small_corpus, doc))
        return cache[doc]

    return get


def test_every_field_text_is_visible(small_corpus: Path, seen) -> None:  # type: ignore[no-untyped-def]
    missing = []
    for row in load_jsonl(small_corpus / "fields.jsonl"):
        text = seen(row["doc"])
        for f in row["fields"]:
            if norm(f["text"]) not in text or norm(f["label"]) not in text:
                missing.append((row["doc"], f["label"]))
    assert missing == []


def test_every_truth_text_is_visible(small_corpus: Path, seen) -> None:  # type: ignore[no-untyped-def]
    items = load_jsonl(small_corpus / "truth.jsonl")
    assert items
    missing = [(t["kind"], side, t[side]["doc"]) for t in items for side in ("source", "target")
               if norm(t[side]["text"]) not in seen(t[side]["doc"])]
    assert missing == []


def test_truth_text_lies_inside_the_named_field(small_corpus: Path) -> None:
    fields = {row["doc"]: {f["label"]: f["text"] for f in row["fields"]}
              for row in load_jsonl(small_corpus / "fields.jsonl")}
    for t in load_jsonl(small_corpus / "truth.jsonl"):
        for side in ("source", "target"):
            ref = t[side]
            assert norm(ref["text"]) in norm(fields[ref["doc"]][ref["field"]]), (t["kind"], side, ref["doc"])


def test_guidance_is_not_part_of_field_values(small_corpus: Path) -> None:
    prompts = set()
    for template in (small_corpus / "templates").glob("*.md"):
        prompts |= {line[2:] for line in template.read_text(encoding="utf-8").splitlines() if line.startswith("> ")}
    assert len(prompts) > 40
    for row in load_jsonl(small_corpus / "fields.jsonl"):
        for f in row["fields"]:
            assert not any(p in f["text"] for p in prompts), (row["doc"], f["label"])


def test_every_format_is_read_back(small_corpus: Path) -> None:
    suffixes = {row["doc"].partition("#")[0].rsplit(".", 1)[-1] for row in load_jsonl(small_corpus / "fields.jsonl")}
    assert suffixes == {"txt", "md", "docx", "pdf", "html", "csv"}


def _fields_by_doc(root: Path) -> dict[str, list[dict]]:
    return {row["doc"]: row["fields"] for row in load_jsonl(root / "fields.jsonl")}


def test_acroform_fields_carry_label_tooltip_and_value(small_corpus: Path) -> None:
    from pypdf import PdfReader

    fields = _fields_by_doc(small_corpus)
    checked = 0
    for doc, expected in fields.items():
        if not doc.endswith(".pdf"):
            continue
        form = PdfReader(str(small_corpus / doc)).get_fields() or {}
        if not form:
            continue
        by_label = {str(f.get("/TU")): f for f in form.values()}
        assert len(form) == len(expected)
        for f in expected:
            got = by_label[f["label"]]
            assert norm(str(got.get("/V"))) == norm(f["text"])
            multiline = int(got.get("/Ff", 0)) & (1 << 12)
            assert bool(multiline) == (f["kind"] == "narrative")
        checked += 1
    assert checked >= 2


def test_docx_layouts_put_labels_in_headings_or_table_cells(small_corpus: Path) -> None:
    import docx

    fields = _fields_by_doc(small_corpus)
    kinds = set()
    for doc, expected in fields.items():
        if not doc.endswith(".docx"):
            continue
        d = docx.Document(str(small_corpus / doc))
        narrative = [f for f in expected if f["kind"] == "narrative"]
        headings = [p.text for p in d.paragraphs if p.style.name.startswith("Heading")]
        if d.tables:
            kinds.add("table")
            cells = {row.cells[0].paragraphs[0].text: row.cells[1].text for t in d.tables for row in t.rows}
            for f in expected:
                assert norm(cells[f["label"]]) == norm(f["text"])
        else:
            kinds.add("headings")
            assert all(f["label"] in headings for f in narrative)
    assert kinds == {"table", "headings"}


def test_html_escapes_and_lists_details(small_corpus: Path) -> None:
    fields = _fields_by_doc(small_corpus)
    apostrophes = 0
    for doc, expected in fields.items():
        if doc.endswith(".html"):
            raw = (small_corpus / doc).read_text(encoding="utf-8")
            assert ("<dl" in raw) or ("<table" in raw)
            body = raw.split("<body>")[1]
            assert "'" not in body  # every record text is escaped
            apostrophes += body.count("&#x27;")
    assert apostrophes > 0
