"""Word n-gram candidates: which passages share enough word n-grams to compare.

Each passage is reduced to its distinct word 3-grams (a short passage: its
whole token sequence). Passages of earlier forms that share at least a given
share of the smaller n-gram set are candidates; n-grams held by too many
passages are ignored as uninformative. All pairs of a case are found at once
with array operations, without comparing every pair.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator, Sequence
from itertools import chain

import numpy as np

__all__ = ["shared_earlier"]


def shared_earlier(toks: Sequence[Sequence[str]], groups: Sequence[int], *, n: int = 3,
                   max_postings: int = 200, min_overlap: float = 0.2) -> list[list[int]]:
    """For each passage, the passages of earlier groups that share enough word ``n``-grams.

    Passage ``s`` is a candidate of ``t`` when ``groups[s] < groups[t]`` and they
    share at least ``min_overlap`` of the smaller of their distinct ``n``-gram
    sets (at least one). The ``n``-grams are numbered within the call (exactly,
    not by a hash), and the passages sharing each ``n``-gram are paired and
    counted.

    Parameters
    ----------
    toks : sequence of token lists
        The passages' normalised tokens.
    groups : sequence of int
        Each passage's group (its form's position); only earlier groups are candidates.
    n : int, default=3
        Words per n-gram.
    max_postings : int, default=200
        n-grams held by more passages than this are ignored.
    min_overlap : float, default=0.2
        Share of the smaller n-gram set that must be shared.

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
    owner, key = _grams(toks, n)
    if count < 2 or not len(owner):
        return out
    # rows sorted by n-gram, then passage (``owner`` ascends, the sort is stable);
    # a passage's repeats of one n-gram are dropped (its n-grams are a set)
    order = np.argsort(key, kind="stable")
    key, owner = key[order], owner[order]
    distinct = np.ones(len(key), dtype=bool)
    distinct[1:] = (key[1:] != key[:-1]) | (owner[1:] != owner[:-1])
    key, owner = key[distinct], owner[distinct]
    sizes = np.bincount(owner, minlength=count)
    begin = np.searchsorted(key, key)  # first row of each row's n-gram
    postings = np.searchsorted(key, key, side="right") - begin
    keep = postings <= max_postings
    owner, key, size = owner[keep], key[keep], postings[keep]
    begin = np.searchsorted(key, key)  # first row of each row's n-gram
    group = np.asarray(groups, dtype=np.int64)
    for rows in _blocks(owner, size, count):
        # pair every passage of the block with every passage sharing one of its n-grams
        repeat = size[rows]
        left = np.repeat(rows, repeat)
        right = begin[left] + np.arange(len(left)) - np.repeat(np.cumsum(repeat) - repeat,
                                                                repeat)
        t, s = owner[left], owner[right]
        later = group[s] < group[t]
        code, shared = np.unique(t[later] * count + s[later], return_counts=True)
        t, s = code // count, code % count
        need = min_overlap * np.maximum(1, np.minimum(sizes[t], sizes[s]))
        hit = shared >= need
        for ti, si in zip(t[hit].tolist(), s[hit].tolist()):  # sorted by (t, s)
            out[ti].append(si)
    return out


#: pairs of n-gram rows made at once (some 100 MB of arrays): a case of thousands of
#: forms makes tens of millions, and made at once they took 1.8 GB at 3,300 forms
_PAIRS_PER_BLOCK = 2_000_000


def _blocks(owner: np.ndarray, size: np.ndarray, count: int) -> Iterator[np.ndarray]:
    """The n-gram rows (indexes into ``owner``, the passage of each row; ``size``, the
    rows holding each row's n-gram) in blocks of whole passages, passages in order, each
    block pairing at most :data:`_PAIRS_PER_BLOCK` rows (or one passage's rows): every
    passage's candidates then come from one block, in order."""
    if int(size.sum()) <= _PAIRS_PER_BLOCK:
        yield np.arange(len(owner))
        return
    made = np.cumsum(np.bincount(owner, weights=size, minlength=count))
    lo = 0
    while lo < count:
        base = made[lo - 1] if lo else 0.0
        hi = max(lo + 1, int(np.searchsorted(made, base + _PAIRS_PER_BLOCK, side="right")))
        yield np.flatnonzero((owner >= lo) & (owner < hi))
        lo = hi


#: per thread, word -> id (from 1), kept across calls: most words of a case were met
#: in earlier cases, and looking them all up at once costs a third of numbering them
#: afresh word by word. Ids only tell words apart, so any numbering gives the same
#: candidates. One map per thread (a Dask worker may run several cases at once), so
#: that no other call numbers words while one is reading its ids; a map starts again
#: once it holds ``_MAX_WORDS`` words.
_LOCAL = threading.local()
_MAX_WORDS = 1_000_000


def _word_ids(words: list[str]) -> tuple[list[int], int]:
    """The id of each of ``words`` in this thread's map, new words numbered as met,
    and the largest id the map holds."""
    vocab: dict[str, int] | None = getattr(_LOCAL, "ids", None)
    if vocab is None or len(vocab) > _MAX_WORDS:
        vocab = _LOCAL.ids = {}
    ids = list(map(vocab.get, words))
    if None in ids:
        for i, word in enumerate(words):
            if ids[i] is None:
                ids[i] = vocab.setdefault(word, len(vocab) + 1)
    return ids, len(vocab)  # type: ignore[return-value]


def _grams(toks: Sequence[Sequence[str]], n: int) -> tuple[np.ndarray, np.ndarray]:
    """``(passage, n-gram key)`` of every ``n``-gram of ``toks``; two keys are equal
    exactly when their n-grams are.

    A passage shorter than ``n`` words has one "n-gram": its whole token
    sequence.
    """
    lengths = np.fromiter(map(len, toks), dtype=np.int64, count=len(toks))
    total = int(lengths.sum())
    if not total:
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
    numbered, largest = _word_ids(list(chain.from_iterable(toks)))
    ids = np.array(numbered, dtype=np.int64)
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
    width = largest + 1
    if width ** n < 2 ** 62:
        code = rows[:, 0]
        for k in range(1, n):
            code = code * width + rows[:, k]
        return owner, code
    # a vocabulary of millions of words in one case: codes would overflow
    return owner, np.unique(rows, axis=0, return_inverse=True)[1].reshape(-1).astype(np.int64)
