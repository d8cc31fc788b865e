"""Generate a synthetic corpus of case records with ground truth.

``generate(out_dir, cases=N, seed=S)`` writes the documents (one folder per case),
``manifest.csv``, ``fields.jsonl``, ``truth.jsonl`` and ``templates/`` as
described in DESIGN.md, and returns a :class:`GenerationSummary`. The same seed
always gives byte-identical files.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import random
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from dupscan._io import atomic_write_bytes, atomic_write_text, atomic_writer
from dupscan.errors import ConfigError
from dupscan.synth import writers_office as wo
from dupscan.synth import writers_text as wt
from dupscan.synth.casegen import fill_case, plan_case
from dupscan.synth.compose import CONCERNS
from dupscan.synth.datasheet import DatasheetCounts, render_datasheet
from dupscan.synth.forms import CSV_COLUMNS, FORMS
from dupscan.synth.people import make_household, make_staff
from dupscan.synth.planting import TruthItem, plant_case
from dupscan.synth.record import FieldValue, FormDoc

__all__ = ["FORMATS", "GenerationSummary", "generate"]

_WRITERS: dict[str, tuple[str, Callable[[FormDoc], str | bytes]]] = {
    "txt": (".txt", wt.write_txt),
    "md": (".md", wt.write_md),
    "numbered": (".txt", wt.write_numbered),
    "html": (".html", wt.write_html),
    "docx_headings": (".docx", wo.write_docx_headings),
    "docx_table": (".docx", wo.write_docx_table),
    "pdf_text": (".pdf", wo.write_pdf_text),
    "pdf_form": (".pdf", wo.write_pdf_form),
}
FORMATS: tuple[str, ...] = (*_WRITERS, "csv")
_CSV_SHARE = 0.4


@dataclass(frozen=True)
class GenerationSummary:
    """What a call to :func:`generate` wrote, counted from the output itself."""

    out_dir: str
    seed: int
    cases: int
    documents: int
    files: int
    bytes: int
    form_types: dict[str, int] = field(default_factory=dict)
    formats: dict[str, int] = field(default_factory=dict)
    truth: dict[str, int] = field(default_factory=dict)
    truth_words: dict[str, int] = field(default_factory=dict)
    truth_by_format: dict[str, dict[str, int]] = field(default_factory=dict)

    def as_dict(self) -> dict[str, object]:
        """Plain JSON-ready dictionary."""
        return {"out_dir": self.out_dir, "seed": self.seed, "cases": self.cases, "documents": self.documents,
                "files": self.files, "bytes": self.bytes, "form_types": self.form_types,
                "formats": self.formats, "truth": self.truth, "truth_words": self.truth_words,
                "truth_by_format": self.truth_by_format}


def _check(cases: int, seed: int, formats: Sequence[str] | None) -> tuple[str, ...]:
    if not isinstance(cases, int) or cases < 1:
        raise ConfigError(f"cases must be a positive integer, got {cases!r}")
    if not isinstance(seed, int):
        raise ConfigError(f"seed must be an integer, got {seed!r}")
    chosen = tuple(formats) if formats else FORMATS
    unknown = sorted(set(chosen) - set(FORMATS))
    if unknown:
        raise ConfigError(f"unknown format(s) {', '.join(unknown)}; choose from {', '.join(FORMATS)}")
    if not set(chosen) - {"csv"}:
        raise ConfigError("formats must include at least one format besides csv")
    return tuple(f for f in FORMATS if f in chosen)


def _prepare(root: Path) -> None:
    """Make ``root`` ready: new, empty, or a previous corpus whose documents are removed first."""
    if root.exists() and not root.is_dir():
        raise ConfigError(f"output {root} is a file; give a folder for --out")
    if not root.exists() or not any(root.iterdir()):
        return
    manifest = root / "manifest.csv"
    if not manifest.is_file():
        raise ConfigError(f"output folder {root} is not empty and holds no manifest.csv; "
                          "give a new or empty folder (or a previous corpus to regenerate)")
    with manifest.open(encoding="utf-8", newline="") as handle:
        old = {row.get("path", "").partition("#")[0] for row in csv.DictReader(handle)}
    for rel in sorted(old):
        path = (root / rel).resolve()
        if rel and root.resolve() in path.parents and path.is_file():
            path.unlink()
            if path.parent != root.resolve() and not any(path.parent.iterdir()):
                path.parent.rmdir()


def _assign_formats(rng: random.Random, docs: list[FormDoc], cycle: list[str], master: random.Random,
                    formats: tuple[str, ...], want_csv: bool) -> None:
    visits = [d for d in docs if d.form_type == "home_visit_record"]
    use_csv = "csv" in formats and len(visits) >= 2 and (want_csv or rng.random() < _CSV_SHARE)
    file_formats = [f for f in formats if f != "csv"]
    for doc in docs:
        if use_csv and doc.form_type == "home_visit_record":
            doc.fmt = "csv"
            continue
        if not cycle:
            cycle.extend(file_formats)
            master.shuffle(cycle)
        doc.fmt = cycle.pop()
    row = 0
    for doc in docs:
        if doc.fmt == "csv":
            row += 1
            doc.doc = f"{doc.case_id}/visits.csv#{row}"
        else:
            doc.doc = f"{doc.case_id}/{doc.index:02d}_{doc.form_type}{_WRITERS[doc.fmt][0]}"


def _printed_fields(doc: FormDoc) -> list[tuple[str, FieldValue]]:
    """(label as printed, field) in reading order."""
    if doc.fmt == "csv":
        out = []
        for col, key in CSV_COLUMNS:
            fv = doc.field(key)
            if fv is not None:
                out.append((col, fv))
        return out
    return [(f.label, f) for f in doc.fields]


def _label(doc: FormDoc, key: str) -> str:
    for label, fv in _printed_fields(doc):
        if fv.key == key:
            return label
    raise KeyError(key)  # pragma: no cover - every planted field is printed


def _truth_record(item: TruthItem) -> dict[str, object]:
    return {"case_id": item.case_id, "kind": item.kind,
            "source": {"doc": item.source.doc, "field": _label(item.source, item.source_key),
                       "text": item.source_text},
            "target": {"doc": item.target.doc, "field": _label(item.target, item.target_key),
                       "text": item.target_text},
            "valid_sources": [d.doc for d in item.valid_sources]}


def _cases(seed: int, cases: int, formats: tuple[str, ...]
           ) -> Iterator[tuple[list[FormDoc], list[TruthItem]]]:
    """Each case's documents and planted items, one case at a time, in case order."""
    master = random.Random(f"dupscan-synth:{seed}")
    staff = make_staff(master)
    cycle: list[str] = []
    csv_done = False
    for i in range(1, cases + 1):
        rng = random.Random(f"dupscan-synth:{seed}:case:{i}")
        start = dt.date(2023, 1, 2) + dt.timedelta(days=rng.randint(0, 900))
        house = make_household(rng, f"C{i:04d}", start, CONCERNS)
        docs, frames = fill_case(rng, house, plan_case(rng, start), staff)
        truth = plant_case(rng, house, docs, frames)
        _assign_formats(rng, docs, cycle, master, formats, want_csv=not csv_done)
        csv_done = csv_done or any(d.fmt == "csv" for d in docs)
        yield docs, truth


