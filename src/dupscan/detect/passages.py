"""Passages: the sentences of the narrative fields of a case, ready to compare.

A :class:`Unit` is one sentence of one narrative field with its document
offsets, normalised tokens and hash. Stock spans of a field (template text) are
left out, and so are sentences whose hash is excluded (stock text recurring across
cases) where the case repeats them.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass, replace
from typing import Any

from dupscan.detect.normalise import normalised_hash, tokens, word_count
from dupscan.detect.sentences import split_sentences
from dupscan.model import Field, Form, Passage

__all__ = ["Unit", "build_units", "passages", "repeated_keys", "with_sentences"]


@dataclass(slots=True)
class Unit:
    """One sentence of a narrative field, with what matching needs."""

    idx: int
    form: int
    field: int
    seq: int
    start: int
    end: int
    text: str
    toks: list[str]
    norm: str
    key: str
    words: int
    profile: Any = None  # per-case word data cached by the pair classifier


def _in_stock(start: int, end: int, stock: Sequence[tuple[int, int]]) -> bool:
    overlap = sum(max(0, min(end, b) - max(start, a)) for a, b in stock)
    return overlap * 2 >= max(1, end - start)


def _splittable(fld: Field) -> bool:
    return fld.kind == "narrative" and bool(fld.text.strip())


def with_sentences(form: Form) -> Form:
    """``form`` with the sentence offsets of its narrative fields filled in.

    Splitting is the costliest step of preparing a form for matching; a form
    split once (when it is read) and stored with its offsets is never split
    again. Fields already split are kept as they are.

    Examples
    --------
    >>> from dupscan.model import Field, Form
    >>> f = Form("f1", "a.txt", "C1", "plan", "", (
    ...     Field("Summary", None, "Ava is 7. Mum agreed.", 0, 21, "narrative"),))
    >>> with_sentences(f).fields[0].sentences
    ((0, 9), (10, 21))
    """
    if not any(_splittable(f) and f.sentences is None for f in form.fields):
        return form
    fields = tuple(replace(f, sentences=tuple(split_sentences(f.text)))
                   if _splittable(f) and f.sentences is None else f for f in form.fields)
    return replace(form, fields=fields)


def build_units(forms: Sequence[Form], *, exclude: Collection[str] = ()) -> list[Unit]:
    """Split every narrative field of ``forms`` into sentence units.

    ``forms`` must already be in attribution order: ``Unit.form`` is the index
    into it. A field's stored sentence offsets (:attr:`Field.sentences`, see
    :func:`with_sentences`) are used when present; otherwise it is split here.

    ``exclude`` holds normalised-sentence hashes (stock text). A sentence with
    one of them is left out where two or more of ``forms`` hold it: standard
    wording that recurs across a case's forms is not re-entry. Where only one
    form holds it, it stays, since a passage re-entered later with edits may
    start from it; this also makes the units of a case depend only on the stock
    sentences it repeats, so a sentence becoming stock elsewhere in a corpus
    changes no case that holds it once.
    """
    found: list[tuple[int, int, int, int, str, list[str], str, str]] = []
    for fi, form in enumerate(forms):
        for di, fld in enumerate(form.fields):
            if not _splittable(fld):
                continue
            spans = fld.sentences if fld.sentences is not None else split_sentences(fld.text)
            for a, b in spans:
                start, end = fld.start + a, fld.start + b
                if fld.stock and _in_stock(start, end, fld.stock):
                    continue
                text = fld.text[a:b]
                toks = tokens(text)
                if not toks:
                    continue
                norm = " ".join(toks)
                found.append((fi, di, start, end, text, toks, norm, normalised_hash(norm)))
    skip = repeated_keys(((item[0], item[7]) for item in found), exclude) if exclude else set()
    units: list[Unit] = []
    field, seq = (-1, -1), 0
    for fi, di, start, end, text, toks, norm, key in found:
        if key in skip:
            continue
        if (fi, di) != field:
            field, seq = (fi, di), 0
        # on ASCII text the word count is the token count (no folding changes a word)
        words = len(toks) if text.isascii() else word_count(text)
        units.append(Unit(len(units), fi, di, seq, start, end, text, toks, norm, key, words))
        seq += 1
    return units


def repeated_keys(held: Iterable[tuple[int, str]], keys: Collection[str]) -> set[str]:
    """The hashes of ``keys`` that two or more forms hold, from ``(form, hash)`` pairs."""
    first: dict[str, int] = {}
    out: set[str] = set()
    for form, key in held:
        if key in keys and key not in out and first.setdefault(key, form) != form:
            out.add(key)
    return out


def passages(form: Form) -> list[Passage]:
    """Return the sentence passages of the narrative fields of ``form``.

    Examples
    --------
    >>> from dupscan.model import Field, Form
    >>> f = Form("f1", "a.txt", "C1", "assessment", "", (
    ...     Field("Summary", "summary", "Mr. Khan called. Ava is 7.", 9, 35, "narrative"),))
    >>> [(p.start, p.end, p.text) for p in passages(f)]
    [(9, 25, 'Mr. Khan called.'), (26, 35, 'Ava is 7.')]
    """
    return [Passage(form.form_id, u.field, u.start, u.end, u.text) for u in build_units([form])]
