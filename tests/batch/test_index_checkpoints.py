"""The index's write-ahead log is copied into the database by a thread of its own."""

from __future__ import annotations

import shutil
import sqlite3
import time

import pytest

from dupscan.batch import checkpoint
from dupscan.batch.checkpoint import Checkpointer
from dupscan.batch.index import Index


def _write(index: Index, rows: int, size: int = 4000) -> None:
    for i in range(rows):
        with index.transaction():
            index.db.execute("INSERT OR REPLACE INTO meta VALUES (?, ?)", (f"k{i}", "x" * size))


def test_a_checkpoint_copies_every_committed_page(tmp_path):
    index = Index(tmp_path / "idx.sqlite")
    try:
        index._checkpointer.stop()  # the test checkpoints by hand
        index.db.execute("PRAGMA wal_autocheckpoint=0")  # nor does the writer
        _write(index, 200)
        by_hand = Checkpointer(index.path, start=False)
        busy, pages, copied = by_hand.run_once()
        by_hand.stop()
        assert busy == 0 and pages > 200 and copied == pages
        assert index.db.execute("SELECT COUNT(*) FROM meta WHERE key LIKE 'k%'").fetchone() == (200,)
    finally:
        index.close()


def _rows_in_the_file_alone(index: Index, folder) -> int | None:
    """The rows a copy of the index's database file holds without its log: those of
    the commits checkpointed into it (None while a checkpoint is half written)."""
    alone = folder / "alone.sqlite"
    for suffix in ("", "-wal", "-shm"):
        (folder / f"alone.sqlite{suffix}").unlink(missing_ok=True)
    shutil.copyfile(index.path, alone)
    db = sqlite3.connect(alone)
    try:
        return db.execute("SELECT COUNT(*) FROM meta WHERE key LIKE 'k%'").fetchone()[0]
    except sqlite3.DatabaseError:
        return None
    finally:
        db.close()


def test_the_thread_copies_the_log_while_the_scan_writes(tmp_path, monkeypatch):
    monkeypatch.setattr(checkpoint, "INTERVAL", 0.01)
    index = Index(tmp_path / "idx.sqlite")
    try:
        index.db.execute("PRAGMA wal_autocheckpoint=0")  # the thread alone checkpoints
        thread = index._checkpointer
        assert thread.running
        _write(index, 100)
        # every commit reaches the database file itself (a page count would not tell:
        # the log starts again from its beginning once all of it has been copied).
        # The thread records its count only after SQLite returns from the copy, so the
        # rows can be in the file a moment before ``copied`` says so: wait for both.
        deadline = time.monotonic() + 60  # waits for the thread, bounds no speed
        while ((_rows_in_the_file_alone(index, tmp_path) != 100 or thread.copied == 0)
               and time.monotonic() < deadline):
            time.sleep(0.01)
        assert _rows_in_the_file_alone(index, tmp_path) == 100
        assert thread.copied > 0 and thread.failed is None
    finally:
        index.close()


def test_close_stops_the_thread_and_leaves_no_log(tmp_path):
    index = Index(tmp_path / "idx.sqlite")
    thread = index._checkpointer._thread
    _write(index, 20)
    index.close()
    assert not thread.is_alive()
    assert not (tmp_path / "idx.sqlite-wal").exists()
    with Index(tmp_path / "idx.sqlite") as again:
        assert again.db.execute("SELECT COUNT(*) FROM meta WHERE key LIKE 'k%'").fetchone() == (20,)


def test_a_failing_checkpoint_ends_the_thread_and_the_scan_writes_on(tmp_path, monkeypatch):
    def broken(self):
        raise sqlite3.OperationalError("disk I/O error")

    monkeypatch.setattr(checkpoint, "INTERVAL", 0.01)
    monkeypatch.setattr(Checkpointer, "run_once", broken)
    index = Index(tmp_path / "idx.sqlite")
    try:
        index._checkpointer._thread.join(timeout=30)
        assert not index._checkpointer.running
        assert isinstance(index._checkpointer.failed, sqlite3.OperationalError)
        _write(index, 50)  # the scan's own connection checkpoints as it would without
    finally:
        index.close()
    with Index(tmp_path / "idx.sqlite") as again:
        assert again.db.execute("SELECT COUNT(*) FROM meta WHERE key LIKE 'k%'").fetchone() == (50,)


@pytest.mark.parametrize("temporary", [False, True])
def test_every_index_has_a_checkpointer(tmp_path, temporary):
    with Index(None if temporary else tmp_path / "idx.sqlite") as index:
        assert index._checkpointer is not None and index._checkpointer.running
