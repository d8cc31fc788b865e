"""Sentence splitting with character offsets.

spaCy's blank English tokenizer with the rule-based ``sentencizer`` does the
work; rules around it handle what record text needs:

* blank lines and bullet or numbered list lines are hard boundaries;
* a line that ends in sentence punctuation ends a sentence, while a wrapped
  line (no final punctuation, next line in lower case) continues it;
* titles and abbreviations (``Mr.``, ``Mrs.``, ``Dr.``, ``D.O.B.``, ``etc.``,
  ``approx.``, ``no. 4``) and dotted dates (``3.4.2025``) never end a sentence;
* a "sentence" that starts in lower case continues the previous one only when
  the previous one does not end in sentence punctuation (an abbreviation or
  an ellipsis excepted): "afternoon. today The home ..." is two sentences;
* a short lead-in ending in a colon (``Reason:``, ``27/03/2023 - Home Visit Record:``)
  followed by a capital letter or digit is a unit of its own.

The spaCy pipeline is built once per process.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

__all__ = ["split_sentences"]

_ABBREVIATIONS = (
    "Mr.", "Mrs.", "Ms.", "Dr.", "Prof.", "St.", "D.O.B.", "d.o.b.", "DoB.", "e.g.", "i.e.",
    "etc.", "approx.", "Approx.", "Tel.", "tel.", "No.", "no.", "Ref.", "ref.", "vs.", "cf.",
    "a.m.", "p.m.", "Jan.", "Feb.", "Mar.", "Apr.", "Jun.", "Jul.", "Aug.", "Sep.", "Sept.",
    "Oct.", "Nov.", "Dec.", "Mon.", "Tue.", "Wed.", "Thu.", "Fri.", "Sat.", "Sun.", "Cllr.",
    "P.C.", "PC.", "D.C.", "Insp.", "Sgt.", "Dept.", "incl.", "yrs.", "wk.", "wks.",
)
_NO_END = frozenset(a.lower() for a in _ABBREVIATIONS)
_BULLET = re.compile(r"[ \t]*(?:[-*\u2022\u25aa\u25cf\u2013\u2014>]|\(?\d{1,2}[.)]|\(?[a-z]\))[ \t]+")
_HARD = re.compile(r"\n[ \t]*\n+|\n(?=[ \t]*(?:[-*\u2022\u25aa\u25cf\u2013\u2014>]|\(?\d{1,2}[.)]|\(?[a-z]\))[ \t]+)")
#: the quotes and brackets that may close a sentence after its final stop
_CLOSERS = r"""['")\]\u2019\u201d]*"""
_LINE_END = re.compile(r"[.!?:;]" + _CLOSERS + r"[ \t]*\n")


@lru_cache(maxsize=1)
def _nlp() -> Any:
    from dupscan._own_process import import_spacy

    nlp = import_spacy().blank("en")
    for abbr in _ABBREVIATIONS:
        nlp.tokenizer.add_special_case(abbr, [{"ORTH": abbr}])
    nlp.add_pipe("sentencizer")
    return nlp


def _blocks(text: str) -> list[tuple[int, int]]:
    """Split ``text`` at hard boundaries: blank lines, list items, ended lines."""
    cuts = [0]
    for m in _HARD.finditer(text):
        cuts.extend((m.start(), m.end()))
    for m in _LINE_END.finditer(text):
        cuts.extend((m.end() - 1, m.end()))
    cuts.append(len(text))
    cuts = sorted(set(cuts))
    spans = []
    for a, b in zip(cuts, cuts[1:]):
        if text[a:b].strip():
            spans.append((a, b))
    return spans


#: the longest block spaCy is given at once. A field exported without line breaks (a
#: year of notes in one spreadsheet cell) can run to millions of characters, past
#: spaCy's own limit of 1,000,000, and its tokens take memory by the block
_MAX_BLOCK = 100_000
_SENTENCE_END = re.compile(r"[.!?]" + _CLOSERS + r"\s")


def _pieces(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """The block ``text[start:end]`` cut into pieces of at most :data:`_MAX_BLOCK`
    characters, each cut after the last sentence end before the limit (else at the last
    white space, else at the limit); a block within the limit is one piece."""
    out = []
    while end - start > _MAX_BLOCK:
        limit = start + _MAX_BLOCK
        ends = [m.end() for m in _SENTENCE_END.finditer(text, start + _MAX_BLOCK // 2, limit)]
        if ends:
            cut = ends[-1]
        else:
            space = max(text.rfind(c, start + 1, limit) for c in " \t\n")
            cut = space + 1 if space > start else limit
        out.append((start, cut))
        start = cut
    out.append((start, end))
    return out


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    m = _BULLET.match(text, start, end)
    if m and m.end() < end:
        start = m.end()
    return start, end


def _continues(text: str, prev: tuple[int, int], nxt: tuple[int, int]) -> bool:
    """Whether the sentence at ``nxt`` continues the one at ``prev``."""
    gap = text[prev[1]:nxt[0]]
    if "\n\n" in gap.replace(" ", "").replace("\t", ""):
        return False
    head = text[prev[0]:prev[1]]
    last = head.rsplit(None, 1)[-1] if head.split() else ""
    if last.lower() in _NO_END:
        return True
    first = text[nxt[0]]
    if "\n" in gap:
        # a wrapped line: previous line has no closing punctuation, next starts lower case
        return not _LINE_CLOSED.search(head) and first.islower()
    # on one line, a split before a lower-case word is spaCy's doing, not the writer's,
    # unless the previous sentence was closed by a full stop, "?" or "!"
    return first.islower() and (
        _ELLIPSIS.search(head) is not None or _CLOSED.search(head) is None)


_CLOSED = re.compile(r"[.!?]" + _CLOSERS + "$")
_LINE_CLOSED = re.compile(r"[.!?:;]" + _CLOSERS + "$")
_ELLIPSIS = re.compile(r"(?:\.\.\.|\u2026)" + _CLOSERS + "$")


_LEAD_IN = re.compile(r"([^.!?:\n]{1,60}?):[ \t]+(?=[A-Z0-9\"'\u201c])")


def _lead_in(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Split a short ``Label:`` or ``27/03/2023 - Home Visit Record:`` lead-in off a sentence."""
    m = _LEAD_IN.match(text, start, end)
    if not m or len(m.group(1).split()) > 8 or m.end() >= end:
        return [(start, end)]
    return [(start, m.start(1) + len(m.group(1)) + 1), (m.end(), end)]


def split_sentences(text: str) -> list[tuple[int, int]]:
    """Return ``(start, end)`` offsets of the sentences of ``text``.

    Offsets index ``text``; leading bullets and surrounding whitespace are left
    out of each span.

    Examples
    --------
    >>> t = "Mr. Smith met Dr. Khan on 3.4.2025. Ava was seen.\\n- Mum agreed"
    >>> [t[a:b] for a, b in split_sentences(t)]
    ['Mr. Smith met Dr. Khan on 3.4.2025.', 'Ava was seen.', 'Mum agreed']
    """
    nlp = _nlp()
    raw: list[tuple[int, int]] = []
    for a, b in (piece for block in _blocks(text) for piece in _pieces(text, *block)):
        a = _trim(text, a, b)[0]
        chunk = text[a:b]
        doc = nlp(chunk)
        for sent in doc.sents:
            s, e = _trim(text, a + sent.start_char, a + sent.end_char)
            if e > s:
                raw.append((s, e))
    raw = [part for s, e in raw for part in _lead_in(text, s, e)]
    merged: list[tuple[int, int]] = []
    for span in raw:
        if merged and not _is_bullet_start(text, span[0], merged[-1][1]) and _continues(
            text, merged[-1], span
        ):
            merged[-1] = (merged[-1][0], span[1])
        else:
            merged.append(span)
    return merged


def _is_bullet_start(text: str, start: int, prev_end: int) -> bool:
    """Whether a list marker stood between ``prev_end`` and ``start``."""
    line_start = text.rfind("\n", prev_end, start)
    if line_start < 0:
        return False
    return _BULLET.match(text, line_start + 1) is not None
