"""Office layouts: DOCX with heading styles or label/value tables, PDF text and AcroForm PDF.

Output is byte-for-byte reproducible: DOCX core properties carry the form date and
every zip entry a fixed timestamp; PDFs are written with reportlab's
``invariant`` mode.
"""

from __future__ import annotations

import datetime as dt
import io
import zipfile

from dupscan.synth.forms import STOCK_FOOTER
from dupscan.synth.record import FormDoc

__all__ = ["write_docx_headings", "write_docx_table", "write_pdf_text", "write_pdf_form"]

_ZIP_TIME = (2020, 1, 1, 0, 0, 0)


def _paras(text: str) -> list[str]:
    return [p for p in text.split("\n\n") if p]


def _new_docx(doc: FormDoc):
    import docx

    d = docx.Document()
    # drop parts of python-docx's default template that a case export would not carry
    for rid, rel in list(d.part.rels.items()):
        if rel.reltype.rsplit("/", 1)[-1] in ("stylesWithEffects", "customXml", "webSettings"):
            d.part.drop_rel(rid)
    for rid, rel in list(d.part.package.rels.items()):
        if rel.reltype.endswith("/thumbnail"):
            d.part.package.rels.pop(rid)
    stamp = dt.datetime(doc.date.year, doc.date.month, doc.date.day, 9, 0, 0)
    props = d.core_properties
    props.created = stamp
    props.modified = stamp
    props.last_printed = stamp
    props.revision = 1
    props.author = doc.author
    props.last_modified_by = doc.author
    props.title = doc.spec.title
    return d


def _save_docx(d) -> bytes:
    raw = io.BytesIO()
    d.save(raw)
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(raw.getvalue())) as src, \
            zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            fixed = zipfile.ZipInfo(info.filename, date_time=_ZIP_TIME)
            fixed.compress_type = zipfile.ZIP_DEFLATED
            fixed.external_attr = 0o600 << 16
            dst.writestr(fixed, src.read(info.filename))
    return out.getvalue()


def write_docx_headings(doc: FormDoc) -> bytes:
    """DOCX: Title, ``Label: value`` detail lines, a Heading 2 per section, italic guidance."""
    d = _new_docx(doc)
    d.add_paragraph(f"{doc.authority[0]} - {doc.authority[1]}")
    d.add_heading(doc.spec.title, level=0)
    d.add_heading("Details", level=1)
    for f in doc.fields:
        if f.kind == "structured":
            p = d.add_paragraph()
            p.add_run(f"{f.label}: ").bold = True
            p.add_run(f.value)
    for f in doc.fields:
        if f.kind == "narrative":
            d.add_heading(f.label, level=2)
            d.add_paragraph().add_run(f.prompt).italic = True
            for para in _paras(f.text):
                d.add_paragraph(para)
    d.add_paragraph(STOCK_FOOTER)
    return _save_docx(d)


def write_docx_table(doc: FormDoc) -> bytes:
    """DOCX: a two-column table per part, label (and guidance) left, value right."""
    d = _new_docx(doc)
    d.add_paragraph(f"{doc.authority[0]} - {doc.authority[1]}")
    d.add_heading(doc.spec.title, level=1)
    for kind, heading in (("structured", "Part A: Details"), ("narrative", "Part B: Assessment and recording")):
        rows = [f for f in doc.fields if f.kind == kind]
        d.add_heading(heading, level=2)
        table = d.add_table(rows=len(rows), cols=2)
        table.style = "Table Grid"
        for row, f in zip(table.rows, rows):
            left, right = row.cells
            left.paragraphs[0].add_run(f.label).bold = True
            if f.prompt:
                left.add_paragraph().add_run(f.prompt).italic = True
            parts = _paras(f.text) if kind == "narrative" else [f.value]
            right.paragraphs[0].text = parts[0] if parts else ""
            for para in parts[1:]:
                right.add_paragraph(para)
    d.add_paragraph(STOCK_FOOTER)
    return _save_docx(d)


