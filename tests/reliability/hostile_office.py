"""Hostile and legitimate DOCX and HTML files, built from a python-docx base.

Zip bombs (ratio, size, lying directory, member count), entity expansion and
external entities in any XML part, deep nesting, external relationships,
truncation and encryption. Every builder takes ``(path, outside)`` and returns
the path; :func:`write_good_case` and :func:`write_xss_case` write whole cases.
"""

from __future__ import annotations

import io
import random
import zipfile
from pathlib import Path

from hostile_base import GOOD_TEXT, MiB, secret_file

__all__ = ["XSS", "XSS_NAME", "docx_billion_laughs", "docx_bytes", "docx_deep_xml",
           "docx_external_refs", "docx_ole_encrypted", "docx_truncated", "docx_xxe",
           "docx_xxe_in_styles", "docx_xxe_passwd", "good_docx", "html_billion_laughs",
           "html_deep", "html_deep_unclosed", "html_xxe", "write_good_case", "write_xss_case",
           "xhtml_public_doctype", "zip_bomb_document", "zip_bomb_lying", "zip_bomb_member",
           "zip_many_members"]

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


def zip_bomb_member(path: Path, outside: Path) -> Path:
    """A valid DOCX plus a 120 MiB member of zeros (about 120 KiB compressed)."""
    buf = io.BytesIO(docx_bytes())
    with zipfile.ZipFile(buf, "a", zipfile.ZIP_DEFLATED) as archive:
        with archive.open("word/media/image1.bin", "w", force_zip64=True) as member:
            chunk = b"\0" * MiB
            for _ in range(120):
                member.write(chunk)
    path.write_bytes(buf.getvalue())
    return path


def zip_bomb_document(path: Path, outside: Path) -> Path:
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


def _patch_size(data: bytearray, name: bytes, size: bytes, signature: bytes, *,
                size_at: int, name_len_at: int, name_at: int) -> None:
    """Overwrite the uncompressed size in every ``signature`` header naming ``name``."""
    at = data.find(signature)
    while at != -1:
        n = int.from_bytes(data[at + name_len_at:at + name_len_at + 2], "little")
        if data[at + name_at:at + name_at + n] == name:
            data[at + size_at:at + size_at + 4] = size
        at = data.find(signature, at + 4)


def zip_bomb_lying(path: Path, outside: Path) -> Path:
    """The directory claims 2 KB for a member that inflates to 64 MiB."""
    buf = io.BytesIO(docx_bytes())
    with zipfile.ZipFile(buf, "a", zipfile.ZIP_DEFLATED) as archive:
        with archive.open("word/bomb.xml", "w") as member:
            chunk = b"<a/>" * (MiB // 4)
            for _ in range(64):
                member.write(chunk)
    data = bytearray(buf.getvalue())
    lie = (2000).to_bytes(4, "little")
    # local header PK\3\4: uncompressed size at 22, name length at 26, name at 30;
    # central directory PK\1\2: the same at 24, 28 and 46
    _patch_size(data, b"word/bomb.xml", lie, b"PK\x03\x04", size_at=22, name_len_at=26,
                name_at=30)
    _patch_size(data, b"word/bomb.xml", lie, b"PK\x01\x02", size_at=24, name_len_at=28,
                name_at=46)
    path.write_bytes(bytes(data))
    return path


def zip_many_members(path: Path, outside: Path) -> Path:
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


def docx_billion_laughs(path: Path, outside: Path) -> Path:
    path.write_bytes(docx_bytes(_document_xml(_para("&lol9;"), _LAUGHS)))
    return path


def _xxe_prolog(outside: Path, root_name: str = "w:document") -> str:
    uri = secret_file(outside).as_uri()
    return f'<!DOCTYPE {root_name} [<!ENTITY xxe SYSTEM "{uri}">]>\n'


def docx_xxe(path: Path, outside: Path) -> Path:
    path.write_bytes(docx_bytes(_document_xml(_para("&xxe;"), _xxe_prolog(outside))))
    return path


def docx_xxe_passwd(path: Path, outside: Path) -> Path:
    prolog = '<!DOCTYPE w:document [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>\n'
    path.write_bytes(docx_bytes(_document_xml(_para("&xxe;"), prolog)))
    return path


def docx_xxe_in_styles(path: Path, outside: Path) -> Path:
    """The entity hides in styles.xml, UTF-16 encoded, not in document.xml."""
    uri = secret_file(outside).as_uri()
    styles = (f'<?xml version="1.0" encoding="UTF-16"?>\n<!DOCTYPE w:styles '
              f'[<!ENTITY xxe SYSTEM "{uri}">]><w:styles xmlns:w="{_W}">&xxe;</w:styles>')
    path.write_bytes(docx_bytes(None, {"word/styles2.xml": styles.encode("utf-16")}))
    return path


def docx_deep_xml(path: Path, outside: Path) -> Path:
    """100,000 nested content controls, with random ids so the ratio guard does not fire."""
    depth = 100_000
    rng = random.Random(5)
    body = "".join(f'<w:sdt><w:sdtPr><w:id w:val="{rng.randrange(10 ** 9)}"/></w:sdtPr>'
                   "<w:sdtContent>" for _ in range(depth))
    body += _para("deep") + "</w:sdtContent></w:sdt>" * depth
    path.write_bytes(docx_bytes(_document_xml(body)))
    return path


_R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"


def docx_external_refs(path: Path, outside: Path) -> Path:
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


def docx_truncated(path: Path, outside: Path) -> Path:
    data = docx_bytes(_document_xml(_para("truncated")))
    path.write_bytes(data[: len(data) // 2])
    return path


def docx_ole_encrypted(path: Path, outside: Path) -> Path:
    """What Word writes for a password-protected DOCX: an OLE2 compound file."""
    rng = random.Random(11)
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + rng.randbytes(4096))
    return path


# -- HTML ---------------------------------------------------------------------

def html_billion_laughs(path: Path, outside: Path) -> Path:
    laughs = _LAUGHS.replace("lolz", "html")
    path.write_text(f'<?xml version="1.0"?>\n{laughs}<html><body><p>&lol9;</p></body></html>',
                    encoding="utf-8")
    return path


def html_xxe(path: Path, outside: Path) -> Path:
    path.write_text(f'<?xml version="1.0"?>\n{_xxe_prolog(outside, "html")}'
                    "<html><body><p>Notes: &xxe;</p></body></html>", encoding="utf-8")
    return path


def html_deep(path: Path, outside: Path) -> Path:
    depth = 100_000
    path.write_text("<html><body>" + "<div>" * depth + "deep" + "</div>" * depth
                    + "</body></html>", encoding="utf-8")
    return path


def html_deep_unclosed(path: Path, outside: Path) -> Path:
    """100,000 nested elements whose end tags are all omitted."""
    path.write_text("<html><body>" + "<span><b><i>" * 33_334 + "deep", encoding="utf-8")
    return path


def xhtml_public_doctype(path: Path, outside: Path) -> Path:
    """A legitimate XHTML page whose doctype names a DTD by http URL: read, never fetched."""
    path.write_text(
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Strict//EN" '
        '"http://www.w3.org/TR/xhtml1/DTD/xhtml1-strict.dtd">\n'
        '<html xmlns="http://www.w3.org/1999/xhtml"><head><title>Visit</title></head><body>'
        f"<h1>Home visit</h1><p>Observations: {GOOD_TEXT}</p></body></html>", encoding="utf-8")
    return path
