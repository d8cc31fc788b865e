"""Stream findings to disk as each case finishes: JSON Lines and Parquet.

A :class:`FindingSink` writes into hidden temporary files beside the targets
and renames them into place only when the scan completes (:meth:`close`), so a
reader never sees a partial file under the final name, and a failed scan
leaves no output behind. Memory holds at most one Parquet row group.

Each JSONL line is one finding in the ``findings.json`` item layout. The
Parquet file (``pip install 'dupscan[parquet]'``) has one row per finding with
the spans flattened (``source_doc``, ``target_start`` ...).
"""

from __future__ import annotations

import os
import tempfile
from dataclasses import replace
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any

from dupscan.batch.serial import dumps
from dupscan.errors import ConfigError, MissingExtraError
from dupscan.model import Finding, Form

__all__ = ["STREAM_FORMATS", "FindingSink"]

STREAM_FORMATS = ("jsonl", "parquet")
_ROW_GROUP = 10_000
_SPAN_COLUMNS = ("form_id", "doc", "field", "start", "end", "text")


def _flat(item: dict[str, Any]) -> dict[str, Any]:
    row = {k: item[k] for k in ("case_id", "kind", "similarity", "words")}
    for level in ("low", "central", "high"):
        row[f"seconds_{level}"] = float(item["seconds"][level])
    for side in ("source", "target"):
        for column in _SPAN_COLUMNS:
            row[f"{side}_{column}"] = item[side][column]
    return row


def _schema(pa: Any) -> Any:
    fields = [("case_id", pa.string()), ("kind", pa.string()), ("similarity", pa.float64()),
              ("words", pa.int64()), ("seconds_low", pa.float64()),
              ("seconds_central", pa.float64()), ("seconds_high", pa.float64())]
    for side in ("source", "target"):
        fields += [(f"{side}_form_id", pa.string()), (f"{side}_doc", pa.string()),
                   (f"{side}_field", pa.string()), (f"{side}_start", pa.int64()),
                   (f"{side}_end", pa.int64()), (f"{side}_text", pa.string())]
    return pa.schema(fields)


class FindingSink:
    """Append findings to ``findings.jsonl`` / ``findings.parquet`` in ``out_dir``.

    Parameters
    ----------
    out_dir : path
        Folder of the final files.
    formats : sequence of {"jsonl", "parquet"}
    redact : bool, default=False
        Mask excerpts with :mod:`dupscan.redact` before writing.
    """

    def __init__(self, out_dir: str | os.PathLike[str], formats: Sequence[str], *,
                 redact: bool = False) -> None:
        bad = sorted(set(formats) - set(STREAM_FORMATS))
        if bad:
            raise ConfigError(f"unknown stream format(s) {bad}; choose from jsonl, parquet")
        self.out_dir = Path(out_dir)
        self.out_dir.mkdir(parents=True, exist_ok=True)
        self.redact = redact
        self.paths: dict[str, Path] = {}
        self._tmp: dict[str, str] = {}
        self._jsonl: Any = None
        self._parquet: Any = None
        self._rows: list[dict[str, Any]] = []
        self._pa: Any = None
        self._redactor: Any = None
        if "parquet" in formats:
            try:
                import pyarrow as pa
                import pyarrow.parquet as pq
            except ImportError as exc:
                raise MissingExtraError("pyarrow", "parquet") from exc
            self._pa = pa
            self._parquet = pq.ParquetWriter(self._temp("parquet"), _schema(pa))
        if "jsonl" in formats:
            self._jsonl = open(self._temp("jsonl"), "w", encoding="utf-8", newline="\n")

    def _temp(self, fmt: str) -> str:
        target = self.out_dir / f"findings.{fmt}"
        fd, name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=self.out_dir)
        os.close(fd)
        self.paths[fmt] = target
        self._tmp[fmt] = name
        return name

    def prepare(self, forms: Iterable[Form]) -> None:
        """Learn the names and case ids to mask from every form of the scan.

        Called once before the first :meth:`write` when redacting, with the forms
        (structured fields suffice) of the whole scan, so that the streamed
        excerpts are masked exactly as :func:`dupscan.redact.redact_report` masks
        the final report (each case's own names are learned from its excerpts as
        it is written, as that function learns them).
        """
        if not self.redact:
            return
        from dupscan.redact import Redactor, names_in_forms

        cases: set[str] = set()

        def counted(items: Iterable[Form]) -> Iterator[Form]:
            for form in items:  # one pass: the forms may be read from disk as they come
                cases.add(form.case_id)
                yield form

        names = names_in_forms(counted(forms))
        self._redactor = Redactor(names, cases)

    def write(self, findings: Iterable[Finding], forms: Iterable[Form] = (),
              names: Iterable[str] = ()) -> None:
        """Append findings (one case's, in order); ``forms`` are the case's forms and
        ``names`` the words they use that may be names (``CaseResult.names``), masked
        in the case's excerpts when redacting."""
        from dupscan.model import Report, Summary
        from dupscan.report.json import to_dict

        findings = tuple(findings)
        if self.redact and findings:
            if self._redactor is None:  # not prepared: names of this case only
                self.prepare(forms)
            # the names this case's excerpts use mid-sentence, as the report learns them
            red = self._redactor.learned(t for f in findings
                                         for t in (f.source.text, f.target.text))
            red = red.with_names(names) if names else red
            findings = tuple(replace(f, source=replace(f.source, text=red(f.source.text)),
                                     target=replace(f.target, text=red(f.target.text)))
                             for f in findings)
        # the same item layout and rounding as findings.json
        items = to_dict(Report(Summary(), findings=findings))["findings"]
        if self._jsonl is not None:
            self._jsonl.writelines(dumps(item) + "\n" for item in items)
        if self._parquet is not None:
            self._rows.extend(_flat(item) for item in items)
            if len(self._rows) >= _ROW_GROUP:
                self._flush()

    def _flush(self) -> None:
        if self._rows:
            table = self._pa.Table.from_pylist(self._rows, schema=self._parquet.schema)
            self._parquet.write_table(table)
            self._rows = []

    def close(self, *, commit: bool = True) -> dict[str, Path]:
        """Finish the files and move them into place (or delete them when not ``commit``)."""
        if self._jsonl is not None:
            self._jsonl.flush()
            os.fsync(self._jsonl.fileno())
            self._jsonl.close()
            self._jsonl = None
        if self._parquet is not None:
            if commit:
                self._flush()
            self._parquet.close()
            self._parquet = None
        # the files keep mkstemp's owner-only mode, like every other output
        # (dupscan._io): they hold excerpts of case records
        for fmt, tmp in self._tmp.items():
            if commit:
                os.replace(tmp, self.paths[fmt])
            else:
                try:
                    os.unlink(tmp)
                except FileNotFoundError:
                    pass
        self._tmp = {}
        return dict(self.paths) if commit else {}

    def __enter__(self) -> FindingSink:
        return self

    def __exit__(self, exc_type: object, *rest: object) -> None:
        self.close(commit=exc_type is None)
