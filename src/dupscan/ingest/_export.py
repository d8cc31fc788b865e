"""CSV and JSONL exports: each data row is one form, each column one field.

A row becomes a Document with path ``"<relpath>#<n>"`` (``n`` counts data rows
from 1, blank lines excluded) whose text is one ``"Column: value"`` line per
column; a "form_field" block named after the column spans each value.
``metadata`` holds ``row``, every column, and ``case_id``/``date``/
``form_type``/``author`` when a column for them is named or guessed.
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass

from dupscan.config import Limits
from dupscan.errors import ConfigError, IngestError
from dupscan.ingest._builder import TextBuilder
from dupscan.ingest._decode import decode
from dupscan.ingest._limits import describe
from dupscan.model import Document

__all__ = ["ExportOptions", "read_export"]

_ROLES = ("case_id", "date", "form_type", "author")
# header names (lower case, punctuation and spaces folded to "_") guessed for each role
_GUESSES: dict[str, tuple[str, ...]] = {
    "case_id": ("case_id", "caseid", "case", "case_number", "case_no", "case_ref", "child_id",
                "childid", "person_id", "client_id", "lcs_id", "record_id"),
    "date": ("date", "visit_date", "form_date", "completed", "completed_date", "date_completed",
             "created", "created_date", "start_date", "assessment_date", "meeting_date"),
    "form_type": ("form_type", "formtype", "form", "form_name", "document_type", "type",
                  "template"),
    "author": ("author", "worker", "social_worker", "created_by", "completed_by", "practitioner",
               "user", "owner"),
}
_DELIMITERS = ",;\t|"


@dataclass(frozen=True, slots=True)
class ExportOptions:
    """How a CSV/JSONL export maps to forms.

    delimiter : str or None, default=None
        CSV delimiter; ``None`` picks the most frequent of ``, ; tab |`` in the
        header line (tab for ``.tsv`` when the header has none).
    case_id_column, date_column, form_type_column, author_column : str or None
        Column holding each role; ``None`` guesses from header names such as
        ``case_id``/``case id``/``child id``, ``date``/``visit_date``,
        ``form_type``, ``author``/``worker``. ``""`` disables the guess.
    """

    delimiter: str | None = None
    case_id_column: str | None = None
    date_column: str | None = None
    form_type_column: str | None = None
    author_column: str | None = None

    def __post_init__(self) -> None:
        if self.delimiter is not None and len(self.delimiter) != 1:
            raise ConfigError(f"delimiter must be one character, got {self.delimiter!r}")

    def columns(self, header: Sequence[str]) -> dict[str, str]:
        """Map each role to the header column that holds it (guessing where unset)."""
        folded = {_fold(name): name for name in reversed(header)}
        chosen: dict[str, str] = {}
        for role in _ROLES:
            explicit = getattr(self, f"{role}_column")
            if explicit:
                match = explicit if explicit in header else folded.get(_fold(explicit))
                if match is None:
                    raise ConfigError(f"{role}_column {explicit!r} is not a column of the "
                                      f"export; columns are {list(header)}")
                chosen[role] = match
            elif explicit is None:
                for guess in _GUESSES[role]:
                    if guess in folded and folded[guess] not in chosen.values():
                        chosen[role] = folded[guess]
                        break
        return chosen


def _fold(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", "_", name.strip().lower()).strip("_")


def _unique_header(raw: Sequence[str]) -> list[str]:
    header: list[str] = []
    for i, name in enumerate(raw, 1):
        name = " ".join(name.split()) or f"column {i}"
        base, n = name, 2
        while name in header:
            name, n = f"{base} ({n})", n + 1
        header.append(name)
    return header


def _pick_delimiter(first_line: str, fmt_hint: str) -> str:
    counts = {d: first_line.count(d) for d in _DELIMITERS}
    best = max(_DELIMITERS, key=lambda d: (counts[d], d == ","))
    if counts[best] == 0:
        return "\t" if fmt_hint == "tsv" else ","
    return best


def _csv_rows(text: str, display: str, options: ExportOptions, suffix: str
              ) -> Iterator[tuple[int, list[str], list[str]]]:
    first = next((line for line in text.split("\n") if line.strip()), "")
    # one narrative cell may be long; the whole file is already bounded by Limits
    csv.field_size_limit(max(csv.field_size_limit(), len(text) + 1))
    delimiter = options.delimiter or _pick_delimiter(first, suffix)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=False)
    header: list[str] | None = None
    n = 0
    try:
        for record in reader:
            if not any(cell.strip() for cell in record):
                continue
            if header is None:
                header = _unique_header(record)
                continue
            n += 1
            yield n, header, record
    except csv.Error as exc:
        raise IngestError(display, f"malformed CSV near line {reader.line_num}: "
                                   f"{describe(exc)}") from exc
    if header is None:
        raise IngestError(display, "no header row")


def _flat(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return repr(value)
    return json.dumps(value, ensure_ascii=False, sort_keys=True)


#: a lone surrogate (a JSON "\ud800" escape with no pair) cannot be encoded as UTF-8;
#: it is shown as U+FFFD, one character for one, so offsets are unchanged
_LONE_SURROGATE = re.compile("[\ud800-\udfff]")


def _unicode(value: str) -> str:
    return _LONE_SURROGATE.sub("\ufffd", value)


def _jsonl_rows(text: str, display: str) -> Iterator[tuple[int, list[str], list[str]]]:
    n = 0
    for line_no, line in enumerate(text.split("\n"), 1):
        if not line.strip():
            continue
        try:
            obj = json.loads(line)
        except (ValueError, RecursionError) as exc:
            raise IngestError(display,
                              f"line {line_no} is not valid JSON ({describe(exc)})") from exc
        if not isinstance(obj, dict):
            raise IngestError(display, f"line {line_no} is not a JSON object")
        n += 1
        header = _unique_header([_unicode(str(k)) for k in obj])
        yield n, header, [_unicode(_flat(v)) for v in obj.values()]


def _row_document(display: str, fmt: str, n: int, header: list[str], values: list[str],
                  roles: Mapping[str, str], limits: Limits, base: Mapping[str, str]
                  ) -> Document:
    if len(values) > len(header):
        header = header + [f"column {i}" for i in range(len(header) + 1, len(values) + 1)]
    values = values + [""] * (len(header) - len(values))
    path = f"{display}#{n}"
    builder = TextBuilder(path, limits.max_text_chars)
    metadata: dict[str, str] = dict(base)
    for name, raw in zip(header, values, strict=True):
        value = raw.strip().replace("\r\n", "\n").replace("\r", "\n")
        metadata[name] = value
        builder.add(f"{name}: " if value else f"{name}:")
        start, end = builder.add(value)
        builder.block("form_field", start, end, name=name)
        builder.add("\n")
    metadata["row"] = str(n)
    for role, column in roles.items():
        metadata[role] = metadata.get(column, "")
    return builder.build(path, fmt, metadata)


def read_export(data: bytes, *, display: str, limits: Limits, fmt: str,
                metadata: dict[str, str], export: ExportOptions) -> list[Document]:
    """Read a CSV or JSONL export into one Document per data row."""
    text, encoding = decode(data, display)
    if len(text) > limits.max_text_chars:
        raise IngestError(display, f"extracted text too long (over {limits.max_text_chars} "
                                   "characters; raise Limits.max_text_chars to read it)")
    suffix = "tsv" if display.lower().endswith(".tsv") else fmt
    rows = _jsonl_rows(text, display) if fmt == "jsonl" else _csv_rows(text, display, export,
                                                                        suffix)
    base = {**metadata, "encoding": encoding}
    docs: list[Document] = []
    roles: dict[str, str] | None = None
    total = 0
    for n, header, values in rows:
        if roles is None or fmt == "jsonl":
            try:
                roles = export.columns(header)
            except ConfigError as exc:
                raise IngestError(display, str(exc)) from exc
        doc = _row_document(display, fmt, n, header, values, roles, limits, base)
        total += len(doc.text)
        if total > limits.max_text_chars:
            raise IngestError(display, f"extracted text too long (over {limits.max_text_chars} "
                                       "characters; raise Limits.max_text_chars to read it)")
        docs.append(doc)
    if not docs:
        raise IngestError(display, "no data rows (header only)")
    return docs
