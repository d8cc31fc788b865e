"""The scan pipeline: files -> forms -> findings per case -> one Report.

:func:`scan` is the one-call entry point; :class:`ScanStream` underneath yields
one :class:`CaseResult` per case, in case order, as soon as that case and every
case before it are done, so findings can be streamed to disk while the scan
runs. With ``spool``, the scan's own memory is bounded by the largest case and
the list of files, not by the forms and findings:

1. **discover** the files (:mod:`dupscan.discover`), without reading them;
2. **read**: ingest + segment each pre-read group (manifest case or first
   folder) on the engine; forms go to the SQLite index (a temporary one when no
   ``index`` is given), unchanged files are taken from it;
3. **place** the forms in their final cases (manifest, header field, folder)
   inside the index (:mod:`dupscan.batch.placement`): only files that changed,
   appeared or went away since the index's last run are placed again, and the
   placing runs while the workers read; a form that repeats an earlier form of
   its case whole is a second copy of one record, left out of the case and listed
   as skipped (:mod:`dupscan.batch.copies`);
4. **stock**: per-sentence case counts, kept up to date by deltas for the
   cases that changed, give the text recurring across unrelated cases (no
   form is held in memory);
5. **detect** each case on the engine (a case whose forms and stock sentences
   are unchanged reuses its stored findings); every case is committed alone;
6. **estimate** each case as it is emitted (:class:`~dupscan.estimate.Estimator`):
   only the report's totals stay in memory, and with ``spool`` its forms and
   findings wait on disk for the renderers; what the report keeps of a case
   (structured-only forms, prefill counts) is stored with it in the index, so an
   unchanged case costs one small read.
"""

from __future__ import annotations

import hashlib
import json
import os
import sqlite3
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, replace
from functools import partial
from pathlib import Path
from typing import Any, NamedTuple

from dupscan import _run_totals
from dupscan._case_part import CasePart
from dupscan._rows import decode_findings
from dupscan._spool import Spool, batched, finding_spool, form_spool
from dupscan.batch.fingerprint import code_fingerprint, templates_fingerprint
from dupscan.batch.heap import LongLivedHeap
from dupscan.batch.copies import copy_reason
from dupscan.batch.index import Index
from dupscan.batch.local import LocalEngine, TaskFailure
from dupscan.batch.placement import Placement
from dupscan.batch.runtables import decode_forms
from dupscan.batch.stock import StockPass
from dupscan.batch.tasks import (CaseUnit, DetectContext, ReadContext, Stages, case_forms,
                                 case_prefill_stage, collector_paused, detect_unit, file_digest,
                                 prefill_sum_stage, read_rows, report_part, resolve,
                                 stored_case_names, warm_read, warm_unit)
from dupscan.config import ScanOptions
from dupscan.discover import Corpus, SourceFile, discover
from dupscan.errors import ConfigError
from dupscan.estimate import Estimator
from dupscan.model import Finding, Form, Prefill, Report, Skipped, StockText

__all__ = ["CaseResult", "ScanStream", "scan"]

Progress = Callable[[str, int, int], None]
_DEFAULT_CASE_TIMEOUT = 900.0
_REPORT_BATCH = 200  # cases whose report forms are stored in one transaction
_FILE_BATCH = 100  # files read whose rows are stored in one transaction
_GROUPS_PER_LOOKUP = 64  # pre-read cases whose stored file states are read in one query
_PLACE_STEP = 256  # files placed at a time while the workers read (about 5 ms at 100k files)


@dataclass(frozen=True, slots=True)
class CaseResult:
    """One finished case: its forms (structured fields only), findings and skipped files."""

    case_id: str
    forms: tuple[Form, ...]
    findings: tuple[Finding, ...]
    skipped: tuple[Skipped, ...] = ()
    reused: bool = False
    #: the case's report part, given instead of its forms and findings: the part stored
    #: for an unchanged case when the stream keeps parts (:attr:`ScanStream.part_settings`),
    #: or the part the worker that detected the case made (:attr:`ScanStream.part_costing`)
    part: CasePart | None = None
    #: the key to store this case's part under (:meth:`ScanStream.keep_part`), when it has none
    part_key: str | None = None
    #: the words the case's forms use inside a sentence that may be names, when the
    #: stream keeps them (``case_names=True``: a scan that redacts)
    names: tuple[str, ...] = ()
    #: the totals of :attr:`ScanStream.totals` count this case already, as it is: its
    #: part is only passed on (its tallies are not decoded)
    counted: bool = False


