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

import os
import random
import zlib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from hostile_base import GOOD_TEXT, MiB, SECRET_MARKER, secret_file
from hostile_office import (XSS, XSS_NAME, docx_billion_laughs, docx_bytes, docx_deep_xml,
                            docx_external_refs, docx_ole_encrypted, docx_truncated, docx_xxe,
                            docx_xxe_in_styles, docx_xxe_passwd, good_docx, html_billion_laughs,
                            html_deep, html_deep_unclosed, html_xxe, write_good_case,
                            write_xss_case, xhtml_public_doctype, zip_bomb_document,
                            zip_bomb_lying, zip_bomb_member, zip_many_members)
from hostile_pdf import (pdf_bytes, pdf_deep_page_tree, pdf_encrypted, pdf_flate_bomb,
                         pdf_many_pages, pdf_nested_arrays, pdf_page_tree_cycle,
                         pdf_reference_chain, pdf_reference_cycle, pdf_shared_content_flood,
                         pdf_truncated)

__all__ = ["CASES", "GOOD_TEXT", "SECRET_MARKER", "XSS", "XSS_NAME", "Case", "build_case",
           "docx_bytes", "good_docx", "pdf_bytes", "secret_file", "write_good_case",
           "write_xss_case"]

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
    # a reference of its own: forms of one case alike in every word are copies of one
    # record, and all but the first would be left out (dupscan.batch.copies)
    reference = zlib.crc32(path.name.encode("utf-8", "surrogateescape"))
    path.write_text(f"Case ID: C2\nObservations: {GOOD_TEXT}\nReference: {reference}\n",
                    encoding="utf-8")
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
    Case("zip_bomb_member", "H/zip_bomb_member.docx", zip_bomb_member, "refuse",
         "DOCX with a 120 MiB member of zeros (about 1000:1)"),
    Case("zip_bomb_document", "H/zip_bomb_document.docx", zip_bomb_document, "refuse",
         "DOCX whose document.xml inflates to 150 MiB"),
    Case("zip_bomb_lying_sizes", "H/zip_bomb_lying.docx", zip_bomb_lying, "refuse",
         "DOCX whose directory understates a 64 MiB member as 2 KB"),
    Case("zip_many_members", "H/zip_many_members.docx", zip_many_members, "refuse",
         "DOCX with 12,000 members"),
    Case("docx_billion_laughs", "H/billion_laughs.docx", docx_billion_laughs, "refuse",
         "DOCX document.xml with nested entity expansion"),
    Case("docx_xxe_file", "H/xxe_secret.docx", docx_xxe, "refuse",
         "DOCX with an external entity naming a file outside the root"),
    Case("docx_xxe_passwd", "H/xxe_passwd.docx", docx_xxe_passwd, "refuse",
         'DOCX with <!ENTITY xxe SYSTEM "file:///etc/passwd">'),
    Case("docx_xxe_utf16_part", "H/xxe_utf16_part.docx", docx_xxe_in_styles, "refuse",
         "DOCX with a UTF-16 XML part declaring an external entity"),
    Case("docx_deep_xml", "H/deep_xml.docx", docx_deep_xml, "refuse",
         "DOCX with 100,000 nested content controls"),
    Case("docx_truncated", "H/truncated.docx", docx_truncated, "refuse",
         "DOCX cut in half"),
    Case("docx_encrypted_ole", "H/encrypted.docx", docx_ole_encrypted, "refuse",
         "password-protected DOCX (OLE2 container)"),
    Case("html_billion_laughs", "H/billion_laughs.html", html_billion_laughs, "refuse",
         "HTML/XML with nested entity expansion"),
    Case("html_xxe_file", "H/xxe_secret.html", html_xxe, "refuse",
         "HTML with an external entity naming a file outside the root"),
    Case("html_deep_100k", "H/deep.html", html_deep, "refuse",
         "HTML nested 100,000 levels deep"),
    Case("html_deep_unclosed", "H/deep_unclosed.html", html_deep_unclosed, "refuse",
         "HTML with 100,000 nested inline elements, none closed"),
    Case("pdf_nested_arrays", "H/nested_arrays.pdf", pdf_nested_arrays, "refuse",
         "PDF page with arrays nested 100,000 deep"),
    Case("pdf_deep_page_tree", "H/deep_page_tree.pdf", pdf_deep_page_tree, "refuse",
         "PDF page tree 20,000 levels deep"),
    Case("pdf_reference_chain", "H/reference_chain.pdf", pdf_reference_chain, "refuse",
         "PDF /Contents behind 50,000 chained indirect references"),
    Case("pdf_page_tree_cycle", "H/page_tree_cycle.pdf", pdf_page_tree_cycle, "refuse",
         "PDF /Pages node that is its own kid"),
    Case("pdf_reference_cycle", "H/reference_cycle.pdf", pdf_reference_cycle, "refuse",
         "PDF /Contents reference cycle (4 -> 5 -> 4)"),
    Case("pdf_flate_bomb", "H/flate_bomb.pdf", pdf_flate_bomb, "refuse",
         "PDF content stream of 100 KiB inflating to 100 MiB"),
    Case("pdf_operator_flood", "H/operator_flood.pdf", pdf_shared_content_flood, "refuse",
         "1,000 PDF pages sharing one stream of 64,000 text operators (file_timeout=3 s)",
         limits=(("file_timeout", 3.0),), in_scan=False),
    Case("pdf_many_pages", "H/many_pages.pdf", pdf_many_pages, "refuse",
         "PDF with 2,500 pages (default limit 2,000)"),
    Case("pdf_encrypted", "H/encrypted.pdf", pdf_encrypted, "refuse",
         "PDF encrypted with a user password"),
    Case("pdf_truncated", "H/truncated.pdf", pdf_truncated, "refuse", "PDF cut in half"),
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
    Case("xhtml_public_doctype", "C2/xhtml_doctype.html", xhtml_public_doctype, "read",
         "legitimate XHTML whose doctype names a DTD by http URL (must not be fetched)"),
    Case("docx_external_refs", "C2/external_refs.docx", docx_external_refs, "read",
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
