"""Classifier features of all the candidate pairs of a case at once.

Detection scores a few hundred candidate pairs per case, most of which the
classifier rejects. :func:`~dupscan.detect.classify.pair_vector` works one pair
at a time: a small word-similarity matrix and a few list comprehensions per
pair, most of the paraphrase stage's time. Here the distinct words of every unit
in the batch share one similarity matrix, and the soft word coverage of every
pair is read from it with array operations.

The values are those of ``pair_vector``, bit for bit: the same word vectors and
threshold decide which words cover which, counts are integers, and the
idf-weighted shares are summed word by word in text order (a cumulative sum
along each row), as ``pair_vector`` sums them; when the model reads neither of
them (both are in ``skip``) they are not computed and read 0, as ``pair_vector``
gives them. ``tests/detect/test_pair_batch.py`` checks this on generated cases.
"""

from __future__ import annotations

from collections.abc import Collection, Iterator, Mapping, Sequence
from typing import Any

import numpy as np
import numpy.typing as npt

from dupscan.detect.classify import (COVERAGE_AT, FEATURES, WORD_NEAR, _profile, _Profile,
                                     feature_row)
from dupscan.detect.semantic import word_matrix

__all__ = ["PairRow", "pair_matrix"]

#: the features of the idf-weighted coverage (computed unless both are skipped)
_IDF_FEATURES = frozenset({"idf_cover_min", "idf_cover_max"})

#: ``(source unit, target unit, lexical scores, cosine, same_field, margin)``
PairRow = tuple[Any, Any, Any, float, float, float]


class _Words:
    """The distinct words of a batch's units, and which words cover which.

    Word ``b`` covers word ``a`` when their embedding cosine is at least
    :data:`WORD_NEAR` or they are the same word (:meth:`covers`); it *hits* ``a``
    when it covers it or both share a 5-letter stem (:meth:`hits`: the
    idf-weighted shares alone read it). Index ``pad`` (one past the last word)
    stands for padding and covers nothing.

    A vocabulary of up to :data:`_DENSE_WORDS` words keeps both relations as
    boolean matrices, a byte for every two words. A larger one (the batch of a
    case of thousands of forms written by many hands: names, places, misspellings)
    would take gigabytes that way (2 GB at 32,000 words), so it keeps only the
    pairs that cover each other, as sorted codes, and compares stems when asked.
    """

    def __init__(self, profiles: Sequence[_Profile], *, with_stems: bool = True) -> None:
        vocab = sorted({w for p in profiles for w in p.uniq})
        self.index = {w: i for i, w in enumerate(vocab)}
        size = self.pad = len(vocab)
        stems: dict[str, int] = {}
        # padding gets a stem of its own, never shared
        self.stem = np.array([stems.setdefault(w[:5], len(stems)) for w in vocab] + [-1]) \
            if with_stems else None
        self.near: np.ndarray | None = None
        self.hit: np.ndarray | None = None
        self.codes: np.ndarray | None = None
        if size <= _DENSE_WORDS:
            near = np.zeros((size + 1, size + 1), dtype=bool)
            for lo, hi, covered in _cover_blocks(vocab):
                near[lo:hi, :size] = covered
            # a word holds itself even when its vector is all zero
            np.fill_diagonal(near[:size, :size], True)
            self.near = near
            if self.stem is not None:
                stem = self.stem[:size]
                hit = np.zeros_like(near)
                hit[:size, :size] = near[:size, :size] | (stem[:, None] == stem[None, :])
                self.hit = hit
            return
        width = size + 1
        codes = [np.arange(size, dtype=np.int64) * (width + 1)]  # each word covers itself
        for lo, _, covered in _cover_blocks(vocab):
            a, b = np.nonzero(covered)
            codes.append((a.astype(np.int64) + lo) * width + b)
        self.codes = np.unique(np.concatenate(codes))

    def covers(self, t_words: np.ndarray, s_words: np.ndarray) -> np.ndarray:
        """Whether word ``s_words`` covers word ``t_words``, element by element (the two
        index arrays broadcast against each other)."""
        if self.near is not None:
            return self.near[t_words, s_words]
        assert self.codes is not None
        wanted = t_words * (self.pad + 1) + s_words
        at = np.minimum(np.searchsorted(self.codes, wanted), len(self.codes) - 1)
        return self.codes[at] == wanted

    def hits(self, t_words: np.ndarray, s_words: np.ndarray,
             covered: np.ndarray) -> np.ndarray | None:
        """:meth:`covers` or a shared stem (``covered``: what :meth:`covers` gave for
        these words); None when made without stems."""
        if self.stem is None:
            return None
        if self.hit is not None:
            return self.hit[t_words, s_words]
        t_stem = self.stem[t_words]
        return covered | ((t_stem == self.stem[s_words]) & (t_stem >= 0))


