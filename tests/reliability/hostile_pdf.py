"""Hostile PDF files, written byte by byte (or with reportlab for many pages).

:func:`pdf_bytes` assembles numbered objects with a correct cross-reference
table, so each file is well formed apart from the one trait under test: deep
nesting, long reference chains, cycles, decompression bombs, operator floods,
page counts, encryption or truncation. Every builder takes ``(path, outside)``
like those of :mod:`hostile_corpus` and returns the path.
"""

from __future__ import annotations

from pathlib import Path

__all__ = ["pdf_bytes", "pdf_deep_page_tree", "pdf_encrypted", "pdf_flate_bomb",
           "pdf_many_pages", "pdf_nested_arrays", "pdf_page_tree_cycle", "pdf_reference_chain",
           "pdf_reference_cycle", "pdf_shared_content_flood", "pdf_truncated"]



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


def pdf_nested_arrays(path: Path, outside: Path) -> Path:
    """A page dictionary carrying arrays nested 100,000 deep."""
    deep = b"[" * 100_000 + b"1" + b"]" * 100_000
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>",
               b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
               _page(2, 4, 5, b"/Annots " + deep + b" "),
               _content(b"nested"), _FONT]
    path.write_bytes(pdf_bytes(objects))
    return path


def pdf_deep_page_tree(path: Path, outside: Path) -> Path:
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


def pdf_reference_chain(path: Path, outside: Path) -> Path:
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


def pdf_page_tree_cycle(path: Path, outside: Path) -> Path:
    """A /Pages node listing itself as its own kid."""
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>",
               b"<< /Type /Pages /Kids [2 0 R 3 0 R] /Count 2 >>",
               _page(2, 4, 5), _content(b"cycle"), _FONT]
    path.write_bytes(pdf_bytes(objects))
    return path


def pdf_reference_cycle(path: Path, outside: Path) -> Path:
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


def pdf_flate_bomb(path: Path, outside: Path) -> Path:
    """A content stream of 100 KiB that inflates to 100 MiB."""
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>",
               b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>", _page(2, 4, 5),
               _flate_stream(b"BT /F1 12 Tf 20 50 Td (bomb) Tj ET ", b" ", 100 * 1024), _FONT]
    path.write_bytes(pdf_bytes(objects))
    return path


def pdf_shared_content_flood(path: Path, outside: Path) -> Path:
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


def pdf_many_pages(path: Path, outside: Path) -> Path:
    """2,500 tiny pages (over the default limit of 2,000)."""
    from reportlab.pdfgen import canvas

    c = canvas.Canvas(str(path), pagesize=(72, 72))
    for i in range(2_500):
        c.drawString(5, 30, f"p{i}")
        c.showPage()
    c.save()
    return path


def pdf_encrypted(path: Path, outside: Path) -> Path:
    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(200, 100)
    writer.encrypt(user_password="secret", owner_password="owner", algorithm="RC4-128")
    with open(path, "wb") as handle:
        writer.write(handle)
    return path


def pdf_truncated(path: Path, outside: Path) -> Path:
    data = pdf_bytes([b"<< /Type /Catalog /Pages 2 0 R >>",
                      b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
                      _page(2, 4, 5), _content(b"truncated"), _FONT])
    path.write_bytes(data[: len(data) // 2])
    return path
