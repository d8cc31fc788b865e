"""Progress bars for a scan, drawn on stderr only when it is a terminal."""

from __future__ import annotations

import sys
from collections.abc import Callable
from typing import Any, TextIO

__all__ = ["ProgressBars", "RunCounts"]

_LABELS = {"files": "Reading files", "cases": "Detecting cases",
           "reports": "Writing reports", "generate": "Generating cases"}


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


class RunCounts:
    """A ``progress(stage, done, total)`` callback that keeps how much of each stage a
    scan had to do, passing every call on to ``then``.

    A scan's first call for a stage counts the work that stage skips (files the index
    holds unchanged, cases whose stored findings still hold); its last gives the total.
    A monthly run with ``--index`` says with them what it read and detected again.
    """

    def __init__(self, then: Callable[[str, int, int], None] | None = None) -> None:
        self.then = then
        self.skipped: dict[str, int] = {}
        self.totals: dict[str, int] = {}

    def __call__(self, stage: str, done: int, total: int) -> None:
        self.skipped.setdefault(stage, done)
        self.totals[stage] = total
        if self.then is not None:
            self.then(stage, done, total)

    def worked(self, stage: str) -> tuple[int, int] | None:
        """``(items worked on, total)`` of ``stage``, or None when it never reported."""
        if stage not in self.totals:
            return None
        total = self.totals[stage]
        return total - self.skipped[stage], total

    def index_line(self) -> str | None:
        """One line on what an indexed scan did again, e.g. ``read 1,112 of 98,446 files
        (97,334 unchanged); detected 1,262 of 8,889 cases (7,627 kept from the index)``;
        None before both stages reported."""
        files, cases = self.worked("files"), self.worked("cases")
        if files is None or cases is None:
            return None
        return (f"read {_share(*files)} files{_rest(files, 'unchanged')}; "
                f"detected {_share(*cases)} cases{_rest(cases, 'kept from the index')}")


def _share(part: int, total: int) -> str:
    return f"{part:,} of {total:,}"


def _rest(worked: tuple[int, int], what: str) -> str:
    rest = worked[1] - worked[0]
    return f" ({rest:,} {what})" if rest else ""
