"""DOCX: paragraphs and tables in document order, headings, bold, merged and nested cells."""

from __future__ import annotations

import io
import zipfile

import pytest
from conftest import spans

from dupscan.errors import IngestError
from dupscan.ingest import ingest


def _assessment(document):
    document.core_properties.title = "Assessment"
    document.core_properties.author = "J Worker"
    document.sections[0].header.paragraphs[0].text = "OFFICIAL - SENSITIVE"
    document.sections[0].footer.paragraphs[0].text = "Footer line"
    document.add_heading("Child and Family Assessment", 0)
    document.add_heading("Section 1: Details", 1)
    para = document.add_paragraph()
    para.add_run("Bold label").bold = True
    para.add_run("  ")
    mixed = document.add_paragraph()
    mixed.add_run("Half ").bold = True
    mixed.add_run("bold")
    table = document.add_table(rows=3, cols=3)
    table.cell(0, 0).text = "Name"
    table.cell(0, 1).merge(table.cell(0, 2)).text = "Ava Smith"
    table.cell(1, 0).merge(table.cell(2, 0)).text = "Merged down"
    table.cell(1, 1).text = "b1"
    table.cell(1, 2).text = "c1"
    table.cell(2, 1).text = "b2\nsecond line"
    inner = table.cell(2, 2).add_table(rows=1, cols=2)
    inner.cell(0, 0).text = "n1"
    inner.cell(0, 1).text = "n2"
    document.add_heading("Section 2", 2)
    document.add_paragraph("Closing paragraph.")


def test_docx_structure_and_offsets(make_docx, tmp_path):
    doc, = ingest(make_docx(_assessment), root=tmp_path)
    assert doc.format == "docx"
    heads = [(doc.text[b.start:b.end], b.level, b.style) for b in doc.blocks
             if b.kind == "heading"]
    assert heads == [("Child and Family Assessment", 0, "Title"),
                     ("Section 1: Details", 1, "Heading 1"), ("Section 2", 2, "Heading 2")]
    paras = {doc.text[b.start:b.end]: b for b in doc.blocks if b.kind == "paragraph"}
    assert paras["Bold label  "].bold is True
    assert paras["Half bold"].bold is False
    cells = [(b.table, b.row, b.col, doc.text[b.start:b.end]) for b in doc.blocks
             if b.kind == "cell"]
    assert cells == [
        (0, 0, 0, "Name"), (0, 0, 1, "Ava Smith"),
        (0, 1, 0, "Merged down"), (0, 1, 1, "b1"), (0, 1, 2, "c1"),
        (0, 2, 1, "b2\nsecond line"), (0, 2, 2, "n1\nn2"),
        (1, 0, 0, "n1"), (1, 0, 1, "n2"),
    ]
    # document order: title, section 1, paragraphs, table, section 2, closing
    assert doc.text.index("Half bold") < doc.text.index("Name") < doc.text.index("Section 2")
    assert doc.text.count("Ava Smith") == 1 and doc.text.count("Merged down") == 1
    assert doc.text.endswith("Closing paragraph.\n")
    assert "OFFICIAL" not in doc.text and "Footer line" not in doc.text
    assert doc.metadata["header"] == "OFFICIAL - SENSITIVE"
    assert doc.metadata["footer"] == "Footer line"
    assert doc.metadata["title"] == "Assessment"
    assert doc.metadata["author"] == "J Worker"
    assert doc.metadata["created"]
    spans(doc)  # every offset in range


def test_every_cell_is_followed_by_a_newline(make_docx, tmp_path):
    def build(document):
        table = document.add_table(rows=1, cols=3)
        table.cell(0, 0).text = "Label"
        table.cell(0, 2).text = "Value"
    doc, = ingest(make_docx(build), root=tmp_path)
    cells = [b for b in doc.blocks if b.kind == "cell"]
    assert [doc.text[b.start:b.end] for b in cells] == ["Label", "", "Value"]
    for block in cells:
        assert doc.text[block.end] == "\n"


