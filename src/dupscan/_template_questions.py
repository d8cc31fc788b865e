"""Read the questions a blank form asks (used by :mod:`dupscan.audit`).

A question is an empty ``Label:`` line or an empty table row (a structured
detail), or a section heading with only guidance under it (a narrative
question); the fields :func:`dupscan.segment.segment` finds are added. Labels are
mapped to canonical field types with :func:`dupscan.segment.canonicalise`, so
"DOB" on one form and "Date of birth" on another are the same question.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from dupscan.model import Document, Form, Skipped

__all__ = ["Question", "TemplateForm", "canonical_of", "normal_label", "questions_from_document",
           "read_templates"]

_LABEL_LINE = re.compile(r"^[ \t]*(?:[-*•][ \t]+|\d{1,2}[.)][ \t]+)?(?P<label>[^:\n>#|]{2,60}?)"
                         r"[ \t]*:[ \t]*(?P<value>[^\n]*)$", re.M)
_PLACEHOLDER = re.compile(r"^[\s_.…\-\[\]()/]*$|^\[[^\]]*\]$")


@dataclass(frozen=True, slots=True)
class Question:
    """One thing a form asks: ``key`` is the canonical id, or ``label:<words>`` if unknown."""

    key: str
    label: str
    kind: str  # "structured" | "narrative"


@dataclass(frozen=True, slots=True)
class TemplateForm:
    """A blank form and the questions it asks, in order."""

    form_type: str
    doc: str
    questions: tuple[Question, ...]


def normal_label(label: str) -> str:
    return " ".join(re.sub(r"[^\w\s]", " ", label.lower()).split())


def canonical_of(label: str) -> str | None:
    try:
        from dupscan.segment import canonicalise
    except ImportError:  # segment not available: fall back to the label itself
        return None
    return canonicalise(label)[0]


def _ontology() -> Any:
    """The field ontology, or ``None`` when the segment stage is not available."""
    try:
        from dupscan.segment import load_ontology
    except ImportError:
        return None
    return load_ontology()


def _kind_of(canonical: str | None, default: str) -> str:
    onto = _ontology()
    if canonical is None or onto is None:
        return default
    try:
        return onto.kind(canonical) or default
    except KeyError:
        return default


def _question(label: str, canonical: str | None, kind: str) -> Question:
    label = " ".join(label.split()).strip(" :")
    key = canonical or f"label:{normal_label(label)}"
    return Question(key, label, kind if kind in ("structured", "narrative") else "narrative")


def _dedupe(questions: Iterable[Question]) -> tuple[Question, ...]:
    seen: dict[str, Question] = {}
    for q in questions:
        if q.key != "label:" and q.key not in seen:
            seen[q.key] = q
    return tuple(seen.values())


def questions_from_document(doc: Document) -> TemplateForm:
    """The questions a blank template asks: empty ``Label:`` lines, empty table rows,
    bare label lines of a PDF naming a known field type, and the narrative sections
    that :func:`dupscan.segment.segment` finds."""
    from dupscan.segment import segment

    form = segment(doc)
    text = doc.text
    found: list[tuple[int, Question]] = []
    consumed: list[tuple[int, int]] = []
    for m in _LABEL_LINE.finditer(text):
        if _PLACEHOLDER.match(m.group("value")):
            canonical = canonical_of(m.group("label"))
            found.append((m.start(), _question(m.group("label"), canonical,
                                               _kind_of(canonical, "structured"))))
            consumed.append((m.start(), m.end()))
    cells = [b for b in doc.blocks if b.kind == "cell"]
    for a, b in zip(cells, cells[1:]):
        if (a.table, a.row) == (b.table, b.row) and b.col == a.col + 1 \
                and text[a.start:a.end].strip() and _PLACEHOLDER.match(text[b.start:b.end]):
            label = text[a.start:a.end]
            canonical = canonical_of(label)
            found.append((a.start, _question(label, canonical, _kind_of(canonical, "structured"))))
            consumed.append((a.start, b.end))
    heads = _headings(doc)
    for i, h in enumerate(heads):
        end = heads[i + 1].start if i + 1 < len(heads) else len(text)
        if _only_labels(text, h.end, end, consumed):
            continue  # a "Details" heading over empty "Label:" lines, counted one by one
        label = text[h.start:h.end].lstrip("#").strip()
        canonical = canonical_of(label)
        found.append((h.start, _question(label, canonical, _kind_of(canonical, "narrative"))))
    for line in _label_lines(doc):
        label = text[line.start:line.end]
        canonical = _known_wording(label)
        if canonical is not None:
            found.append((line.start, _question(label, canonical,
                                                _kind_of(canonical, "structured"))))
    for f in form.fields:
        if _only_labels(text, f.start, f.end, consumed) or any(
                s <= f.start < e for s, e in consumed):
            continue
        found.append((f.start, _question(f.label, f.canonical, _kind_of(f.canonical, f.kind))))
    questions = _dedupe(q for _, q in sorted(found, key=lambda item: item[0]))
    return TemplateForm(form.form_type or Path(doc.path).stem, doc.path, questions)


def _headings(doc: Document) -> list[Any]:
    """Section headings below the title: heading blocks, or short bold paragraphs."""
    text = doc.text
    out = []
    for b in doc.blocks:
        words = text[b.start:b.end].split()
        if b.kind == "heading" or (b.kind == "paragraph" and b.bold and 0 < len(words) <= 8):
            out.append(b)
    if out and (out[0].level <= 1 or _is_title(text[out[0].start:out[0].end])):
        out = out[1:]
    return [b for b in out if ":" not in text[b.start:b.end].rstrip(": ")]


def _label_lines(doc: Document) -> list[Any]:
    """Lines of a PDF's text layer that may be a bare label.

    A blank PDF prints "Date of birth" beside an empty box and "Analysis" above
    one, and its text layer keeps neither a colon nor the heading style that mark
    a label in other formats. Short lines without sentence punctuation qualify;
    the caller keeps only those worded as the ontology knows a field, since a
    bare line is no evidence of a question by itself.
    """
    if doc.format != "pdf":
        return []
    text = doc.text
    out = []
    for b in doc.blocks:
        if b.kind != "line":
            continue
        line = text[b.start:b.end].strip()
        if (0 < len(line.split()) <= 8 and ":" not in line and line[-1] not in ".?!;,"
                and not _is_title(line)):
            out.append(b)
    return out


def _known_wording(label: str) -> str | None:
    """The canonical field type of ``label`` when the ontology lists its wording
    (no classifier guess)."""
    onto = _ontology()
    return None if onto is None else onto.lookup(label)


def _is_title(line: str) -> bool:
    onto = _ontology()
    return onto is not None and onto.form_type(line.lstrip("# ").strip()) is not None


def _only_labels(text: str, start: int, end: int, consumed: Sequence[tuple[int, int]]) -> bool:
    """True when text[start:end] holds consumed "Label:" lines and nothing else but
    guidance ("> ...") and rules."""
    inside = [(s, e) for s, e in consumed if start <= s < max(end, start + 1)]
    if not inside:
        return False
    rest = text[start:end]
    for s, e in sorted(inside, reverse=True):
        rest = rest[: s - start] + rest[min(e, end) - start:]
    return not re.sub(r"(?m)^\s*>.*$|[-_\s]", "", rest)


def _from_form(form: Form) -> TemplateForm:
    return TemplateForm(form.form_type or Path(form.doc).stem, form.doc, _dedupe(
        _question(f.label, f.canonical, f.kind) for f in form.fields))


def read_templates(templates: Iterable[Any]) -> tuple[list[TemplateForm], list[Skipped]]:
    """Questions of each template (paths, folders, Documents, Forms); unreadable files skipped."""
    from dupscan.errors import IngestError

    out: list[TemplateForm] = []
    skipped: list[Skipped] = []
    for item in templates:
        if isinstance(item, Form):
            out.append(_from_form(item))
        elif isinstance(item, Document):
            out.append(questions_from_document(item))
        elif isinstance(item, TemplateForm):
            out.append(item)
        else:
            from dupscan.ingest import SUPPORTED_SUFFIXES, ingest

            path = Path(os.fspath(item))
            if path.is_dir():
                files = sorted(p for p in path.rglob("*")
                               if p.is_file() and p.suffix.lower() in SUPPORTED_SUFFIXES)
                root = path
            else:
                files, root = [path], path.parent
            for file in files:
                try:
                    docs = ingest(file, root=root)
                except IngestError as exc:
                    skipped.append(Skipped(exc.path, exc.reason))
                    continue
                out.extend(questions_from_document(d) for d in docs)
    return out, skipped