def _options(options: ScanOptions | None, manifest: Any, kwargs: dict[str, Any]) -> ScanOptions:
    base = options or ScanOptions()
    known = set(ScanOptions.__dataclass_fields__)
    changes = {k: v for k, v in kwargs.items() if k in known}
    unknown = sorted(set(kwargs) - known)
    if unknown:
        raise ConfigError(f"unknown scan option(s) {unknown}; choose from {sorted(known)}")
    if "kinds" in changes and isinstance(changes["kinds"], str):
        changes["kinds"] = tuple(k.strip() for k in changes["kinds"].split(",") if k.strip())
    if manifest is not None:
        changes["manifest"] = Path(manifest)
    if changes.get("templates") is not None:
        changes["templates"] = Path(changes["templates"])
    return base.replace(**changes) if changes else base


def _make_engine(engine: str, workers: int, scheduler: str | None, timeout: float | None,
                 restart_hung_workers: bool = False) -> Any:
    if restart_hung_workers and not (engine == "dask" and scheduler):
        raise ConfigError("restart_hung_workers is for a Dask cluster given by its scheduler "
                          "(the scan's own workers are always restarted)")
    if engine == "local":
        return LocalEngine(workers, timeout=timeout)
    if engine == "dask":
        from dupscan.batch.dask_engine import DaskEngine

        return DaskEngine(scheduler=scheduler, workers=workers, timeout=timeout,
                          restart_hung=restart_hung_workers)
    raise ConfigError(f"unknown engine {engine!r}; choose local or dask")


