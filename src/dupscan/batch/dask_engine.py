"""Run the per-case work on a Dask cluster (``pip install 'dupscan[dask]'``).

:class:`DaskEngine` has the same ``map`` as :class:`~dupscan.batch.local.LocalEngine`:
it yields ``(index, result or TaskFailure)`` in completion order, so the
pipeline, the index and the output are the same whichever engine runs the
work. Units are submitted in chunks, several to a task (Dask's cost per task
is well above a local pool's), with a bounded number in flight (memory stays
bounded on the client). A task whose worker dies (``KilledWorker`` after
Dask's own retries) is split and its units re-run one by one, with no other
task of the scan running, so the failure lands on the unit that caused it.

Time limits count per unit from when the unit starts on its worker. A unit past
its limit is reported as timed out on its own: the units of its task finished
before it keep their results and those after it run on another worker (see
:class:`_DaskRun`). Dask cannot stop a running task. On a cluster the engine
started itself, the hung worker's process is killed through its nanny, which
starts a new one, as the local engine kills a hung worker. A worker of a cluster
given by address is not the scan's to kill unless the operator says so
(``restart_hung``, for a cluster that runs this scan alone): it is sent nothing
until the hung unit returns, and when every worker is held so, the units left
are reported as not run (a scan with ``--index`` retries them).

Without a scheduler address a :class:`distributed.LocalCluster` of processes is
started (and stopped by :meth:`DaskEngine.close`).
"""

from __future__ import annotations

import itertools
import logging
import os
import signal
import threading
import time
import uuid
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any

from dupscan.batch.fingerprint import code_digest
from dupscan.batch.local import (TaskFailure, chunk_outcomes, chunk_seconds, default_workers,
                                 run_chunk)
