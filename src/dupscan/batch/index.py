"""SQLite index of a scan: segmented forms per file and findings per case.

The index makes a scan incremental and resumable:

* ``files`` keeps, per file, its size, modification time, SHA-256 and the forms
  segmented from it (JSON). A file whose size and time (or, failing that, its
  hash) are unchanged is not read again; a file that could not be read keeps
  its reason, so it is reported without being retried.
* ``cases`` keeps the findings of each case (positional JSON) with a key hashed from everything
  detection sees (the case's forms, the stock text, the options). A case whose
  key is unchanged reuses its findings. A case that gained forms dated after
  all it held is detected again from its stored findings and their basis (the
  detection settings, digests of the forms and of what the findings were judged
  on, see :mod:`dupscan.detect.extend`): only the new forms are compared when the
  basis still holds, else all its forms; either way the result equals a full
  rescan.
* the run-scoped tables (:mod:`dupscan.batch.runtables`) hold the forms of the
  current scan grouped by final case, their sentence counts and what the report
  keeps of each case; they are changed by deltas from one run to the next, so
  files and cases that did not change cost (almost) nothing.

Every file batch and every case is committed in its own transaction (WAL
journal), so a scan killed at any moment and started again with the same index
redoes at most the units that were in flight. One scan at a time uses an
index: a second one fails at once with a clear message (an ``flock`` on
``<index>.lock``, released by the system even when a scan is killed).

All stored values are JSON text; an index can be read with any SQLite client.
"""

from __future__ import annotations

import json
import os
import sqlite3
import tempfile
from collections.abc import Collection
from pathlib import Path
from typing import Any

from dupscan._io import try_lock
from dupscan._spool import SpoolFolder
from dupscan.batch.checkpoint import Checkpointer
from dupscan.batch.runtables import (RUN_SCHEMA, RUN_TABLES, RUN_TABLES_GONE, RunTables,
                                     decode_findings, rows_for_paths)
from dupscan.model import Finding
from dupscan.errors import ConfigError, DupscanError

__all__ = ["FileRecord", "Index", "SCHEMA_VERSION"]

SCHEMA_VERSION = "9"
#: older schemas whose other tables this one reads as they are: only the run-scoped
#: tables are dropped (they are made again from the stored files, nothing is read again)
_RUN_TABLES_CHANGED = {"6", "7", "8"}

