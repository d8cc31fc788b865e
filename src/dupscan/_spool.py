"""Sequences held on disk: a report's forms and findings without holding them in memory.

A scan of a million forms makes about a million findings; held as objects they
take several gigabytes in the scan's own process. A :class:`Spool` keeps them in
a temporary file instead, in batches, and reads them back each time it is
iterated, so the report can be written (JSON, CSV, HTML) in one pass per file
with only one batch in memory.

The file is written and read by the same process, in a folder it made
(mode 0700), so ``pickle`` is safe here; it is never read from elsewhere. A
report's forms and findings are kept as positional JSON rows instead
(:mod:`dupscan._rows`): a case whose report part was stored in the scan index
in that form is appended as it is, without being decoded (:meth:`Spool.extend_encoded`).
"""

from __future__ import annotations

import os
import pickle
import shutil
import stat
import tempfile
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import replace
from itertools import islice
from pathlib import Path
from typing import Any, Generic, NamedTuple, TypeVar, overload

from dupscan._io import LOCKS_WORK, try_lock
from dupscan._rows import (decode_fields, decode_findings, decode_forms, encode_fields,
                           encode_findings, encode_forms, finding_rows, form_rows)
from dupscan.errors import DupscanError
from dupscan.model import Field, Finding, Form

__all__ = ["Codec", "MappedSequence", "SplitSpool", "Spool", "SpoolFolder", "batched",
           "finding_spool", "form_spool", "heads", "split_fields", "with_fields"]

T = TypeVar("T")
U = TypeVar("U")

_BATCH = 1024  # items pickled together: fewer, larger pickles are much faster
_FRAME = 8  # bytes of the length written before each batch
_BUFFER = 1 << 20  # bytes buffered before a write to the file


class Codec(NamedTuple):
    """How a spool writes a batch of items to bytes and reads it back."""

    dumps: Callable[[list[Any]], bytes]
    loads: Callable[[bytes], list[Any]]
    #: a batch as plain rows, for a reader that writes them out without the objects
    #: (:meth:`Spool.rows`); None when the codec has no such rows
    rows: Callable[[bytes], list[Any]] | None = None


PICKLE = Codec(lambda items: pickle.dumps(items, protocol=pickle.HIGHEST_PROTOCOL),
               pickle.loads)
FORMS = Codec(lambda forms: encode_forms(forms).encode(), lambda data: decode_forms(data.decode()),
              form_rows)
FIELDS = Codec(lambda groups: encode_fields(groups).encode(),
               lambda data: decode_fields(data.decode()))
FINDINGS = Codec(lambda findings: encode_findings(findings).encode(),
                 lambda data: decode_findings(data.decode()), finding_rows)


def batched(items: Iterable[T], size: int) -> Iterator[list[T]]:
    """Lists of ``size`` items (the last one shorter), in order.

    >>> list(batched(range(5), 2))
    [[0, 1], [2, 3], [4]]
    """
    it = iter(items)
    while chunk := list(islice(it, size)):
        yield chunk


class _ReadFromStart(Sequence[T], Generic[T]):
    """Indexing for a sequence read from disk from its start each time it is iterated."""

    @overload
    def __getitem__(self, index: int) -> T: ...

    @overload
    def __getitem__(self, index: slice) -> list[T]: ...

    def __getitem__(self, index: int | slice) -> T | list[T]:
        length = len(self)
        if isinstance(index, slice):
            start, stop, step = index.indices(length)
            return list(islice(self, start, stop, step)) if stop > start else []
        i = index + length if index < 0 else index
        if not 0 <= i < length:
            raise IndexError("spool index out of range")
        return next(islice(self, i, None))