from dupscan.errors import ConfigError, MissingExtraError

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
    restart_hung : bool, default=False
        With ``scheduler``: kill the process of a worker whose unit hung, through
        its nanny, which starts a fresh one, as on a cluster this engine starts.
        For a cluster that runs this scan alone: any other work on that worker is
        lost with it. Without it the worker is held until the unit returns. A
        worker with no nanny cannot be restarted and is held.
    """

    def __init__(self, scheduler: str | None = None, *, workers: int = 0,
                 timeout: float | None = None, chunk_size: int = 1,
                 task_scale: int = 8, restart_hung: bool = False) -> None:
        if chunk_size < 1 or task_scale < 1:
            raise ValueError(f"chunk_size and task_scale must be at least 1, "
                             f"got {chunk_size} and {task_scale}")
        _import_distributed()  # fail early, with the extra to install
        self.scheduler = scheduler
        self.workers = workers or default_workers()
        self.timeout = timeout
        self.chunk_size = chunk_size
        self.task_scale = task_scale
        self.restart_hung = restart_hung
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
                # workers that live for this scan only are dupscan's own (torch is
                # kept out of their spaCy import); a given cluster's are left alone
                from dupscan.batch._dask_claim import ClaimWorkers

                self._client.register_plugin(ClaimWorkers())
                # a hung unit's worker is killed and restarted on purpose (see _DaskRun);
                # the scan reports the unit, so the nanny's warning would only be noise
                logging.getLogger("distributed.nanny").addFilter(_quiet_restarts)
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
                nanny.removeFilter(_quiet_restarts)
            self._cluster = None

    def check_workers(self, root: str | os.PathLike[str],
                      templates: str | os.PathLike[str] | None = None) -> None:
        """Check that the workers of a cluster given by address can run this scan.

        They read the files themselves, by the paths this process sees, and detect
        with their own installed dupscan: a worker on another machine without the
        files at the same path (shared storage), or with other code, would fail
        every file or, worse, give other findings. Raises ConfigError naming the
        first worker that differs. Workers of a cluster this engine starts are
        this machine's own processes and are not asked.
        """
        if self._cluster is not None or not self.scheduler:
            return
        client = self._connect()
        want = code_digest()
        paths = [str(root)] + ([str(templates)] if templates else [])
        answers = client.run(_worker_view, paths, on_error="return")
        for worker, answer in sorted(answers.items()):
            if isinstance(answer, BaseException):
                raise ConfigError(f"Dask worker {worker} cannot run dupscan "
                                  f"({type(answer).__name__}: {answer}); install the same "
                                  "dupscan there")
            digest, missing = answer
            if missing:
                raise ConfigError(f"Dask worker {worker} cannot see {missing[0]}: workers "
                                  "read the files themselves, so they need them at the same "
                                  "path as this machine (shared storage)")
            if digest != want:
                theirs, ours = digest.split(":")[0], want.split(":")[0]
                what = (f"dupscan {theirs}, this machine {ours}" if theirs != ours else
                        f"dupscan {theirs} with other code or models than this machine")
                raise ConfigError(f"Dask worker {worker} runs {what}: install the same "
                                  "dupscan on every worker")

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
        client = self._connect()
        limit = self.timeout if timeout is None else timeout
        size = (chunk_size or self.chunk_size) * self.task_scale
        cluster_workers = len(client.scheduler_info().get("workers", {})) or self.workers
        yield from _DaskRun(client, fn, units, limit, size, window=max(2, 2 * cluster_workers),
                            restart_hung=self._cluster is not None or self.restart_hung).run()


_Chunk = list[tuple[int, Any]]


@dataclass(slots=True)
class _Task:
    """A submitted task: its units, when to look at it next, and how it is run."""

    chunk: _Chunk
    token: str
    deadline: float
    alone: bool  # a unit of a crashed task, run with no other task of the scan
    workers: tuple[str, ...] = ()  # the only workers it may run on (none: any)


class _DaskRun:
    """One ``map`` on a Dask cluster, with crash and timeout recovery.

    A task's time counts from when its worker starts it, unit by unit, not from
    when it is submitted (it may wait behind other tasks). When a task's
    deadline passes, its worker is asked how far it got (:func:`task_progress`,
    run on the worker's event loop beside the busy task). A unit past its own
    limit is reported as timed out, the units finished before it keep their
    results, and the units after it are submitted again. Dask cannot stop the
    hung unit, so its worker is told to end the task once the unit returns and
    is *held* until then: no task of the scan is sent to it, and tasks queued on
    it are moved. On a cluster of its own, or one the operator lets the scan
    restart (``restart_hung``), the held worker's process is killed as well, and
    the scan waits for its replacement when no other worker is free.
    """

    def __init__(self, client: Any, fn: Callable[[Any], Any], units: Iterable[Any],
                 limit: float | Callable[[Any], float] | None, size: int, window: int, *,
                 restart_hung: bool = False) -> None:
        self.client = client
        self.restart_hung = restart_hung
        self._stalled_since: float | None = None  # when no worker was free to send to
        self._gave_up = False  # no worker came back within _RESTART_SECONDS
        self.fn = fn
        self.limit = limit
        self.size = size
        self.window = window
        self.source = enumerate(units)
        self.again: deque[_Chunk] = deque()  # units to send again (after a hung unit)
        self.singles: deque[_Chunk] = deque()  # the units of a crashed task
        self.pending: dict[Any, _Task] = {}
        self.held: dict[str, str] = {}  # worker -> token of the hung task it still runs
        self._looks: dict[str, Future] = {}  # worker -> whether its hung task still runs
        self._asking = ThreadPoolExecutor(max_workers=2, thread_name_prefix="dupscan-ask")
        self.tokens = (f"{uuid.uuid4().hex}-{n}" for n in itertools.count())

    def _next_chunk(self) -> tuple[_Chunk, bool] | None:
        # the units of a crashed task run one at a time with no other task of the
        # scan running, so a worker's death is blamed on the unit that caused it and
        # not on a task that happened to be on the same worker
        if any(task.alone for task in self.pending.values()):
            return None
        if self.singles:
            return (self.singles.popleft(), True) if not self.pending else None
        if self.again:
            return self.again.popleft(), False
        chunk = list(itertools.islice(self.source, self.size))
        return (chunk, False) if chunk else None

    def _unit_seconds(self, chunk: _Chunk) -> list[float]:
        return [chunk_seconds(self.limit, [item]) for item in chunk]

    def _free_workers(self) -> list[str] | None:
        """Workers not held by a hung unit, or None when none is held.

        A held worker is free again once its hung unit returns. Whether it has is
        asked in the background (the answer of a worker whose unit holds the
        interpreter lock may never come), and read here when it has come.
        """
        for worker, token in list(self.held.items()):
            look = self._looks.get(worker)
            if look is None:
                self._looks[worker] = self._asking.submit(self._ask, worker, token, [])
            elif look.done():
                del self._looks[worker]
                if look.result() is None:
                    del self.held[worker]
        if not self.held:
            return None
        workers = self.client.scheduler_info().get("workers", {})
        for worker in [w for w in self.held if w not in workers]:
            del self.held[worker]  # gone (killed, and replaced under a new address)
        return [w for w in workers if w not in self.held] if self.held else None

    def _hold(self, worker: str, token: str) -> None:
        """Send ``worker`` nothing until its hung unit returns. On a cluster this
        engine started (or may restart), the worker's process is killed instead,
        through its nanny, which starts a fresh one (as the local engine kills a
        hung worker)."""
        self.held[worker] = token
        if self.restart_hung:
            self._asking.submit(self.client.run, _kill_worker_process, workers=[worker],
                                nanny=True, on_error="return")

    def _submit(self, chunk: _Chunk, alone: bool) -> Iterator[tuple[int, Any]]:
        free = self._free_workers()
        if free == []:
            if self.restart_hung and not self._gave_up:
                now = time.monotonic()
                self._stalled_since = self._stalled_since or now
                if now - self._stalled_since < _RESTART_SECONDS:
                    # the killed workers are being started again: the chunk waits
                    (self.singles if alone else self.again).appendleft(chunk)
                    return
                self._gave_up = True
            self._stalled_since = None
            for index, _ in chunk:
                yield index, TaskFailure("not run: every worker is still running a unit "
                                         "that timed out")
            return
        self._stalled_since = None
        where = {} if free is None else {"workers": free, "allow_other_workers": False}
        token = next(self.tokens)
        future = self.client.submit(run_tracked, token, self.fn, [u for _, u in chunk],
                                    pure=False, **where)
        # looked at when its first unit could have run out of time at the earliest
        first = chunk_seconds(self.limit, chunk[:1])
        deadline = time.monotonic() + first if first else float("inf")
        self.pending[future] = _Task(chunk, token, deadline, alone, tuple(free or ()))

    def run(self) -> Iterator[tuple[int, Any]]:
        try:
            while True:
                while len(self.pending) < self.window:
                    nxt = self._next_chunk()
                    if nxt is None:
                        break
                    yield from self._submit(*nxt)
                    if self._stalled_since is not None:
                        break  # no worker free: tried again shortly
                if not self.pending:
                    if self._stalled_since is not None:
                        time.sleep(0.2)
                        continue
                    if self.again or self.singles:
                        continue
                    return
                soonest = min(task.deadline for task in self.pending.values())
                if self._stalled_since is not None:
                    soonest = min(soonest, time.monotonic() + 0.2)
                wait_for = None if soonest == float("inf") else \
                    max(0.05, soonest - time.monotonic())
                for future in _wait(list(self.pending), wait_for):
                    yield from self._finished(future, self.pending.pop(future))
                now = time.monotonic()
                for future in [f for f, t in self.pending.items() if t.deadline <= now]:
                    yield from self._overdue(future)
        finally:
            for future in self.pending:
                future.cancel()
            self._asking.shutdown(wait=False, cancel_futures=True)

    def _finished(self, future: Any, task: _Task) -> Iterator[tuple[int, Any]]:
        try:
            results = future.result()
        except Exception as exc:
            crashed = type(exc).__name__ == "KilledWorker"
            if crashed and not task.alone:
                self.singles.extend([item] for item in task.chunk)
                return
            reason = "worker process crashed" if crashed else \
                f"failed ({type(exc).__name__}: {exc})"
            for index, _ in task.chunk:
                yield index, TaskFailure(reason)
            return
        yield from chunk_outcomes(task.chunk, results)

    def _overdue(self, future: Any) -> Iterator[tuple[int, Any]]:
        """Look at a task past its deadline: wait on, move, or fail its hung unit."""
        task = self.pending[future]
        limits = self._unit_seconds(task.chunk)
        worker = self._where(future)
        now = time.monotonic()
        if worker is None:
            if task.workers and not self._can_run(task.workers):
                # sent only to workers that have since been held or killed (a hung
                # unit of theirs timed out after it was sent): Dask would keep it
                # waiting for them for ever, so it is sent again to the others
                self._send_again(future, task)
                return
            task.deadline = now + limits[0]  # not started yet: its time has not begun
            return
        if worker in self.held:
            # queued behind a hung unit that Dask cannot stop: sent elsewhere
            self._send_again(future, task)
            return
        answer = self._progress(worker, task.token, limits)
        if answer is None:  # on its worker, but not running yet (or just finished)
            task.deadline = now + limits[0]
            return
        if answer is not _NO_ANSWER and not answer[2]:
            # its current unit is within its limit: looked at again when it is not
            done, elapsed, _ = answer
            left = limits[len(done)] - elapsed if len(done) < len(limits) else 0.0
            task.deadline = now + max(0.05, left)
            return
        del self.pending[future]
        future.cancel()
        self._hold(worker, task.token)
        if answer is _NO_ANSWER:
            # its worker does not answer (a unit holding the interpreter lock, or a
            # lost worker): the task is reported whole, as it cannot be looked into
            for index, _ in task.chunk:
                yield index, TaskFailure("timed out; its worker does not answer")
            return
        done, at = answer[0], len(answer[0])
        yield from chunk_outcomes(task.chunk, done)
        yield task.chunk[at][0], TaskFailure(f"timed out after {limits[at]:g} s")
        if task.chunk[at + 1:]:
            self.again.appendleft(task.chunk[at + 1:])

    def _send_again(self, future: Any, task: _Task) -> None:
        del self.pending[future]
        future.cancel()
        (self.singles if task.alone else self.again).appendleft(task.chunk)

    def _can_run(self, workers: tuple[str, ...]) -> bool:
        """Whether any of ``workers`` is in the cluster and not held."""
        try:
            present = self.client.scheduler_info().get("workers", {})
        except Exception:  # noqa: BLE001 - the scheduler gone: the task cannot run
            return False
        return any(w in present and w not in self.held for w in workers)

    def _where(self, future: Any) -> str | None:
        """The worker ``future``'s task is on (running or queued), or None."""
        try:
            running = self.client.processing()
        except Exception:  # noqa: BLE001 - the scheduler gone: nothing to look into
            return None
        return next((w for w, keys in running.items() if future.key in keys), None)

    def _progress(self, worker: str, token: str, limits: list[float]) -> Any:
        """:func:`task_progress` of ``token`` on ``worker``; :data:`_NO_ANSWER` when
        it does not come within :data:`_ASK_SECONDS`."""
        call = self._asking.submit(self._ask, worker, token, limits)
        try:
            return call.result(timeout=_ASK_SECONDS)
        except TimeoutError:
            # a unit stuck in code that holds the interpreter lock stops its worker's
            # event loop too, and Client.run has no timeout of its own
            return _NO_ANSWER

    def _ask(self, worker: str, token: str, limits: list[float]) -> Any:
        """:func:`task_progress` of ``token`` on ``worker`` (:data:`_NO_ANSWER` when
        the worker fails to run it)."""
        try:
            answer = self.client.run(task_progress, token, limits, workers=[worker],
                                     on_error="return").get(worker)
        except Exception:  # noqa: BLE001 - the worker left, or the client closed
            return _NO_ANSWER
        return _NO_ANSWER if isinstance(answer, BaseException) else answer


_NO_ANSWER = object()
_ASK_SECONDS = 30.0  # how long a worker may take to answer task_progress
_RESTART_SECONDS = 120.0  # how long to wait for killed workers of an own cluster to return


def _worker_view(paths: list[str]) -> tuple[str, list[str]]:
    """On a worker: its dupscan code digest and which of ``paths`` it cannot see."""
    return code_digest(), [p for p in paths if not os.path.exists(p)]


def _quiet_restarts(record: logging.LogRecord) -> bool:
    """Drop the nanny's "Restarting worker" warnings (a logging filter)."""
    return not str(record.msg).startswith("Restarting worker")


def _kill_worker_process(dask_worker: Any = None) -> bool:
    """Kill the worker process of the nanny this runs in (``Client.run(nanny=True)``);
    the nanny then starts a new one. Runs in the nanny, since a worker stuck in code
    that holds the interpreter lock cannot run anything itself."""
    process = getattr(getattr(dask_worker, "process", None), "process", None)
    pid = getattr(process, "pid", None)
    if not pid:
        return False
    os.kill(pid, signal.SIGKILL)
    return True


# -- on the workers -----------------------------------------------------------
# What each task of this process has done so far, keyed by the token it was
# submitted with. ``task_progress`` reads it from the worker's event loop while
# the task runs in the worker's thread pool, under the lock.
_RUNNING: dict[str, tuple[list[tuple[bool, Any]], list[float]]] = {}
_STOPPING: set[str] = set()
_LOCK = threading.Lock()


def run_tracked(token: str, fn: Callable[[Any], Any], units: list[Any]) -> list[tuple[bool, Any]]:
    """:func:`~dupscan.batch.local.run_chunk`, unit by unit, leaving its results so
    far and the start of its current unit where :func:`task_progress` finds them."""
    results: list[tuple[bool, Any]] = []
    started = [time.monotonic()]
    with _LOCK:
        _RUNNING[token] = (results, started)
    try:
        for unit in units:
            with _LOCK:
                if token in _STOPPING:
                    break  # the scan gave up on this task: the rest run elsewhere
                started[0] = time.monotonic()
            result = run_chunk(fn, [unit])[0]
            with _LOCK:
                results.append(result)
        return results
    finally:
        with _LOCK:
            _RUNNING.pop(token, None)
            _STOPPING.discard(token)


def task_progress(token: str, limits: list[float]
                  ) -> tuple[list[tuple[bool, Any]], float, bool] | None:
    """How far the task ``token`` of this worker got: the results of its finished
    units, the seconds its current unit has run, and whether that unit is past its
    limit (``limits[i]`` for unit ``i``, 0 for none), in which case the task stops
    after it. None when the task is not running here."""
    with _LOCK:
        state = _RUNNING.get(token)
        if state is None:
            return None
        results, started = state
        at, elapsed = len(results), time.monotonic() - started[0]
        hung = at < len(limits) and 0 < limits[at] < elapsed
        if hung:
            _STOPPING.add(token)
        return list(results), elapsed, hung


def _wait(futures: list, timeout: float | None) -> set:
    """The futures done after waiting up to ``timeout`` seconds (None: no limit) for the
    first one.

    Polled on the futures themselves, a few milliseconds apart: ``distributed.wait``
    runs on the process's default client, which need not be this run's client (a
    program may hold several, and close them in any order), and a test suite hung
    there once, its one-second timeout never firing.
    """
    deadline = None if timeout is None else time.monotonic() + timeout
    pause = 0.002
    while True:
        done = {f for f in futures if f.done()}
        now = time.monotonic()
        if done or (deadline is not None and now >= deadline):
            return done
        time.sleep(pause if deadline is None else min(pause, deadline - now))
        pause = min(2 * pause, 0.05)
