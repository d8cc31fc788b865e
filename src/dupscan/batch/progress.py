"""Progress bars for a scan, drawn on stderr only when it is a terminal."""

from __future__ import annotations

import sys
from typing import Any, TextIO

__all__ = ["ProgressBars"]

_LABELS = {"files": "Reading files", "cases": "Detecting cases",
           "reports": "Writing reports"}


class ProgressBars:
    """A ``progress(stage, done, total)`` callback backed by :mod:`rich.progress`.

    Use :meth:`for_stderr`, which returns None when stderr is not a terminal.
    """

    def __init__(self, stream: TextIO) -> None:
        from rich.console import Console
        from rich.progress import (BarColumn, MofNCompleteColumn, Progress, TextColumn,
                                   TimeElapsedColumn)

        self._progress = Progress(TextColumn("{task.description}"), BarColumn(),
                                  MofNCompleteColumn(), TimeElapsedColumn(),
                                  console=Console(file=stream), transient=False)
        self._tasks: dict[str, Any] = {}
        self._progress.start()

    @classmethod
    def for_stderr(cls, stream: TextIO | None = None) -> ProgressBars | None:
        """Bars on ``stream`` (default stderr) if it is a terminal, else None."""
        stream = stream or sys.stderr
        isatty = getattr(stream, "isatty", None)
        if not (callable(isatty) and isatty()):
            return None
        return cls(stream)

    def update(self, stage: str, done: int, total: int) -> None:
        """Move the bar of ``stage`` to ``done`` of ``total``."""
        if stage not in self._tasks:
            self._tasks[stage] = self._progress.add_task(_LABELS.get(stage, stage), total=total)
        self._progress.update(self._tasks[stage], completed=done, total=total)

    def close(self) -> None:
        """Stop drawing."""
        self._progress.stop()
