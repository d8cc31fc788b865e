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

import numpy as np

__all__ = ["ShingleIndex", "shared_earlier", "shingles", "winnow"]


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


def shared_earlier(toks: Sequence[Sequence[str]], groups: Sequence[int], *, n: int = 3,
                   max_postings: int = 200, min_overlap: float = 0.2) -> list[list[int]]:
    """For each passage, the passages of earlier groups that share enough word ``n``-grams.

    The same candidates as a :class:`ShingleIndex` holding every passage
    (``candidates_of(i)`` kept to passages whose group is below ``groups[i]``),
    computed for all passages at once with array operations: the ``n``-grams
    are numbered within the call (exactly, not by a hash), and the passages
    sharing each ``n``-gram are paired and counted.

    Parameters
    ----------
    toks : sequence of token lists
        The passages' normalised tokens.
    groups : sequence of int
        Each passage's group (its form's position); only earlier groups are candidates.
    n, max_postings, min_overlap
        As for :class:`ShingleIndex` and :meth:`ShingleIndex.candidates`.

    Returns
    -------
    list of list of int
        Per passage, the candidate passage indexes in increasing order.

    Examples
    --------
    >>> a = "the child was seen at home".split()
    >>> b = "the child was seen at school".split()
    >>> shared_earlier([a, b, ["hello"]], [0, 1, 1])
    [[], [0], []]
    """
    count = len(toks)
    out: list[list[int]] = [[] for _ in range(count)]
    owner, gram = _grams(toks, n)
    if count < 2 or not len(owner):
        return out
    # distinct n-grams per passage (a passage's n-grams are a set)
    width = int(gram.max()) + 1
    pair = np.unique(owner * width + gram)
    owner, gram = pair // width, pair % width
    sizes = np.bincount(owner, minlength=count)
    postings = np.bincount(gram)
    keep = postings[gram] <= max_postings
    owner, gram = owner[keep], gram[keep]
    # pair every two passages holding one n-gram (rows are sorted by n-gram, then passage)
    order = np.argsort(gram, kind="stable")
    owner, gram = owner[order], gram[order]
    size = postings[gram]
    begin = np.searchsorted(gram, gram)  # first row of each row's n-gram
    left = np.repeat(np.arange(len(owner)), size)
    step = np.arange(len(left)) - np.repeat(np.cumsum(size) - size, size)
    right = begin[left] + step
    t, s = owner[left], owner[right]
    group = np.asarray(groups, dtype=np.int64)
    later = group[s] < group[t]
    code, shared = np.unique(t[later] * count + s[later], return_counts=True)
    t, s = code // count, code % count
    need = min_overlap * np.maximum(1, np.minimum(sizes[t], sizes[s]))
    hit = shared >= need
    for ti, si in zip(t[hit].tolist(), s[hit].tolist()):  # sorted by (t, s)
        out[ti].append(si)
    return out


def _grams(toks: Sequence[Sequence[str]], n: int) -> tuple[np.ndarray, np.ndarray]:
    """``(passage, n-gram number)`` of every ``n``-gram of ``toks``.

    A passage shorter than ``n`` words has one "n-gram": its whole token
    sequence, as :func:`shingles` has.
    """
    vocab: dict[str, int] = {}
    lengths = np.fromiter((len(t) for t in toks), dtype=np.int64, count=len(toks))
    total = int(lengths.sum())
    if not total:
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
    ids = np.fromiter((vocab.setdefault(w, len(vocab)) + 1 for t in toks for w in t),
                      dtype=np.int64, count=total)
    starts = np.cumsum(lengths) - lengths
    per = np.where(lengths >= n, lengths - n + 1, (lengths > 0).astype(np.int64))
    owner = np.repeat(np.arange(len(toks)), per)
    first = starts[owner] + np.arange(len(owner)) - np.repeat(np.cumsum(per) - per, per)
    length = lengths[owner]
    # token k of a row; a short passage's tokens are right-aligned after 0 padding
    # (no token has id 0)
    rows = np.zeros((len(owner), n), dtype=np.int64)
    for k in range(n):
        pos = first + k - np.maximum(0, n - length)
        rows[:, k] = np.where(pos >= first, ids[np.clip(pos, 0, total - 1)], 0)
    width = len(vocab) + 1
    if width ** n < 2 ** 62:
        code = rows[:, 0]
        for k in range(1, n):
            code = code * width + rows[:, k]
        gram = np.unique(code, return_inverse=True)[1]
    else:  # pragma: no cover - a vocabulary of millions of words in one case
        gram = np.unique(rows, axis=0, return_inverse=True)[1]
    return owner, gram.reshape(-1).astype(np.int64)
