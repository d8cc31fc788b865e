"""Build hostile input files in a temporary folder, never committed.

Every builder writes one file (or link, or pipe) under ``root`` and returns its
path. :data:`CASES` lists them with what dupscan must do:

* ``"refuse"`` — ingest raises :class:`~dupscan.errors.IngestError` naming the
  file, in bounded time and memory; a scan lists it in ``Report.skipped``;
* ``"discover"`` — refused before reading (symlinks, pipes): a scan lists it in
  ``Report.skipped`` (direct ingest may also refuse it);
* ``"read"`` — a legitimate file with a hostile-looking trait (an XHTML
  doctype, an odd name) that must be read normally, with no network access.

Files that point outside the root point at :func:`secret_file`, whose marker
must never appear in any output.
"""

from __future__ import annotations

import io
import os
import random
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

__all__ = ["CASES", "GOOD_TEXT", "SECRET_MARKER", "Case", "build_case", "docx_bytes",
           "XSS", "XSS_NAME",
           "good_docx", "pdf_bytes", "secret_file", "write_good_case", "write_xss_case"]

SECRET_MARKER = "SECRET-MARKER-7f3a9c"
MiB = 1024 * 1024

#: narrative shared by the good files of case C1 (so a scan must find it re-entered)
GOOD_TEXT = ("The family home was warm and tidy during the visit. "
             "Ava showed the social worker her bedroom and her new bicycle. "
             "Mum said that the school had raised concerns about attendance this term.")


def secret_file(outside: Path) -> Path:
    """A file outside the scan root whose content must never be read."""
    outside.mkdir(parents=True, exist_ok=True)
    path = outside / "secret.txt"
    if not path.exists():
        path.write_text(f"{SECRET_MARKER}\nroot:x:0:0:root:/root:/bin/bash\n", encoding="utf-8")
    return path


# -- DOCX ---------------------------------------------------------------------

_W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_BASE_DOCX: bytes | None = None


def _base_docx() -> bytes:
    global _BASE_DOCX
    if _BASE_DOCX is None:
        import docx

        document = docx.Document()
        document.add_paragraph("Placeholder")
        buf = io.BytesIO()
        document.save(buf)
        _BASE_DOCX = buf.getvalue()
    return _BASE_DOCX


def docx_bytes(document_xml: bytes | None = None,
               extra: dict[str, bytes] | None = None) -> bytes:
    """A DOCX made by python-docx with ``word/document.xml`` replaced and members
    replaced or added from ``extra``."""
    out = io.BytesIO()
    members = dict(extra or {})
    if document_xml is not None:
        members["word/document.xml"] = document_xml
    with zipfile.ZipFile(io.BytesIO(_base_docx())) as src, \
            zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            dst.writestr(info.filename, members.pop(info.filename, None) or src.read(info))
        for name, data in members.items():
            dst.writestr(name, data)
    return out.getvalue()


def _document_xml(body: str, prolog: str = "") -> bytes:
    return (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n{prolog}'
            f'<w:document xmlns:w="{_W}"><w:body>{body}</w:body></w:document>').encode()


def _para(text: str) -> str:
    return f"<w:p><w:r><w:t>{text}</w:t></w:r></w:p>"


def good_docx(path: Path, lines: list[str]) -> Path:
    """A small valid DOCX with one paragraph per line."""
    path.write_bytes(docx_bytes(_document_xml("".join(_para(x) for x in lines))))
    return path


def write_good_case(root: Path) -> None:
    """Case C1: a referral and an assessment sharing a paragraph (one exact finding)."""
    folder = root / "C1"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "01_referral.txt").write_text(
        f"Case ID: C1\nDate: 2025-01-02\nReason for referral: {GOOD_TEXT}\n", encoding="utf-8")
    good_docx(folder / "02_assessment.docx",
              ["Case ID: C1", "Date: 2025-02-03", f"Background: {GOOD_TEXT}"])


XSS = '<script>alert("dupscan-xss")</script><img src=x onerror=alert(1)>'
XSS_NAME = "C3/<b onmouseover=alert(2)>visit.txt"


