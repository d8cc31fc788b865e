"""Atomic file output: a reader never sees a half-written report.

Every file dupscan writes goes to a temporary file in the same folder first and
is then renamed over the target (``os.replace`` is atomic on POSIX and Windows).
:func:`try_lock` holds the locks that keep two scans apart (the index) and tell a
killed scan's left-overs from a running one's (the report's spool folder).
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, BinaryIO

__all__ = ["LOCKS_WORK", "atomic_write_bytes", "atomic_write_chunks", "atomic_write_text",
           "atomic_writer", "try_lock"]

try:
    import fcntl
except ImportError:  # pragma: no cover - not POSIX: no cross-process lock
    fcntl = None  # type: ignore[assignment]

#: whether :func:`try_lock` really locks (``flock``, POSIX only)
LOCKS_WORK = fcntl is not None


def atomic_write_bytes(path: str | os.PathLike[str], data: bytes) -> Path:
    """Write ``data`` to ``path`` atomically; return the path."""
    return atomic_write_chunks(path, (data,))


def atomic_write_chunks(path: str | os.PathLike[str], chunks: Iterable[bytes]) -> Path:
    """Write ``chunks`` one after another to ``path`` atomically; return the path.

    For reports of 100k findings: only one chunk is held at a time, never the
    whole file.
    """
    with atomic_writer(path) as handle:
        for chunk in chunks:
            handle.write(chunk)
    return Path(path)


@contextmanager
def atomic_writer(path: str | os.PathLike[str]) -> Iterator[BinaryIO]:
    """A binary file that replaces ``path`` when the block ends, and is removed
    unseen when the block raises.

    For files written a piece at a time beside others (a generated corpus writes its
    manifest, fields and truth one case at a time, so that a million forms are never
    held at once).
    """
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            yield handle
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, target)
    except BaseException:
        try:
            os.unlink(tmp)
        except FileNotFoundError:
            pass
        raise


def atomic_write_text(path: str | os.PathLike[str], text: str) -> Path:
    """Write ``text`` as UTF-8 to ``path`` atomically; return the path."""
    return atomic_write_bytes(path, text.encode("utf-8"))


def try_lock(path: str | os.PathLike[str]) -> Any:
    """Open ``path`` (created if missing) holding an exclusive lock on it; return the
    open file, or None when another process holds the lock.

    The lock is the operating system's (``flock``): closing the file releases it,
    and so does the end of the process, even by SIGKILL. Without ``flock`` (not
    POSIX) the file is opened and nothing is locked.
    """
    handle = open(path, "a+")
    if fcntl is None:  # pragma: no cover - not POSIX
        return handle
    try:
        fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        handle.close()
        return None
    return handle
