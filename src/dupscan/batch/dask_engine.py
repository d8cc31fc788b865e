"""Run the per-case work on a Dask cluster (``pip install 'dupscan[dask]'``).

:class:`DaskEngine` has the same ``map`` as :class:`~dupscan.batch.local.LocalEngine`:
it yields ``(index, result or TaskFailure)`` in completion order, so the
pipeline, the index and the output are the same whichever engine runs the
work. Units are submitted in chunks, several to a task (Dask's cost per task
is well above a local pool's), with a bounded number in flight (memory stays
bounded on the client). A task whose worker dies (``KilledWorker`` after
Dask's own retries) is split and its units re-run one by one, with no other
task of the scan running, so the failure lands on the unit that caused it. A task running past
its timeout (its units' timeouts added up) is cancelled and all its units are
reported: Dask cannot stop a running task, whose worker stays busy until it
returns, so they are not re-run in this scan (a scan with ``--index`` retries
them).

Without a scheduler address a :class:`distributed.LocalCluster` of processes is
started (and stopped by :meth:`DaskEngine.close`).
"""

from __future__ import annotations

import logging
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from typing import Any

from dupscan.batch.local import TaskFailure, chunk_seconds, default_workers, run_chunk
from dupscan.errors import MissingExtraError

__all__ = ["DaskEngine"]


def _import_distributed() -> Any:
    try:
        import distributed
    except ImportError as exc:
        raise MissingExtraError("dask", "dask") from exc
    return distributed


