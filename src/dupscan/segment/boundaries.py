"""Field boundaries: where each field of a document starts and ends, as a reader sees it.

A document's blocks (see ``dupscan.model.Block``) are turned into an ordered
list of units — text lines, headings and "barriers" (tables and fillable form
fields, which carry their own fields) — and walked once. A heading, a numbered
section or a "Label: value" line opens a field; plain lines continue the open
field; a barrier closes it. Lines before the first field (title, authority
header) belong to no field.

The caller says what a label is (``known(label)``: the ontology or the label
classifier recognises it) and what a form title is (``is_title(text)``), so this
module holds layout rules only.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass, field
from typing import Callable

from dupscan.model import Block, Document
from dupscan.segment._layout import (
    MD_HEADING, NUMBERED, Known, RawField, clean_label, humanise, label_like, lines,
)
from dupscan.segment._text import count_words, has_sentence_punctuation, trim
from dupscan.segment.tables import table_fields

__all__ = ["Layout", "RawField", "find_fields", "humanise", "label_like"]

_COLON = re.compile(r"\s*:(?:\s+|$)")
_GAP_LABEL = re.compile(r"(\s{3,}|\t+|\s+\|\s+)([A-Z][^:\t|]{0,40}?)\s*:(?:\s+|$)")
_GAP = re.compile(r"\s{3,}|\t|\s\|\s")
_BULLET = re.compile(r"^\s*[-*+\u2022\u25aa\u2013]\s+")
_PROSE = re.compile(r"\b(?:said|says|told|tells|reported|stated|states|explained|asked|added|"
                    r"replied|wrote|i|he|she|they|we|you|it|mum|dad|mother|father)\b", re.IGNORECASE)
_AUTHORITY = re.compile(r"\b(?:council|borough|county|city of|children's services|children and "
                        r"families service|official|confidential|sensitive|protect|restricted)\b",
                        re.IGNORECASE)

# a prompt printed under a label: "[Describe ...]", "> Describe ...", "Guidance: ..."
_GUIDANCE = re.compile(r"^\s*(?:\[.*\]|>\s.*|(?:guidance|prompt|help text|hint)\s*:.*)\s*$",
                       re.IGNORECASE)

# a rule line ("---", "====") or a protective marking ends the field above it
_RULE = re.compile(r"^\s*([-=_*~])\1{2,}\s*$")
_MARKING = re.compile(r"^\s*(?:OFFICIAL(?:[- ]SENSITIVE)?|CONFIDENTIAL|PROTECT(?:ED)?|RESTRICTED)\b"
                      r"(?:\s*[-:.,]|\s*$)")

@dataclass(slots=True)
class Layout:
    """Fields in document order, plus title lines seen outside any field."""

    fields: list[RawField] = field(default_factory=list)
    titles: list[str] = field(default_factory=list)


@dataclass(slots=True)
class _Unit:
    start: int
    end: int
    kind: str  # "heading" | "line" | "barrier"
    level: int = 0
    bold: bool = False
    title: bool = False
    listed: bool = False
    inert: bool = False  # printed text of a fillable PDF: titles only, never a field
    fields: list[RawField] = field(default_factory=list)


def _line_block(text: str, start: int, end: int) -> Block:
    """A line of a text without blocks: a markdown heading (its level the count of its
    hashes) or a plain line."""
    heading = MD_HEADING.match(text[start:end])
    if heading is None:
        return Block("line", start, end, level=0)
    return Block("heading", start, end, level=len(heading.group(1)))


def _units(doc: Document, known: Known) -> list[_Unit]:
    text, blocks = doc.text, doc.blocks
    if not blocks:
        blocks = tuple(_line_block(text, s, e) for s, e in lines(text, 0, len(text)))
    has_lines = any(b.kind in ("line", "paragraph", "heading", "list_item") for b in blocks)
    fixed = sorted((b for b in blocks if b.kind == "form_field"), key=lambda b: b.start)
    # the page text of a fillable PDF is the blank form (labels, prompts): its fields are the
    # form fields; elsewhere (HTML with a few inputs) text sections stay fields too
    printed = bool(fixed) and doc.format == "pdf"
    export = doc.format in ("csv", "jsonl", "tsv")
    units: list[_Unit] = []
    tables: dict[int, list[Block]] = {}
    for block in blocks:
        if block.kind == "cell":
            tables.setdefault(block.table, []).append(block)
    covered: list[tuple[int, int]] = [(b.start, b.end) for b in fixed]
    for cells in tables.values():
        found = table_fields(text, cells, known)
        if found is None:  # a layout table: read its cells as lines
            for cell in sorted(cells, key=lambda b: b.start):
                units.extend(_Unit(s, e, "line") for s, e in lines(text, cell.start, cell.end))
            continue
        first = min(c.start for c in cells)
        units.append(_Unit(first, max(c.end for c in cells), "barrier", fields=found))
        covered.append((first, max(c.end for c in cells)))
    for block in fixed:
        s, e = trim(text, block.start, block.end)
        # an export's column name is its label as written; a PDF field name is machine-made
        label = block.style.strip() or (block.name.strip() if export else humanise(block.name))
        units.append(_Unit(s, max(s, e), "barrier", fields=[RawField(label, s, e, "form_field")]
                           if s < e and label else []))
    starts, ends = _merged(covered)
    for block in blocks:
        if block.kind in ("cell", "form_field") or (block.kind == "page" and has_lines):
            continue
        i = bisect_right(starts, block.end - 1) - 1  # last covered span starting inside block
        if i >= 0 and ends[i] > block.start:
            continue  # text of a table or form field, read above
        if block.kind == "heading":
            s, e = trim(text, block.start, block.end)
            if s < e:
                units.append(_Unit(s, e, "heading", level=block.level or 1, inert=printed,
                                   title=block.style.lower() in ("title", "subtitle")))
            continue
        spans = list(lines(text, block.start, block.end))
        for s, e in spans:
            units.append(_Unit(s, e, "line", bold=block.bold and len(spans) == 1,
                               listed=block.kind == "list_item", inert=printed))
    units.sort(key=lambda u: (u.start, u.kind != "barrier"))
    return units


def _merged(spans: list[tuple[int, int]]) -> tuple[list[int], list[int]]:
    """Disjoint sorted spans covering ``spans``, as parallel start and end lists."""
    starts: list[int] = []
    ends: list[int] = []
    for s, e in sorted(spans):
        if starts and s <= ends[-1]:
            ends[-1] = max(ends[-1], e)
        else:
            starts.append(s)
            ends.append(e)
    return starts, ends


def _split_label(line: str, known: Known, exact: Known) -> tuple[str, int] | None:
    """Return ``(label, value offset in line)`` for a "Label: value" line, or None."""
    best: tuple[str, int] | None = None
    bullet = _BULLET.match(line)
    begin = bullet.end() if bullet else 0
    for match in _COLON.finditer(line, begin, min(len(line), begin + 90)):
        label = clean_label(line[begin:match.start()])
        if not label_like(label) or any(c.isdigit() for c in label.split()[0]):
            break  # "08/09/2023 - Visit: ..." is a dated entry, not a label
        if best is not None and (_GAP.search(label) or not exact(label)):
            break  # a longer label running over a colon must be a listed wording
        if known(label):
            best = (label, match.end())  # the longest known label wins
        elif best is None and len(label.split()) <= 4 and label[0].isupper() \
                and not _PROSE.search(label):
            best = (label, match.end())
    return best


class _Walker:
    def __init__(self, doc: Document, known: Known, exact: Known,
                 is_title: Callable[[str], bool]) -> None:
        self.text = doc.text
        self.known = known
        self.exact = exact
        self.is_title = is_title
        self.layout = Layout()
        self.open: list = []  # [label, how, start, end]
        self.seen_field = False
        self.furniture = False  # after a rule or protective marking: page furniture
        self.section = 0

    def close(self) -> None:
        if self.open:
            label, how, start, end = self.open
            s, e = trim(self.text, start, end)
            if s < e:
                self.layout.fields.append(RawField(label, s, e, how))
                self.seen_field = True
            elif not self.seen_field:
                self.layout.titles.append(label)
        self.open = []

    def start(self, label: str, how: str, value_start: int, value_end: int) -> None:
        self.close()
        self.furniture = False
        self.open = [label, how, value_start, value_end]

    def _same_line(self, label: str, line: str, offset: int) -> list[tuple[str, int, int]]:
        """Split "Child: Ava Jones    DOB: 01/02/2015" into one field per label."""
        parts = [(label, offset, len(line))]
        for match in _GAP_LABEL.finditer(line, offset):
            candidate = clean_label(match.group(2))
            if self.known(candidate) and label_like(candidate, max_words=5):
                parts[-1] = (parts[-1][0], parts[-1][1], match.start())
                parts.append((candidate, match.end(), len(line)))
        return parts

    def _inside_section(self, label: str, value: str) -> bool:
        """A "Label: sentences ..." line under a heading is that section's content.

        Short values start a field of their own when the label is a listed one
        ("Decision: Proceed to conference.").
        """
        if not self.open or self.open[1] not in ("heading", "numbered", "label_block"):
            return False
        words = len(value.split())
        if self.exact(label) and words <= 12:
            return False
        return has_sentence_punctuation(value) or words > 12

    def heading_kind(self, unit: _Unit, line: str) -> str | None:
        """Return "heading"/"numbered" when a line unit reads as a heading."""
        label = clean_label(line)
        if not label_like(label, max_words=10):
            return None
        numbered = NUMBERED.match(line)
        if numbered:
            # sections count up (1, 2, 2.1, 3); a list restarting at 1 inside one is content
            top = int(numbered.group(2))
            dotted = "." in numbered.group(1)
            if not unit.listed and (top == self.section + 1 or (dotted and top == self.section)
                                    or (self.exact(label) and top > self.section)):
                self.section = top
                return "numbered"
            return None
        if line.rstrip().endswith(":") or unit.bold:
            return "heading"
        if self.exact(label) and not line.rstrip().endswith("."):
            return "heading"
        if self.open and self.open[1] == "label_block" and self.open[2] >= self.open[3]:
            return None  # "Decision:" then "NFA": the line is the awaited value
        words = label.split()
        letters = [c for c in label if c.isalpha()]
        if len(letters) >= 4 and all(c.isupper() for c in letters) and len(words) >= 2:
            return "heading"
        capitalised = sum(w[0].isupper() for w in words if len(w) > 3 or w == words[0])
        significant = sum(1 for w in words if len(w) > 3 or w == words[0])
        if len(words) <= 6 and capitalised == significant and not line.rstrip()[-1] in ".,;" \
                and self.known(label):
            return "heading"  # a Title Case line the label classifier recognises
        return None

    def walk(self, units: list[_Unit]) -> Layout:
        for unit in units:
            if unit.kind == "barrier":
                self.close()
                self.layout.fields.extend(unit.fields)
                self.seen_field = self.seen_field or bool(unit.fields)
                continue
            line = self.text[unit.start:unit.end]
            preamble = not self.seen_field and not self.open
            if unit.inert:
                if not self.seen_field:
                    self.layout.titles.append(clean_label(line))
                continue
            if unit.kind == "heading":
                label = clean_label(line)
                if unit.title or (preamble and (self.is_title(label) or _AUTHORITY.search(label))):
                    self.close()
                    self.layout.titles.append(label)
                else:
                    self.start(label, "heading", unit.end, unit.end)
                continue
            if _RULE.match(line) or _MARKING.match(line):
                self.close()  # what follows, up to the next label, is page furniture
                self.furniture = True
                if not self.seen_field:
                    self.layout.titles.append(line)
                continue
            if _GUIDANCE.match(line):
                if self.open and self.open[2] >= self.open[3]:
                    self.open[2] = self.open[3] = unit.end  # a printed prompt, not the value
                elif self.open:
                    self.open[3] = unit.end
                continue
            whole = clean_label(line)
            if self.open and self.open[2] >= self.open[3] and line.rstrip().endswith("?") \
                    and self.open[1] != "label":
                self.open[2] = self.open[3] = unit.end  # a question printed under a heading
                continue
            if label_like(whole, max_words=10) and not _BULLET.match(line) and self.exact(whole):
                how = self.heading_kind(unit, line) or "heading"
                if preamble and how != "numbered" and self.is_title(whole):
                    self.layout.titles.append(whole)
                else:
                    self.start(whole, how, unit.end, unit.end)
                continue
            split = _split_label(line, self.known, self.exact)
            if split is not None and not self._inside_section(split[0], line[split[1]:]):
                label, offset = split
                alone = not line[offset:].strip()  # "Label:" on its own line heads a block
                for part_label, s, e in self._same_line(label, line, offset):
                    self.start(part_label, "label_block" if alone else "label",
                               unit.start + s, unit.start + e)
                continue
            heading = self.heading_kind(unit, line)
            if heading is not None:
                label = clean_label(line)
                if preamble and heading != "numbered" and (self.is_title(label)
                                                           or _AUTHORITY.search(label)):
                    self.layout.titles.append(label)
                else:
                    self.start(label, heading, unit.end, unit.end)
                continue
            if self.open and self._ends_short_value(unit):
                self.close()
            if self.open:
                self.open[3] = unit.end
            elif self.furniture:
                continue
            elif count_words(line) > 12 or has_sentence_punctuation(line):
                self.start("", "body", unit.start, unit.end)  # prose under no label
            elif not self.seen_field:
                self.layout.titles.append(line)
        self.close()
        return self.layout

    def _ends_short_value(self, unit: _Unit) -> bool:
        """A blank line after "Type: Home visit" ends that value; a paragraph follows."""
        label, how, start, end = self.open
        if how != "label" or "\n\n" not in self.text[end:unit.start].replace(" ", ""):
            return False
        value = self.text[start:end]
        return count_words(value) <= 8 and not has_sentence_punctuation(value) \
            and "\n" not in value.strip()


def find_fields(doc: Document, *, known: Known, is_title: Callable[[str], bool],
                exact: Known | None = None) -> Layout:
    """Return the fields of ``doc`` in document order and the title lines outside fields.

    Parameters
    ----------
    doc : Document
    known : callable
        ``known(label) -> bool``: whether a wording is a recognised field label.
    exact : callable, optional
        A stricter test (the wording is listed in the ontology), used where a
        line has no colon or heading style to show it is a label; ``known`` if omitted.
    is_title : callable
        ``is_title(text) -> bool``: whether a line names the form (a title).

    Examples
    --------
    >>> from dupscan.model import Document
    >>> doc = Document("a.txt", "txt", "Name: Ava Jones\\nReason: late again\\nand tired")
    >>> layout = find_fields(doc, known=lambda s: s in ("Name", "Reason"), is_title=lambda s: False)
    >>> [(f.label, doc.text[f.start:f.end]) for f in layout.fields]
    [('Name', 'Ava Jones'), ('Reason', 'late again\\nand tired')]
    """
    units = _units(doc, known)
    layout = _Walker(doc, known, exact or known, is_title).walk(units)
    filled = {_key(f.label) for f in layout.fields if f.how == "form_field"}
    if filled:  # a printed label above its own input box is not a second field
        layout.fields = [f for f in layout.fields
                         if f.how == "form_field" or _key(f.label) not in filled]
    layout.fields.sort(key=lambda f: f.start)
    return layout


def _key(label: str) -> str:
    return " ".join(re.sub(r"[^\w\s]", " ", label.lower()).split())
