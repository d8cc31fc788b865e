"""Template and stock text: words a person did not write for this case.

Two sources:

* **templates** — blank forms. Every sentence or line of a blank template
  (prompts, guidance, printed labels) is template text; where a filled field
  starts or ends with such sentences the field boundary moves past them, and
  where they sit inside the field their spans go to ``Field.stock``.
* **recurring** — without templates, :func:`find_recurring` marks sentences
  that recur verbatim (after normalisation) in at least ``min_cases`` different
  cases as stock text, counted by :func:`dupscan.detect.find_stock`.
"""

from __future__ import annotations

import os
import re
from collections import defaultdict
from dataclasses import dataclass, replace
from functools import lru_cache
from pathlib import Path
from typing import Iterable, Sequence

from dupscan.model import Document, Field, Form, StockText
from dupscan.segment._text import count_words, norm_sentence, sentence_spans

__all__ = ["TemplateIndex", "find_recurring", "load_templates", "subtract"]

_MIN_RUN_WORDS = 3  # a run of template text shorter than this ("Yes", "N/A") is left alone
_GUIDE = re.compile(r"^\s*[\[(>]*\s*(?:guidance|prompt|help|hint|instructions?|note)\s*:\s*",
                    re.IGNORECASE)


@lru_cache(maxsize=8192)
def _key(sentence: str) -> str:
    return norm_sentence(_GUIDE.sub("", sentence))


@dataclass(frozen=True)
class TemplateIndex:
    """Normalised sentences of blank templates, with an example of each as printed."""

    sentences: frozenset[str]
    examples: tuple[tuple[str, str], ...] = ()

    @classmethod
    def from_texts(cls, texts: Iterable[str]) -> TemplateIndex:
        """Build an index from template texts (documents or field values)."""
        keys: dict[str, str] = {}
        for text in texts:
            for s, e in sentence_spans(text, 0, len(text)):
                key = _key(text[s:e])
                if key:
                    keys.setdefault(key, text[s:e])
        return cls(frozenset(keys), tuple(sorted(keys.items())))

    @classmethod
    def from_documents(cls, docs: Iterable[Document | Form]) -> TemplateIndex:
        """Build an index from template Documents, or from Forms' field texts."""
        texts: list[str] = []
        for doc in docs:
            if isinstance(doc, Form):
                texts.extend(f.text for f in doc.fields)
            else:
                texts.append(doc.text)
        return cls.from_texts(texts)

    def __contains__(self, sentence: str) -> bool:
        return _key(sentence) in self.sentences

    def __bool__(self) -> bool:
        return bool(self.sentences)


@lru_cache(maxsize=8)
def _load_folder(folder: str, stamp: tuple[tuple[str, float], ...]) -> TemplateIndex:
    from dupscan.errors import IngestError
    from dupscan.ingest import ingest

    docs: list[Document] = []
    for rel, _ in stamp:
        try:
            docs.extend(ingest(os.path.join(folder, rel), root=folder))
        except IngestError:
            continue  # an unreadable template only loses its own prompts
    return TemplateIndex.from_documents(docs)


def load_templates(folder: str | os.PathLike[str]) -> TemplateIndex:
    """Read every blank template under ``folder`` (with :func:`dupscan.ingest`) into an index.

    Files that cannot be read are skipped. The index is cached per folder and
    file modification times.

    Raises
    ------
    ConfigError
        When ``folder`` is not a directory.
    """
    from dupscan.errors import ConfigError

    root = Path(folder)
    if not root.is_dir():
        raise ConfigError(f"templates folder {folder} is not a directory; pass the folder of blank forms")
    stamp = tuple(sorted((str(p.relative_to(root)), p.stat().st_mtime)
                         for p in root.rglob("*") if p.is_file() and not p.name.startswith(".")))
    return _load_folder(str(root.resolve()), stamp)


_JOIN = 4  # a sentence wrapped over at most this many lines (PDF text) is still found


def _flags(text: str, spans: list[tuple[int, int]], is_stock) -> list[bool]:
    flags = [False] * len(spans)
    for i, (s, _) in enumerate(spans):
        if flags[i]:
            continue
        for j in range(i, min(len(spans), i + _JOIN)):
            if is_stock(text[s:spans[j][1]]):
                flags[i:j + 1] = [True] * (j + 1 - i)
                break
            if text[spans[j][1] - 1] in ".?!" or "\n" not in text[spans[j][1]:spans[j][1] + 1]:
                break  # only a line broken mid-sentence continues on the next one
    i = 0
    while i < len(spans):  # drop runs too short to be a prompt on their own
        if not flags[i]:
            i += 1
            continue
        j = i
        while j < len(spans) and flags[j]:
            j += 1
        if count_words(text[spans[i][0]:spans[j - 1][1]]) < _MIN_RUN_WORDS:
            flags[i:j] = [False] * (j - i)
        i = j
    return flags


