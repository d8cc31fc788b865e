"""HTML: headings, paragraphs, lists, tables, definition lists, form inputs with labels."""

from __future__ import annotations

import pytest
from conftest import spans

from dupscan.config import Limits
from dupscan.errors import IngestError
from dupscan.ingest import ingest

PAGE = """<!DOCTYPE html>
<html><head><title>Visit note</title><meta name="author" content="J Worker">
<style>p { color: red }</style><script>var secret = "not text";</script></head>
<body>
<h1>Home visit</h1>
<p>Mum   was <b>at home</b>
and calm.<br>Ava was at school.</p>
<div>Loose text <span>inline</span><p>Nested paragraph</p>tail text</div>
<ul><li>First point</li><li>Second point</li></ul>
<table>
  <tr><th>Name</th><td colspan="2">Ava Smith</td></tr>
  <tr><td rowspan="2">Span</td><td>b1</td><td>c1</td></tr>
  <tr><td>b2</td><td><table><tr><td>inner</td></tr></table>after</td></tr>
</table>
<dl><dt>Date of birth</dt><dd>01/02/2015</dd><dt>School</dt><dd>St Mary's</dd></dl>
<form>
  <label for="cn">Child name:</label> <input id="cn" name="child" value="Ava Smith">
  <label>Worries <textarea name="w">Late to school.
Missed meals.</textarea></label>
  <label for="g">Gender</label><select id="g"><option>Please select</option>
  <option selected>Girl</option></select>
  <input type="hidden" name="token" value="secret-token">
  <input type="text" name="blank" value="">
  <input type="checkbox" name="consent" checked>
  <input type="checkbox" name="unticked">
</form>
<p hidden>Hidden text</p>
</body></html>"""


@pytest.fixture
def page_doc(tmp_path):
    path = tmp_path / "visit.html"
    path.write_text(PAGE, encoding="utf-8")
    doc, = ingest(path, root=tmp_path)
    return doc


def test_html_blocks(page_doc):
    doc = page_doc
    assert [(doc.text[b.start:b.end], b.level) for b in doc.blocks if b.kind == "heading"] == [
        ("Home visit", 1)]
    assert spans(doc, "paragraph")[:4] == [
        "Mum was at home and calm.\nAva was at school.", "Loose text inline",
        "Nested paragraph", "tail text"]
    assert spans(doc, "list_item") == ["First point", "Second point"]
    for hidden in ("secret", "color", "Hidden text", "Please select"):
        assert hidden not in doc.text
    assert doc.metadata["title"] == "Visit note"
    assert doc.metadata["author"] == "J Worker"


def test_html_tables_and_definition_lists(page_doc):
    doc = page_doc
    cells = [(b.table, b.row, b.col, doc.text[b.start:b.end]) for b in doc.blocks
             if b.kind == "cell"]
    assert cells == [
        (0, 0, 0, "Name"), (0, 0, 1, "Ava Smith"),
        (0, 1, 0, "Span"), (0, 1, 1, "b1"), (0, 1, 2, "c1"),
        (0, 2, 1, "b2"), (0, 2, 2, "inner\nafter"), (1, 0, 0, "inner"),
        (2, 0, 0, "Date of birth"), (2, 0, 1, "01/02/2015"),
        (2, 1, 0, "School"), (2, 1, 1, "St Mary's"),
    ]


def test_html_form_fields_named_by_label(page_doc):
    doc = page_doc
    fields = [(b.name, doc.text[b.start:b.end]) for b in doc.blocks if b.kind == "form_field"]
    assert fields == [("Child name", "Ava Smith"), ("Worries", "Late to school.\nMissed meals."),
                      ("Gender", "Girl"), ("consent", "Yes")]


def test_billion_laughs_refused(tmp_path):
    path = tmp_path / "lol.html"
    path.write_text('<?xml version="1.0"?><!DOCTYPE html [<!ENTITY a "aaaaaaaaaa">'
                    '<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]><html><body><p>&b;</p>'
                    '</body></html>', encoding="utf-8")
    with pytest.raises(IngestError, match="entity declaration refused"):
        ingest(path, root=tmp_path)