def _with_text_box(path):
    """Insert a DrawingML text box (with its VML fallback) after the first paragraph."""
    w = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
    box = (
        f'<w:p {w} xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006" '
        'xmlns:wps="http://schemas.microsoft.com/office/word/2010/wordprocessingShape">'
        '<w:r><w:t>Anchor</w:t></w:r><w:r><mc:AlternateContent><mc:Choice Requires="wps">'
        '<w:drawing><wps:txbx><w:txbxContent><w:p><w:r><w:t>Inside the box</w:t></w:r></w:p>'
        '</w:txbxContent></wps:txbx></w:drawing></mc:Choice><mc:Fallback><w:pict>'
        '<w:txbxContent><w:p><w:r><w:t>Inside the box</w:t></w:r></w:p></w:txbxContent>'
        '</w:pict></mc:Fallback></mc:AlternateContent></w:r></w:p>'
    )
    _edit_part(path, "word/document.xml", lambda xml: xml.replace("<w:body>", "<w:body>" + box, 1))


def _edit_part(path, part, change):
    with zipfile.ZipFile(path) as src:
        items = [(info, src.read(info)) for info in src.infolist()]
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as dst:
        for info, data in items:
            if info.filename == part:
                data = change(data.decode("utf-8")).encode("utf-8")
            dst.writestr(info.filename, data)
    path.write_bytes(buffer.getvalue())


def test_text_box_read_once_after_its_anchor(make_docx, tmp_path):
    path = make_docx(lambda d: d.add_paragraph("After"))
    _with_text_box(path)
    doc, = ingest(path, root=tmp_path)
    assert spans(doc, "paragraph") == ["Anchor", "Inside the box", "After"]


def test_content_controls_and_checkboxes(make_docx, tmp_path):
    path = make_docx(lambda d: d.add_paragraph("End"))
    sdt = ('<w:sdt xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
           '<w:sdtPr><w:alias w:val="Name"/></w:sdtPr><w:sdtContent><w:p><w:r><w:t>Name: '
           '</w:t></w:r><w:sdt><w:sdtContent><w:r><w:t>Ava</w:t></w:r></w:sdtContent></w:sdt>'
           '<w:r><w:sym w:font="Wingdings" w:char="F0FE"/><w:t xml:space="preserve"> Consent'
           '</w:t></w:r><w:r><w:rPr><w:vanish/></w:rPr><w:t>hidden</w:t></w:r>'
           '<w:del><w:r><w:delText>deleted</w:delText></w:r></w:del>'
           '<w:r><w:fldChar w:fldCharType="begin"><w:ffData><w:ddList><w:result w:val="1"/>'
           '<w:listEntry w:val="Mother"/><w:listEntry w:val=" Father"/></w:ddList></w:ffData>'
           '</w:fldChar></w:r><w:r><w:instrText> FORMDROPDOWN </w:instrText></w:r>'
           '<w:r><w:fldChar w:fldCharType="separate"/></w:r><w:r><w:fldChar w:fldCharType="end"/>'
           '</w:r>'
           '<w:sdt><w:sdtPr><w:showingPlcHdr/></w:sdtPr><w:sdtContent><w:r><w:t>Click or tap '
           'here to enter text.</w:t></w:r></w:sdtContent></w:sdt>'
           '</w:p></w:sdtContent></w:sdt>')
    _edit_part(path, "word/document.xml", lambda xml: xml.replace("<w:body>", "<w:body>" + sdt))
    doc, = ingest(path, root=tmp_path)
    assert spans(doc, "paragraph") == ["Name: Ava☒ Consent Father", "End"]


def test_docx_entity_declaration_refused(make_docx, tmp_path):
    path = make_docx(lambda d: d.add_paragraph("x"))
    laughs = ('<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
              '<!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]>')
    _edit_part(path, "word/document.xml",
               lambda xml: laughs + xml.split("?>", 1)[1].replace("<w:t>x</w:t>",
                                                                 "<w:t>&lol2;</w:t>"))
    with pytest.raises(IngestError, match="entity"):
        ingest(path, root=tmp_path)