def _jsonl(rows: Iterable[dict[str, object]]) -> str:
    return "".join(json.dumps(r, ensure_ascii=False, sort_keys=False) + "\n" for r in rows)


def generate(out_dir: str | Path, *, cases: int, seed: int,
             formats: Sequence[str] | None = None,
             progress: Callable[[int, int], None] | None = None) -> GenerationSummary:
    """Write a synthetic corpus of ``cases`` case records into ``out_dir``.

    Parameters
    ----------
    out_dir : str or Path
        Folder to write into: new, empty, or a corpus written earlier (whose
        documents listed in its ``manifest.csv`` are removed first).
    cases : int
        Number of cases (families); each has 4 to 15 forms.
    seed : int
        Random seed; the same seed gives byte-identical output.
    formats : sequence of str, default=None
        Formats to use (see ``FORMATS``); all when ``None``.
    progress : callable, optional
        Called as ``progress(done, cases)`` after each case is written (a million
        forms take some ten minutes).

    Returns
    -------
    GenerationSummary
        Counts of what was written.

    Examples
    --------
    >>> import tempfile
    >>> summary = generate(tempfile.mkdtemp(), cases=2, seed=1)
    >>> summary.cases
    2
    """
    chosen = _check(cases, seed, formats)
    root = Path(out_dir)
    _prepare(root)
    # written a case at a time: a corpus of a million forms is never held whole
    files = total_bytes = 0
    counts = DatasheetCounts()
    with atomic_writer(root / "manifest.csv") as manifest_file, \
            atomic_writer(root / "fields.jsonl") as fields_file, \
            atomic_writer(root / "truth.jsonl") as truth_file:
        manifest_file.write(_csv_rows([_MANIFEST_HEADER]))
        for docs, truth in _cases(seed, cases, chosen):
            written = _write_case(root, docs)
            files += len(written)
            total_bytes += sum(written)
            rows = [_manifest_row(doc) for doc in docs]
            manifest_file.write(_csv_rows(rows))
            fields_rows: list[dict[str, object]] = [
                {"doc": doc.doc, "form_type": doc.form_type,
                 "fields": [{"label": label, "text": fv.text, "kind": fv.kind}
                            for label, fv in _printed_fields(doc)]} for doc in docs]
            fields_file.write(_jsonl(fields_rows).encode("utf-8"))
            truth_rows = [_truth_record(t) for t in truth]
            truth_file.write(_jsonl(truth_rows).encode("utf-8"))
            counts.add(manifest=[dict(zip(_MANIFEST_HEADER, row)) for row in rows],
                       fields=fields_rows, truth=truth_rows,
                       formats={d.doc: d.fmt for d in docs})
            if progress is not None:
                progress(counts.cases, cases)
        templates = [atomic_write_text(root / "templates" / f"{form_type}.md",
                                       wt.blank_template(spec))
                     for form_type, spec in FORMS.items()]
    listings = [root / name for name in ("manifest.csv", "fields.jsonl", "truth.jsonl")]
    files += len(templates) + len(listings)
    total_bytes += sum(p.stat().st_size for p in [*templates, *listings])
    sheet = render_datasheet(
        command=f"dupscan generate --cases {cases} --seed {seed}"
        + (f" --formats {','.join(chosen)}" if formats else ""),
        counts=counts, total_bytes=total_bytes)
    total_bytes += atomic_write_text(root / "DATASHEET.md", sheet).stat().st_size
    files += 1
    return GenerationSummary(
        out_dir=str(root), seed=seed, cases=cases, documents=counts.documents, files=files,
        bytes=total_bytes,
        form_types=dict(sorted(counts.form_types.items())),
        formats=dict(sorted(counts.formats.items())),
        truth=dict(sorted(counts.kinds.items())),
        truth_words=dict(sorted(counts.kind_words.items())),
        truth_by_format={k: dict(sorted(v.items())) for k, v in sorted(counts.by_format.items())},
    )


_MANIFEST_HEADER = ("path", "case_id", "form_type", "date", "author")


def _manifest_row(doc: FormDoc) -> tuple[str, str, str, str, str]:
    return doc.doc, doc.case_id, doc.form_type, doc.date.isoformat(), doc.author


def _csv_rows(rows: Iterable[Sequence[str]]) -> bytes:
    """``rows`` as manifest lines (CSV, ``\\n`` line ends), UTF-8."""
    text = io.StringIO()
    csv.writer(text, lineterminator="\n").writerows(rows)
    return text.getvalue().encode("utf-8")


def _write_case(root: Path, docs: list[FormDoc]) -> list[int]:
    """Write the files of one case; return the size of each."""
    sizes = []
    visits = [d for d in docs if d.fmt == "csv"]
    if visits:
        raw = wt.write_csv(visits).encode("utf-8")
        atomic_write_bytes(root / visits[0].doc.split("#")[0], raw)
        sizes.append(len(raw))
    for doc in docs:
        if doc.fmt != "csv":
            data = _WRITERS[doc.fmt][1](doc)
            raw = data if isinstance(data, bytes) else data.encode("utf-8")
            atomic_write_bytes(root / doc.doc, raw)
            sizes.append(len(raw))
    return sizes