def test_too_deep_nesting_refused(tmp_path):
    path = tmp_path / "deep.html"
    path.write_text("<html><body>" + "<div>" * 80 + "x" + "</div>" * 80 + "</body></html>",
                    encoding="utf-8")
    with pytest.raises(IngestError, match="nested deeper than 50"):
        ingest(path, root=tmp_path, limits=Limits(max_nesting=50))
    doc, = ingest(path, root=tmp_path)
    assert doc.text == "x\n"


def test_sloppy_unclosed_paragraphs_are_not_deep(tmp_path):
    path = tmp_path / "sloppy.htm"
    path.write_text("<p>para" * 300, encoding="utf-8")
    doc, = ingest(path, root=tmp_path, limits=Limits(max_nesting=50))
    assert len(spans(doc, "paragraph")) == 300


def test_declared_charset(tmp_path):
    path = tmp_path / "old.html"
    path.write_bytes('<html><head><meta charset="windows-1252"></head><body><p>Paid £5 – ok</p>'
                     '</body></html>'.encode("cp1252"))
    doc, = ingest(path, root=tmp_path)
    assert spans(doc, "paragraph") == ["Paid £5 – ok"]


def test_radio_group_named_by_legend_and_hidden_styles(tmp_path):
    path = tmp_path / "consent.html"
    path.write_text(
        '<form><fieldset><legend>Consent given?</legend>'
        '<input type="radio" id="y" name="consent" checked><label for="y">Yes</label>'
        '<input type="radio" id="n" name="consent"><label for="n">No</label></fieldset>'
        '<label><input type="checkbox" name="c2" checked> Parent informed</label>'
        '<div style="display: none">invisible</div>'
        '<input aria-label="Worker" value="J Smith"></form>', encoding="utf-8")
    doc, = ingest(path, root=tmp_path)
    fields = [(b.name, doc.text[b.start:b.end]) for b in doc.blocks if b.kind == "form_field"]
    assert fields == [("Consent given?", "Yes"), ("Parent informed", "Yes"),
                      ("Worker", "J Smith")]
    assert "invisible" not in doc.text


def test_pre_keeps_whitespace(tmp_path):
    path = tmp_path / "pre.html"
    path.write_text("<pre>\nName:   Ava\n  indented</pre><p>a   b</p>", encoding="utf-8")
    doc, = ingest(path, root=tmp_path)
    assert spans(doc, "paragraph") == ["Name:   Ava\n  indented", "a b"]


def test_latin1_label_means_windows_1252(tmp_path):
    path = tmp_path / "legacy.html"
    path.write_bytes('<meta http-equiv="Content-Type" content="text/html; charset=iso-8859-1">'
                     '<p>“Quoted” – £5</p>'.encode("cp1252"))
    doc, = ingest(path, root=tmp_path)
    assert spans(doc, "paragraph") == ["“Quoted” – £5"]
    assert doc.metadata["encoding"] == "cp1252"


def test_control_on_own_line_outside_tables_inline_in_cells(tmp_path):
    path = tmp_path / "f.html"
    path.write_text('<form><p><label for="cn">Child name:</label> <input id="cn" value="Ava">'
                    ' (legal name)</p><table><tr><td>DOB</td><td>Born <input name="dob" '
                    'value="1/2/2015"></td></tr></table></form>', encoding="utf-8")
    doc, = ingest(path, root=tmp_path)
    assert doc.text == "Child name:\nAva\n(legal name)\nDOB\nBorn 1/2/2015\n"
    assert [(b.kind, b.name, doc.text[b.start:b.end]) for b in doc.blocks] == [
        ("paragraph", "", "Child name:"), ("form_field", "Child name", "Ava"),
        ("paragraph", "", "(legal name)"), ("cell", "", "DOB"), ("cell", "", "Born 1/2/2015"),
        ("form_field", "dob", "1/2/2015")]


def test_huge_spans_stay_bounded(tmp_path):
    path = tmp_path / "spans.html"
    row = '<tr><td rowspan="1000" colspan="1000">x</td><td>y</td></tr>'
    path.write_text("<table>" + row * 300 + "</table>", encoding="utf-8")
    doc, = ingest(path, root=tmp_path)
    cells = [b for b in doc.blocks if b.kind == "cell"]
    assert len(cells) == 600
    assert (cells[0].col, cells[1].col) == (0, 1000)