def test_docx_entity_in_styles_part_refused(make_docx, tmp_path):
    path = make_docx(lambda d: d.add_paragraph("x"))
    _edit_part(path, "word/styles.xml",
               lambda xml: xml.replace("?>", '?><!DOCTYPE s SYSTEM "http://example.invalid/x">', 1))
    with pytest.raises(IngestError, match=r"word/styles\.xml"):
        ingest(path, root=tmp_path)


def test_truncated_docx(make_docx, tmp_path):
    path = make_docx(lambda d: d.add_paragraph("Some text " * 200))
    path.write_bytes(path.read_bytes()[: path.stat().st_size // 2])
    with pytest.raises(IngestError, match="corrupt or truncated DOCX"):
        ingest(path, root=tmp_path)


@pytest.mark.parametrize("suffix, content_type", [
    (".dotx", "application/vnd.openxmlformats-officedocument.wordprocessingml.template.main+xml"),
    (".docm", "application/vnd.ms-word.document.macroEnabled.main+xml"),
])
def test_templates_and_macro_enabled_files(make_docx, tmp_path, suffix, content_type):
    path = make_docx(lambda d: d.add_paragraph("Blank template prompt"), name=f"t{suffix}")
    main = "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"
    _edit_part(path, "[Content_Types].xml", lambda xml: xml.replace(main, content_type))
    doc, = ingest(path, root=tmp_path)
    assert doc.format == "docx"
    assert spans(doc, "paragraph") == ["Blank template prompt"]


_NUMBERING = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<w:numbering xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
    '<w:abstractNum w:abstractNumId="7">'
    '<w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="decimal"/><w:lvlText w:val="%1."/>'
    '<w:suff w:val="space"/></w:lvl>'
    '<w:lvl w:ilvl="1"><w:start w:val="1"/><w:numFmt w:val="lowerLetter"/>'
    '<w:lvlText w:val="%1.%2)"/></w:lvl>'
    '<w:lvl w:ilvl="2"><w:start w:val="1"/><w:numFmt w:val="upperRoman"/>'
    '<w:lvlText w:val="%3"/><w:suff w:val="nothing"/></w:lvl>'
    '</w:abstractNum>'
    '<w:num w:numId="1"><w:abstractNumId w:val="7"/></w:num>'
    '<w:num w:numId="2"><w:abstractNumId w:val="7"/>'
    '<w:lvlOverride w:ilvl="0"><w:startOverride w:val="5"/></w:lvlOverride></w:num>'
    '</w:numbering>'
)


def _numbered(text, num_id, ilvl):
    return (f'<w:p><w:pPr><w:numPr><w:ilvl w:val="{ilvl}"/><w:numId w:val="{num_id}"/>'
            f'</w:numPr></w:pPr><w:r><w:t>{text}</w:t></w:r></w:p>')


def test_list_numbering_is_rendered(make_docx, tmp_path):
    path = make_docx(lambda d: d.add_paragraph("Plain"))
    body = "".join([_numbered("Reason", 1, 0), _numbered("Detail", 1, 1),
                    _numbered("More", 1, 1), _numbered("Deep", 1, 2), _numbered("Next", 1, 0),
                    _numbered("Sub", 1, 1), _numbered("Restarted", 2, 0)])
    _edit_part(path, "word/numbering.xml", lambda xml: _NUMBERING)
    _edit_part(path, "word/document.xml", lambda xml: xml.replace("<w:body>", "<w:body>" + body))
    doc, = ingest(path, root=tmp_path)
    assert spans(doc, "paragraph") == [
        "1. Reason", "1.a)\tDetail", "1.b)\tMore", "IDeep", "2. Next", "2.a)\tSub",
        "5. Restarted", "Plain"]
