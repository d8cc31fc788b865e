"""Passages: the sentences of the narrative fields of a case, ready to compare.

A :class:`Unit` is one sentence of one narrative field with its document
offsets, normalised tokens and hash. Stock spans of a field (template text) and
sentences whose hash is excluded (stock text recurring across cases) are left out.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass, replace
from typing import Any

from dupscan.detect.normalise import normalised_hash, tokens, word_count
from dupscan.detect.sentences import split_sentences
from dupscan.model import Field, Form, Passage

__all__ = ["Unit", "build_units", "passages", "with_sentences"]


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
    into it. ``exclude`` holds normalised-sentence hashes (stock text) to skip.
    A field's stored sentence offsets (:attr:`Field.sentences`, see
    :func:`with_sentences`) are used when present; otherwise it is split here.
    """
    units: list[Unit] = []
    for fi, form in enumerate(forms):
        for di, fld in enumerate(form.fields):
            if not _splittable(fld):
                continue
            seq = 0
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
                key = normalised_hash(norm)
                if key in exclude:
                    continue
                # on ASCII text the word count is the token count (no folding changes a word)
                words = len(toks) if text.isascii() else word_count(text)
                units.append(Unit(len(units), fi, di, seq, start, end, text, toks, norm, key,
                                  words))
                seq += 1
    return units


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
