"""Decide what a file really is: by its suffix, then by its first bytes.

A suffix says what a file claims to be; magic bytes say what it is. A PDF named
``.docx`` is read as a PDF, and the mismatch is recorded by the caller.
"""

from __future__ import annotations

import io
import zipfile
from pathlib import PurePath

from dupscan.errors import IngestError
from dupscan.ingest._limits import describe

__all__ = ["FORMATS", "SUPPORTED_SUFFIXES", "format_for_suffix", "sniff"]

_BY_SUFFIX: dict[str, str] = {
    ".txt": "txt", ".text": "txt",
    ".md": "md", ".markdown": "md",
    ".docx": "docx", ".docm": "docx", ".dotx": "docx", ".dotm": "docx",
    ".pdf": "pdf",
    ".html": "html", ".htm": "html", ".xhtml": "html",
    ".csv": "csv", ".tsv": "csv",
    ".jsonl": "jsonl", ".ndjson": "jsonl",
}

#: every suffix :func:`dupscan.ingest.ingest` reads, lower case with the dot
SUPPORTED_SUFFIXES: frozenset[str] = frozenset(_BY_SUFFIX)
#: every format name a Document can carry
FORMATS: tuple[str, ...] = ("csv", "docx", "html", "jsonl", "md", "pdf", "txt")

# binary signatures that are never a supported document, with a reason
_REFUSED_MAGIC: tuple[tuple[bytes, str], ...] = (
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1",
     "legacy Office file or password-protected DOCX (OLE2 container); save it as .docx"),
    (b"{\\rtf", "RTF document is not supported; save it as .docx"),
    (b"\x89PNG\r\n\x1a\n", "PNG image, not a document"),
    (b"\xff\xd8\xff", "JPEG image, not a document"),
    (b"GIF8", "GIF image, not a document"),
    (b"II*\x00", "TIFF image, not a document"),
    (b"MM\x00*", "TIFF image, not a document"),
    (b"\x1f\x8b", "gzip archive, not a document"),
    (b"7z\xbc\xaf\x27\x1c", "7-zip archive, not a document"),
    (b"Rar!\x1a\x07", "RAR archive, not a document"),
    (b"\x7fELF", "executable, not a document"),
    (b"MZ", "executable, not a document"),
)
_TEXT_FORMATS = {"txt", "md", "csv", "jsonl", "html"}


def format_for_suffix(path: str | PurePath, display: str | None = None) -> str:
    """Format name claimed by the suffix of ``path``.

    Raises
    ------
    IngestError
        For a suffix dupscan does not read ("unsupported format").
    """
    suffix = PurePath(path).suffix.lower()
    fmt = _BY_SUFFIX.get(suffix)
    if fmt is None:
        shown = suffix or "no suffix"
        raise IngestError(display or str(path), f"unsupported format ({shown}); supported: "
                                                f"{', '.join(sorted(SUPPORTED_SUFFIXES))}")
    return fmt


def _looks_like_html(head: bytes) -> bool:
    for bom in (b"\xef\xbb\xbf",):
        if head.startswith(bom):
            head = head[len(bom):]
    start = head.lstrip()[:64].lower()
    if start.startswith(b"<?xml"):
        start = start[start.find(b"?>") + 2:].lstrip() if b"?>" in start else start
    return start.startswith((b"<!doctype html", b"<html"))


def sniff(data: bytes, claimed: str, display: str) -> str:
    """Real format of ``data`` given the ``claimed`` one.

    Returns ``claimed`` unless the bytes prove otherwise. Raises
    :class:`IngestError` for content no reader accepts (images, archives, OLE2,
    a zip that is not a DOCX, a DOCX or PDF that is neither).
    """
    head = data[:1024]
    if b"%PDF-" in head:
        return "pdf"
    if data.startswith(b"PK\x03\x04") or data.startswith(b"PK\x05\x06"):
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as archive:
                names = set(archive.namelist())
        except (zipfile.BadZipFile, OSError, ValueError, EOFError) as exc:
            what = "DOCX" if claimed == "docx" else "zip archive"
            raise IngestError(display, f"corrupt or truncated {what} ({describe(exc)})") from exc
        if "word/document.xml" in names:
            return "docx"
        kind = ("spreadsheet (XLSX)" if "xl/workbook.xml" in names
                else "presentation (PPTX)" if "ppt/presentation.xml" in names
                else "OpenDocument file" if "mimetype" in names else "zip archive")
        raise IngestError(display, f"{kind} is not a supported document (no word/document.xml)")
    for magic, reason in _REFUSED_MAGIC:
        if data.startswith(magic):
            if magic == b"MZ" and claimed in _TEXT_FORMATS:
                break  # two letters are too weak to refuse a text file on
            raise IngestError(display, reason)
    if claimed in ("docx", "pdf"):
        if _looks_like_html(head):
            return "html"
        what = "DOCX (no zip signature)" if claimed == "docx" else "PDF (no %PDF header)"
        raise IngestError(display, f"not a valid {what}; the file is corrupt or mislabelled")
    if claimed in ("txt", "md") and _looks_like_html(head):
        return "html"
    return claimed
