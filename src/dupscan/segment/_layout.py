"""Line-level layout helpers shared by the boundary rules: labels, lines, raw fields."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Callable, Iterable

from dupscan.segment._text import has_sentence_punctuation, trim

__all__ = ["MD_HEADING", "NUMBERED", "Known", "RawField", "clean_label", "humanise", "label_like",
           "lines"]

MD_HEADING = re.compile(r"^\s{0,3}(#{1,6})(?:\s+|$)")
NUMBERED = re.compile(r"^\s*((\d{1,2})(?:\.\d{1,2})*)[.)]?\s+(?=\S)")

Known = Callable[[str], bool]


@dataclass(frozen=True, slots=True)
class RawField:
    """A field found in the layout: its label as written and the value's offsets."""

    label: str
    start: int
    end: int
    how: str  # "label", "label_block", "heading", "numbered", "table", "table_column", "form_field"


def humanise(name: str) -> str:
    """Turn a machine field name into a label: ``"reasonForReferral"`` -> ``"Reason for referral"``.

    Examples
    --------
    >>> humanise("child_dob")
    'Child dob'
    >>> humanise("txtReasonForReferral")
    'Reason for referral'
    """
    name = re.sub(r"^(?:txt|fld|field|cb|chk|tb|dd)(?=[A-Z_])", "", name.strip())
    name = re.sub(r"(?<=[a-z0-9])(?=[A-Z])", " ", name)
    name = re.sub(r"[_.\-\[\]]+", " ", name)
    words = name.split()
    if not words:
        return ""
    return " ".join([words[0][:1].upper() + words[0][1:].lower(), *(w.lower() for w in words[1:])])


@lru_cache(maxsize=8192)  # pure; the same labels recur in every form
def label_like(label: str, *, max_words: int = 8) -> bool:
    """Whether ``label`` could be a printed field label (short, no full sentence)."""
    label = label.strip()
    if not label or len(label) > 80 or not label[0].isalnum():
        return False
    words = label.split()
    if len(words) > max_words or not any(c.isalpha() for c in label):
        return False
    return not has_sentence_punctuation(label.rstrip("?:* "))


@lru_cache(maxsize=8192)
def clean_label(text: str) -> str:
    """A label as written, without markdown hashes, numbering and a trailing colon."""
    text = MD_HEADING.sub("", text).strip().rstrip("#").strip()
    text = NUMBERED.sub("", text, count=1).strip()
    return text.rstrip(":*").strip()


def lines(text: str, start: int, end: int) -> Iterable[tuple[int, int]]:
    """Yield the trimmed, non-empty lines of ``text[start:end]`` as offsets."""
    pos = start
    while pos <= end:
        newline = text.find("\n", pos, end)
        line_end = end if newline < 0 else newline
        s, e = trim(text, pos, line_end)
        if s < e:
            yield s, e
        pos = line_end + 1