def _marked(text: str, start: int, end: int, is_stock) -> tuple[int, int, list[tuple[int, int]]]:
    spans = sentence_spans(text, start, end)
    flags = _flags(text, spans, is_stock)
    if not any(flags):
        return start, end, []
    lo, hi = 0, len(spans)
    while lo < hi and flags[lo]:
        lo += 1
    while hi > lo and flags[hi - 1]:
        hi -= 1
    if lo == hi:
        return start, start, []
    inner = [spans[i] for i in range(lo, hi) if flags[i]]
    return spans[lo][0], spans[hi - 1][1], inner


def subtract(doc_text: str, fields: Sequence[Field], index: TemplateIndex) -> list[Field]:
    """Remove template text from fields.

    Leading and trailing template sentences move the field boundary; template
    sentences inside the value are recorded in ``Field.stock``. A field left
    empty (the blank prompt only) is dropped.
    """
    if not index:
        return list(fields)
    out: list[Field] = []
    for item in fields:
        start, end, inner = _marked(doc_text, item.start, item.end, index.__contains__)
        if start >= end:
            continue
        if (start, end) == (item.start, item.end) and not inner:
            out.append(item)
            continue
        stock = tuple(sorted(set(item.stock) | set(inner)))
        stock = tuple((s, e) for s, e in stock if start <= s and e <= end)
        out.append(replace(item, text=doc_text[start:end], start=start, end=end, stock=stock))
    return out


def find_recurring(forms: Sequence[Form], *, min_cases: int = 5,
                   min_words: int = 5) -> tuple[list[Form], list[StockText]]:
    """Mark sentences that recur verbatim in at least ``min_cases`` cases as stock text.

    A thin wrapper over :func:`dupscan.detect.find_stock` (the one implementation
    of recurring stock text, the one scans use) that also records where each
    stock sentence sits in its field.

    Parameters
    ----------
    forms : sequence of Form
        Segmented forms of many cases (``Form.case_id`` groups them; a form
        without a case id is a case of its own).
    min_cases : int, default=5
        Distinct cases a sentence must appear in (a fixed threshold: it does
        not scale with the number of cases as ``ScanOptions.stock_min_share`` does).
    min_words : int, default=5
        Shorter sentences (names, "Yes", "No concerns") are never stock text.
        Structured fields (ethnicity, school, GP) are never stock text either:
        their values recur across cases because they are categories.

    Returns
    -------
    (forms, stock) : list of Form, list of StockText
        The forms with each recurring sentence added to its field's ``stock``
        spans (document offsets), in the input order; and one StockText per
        recurring sentence (reason ``"recurring"``), most widespread first.

    Raises
    ------
    ConfigError
        When ``min_cases`` is below 1.

    Examples
    --------
    >>> from dupscan.model import Field, Form
    >>> line = "This record is confidential and must be stored securely."
    >>> forms = [Form(str(i), f"C{i}/a.txt", f"C{i}", "x", "", (Field("Notes", None, line, 0,
    ...          len(line), "narrative"),)) for i in range(5)]
    >>> marked, stock = find_recurring(forms)
    >>> marked[0].fields[0].stock, stock[0].cases
    (((0, 56),), 5)
    """
    from dupscan.config import ScanOptions
    from dupscan.detect import find_stock
    from dupscan.detect.normalise import norm_hash
    from dupscan.detect.passages import build_units
    from dupscan.errors import ConfigError

    if min_cases < 1:
        raise ConfigError(f"min_cases must be at least 1, got {min_cases}")
    by_case: dict[str, list[Form]] = defaultdict(list)
    for form in forms:
        by_case[form.case_id or form.doc].append(form)
    options = ScanOptions(stock_min_cases=min_cases, stock_min_share=0.0)
    stock = [t for t in find_stock(by_case, options=options) if count_words(t.text) >= min_words]
    keys = {norm_hash(t.text) for t in stock}
    if not keys:
        return list(forms), stock
    out_forms: list[Form] = []
    for form in forms:
        spans: dict[int, set[tuple[int, int]]] = defaultdict(set)
        for unit in build_units([form]):
            if unit.key in keys:
                spans[unit.field].add((unit.start, unit.end))
        if not spans:
            out_forms.append(form)
            continue
        fields = tuple(replace(item, stock=tuple(sorted(set(item.stock) | spans[i])))
                       if i in spans else item for i, item in enumerate(form.fields))
        out_forms.append(replace(form, fields=fields))
    return out_forms, stock
