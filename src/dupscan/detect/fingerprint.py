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

__all__ = ["MAX_POSTINGS", "crowded_grams", "shared_earlier"]

#: n-grams held by more passages of a case than this are ignored as uninformative
MAX_POSTINGS = 200


def shared_earlier(toks: Sequence[Sequence[str]], groups: Sequence[int], *, n: int = 3,
                   max_postings: int = MAX_POSTINGS, min_overlap: float = 0.2,
                   first: int = 0) -> list[list[int]]:
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
    max_postings : int, default=MAX_POSTINGS
        n-grams held by more passages than this are ignored (see :func:`crowded_grams`).
    min_overlap : float, default=0.2
        Share of the smaller n-gram set that must be shared.
    first : int, default=0
        Only passages of groups from ``first`` on are given their candidates; the
        others' lists stay empty (an extended case compares only its later forms'
        passages, and pairing the others cost most of the call).

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
    if count < 2:
        return out
    owner, key, _ = _distinct_rows(toks, n)
    if not len(owner):
        return out
    sizes = np.bincount(owner, minlength=count)
    begin = np.searchsorted(key, key)  # first row of each row's n-gram
    postings = np.searchsorted(key, key, side="right") - begin
    keep = postings <= max_postings
    owner, key, size = owner[keep], key[keep], postings[keep]
    begin = np.searchsorted(key, key)  # first row of each row's n-gram
    group = np.asarray(groups, dtype=np.int64)
    targets = np.flatnonzero(group[owner] >= first) if first > 0 else None
    for rows in _target_blocks(owner, size, count, targets):
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


def crowded_grams(toks: Sequence[Sequence[str]], *, n: int = 3,
                  max_postings: int = MAX_POSTINGS) -> list[tuple[int, ...]]:
    """For each passage, where its ``n``-grams that more than ``max_postings`` passages
    hold (which :func:`shared_earlier` ignores) start: the position of each one's first
    occurrence in the passage's tokens, in increasing order.

    With its tokens, this is all a passage's candidates depend on beyond the
    passages of earlier groups: a case that gains passages keeps the candidates of
    its earlier ones when their crowded n-grams stay the same. A case of no more
    passages than ``max_postings`` has none.

    Examples
    --------
    >>> crowded_grams([["a", "b", "c", "d"], ["b", "c", "d"], ["x", "y", "z"]], max_postings=1)
    [(1,), (0,), ()]
    """
    out: list[tuple[int, ...]] = [() for _ in toks]
    if len(toks) <= max_postings:  # no n-gram is held by more passages than there are
        return out
    owner, key, pos = _distinct_rows(toks, n)
    postings = np.searchsorted(key, key, side="right") - np.searchsorted(key, key)
    crowded = postings > max_postings
    held: dict[int, list[int]] = {}
    for o, p in zip(owner[crowded].tolist(), pos[crowded].tolist()):
        held.setdefault(o, []).append(p)
    for o, starts in held.items():
        out[o] = tuple(sorted(starts))
    return out


def _distinct_rows(toks: Sequence[Sequence[str]], n: int
                   ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """``(passage, n-gram key, position)`` of each distinct ``n``-gram of each passage
    (:func:`_grams`), sorted by key, then passage; a passage's repeats of one n-gram
    are dropped, keeping its first occurrence (its n-grams are a set)."""
    owner, key, pos = _grams(toks, n)
    # ``owner`` and, within a passage, ``pos`` ascend, and the sort is stable
    order = np.argsort(key, kind="stable")
    key, owner, pos = key[order], owner[order], pos[order]
    distinct = np.ones(len(key), dtype=bool)
    distinct[1:] = (key[1:] != key[:-1]) | (owner[1:] != owner[:-1])
    return owner[distinct], key[distinct], pos[distinct]


def _target_blocks(owner: np.ndarray, size: np.ndarray, count: int,
                   targets: np.ndarray | None) -> Iterator[np.ndarray]:
    """:func:`_blocks` of the rows ``targets`` (indexes into ``owner``; all when None)."""
    if targets is None:
        yield from _blocks(owner, size, count)
        return
    for rows in _blocks(owner[targets], size[targets], count):
        yield targets[rows]


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


def _grams(toks: Sequence[Sequence[str]], n: int
           ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """``(passage, n-gram key, position)`` of every ``n``-gram of ``toks``, passage by
    passage, each passage's from its start; two keys are equal exactly when their
    n-grams are, and a position is the n-gram's first word in its passage.

    A passage shorter than ``n`` words has one "n-gram": its whole token
    sequence.
    """
    lengths = np.fromiter(map(len, toks), dtype=np.int64, count=len(toks))
    total = int(lengths.sum())
    if not total:
        empty = np.zeros(0, dtype=np.int64)
        return empty, empty, empty
    numbered, largest = _word_ids(list(chain.from_iterable(toks)))
    ids = np.array(numbered, dtype=np.int64)
    starts = np.cumsum(lengths) - lengths
    per = np.where(lengths >= n, lengths - n + 1, (lengths > 0).astype(np.int64))
    owner = np.repeat(np.arange(len(toks)), per)
    at = np.arange(len(owner)) - np.repeat(np.cumsum(per) - per, per)  # within its passage
    first = starts[owner] + at
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
        return owner, code, at
    # a vocabulary of millions of words in one case: codes would overflow
    return owner, np.unique(rows, axis=0, return_inverse=True)[1].reshape(-1).astype(np.int64), at
