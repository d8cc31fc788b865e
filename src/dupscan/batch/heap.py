"""Keep what a scan accumulates out of the cyclic garbage collector's full passes.

A scan of 100k forms holds millions of small objects until it ends (the forms,
fields and findings of its report), and they make no reference cycles. Every
full pass of the collector walks all of them, so the scan's own process spent a
quarter of its time collecting (measured on 10k forms). ``gc.freeze()`` moves
the objects alive at that moment into the permanent generation, which
collections skip; garbage made afterwards is collected as usual. When the scan
ends, everything is unfrozen and the report is ordinary memory again.
"""

from __future__ import annotations

import gc
from types import TracebackType

__all__ = ["LongLivedHeap"]


class LongLivedHeap:
    """Freeze the heap every ``every`` cases while the scan runs (a context manager).

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

    def __init__(self, every: int = 32) -> None:
        self.every = every
        self._active = False
        self._cases = 0

    def __enter__(self) -> LongLivedHeap:
        self._active = gc.isenabled() and gc.get_freeze_count() == 0
        self._cases = 0
        return self

    def tick(self) -> None:
        """One more case is held."""
        if self._active:
            self._cases += 1
            if self._cases % self.every == 0:
                gc.freeze()

    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None,
                 trace: TracebackType | None) -> None:
        if self._active:
            gc.unfreeze()
            self._active = False