class Spool(_ReadFromStart[T], Generic[T]):
    """An append-only sequence pickled to a temporary file in ``directory``.

    Append while writing; iterate (any number of times) once :meth:`seal` has
    been called. Indexing reads from the start: meant for ``spool[:n]`` on small
    slices, not for random access. :meth:`close` deletes the file.

    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as d:
    ...     s = Spool(d)
    ...     s.extend(range(3000))
    ...     _ = s.seal()
    ...     (len(s), sum(s), s[2999], s[1:3])
    ...     s.close()
    (3000, 4498500, 2999, [1, 2])
    """

    def __init__(self, directory: str | os.PathLike[str], *, batch: int = _BATCH,
                 codec: Codec = PICKLE) -> None:
        if batch < 1:
            raise ValueError(f"batch must be 1 or more, got {batch}")
        fd, name = tempfile.mkstemp(prefix=".spool-", dir=directory)
        self.path = Path(name)
        # each case's rows are appended as they come: gathered into large writes
        # (the default buffer writes anything over 8 KiB with a system call of its own)
        self._handle: Any = os.fdopen(fd, "wb", buffering=_BUFFER)
        self._pending: list[T] = []
        self._batch = batch
        self.codec = codec
        self._length = 0
        self._sealed = False
        # the items' JSON lines, when every item so far came with its line (see
        # extend_encoded): None until the first line, and for good once an item comes
        # without one
        self._lines: _Lines | None = None
        self._lines_cover = 0

    def append(self, item: T) -> None:
        if self._sealed:
            raise ValueError("spool is sealed: nothing can be appended")
        self._pending.append(item)
        self._length += 1
        if len(self._pending) >= self._batch:
            self._flush()

    def extend(self, items: Iterable[T]) -> None:
        for item in items:
            self.append(item)

    def extend_encoded(self, data: bytes, count: int, lines: bytes | None = None) -> None:
        """Append ``count`` items given as ``codec.dumps`` of their list (written as they are).

        ``lines``, when given, is how a report file writes these items, one line an
        item, UTF-8 (for findings, :func:`dupscan.report.json.finding_line`): kept beside
        the items, so that the file copies them (:meth:`json_lines`) rather than
        writing each item again from its row.
        """
        if self._sealed:
            raise ValueError("spool is sealed: nothing can be appended")
        self._flush()
        self._write(data)
        if lines is not None and count and self._lines_cover == self._length:
            given = lines.count(b"\n") + 1
            if given != count:
                raise ValueError(f"{count} items came with {given} lines")
            if self._lines is None:
                self._lines = _Lines(self.path.parent)
            self._lines.add(lines)
            self._lines_cover += count
        self._length += count

    def json_lines(self) -> Iterator[str] | None:
        """The items' lines given to :meth:`extend_encoded`, as a JSON list's body:
        each line indented by four spaces, lines separated by a comma and a line
        break; None unless every item came with its line."""
        if not self._sealed:
            raise ValueError("spool is still being written: call seal() first")
        if self._lines is None or self._lines_cover != self._length:
            return None
        return self._lines.read()

    def _write(self, data: bytes) -> None:
        self._handle.write(len(data).to_bytes(_FRAME, "little"))
        self._handle.write(data)

    def _flush(self) -> None:
        if self._pending:
            self._write(self.codec.dumps(self._pending))
            self._pending = []

    def seal(self) -> Spool[T]:
        """Finish writing; return the spool, now readable."""
        if not self._sealed:
            self._flush()
            self._handle.close()
            if self._lines is not None:
                self._lines.seal()
            self._sealed = True
        return self

    def close(self) -> None:
        """Delete the file (the spool is empty afterwards)."""
        if not self._sealed:
            self._handle.close()
            self._sealed = True
        self._pending = []
        self._length = 0
        self.path.unlink(missing_ok=True)
        if self._lines is not None:
            self._lines.close()
            self._lines, self._lines_cover = None, 0

    def __len__(self) -> int:
        return self._length

    def __iter__(self) -> Iterator[T]:
        return self._read(self.codec.loads)

    def rows(self) -> Iterator[Any]:
        """The items as the plain rows of their codec (``Codec.rows``: positional JSON
        lists for forms and findings), read without building the objects.

        Raises
        ------
        ValueError
            The codec has no plain rows.
        """
        if self.codec.rows is None:
            raise ValueError("this spool's codec has no plain rows")
        return self._read(self.codec.rows)

    def _read(self, loads: Callable[[bytes], list[Any]]) -> Iterator[Any]:
        if not self._sealed:
            raise ValueError("spool is still being written: call seal() first")
        if not self._length:
            return
        with self.path.open("rb") as handle:
            while header := handle.read(_FRAME):
                data = handle.read(int.from_bytes(header, "little"))
                try:
                    items = loads(data)
                except (ValueError, LookupError, TypeError) as exc:
                    # rows appended as a scan index stored them, altered there since
                    raise DupscanError(f"report rows kept on disk cannot be read back "
                                       f"({type(exc).__name__}: {exc}); scan again with a "
                                       "new --index") from exc
                yield from items

    def __repr__(self) -> str:
        return f"Spool({len(self)} items in {self.path.name})"