class ScanStream:
    """Run a scan case by case; iterate to get :class:`CaseResult` objects in case order.

    After iteration, :attr:`skipped` and :attr:`stock_text` hold what the whole
    scan found. With ``collect_forms=True``, :attr:`all_forms` holds every form
    of the scan (structured fields only) before the first case is yielded. Parameters are those of :func:`scan`.
    """

    def __init__(self, paths_or_root: Any, manifest: Any = None, *,
                 options: ScanOptions | None = None, root: Any = None,
                 engine: str = "local", scheduler: str | None = None,
                 restart_hung_workers: bool = False,
                 index: str | os.PathLike[str] | None = None, stages: Stages | None = None,
                 case_timeout: float | None = _DEFAULT_CASE_TIMEOUT,
                 progress: Progress | None = None, collect_forms: bool = False,
                 spool: str | os.PathLike[str] | None = None, case_names: bool = False,
                 **option_kwargs: Any) -> None:
        self.options = _options(options, manifest, option_kwargs)
        #: whether each case comes with the name words its forms use (a scan that
        #: redacts, its report or a stream sink: ``case_names`` or ``redact`` asked)
        self.case_names = case_names or self.options.redact
        self.paths_or_root = paths_or_root
        self.root = root
        self.engine = _make_engine(engine, self.options.workers, scheduler, case_timeout,
                                   restart_hung_workers)
        self.index_path = index
        self.stages = stages or Stages()
        self.case_timeout = case_timeout
        self.progress = progress or (lambda stage, done, total: None)
        self.skipped: list[Skipped] = []
        self.stock_text: list[StockText] = []
        self.collect_forms = collect_forms
        self.all_forms: Iterable[Form] = ()
        #: per-case prefill counts of the emitted cases, when the prefill stage counts one
        #: case alone: summed as each case is emitted when the stage has a running sum,
        #: else kept as JSON (on disk in ``spool``, when given) to be summed at the end
        self.prefill_parts: list[str] | Spool[str] | _RunningPrefill | None = None
        self.spool = spool
        self._case_prefill = case_prefill_stage(self.stages)
        #: set (to :meth:`Estimator.part_settings`) by a consumer that adds cases from
        #: their stored parts: unchanged cases then come as parts, the others with a
        #: ``part_key`` to hand their new part back under (:meth:`keep_part`)
        self.part_settings: str | None = None
        #: set (to :meth:`Estimator.part_costing`) by a consumer that adds cases from
        #: parts: the workers then cost each case they detect, and it comes as its part
        #: (stored under its ``part_key`` when the stream keeps parts)
        self.part_costing: Callable[[list[Form], list[Finding]], CasePart] | None = None
        #: set (to the :class:`~dupscan.estimate.Estimator` that adds the cases) by a
        #: consumer that adds cases from parts: with an index, its totals are then kept
        #: at the end of the run and taken up by the next, and each case they count as
        #: it is comes ``counted`` (:mod:`dupscan._run_totals`)
        self.totals: Any = None
        self._counted: set[str] = set()
        self._counted_now: dict[str, tuple[str, str]] = {}  # case -> (part key, digest)
        self._new_parts: list[tuple[str, str, bytes]] = []
        self._new_names: list[tuple[str, str, str]] = []
        self._detector_warmed = False
        #: ``case_id -> {doc of a second copy: doc it copies}`` (set once the forms are placed)
        self._copies: dict[str, dict[str, str]] = {}

    # -- settings fingerprints ---------------------------------------------
    def _read_settings(self) -> str:
        opts = self.options
        parts = [code_fingerprint(), self.stages.fingerprint(), repr(opts.limits),
                 templates_fingerprint(opts.templates)]
        return hashlib.sha256("\n".join(parts).encode()).hexdigest()

    def _detect_settings(self) -> str:
        o = self.options
        parts = [code_fingerprint(), self.stages.fingerprint(), repr(sorted(o.kinds)),
                 str(o.min_words), str(o.stock_min_cases), repr(o.stock_min_share), repr(sorted(o.extra.items()))]
        return hashlib.sha256("\n".join(parts).encode()).hexdigest()

    # -- the run -------------------------------------------------------------
    def __iter__(self) -> Iterator[CaseResult]:
        opts = self.options
        self._detector_warmed = False
        # without an index every file is read: nothing to compare with
        mark = self._listing_mark() if self.index_path is not None else None
        if mark is None or Index.peek(self.index_path, ("listing",)).get("listing") != mark:
            self._start_workers()  # files are likely to be read: start while they are listed
        corpus = discover(self.paths_or_root, root=self.root, manifest=opts.manifest,
                          exclude=[opts.templates] if opts.templates else ())
        self.skipped = list(corpus.skipped)
        try:
            # workers elsewhere must see the files and run this code
            self.engine.check_workers(corpus.root, opts.templates)
            with Index(self.index_path, settings=self._read_settings()) as index:
                try:
                    placement = Placement(corpus, index, self.skipped)
                    self._read(corpus, index, placement)
                    self._warm_detector()  # when the reading did not (it warms once)
                    placement.finish()
                    # the list of files is done with once they are placed: freed before the
                    # cases (about 0.45 KB a file, 450 MB of a million-form scan's process)
                    del corpus, placement
                    self._leave_out_copies(index)
                    cases = index.run.case_digests()
                    # the threshold scales with the cases of this run, so a scan that adds
                    # cases may turn stock text back into re-entry: case_key carries each
                    # case's own stock sentences (all its detection sees of them) into its
                    # cache key, so only cases whose stock set changed are detected again
                    need = opts.stock_threshold(len(cases))
                    stock = StockPass(index, min_cases=need, copies=self._copies)
                    stock.run()
                    self.stock_text = stock.stock_text
                    yield from self._detect(index, stock, cases)
                    if mark is not None:
                        index.note("listing", mark)
                except sqlite3.Error as exc:  # a full disk under the index, most often
                    raise index.failure(exc) from exc
        finally:
            self.engine.close()
        self.skipped.sort(key=lambda s: (s.path, s.reason))

    def _leave_out_copies(self, index: Index) -> None:
        """Find the second copies of forms in each case (:mod:`dupscan.batch.copies`):
        each case is detected and reported without them, and each is listed as skipped."""
        self._copies = index.run.copies()
        self.skipped.extend(Skipped(doc, copy_reason(original))
                            for copies in self._copies.values()
                            for doc, original in copies.items())

    def _form_texts(self, index: Index, case_id: str) -> list[str]:
        """The stored texts of a case's forms in case order, its second copies left out."""
        return index.case_form_texts(case_id, self._copies.get(case_id, ()))

    def _listing_mark(self) -> str | None:
        """What this run lists, as far as it is known before listing: the read settings,
        the scan paths and the manifest's size and time or, without a manifest, the
        modification times of the scan folder and of what it holds (a file added to a
        case folder changes that folder's time). A run whose mark equals the last
        finished run's probably reads nothing (an unchanged year of records); ``None``
        when nothing tells (files given one by one, or an unreadable manifest)."""
        given = self.paths_or_root
        if not isinstance(given, (str, os.PathLike)):
            return None
        try:
            manifest = self.options.manifest
            if manifest is not None:
                stat = os.stat(manifest)
                listed: Any = (os.fspath(manifest), stat.st_size, stat.st_mtime_ns)
            else:
                with os.scandir(os.fspath(given)) as entries:
                    listed = sorted((e.name, e.stat(follow_symlinks=False).st_mtime_ns)
                                    for e in entries)
                listed.append(os.stat(given).st_mtime_ns)
        except OSError:
            return None  # discovery says what is wrong
        return hashlib.sha256(repr((self._read_settings(), os.fspath(given), listed,
                                    self.root and os.fspath(self.root))).encode()).hexdigest()

    def _start_workers(self) -> None:
        """Start the engine's workers now, each loading the reader (spaCy's sentence
        splitter, see :func:`~dupscan.batch.tasks.warm_read`), when the engine can (a
        no-op once they run)."""
        start = getattr(self.engine, "start", None)
        if start is not None:
            start(partial(warm_read, self._read_context(Path())))

    def _read(self, corpus: Corpus, index: Index, placement: Placement) -> None:
        """Read the files that changed and store their records; ``placement`` gets
        every file of ``corpus`` as the reading goes (see :class:`Placement`)."""
        root = corpus.root
        todo: dict[str, list[SourceFile]] = {}
        settled: set[str] = set()  # groups listed as when last placed: nothing to do
        # what the index knows of each file, looked up for many pre-read cases at once
        # (one query per case took 0.55 s instead of 0.43 s at 98k files)
        for chunk in batched(corpus.groups(), _GROUPS_PER_LOOKUP):
            settled |= placement.settled(chunk)
            chunk = [(group, files) for group, files in chunk if group not in settled]
            states = index.file_versions([item.path for _, files in chunk for item in files])
            for group, files in chunk:
                for item in files:
                    state = states.get(item.path)
                    if state and state[:2] == (item.size, item.mtime_ns):
                        continue
                    # a file that failed to read was stored without a digest: hashing it
                    # again could never match, so it goes straight back to the readers
                    if (state and state[2] and state[0] == item.size
                            and file_digest(root / item.path) == state[2]):
                        index.touch_file(item.path, item.size, item.mtime_ns)
                        continue
                    if not todo:  # the first file to read: its workers start meanwhile
                        self._start_workers()
                    todo.setdefault(group, []).append(item)
        # one unit per file (a crash is blamed on its file), sent in chunks
        units = [(f,) for _, files in sorted(todo.items()) for f in files]
        total = len(corpus.files)
        done = total - len(units)
        self.progress("files", done, total)
        ctx = self._read_context(root)
        timeout = None if self.case_timeout is None else self.options.limits.file_timeout
        workers: int = getattr(self.engine, "workers", 1)
        chunk_size = max(1, min(8, len(units) // (4 * workers or 1)))
        # the files not read are placed while the workers read the others, a few batches
        # after each result, spread over the results; a file read is placed once its
        # record is stored, and one that failed last, as the index knew it before
        reading = {f.path for (f,) in units}
        unread = list(batched((f for f in corpus.files
                               if f.path not in reading and f.group not in settled), _PLACE_STEP))
        steps = 0
        rows: list[tuple[Any, ...]] = []
        stored: list[SourceFile] = []
        failed: list[SourceFile] = []

        def handed_out() -> Iterator[tuple[SourceFile, ...]]:
            yield from units
            # every file is handed out: a worker loads the detector once it has read its
            # last file, while the others read theirs and this process places them
            self._warm_detector()

        for n, (i, out) in enumerate(self.engine.map(partial(read_rows, ctx), handed_out(),
                                                     timeout=timeout, chunk_size=chunk_size), 1):
            if isinstance(out, TaskFailure):
                # not stored: a crash or timeout is retried by the next run
                self.skipped.extend(Skipped(f.path, out.reason) for f in units[i])
                failed.extend(units[i])
                placement.unsettle(units[i])
            else:
                rows.extend(out)
                stored.extend(units[i])
                if len(rows) >= _FILE_BATCH:
                    index.store_file_rows(rows)
                    rows = []
                    placement.add(stored)
                    stored = []
            done += len(units[i])
            self.progress("files", done, total)
            while steps < len(unread) and steps * len(units) < n * len(unread):
                placement.add(unread[steps])
                steps += 1
        if rows:  # a scan stopped before this re-reads these files next time
            index.store_file_rows(rows)
        for files in (*unread[steps:], stored, failed):
            for part in batched(files, _PLACE_STEP):
                placement.add(part)

    def _warm_detector(self) -> None:
        """Have the engine's workers load the detector's models (once a scan), so that
        loading overlaps this process's placing and counting instead of delaying the
        first cases."""
        if not self._detector_warmed:
            self._detector_warmed = True
            self.engine.warm(partial(warm_unit, DetectContext(self.stages, self.options)))

    def _read_context(self, root: Path) -> ReadContext:
        opts = self.options
        return ReadContext(str(root), self.stages,
                           str(opts.templates) if opts.templates else None, opts.limits)

    def _detect(self, index: Index, stock: StockPass,
                cases: list[tuple[str, str]]) -> Iterator[CaseResult]:
        settings = self._detect_settings()
        stored = index.case_keys()
        plan: list[tuple[str, str, bool]] = []
        for case_id, digest in cases:
            # the digest of the stored form texts in case order fixes everything
            # detection sees of the forms; case_key the stock sentences it skips
            key = hashlib.sha256(
                "\0".join((settings, stock.case_key(case_id), digest)).encode()).hexdigest()
            plan.append((case_id, key, stored.get(case_id) == key))
        todo = [i for i, (_, _, cached) in enumerate(plan) if not cached]
        # the report part of a case whose forms changed is built by the worker that
        # detects it, unless every case's forms are needed before the first is
        # detected (collect_forms); the rest are built here
        digests = dict(cases)
        running = prefill_sum_stage(self._case_prefill)
        if running is not None:  # summed as the cases are emitted: nothing kept per case
            self.prefill_parts = _RunningPrefill(running())
        elif self._case_prefill:
            # a case's counts are some 800 objects: pickled a few dozen cases at a time
            self.prefill_parts = [] if self.spool is None else Spool(self.spool, batch=32)
        # before this run replaces any stored part or prefill count the kept totals counted
        self._take_up_totals(index, plan, digests)
        have = index.run.report_digests()
        in_workers = set() if self.collect_forms else {
            plan[i][0] for i in todo if have.get(plan[i][0]) != digests[plan[i][0]]}
        self._report_forms(index, [c for c in cases if c[0] not in in_workers], have)
        index.run.prune_report_forms(set(digests))
        if self.collect_forms:  # read from the index when iterated, never held
            self.all_forms = _StoredForms(index.run)
        total = len(plan)
        self.progress("cases", total - len(todo), total)

        def units() -> Iterator[CaseUnit]:
            for i in todo:
                case_id = plan[i][0]
                # a case that gained forms is extended from its stored detection
                rows = index.case_form_rows(case_id, self._copies.get(case_id, ()))
                yield CaseUnit(case_id, tuple(text for text, _ in rows),
                               stock.case_stock(case_id), report=case_id in in_workers,
                               earlier=index.case_earlier(case_id, settings),
                               digests=tuple(digest for _, digest in rows))

        # a temporary index is never extended: its cases need no basis
        ctx = DetectContext(self.stages, self.options, keep_basis=self.index_path is not None,
                            part_costing=self.part_costing)
        failed: dict[int, str] = {}
        fresh: dict[int, _Fresh] = {}
        named: dict[int, tuple[str, ...]] = {}  # name words found by the workers
        finished: set[int] = set()

        def emitted(at: int) -> Iterator[CaseResult]:
            """Give the case planned ``at``; then store the parts handed back so far,
            a batch at a time."""
            yield self._named(index, self._result(index, plan[at], failed.get(at),
                                                  fresh.pop(at, None), digests[plan[at][0]]),
                              digests[plan[at][0]], named.pop(at, None))
            self._store_parts(index, _REPORT_BATCH)

        emit = 0
        done = total - len(todo)
        for j, out in self.engine.map(partial(detect_unit, ctx), units(),
                                      timeout=self.case_timeout):
            i = todo[j]
            case_id = plan[i][0]
            if isinstance(out, TaskFailure):
                failed[i] = out.reason
                if case_id in in_workers:  # the skipped files are named from the report forms
                    self._report_forms(index, [(case_id, digests[case_id])], have)
            else:
                if out.report is not None:
                    # stored before the findings: a case with stored findings always
                    # has its report part, even when the scan is killed in between
                    index.run.store_report_rows([(case_id, digests[case_id], *out.report)])
                if out.names is not None:
                    named[i] = out.names
                index.store_case(case_id, plan[i][1], out.findings, settings, out.basis)
                fresh[i] = _Fresh(out.findings, out.report, out.part)
            finished.add(i)
            done += 1
            self.progress("cases", done, total)
            while emit < total and (plan[emit][2] or emit in finished):
                yield from emitted(emit)
                emit += 1
        while emit < total:
            yield from emitted(emit)
            emit += 1
        self._store_parts(index, 1)
        self._keep_totals(index)

    def _totals_settings(self) -> str:
        """What the kept totals depend on besides the cases they count."""
        return hashlib.sha256(f"{_run_totals.VERSION}\0{self._detect_settings()}\0"
                              f"{self.part_settings}".encode()).hexdigest()

    def _part_key(self, key: str) -> str:
        """The key a case's part is stored under, from the case's key."""
        return hashlib.sha256(f"{key}\0{self.part_settings}".encode()).hexdigest()

    def _keeps_totals(self) -> bool:
        return (self.index_path is not None and self.totals is not None
                and self.part_settings is not None
                and isinstance(self.prefill_parts, _RunningPrefill)
                and _run_totals.can_keep(self.totals, self.prefill_parts.total))

    def _take_up_totals(self, index: Index, plan: list[tuple[str, str, bool]],
                        digests: dict[str, str]) -> None:
        """Take up the totals the last run kept (:mod:`dupscan._run_totals`); the cases
        they count as planned now go to ``_counted``."""
        self._counted, self._counted_now = set(), {}
        if not self._keeps_totals():
            return
        assert isinstance(self.prefill_parts, _RunningPrefill)
        planned = ((case_id, self._part_key(key), digests[case_id], stored)
                   for case_id, key, stored in plan)
        kept = _run_totals.read_kept(index.run, self._totals_settings(), planned)
        if kept is not None:
            self._counted = _take_up_quietly(kept, index.run, self.totals,
                                             self.prefill_parts.total)

    def _keep_totals(self, index: Index) -> None:
        """Keep this run's totals for the next, once every case was given (and added)."""
        if self._keeps_totals():
            assert isinstance(self.prefill_parts, _RunningPrefill)
            _run_totals.keep(index.run, self._totals_settings(), self.totals,
                             self.prefill_parts.total, self._counted_now)

    def _named(self, index: Index, case: CaseResult, digest: str,
               found: tuple[str, ...] | None) -> CaseResult:
        """``case`` with the name words its forms use (every field), when the stream
        keeps them: ``found`` by the worker that detected it, else stored under the
        digest of its forms by an earlier scan, else read from its stored forms here.
        Only a scan that redacts pays for this."""
        if not self.case_names or case.skipped:
            return case
        names = found if found is not None else index.run.case_names(case.case_id, digest)
        if names is None:
            names = found = stored_case_names(self._form_texts(index, case.case_id))
        if found is not None:
            self._new_names.append((case.case_id, digest, json.dumps(list(names))))
        return replace(case, names=names)

    def keep_part(self, case: CaseResult, part: CasePart) -> None:
        """Store ``case``'s report part (made by the consumer) under its ``part_key``."""
        if case.part_key is not None:
            self._new_parts.append((case.case_id, case.part_key, part.encode()))

    def _store_parts(self, index: Index, at_least: int) -> None:
        if len(self._new_parts) >= at_least:
            index.run.store_report_parts(self._new_parts)
            self._new_parts = []
        if len(self._new_names) >= at_least:
            index.run.store_case_names(self._new_names)
            self._new_names = []

    def _report_forms(self, index: Index, cases: list[tuple[str, str]],
                      have: dict[str, str]) -> None:
        """Store what the report keeps of each case whose forms changed since last stored
        (``have``: the digests it was stored under): its structured-only forms and,
        when the prefill stage can count one case alone, that case's prefill counts."""
        batch: list[tuple[str, str, str, str]] = []
        for case_id, digest in cases:
            if have.get(case_id) != digest:
                forms = case_forms(self._form_texts(index, case_id))
                batch.append((case_id, digest, *report_part(self.stages, forms)))
            if len(batch) >= _REPORT_BATCH:
                index.run.store_report_rows(batch)
                batch = []
        if batch:
            index.run.store_report_rows(batch)

    def _result(self, index: Index, planned: tuple[str, str, bool], failure: str | None,
                fresh: _Fresh | None = None, digest: str = "") -> CaseResult:
        """One case for the stream; ``fresh`` is what a worker just made of it (else it
        is read back); ``digest``: the digest of its forms."""
        case_id, key, cached = planned
        part_key = None
        counted = case_id in self._counted
        if failure is None and self.part_settings is not None:
            part_key = self._part_key(key)
            self._counted_now[case_id] = (part_key, digest)
            if fresh is None:  # findings stored by an earlier run: so may its part be
                stored = self._stored_part(index, case_id, part_key, counted)
                if stored is not None:
                    return stored
        if failure is None and fresh is not None and fresh.part is not None:
            return self._costed(index, case_id, fresh, part_key)
        report = fresh.report if fresh is not None else None
        forms, prefill = ((decode_forms(report[0]), report[1]) if report is not None
                          else index.run.report_forms(case_id))
        if failure is not None:
            skipped = tuple(Skipped(f.doc, f"case {case_id}: detection {failure}") for f in forms)
            self.skipped.extend(skipped)
            return CaseResult(case_id, (), (), skipped)
        if self.prefill_parts is not None and not counted:
            self.prefill_parts.append(prefill)
        findings = (decode_findings(fresh.findings) if fresh is not None
                    else index.case_findings(case_id, key) or [])
        return CaseResult(case_id, tuple(forms), tuple(findings), (), cached, part_key=part_key,
                          counted=counted)

    def _costed(self, index: Index, case_id: str, fresh: _Fresh,
                part_key: str | None) -> CaseResult:
        """A case the worker costed: it comes as its part, which is kept under
        ``part_key`` when the stream keeps parts."""
        assert fresh.part is not None
        if self.prefill_parts is not None:
            self.prefill_parts.append(fresh.report[1] if fresh.report is not None
                                      else index.run.report_prefill(case_id))
        if part_key is not None:
            self._new_parts.append((case_id, part_key, fresh.part))
        return CaseResult(case_id, (), (), (), part=CasePart.decode(fresh.part))

    def _stored_part(self, index: Index, case_id: str, part_key: str,
                     counted: bool = False) -> CaseResult | None:
        """The case as its stored part, when one was stored under ``part_key`` (a damaged
        part is ignored: the case is then read and costed as it would be without).
        ``counted``: the totals count the case already, so neither its tallies nor its
        prefill counts are read."""
        if counted:
            data = index.run.stored_part(case_id, part_key)
            row = None if data is None else (data, "")
        else:
            row = index.run.report_part(case_id, part_key)
        if row is None:
            return None
        try:
            part = CasePart.decode(row[0], tallies=not counted)
        except ValueError:
            return None
        if self.prefill_parts is not None and not counted:
            self.prefill_parts.append(row[1])
        return CaseResult(case_id, (), (), (), True, part=part, counted=counted)


def _take_up_quietly(kept: _run_totals.Kept, run: Any, totals: Any, prefill: Any) -> set[str]:
    """:func:`dupscan._run_totals.apply` without the collector: it makes some million
    short-lived objects (the prefill counts taken out), and the collector's full passes
    over this process's heap took longer than the work (0.8 s instead of 0.4 s for the
    1,155 cases of an increment at 100k forms; a scan whose workers read the files has
    paused it already, :class:`~dupscan.batch.heap.LongLivedHeap`)."""
    with collector_paused():
        return _run_totals.apply(kept, run, totals, prefill)


class _Fresh(NamedTuple):
    """What a worker returned for a case it detected: its findings, its report part
    when asked for (structured forms, prefill counts) and its costed part when the
    stream's consumer costs cases from parts, as the index stores them (text)."""

    findings: str
    report: tuple[str, str] | None
    part: bytes | None


class _RunningPrefill:
    """Per-case prefill counts (JSON) summed as they are appended, case by case."""

    def __init__(self, total: Any) -> None:
        self.total = total

    def append(self, counts: str) -> None:
        case = json.loads(counts)
        if case:  # a case with no stored counts adds nothing
            self.total.add(case)


class _StoredForms:
    """Every case's report forms, decoded from the index each time they are iterated
    (redacting a stream needs the names of every form before the first write; held
    as objects they would take about 2 KB a form)."""

    def __init__(self, run: Any) -> None:
        self._run = run

    def __iter__(self) -> Iterator[Form]:
        return self._run.iter_report_forms()


def scan(paths_or_root: str | os.PathLike[str] | Iterable[str | os.PathLike[str]],
         manifest: str | os.PathLike[str] | None = None, *,
         options: ScanOptions | None = None, engine: str = "local",
         scheduler: str | None = None, restart_hung_workers: bool = False,
         index: str | os.PathLike[str] | None = None,
         stages: Stages | None = None, case_timeout: float | None = _DEFAULT_CASE_TIMEOUT,
         progress: Progress | None = None, quiet: bool = True,
         sink: Any = None, spool: str | os.PathLike[str] | None = None,
         **option_kwargs: Any) -> Report:
    """Scan a folder (or files) and return the :class:`~dupscan.model.Report`.

    Parameters
    ----------
    paths_or_root : path or iterable of paths
        The scan root, or files and folders under one root (order does not matter).
    manifest : path, optional
        ``manifest.csv`` naming the documents with their case, type and date.
    options : ScanOptions, optional
        Base options; keyword options (``templates``, ``kinds``, ``min_words``,
        ``workers``, ``redact``, ``profile``, ``period_days``, ``staff`` ...) override it.
    engine : {"local", "dask"}, default="local"
        Where the per-case work runs; ``scheduler`` is the Dask scheduler address.
    restart_hung_workers : bool, default=False
        With ``scheduler``: restart (through its nanny) a worker whose case ran
        past ``case_timeout``, as the scan's own workers are restarted, instead of
        sending it nothing until the case returns. For a cluster that runs this
        scan alone: other work on that worker is lost with it.
    index : path, optional
        SQLite index making the scan incremental and resumable.
    stages : Stages, optional
        Stage functions by dotted path (tests inject fakes here).
    case_timeout : float or None, default=900
        Seconds one case may take on a worker before it is skipped.
    progress : callable, optional
        Called as ``progress(stage, done, total)`` with stage ``"files"`` or ``"cases"``.
        The first call of a stage counts what it skips: files the index holds
        unchanged, cases whose stored findings still hold (see
        :class:`~dupscan.batch.progress.RunCounts`).
    quiet : bool, default=True
        When False and no ``progress`` is given, draw progress bars on a terminal stderr.
    sink : object, optional
        Receives ``sink.write(findings, forms)`` per case, in case order, as the
        scan goes (see :class:`dupscan.batch.sink.FindingSink`).
    spool : path, optional
        An existing folder where the report's forms and findings are kept on disk
        instead of in memory (for scans of hundreds of thousands of forms); the
        report reads them from there each time it is rendered, so the folder must
        outlive it. :func:`dupscan.report.write_reports` writes such a report in
        one pass per file. Delete the folder afterwards.

    Returns
    -------
    Report
        Forms (with their structured fields), costed findings, stock text,
        prefill candidates and every skipped file with its reason.

    Notes
    -----
    With ``workers=1`` everything runs in this process and ``case_timeout`` is
    not enforced. A case whose worker crashes or times out is listed in
    ``Report.skipped`` (each of its files) and the other cases finish.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> root = pathlib.Path(tempfile.mkdtemp())
    >>> text = "Reason: Mum said Ava was late to school three times this week."
    >>> for name in ("referral.txt", "assessment.txt"):
    ...     _ = (root / "C1").mkdir(exist_ok=True), (root / "C1" / name).write_text(text)
    >>> report = scan(root, workers=1)
    >>> report.summary.forms, [f.kind for f in report.findings]
    (2, ['exact'])
    """
    bars = None
    if progress is None and not quiet:
        from dupscan.batch.progress import ProgressBars

        bars = ProgressBars.for_stderr()
        progress = bars.update if bars is not None else None
    redacting = sink is not None and getattr(sink, "redact", False)
    stream = ScanStream(paths_or_root, manifest, options=options, engine=engine,
                        scheduler=scheduler, restart_hung_workers=restart_hung_workers,
                        index=index, stages=stages,
                        case_timeout=case_timeout, progress=progress,
                        collect_forms=redacting, spool=spool, case_names=redacting,
                        **option_kwargs)
    opts = stream.options
    names: dict[str, tuple[str, ...]] = {}
    forms_out: Any = None if spool is None else form_spool(spool)
    findings_out: Any = None if spool is None else finding_spool(spool)
    try:
        est = Estimator(profile=opts.profile, period_days=opts.period_days, staff=opts.staff,
                        options=_report_options(opts, engine), forms_out=forms_out,
                        findings_out=findings_out)
        if index is not None:  # a later scan with this index adds unchanged cases from parts
            stream.part_settings = est.part_settings()
            stream.totals = est  # and takes up the totals this one keeps
        stream.part_costing = est.part_costing()  # the workers cost the cases they detect
        # the files are read in the workers: nothing this process holds before the first
        # case is worth the collector's full passes
        read_elsewhere = isinstance(stream.engine, LocalEngine) and stream.engine.workers > 1
        with LongLivedHeap(pause=read_elsewhere) as heap:
            try:
                for case in stream:
                    if redacting:  # before the first write: the names of every form
                        sink.prepare(stream.all_forms)
                        stream.all_forms, redacting = (), False
                    if case.names:
                        names[case.case_id] = case.names
                    if case.part is not None:  # costed by a worker, or stored unchanged
                        est.add_part(case.part, counted=case.counted)
                        if sink is not None and case.part.finding_count:
                            _write(sink, case.part.decoded_findings(),
                                   case.part.decoded_forms(), case.names)
                    else:
                        if case.part_key is not None:
                            costed, part = est.add_case_part(case.forms, case.findings,
                                                             counted=case.counted)
                            stream.keep_part(case, part)
                        else:
                            costed = est.add_case(case.forms, case.findings)
                        if sink is not None and costed:
                            _write(sink, costed, case.forms, case.names)
                    heap.tick()
            finally:
                if bars is not None:
                    bars.close()
            if forms_out is not None:
                forms_out.seal()  # read again by the prefill stage below
            parts = stream.prefill_parts
            if isinstance(parts, Spool):
                parts.seal()
            if isinstance(parts, _RunningPrefill):
                prefill = parts.total.result()
            elif stream._case_prefill and parts is not None:
                prefill = stream._case_prefill[1](json.loads(p) for p in parts)
            else:
                prefill = _prefill(stream.stages, est.forms_out)
            report = est.report(stock_text=stream.stock_text, prefill=prefill,
                                skipped=stream.skipped)
            return replace(report, case_names=names) if names else report
    except BaseException:
        for item in (forms_out, findings_out):
            if item is not None:
                item.close()
        raise
    finally:
        if isinstance(stream.prefill_parts, Spool):
            stream.prefill_parts.close()


def _write(sink: Any, findings: Any, forms: Any, names: tuple[str, ...]) -> None:
    """``sink.write(findings, forms)``, with the case's name words for a sink that
    redacts (one that does not may not take them)."""
    if names and getattr(sink, "redact", False):
        sink.write(findings, forms, names=names)
    else:
        sink.write(findings, forms)


def _prefill(stages: Stages, forms: Iterable[Form]) -> list[Prefill]:
    """Prefill candidates over the structured fields of every form."""
    try:
        find_prefill = resolve(stages.find_prefill)
    except (ImportError, AttributeError):  # a build without prefill detection
        return []
    return list(find_prefill(forms))


def _report_options(opts: ScanOptions, engine: str) -> dict[str, Any]:
    return {"kinds": list(opts.kinds), "min_words": opts.min_words,
            "stock_min_cases": opts.stock_min_cases,
            "stock_min_share": opts.stock_min_share, "redact": opts.redact,
            "engine": engine, "templates": str(opts.templates) if opts.templates else None,
            "manifest": str(opts.manifest) if opts.manifest else None}
