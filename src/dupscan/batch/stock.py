"""Stock text: sentences recurring verbatim across unrelated cases, counted on disk.

Text that many cases share (a service's standard wording, a pasted policy
paragraph) is not a worker re-entering a case's own text: it is reported as
stock text and left out of detection where a case repeats it. The detector's
:func:`find_stock` needs every form of every case at once; here the same count
runs without holding any form in memory. Each form's countable sentences (hash,
occurrences, text) are computed by the worker that reads it, with the detector's own
:func:`~dupscan.detect.find_stock` on that form alone, kept in the index with
the file, and inserted per case into the run-scoped ``run_stock`` table. The
index keeps, per sentence hash, the number of cases holding it up to date by
deltas as cases change (``stock_counts``, see :mod:`dupscan.batch.runtables`),
so selecting the sentences present in at least
``ScanOptions.stock_threshold(cases in the run)`` cases reads only those. The
result equals ``find_stock`` over the whole corpus.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Collection, Mapping
from typing import Any

from dupscan.model import StockText

__all__ = ["StockPass"]

_EXAMPLES = 3


class StockPass:
    """Select stock sentences from the counts of this run in the index.

    Parameters
    ----------
    index : Index
        The scan index, with this run's forms and sentence counts grouped by case.
    min_cases : int
        Cases a sentence must occur in to be stock: the effective threshold,
        ``ScanOptions.stock_threshold(n)`` for the ``n`` cases of the run.
    copies : mapping of str to collection of str, optional
        The documents of each case left out as second copies of its forms
        (:mod:`dupscan.batch.copies`): what they hold is left out of a sentence's
        occurrences and examples. (Their case's detection, given the case without
        them, compares a stock sentence that only one of its forms holds.)
    """

    def __init__(self, index: Any, *, min_cases: int,
                 copies: Mapping[str, Collection[str]] | None = None) -> None:
        self.index = index
        self.min_cases = min_cases
        self.copies = copies or {}
        self.hashes: frozenset[str] = frozenset()
        self.stock_text: list[StockText] = []
        self._by_case: dict[str, list[str]] = {}

    def run(self) -> None:
        """Find the sentences recurring in at least ``min_cases`` cases."""
        rows = self.index.run.stock_counts(self.min_cases)
        self.hashes = frozenset(r[0] for r in rows)
        holders = self.index.run.holders(self.hashes)
        copied = self._held_by_copies()
        self._by_case = {}
        for key, held in holders.items():  # hashes in sorted order
            for case_id, forms in held:
                if forms >= 2:  # detection leaves out only the stock sentences a case repeats
                    self._by_case.setdefault(case_id, []).append(key)
        stock = []
        for key, cases, occurrences in rows:
            occurrences -= copied[key]
            text, words, docs = self._examples(key, [c for c, _ in holders[key]])
            stock.append(StockText(text=text, words=words, occurrences=occurrences,
                                   cases=cases, reason="recurring", examples=docs))
        self.stock_text = sorted(stock, key=lambda s: (-s.cases, -s.occurrences, s.text))

    def _held_by_copies(self) -> Counter[str]:
        """The occurrences of each stock sentence in the second copies (a few rows per
        copy, read by key)."""
        occurrences: Counter[str] = Counter()
        db = self.index.db
        for case_id, docs in self.copies.items():
            for doc in docs:
                for key, n in db.execute("SELECT hash, n FROM run_stock WHERE case_id = ? "
                                         "AND doc = ?", (case_id, doc)):
                    if key in self.hashes:
                        occurrences[key] += n
        return occurrences

    def _examples(self, key: str, cases: list[str]) -> tuple[str, int, tuple[str, ...]]:
        """The text and words of sentence ``key`` where it first occurs (by case, then
        document) and its first few documents, read through the ``cases`` holding it
        (sorted): ``run_stock`` is keyed by case, so each lookup reads one case's rows."""
        db = self.index.db
        first: tuple[str, int] | None = None
        docs: list[str] = []
        for case_id in cases:
            left_out = self.copies.get(case_id, ())
            for doc, text, words in db.execute(
                    "SELECT doc, text, words FROM run_stock WHERE case_id = ? AND hash = ? "
                    "ORDER BY doc", (case_id, key)):
                first = first or (text, words)
                if doc not in docs and doc not in left_out:
                    docs.append(doc)
            if len(docs) >= _EXAMPLES:
                break
        assert first is not None, f"stock sentence {key} counted in no case"
        return first[0], first[1], tuple(docs[:_EXAMPLES])

    def case_stock(self, case_id: str) -> frozenset[str]:
        """The stock sentence hashes that two or more forms of ``case_id`` hold: what its
        detection leaves out (see :func:`~dupscan.detect.passages.build_units`). A
        sentence the case holds once is compared like any other, so its crossing the
        stock threshold changes nothing for the case."""
        return frozenset(self._by_case.get(case_id, ()))

    def case_key(self, case_id: str) -> str:
        """A hash of :meth:`case_stock` (changes when the stock sentences it repeats do)."""
        found = sorted(self.case_stock(case_id))
        return hashlib.sha256("\n".join(found).encode()).hexdigest() if found else ""
