"""Run units of work in this process or on a local pool of worker processes.

:class:`LocalEngine` maps a picklable function over an iterable of units and
yields ``(index, result)`` pairs as units finish (completion order; callers put
them back in order). A unit whose function raises, whose worker process dies
(``BrokenProcessPool``) or that runs past its timeout yields a
:class:`TaskFailure` instead, and every other unit still finishes:

* units are sent in chunks (fewer round trips for many small cases); a chunk
  that crashes or times out is split and its units re-run one at a time, alone
  in the pool, so the blame lands on the right unit;
* the pool is restarted after a crash or a timeout (a hung worker is killed);
* the pool stays warm between ``map`` calls until :meth:`LocalEngine.close`.

Workers are started with the ``spawn`` method, so the function and units must
be importable top-level objects (see :mod:`dupscan.batch.tasks`).
"""

from __future__ import annotations

import multiprocessing
import os
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from typing import Any

from dupscan._own_process import claim

__all__ = ["LocalEngine", "TaskFailure", "chunk_outcomes", "chunk_seconds", "default_workers",
           "run_chunk"]


@dataclass(frozen=True, slots=True)
class TaskFailure:
    """Why a unit produced no result."""

    reason: str


def default_workers() -> int:
    """All cores this process may use."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # pragma: no cover - not on Linux
        return max(1, os.cpu_count() or 1)


def _describe(exc: BaseException) -> str:
    text = str(exc).strip()
    text = text.splitlines()[0] if text else ""
    return f"{type(exc).__name__}: {text}" if text else type(exc).__name__


def run_chunk(fn: Callable[[Any], Any], units: list[Any]) -> list[tuple[bool, Any]]:
    """Apply ``fn`` to each unit; an exception becomes ``(False, reason)``."""
    out: list[tuple[bool, Any]] = []
    for unit in units:
        try:
            out.append((True, fn(unit)))
        except Exception as exc:  # reported per unit, the chunk goes on
            out.append((False, f"failed ({_describe(exc)})"))
    return out


_Chunk = list[tuple[int, Any]]


def chunk_outcomes(chunk: _Chunk, results: Iterable[tuple[bool, Any]]
                   ) -> Iterator[tuple[int, Any]]:
    """``(index, result or TaskFailure)`` for the units of ``chunk`` that
    :func:`run_chunk` gave ``results`` for (in order; a shorter ``results``
    covers the first units only)."""
    for (index, _), (ok, value) in zip(chunk, results):
        yield index, value if ok else TaskFailure(value)


def chunk_seconds(timeout: float | Callable[[Any], float] | None, chunk: _Chunk) -> float:
    """Seconds a chunk of ``(index, unit)`` may run: the units' timeouts added up
    (``timeout`` is one unit's, or a function of the unit); 0 for no limit."""
    if timeout is None:
        return 0.0
    if callable(timeout):
        return float(sum(timeout(unit) for _, unit in chunk))
    return float(timeout) * len(chunk)


class LocalEngine:
    """Map work over units in-process (``workers=1``) or on a process pool.

    Parameters
    ----------
    workers : int, default=0
        Worker processes; 0 means all cores, 1 runs in this process (no timeout).
    timeout : float or None, default=None
        Seconds one unit may run before its worker is killed and the unit fails.
    chunk_size : int, default=1
        Units sent to a worker at a time.
    """

    def __init__(self, workers: int = 0, *, timeout: float | None = None,
                 chunk_size: int = 1) -> None:
        if workers < 0:
            raise ValueError(f"workers must be 0 (all cores) or more, got {workers}")
        if chunk_size < 1:
            raise ValueError(f"chunk_size must be at least 1, got {chunk_size}")
        self.workers = workers or default_workers()
        self.timeout = timeout
        self.chunk_size = chunk_size
        self._pool: ProcessPoolExecutor | None = None
        self._used = False  # whether a map ran on the pool (not only warm-ups)

    def _get_pool(self) -> ProcessPoolExecutor:
        """The worker pool, started on first use and kept warm between ``map`` calls."""
        if self._pool is None:
            self._pool = ProcessPoolExecutor(max_workers=self.workers,
                                             mp_context=multiprocessing.get_context("spawn"),
                                             initializer=claim)
        return self._pool

    def _kill_pool(self) -> None:
        """Stop the pool at once: its workers are killed, not waited for."""
        pool, self._pool = self._pool, None
        if pool is None:
            return
        processes = getattr(pool, "_processes", None) or {}
        for process in list(processes.values()):
            try:
                process.kill()
            except Exception:  # already gone
                pass
        pool.shutdown(wait=True, cancel_futures=True)

    def check_workers(self, root: str | os.PathLike[str],
                      templates: str | os.PathLike[str] | None = None) -> None:
        """Nothing to check: the workers are this process's children, on this
        machine, with its code (see :meth:`DaskEngine.check_workers`)."""

    def warm(self, fn: Callable[[], Any]) -> None:
        """Start ``fn`` once per worker process and return at once (its result is dropped).

        For work every worker needs before its first unit (loading models). Only
        a running pool is warmed (:meth:`start` starts one), and with ``workers=1``
        there is nothing to overlap.
        """
        if self.workers == 1 or self._pool is None:
            return
        try:
            for _ in range(self.workers):
                self._pool.submit(fn)
        except (BrokenProcessPool, RuntimeError):
            self._kill_pool()  # broke while idle (a worker killed): the next map starts anew

    def start(self, fn: Callable[[], Any]) -> None:
        """Start the worker pool now, running ``fn`` once per worker, and return at once.

        For a scan that is about to list its files: the workers start their
        processes and load what reading needs meanwhile (about a second, more where
        torch is installed, that an incremental scan otherwise spent before reading
        its first new file). A
        scan that then finds nothing to read or detect has started them for
        nothing; with ``workers=1`` there is nothing to start.
        """
        if self.workers == 1 or self._pool is not None:
            return
        self._get_pool()
        self.warm(fn)

    def close(self, *, grace: float = 3.0) -> None:
        """Stop the worker pool: idle workers get ``grace`` seconds to exit, then are killed."""
        pool = self._pool
        if pool is None:
            return
        if not self._used:  # started early and never given work: nothing to wait for
            self._kill_pool()
            return
        processes = list((getattr(pool, "_processes", None) or {}).values())
        pool.shutdown(wait=False, cancel_futures=True)
        deadline = time.monotonic() + grace
        for process in processes:
            process.join(max(0.0, deadline - time.monotonic()))
        if any(p.is_alive() for p in processes):
            self._kill_pool()
        else:
            pool.shutdown(wait=True)
            self._pool = None

    def map(self, fn: Callable[[Any], Any], units: Iterable[Any], *,
            timeout: float | Callable[[Any], float] | None = None,
            chunk_size: int | None = None) -> Iterator[tuple[int, Any]]:
        """Yield ``(index, result or TaskFailure)`` for every unit, in completion order.

        ``timeout`` (seconds, or a function of the unit) overrides the engine's.
        """
        size = chunk_size or self.chunk_size
        limit = self.timeout if timeout is None else timeout
        if self.workers == 1:
            for index, unit in enumerate(units):
                ok, value = run_chunk(fn, [unit])[0]
                yield index, value if ok else TaskFailure(value)
            return
        self._used = True
        yield from _PoolRun(self, fn, units, limit, size).run()


class _PoolRun:
    """One ``map`` over a process pool, with crash and timeout recovery."""

    def __init__(self, engine: LocalEngine, fn: Callable[[Any], Any], units: Iterable[Any],
                 timeout: float | Callable[[Any], float] | None, chunk_size: int) -> None:
        self.engine = engine
        self.fn = fn
        self.source = enumerate(units)
        self.workers = engine.workers
        self.timeout = timeout
        self.chunk_size = chunk_size
        self.retry: deque[_Chunk] = deque()     # re-queued after a pool restart
        self.suspects: deque[_Chunk] = deque()  # single units re-run alone
        self.pending: dict[Future, tuple[_Chunk, float, bool]] = {}

    def _next_chunk(self) -> tuple[_Chunk, bool] | None:
        if self.suspects:
            return self.suspects.popleft(), True
        if self.retry:
            return self.retry.popleft(), False
        chunk: _Chunk = []
        for item in self.source:
            chunk.append(item)
            if len(chunk) >= self.chunk_size:
                break
        return (chunk, False) if chunk else None

    def _capacity(self) -> int:
        isolating = self.suspects or any(iso for _, _, iso in self.pending.values())
        # one chunk queued behind each running one: a worker that finishes starts its
        # next chunk at once instead of idling while this process takes in the result
        # and prepares the next unit
        return 1 if isolating else 2 * self.workers

    def _fill(self) -> None:
        while len(self.pending) < self._capacity():
            if self.suspects and self.pending:
                return  # a suspect runs alone
            nxt = self._next_chunk()
            if nxt is None:
                return
            chunk, isolated = nxt
            seconds = chunk_seconds(self.timeout, chunk)
            deadline = time.monotonic() + seconds if seconds else float("inf")
            if seconds and len(self.pending) >= self.workers:
                # queued behind running chunks, it starts at the latest when the last of
                # them ends or is killed: its own time counts from then
                deadline = max(d for _, d, _ in self.pending.values()) + seconds
            try:
                future = self.engine._get_pool().submit(run_chunk, self.fn,
                                                        [u for _, u in chunk])
            except BrokenProcessPool:
                if self.pending:  # handled with the chunks in flight; this one goes after
                    (self.suspects if isolated else self.retry).appendleft(chunk)
                    return
                self.engine._kill_pool()  # broke while idle (a worker killed): start anew
                future = self.engine._get_pool().submit(run_chunk, self.fn,
                                                        [u for _, u in chunk])
            self.pending[future] = (chunk, deadline, isolated)

    def _blame(self, chunk: _Chunk, isolated: bool, reason: str) -> Iterator[tuple[int, Any]]:
        if isolated or len(chunk) == 1 and reason.startswith("timed out"):
            for index, _ in chunk:
                yield index, TaskFailure(reason)
        else:
            self.suspects.extend([item] for item in chunk)

    def run(self) -> Iterator[tuple[int, Any]]:
        try:
            while True:
                self._fill()
                if not self.pending:
                    return
                deadline = min(d for _, d, _ in self.pending.values())
                wait_for = None if deadline == float("inf") else \
                    max(0.0, deadline - time.monotonic())
                done, _ = wait(list(self.pending), timeout=wait_for,
                               return_when=FIRST_COMPLETED)
                crashed: list[tuple[_Chunk, bool]] = []
                for future in done:
                    chunk, _, isolated = self.pending.pop(future)
                    try:
                        results = future.result()
                    except BrokenProcessPool:
                        crashed.append((chunk, isolated))
                        continue
                    except Exception as exc:  # the chunk could not be sent or returned
                        for index, _ in chunk:
                            yield index, TaskFailure(f"failed ({_describe(exc)})")
                        continue
                    yield from chunk_outcomes(chunk, results)
                if crashed:
                    # every unit still in flight died with the pool: re-run them
                    crashed.extend((c, iso) for c, _, iso in self.pending.values())
                    self.pending.clear()
                    self.engine._kill_pool()
                    for chunk, isolated in crashed:
                        yield from self._blame(chunk, isolated, "worker process crashed")
                    continue
                now = time.monotonic()
                expired = [f for f, (_, d, _) in self.pending.items() if d <= now]
                if expired:
                    for future in expired:
                        chunk, _, isolated = self.pending.pop(future)
                        seconds = chunk_seconds(self.timeout, chunk)
                        yield from self._blame(chunk, isolated or len(chunk) == 1,
                                               f"timed out after {seconds:g} s")
                    for chunk, _, isolated in self.pending.values():
                        (self.suspects if isolated else self.retry).append(chunk)
                    self.pending.clear()
                    self.engine._kill_pool()
        finally:
            if self.pending:
                self.engine._kill_pool()  # stopped early: do not wait for running units