class _Lines:
    """Text kept in a temporary file as the body of a JSON list: lines added in
    groups, each line indented, lines separated by ``,`` and a line break (UTF-8)."""

    _READ = 1 << 20  # characters read back at a time

    def __init__(self, directory: str | os.PathLike[str]) -> None:
        fd, name = tempfile.mkstemp(prefix=".spool-lines-", dir=directory)
        self.path = Path(name)
        self._handle: Any = os.fdopen(fd, "wb", buffering=_BUFFER)
        self._started = False

    def add(self, lines: bytes) -> None:
        """Add lines given one a line (``\\n`` between them)."""
        self._handle.write(b",\n    " if self._started else b"    ")
        self._handle.write(lines.replace(b"\n", b",\n    "))
        self._started = True

    def seal(self) -> None:
        self._handle.close()

    def read(self) -> Iterator[str]:
        with self.path.open(encoding="utf-8", newline="") as handle:
            while text := handle.read(self._READ):
                yield text

    def close(self) -> None:
        self._handle.close()
        self.path.unlink(missing_ok=True)


class SplitSpool(_ReadFromStart[T], Generic[T, U]):
    """Items kept on disk in two parts, each in its own :class:`Spool`.

    ``split(item)`` gives ``(head, rest)`` and ``join(head, rest)`` the item
    again. Iterating joins the parts; :meth:`heads` reads the heads alone, so a
    reader that needs no more does not pay to unpickle the rest. (A report's
    renderers read each form's case, type, date and words, never its structured
    fields, which take nine tenths of the time to read a form back.)

    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as d:
    ...     s = SplitSpool(d, split=lambda x: (x[0], x[1:]), join=lambda h, r: h + r)
    ...     s.extend(["ava", "mum"])
    ...     _ = s.seal()
    ...     (list(s), list(s.heads()), s[1])
    ...     s.close()
    (['ava', 'mum'], ['a', 'm'], 'mum')
    """

    def __init__(self, directory: str | os.PathLike[str], *,
                 split: Callable[[T], tuple[U, Any]], join: Callable[[U, Any], T],
                 batch: int = _BATCH, codecs: tuple[Codec, Codec] = (PICKLE, PICKLE)) -> None:
        self._heads: Spool[U] = Spool(directory, batch=batch, codec=codecs[0])
        try:
            self._rests: Spool[Any] = Spool(directory, batch=batch, codec=codecs[1])
        except BaseException:
            self._heads.close()
            raise
        self._split, self._join = split, join
        self.codecs = codecs

    def append(self, item: T) -> None:
        head, rest = self._split(item)
        self._heads.append(head)
        self._rests.append(rest)

    def extend(self, items: Iterable[T]) -> None:
        for item in items:
            self.append(item)

    def extend_encoded(self, heads: bytes, rests: bytes, count: int,
                       lines: bytes | None = None) -> None:
        """Append ``count`` items given as the encoded lists of their heads and rests;
        ``lines``, when given, how a report file writes them (see
        :meth:`Spool.extend_encoded`)."""
        self._heads.extend_encoded(heads, count, lines)
        self._rests.extend_encoded(rests, count)

    def json_lines(self) -> Iterator[str] | None:
        """:meth:`Spool.json_lines` of the items (kept with their heads)."""
        return self._heads.json_lines()

    def seal(self) -> SplitSpool[T, U]:
        """Finish writing; return the spool, now readable."""
        self._heads.seal()
        self._rests.seal()
        return self

    def close(self) -> None:
        """Delete both files."""
        self._heads.close()
        self._rests.close()

    def __len__(self) -> int:
        return len(self._heads)

    def __iter__(self) -> Iterator[T]:
        return map(self._join, self._heads, self._rests)

    def heads(self) -> Iterator[U]:
        """The heads of the items, in order, without reading the rest."""
        return iter(self._heads)

    def head_rows(self) -> Iterator[Any]:
        """:meth:`heads` as plain rows (see :meth:`Spool.rows`)."""
        return self._heads.rows()

    def __repr__(self) -> str:
        return f"SplitSpool({len(self)} items)"


def split_fields(form: Form) -> tuple[Form, tuple[Field, ...]]:
    """``form`` without its fields, and its fields (how :func:`form_spool` keeps a form)."""
    return replace(form, fields=()), form.fields


