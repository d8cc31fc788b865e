"""Copy a scan index's write-ahead log into the database off the scan's path.

An index runs in WAL mode: each commit appends its pages to ``<index>-wal``, and a
*checkpoint* copies them into the database file and syncs it to disk. SQLite runs
one at the commit that takes the log past its limit, and that commit waits for it:
0.43 s of an incremental scan at 100k forms, where the scan's own process was
otherwise busy placing files and handing out cases (and longer when the disk is
slow). A :class:`Checkpointer` runs them on a connection of its own in a thread,
every quarter of a second: SQLite leaves Python's lock while it copies and syncs,
so the copying overlaps the scan's work. Its checkpoints are *passive*: they never
wait for the scan's writes nor make them wait.

The scan's connection keeps a checkpoint limit of its own, higher, in case this
thread falls behind or stops (an error here, such as a full disk, ends the thread
quietly: the scan's connection then checkpoints as it would without it, and meets
the error itself, where the scan reports it).
"""

from __future__ import annotations

import sqlite3
import threading
from pathlib import Path

__all__ = ["Checkpointer"]

#: seconds between two checkpoints
INTERVAL = 0.25


class Checkpointer:
    """Checkpoint the index at ``path`` every :data:`INTERVAL` seconds until :meth:`stop`.

    Parameters
    ----------
    path : Path
        The index file (in WAL mode).
    start : bool, default=True
        Start the thread at once (``False``: call :meth:`run_once` by hand).
    """

    def __init__(self, path: Path, *, start: bool = True) -> None:
        self.path = path
        #: the error that ended the thread, if one did
        self.failed: sqlite3.Error | None = None
        #: the most pages one log has had copied into the database so far (a statistic:
        #: the log starts again from its beginning once all of it has been copied)
        self.copied = 0
        self._stop = threading.Event()
        self._db: sqlite3.Connection | None = None
        self._thread: threading.Thread | None = None
        if start:
            self._thread = threading.Thread(target=self._run, name="dupscan-index-checkpoint",
                                            daemon=True)
            self._thread.start()

    def run_once(self) -> tuple[int, int, int]:
        """One passive checkpoint: ``(busy, pages in the log, pages copied)``, as
        ``PRAGMA wal_checkpoint`` gives them."""
        if self._db is None:  # made, used and closed in the thread that checkpoints
            self._db = sqlite3.connect(str(self.path), isolation_level=None)
        busy, pages, copied = (int(v) for v in
                               self._db.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchone())
        # a checkpoint reports the pages copied by every checkpoint of the current log
        self.copied = max(self.copied, copied)
        return busy, pages, copied

    def _run(self) -> None:
        try:
            while not self._stop.wait(INTERVAL):
                self.run_once()
        except sqlite3.Error as exc:
            self.failed = exc
        finally:
            self._close()

    def _close(self) -> None:
        if self._db is not None:
            self._db.close()
            self._db = None

    @property
    def running(self) -> bool:
        return self._thread is not None and self._thread.is_alive()

    def stop(self) -> None:
        """End the thread (after the checkpoint it may be running) and close its connection."""
        self._stop.set()
        if self._thread is not None:
            self._thread.join()
        else:
            self._close()
