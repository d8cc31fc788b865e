"""PDF: the text layer page by page, then filled AcroForm fields.

Each page's text (pypdf ``extract_text``, reading order) is one "page" block
(``name`` is the 1-based page number) with a "line" block per non-empty line.
After the last page every filled form field's value follows on its own
line(s) as a "form_field" block: ``name`` is the field's fully qualified name
(its ``/T``, prefixed by its parents' names for hierarchical fields) and
``style`` its tooltip ``/TU``, the label a person sees. Fields are ordered by
the position of their first widget (page, top to bottom, left to right).

An encrypted PDF is opened with the empty password when it has one (owner
password only) and refused otherwise.
"""

from __future__ import annotations

import io
import logging
import time
import warnings
from typing import Any

from dupscan.config import Limits
from dupscan.errors import IngestError
from dupscan.ingest._builder import TextBuilder
from dupscan.ingest._decode import normalise_newlines
from dupscan.ingest._limits import describe
from dupscan.model import Document

__all__ = ["read_pdf"]

# typographic ligatures some PDF fonts map to one code point; a reader sees the letters
_LIGATURES = str.maketrans({"\ufb00": "ff", "\ufb01": "fi", "\ufb02": "fl", "\ufb03": "ffi",
                            "\ufb04": "ffl", "\ufb05": "st", "\ufb06": "st", "\x00": ""})

# pypdf logs every repair it makes to a damaged file; keep that off the console
# (an application that configures logging still receives it through propagation)
logging.getLogger("pypdf").addHandler(logging.NullHandler())


def _open(data: bytes, display: str, limits: Limits):
    from pypdf import PdfReader
    from pypdf.errors import DependencyError, PdfReadError

    if b"%%EOF" not in data[-4096:]:
        raise IngestError(display, "truncated PDF (no %%EOF marker at the end)")
    try:
        reader = PdfReader(io.BytesIO(data), strict=False)
    except (PdfReadError, ValueError, KeyError, TypeError) as exc:
        raise IngestError(display, f"corrupt PDF ({describe(exc)})") from exc
    if reader.is_encrypted:
        try:
            opened = reader.decrypt("")
        except DependencyError as exc:
            raise IngestError(display, "encrypted PDF (AES with an empty password needs the "
                                       "'cryptography' package)") from exc
        except (PdfReadError, NotImplementedError) as exc:
            raise IngestError(display, f"encrypted PDF ({describe(exc)})") from exc
        if not opened:
            raise IngestError(display, "encrypted PDF (a password is required to open it)")
    pages = len(reader.pages)
    if pages > limits.max_pdf_pages:
        raise IngestError(display, f"PDF has {pages} pages (limit {limits.max_pdf_pages}; raise "
                                   "Limits.max_pdf_pages)")
    return reader


def _value(field: dict[str, Any]) -> str:
    """Display text of a field's ``/V`` ('' when empty or an unticked box)."""
    from pypdf.generic import ArrayObject, ByteStringObject, NameObject

    raw = field.get("/V")
    if raw is None:
        return ""
    options: dict[str, str] = {}
    for opt in field.get("/Opt") or []:
        opt = opt.get_object() if hasattr(opt, "get_object") else opt
        if isinstance(opt, (list, ArrayObject)) and len(opt) == 2:
            options[str(opt[0])] = str(opt[1])
    values = raw if isinstance(raw, (list, ArrayObject)) else [raw]
    out: list[str] = []
    for value in values:
        value = value.get_object() if hasattr(value, "get_object") else value
        if isinstance(value, NameObject):
            text = str(value)[1:]
            if text in ("Off", ""):
                continue
        elif isinstance(value, ByteStringObject):
            text = bytes(value).decode("latin-1")
        else:
            text = str(value)
        text = normalise_newlines(options.get(text, text)).strip()
        if text:
            out.append(text)
    return ", ".join(out)


def _qualified(node) -> str:
    names: list[str] = []
    seen: set[int] = set()
    while node is not None and id(node) not in seen and len(names) < 64:
        seen.add(id(node))
        if "/T" in node:
            names.append(str(node["/T"]))
        parent = node.get("/Parent")
        node = parent.get_object() if parent is not None else None
    return ".".join(reversed(names))