_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS files (
    path TEXT PRIMARY KEY, size INTEGER NOT NULL, mtime_ns INTEGER NOT NULL,
    sha256 TEXT NOT NULL, forms TEXT NOT NULL, errors TEXT NOT NULL, stock TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS files_state ON files (path, size, mtime_ns, sha256, errors);
CREATE TABLE IF NOT EXISTS cases (
    case_id TEXT PRIMARY KEY, key TEXT NOT NULL, findings TEXT NOT NULL,
    settings TEXT NOT NULL, basis TEXT NOT NULL);
"""


class FileRecord(tuple):
    """``(forms, errors, stock)`` stored for one file."""

    __slots__ = ()

    @property
    def forms(self) -> list[dict[str, Any]]:
        return self[0]

    @property
    def errors(self) -> list[tuple[str, str]]:
        return self[1]

    @property
    def stock(self) -> list[list[list[Any]]]:
        return self[2]


#: the name of a temporary index's folder in the system's temporary directory
TEMPORARY_PREFIX = "dupscan-index-"
#: what an index holds a form in, about (1.94 GB at 97,446 forms of the scale benchmark)
BYTES_PER_FORM = 20_000

#: where a file's version and errors are read: the covering index of ``files``. A row of
#: ``files`` holds the file's forms (kilobytes of JSON) before its errors, so reading
#: these columns from the table visits a table page per file and an overflow page
#: for the errors. Placing 97k files of an incremental scan read them in 0.3 s this
#: way and 0.13 s from the index (0.19 and 0.12 s without the errors). SQLite's
#: planner picks the primary key's index instead, as it is unique: hence INDEXED BY.
_FILE_STATES = "files INDEXED BY files_state"

#: SQLite's page cache for the index, in KiB (its default is 2 MB)
_CACHE_KIB = 65536


class Index:
    """An open scan index.

    Parameters
    ----------
    path : path or None
        The SQLite file (created when absent). ``None`` uses a temporary file
        removed by :meth:`close`: a scan without ``--index`` still keeps its
        forms on disk rather than in memory. The file lies in a private folder
        of the system's temporary directory that holds a lock, so the folder of a
        scan killed before :meth:`close` is removed by the next temporary index.
    settings : str
        Everything that changes how files are read (stage code, templates,
        limits). An index built with other settings is emptied first.
    """

    def __init__(self, path: str | os.PathLike[str] | None, *, settings: str = "") -> None:
        self._folder: SpoolFolder | None = None
        if path is None:
            # a file of its own in /tmp would outlive a SIGKILL with the records' text
            self._folder = SpoolFolder(tempfile.gettempdir(), prefix=TEMPORARY_PREFIX)
            path = self._folder.__enter__() / "index.sqlite"
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._lock = None if self._folder is not None else _lock(self.path)
        self._checkpointer: Checkpointer | None = None
        try:
            self._db = sqlite3.connect(str(self.path), isolation_level=None)
            # the version first, before writing anything: another version's tables may
            # not take this one's schema, and its index is left as it was
            schema = self._stored_schema()
            if schema in _RUN_TABLES_CHANGED:
                with self._transaction():
                    for table in (*RUN_TABLES, *RUN_TABLES_GONE):
                        self._db.execute(f"DROP TABLE IF EXISTS {table}")
                    self._db.execute("UPDATE meta SET value = ? WHERE key = 'schema'",
                                     (SCHEMA_VERSION,))
                schema = SCHEMA_VERSION
            if schema not in (None, SCHEMA_VERSION):
                self.close_quietly()
                raise ConfigError(f"{self.path}: index written by another version of dupscan "
                                  f"(schema {schema}, this version uses {SCHEMA_VERSION}); "
                                  "delete it or use a new --index")
            self._db.execute("PRAGMA journal_mode=WAL")
            self._db.execute("PRAGMA synchronous=NORMAL")
            self._db.execute(f"PRAGMA cache_size=-{_CACHE_KIB}")
            # the checkpointer's thread copies the log as it grows; this limit (256 MB)
            # only holds when that thread falls behind or has stopped
            self._db.execute("PRAGMA wal_autocheckpoint=65536")
            self._db.executescript(_SCHEMA + RUN_SCHEMA)
            stored = dict(self._db.execute("SELECT key, value FROM meta"))
            if stored.get("schema") != SCHEMA_VERSION or stored.get("settings") != settings:
                with self._transaction():
                    self._db.execute("DELETE FROM files")
                    self._db.execute("DELETE FROM cases")
                    for table in RUN_TABLES:
                        self._db.execute(f"DELETE FROM {table}")
                    self._db.execute("INSERT OR REPLACE INTO meta VALUES ('schema', ?)",
                                     (SCHEMA_VERSION,))
                    self._db.execute("INSERT OR REPLACE INTO meta VALUES ('settings', ?)",
                                     (settings,))
        except sqlite3.Error as exc:
            error = self.failure(exc, opening=True)
            self.close_quietly()
            raise error from exc
        self._checkpointer = Checkpointer(self.path)
        self.run = RunTables(self)

    def failure(self, exc: sqlite3.Error, *, opening: bool = False) -> DupscanError:
        """The error to raise for ``exc``, raised by SQLite while this index was in use:
        it names the index and, when there was no room to write, where to make some (a
        scan's index takes about :data:`BYTES_PER_FORM` bytes a form)."""
        size = f"about {BYTES_PER_FORM // 1000} KB a form"
        if getattr(exc, "sqlite_errorname", "") == "SQLITE_FULL":
            if self._folder is not None:
                return DupscanError(
                    f"{self.path}: no room left for the scan's temporary index ({exc}; it "
                    f"takes {size}); set TMPDIR to a folder with room, or give --index FILE "
                    "on a disk with room, which also makes the scan resumable")
            return DupscanError(
                f"{self.path}: no room left for the scan index ({exc}; it takes {size}); "
                "make room on its disk and run the same scan again: it resumes from what "
                "was stored")
        if opening:
            return DupscanError(f"{self.path}: cannot open the scan index ({exc}); "
                                "give another --index file or delete this one")
        return DupscanError(f"{self.path}: the scan index failed ({exc}); run the same scan "
                            "again to resume, or give a new --index")

    def _stored_schema(self) -> str | None:
        """The schema version recorded in the file (``None`` for a new file)."""
        has_meta = self._db.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' "
                                    "AND name = 'meta'").fetchone()
        if not has_meta:
            return None
        row = self._db.execute("SELECT value FROM meta WHERE key = 'schema'").fetchone()
        return row[0] if row else None

    def close_quietly(self) -> None:
        """Release the connection and the lock after a failed open."""
        self._stop_checkpoints()
        db = getattr(self, "_db", None)
        if db is not None:
            db.close()
        if self._lock is not None:
            self._lock.close()
        if self._folder is not None:
            self._folder.__exit__()

    def _stop_checkpoints(self) -> None:
        """Stop the checkpointer's thread (the last connection to close checkpoints the rest)."""
        if self._checkpointer is not None:
            self._checkpointer.stop()
            self._checkpointer = None

    # -- plumbing -----------------------------------------------------------
    @property
    def db(self) -> sqlite3.Connection:
        """The open connection (for run-scoped tables of other batch modules)."""
        return self._db

    def transaction(self) -> _Transaction:
        """A context manager running its body as one ``BEGIN IMMEDIATE`` transaction."""
        return _Transaction(self._db)

    _transaction = transaction

    def close(self) -> None:
        """Close the database (and delete it when temporary); release the lock."""
        self._stop_checkpoints()
        self._db.close()
        if self._lock is not None:
            self._lock.close()  # closing the file releases the lock
            self._lock = None
        if self._folder is not None:
            self._folder.__exit__()

    def __enter__(self) -> Index:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- notes between runs ---------------------------------------------------
    @staticmethod
    def peek(path: str | os.PathLike[str] | None, keys: tuple[str, ...]) -> dict[str, str]:
        """The ``meta`` values of ``keys`` stored in the index at ``path``, read without
        opening it for a run (no lock, nothing created or changed); empty when there is
        no readable index there."""
        if path is None or not Path(path).is_file():
            return {}
        try:
            db = sqlite3.connect(f"{Path(path).resolve().as_uri()}?mode=ro", uri=True)
            try:
                marks = ", ".join("?" * len(keys))
                return dict(db.execute(f"SELECT key, value FROM meta WHERE key IN ({marks})",
                                       keys))
            finally:
                db.close()
        except sqlite3.Error:
            return {}

    def note(self, key: str, value: str) -> None:
        """Store ``value`` under ``key`` in ``meta`` for the next run (see :meth:`peek`)."""
        with self._transaction():
            self._db.execute("INSERT OR REPLACE INTO meta VALUES (?, ?)", (key, value))

    # -- files --------------------------------------------------------------
    def file_states(self, paths: list[str]) -> dict[str, tuple[int, int, str, str]]:
        """``path -> (size, mtime_ns, sha256, errors JSON)`` of those of ``paths`` stored."""
        return {row[0]: row[1:] for row in rows_for_paths(
            self._db, f"SELECT path, size, mtime_ns, sha256, errors FROM {_FILE_STATES}",
            paths)}

    def file_versions(self, paths: list[str]) -> dict[str, tuple[int, int, str]]:
        """``path -> (size, mtime_ns, sha256)`` of those of ``paths`` stored: what tells
        whether a file changed."""
        return {row[0]: row[1:] for row in rows_for_paths(
            self._db, f"SELECT path, size, mtime_ns, sha256 FROM {_FILE_STATES}", paths)}

    def file_state(self, path: str) -> tuple[int, int, str] | None:
        """``(size, mtime_ns, sha256)`` stored for ``path``, or None."""
        row = self._db.execute(f"SELECT size, mtime_ns, sha256 FROM {_FILE_STATES} "
                               "WHERE path = ?", (path,)).fetchone()
        return None if row is None else (row[0], row[1], row[2])

    def touch_file(self, path: str, size: int, mtime_ns: int) -> None:
        """Record a new modification time for a file whose content is unchanged."""
        with self._transaction():
            self._db.execute("UPDATE files SET size = ?, mtime_ns = ? WHERE path = ?",
                             (size, mtime_ns, path))

    def file_record(self, path: str) -> FileRecord | None:
        """The forms and errors stored for ``path``."""
        row = self._db.execute("SELECT forms, errors, stock FROM files WHERE path = ?",
                               (path,)).fetchone()
        if row is None:
            return None
        return FileRecord((json.loads(row[0]), [tuple(e) for e in json.loads(row[1])],
                           json.loads(row[2])))

    def store_file_rows(self, rows: list[tuple[Any, ...]]) -> None:
        """Store ``files`` rows (:meth:`~dupscan.batch.tasks.FileResult.row`) in one transaction."""
        with self._transaction():
            self._db.executemany("INSERT OR REPLACE INTO files VALUES (?, ?, ?, ?, ?, ?, ?)", rows)

    # -- forms of this run --------------------------------------------------
    def case_form_texts(self, case_id: str, leave_out: Collection[str] = ()) -> list[str]:
        """The stored JSON texts of the forms of one case of this run, in case order,
        but those of the documents in ``leave_out`` (its second copies, see
        :meth:`RunTables.copies <dupscan.batch.runtables.RunTables.copies>`)."""
        return [text for text, _ in self.case_form_rows(case_id, leave_out)]

    def case_form_rows(self, case_id: str, leave_out: Collection[str] = ()
                       ) -> list[tuple[str, str]]:
        """:meth:`case_form_texts`, each with its digest (the SHA-256 of the text,
        :func:`~dupscan.batch.runtables.form_digest`)."""
        return [(text, digest) for doc, text, digest in self._db.execute(
            "SELECT f.doc, t.form, f.digest FROM run_forms f JOIN run_texts t USING (doc) "
            "WHERE f.case_id = ? ORDER BY f.sort_key, f.doc", (case_id,))
            if doc not in leave_out]

    # -- cases --------------------------------------------------------------
    def case_keys(self) -> dict[str, str]:
        """``case_id -> key`` of every case with stored findings."""
        return dict(self._db.execute("SELECT case_id, key FROM cases"))

    def case_findings(self, case_id: str, key: str) -> list[Finding] | None:
        """Stored findings of a case when its key is unchanged, else None."""
        row = self._db.execute("SELECT key, findings FROM cases WHERE case_id = ?",
                               (case_id,)).fetchone()
        if row is None or row[0] != key:
            return None
        return decode_findings(row[1])

    def case_earlier(self, case_id: str, settings: str) -> tuple[str, str] | None:
        """``(basis, findings)`` stored for a case detected with ``settings``
        (the detection settings digest), or None."""
        row = self._db.execute("SELECT basis, findings FROM cases WHERE case_id = ? "
                               "AND settings = ? AND basis != ''", (case_id, settings)).fetchone()
        return None if row is None else (row[0], row[1])

    def store_case(self, case_id: str, key: str, findings: str, settings: str = "",
                   basis: str = "") -> None:
        """Commit one case's findings, encoded by
        :func:`~dupscan.batch.runtables.encode_findings` (one transaction), with the
        detection ``settings`` and the ``basis`` a later scan extends them from.

        They are stored positionally, which loads several times faster than
        dicts when a later scan reuses them.
        """
        with self._transaction():
            self._db.execute("INSERT OR REPLACE INTO cases VALUES (?, ?, ?, ?, ?)",
                             (case_id, key, findings, settings, basis))


def _lock(path: Path) -> Any:
    """Hold an exclusive lock beside the index so two scans never share it at once.

    The lock is the operating system's (``flock``): it is released when the
    process ends, even by SIGKILL, so a killed scan never leaves it behind.
    """
    handle = try_lock(f"{path}.lock")
    if handle is None:
        raise DupscanError(f"{path}: the index is in use by another scan; wait for it to "
                           "finish or give another --index")
    return handle


class _Transaction:
    """``BEGIN IMMEDIATE`` ... ``COMMIT`` (``ROLLBACK`` on error)."""

    def __init__(self, db: sqlite3.Connection) -> None:
        self._db = db

    def __enter__(self) -> None:
        self._db.execute("BEGIN IMMEDIATE")

    def __exit__(self, exc_type: object, *rest: object) -> None:
        if not exc_type:
            self._db.execute("COMMIT")
        elif self._db.in_transaction:  # SQLite ends it itself on some errors (a full disk)
            self._db.execute("ROLLBACK")
