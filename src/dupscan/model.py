"""The data model shared by every stage of dupscan.

Every object is a frozen dataclass. Text spans carry ``start``/``end`` character
offsets into the text of the document they come from, like spaCy's ``Span``:
for a :class:`Field` ``f`` of a form read from document ``d``,
``d.text[f.start:f.end] == f.text`` always holds.

Pipeline::

    files -> ingest -> Document -> segment -> Form -> detect -> Finding
          -> estimate -> Report -> render
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, fields
from operator import attrgetter
from typing import Any, Literal

__all__ = [
    "Block",
    "Document",
    "Field",
    "FieldKind",
    "Finding",
    "FindingKind",
    "Form",
    "Passage",
    "Prefill",
    "Report",
    "Seconds",
    "Skipped",
    "Span",
    "StockText",
    "Summary",
]

FieldKind = Literal["narrative", "structured"]
FindingKind = Literal["exact", "near", "paraphrase"]
BlockKind = Literal[
    "heading", "paragraph", "line", "cell", "form_field", "list_item", "page", "column"
]


def _pickled_by_value(cls: type) -> type:
    """Pickle instances of the frozen dataclass ``cls`` as ``cls(*values)``.

    The default for slotted dataclasses looks its fields up again for every
    object; a scan of 100k forms pickles about a million of them when its report
    is kept on disk (:mod:`dupscan._spool`), and this takes that from about 7 to 2.5 µs
    each (measured in a 10k-form scan).
    """
    values = attrgetter(*(f.name for f in fields(cls)))

    def __reduce__(self: object) -> tuple[type, tuple[object, ...]]:
        return cls, values(self)

    cls.__reduce__ = __reduce__  # type: ignore[method-assign,assignment]
    return cls


@dataclass(frozen=True, slots=True)
class Block:
    """One structural element of a document, as offsets into ``Document.text``.

    ``kind`` says what a reader sees (a heading, a paragraph, a table cell, a
    fillable form field, a CSV column ...). ``name`` carries a machine name where
    the format has one (AcroForm field name, CSV column, HTML input name).
    Table cells carry ``table``/``row``/``col`` indices; headings a ``level``.
    """

    kind: BlockKind
    start: int
    end: int
    level: int = 0
    style: str = ""
    name: str = ""
    bold: bool = False
    table: int = -1
    row: int = -1
    col: int = -1


@dataclass(frozen=True, slots=True)
class Document:
    """A file as read: one extracted text plus its structure.

    ``path`` is the path relative to the scan root with ``/`` separators (or the
    path as given when there is no root). ``metadata`` holds what the format
    states about itself (title, author, created date, CSV row number ...).
    """

    path: str
    format: str
    text: str
    blocks: tuple[Block, ...] = ()
    metadata: Mapping[str, str] = field(default_factory=dict, hash=False, compare=True)


@_pickled_by_value
@dataclass(frozen=True, slots=True)
class Field:
    """One field of a form: a label as written and its value.

    ``canonical`` is the ontology id of the field type, or ``None`` when the
    label could not be mapped with enough confidence. ``kind`` is
    ``"structured"`` for short values (name, date of birth, address) and
    ``"narrative"`` for prose. ``stock`` lists ``(start, end)`` document offsets
    inside the field that are template or stock text, excluded from re-entry.
    ``sentences`` caches the ``(start, end)`` sentence offsets of ``text``
    (offsets into ``text``, as :func:`dupscan.detect.sentences.split_sentences`
    gives them) once a stage has split it; ``None`` when not split yet. It is
    derived from ``text``, so it takes no part in equality.
    """

    label: str
    canonical: str | None
    text: str
    start: int
    end: int
    kind: FieldKind
    confidence: float = 1.0
    stock: tuple[tuple[int, int], ...] = ()
    sentences: tuple[tuple[int, int], ...] | None = field(default=None, compare=False,
                                                          repr=False)


@_pickled_by_value
@dataclass(frozen=True, slots=True)
class Form:
    """A document split into fields, with its case and form type.

    ``form_id`` is stable: a hash of the relative path and the content.
    ``date`` is an ISO date (``YYYY-MM-DD``) or ``""`` when unknown.
    ``order`` is the position of the form in the manifest or scan order, used to
    break ties between forms of the same date.
    """

    form_id: str
    doc: str
    case_id: str
    form_type: str
    date: str
    fields: tuple[Field, ...]
    author: str = ""
    order: int = 0
    words: int = 0


@dataclass(frozen=True, slots=True)
class Passage:
    """A unit of comparison inside a field (a sentence or sentence window)."""

    form_id: str
    field_index: int
    start: int
    end: int
    text: str


@_pickled_by_value
@dataclass(frozen=True, slots=True)
class Seconds:
    """A time estimate with its uncertainty band, in seconds."""

    low: float = 0.0
    central: float = 0.0
    high: float = 0.0

    def __add__(self, other: Seconds) -> Seconds:
        return Seconds(self.low + other.low, self.central + other.central, self.high + other.high)

    def scaled(self, factor: float) -> Seconds:
        return Seconds(self.low * factor, self.central * factor, self.high * factor)


@_pickled_by_value
@dataclass(frozen=True, slots=True)
class Span:
    """One side of a finding: where the text stands in which form and field."""

    form_id: str
    doc: str
    field: str
    start: int
    end: int
    text: str


@_pickled_by_value
@dataclass(frozen=True, slots=True)
class Finding:
    """One re-entry: ``target`` repeats text first written at ``source``.

    The source is the earliest form (by date, then by order) holding the text;
    every later appearance is a separate finding with that source.
    """

    case_id: str
    kind: FindingKind
    similarity: float
    words: int
    source: Span
    target: Span
    seconds: Seconds = Seconds()


@dataclass(frozen=True, slots=True)
class StockText:
    """Text present in blank templates or recurring across unrelated cases."""

    text: str
    words: int
    occurrences: int
    cases: int
    reason: Literal["template", "recurring"]
    examples: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Prefill:
    """A structured field re-typed across the forms of cases.

    ``canonical`` names the field type; ``source_form_type`` is where it is
    first typed and ``target_form_type`` where it is typed again.
    """

    canonical: str
    label: str
    source_form_type: str
    target_form_type: str
    occurrences: int
    words: int
    seconds: Seconds = Seconds()


@dataclass(frozen=True, slots=True)
class Skipped:
    """A file that could not be read, and why."""

    path: str
    reason: str


@dataclass(frozen=True, slots=True)
class Summary:
    """Headline totals of a scan."""

    forms: int = 0
    cases: int = 0
    words: int = 0
    reentered_words: int = 0
    seconds: Seconds = Seconds()
    recording_seconds: Seconds = Seconds()


@dataclass(frozen=True, slots=True)
class Report:
    """Everything a scan produced, ready to render.

    ``aggregates`` holds totals keyed by dimension (``"case"``, ``"form_type"``,
    ``"field_pair"``, ``"author"``), each a tuple of row mappings, as computed by
    :func:`dupscan.estimate`.

    ``forms`` and ``findings`` are tuples, sorted by case first; a scan given a
    ``spool`` folder keeps them on disk instead (a sequence read from the start
    each time it is iterated).

    ``case_names`` holds, per case, the words its forms use inside a sentence that
    may be names; a scan fills it only when it redacts (``redact=True``), so that a
    name opening a sentence of an excerpt is masked when the case names it anywhere
    (see :func:`dupscan.redact.redact_report`). It is never rendered.
    """

    summary: Summary
    forms: Sequence[Form] = ()
    findings: Sequence[Finding] = ()
    stock_text: tuple[StockText, ...] = ()
    prefill: tuple[Prefill, ...] = ()
    skipped: tuple[Skipped, ...] = ()
    # a row's values are str, int, float or None, by column (see dupscan._aggregate)
    aggregates: Mapping[str, tuple[Mapping[str, Any], ...]] = field(
        default_factory=dict, hash=False
    )
    options: Mapping[str, object] = field(default_factory=dict, hash=False)
    case_names: Mapping[str, tuple[str, ...]] = field(default_factory=dict, hash=False,
                                                      compare=False, repr=False)
