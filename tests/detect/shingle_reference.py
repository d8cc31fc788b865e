"""The plain inverted index that :func:`dupscan.detect.fingerprint.shared_earlier` replaces.

Kept as the reference the vectorised candidate search is checked against: a
dict from each word ``n``-gram's crc32 to the passages holding it, counted
passage by passage.
"""

from __future__ import annotations

import zlib
from collections import defaultdict
from collections.abc import Sequence


def shingles(toks: Sequence[str], n: int = 3) -> list[int]:
    """The crc32 of each word ``n``-gram of ``toks`` (a short passage: of all its words)."""
    if not toks:
        return []
    if len(toks) < n:
        return [zlib.crc32(" ".join(toks).encode("utf-8"))]
    return [zlib.crc32(" ".join(toks[i:i + n]).encode("utf-8")) for i in range(len(toks) - n + 1)]


class ShingleIndex:
    """Inverted index from shingle to passages; n-grams held by more than
    ``max_postings`` passages are ignored as uninformative."""

    def __init__(self, *, n: int = 3, max_postings: int = 200) -> None:
        self.n = n
        self.max_postings = max_postings
        self._postings: dict[int, list[int]] = defaultdict(list)
        self._sizes: dict[int, int] = {}
        self._prints: dict[int, frozenset[int]] = {}

    def add(self, item: int, toks: Sequence[str]) -> None:
        prints = frozenset(shingles(toks, self.n))
        self._sizes[item] = len(prints)
        self._prints[item] = prints
        for h in prints:
            self._postings[h].append(item)

    def candidates_of(self, item: int, *, min_overlap: float = 0.2) -> dict[int, int]:
        return self._shared(self._prints[item], min_overlap)

    def candidates(self, toks: Sequence[str], *, min_overlap: float = 0.2) -> dict[int, int]:
        """``{item: shared shingles}`` for items sharing at least ``min_overlap`` of the
        smaller shingle set with ``toks``."""
        return self._shared(frozenset(shingles(toks, self.n)), min_overlap)

    def _shared(self, prints: frozenset[int], min_overlap: float) -> dict[int, int]:
        counts: dict[int, int] = defaultdict(int)
        for h in prints:
            posting = self._postings.get(h)
            if posting and len(posting) <= self.max_postings:
                for item in posting:
                    counts[item] += 1
        return {item: shared for item, shared in counts.items()
                if shared >= min_overlap * max(1, min(len(prints), self._sizes[item]))}
