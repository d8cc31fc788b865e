"""The per-case work a batch engine runs: top-level, picklable, spawn-safe.

Two kinds of unit:

* :func:`read_unit` reads and segments the files of one pre-read case group
  (ingest + segment); every file or document that fails becomes an error entry,
  the others go on.
* :func:`detect_unit` runs re-entry detection over the forms of one case.

Stage functions are named by dotted path in :class:`Stages` so that a worker
process (local or on a Dask cluster) imports them itself; tests swap in fakes
the same way.
"""

from __future__ import annotations

import gc
import hashlib
import importlib
import json
import sys
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from dupscan.config import Limits, ScanOptions
from dupscan.discover import SourceFile
from dupscan.errors import IngestError

if TYPE_CHECKING:
    from dupscan.detect.semantic import TokenIds

__all__ = [
    "CaseOutput",
    "CaseUnit",
    "FileResult",
    "ReadContext",
    "DetectContext",
    "Stages",
    "case_forms",
    "case_names",
    "case_prefill_stage",
    "collector_paused",
    "prefill_sum_stage",
    "stored_case_names",
    "detect_unit",
    "file_digest",
    "read_rows",
    "read_unit",
    "report_part",
    "resolve",
    "structured_only",
    "warm_unit",
]


@dataclass(frozen=True, slots=True)
class Stages:
    """Where each stage function lives, as ``"module:attribute"`` paths."""

    ingest: str = "dupscan.ingest:ingest"
    segment: str = "dupscan.segment:segment"
    detect: str = "dupscan.detect:detect"
    find_prefill: str = "dupscan.detect:find_prefill"
    find_stock: str = "dupscan.detect:find_stock"
    stock_keys: str = "dupscan.detect:stock_keys"

    def fingerprint(self) -> str:
        """A string that changes when any stage is swapped."""
        return "|".join((self.ingest, self.segment, self.detect, self.find_prefill,
                         self.find_stock, self.stock_keys))


@lru_cache(maxsize=64)
def resolve(target: str) -> Callable[..., Any]:
    """Import ``"package.module:attribute"`` and return the attribute."""
    module, _, name = target.partition(":")
    value: Any = importlib.import_module(module)
    for part in name.split("."):
        value = getattr(value, part)
    return value


def file_digest(path: Path, chunk: int = 1 << 20) -> str:
    """SHA-256 of a file's bytes."""
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        while block := handle.read(chunk):
            digest.update(block)
    return digest.hexdigest()


@dataclass(frozen=True, slots=True)
class ReadContext:
    """What every read unit of a scan shares."""

    root: str
    stages: Stages = field(default_factory=Stages)
    templates: str | None = None
    limits: Limits = field(default_factory=Limits)


@dataclass(slots=True)
class FileResult:
    """What reading one file gave: its segmented forms and failed documents.

    ``forms`` are JSON dicts (see :mod:`dupscan.batch.serial`) of the forms as
    segmented, before manifest or case overrides; ``errors`` pairs a document
    path with the reason it was skipped (the whole file when ``forms`` is empty
    and the error names the file). ``stock`` holds, per form, its countable
    sentences as ``[hash, occurrences, text, words]`` for the stock-text count.
    """

    path: str
    size: int
    mtime_ns: int
    sha256: str = ""
    forms: list[dict[str, Any]] = field(default_factory=list)
    errors: list[tuple[str, str]] = field(default_factory=list)
    stock: list[list[list[Any]]] = field(default_factory=list)

    def row(self) -> tuple[str, int, int, str, str, str, str]:
        """The index's ``files`` row: path, size, mtime, SHA-256, then forms, errors
        and stock sentences as JSON (:func:`~dupscan.batch.serial.dumps`)."""
        from dupscan.batch.serial import dumps

        return (self.path, self.size, self.mtime_ns, self.sha256, dumps(self.forms),
                dumps([list(e) for e in self.errors]), dumps(self.stock))


