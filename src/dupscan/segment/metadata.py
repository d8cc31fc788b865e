"""Form metadata: form type, case id, date and author from the fields and the path.

These are best guesses from what the document says about itself; the pipeline
overrides them from a manifest when there is one.
"""

from __future__ import annotations

import hashlib
import re
from datetime import date
from typing import Iterable, Mapping, Sequence

from dupscan.model import Field
from dupscan.segment.ontology import Ontology, normalise_label

__all__ = ["case_id_of", "date_of", "form_id", "form_type_of", "parse_date", "author_of"]

_MONTHS = {name: i + 1 for i, name in enumerate(
    ["january", "february", "march", "april", "may", "june", "july", "august", "september",
     "october", "november", "december"])}
_MONTHS.update({name[:3]: num for name, num in list(_MONTHS.items())})
_MONTHS["sept"] = 9
_ISO = re.compile(r"\b(\d{4})-(\d{1,2})-(\d{1,2})\b")
_NUMERIC = re.compile(r"\b(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{4}|\d{2})\b")
_WORDY = re.compile(r"\b(\d{1,2})(?:st|nd|rd|th)?\s+(?:of\s+)?([A-Za-z]{3,9})\.?,?\s+(\d{4})\b")
_WORDY_US = re.compile(r"\b([A-Za-z]{3,9})\.?\s+(\d{1,2})(?:st|nd|rd|th)?,?\s+(\d{4})\b")
# field types that date a form, best first
_DATE_TYPES = ("form_date", "referral_date")
_AUTHOR_TYPES = ("social_worker",)
_CASE_TYPES = ("case_id",)


def _valid(year: int, month: int, day: int) -> str:
    try:
        return date(year, month, day).isoformat()
    except ValueError:
        return ""


def parse_date(text: str) -> str:
    """Return the first date in ``text`` as ``YYYY-MM-DD``, or ``""``.

    Accepts ISO dates, day-first numeric dates (``03/03/2025``, ``3.3.25``) and
    dates with month names (``3 March 2025``, ``3rd of Mar 2025``, ``March 3, 2025``).

    Examples
    --------
    >>> parse_date("3 March 2025"), parse_date("03/03/2025"), parse_date("2025-03-03")
    ('2025-03-03', '2025-03-03', '2025-03-03')
    """
    found: list[tuple[int, str]] = []
    for match in _ISO.finditer(text):
        iso = _valid(int(match.group(1)), int(match.group(2)), int(match.group(3)))
        if iso:
            found.append((match.start(), iso))
    for match in _NUMERIC.finditer(text):
        year = int(match.group(3))
        year += 2000 if year < 100 and len(match.group(3)) == 2 else 0
        iso = _valid(year, int(match.group(2)), int(match.group(1)))
        if iso:
            found.append((match.start(), iso))
    for match in _WORDY.finditer(text):
        month = _MONTHS.get(match.group(2).lower())
        iso = _valid(int(match.group(3)), month, int(match.group(1))) if month else ""
        if iso:
            found.append((match.start(), iso))
    for match in _WORDY_US.finditer(text):
        month = _MONTHS.get(match.group(1).lower())
        iso = _valid(int(match.group(3)), month, int(match.group(2))) if month else ""
        if iso:
            found.append((match.start(), iso))
    return min(found)[1] if found else ""


def _first(fields: Sequence[Field], types: Iterable[str]) -> Field | None:
    for wanted in types:
        for item in fields:
            if item.canonical == wanted and item.text.strip():
                return item
    return None


def date_of(fields: Sequence[Field], metadata: Mapping[str, str] | None = None) -> str:
    """Return the ISO date of a form from its date fields (form date before referral date)."""
    for wanted in _DATE_TYPES:
        for item in fields:
            if item.canonical == wanted:
                iso = parse_date(item.text)
                if iso:
                    return iso
    return parse_date((metadata or {}).get("date", ""))


def case_id_of(fields: Sequence[Field], path: str, metadata: Mapping[str, str] | None = None) -> str:
    """Return the case id from a Case ID/Child ID field, the metadata, or the first folder."""
    item = _first(fields, _CASE_TYPES)
    if item is not None:
        return item.text.strip().splitlines()[0].strip()
    given = (metadata or {}).get("case_id", "").strip()
    if given:
        return given
    parts = path.split("#", 1)[0].split("/")
    return parts[0] if len(parts) > 1 else ""


def author_of(fields: Sequence[Field], metadata: Mapping[str, str] | None = None) -> str:
    """Return the author from a Social worker/Completed by/Author field or the metadata."""
    item = _first(fields, _AUTHOR_TYPES)
    if item is not None:
        return item.text.strip().splitlines()[0].strip()
    return (metadata or {}).get("author", "").strip()


def form_type_of(titles: Sequence[str], path: str, ontology: Ontology,
                 metadata: Mapping[str, str] | None = None) -> str:
    """Return the canonical form type from title lines, the metadata or the file name.

    Title lines are tried first (exact title variants), then a ``form_type``
    metadata entry, then the file name with its numbering and extension removed
    (``03_child_family_assessment.docx``), matched whole or by its longest
    contained title variant.
    """
    for title in titles:
        found = ontology.form_type(title)
        if found:
            return found
    given = (metadata or {}).get("form_type", "")
    if given:
        return ontology.form_type(given) or normalise_label(given).replace(" ", "_")
    name = path.split("#", 1)[0].rsplit("/", 1)[-1]
    stem = name.rsplit(".", 1)[0] if "." in name else name
    stem = re.sub(r"^[\d_\-\s.]+", "", stem).replace("_", " ").replace("-", " ")
    key = normalise_label(stem)
    if not key:
        return ""
    if key.replace(" ", "_") in ontology.form_types:
        return key.replace(" ", "_")
    found = ontology.form_type(key)
    if found:
        return found
    padded = f" {key} "
    best = ""
    best_len = 0
    for variant, form in ontology.title_variants().items():
        if len(variant) > best_len and f" {variant} " in padded:
            best, best_len = form, len(variant)
    return best


def form_id(path: str, text: str) -> str:
    """Stable id of a form: the first 16 hex digits of sha1(path NUL text).

    Examples
    --------
    >>> form_id("C1/a.txt", "hello")
    '7bb51800a8130173'
    """
    return hashlib.sha1(f"{path}\0{text}".encode("utf-8", "surrogatepass")).hexdigest()[:16]