def write_xss_case(root: Path) -> None:
    """Case C3: markup re-entered across two forms, one with markup in its file name.

    The report must show it as text, never as live HTML.
    """
    folder = root / "C3"
    folder.mkdir(parents=True, exist_ok=True)
    text = f"Case ID: C3\nObservations: {GOOD_TEXT} Mum wrote {XSS} on the note.\n"
    (folder / "01_referral.txt").write_text(text.replace("Observations", "Date: 2025-04-01\n"
                                                         "Observations"), encoding="utf-8")
    (root / XSS_NAME).write_text(text.replace("Observations", "Date: 2025-04-08\nObservations"),
                                 encoding="utf-8")


def _zip_bomb_member(path: Path, outside: Path) -> Path:
    """A valid DOCX plus a 120 MiB member of zeros (about 120 KiB compressed)."""
    buf = io.BytesIO(docx_bytes())
    with zipfile.ZipFile(buf, "a", zipfile.ZIP_DEFLATED) as archive:
        with archive.open("word/media/image1.bin", "w", force_zip64=True) as member:
            chunk = b"\0" * MiB
            for _ in range(120):
                member.write(chunk)
    path.write_bytes(buf.getvalue())
    return path


def _zip_bomb_document(path: Path, outside: Path) -> Path:
    """``word/document.xml`` itself inflates to 150 MiB of whitespace."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(docx_bytes())) as src, \
            zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            if info.filename != "word/document.xml":
                dst.writestr(info.filename, src.read(info))
                continue
            with dst.open("word/document.xml", "w", force_zip64=True) as member:
                member.write(_document_xml("")[:-len("</w:body></w:document>")])
                chunk = b" " * MiB
                for _ in range(150):
                    member.write(chunk)
                member.write(b"</w:body></w:document>")
    path.write_bytes(out.getvalue())
    return path


def _zip_bomb_lying(path: Path, outside: Path) -> Path:
    """The directory claims 2 KB for a member that inflates to 64 MiB."""
    buf = io.BytesIO(docx_bytes())
    with zipfile.ZipFile(buf, "a", zipfile.ZIP_DEFLATED) as archive:
        with archive.open("word/bomb.xml", "w") as member:
            chunk = b"<a/>" * (MiB // 4)
            for _ in range(64):
                member.write(chunk)
    data = bytearray(buf.getvalue())
    name = b"word/bomb.xml"
    lie = (2000).to_bytes(4, "little")
    # local header: signature PK\3\4, uncompressed size at offset 22
    local = data.find(b"PK\x03\x04")
    while local != -1:
        n = int.from_bytes(data[local + 26:local + 28], "little")
        if data[local + 30:local + 30 + n] == name:
            data[local + 22:local + 26] = lie
        local = data.find(b"PK\x03\x04", local + 4)
    central = data.find(b"PK\x01\x02")
    while central != -1:
        n = int.from_bytes(data[central + 28:central + 30], "little")
        if data[central + 46:central + 46 + n] == name:
            data[central + 24:central + 28] = lie
        central = data.find(b"PK\x01\x02", central + 4)
    path.write_bytes(bytes(data))
    return path


def _zip_many_members(path: Path, outside: Path) -> Path:
    """A DOCX with 12,000 empty members (directory-size bomb)."""
    buf = io.BytesIO(docx_bytes())
    with zipfile.ZipFile(buf, "a", zipfile.ZIP_STORED) as archive:
        for i in range(12_000):
            archive.writestr(f"word/m/{i}.bin", b"")
    path.write_bytes(buf.getvalue())
    return path


_LAUGHS = ('<!DOCTYPE lolz [<!ENTITY lol "lol">'
           + "".join(f'<!ENTITY lol{i} "{("&lol" + (str(i - 1) if i > 1 else "") + ";") * 10}">'
                     for i in range(1, 10))
           + "]>\n")


def _docx_billion_laughs(path: Path, outside: Path) -> Path:
    path.write_bytes(docx_bytes(_document_xml(_para("&lol9;"), _LAUGHS)))
    return path


def _xxe_prolog(outside: Path, root_name: str = "w:document") -> str:
    uri = secret_file(outside).as_uri()
    return f'<!DOCTYPE {root_name} [<!ENTITY xxe SYSTEM "{uri}">]>\n'


def _docx_xxe(path: Path, outside: Path) -> Path:
    path.write_bytes(docx_bytes(_document_xml(_para("&xxe;"), _xxe_prolog(outside))))
    return path


def _docx_xxe_passwd(path: Path, outside: Path) -> Path:
    prolog = '<!DOCTYPE w:document [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>\n'
    path.write_bytes(docx_bytes(_document_xml(_para("&xxe;"), prolog)))
    return path


def _docx_xxe_in_styles(path: Path, outside: Path) -> Path:
    """The entity hides in styles.xml, UTF-16 encoded, not in document.xml."""
    uri = secret_file(outside).as_uri()
    styles = (f'<?xml version="1.0" encoding="UTF-16"?>\n<!DOCTYPE w:styles '
              f'[<!ENTITY xxe SYSTEM "{uri}">]><w:styles xmlns:w="{_W}">&xxe;</w:styles>')
    path.write_bytes(docx_bytes(None, {"word/styles2.xml": styles.encode("utf-16")}))
    return path


def _docx_deep_xml(path: Path, outside: Path) -> Path:
    """100,000 nested content controls, with random ids so the ratio guard does not fire."""
    depth = 100_000
    rng = random.Random(5)
    body = "".join(f'<w:sdt><w:sdtPr><w:id w:val="{rng.randrange(10 ** 9)}"/></w:sdtPr>'
                   "<w:sdtContent>" for _ in range(depth))
    body += _para("deep") + "</w:sdtContent></w:sdt>" * depth
    path.write_bytes(docx_bytes(_document_xml(body)))
    return path


_R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"


def _docx_external_refs(path: Path, outside: Path) -> Path:
    """A legitimate DOCX whose relationships point at http:// and file:// targets.

    Word may fetch a linked image, template or sub-document; dupscan must read
    the text and fetch nothing.
    """
    uri = secret_file(outside).as_uri()
    with zipfile.ZipFile(io.BytesIO(docx_bytes())) as src:
        rels = src.read("word/_rels/document.xml.rels").decode("utf-8")
    extra = "".join(
        f'<Relationship Id="rIdX{i}" Type="{_R}/{kind}" Target="{target}" '
        'TargetMode="External"/>'
        for i, (kind, target) in enumerate([
            ("hyperlink", "http://127.0.0.1:9/page"), ("image", "http://127.0.0.1:9/x.png"),
            ("attachedTemplate", uri), ("subDocument", uri),
            ("oleObject", "http://127.0.0.1:9/x.bin")]))
    rels = rels.replace("</Relationships>", extra + "</Relationships>")
    body = (f'<w:p><w:hyperlink r:id="rIdX0"><w:r><w:t>Referral</w:t></w:r></w:hyperlink></w:p>'
            f"{_para('Observations: ' + GOOD_TEXT)}")
    xml = (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<w:document '
           f'xmlns:w="{_W}" xmlns:r="{_R}"><w:body>{body}</w:body></w:document>').encode()
    path.write_bytes(docx_bytes(xml, {"word/_rels/document.xml.rels": rels.encode("utf-8")}))
    return path


def _docx_truncated(path: Path, outside: Path) -> Path:
    data = docx_bytes(_document_xml(_para("truncated")))
    path.write_bytes(data[: len(data) // 2])
    return path


def _docx_ole_encrypted(path: Path, outside: Path) -> Path:
    """What Word writes for a password-protected DOCX: an OLE2 compound file."""
    rng = random.Random(11)
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + rng.randbytes(4096))
    return path


# -- HTML ---------------------------------------------------------------------

def _html_billion_laughs(path: Path, outside: Path) -> Path:
    laughs = _LAUGHS.replace("lolz", "html")
    path.write_text(f'<?xml version="1.0"?>\n{laughs}<html><body><p>&lol9;</p></body></html>',
                    encoding="utf-8")
    return path


def _html_xxe(path: Path, outside: Path) -> Path:
    path.write_text(f'<?xml version="1.0"?>\n{_xxe_prolog(outside, "html")}'
                    "<html><body><p>Notes: &xxe;</p></body></html>", encoding="utf-8")
    return path


def _html_deep(path: Path, outside: Path) -> Path:
    depth = 100_000
    path.write_text("<html><body>" + "<div>" * depth + "deep" + "</div>" * depth
                    + "</body></html>", encoding="utf-8")
    return path


def _html_deep_unclosed(path: Path, outside: Path) -> Path:
    """100,000 nested elements whose end tags are all omitted."""
    path.write_text("<html><body>" + "<span><b><i>" * 33_334 + "deep", encoding="utf-8")
    return path


def _xhtml_public_doctype(path: Path, outside: Path) -> Path:
    """A legitimate XHTML page whose doctype names a DTD by http URL: read, never fetched."""
    path.write_text(
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Strict//EN" '
        '"http://www.w3.org/TR/xhtml1/DTD/xhtml1-strict.dtd">\n'
        '<html xmlns="http://www.w3.org/1999/xhtml"><head><title>Visit</title></head><body>'
        f"<h1>Home visit</h1><p>Observations: {GOOD_TEXT}</p></body></html>", encoding="utf-8")
    return path


# -- PDF ----------------------------------------------------------------------

def pdf_bytes(objects: list[bytes], root: int = 1) -> bytes:
    """Assemble a PDF by hand: numbered objects, a correct xref table and trailer."""
    out = bytearray(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for offset in offsets:
        out += b"%010d 00000 n \n" % offset
    out += (b"trailer\n<< /Size %d /Root %d 0 R >>\nstartxref\n%d\n%%%%EOF\n"
            % (len(objects) + 1, root, xref))
    return bytes(out)


_FONT = b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"


def _content(text: bytes) -> bytes:
    stream = b"BT /F1 12 Tf 20 50 Td (" + text + b") Tj ET"
    return b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream"


def _page(parent: int, contents: int, font: int, extra: bytes = b"") -> bytes:
    return (b"<< /Type /Page /Parent %d 0 R /MediaBox [0 0 200 100] /Contents %d 0 R "
            b"/Resources << /Font << /F1 %d 0 R >> >> " % (parent, contents, font)
            + extra + b">>")


def _pdf_nested_arrays(path: Path, outside: Path) -> Path:
    """A page dictionary carrying arrays nested 100,000 deep."""
    deep = b"[" * 100_000 + b"1" + b"]" * 100_000
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>",
               b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
               _page(2, 4, 5, b"/Annots " + deep + b" "),
               _content(b"nested"), _FONT]
    path.write_bytes(pdf_bytes(objects))
    return path


def _pdf_deep_page_tree(path: Path, outside: Path) -> Path:
    """A page tree 20,000 levels deep: each /Pages node has one /Pages kid."""
    depth = 20_000
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>"]
    for level in range(depth):  # objects 2 .. depth+1
        number = level + 2
        parent = b"/Parent %d 0 R " % (number - 1) if level else b""
        objects.append(b"<< /Type /Pages " + parent + b"/Kids [%d 0 R] /Count 1 >>"
                       % (number + 1))
    page = depth + 2
    objects.append(_page(page - 1, page + 1, page + 2))
    objects.append(_content(b"deep page tree"))
    objects.append(_FONT)
    path.write_bytes(pdf_bytes(objects))
    return path


def _pdf_reference_chain(path: Path, outside: Path) -> Path:
    """/Contents reached through 50,000 indirect references, each pointing to the next."""
    chain = 50_000
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>",
               b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
               _page(2, 5, 4), _FONT]
    for i in range(chain):  # objects 5 .. chain+4; each is a bare reference to the next
        objects.append(b"%d 0 R" % (i + 6))
    objects.append(_content(b"end of chain"))
    path.write_bytes(pdf_bytes(objects))
    return path


def _pdf_page_tree_cycle(path: Path, outside: Path) -> Path:
    """A /Pages node listing itself as its own kid."""
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>",
               b"<< /Type /Pages /Kids [2 0 R 3 0 R] /Count 2 >>",
               _page(2, 4, 5), _content(b"cycle"), _FONT]
    path.write_bytes(pdf_bytes(objects))
    return path


def _pdf_reference_cycle(path: Path, outside: Path) -> Path:
    """/Contents points at an object that points back at itself through another."""
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>",
               b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
               _page(2, 4, 6), b"5 0 R", b"4 0 R", _FONT]
    path.write_bytes(pdf_bytes(objects))
    return path


def _flate_stream(prefix: bytes, fill: bytes, kib: int, suffix: bytes = b"") -> bytes:
    import zlib

    packer = zlib.compressobj(9)
    data = packer.compress(prefix)
    chunk = fill * (1024 // len(fill))
    for _ in range(kib):
        data += packer.compress(chunk)
    data += packer.compress(suffix) + packer.flush()
    return (b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(data) + data
            + b"\nendstream")


def _pdf_flate_bomb(path: Path, outside: Path) -> Path:
    """A content stream of 100 KiB that inflates to 100 MiB."""
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>",
               b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>", _page(2, 4, 5),
               _flate_stream(b"BT /F1 12 Tf 20 50 Td (bomb) Tj ET ", b" ", 100 * 1024), _FONT]
    path.write_bytes(pdf_bytes(objects))
    return path


def _pdf_shared_content_flood(path: Path, outside: Path) -> Path:
    """1,000 pages sharing one small stream of 64,000 text operators: minutes to extract."""
    pages = 1_000
    content, font = pages + 3, pages + 4
    kids = b" ".join(b"%d 0 R" % (i + 3) for i in range(pages))
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>",
               b"<< /Type /Pages /Kids [" + kids + b"] /Count %d >>" % pages]
    objects += [_page(2, content, font) for _ in range(pages)]
    objects.append(_flate_stream(b"BT /F1 12 Tf 20 50 Td ", b"(ab) Tj ", 512, b" ET"))
    objects.append(_FONT)
    path.write_bytes(pdf_bytes(objects))
    return path


def _pdf_many_pages(path: Path, outside: Path) -> Path:
    """2,500 tiny pages (over the default limit of 2,000)."""
    from reportlab.pdfgen import canvas

    c = canvas.Canvas(str(path), pagesize=(72, 72))
    for i in range(2_500):
        c.drawString(5, 30, f"p{i}")
        c.showPage()
    c.save()
    return path


def _pdf_encrypted(path: Path, outside: Path) -> Path:
    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(200, 100)
    writer.encrypt(user_password="secret", owner_password="owner", algorithm="RC4-128")
    with open(path, "wb") as handle:
        writer.write(handle)
    return path


def _pdf_truncated(path: Path, outside: Path) -> Path:
    data = pdf_bytes([b"<< /Type /Catalog /Pages 2 0 R >>",
                      b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
                      _page(2, 4, 5), _content(b"truncated"), _FONT])
    path.write_bytes(data[: len(data) // 2])
    return path


# -- text, exports, junk --------------------------------------------------------

def _large_sparse_text(path: Path, outside: Path) -> Path:
    """500 MiB text file that costs no disk or RAM (sparse)."""
    with open(path, "wb") as handle:
        handle.write(b"Case notes: " + GOOD_TEXT.encode() + b"\n")
        handle.truncate(500 * MiB)
    return path


def _junk(suffix: str, seed: int) -> Callable[[Path, Path], Path]:
    def build(path: Path, outside: Path) -> Path:
        path.write_bytes(random.Random(seed).randbytes(64 * 1024))
        return path

    build.__doc__ = f"64 KiB of random bytes named {suffix}"
    return build


def _jsonl_deep(path: Path, outside: Path) -> Path:
    path.write_text('{"a": ' + "[" * 100_000 + "]" * 100_000 + "}\n", encoding="utf-8")
    return path


def _csv_huge_field(path: Path, outside: Path) -> Path:
    path.write_text('Name,Notes\nAva,"' + "x" * 300_000 + '"\n', encoding="utf-8")
    return path


def _empty(path: Path, outside: Path) -> Path:
    path.write_bytes(b"")
    return path


def _utf16_nul_junk(path: Path, outside: Path) -> Path:
    path.write_bytes(b"\x00" * 65536)
    return path


# -- links, pipes -----------------------------------------------------------------

def _symlink_outside(path: Path, outside: Path) -> Path:
    os.symlink(secret_file(outside), path)
    return path


def _symlink_dir_outside(path: Path, outside: Path) -> Path:
    secret_file(outside)
    os.symlink(outside, path, target_is_directory=True)
    return path


def _symlink_loop(path: Path, outside: Path) -> Path:
    os.symlink(path.name, path)
    return path


def _fifo(path: Path, outside: Path) -> Path:
    """A named pipe: opening it for reading blocks until someone writes."""
    os.mkfifo(path)
    return path


# -- odd names (legitimate files) -----------------------------------------------

def _odd_name_text(path: Path, outside: Path) -> Path:
    path.write_text(f"Case ID: C2\nObservations: {GOOD_TEXT}\n", encoding="utf-8")
    return path


@dataclass(frozen=True)
class Case:
    """One hostile input: where it goes under the root, how to build it, what must happen."""

    name: str
    relpath: str
    build: Callable[[Path, Path], Path]
    expect: str  # "refuse" | "discover" | "read"
    note: str
    limits: tuple[tuple[str, float], ...] = ()  # Limits to read it with, when not the defaults
    in_scan: bool = True  # False: too slow under the default limits for the folder scan


CASES: tuple[Case, ...] = (
    Case("zip_bomb_member", "H/zip_bomb_member.docx", _zip_bomb_member, "refuse",
         "DOCX with a 120 MiB member of zeros (about 1000:1)"),
    Case("zip_bomb_document", "H/zip_bomb_document.docx", _zip_bomb_document, "refuse",
         "DOCX whose document.xml inflates to 150 MiB"),
    Case("zip_bomb_lying_sizes", "H/zip_bomb_lying.docx", _zip_bomb_lying, "refuse",
         "DOCX whose directory understates a 64 MiB member as 2 KB"),
    Case("zip_many_members", "H/zip_many_members.docx", _zip_many_members, "refuse",
         "DOCX with 12,000 members"),
    Case("docx_billion_laughs", "H/billion_laughs.docx", _docx_billion_laughs, "refuse",
         "DOCX document.xml with nested entity expansion"),
    Case("docx_xxe_file", "H/xxe_secret.docx", _docx_xxe, "refuse",
         "DOCX with an external entity naming a file outside the root"),
    Case("docx_xxe_passwd", "H/xxe_passwd.docx", _docx_xxe_passwd, "refuse",
         'DOCX with <!ENTITY xxe SYSTEM "file:///etc/passwd">'),
    Case("docx_xxe_utf16_part", "H/xxe_utf16_part.docx", _docx_xxe_in_styles, "refuse",
         "DOCX with a UTF-16 XML part declaring an external entity"),
    Case("docx_deep_xml", "H/deep_xml.docx", _docx_deep_xml, "refuse",
         "DOCX with 100,000 nested content controls"),
    Case("docx_truncated", "H/truncated.docx", _docx_truncated, "refuse",
         "DOCX cut in half"),
    Case("docx_encrypted_ole", "H/encrypted.docx", _docx_ole_encrypted, "refuse",
         "password-protected DOCX (OLE2 container)"),
    Case("html_billion_laughs", "H/billion_laughs.html", _html_billion_laughs, "refuse",
         "HTML/XML with nested entity expansion"),
    Case("html_xxe_file", "H/xxe_secret.html", _html_xxe, "refuse",
         "HTML with an external entity naming a file outside the root"),
    Case("html_deep_100k", "H/deep.html", _html_deep, "refuse",
         "HTML nested 100,000 levels deep"),
    Case("html_deep_unclosed", "H/deep_unclosed.html", _html_deep_unclosed, "refuse",
         "HTML with 100,000 nested inline elements, none closed"),
    Case("pdf_nested_arrays", "H/nested_arrays.pdf", _pdf_nested_arrays, "refuse",
         "PDF page with arrays nested 100,000 deep"),
    Case("pdf_deep_page_tree", "H/deep_page_tree.pdf", _pdf_deep_page_tree, "refuse",
         "PDF page tree 20,000 levels deep"),
    Case("pdf_reference_chain", "H/reference_chain.pdf", _pdf_reference_chain, "refuse",
         "PDF /Contents behind 50,000 chained indirect references"),
    Case("pdf_page_tree_cycle", "H/page_tree_cycle.pdf", _pdf_page_tree_cycle, "refuse",
         "PDF /Pages node that is its own kid"),
    Case("pdf_reference_cycle", "H/reference_cycle.pdf", _pdf_reference_cycle, "refuse",
         "PDF /Contents reference cycle (4 -> 5 -> 4)"),
    Case("pdf_flate_bomb", "H/flate_bomb.pdf", _pdf_flate_bomb, "refuse",
         "PDF content stream of 100 KiB inflating to 100 MiB"),
    Case("pdf_operator_flood", "H/operator_flood.pdf", _pdf_shared_content_flood, "refuse",
         "1,000 PDF pages sharing one stream of 64,000 text operators (file_timeout=3 s)",
         limits=(("file_timeout", 3.0),), in_scan=False),
    Case("pdf_many_pages", "H/many_pages.pdf", _pdf_many_pages, "refuse",
         "PDF with 2,500 pages (default limit 2,000)"),
    Case("pdf_encrypted", "H/encrypted.pdf", _pdf_encrypted, "refuse",
         "PDF encrypted with a user password"),
    Case("pdf_truncated", "H/truncated.pdf", _pdf_truncated, "refuse", "PDF cut in half"),
    Case("text_500mb_sparse", "H/huge.txt", _large_sparse_text, "refuse",
         "500 MiB sparse text file (default limit 100 MiB)"),
    Case("junk_txt", "H/junk.txt", _junk(".txt", 1), "refuse", "random bytes named .txt"),
    Case("junk_docx", "H/junk.docx", _junk(".docx", 2), "refuse", "random bytes named .docx"),
    Case("junk_pdf", "H/junk.pdf", _junk(".pdf", 3), "refuse", "random bytes named .pdf"),
    Case("junk_html", "H/junk.html", _junk(".html", 4), "refuse", "random bytes named .html"),
    Case("junk_newline_name", "H/bad\nname.txt", _junk(".txt", 6), "refuse",
         "random bytes in a file whose name holds a newline"),
    Case("nul_txt", "H/nuls.txt", _utf16_nul_junk, "refuse", "64 KiB of NUL bytes named .txt"),
    Case("empty_txt", "H/empty.txt", _empty, "refuse", "empty file"),
    Case("jsonl_deep", "H/deep.jsonl", _jsonl_deep, "refuse",
         "JSONL row with arrays nested 100,000 deep"),
    Case("csv_huge_field", "C2/huge_field.csv", _csv_huge_field, "read",
         "CSV with a 300,000-character field (over the csv module's default field limit)"),
    Case("symlink_outside", "H/link_to_secret.txt", _symlink_outside, "discover",
         "symlink to a file outside the scan root"),
    Case("symlink_dir_outside", "H/linked_folder", _symlink_dir_outside, "discover",
         "symlinked folder outside the scan root"),
    Case("symlink_loop", "H/loop.txt", _symlink_loop, "discover", "symlink to itself"),
    Case("fifo", "H/pipe.txt", _fifo, "discover", "named pipe called .txt"),
    Case("xhtml_public_doctype", "C2/xhtml_doctype.html", _xhtml_public_doctype, "read",
         "legitimate XHTML whose doctype names a DTD by http URL (must not be fetched)"),
    Case("docx_external_refs", "C2/external_refs.docx", _docx_external_refs, "read",
         "legitimate DOCX with external http:// and file:// relationships (never fetched)"),
    Case("name_spaces", "C2/visit notes  with   spaces.txt", _odd_name_text, "read",
         "file name with runs of spaces"),
    Case("name_unicode", "C2/é中文 ملاحظات \u200b.txt", _odd_name_text, "read",
         "file name with accents, CJK, Arabic (RTL) and a zero-width space"),
    Case("name_newline", "C2/new\nline.txt", _odd_name_text, "read",
         "file name containing a newline"),
    Case("name_leading_dash", "C2/-rf --help.txt", _odd_name_text, "read",
         "file name starting with dashes"),
    Case("name_very_long", "C2/" + "long" * 62 + ".txt", _odd_name_text, "read",
         "file name of 252 characters"),
)


def build_case(case: Case, root: Path, outside: Path) -> Path:
    """Build ``case`` under ``root``; return its path."""
    path = root / case.relpath
    path.parent.mkdir(parents=True, exist_ok=True)
    return case.build(path, outside)
