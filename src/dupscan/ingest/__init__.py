"""Read form files into :class:`~dupscan.model.Document` objects.

One entry point, :func:`ingest`, reads txt, Markdown, DOCX, PDF (text layer and
AcroForm fields), HTML and CSV/JSONL exports. Every block of a Document indexes
its one extracted text exactly: ``doc.text[b.start:b.end]`` is the block's text.

A bad file never stops a scan: anything wrong with a file (too large, empty,
corrupt, encrypted, a zip bomb, XML entities, binary junk, outside the scan
root) raises :class:`~dupscan.errors.IngestError` with a one-line reason, and
third-party exceptions are translated at this boundary.

>>> import tempfile, pathlib
>>> folder = pathlib.Path(tempfile.mkdtemp())
>>> _ = (folder / "note.md").write_text("# Visit\\nMum was at home.\\n", encoding="utf-8")
>>> doc, = ingest(folder / "note.md", root=folder)
>>> doc.path, [(b.kind, doc.text[b.start:b.end]) for b in doc.blocks]
('note.md', [('heading', '# Visit'), ('line', 'Mum was at home.')])
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

from dupscan.config import Limits
from dupscan.errors import ConfigError, IngestError
from dupscan.ingest._export import ExportOptions
from dupscan.ingest._limits import describe, locate, read_bounded
from dupscan.ingest._sniff import FORMATS, SUPPORTED_SUFFIXES, format_for_suffix, sniff
from dupscan.model import Document

__all__ = ["FORMATS", "SUPPORTED_SUFFIXES", "ExportOptions", "detect_format", "ingest"]

_DEFAULT_LIMITS = Limits()


def _reader(fmt: str) -> Callable[..., list[Document]]:
    # imported lazily: a scan of text files never loads lxml, pypdf or python-docx
    if fmt in ("txt", "md"):
        from dupscan.ingest._text import read_text
        return read_text
    if fmt == "docx":
        from dupscan.ingest._docx import read_docx
        return read_docx
    if fmt == "pdf":
        from dupscan.ingest._pdf import read_pdf
        return read_pdf
    if fmt == "html":
        from dupscan.ingest._html import read_html
        return read_html
    if fmt in ("csv", "jsonl"):
        from dupscan.ingest._export import read_export
        return read_export
    raise ConfigError(f"unknown format {fmt!r}; choose from {', '.join(FORMATS)}")


def detect_format(path: str | os.PathLike[str]) -> str:
    """Format a file will be read as: its suffix, corrected by its magic bytes.

    Parameters
    ----------
    path : str or path-like
        The file. Only its first bytes are read (a zip's directory for DOCX).

    Returns
    -------
    str
        One of :data:`FORMATS`.

    Raises
    ------
    IngestError
        For an unsupported suffix or content no reader accepts.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "form.docx"
    >>> _ = p.write_bytes(b"%PDF-1.7\\n...")
    >>> detect_format(p)
    'pdf'
    """
    loc = locate(path, None)
    claimed = format_for_suffix(Path(path), loc.display)
    try:
        with open(loc.real, "rb") as handle:
            data = handle.read(8192)
    except OSError as exc:
        raise IngestError(loc.display, f"cannot read file ({describe(exc)})") from exc
    if not data:
        raise IngestError(loc.display, "empty file")
    if data.startswith((b"PK\x03\x04", b"PK\x05\x06")):  # a zip: sniffing needs its directory
        data = read_bounded(loc, _DEFAULT_LIMITS)
    return sniff(data, claimed, loc.display)


def ingest(path: str | os.PathLike[str], *, root: str | os.PathLike[str] | None = None,
           limits: Limits = _DEFAULT_LIMITS, fmt: str | None = None,
           export: ExportOptions | None = None) -> list[Document]:
    """Read one file into Documents: one per form.

    Parameters
    ----------
    path : str or path-like
        The file to read.
    root : str, path-like or None, default=None
        Scan root. ``Document.path`` is then relative to it with ``/``
        separators, and a path resolving outside it (symlinks included) is
        refused with :class:`~dupscan.errors.UnsafePathError`.
    limits : Limits, default=Limits()
        Size, page, nesting and zip bounds.
    fmt : str or None, default=None
        Force a format (one of :data:`FORMATS`) instead of detecting it.
    export : ExportOptions or None, default=None
        How to read CSV/JSONL exports (delimiter, which columns hold the case
        id, date, form type and author).

    Returns
    -------
    list of Document
        One Document for most files; one per data row for a CSV/JSONL export,
        with path ``"<relpath>#<n>"`` (``n`` counts data rows from 1).

    Raises
    ------
    IngestError
        For any file that cannot be read, with a one-line reason.
    """
    if fmt is not None and fmt not in FORMATS:
        raise ConfigError(f"unknown format {fmt!r}; choose from {', '.join(FORMATS)}")
    try:
        loc = locate(path, root)
    except IngestError:
        raise
    except (OSError, RuntimeError, ValueError) as exc:  # symlink loops, bad names
        raise IngestError(Path(path).as_posix(),
                          f"cannot resolve path ({describe(exc)})") from exc
    real_fmt = fmt or "?"
    try:
        claimed = fmt or format_for_suffix(Path(path), loc.display)
        data = read_bounded(loc, limits)
        metadata: dict[str, str] = {}
        real_fmt = claimed if fmt else sniff(data, claimed, loc.display)
        if real_fmt != claimed:
            metadata["format_mismatch"] = (f"named {Path(loc.display).suffix or claimed!s} "
                                           f"but the content is {real_fmt}")
        reader = _reader(real_fmt)
        options = {"export": export or ExportOptions()} if real_fmt in ("csv", "jsonl") else {}
        return reader(data, display=loc.display, limits=limits, fmt=real_fmt,
                      metadata=metadata, **options)
    except IngestError:
        raise
    except RecursionError as exc:
        raise IngestError(loc.display, "structure nested too deeply to read") from exc
    except MemoryError as exc:
        raise IngestError(loc.display, "out of memory while reading") from exc
    except Exception as exc:  # third-party parsers raise anything; translate at the boundary
        raise IngestError(loc.display, f"cannot read {real_fmt}: "
                                       f"{describe(exc, with_type=True)}") from exc
