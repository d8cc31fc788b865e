"""Bytes to text for the plain-text formats (txt, md, csv, jsonl, html).

Order of evidence: a byte-order mark; strict UTF-8; a declared charset (HTML);
charset-normalizer for the unknown case, with Windows-1252 preferred among the
single-byte Western code pages (the usual encoding of UK office exports, and
the one short texts with "£" or curly quotes are most often misread from).
Text that decodes to mostly control characters is refused as binary junk.
"""

from __future__ import annotations

import codecs
import re
import unicodedata

from dupscan.errors import IngestError

__all__ = ["decode", "normalise_newlines"]

_BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
# code pages charset-normalizer confuses with cp1252 on short Western text
_WESTERN = {"cp1252", "cp1250", "cp1257", "cp1254", "latin_1", "iso8859_15", "iso8859_2",
            "iso8859_9", "iso8859_13", "mac_roman", "mac_latin2", "cp850", "cp437", "ascii",
            "windows-1252", "iso-8859-1"}
#: share of characters that may be control/unassigned before a text counts as binary
JUNK_SHARE = 0.05
# C0 controls but tab, newline, vertical tab, form feed and CR; C1 controls; U+FFFD
_BAD_CHARS = re.compile("[\x00-\x08\x0e-\x1f\x7f-\x9f\ufffd]")
# beyond U+2FFF (CJK and up), where unassigned, private-use and surrogate code points live
_HIGH_CHARS = re.compile("[\u3000-\ufffc\ufffe-\U0010ffff]")
_NEWLINES = re.compile(r"\r\n?|\u2028|\u2029|\x85")


def normalise_newlines(text: str) -> str:
    """Turn CRLF, CR and Unicode line/paragraph separators into ``"\\n"``."""
    return _NEWLINES.sub("\n", text)


def _junk_share(text: str) -> float:
    if not text:
        return 0.0
    sample = text if len(text) <= 200_000 else text[:100_000] + text[-100_000:]
    bad = len(_BAD_CHARS.findall(sample))
    if not sample.isascii():
        bad += sum(1 for ch in _HIGH_CHARS.findall(sample)
                   if unicodedata.category(ch) in ("Cn", "Co", "Cs"))
    return bad / len(sample)


def _utf16_without_bom(data: bytes) -> str | None:
    """'utf-16-le'/'utf-16-be' when every other byte is mostly NUL (ASCII in UTF-16)."""
    sample = data[:4096]
    if len(sample) < 4:
        return None
    even, odd = sample[0::2], sample[1::2]
    if odd.count(0) > 0.7 * len(odd) and even.count(0) < 0.1 * len(even):
        return "utf-16-le"
    if even.count(0) > 0.7 * len(even) and odd.count(0) < 0.1 * len(odd):
        return "utf-16-be"
    return None


def _mostly_utf8(data: bytes) -> tuple[str | None, str]:
    """UTF-8 with a few stray bytes (text pasted from elsewhere), decoded lossily.

    Accepted only when real multi-byte UTF-8 sequences occur and invalid bytes
    are rare; ASCII with a stray Windows-1252 byte is left to the guesser.
    """
    text = data.decode("utf-8", errors="replace")
    bad = text.count("\ufffd")
    multibyte = sum(1 for ch in text if ch > "\x7f") - bad
    if multibyte >= 2 * bad and bad <= max(1, len(text) // 1000):
        return text, "utf-8"
    return None, ""


def _guess(data: bytes) -> str:
    import charset_normalizer

    best = charset_normalizer.from_bytes(data[:1_000_000]).best()
    encoding = (best.encoding if best is not None else "cp1252").lower()
    if encoding in _WESTERN or encoding.startswith(("iso8859", "mac_")):
        return "cp1252"
    return encoding


def decode(data: bytes, display: str, *, declared: str | None = None) -> tuple[str, str]:
    """Decode ``data`` to text with newlines normalised; return ``(text, encoding)``.

    Parameters
    ----------
    data : bytes
        The raw file.
    display : str
        File name for error messages.
    declared : str or None
        Charset the file declares about itself (an HTML ``<meta charset>``),
        used when there is no BOM and the bytes are not valid UTF-8.

    Raises
    ------
    IngestError
        "binary content, not text" when the decoded text is mostly control
        characters, NULs or unassigned code points.
    """
    text: str | None = None
    encoding = ""
    for bom, name in _BOMS:
        if data.startswith(bom):
            encoding = name
            text = data[len(bom):].decode(name, errors="replace")
            break
    if text is None and b"\x00" in data[:4096]:
        encoding = _utf16_without_bom(data) or ""
        if encoding:
            text = data.decode(encoding, errors="replace")
    if text is None:
        try:
            text = data.decode("utf-8")
            encoding = "utf-8"
        except UnicodeDecodeError:
            text = None
    if text is None and declared:
        try:
            encoding = codecs.lookup(declared).name
            # as browsers do (WHATWG Encoding): Latin-1 and ASCII labels mean Windows-1252
            encoding = "cp1252" if encoding in ("iso8859-1", "ascii", "latin-1") else encoding
            text = data.decode(encoding)
        except (LookupError, UnicodeDecodeError):
            text = None
    if text is None:
        text, encoding = _mostly_utf8(data)
    if text is None:
        encoding = _guess(data)
        try:
            text = data.decode(encoding, errors="replace")
        except LookupError:
            encoding = "cp1252"
            text = data.decode(encoding, errors="replace")
    if _junk_share(text) > JUNK_SHARE:
        raise IngestError(display, "binary content, not text")
    return normalise_newlines(text), encoding