def _cover_blocks(vocab: list[str]) -> Iterator[tuple[int, int, np.ndarray]]:
    """``(lo, hi, covered)`` for blocks of the words of ``vocab``: ``covered[i, j]`` holds
    when the cosine of words ``lo + i`` and ``j`` is at least :data:`WORD_NEAR`.

    A block of words at a time: the cosines of every two words of a large vocabulary
    would take four bytes a pair at once. Blocks hold at most :data:`_WORDS_PER_BLOCK`
    words and :data:`_COSINES_PER_BLOCK` cosines.
    """
    if not vocab:
        return
    vectors = word_matrix(tuple(vocab))
    step = max(1, min(_WORDS_PER_BLOCK, _COSINES_PER_BLOCK // len(vocab)))
    for lo in range(0, len(vocab), step):
        hi = min(lo + step, len(vocab))
        yield lo, hi, vectors[lo:hi] @ vectors.T >= WORD_NEAR


class _Units:
    """Per unit of the batch, padded to the longest: its distinct words' indexes
    into :class:`_Words`, each content word's position among those distinct words
    (text order), the idf weight of each content word, and the counts."""

    def __init__(self, profiles: Sequence[_Profile], words: _Words) -> None:
        n = len(profiles)
        width = max((len(p.uniq) for p in profiles), default=0)
        length = max((len(p.words) for p in profiles), default=0)
        self.uniq = np.full((n, width), words.pad, dtype=np.int64)
        self.inv = np.full((n, max(length, 1)), width, dtype=np.int64)  # pad -> a False column
        self.weights = np.zeros((n, max(length, 1)), dtype=np.float64)
        for i, p in enumerate(profiles):
            self.uniq[i, :len(p.uniq)] = [words.index[w] for w in p.uniq]
            self.inv[i, :len(p.inv)] = p.inv
            self.weights[i, :len(p.weights)] = p.weights
        self.count = np.array([len(p.words) for p in profiles], dtype=np.int64)
        self.total = np.array([p.total for p in profiles], dtype=np.float64)


def _shares(covered: npt.ArrayLike, units: _Units, rows: np.ndarray,
            weigh: npt.ArrayLike | None) -> tuple[np.ndarray, np.ndarray]:
    """For each pair, the share of one side's content words covered (``covered``: per
    distinct word) and the idf-weighted share of those in ``weigh``, summed in text
    order (zeros when ``weigh`` is None). A side with no words has shares 0."""
    covered = np.pad(covered, ((0, 0), (0, 1)))
    inv = units.inv[rows]
    count = np.take_along_axis(covered, inv, axis=1).sum(axis=1)
    n = units.count[rows]
    with np.errstate(divide="ignore", invalid="ignore"):
        share = np.where(n > 0, count / np.maximum(n, 1), 0.0)
    if weigh is None:
        return share, np.zeros_like(share)
    weigh = np.pad(weigh, ((0, 0), (0, 1)))
    weighted = np.where(np.take_along_axis(weigh, inv, axis=1), units.weights[rows], 0.0)
    total = np.cumsum(weighted, axis=1)[:, -1]
    idf_total = units.total[rows]
    with np.errstate(divide="ignore", invalid="ignore"):
        idf_share = np.where(idf_total != 0, total / np.where(idf_total != 0, idf_total, 1.0),
                             0.0)
    return share, idf_share


def pair_matrix(rows: Sequence[PairRow], idf: Mapping[str, float],
                skip: Collection[str] = frozenset()) -> np.ndarray:
    """The classifier features of every pair in ``rows``, one row each in
    :data:`~dupscan.detect.classify.FEATURES` order; equal to
    :func:`~dupscan.detect.classify.pair_vector` of each row.

    All units must come from one case (``unit.idx`` tells them apart) and ``idf``
    is that case's.
    """
    if not rows:
        return np.zeros((0, len(FEATURES)), dtype=np.float64)
    where: dict[int, int] = {}
    profiles: list[_Profile] = []
    for s, t, *_ in rows:
        for unit in (s, t):
            if unit.idx not in where:
                where[unit.idx] = len(profiles)
                profiles.append(_profile(unit, idf))
    # the idf-weighted shares, which a model may not read (they then stay 0)
    weigh = not _IDF_FEATURES <= set(skip)
    words = _Words(profiles, with_stems=weigh)
    units = _Units(profiles, words)
    src = np.array([where[r[0].idx] for r in rows], dtype=np.int64)
    tgt = np.array([where[r[1].idx] for r in rows], dtype=np.int64)
    out = np.array([feature_row(s, t, lex, cosine, same_field, margin, skip,
                                profiles[where[s.idx]], profiles[where[t.idx]])
                    for s, t, lex, cosine, same_field, margin in rows], dtype=np.float64)
    cover_min, cover_max, idf_min, idf_max = COVERAGE_AT
    # each pair's words against each other: a pair at a time takes width**2 bytes (a few
    # KB), so the pairs of a case of thousands of forms are taken a block at a time
    # a vocabulary kept as codes compares eight-byte codes, not booleans: smaller blocks
    step = _PAIRS_PER_BLOCK if words.near is not None else \
        max(1, _CODES_PER_BLOCK // max(1, units.uniq.shape[1]) ** 2)
    for lo in range(0, len(rows), step):
        block = slice(lo, lo + step)
        src_b, tgt_b = src[block], tgt[block]
        t_words, s_words = units.uniq[tgt_b][:, :, None], units.uniq[src_b][:, None, :]
        near = words.covers(t_words, s_words)  # (pair, target word, source word)
        hit = words.hits(t_words, s_words, near)
        cover_t, idf_t = _shares(near.any(axis=2), units, tgt_b,
                                 hit.any(axis=2) if hit is not None else None)
        cover_s, idf_s = _shares(near.any(axis=1), units, src_b,
                                 hit.any(axis=1) if hit is not None else None)
        out[block, cover_min] = np.minimum(cover_s, cover_t)
        out[block, cover_max] = np.maximum(cover_s, cover_t)
        # a skipped feature keeps the 0 feature_row gave it
        for at, values in ((idf_min, np.minimum(idf_t, idf_s)),
                           (idf_max, np.maximum(idf_t, idf_s))):
            if FEATURES[at] not in skip:
                out[block, at] = values
    return out


#: words whose cosines with every word are taken at once (a case's batch holds a few
#: hundred to a few thousand words)
_WORDS_PER_BLOCK = 4096
#: cosines taken at once (64 MB of float32): fewer words a block in a larger vocabulary
_COSINES_PER_BLOCK = 16_777_216

#: the largest vocabulary whose cover relations are kept as boolean matrices (two bytes
#: for every two words: 34 MB at 4,096 words); a larger one keeps the covering pairs
_DENSE_WORDS = 4096

#: candidate pairs whose words are matched at once (some 100 MB at most, for pairs of
#: long sentences; a case of 3,300 forms took 0.9 GB more when all went at once)
_PAIRS_PER_BLOCK = 20_000
#: word pairs looked up at once in a vocabulary kept as codes (16 MB of codes)
_CODES_PER_BLOCK = 2_097_152
