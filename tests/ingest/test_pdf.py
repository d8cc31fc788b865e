"""PDF: page and line blocks, AcroForm values with names and tooltips, bad PDFs."""

from __future__ import annotations

import io

import pytest
from conftest import spans

from dupscan.config import Limits
from dupscan.errors import IngestError
from dupscan.ingest import ingest


def _pdf(path, pages=("Referral form\nChild name:",), fields=True, title="Referral"):
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    c = canvas.Canvas(str(path), pagesize=A4)
    c.setTitle(title)
    c.setAuthor("J Worker")
    for number, text in enumerate(pages):
        for i, line in enumerate(text.split("\n")):
            c.drawString(72, 800 - 20 * i, line)
        if fields and number == 0:
            form = c.acroForm
            # created out of reading order on purpose: reason (lower) before name (higher)
            form.textfield(name="reason", tooltip="Reason for referral", x=200, y=650,
                           width=300, height=60, value="Mum called.\nShe is worried.",
                           fieldFlags="multiline")
            form.textfield(name="child_name", tooltip="Child's full name", x=200, y=770,
                           width=200, height=20, value="Ava Smith")
            form.checkbox(name="consent", tooltip="Consent given", x=72, y=600, checked=True)
            form.checkbox(name="unticked", x=120, y=600, checked=False)
            form.textfield(name="blank", x=200, y=560, value="")
        c.showPage()
    c.save()
    return path


def test_pdf_pages_lines_and_fields(tmp_path):
    path = _pdf(tmp_path / "referral.pdf", pages=("Referral form\nChild name:", "Page two"))
    doc, = ingest(path, root=tmp_path)
    assert doc.format == "pdf"
    pages = [(b.name, doc.text[b.start:b.end]) for b in doc.blocks if b.kind == "page"]
    assert pages == [("1", "Referral form\nChild name:"), ("2", "Page two")]
    assert spans(doc, "line") == ["Referral form", "Child name:", "Page two"]
    fields = [(b.name, b.style, doc.text[b.start:b.end]) for b in doc.blocks
              if b.kind == "form_field"]
    assert fields == [("child_name", "Child's full name", "Ava Smith"),
                      ("reason", "Reason for referral", "Mum called.\nShe is worried."),
                      ("consent", "Consent given", "Yes")]
    assert doc.text.index("Page two") < doc.text.index("Ava Smith")
    assert doc.metadata["title"] == "Referral"
    assert doc.metadata["author"] == "J Worker"
    assert doc.metadata["pages"] == "2"
    assert doc.metadata["created"].startswith("20")


def test_encrypted_pdf_with_password_refused(tmp_path):
    from pypdf import PdfReader, PdfWriter

    plain = _pdf(tmp_path / "plain.pdf", fields=False)
    writer = PdfWriter(clone_from=PdfReader(plain))
    writer.encrypt(user_password="secret", owner_password="owner", algorithm="RC4-128")
    locked = tmp_path / "locked.pdf"
    with open(locked, "wb") as handle:
        writer.write(handle)
    with pytest.raises(IngestError, match="encrypted PDF"):
        ingest(locked, root=tmp_path)


def test_encrypted_pdf_with_empty_password_is_read(tmp_path):
    from pypdf import PdfReader, PdfWriter

    plain = _pdf(tmp_path / "plain.pdf", fields=False)
    writer = PdfWriter(clone_from=PdfReader(plain))
    writer.encrypt(user_password="", owner_password="owner", algorithm="RC4-128")
    opened = tmp_path / "restricted.pdf"
    buffer = io.BytesIO()
    writer.write(buffer)
    opened.write_bytes(buffer.getvalue())
    doc, = ingest(opened, root=tmp_path)
    assert spans(doc, "line") == ["Referral form", "Child name:"]


def test_truncated_pdf(tmp_path):
    path = _pdf(tmp_path / "cut.pdf")
    path.write_bytes(path.read_bytes()[: path.stat().st_size // 2])
    with pytest.raises(IngestError, match="truncated PDF"):
        ingest(path, root=tmp_path)


def test_corrupt_pdf(tmp_path):
    path = tmp_path / "bad.pdf"
    path.write_bytes(b"%PDF-1.4\n" + b"garbage " * 200 + b"\n%%EOF\n")
    with pytest.raises(IngestError, match=r"^bad\.pdf: "):
        ingest(path, root=tmp_path)


def test_page_limit(tmp_path):
    path = _pdf(tmp_path / "long.pdf", pages=("one", "two", "three"), fields=False)
    with pytest.raises(IngestError, match="3 pages"):
        ingest(path, root=tmp_path, limits=Limits(max_pdf_pages=2))


def test_pdf_without_text_layer(tmp_path):
    from reportlab.pdfgen import canvas

    path = tmp_path / "scan.pdf"
    c = canvas.Canvas(str(path))
    c.rect(100, 100, 200, 200, fill=1)  # an image-like page with no text
    c.showPage()
    c.save()
    with pytest.raises(IngestError, match="no text layer"):
        ingest(path, root=tmp_path)


def test_repaired_pdf_is_read_quietly(tmp_path, capfd):
    path = _pdf(tmp_path / "damaged.pdf", fields=False)
    data = bytearray(path.read_bytes())
    at = data.find(b"\nxref")
    data[at + 10:at + 40] = b"9" * 30  # break the cross-reference table
    path.write_bytes(bytes(data))
    doc, = ingest(path, root=tmp_path)
    assert spans(doc, "line") == ["Referral form", "Child name:"]
    assert capfd.readouterr().err == ""


def test_aes_encrypted_pdf_with_empty_password_is_read(tmp_path):
    from pypdf import PdfReader, PdfWriter

    plain = _pdf(tmp_path / "plain.pdf", fields=False)
    writer = PdfWriter(clone_from=PdfReader(plain))
    writer.encrypt(user_password="", owner_password="owner", algorithm="AES-256")
    secured = tmp_path / "secured.pdf"
    writer.write(secured)
    doc, = ingest(secured, root=tmp_path)
    assert spans(doc, "line") == ["Referral form", "Child name:"]


def test_radio_choice_and_multi_select_fields(tmp_path):
    from reportlab.pdfgen import canvas

    path = tmp_path / "outcome.pdf"
    c = canvas.Canvas(str(path))
    c.drawString(72, 760, "Outcome")
    form = c.acroForm
    form.radio(name="outcome", tooltip="Outcome of enquiry", value="nfa", selected=False,
               x=72, y=700)
    form.radio(name="outcome", tooltip="Outcome of enquiry", value="icpc", selected=True,
               x=120, y=700)
    form.choice(name="risk", tooltip="Risk level", value="High",
                options=["Low", "Medium", "High"], x=72, y=650, width=100, height=20)
    form.listbox(name="agencies", value=["Police", "School"],
                 options=["Police", "School", "Health"], x=72, y=550, width=100, height=60,
                 fieldFlags="multiSelect")
    c.save()
    doc, = ingest(path, root=tmp_path)
    fields = [(b.name, b.style, doc.text[b.start:b.end]) for b in doc.blocks
              if b.kind == "form_field"]
    assert fields == [("outcome", "Outcome of enquiry", "icpc"), ("risk", "Risk level", "High"),
                      ("agencies", "", "Police, School")]
