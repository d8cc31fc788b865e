"""Safety checks applied before and while a file is read.

Path containment (symlinks included), size bounds, zip-bomb and XML-entity
guards. Each check raises :class:`~dupscan.errors.IngestError` with one short
reason; nothing here parses document content.
"""

from __future__ import annotations

import os
import re
import stat
import zipfile
from dataclasses import dataclass
from pathlib import Path

from dupscan.config import Limits
from dupscan.errors import IngestError, UnsafePathError

__all__ = ["Located", "check_xml", "check_zip", "describe", "locate", "read_bounded"]

#: zip members smaller than this are not held to the compression-ratio limit:
#: small, repetitive XML parts legitimately compress far better than 200:1.
_RATIO_MIN_BYTES = 1024 * 1024
_MAX_ZIP_MEMBERS = 10_000
_XML_DANGER = re.compile(rb"<!\s*(?:DOCTYPE|ENTITY)", re.IGNORECASE)
_XML_DANGER_16 = [s.encode(enc) for s in ("<!DOCTYPE", "<!ENTITY", "<!doctype", "<!entity")
                  for enc in ("utf-16-le", "utf-16-be")]


_ADDRESS = re.compile(r"<[^<>]*? at 0x[0-9a-fA-F]+>")


def describe(exc: BaseException, *, with_type: bool = False, limit: int = 160) -> str:
    """One short, deterministic line for a third-party exception.

    Memory addresses (``<_io.BytesIO object at 0x...>``) are replaced so that the
    same bad file always gives the same reason.
    """
    message = " ".join(_ADDRESS.sub("<stream>", str(exc)).split())
    if len(message) > limit:
        message = message[: limit - 1] + "…"
    name = type(exc).__name__
    if not message:
        return name
    return f"{name}: {message}" if with_type and name not in message else message


@dataclass(frozen=True, slots=True)
class Located:
    """A file to read: where it is on disk and how it is named in output."""

    real: Path
    display: str
    size: int


def locate(path: str | os.PathLike[str], root: str | os.PathLike[str] | None) -> Located:
    """Resolve ``path``, check it lies inside ``root`` and is a regular file.

    The display name is the path relative to ``root`` with ``/`` separators
    (symlinks are not followed for the name), or the path as given.
    """
    given = Path(path)
    display = given.as_posix()
    real = given.resolve()
    if root is not None:
        root_real = Path(root).resolve()
        lexical = Path(os.path.abspath(given))
        try:
            display = lexical.relative_to(Path(os.path.abspath(root))).as_posix()
        except ValueError:
            try:
                display = lexical.relative_to(root_real).as_posix()
            except ValueError:
                raise UnsafePathError(display, f"outside the scan root {Path(root).as_posix()}"
                                      ) from None
        if real != root_real and root_real not in real.parents:
            raise UnsafePathError(display, "resolves (through a symlink) outside the scan root")
    try:
        st = os.stat(real)
    except FileNotFoundError:
        raise IngestError(display, "file not found") from None
    except OSError as exc:
        raise IngestError(display, f"cannot stat file: {exc.strerror or exc}") from exc
    if stat.S_ISDIR(st.st_mode):
        raise IngestError(display, "is a directory, not a file")
    if not stat.S_ISREG(st.st_mode):
        raise IngestError(display, "not a regular file (device, pipe or socket)")
    return Located(real=real, display=display, size=st.st_size)


def read_bounded(loc: Located, limits: Limits) -> bytes:
    """Read the whole file after checking its size against ``limits``."""
    if loc.size > limits.max_file_bytes:
        raise IngestError(loc.display, f"file too large ({loc.size} bytes > limit "
                                       f"{limits.max_file_bytes}; raise Limits.max_file_bytes)")
    if loc.size == 0:
        raise IngestError(loc.display, "empty file")
    try:
        with open(loc.real, "rb") as handle:
            data = handle.read(limits.max_file_bytes + 1)
    except OSError as exc:
        raise IngestError(loc.display, f"cannot read file: {exc.strerror or exc}") from exc
    if len(data) > limits.max_file_bytes:
        raise IngestError(loc.display, f"file too large (grew past {limits.max_file_bytes} bytes)")
    if not data:
        raise IngestError(loc.display, "empty file")
    return data


def check_zip(archive: zipfile.ZipFile, display: str, limits: Limits) -> None:
    """Refuse a zip bomb using the central directory only (nothing is inflated)."""
    members = archive.infolist()
    if len(members) > _MAX_ZIP_MEMBERS:
        raise IngestError(display, f"zip archive has {len(members)} members (limit "
                                   f"{_MAX_ZIP_MEMBERS}); refusing a possible zip bomb")
    total = 0
    for info in members:
        total += info.file_size
        if total > limits.max_unpacked_bytes:
            raise IngestError(display, f"zip bomb guard: unpacked size over "
                                       f"{limits.max_unpacked_bytes} bytes")
        if info.file_size >= _RATIO_MIN_BYTES:
            ratio = info.file_size / max(info.compress_size, 1)
            if ratio > limits.max_compression_ratio:
                raise IngestError(display, f"zip bomb guard: member {info.filename} compresses "
                                           f"{ratio:.0f}:1 (limit "
                                           f"{limits.max_compression_ratio:g})")


def check_xml(data: bytes, display: str, part: str = "") -> None:
    """Refuse XML carrying a DTD or entity declarations (entity expansion, XXE)."""
    if _XML_DANGER.search(data) or any(p in data for p in _XML_DANGER_16):
        where = f" in {part}" if part else ""
        raise IngestError(display, f"XML DTD or entity declaration{where} refused "
                                   "(entity expansion / external entity risk)")