class DaskEngine:
    """Map work over units on a Dask cluster.

    Parameters
    ----------
    scheduler : str or None
        Address of a running scheduler (``tcp://host:8786``); None starts a local
        cluster of ``workers`` processes.
    workers : int, default=0
        Processes of the local cluster (0 = all cores); ignored with ``scheduler``.
    timeout : float or None
        Seconds one unit may run; a task may run for its units' seconds added up.
    chunk_size : int, default=1
        Units per chunk, when ``map`` is not given one.
    task_scale : int, default=8
        Chunks per task: each task carries ``task_scale`` times the chunk asked
        for. Dask spends about a millisecond of scheduling and messaging on every
        task (more across a network), against 2 to 25 ms of work for one file or
        case, so larger tasks keep that share small. On a local cluster of 2
        workers and 9,924 forms, tasks of 8 cases instead of 1 and of 64 files
        instead of 8 took reading from 16.0-16.6 to 11.6-11.7 s and the detect
        phase from 19.5-20.9 to 16.5-16.9 s (two runs each).
    """

    def __init__(self, scheduler: str | None = None, *, workers: int = 0,
                 timeout: float | None = None, chunk_size: int = 1,
                 task_scale: int = 8) -> None:
        if chunk_size < 1 or task_scale < 1:
            raise ValueError(f"chunk_size and task_scale must be at least 1, "
                             f"got {chunk_size} and {task_scale}")
        _import_distributed()  # fail early, with the extra to install
        self.scheduler = scheduler
        self.workers = workers or default_workers()
        self.timeout = timeout
        self.chunk_size = chunk_size
        self.task_scale = task_scale
        self._client: Any = None
        self._cluster: Any = None
        self._warming: list[Any] = []

    def _connect(self) -> Any:
        if self._client is None:
            distributed = _import_distributed()
            if self.scheduler:
                self._client = distributed.Client(self.scheduler)
            else:
                # its HTTP server on a free loopback port: a fixed port (8787 by
                # default) clashes when two scans run at once
                self._cluster = distributed.LocalCluster(
                    n_workers=self.workers, threads_per_worker=1, processes=True,
                    dashboard_address="127.0.0.1:0")
                self._client = distributed.Client(self._cluster)
        return self._client

    def close(self) -> None:
        """Disconnect, and stop the local cluster if this engine started one."""
        self._warming = []
        if self._client is not None:
            self._client.close()
            self._client = None
        if self._cluster is not None:
            # workers still unloading models are killed on close; that is expected here
            nanny = logging.getLogger("distributed.nanny")
            level = nanny.level
            nanny.setLevel(logging.ERROR)
            try:
                self._cluster.close()
            finally:
                nanny.setLevel(level)
            self._cluster = None

    def warm(self, fn: Callable[[], Any]) -> None:
        """Start ``fn`` once on every worker of a cluster this engine started.

        Those workers live for one scan, so loading their models while the scan's
        own process places the forms saves that time on their first cases. Workers
        of a cluster given by address are left alone: they outlive a scan and keep
        their models loaded, and may run other work.
        """
        if self._cluster is None:
            return
        client = self._connect()
        # kept until close: a future dropped at once could cancel its task
        self._warming = [client.submit(fn, workers=[address], allow_other_workers=False,
                                       pure=False)
                         for address in client.scheduler_info().get("workers", {})]

    def map(self, fn: Callable[[Any], Any], units: Iterable[Any], *,
            timeout: float | Callable[[Any], float] | None = None,
            chunk_size: int | None = None) -> Iterator[tuple[int, Any]]:
        """Yield ``(index, result or TaskFailure)`` for every unit, in completion order."""
        distributed = _import_distributed()
        client = self._connect()
        limit = self.timeout if timeout is None else timeout
        size = (chunk_size or self.chunk_size) * self.task_scale
        cluster_workers = len(client.scheduler_info().get("workers", {})) or self.workers
        window = max(2, 2 * cluster_workers)
        source = enumerate(units)
        singles: deque[list[tuple[int, Any]]] = deque()
        pending: dict[Any, tuple[list[tuple[int, Any]], float, bool]] = {}

        def next_chunk() -> tuple[list[tuple[int, Any]], bool] | None:
            # the units of a crashed task run one at a time with no other task of the
            # scan running, so a worker's death is blamed on the unit that caused it and
            # not on a task that happened to be on the same worker
            if any(alone for _, _, alone in pending.values()):
                return None
            if singles:
                return (singles.popleft(), True) if not pending else None
            chunk = []
            for item in source:
                chunk.append(item)
                if len(chunk) >= size:
                    break
            return (chunk, False) if chunk else None

        try:
            while True:
                while len(pending) < window:
                    nxt = next_chunk()
                    if nxt is None:
                        break
                    chunk, alone = nxt
                    future = client.submit(run_chunk, fn, [u for _, u in chunk], pure=False)
                    seconds = chunk_seconds(limit, chunk)
                    deadline = time.monotonic() + seconds if seconds else float("inf")
                    pending[future] = (chunk, deadline, alone)
                if not pending:
                    return
                soonest = min(d for _, d, _ in pending.values())
                wait_for = None if soonest == float("inf") else \
                    max(0.05, soonest - time.monotonic())
                done = _wait(distributed, list(pending), wait_for)
                for future in done:
                    chunk, _, alone = pending.pop(future)
                    try:
                        results = future.result()
                    except Exception as exc:
                        crashed = type(exc).__name__ == "KilledWorker"
                        if crashed and not alone:
                            singles.extend([item] for item in chunk)
                            continue
                        reason = "worker process crashed" if crashed else \
                            f"failed ({type(exc).__name__}: {exc})"
                        for index, _ in chunk:
                            yield index, TaskFailure(reason)
                        continue
                    for (index, _), (ok, value) in zip(chunk, results):
                        yield index, value if ok else TaskFailure(value)
                now = time.monotonic()
                for future in [f for f, (_, d, _) in pending.items() if d <= now]:
                    chunk, _, _ = pending.pop(future)
                    future.cancel()
                    seconds = chunk_seconds(limit, chunk)
                    for index, _ in chunk:
                        yield index, TaskFailure(f"timed out after {seconds:g} s")
        finally:
            for future in pending:
                future.cancel()


def _wait(distributed: Any, futures: list, timeout: float | None) -> set:
    """The futures done after waiting up to ``timeout`` seconds for the first one."""
    try:
        done, _ = distributed.wait(futures, timeout=timeout, return_when="FIRST_COMPLETED")
    except TimeoutError:  # distributed raises the builtin (or a subclass) on timeout
        done = {f for f in futures if f.done()}
    return set(done)
