"""Shingle fingerprints: which passages share enough word n-grams to compare.

Each passage is reduced to hashes of its word 3-grams (short passages: the
whole token sequence). Long texts can be thinned by winnowing (keep the
minimum hash of every window of ``w`` consecutive shingles), which keeps at
least one fingerprint of every shared run of ``w + n - 1`` words. An inverted
index over fingerprints yields candidate pairs without comparing all pairs.
"""

from __future__ import annotations

import zlib
from collections import defaultdict
from collections.abc import Iterable, Sequence

__all__ = ["ShingleIndex", "shingles", "winnow"]


def shingles(toks: Sequence[str], n: int = 3) -> list[int]:
    """Return the hashes of the word ``n``-grams of ``toks``, in order.

    Examples
    --------
    >>> len(shingles("the child was seen at home".split()))
    4
    >>> shingles(["hello"]) == shingles(["hello"])
    True
    """
    if not toks:
        return []
    if len(toks) < n:
        return [zlib.crc32(" ".join(toks).encode("utf-8"))]
    return [zlib.crc32(" ".join(toks[i:i + n]).encode("utf-8")) for i in range(len(toks) - n + 1)]


def winnow(hashes: Sequence[int], w: int = 4) -> set[int]:
    """Return the winnowed fingerprints of ``hashes`` (minimum of each window of ``w``)."""
    if len(hashes) <= w:
        return set(hashes)
    return {min(hashes[i:i + w]) for i in range(len(hashes) - w + 1)}


class ShingleIndex:
    """An inverted index from fingerprint to the passages that hold it.

    Parameters
    ----------
    n : int, default=3
        Words per shingle.
    max_postings : int, default=200
        Fingerprints held by more passages than this are ignored as uninformative.
    """

    def __init__(self, *, n: int = 3, max_postings: int = 200) -> None:
        if n < 1:
            raise ValueError(f"n must be at least 1, got {n}")
        self.n = n
        self.max_postings = max_postings
        self._postings: dict[int, list[int]] = defaultdict(list)
        self._sizes: dict[int, int] = {}
        self._prints: dict[int, frozenset[int]] = {}

    def add(self, item: int, toks: Sequence[str]) -> None:
        """Index passage ``item`` with tokens ``toks``."""
        prints = frozenset(shingles(toks, self.n))
        self._sizes[item] = len(prints)
        self._prints[item] = prints
        for h in prints:
            self._postings[h].append(item)

    def candidates_of(self, item: int, *, min_overlap: float = 0.2) -> dict[int, int]:
        """:meth:`candidates` for an indexed passage, from its stored fingerprints."""
        return self._shared(self._prints[item], min_overlap)

    def candidates(self, toks: Sequence[str], *, min_overlap: float = 0.2) -> dict[int, int]:
        """Return ``{item: shared fingerprints}`` for items sharing enough with ``toks``.

        ``min_overlap`` is the share of the smaller fingerprint set that must be shared.
        """
        return self._shared(frozenset(shingles(toks, self.n)), min_overlap)

    def _shared(self, prints: frozenset[int], min_overlap: float) -> dict[int, int]:
        counts: dict[int, int] = defaultdict(int)
        for h in prints:
            posting = self._postings.get(h)
            if posting and len(posting) <= self.max_postings:
                for item in posting:
                    counts[item] += 1
        out = {}
        for item, shared in counts.items():
            if shared >= min_overlap * max(1, min(len(prints), self._sizes[item])):
                out[item] = shared
        return out

    def items(self) -> Iterable[int]:
        return self._sizes.keys()