class _Pager:
    """Lays out wrapped lines of text on A4 pages with reportlab."""

    def __init__(self, doc: FormDoc, buf: io.BytesIO) -> None:
        from reportlab.lib.pagesizes import A4
        from reportlab.pdfgen import canvas

        self.width, self.height = A4
        self.c = canvas.Canvas(buf, pagesize=A4, invariant=1, pageCompression=1)
        self.c.setTitle(doc.spec.title)
        self.c.setAuthor(doc.author)
        self.c.setCreator("dupscan synthetic corpus")
        self.margin = 56.0
        self.y = self.height - self.margin

    def need(self, height: float) -> None:
        if self.y - height < self.margin:
            self.c.showPage()
            self.y = self.height - self.margin

    def text(self, text: str, font: str = "Helvetica", size: float = 10, gap: float = 4) -> None:
        from reportlab.lib.utils import simpleSplit

        lines = simpleSplit(text, font, size, self.width - 2 * self.margin) or [""]
        for line in lines:
            self.need(size * 1.3)
            self.c.setFont(font, size)
            self.c.drawString(self.margin, self.y - size, line)
            self.y -= size * 1.3
        self.y -= gap


def write_pdf_text(doc: FormDoc) -> bytes:
    """PDF with a text layer: bold section labels, italic guidance, wrapped values."""
    buf = io.BytesIO()
    pg = _Pager(doc, buf)
    pg.text(f"{doc.authority[0]} - {doc.authority[1]}", size=9)
    pg.text(doc.spec.title, "Helvetica-Bold", 15, 10)
    for f in doc.fields:
        if f.kind == "structured":
            pg.text(f"{f.label}: {f.value}", gap=1)
    for f in doc.fields:
        if f.kind == "narrative":
            pg.y -= 6
            pg.text(f.label, "Helvetica-Bold", 12, 2)
            pg.text(f.prompt, "Helvetica-Oblique", 9, 4)
            for para in _paras(f.text):
                pg.text(para)
    pg.y -= 8
    pg.text(STOCK_FOOTER, size=8)
    pg.c.save()
    return buf.getvalue()


def write_pdf_form(doc: FormDoc) -> bytes:
    """AcroForm PDF: printed labels and guidance, a filled text field per value."""
    from reportlab.lib.utils import simpleSplit

    buf = io.BytesIO()
    pg = _Pager(doc, buf)
    pg.text(f"{doc.authority[0]} - {doc.authority[1]}", size=9)
    pg.text(doc.spec.title, "Helvetica-Bold", 15, 10)
    form = pg.c.acroForm
    box_w = pg.width - 2 * pg.margin
    for i, f in enumerate(doc.fields, 1):
        name = f"f{i:02d}_{f.key}"
        if f.kind == "structured":
            pg.need(20)
            pg.c.setFont("Helvetica-Bold", 9)
            pg.c.drawString(pg.margin, pg.y - 12, f.label)
            form.textfield(name=name, tooltip=f.label, value=f.value, x=pg.margin + 150, y=pg.y - 16,
                           width=box_w - 150, height=16, fontSize=9, borderWidth=0.5, maxlen=0,
                           fontName="Helvetica")
            pg.y -= 20
            continue
        pg.y -= 6
        pg.text(f.label, "Helvetica-Bold", 11, 1)
        pg.text(f.prompt, "Helvetica-Oblique", 8, 2)
        n_lines = sum(len(simpleSplit(p, "Helvetica", 9, box_w - 8)) + 1 for p in _paras(f.text))
        height = min(max(3, n_lines) * 11 + 8, pg.height - 2 * pg.margin - 40)
        pg.need(height)
        form.textfield(name=name, tooltip=f.label, value=f.text, x=pg.margin, y=pg.y - height, width=box_w,
                       height=height, fontSize=9, borderWidth=0.5, fieldFlags="multiline", maxlen=0,
                       fontName="Helvetica")
        pg.y -= height + 8
    pg.y -= 8
    pg.text(STOCK_FOOTER, size=8)
    pg.c.save()
    return buf.getvalue()