def with_fields(form: Form, fields: tuple[Field, ...]) -> Form:
    """Inverse of :func:`split_fields`."""
    return replace(form, fields=fields)


def form_spool(directory: str | os.PathLike[str]) -> SplitSpool[Form, Form]:
    """A spool of forms that keeps each form's fields apart from the rest.

    A report's renderers read its forms three times (JSON, CSV, HTML) and never
    their fields; :func:`heads` gives them the forms without fields, while
    iterating the spool still gives whole forms.
    """
    return SplitSpool(directory, split=split_fields, join=with_fields, codecs=(FORMS, FIELDS))


def finding_spool(directory: str | os.PathLike[str]) -> Spool[Finding]:
    """A spool of findings, kept as positional JSON rows."""
    return Spool(directory, codec=FINDINGS)


def heads(items: Iterable[T]) -> Iterable[Any]:
    """``items.heads()`` when ``items`` is a :class:`SplitSpool`, else ``items``."""
    return items.heads() if isinstance(items, SplitSpool) else items


class MappedSequence(Sequence[U], Generic[T, U]):
    """``fn`` applied to each item of ``items`` as it is read (nothing is held).

    >>> MappedSequence([1, 2, 3], str)[1:]
    ['2', '3']
    """

    def __init__(self, items: Sequence[T], fn: Callable[[T], U]) -> None:
        self.items = items
        self.fn = fn

    def __len__(self) -> int:
        return len(self.items)

    def __iter__(self) -> Iterator[U]:
        return map(self.fn, self.items)

    @overload
    def __getitem__(self, index: int) -> U: ...

    @overload
    def __getitem__(self, index: slice) -> list[U]: ...

    def __getitem__(self, index: int | slice) -> U | list[U]:
        if isinstance(index, slice):
            return [self.fn(item) for item in self.items[index]]
        return self.fn(self.items[index])


_PREFIX = ".dupscan-spool-"
_UNLOCKED_GRACE_S = 3600.0  # a folder whose lock file is missing: made just now, or long dead


class SpoolFolder:
    """A private folder for spools inside ``parent``, removed on exit.

    Spools hold records' text, so a scan killed before it could remove its folder
    must not leave it for good: the folder holds a lock (``flock``, released by
    the system when its process ends, even by SIGKILL), and entering removes every
    folder of ``parent`` with the same ``prefix`` whose lock is free. Where the
    system has no ``flock`` (Windows), left-over folders are kept.

    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as out:
    ...     with SpoolFolder(out) as folder:
    ...         folder.name.startswith(".dupscan-spool-")
    True
    """

    def __init__(self, parent: str | os.PathLike[str], *, prefix: str = _PREFIX) -> None:
        self.parent = Path(parent)
        self.prefix = prefix
        self.path: Path | None = None
        self._lock: Any = None

    def __enter__(self) -> Path:
        clear_stale_spools(self.parent, prefix=self.prefix)
        self.path = Path(tempfile.mkdtemp(prefix=self.prefix, dir=self.parent))
        self._lock = try_lock(self.path / "lock")
        return self.path

    def __exit__(self, *exc: object) -> None:
        if self._lock is not None:
            self._lock.close()
            self._lock = None
        if self.path is not None:
            shutil.rmtree(self.path, ignore_errors=True)


def clear_stale_spools(parent: str | os.PathLike[str], *, prefix: str = _PREFIX) -> list[Path]:
    """Remove the folders named ``prefix...`` in ``parent`` left by scans that were
    killed; return them."""
    if not LOCKS_WORK:  # pragma: no cover - not POSIX: a running scan cannot be told apart
        return []
    removed = []
    for folder in sorted(Path(parent).glob(prefix + "*")):
        try:
            info = folder.lstat()
            if not stat.S_ISDIR(info.st_mode) or info.st_uid != os.getuid():
                continue  # not a folder, or another user's (in a shared /tmp): not ours
            lock = folder / "lock"
            if not lock.exists() and time.time() - info.st_mtime < _UNLOCKED_GRACE_S:
                continue  # probably being made right now
            handle = try_lock(lock)
        except OSError:
            continue  # one that cannot be looked into is left, never an error
        if handle is None:
            continue  # a running scan holds it
        handle.close()
        shutil.rmtree(folder, ignore_errors=True)
        removed.append(folder)
    return removed
