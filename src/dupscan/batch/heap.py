"""Keep what a scan accumulates out of the cyclic garbage collector's full passes.

A scan of 100k forms holds millions of small objects until it ends (the forms,
fields and findings of its report), and they make no reference cycles. Every
full pass of the collector walks all of them, so the scan's own process spent a
quarter of its time collecting (measured on 10k forms). ``gc.freeze()`` moves
the objects alive at that moment into the permanent generation, which
collections skip; garbage made afterwards is collected as usual. When the scan
ends, everything is unfrozen and the report is ordinary memory again.

Before the first case, while the files are listed, read and placed and the cases
planned, the collector is paused: the scan's own process builds some 400k objects
that live as long as the scan (the listing, the placing's state), and the
collector's full passes over them, six in an increment at 100k forms, took
0.34-0.44 s while the workers waited. They find next to nothing: after reading
the 10k corpus with the collector paused, a full pass found 23 objects to free.
At the first case the heap is frozen and the collector resumes. Only a scan whose
files are read in other processes pauses it (``pause=True``): read in this
process, the text of every file would pass through it.
"""

from __future__ import annotations

import gc
from types import TracebackType

__all__ = ["LongLivedHeap"]


class LongLivedHeap:
    """Freeze the heap every ``every`` cases while the scan runs, and with ``pause``
    keep the collector paused until the first case (a context manager).

    Left alone when the collector is disabled or the caller froze objects of
    its own before the scan: unfreezing at the end would thaw theirs too.

    Examples
    --------
    >>> with LongLivedHeap(every=2) as heap:
    ...     for case in range(4):
    ...         heap.tick()
    >>> gc.get_freeze_count()
    0
    """

    def __init__(self, every: int = 32, *, pause: bool = False) -> None:
        self.every = every
        self.pause = pause
        self._active = False
        self._cases = 0

    def __enter__(self) -> LongLivedHeap:
        self._active = gc.isenabled() and gc.get_freeze_count() == 0
        self._cases = 0
        if self._active and self.pause:
            gc.disable()  # until the first case
        return self

    def tick(self) -> None:
        """One more case is held."""
        if self._active:
            self._cases += 1
            if self._cases == 1:
                gc.freeze()
                gc.enable()
            elif self._cases % self.every == 0:
                gc.freeze()

    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None,
                 trace: TracebackType | None) -> None:
        if self._active:
            gc.enable()  # a scan that gave no case
            gc.unfreeze()
            self._active = False