def form_sentences(stages: Stages, form: Any) -> list[list[Any]]:
    """``[hash, occurrences, text, words]`` of each sentence of ``form`` that may be stock.

    Uses the detector's own :func:`find_stock` on the form alone (every sentence
    recurs in one "case"), so hashing and sentence rules are the detector's.
    """
    find_stock = resolve(stages.find_stock)
    keys = resolve(stages.stock_keys)
    one = ScanOptions(stock_min_cases=1)
    out = []
    for item in find_stock({form.case_id or form.doc: [form]}, options=one):
        (key,) = keys([item])
        out.append([key, item.occurrences, item.text, item.words])
    out.sort()
    return out


def _describe(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()[0] if str(exc).strip() else ""
    return f"{type(exc).__name__}: {text}" if text else type(exc).__name__


@lru_cache(maxsize=8)
def _templates(segment_path: str, templates: str | None) -> Any:
    """Prepared templates for ``segment`` (loaded once per process)."""
    if templates is None:
        return None
    module = importlib.import_module(segment_path.partition(":")[0])
    loader = getattr(module, "load_templates", None)
    return loader(Path(templates)) if callable(loader) else Path(templates)


def read_unit(ctx: ReadContext, files: tuple[SourceFile, ...]) -> list[FileResult]:
    """Ingest and segment ``files``; never raises for a bad file."""
    from dupscan.batch.serial import form_to_dict
    from dupscan.detect.passages import with_sentences

    ingest = resolve(ctx.stages.ingest)
    segment = resolve(ctx.stages.segment)
    templates = _templates(ctx.stages.segment, ctx.templates)
    root = Path(ctx.root)
    results = []
    for item in files:
        absolute = root / item.path
        result = FileResult(item.path, item.size, item.mtime_ns)
        results.append(result)
        try:
            stat = absolute.stat()
            result.size, result.mtime_ns = stat.st_size, stat.st_mtime_ns
            # ingest first: it refuses an oversized file or a pipe without reading it
            docs = ingest(absolute, root=root, limits=ctx.limits)
            result.sha256 = file_digest(absolute)
        except IngestError as exc:
            result.errors.append((item.path, exc.reason))
            continue
        except OSError as exc:
            result.errors.append((item.path, f"cannot read file ({exc.strerror or exc})"))
            continue
        except Exception as exc:  # a bug in a reader must not stop the scan
            result.errors.append((item.path, f"reader failed ({_describe(exc)})"))
            continue
        for doc in docs:
            try:
                form = segment(doc, templates=templates)
            except Exception as exc:
                result.errors.append((doc.path, f"could not split into fields ({_describe(exc)})"))
                continue
            try:
                # split once, here: the offsets are stored with the form for detection
                form = with_sentences(form)
                sentences = form_sentences(ctx.stages, form)
            except Exception as exc:
                result.errors.append((doc.path, f"could not split into sentences "
                                                f"({_describe(exc)})"))
                continue
            result.forms.append(form_to_dict(form))
            result.stock.append(sentences)
    return results


def warm_read(ctx: ReadContext) -> None:
    """Load what :func:`read_unit` runs, in this worker, before its first file (see
    :meth:`~dupscan.batch.local.LocalEngine.start`): its stages, the templates, and
    the sentence splitter, whose first use imports spaCy (about 0.6 s in a worker
    dupscan started, 1.6 s where thinc also imports torch; see
    :mod:`dupscan._own_process`)."""
    from dupscan.detect.sentences import split_sentences

    resolve(ctx.stages.ingest)
    resolve(ctx.stages.segment)
    _templates(ctx.stages.segment, ctx.templates)
    split_sentences("Mum said Ava was late. She said it twice.")


def read_rows(ctx: ReadContext, files: tuple[SourceFile, ...]) -> list[tuple[Any, ...]]:
    """:func:`read_unit`, returned as the index rows of its files (:meth:`FileResult.row`).

    Encoding in the worker spares the scan's own process one JSON encoding per form.
    """
    return [result.row() for result in read_unit(ctx, files)]


@dataclass(frozen=True, slots=True)
class DetectContext:
    """What every detect unit of a scan shares.

    ``keep_basis`` asks each unit for what a later scan needs to extend its findings
    (:attr:`CaseOutput.basis`): form digests and a digest of the case's sentences.
    A scan whose index is deleted when it ends (no ``--index``) never extends them
    and leaves it off.
    """

    stages: Stages = field(default_factory=Stages)
    options: ScanOptions = field(default_factory=ScanOptions)
    keep_basis: bool = True
    #: when set, each unit also returns its case costed into the report's part
    #: (:attr:`CaseOutput.part`): called with the case's report forms and its findings,
    #: it gives a :class:`~dupscan._case_part.CasePart` (a
    #: :class:`~dupscan.estimate.PartCosting`)
    part_costing: Callable[[list[Any], list[Any]], Any] | None = None


@dataclass(frozen=True, slots=True)
class CaseUnit:
    """The forms of one case in case order, and its stock hashes.

    Each form is its stored JSON text, decoded in the worker (:func:`case_forms`),
    which spares the scan's own process a decode and a deep pickle per form. With
    ``report`` set the unit also returns what the report keeps of the case
    (:func:`report_part`), built from the forms the worker has decoded anyway.
    """

    case_id: str
    forms: tuple[str, ...]
    exclude: frozenset[str] = frozenset()
    report: bool = False
    #: the case's stored detection, to extend (:func:`detect_unit`): its basis and its
    #: findings, as the index keeps them
    earlier: tuple[str, str] | None = None
    #: the digest the index keeps of each of ``forms`` (SHA-256 of the text, in the same
    #: order), when it keeps them: the forms are then known by these and their place in
    #: the case (:func:`stored_form_digests`) instead of by hashing every value of them
    digests: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class CaseOutput:
    """What a detect unit returns: the case's findings, encoded as the index stores
    them (:func:`~dupscan._rows.encode_findings`, so the scan's own process
    stores the text as it comes and only decodes it), and, when the unit asks for
    it, its :func:`report_part`."""

    findings: str
    report: tuple[str, str] | None = None
    #: what a later scan needs to extend these findings (JSON; empty when the
    #: detect stage is not the packaged one)
    basis: str = ""
    #: the words the case's forms use that may be names, when the scan redacts
    #: (:func:`case_names`); None otherwise
    names: tuple[str, ...] | None = None
    #: the case costed (:meth:`CasePart.encode <dupscan._case_part.CasePart.encode>`),
    #: when the context asks for it (:attr:`DetectContext.part_costing`)
    part: bytes | None = None


def case_forms(texts: Iterable[str]) -> list[Any]:
    """The forms of one case from their stored JSON texts, in case order; each
    form's ``order`` is its position."""
    from dupscan.batch.serial import form_from_dict

    forms = []
    for order, text in enumerate(texts):
        data = json.loads(text)
        data["order"] = order
        forms.append(form_from_dict(data))
    return forms


def structured_only(form: Any) -> Any:
    """``form`` with its structured fields only (what the report keeps of it)."""
    return replace(form, fields=tuple(x for x in form.fields if x.kind == "structured"))


def case_prefill_stage(stages: Stages) -> tuple[Callable[..., Any], Callable[..., Any]] | None:
    """``(case_prefill, merge_prefill)`` beside the prefill stage, when its module has them."""
    try:
        find_prefill = resolve(stages.find_prefill)
    except (ImportError, AttributeError):
        return None
    module = sys.modules.get(getattr(find_prefill, "__module__", ""))
    part = getattr(module, "case_prefill", None)
    merge = getattr(module, "merge_prefill", None)
    return (part, merge) if callable(part) and callable(merge) else None


def prefill_sum_stage(pair: tuple[Callable[..., Any], Callable[..., Any]] | None
                      ) -> Callable[[], Any] | None:
    """The running sum of case prefill counts beside ``pair`` (what
    :func:`case_prefill_stage` gave): a class whose objects take ``add(case counts)``
    case by case, then give ``result()``, when the pair's module has one (``PrefillSum``)."""
    module = sys.modules.get(getattr(pair[1], "__module__", "")) if pair else None
    running = getattr(module, "PrefillSum", None)
    return running if callable(running) else None


def report_part(stages: Stages, forms: list[Any], kept: list[Any] | None = None
                ) -> tuple[str, str]:
    """What the report keeps of one case, ready to store: its structured-only forms
    (:func:`~dupscan._rows.encode_forms`; ``kept``, when made already) and its prefill
    counts as JSON."""
    from dupscan._rows import encode_forms

    kept = [structured_only(f) for f in forms] if kept is None else kept
    pair = case_prefill_stage(stages)
    prefill = pair[0](kept) if pair else None
    return encode_forms(kept), json.dumps(prefill, ensure_ascii=False)


def detect_unit(ctx: DetectContext, unit: CaseUnit) -> CaseOutput:
    """Detect re-entry across the forms of one case; return its findings encoded and,
    when asked for, what the report keeps of it and the case costed (:class:`CaseOutput`).

    An exception propagates: the engine reports the case's files as skipped.
    """
    from dupscan._rows import encode_findings

    with collector_paused():
        forms = case_forms(unit.forms)
        if ctx.stages.detect == Stages().detect and ctx.keep_basis:
            findings, basis = _detect_extending(ctx, unit, forms)
        else:  # no basis to keep, or a stage swapped in: the plain call
            detect = resolve(ctx.stages.detect)
            findings, basis = detect(forms, options=ctx.options, exclude=unit.exclude), ""
        kept = [structured_only(f) for f in forms] \
            if unit.report or ctx.part_costing is not None else None
        report = report_part(ctx.stages, forms, kept) if unit.report else None
        names = case_names(f.text for form in forms for f in form.fields) \
            if ctx.options.redact else None
        part = None
        if ctx.part_costing is not None:
            assert kept is not None  # made above for every case costed here
            part = ctx.part_costing(kept, findings).encode()
        return CaseOutput(encode_findings(findings), report, basis, names, part)


def case_names(texts: Iterable[str]) -> tuple[str, ...]:
    """The words ``texts`` (every field of a case's forms) use inside a sentence that
    may be names, sorted: what ``--redact`` masks in that case's excerpts besides the
    names the excerpts show (:func:`dupscan.redact.names_used_in`)."""
    from dupscan.redact import names_used_in

    return tuple(sorted(names_used_in(texts)))


def stored_case_names(texts: Iterable[str]) -> tuple[str, ...]:
    """:func:`case_names` of a case's stored form texts (JSON), without building the forms."""
    return case_names(field["text"] for text in texts
                      for field in json.loads(text).get("fields", ()))


def _detect_extending(ctx: DetectContext, unit: CaseUnit, forms: list[Any]
                      ) -> tuple[list[Any], str]:
    """Detect one case with the packaged detector, extending its stored detection
    when the case has only gained forms after those it held
    (:mod:`dupscan.detect.extend`); return its findings and their basis."""
    from dupscan._rows import decode_findings
    from dupscan.detect.engine import Earlier, detect_case

    earlier = None
    if unit.earlier is not None:
        basis, findings = unit.earlier
        try:
            data = json.loads(basis)
            earlier = Earlier(tuple(data["forms"]), tuple(map(str, data["states"])),
                              tuple(decode_findings(findings)), _stored_ids(data.get("ids")),
                              _stored_names(data.get("names")))
        except (ValueError, LookupError, TypeError, AttributeError):
            earlier = None  # an unreadable stored detection: the case is detected whole
    digests = stored_form_digests(forms, unit.digests) \
        if len(unit.digests) == len(forms) else None
    done = detect_case(forms, options=ctx.options, exclude=unit.exclude, earlier=earlier,
                       digests=digests)
    kept: dict[str, Any] = {"forms": done.forms, "states": done.states}
    if done.token_ids is not None:
        kept["ids"] = done.token_ids.pack()
    if done.names is not None:
        kept["names"] = {word: sorted(full) for word, full in done.names.items()}
    return list(done.findings), json.dumps(kept, separators=(",", ":"))


def stored_form_digests(forms: list[Any], texts: Sequence[str]) -> tuple[str, ...]:
    """The digests a case's forms are known by in its basis, in attribution order (as
    :func:`~dupscan.detect.engine.detect_case` takes them): each form's place in the
    case and the digest of its stored text (``texts``, in case order).

    A form is built from its stored text and its place alone (:func:`case_forms`), so
    two forms with the same digest are equal. This takes some 0.2 ms a case less than
    hashing every value of the forms (:func:`~dupscan.detect.extend.form_digests`)."""
    from dupscan.detect.attribution import attribution_order

    return tuple(f"{form.order}:{texts[form.order]}" for form in attribution_order(forms))


def _stored_names(stored: Any) -> dict[str, set[str]] | None:
    """The name words a stored detection kept, or None when it kept none or they are not
    a map of words to lists of full names (the forms are then read for names again)."""
    if not isinstance(stored, dict):
        return None
    names: dict[str, set[str]] = {}
    for word, full in stored.items():
        if not isinstance(full, list) or not all(isinstance(x, str) for x in full):
            return None
        names[word] = set(full)
    return names


def _stored_ids(packed: Any) -> TokenIds | None:
    """The token ids a stored detection kept (:class:`~dupscan.detect.semantic.TokenIds`),
    or None when it kept none or they cannot be read: its sentences are then tokenized
    again, and the rest of it still serves."""
    from dupscan.detect.semantic import TokenIds

    if not isinstance(packed, str):
        return None
    try:
        return TokenIds.unpack(packed)
    except ValueError:
        return None


def warm_unit(ctx: DetectContext) -> None:
    """Load the detector's models in this worker before its first case.

    Run on every worker while the scan's own process places the forms, so
    loading (about half a second per process) overlaps that work instead of
    delaying the first cases. Only the packaged detector is warmed: a stage
    swapped in by a test keeps every call to itself.

    The changed-facts guard compares words by their embeddings whatever kinds
    are asked for, so the embedding model is loaded even for ``exact,near``.
    What is loaded then lives as long as the worker: it is frozen out of the
    cyclic collector, whose full passes would otherwise walk it again and
    again (about 0.15 s each, several per worker in a scan of 10k forms).
    """
    if ctx.stages.detect != Stages().detect:
        return
    from dupscan.detect.semantic import word_similarity
    from dupscan.model import Field, Form

    text = "Mum said the family had moved to a new flat in the spring."
    forms = [Form(name, f"{name}.txt", "warm-up", "note", f"2025-01-0{day}",
                  (Field("Notes", None, text, 0, len(text), "narrative"),))
             for day, name in ((1, "a"), (2, "b"))]
    resolve(ctx.stages.detect)(forms, options=ctx.options)
    word_similarity("flat", ["house"])
    gc.collect()  # nothing cyclic left behind is frozen with the models
    gc.freeze()


@contextmanager
def collector_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector while one case is detected (or while the scan's
    own process takes up the totals an index kept, :mod:`dupscan._run_totals`).

    A case allocates many small objects and makes almost no reference cycles,
    yet each allocation burst triggers collections that walk the worker's whole
    heap (models, caches); the collector resumes after the case, which frees
    the few cycles it left.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()
