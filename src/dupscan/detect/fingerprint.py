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
    computed for all passages at once: the ``n``-grams are numbered within the
    call (exactly, not by a hash), and the shared counts of all pairs come from
    one sparse product of the passage x ``n``-gram incidence matrix.

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
    from scipy import sparse

    count = len(toks)
    out: list[list[int]] = [[] for _ in range(count)]
    vocab: dict[str, int] = {}
    lengths = np.fromiter((len(t) for t in toks), dtype=np.int64, count=count)
    if count < 2 or not lengths.any():
        return out
    ids = np.fromiter((vocab.setdefault(w, len(vocab)) + 1 for t in toks for w in t),
                      dtype=np.int64, count=int(lengths.sum()))
    # each passage's n-grams as rows of n token ids; a passage shorter than n is one
    # row of its whole token sequence, padded in front with 0 (no token has id 0)
    starts = np.concatenate(([0], np.cumsum(lengths)[:-1]))
    grams_per = np.where(lengths >= n, lengths - n + 1, (lengths > 0).astype(np.int64))
    owner = np.repeat(np.arange(count), grams_per)
    first = np.arange(len(owner)) - np.repeat(np.cumsum(grams_per) - grams_per, grams_per)
    first += starts[owner]
    rows = np.zeros((len(owner), n), dtype=np.int64)
    short = lengths[owner] < n
    for k in range(n):
        # column k of a full n-gram is token first + k; a short passage's tokens are
        # right-aligned in its row
        pos = np.where(short, first + k - (n - lengths[owner]), first + k)
        valid = pos >= np.where(short, first, 0)
        rows[:, k] = np.where(valid, ids[np.clip(pos, 0, len(ids) - 1)], 0)
    _, gram = np.unique(rows, axis=0, return_inverse=True)
    gram = gram.reshape(-1)
    # distinct n-grams per passage (a passage's n-grams are a set)
    width = int(gram.max()) + 1
    pair = np.unique(owner * width + gram)
    owner, gram = pair // width, pair % width
    sizes = np.bincount(owner, minlength=count)
    postings = np.bincount(gram)
    keep = postings[gram] <= max_postings
    owner, gram = owner[keep], gram[keep]
    if not len(owner):
        return out
    incidence = sparse.csr_matrix((np.ones(len(owner), dtype=np.int32), (owner, gram)),
                                  shape=(count, len(postings)))
    shared = (incidence @ incidence.T).tocoo()
    t, s, c = shared.row, shared.col, shared.data
    grp = np.asarray(groups, dtype=np.int64)
    need = min_overlap * np.maximum(1, np.minimum(sizes[t], sizes[s]))
    hit = (c >= need) & (grp[s] < grp[t])
    t, s = t[hit], s[hit]
    order = np.lexsort((s, t))
    for ti, si in zip(t[order].tolist(), s[order].tolist()):
        out[ti].append(si)
    return out