def _positions(reader) -> dict[str, tuple[int, float, float]]:
    """Position of the first widget of each field: (page, -top, left)."""
    found: dict[str, tuple[int, float, float]] = {}
    for index, page in enumerate(reader.pages):
        annots = page.get("/Annots")
        annots = annots.get_object() if annots is not None else []
        for annot in annots or []:
            widget = annot.get_object()
            if widget.get("/Subtype") != "/Widget":
                continue
            try:
                x0, y0, x1, y1 = (float(v) for v in widget.get("/Rect", [0, 0, 0, 0]))
            except (TypeError, ValueError):
                x0 = y0 = x1 = y1 = 0.0
            name = _qualified(widget)
            key = (index, -max(y0, y1), min(x0, x1))
            if name and (name not in found or key < found[name]):
                found[name] = key
    return found


def _form_fields(reader) -> list[tuple[str, str, str]]:
    """Filled fields as (qualified name, tooltip, value), in reading order."""
    fields = reader.get_fields() or {}
    if not fields:
        return []
    try:
        where = _positions(reader)
    except Exception:  # a malformed annotation array only costs the ordering
        where = {}
    rows = []
    for order, (name, field) in enumerate(fields.items()):
        value = _value(field)
        if value:
            tooltip = " ".join(str(field.get("/TU") or "").split())
            key = where.get(name, (len(reader.pages), 0.0, 0.0))
            rows.append((key, order, name, tooltip, value))
    rows.sort(key=lambda row: (row[0], row[1]))
    return [(name, tooltip, value) for _, _, name, tooltip, value in rows]


def _info(reader) -> dict[str, str]:
    meta: dict[str, str] = {"pages": str(len(reader.pages))}
    try:
        info = reader.metadata
    except Exception:  # broken /Info dictionary: the text is still readable
        return meta
    if not info:
        return meta
    for key, name in (("title", "/Title"), ("author", "/Author"), ("subject", "/Subject"),
                      ("created", "/CreationDate"), ("modified", "/ModDate")):
        value = info.get(name)
        if key in ("created", "modified"):
            try:
                stamp = info.creation_date if key == "created" else info.modification_date
            except (ValueError, TypeError):
                stamp = None
            value = stamp.isoformat() if stamp is not None else value
        if value:
            text = " ".join(str(value.get_object() if hasattr(value, "get_object") else value)
                            .split())
            if text:
                meta[key] = text
    return meta


def read_pdf(data: bytes, *, display: str, limits: Limits, fmt: str,
             metadata: dict[str, str]) -> list[Document]:
    """Read a PDF file into one Document."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return _read(data, display, limits, fmt, metadata)


def _read(data: bytes, display: str, limits: Limits, fmt: str,
          metadata: dict[str, str]) -> list[Document]:
    reader = _open(data, display, limits)
    builder = TextBuilder(display, limits.max_text_chars)
    began = time.monotonic()
    for number, page in enumerate(reader.pages, 1):
        if time.monotonic() - began > limits.file_timeout:
            raise IngestError(display, f"reading took longer than {limits.file_timeout:g} s "
                                       f"(stopped at page {number}; raise Limits.file_timeout)")
        text = normalise_newlines(page.extract_text() or "").translate(_LIGATURES).strip("\n")
        start, end = builder.add(text)
        builder.block("page", start, end, name=str(number))
        pos = start
        for line in text.split("\n"):
            if line.strip():
                builder.block("line", pos, pos + len(line))
            pos += len(line) + 1
        builder.add("\n")
    fields = _form_fields(reader)
    for name, tooltip, value in fields:
        builder.add_block("form_field", value, name=name, style=tooltip)
        builder.add("\n")
    meta = {**metadata, **_info(reader)}
    if _has_xfa(reader):
        meta["xfa"] = "XFA form data present but not read; only AcroForm fields are"
    if not builder.text.strip():
        reason = ("no text layer and no filled form fields (a scanned image PDF? "
                  "run OCR first)")
        if "xfa" in meta:
            reason = "XFA-only form: its data is not read (flatten or print it to PDF first)"
        raise IngestError(display, reason)
    return [builder.build(display, fmt, meta)]


def _has_xfa(reader) -> bool:
    try:
        acroform = reader.trailer["/Root"].get("/AcroForm")
        return acroform is not None and "/XFA" in acroform.get_object()
    except Exception:  # a broken catalogue: treat as no XFA
        return False
