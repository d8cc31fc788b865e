"""Lexical similarity of two passages, and the aligned part of a partial copy.

Scores come from rapidfuzz on normalised text: character ratio (edit
similarity), token ratio (edit similarity over words, so a name swapped for a
role counts as one edit), token-set ratio (word overlap regardless of order)
and containment (how much of the shorter passage the longer one holds in order).
"""

from __future__ import annotations

from difflib import SequenceMatcher

from rapidfuzz import fuzz
from rapidfuzz.distance import Indel

from dupscan.detect.normalise import word_spans

__all__ = ["Lexical", "aligned_range", "lexical"]


class Lexical:
    """Lexical similarity scores in [0, 1].

    Only ``ratio`` is computed at once: it decides whether a pair is a near copy,
    which most pairs are not. ``token_ratio`` and ``token_set`` are computed on
    first use (a pair judged no copy in a scan of copies alone never needs
    ``token_set``), and ``containment`` (an in-order alignment of the token
    lists, the costly score) too, after :meth:`contains` has checked a cheap upper
    bound, so pairs that never need a score never pay for it.
    """

    __slots__ = ("_a_norm", "_a_toks", "_b_norm", "_b_toks", "_containment", "_token_ratio",
                 "_token_set", "ratio")

    def __init__(self, a_norm: str, b_norm: str, a_toks: list[str], b_toks: list[str]) -> None:
        self.ratio = fuzz.ratio(a_norm, b_norm) / 100.0
        self._a_norm, self._b_norm, self._a_toks, self._b_toks = a_norm, b_norm, a_toks, b_toks
        self._token_ratio: float | None = None
        self._token_set: float | None = None
        self._containment: float | None = None

    @property
    def token_ratio(self) -> float:
        """Edit similarity over words (a name swapped for a role is one edit)."""
        if self._token_ratio is None:
            self._token_ratio = Indel.normalized_similarity(self._a_toks, self._b_toks)
        return self._token_ratio

    @property
    def token_set(self) -> float:
        """Word overlap regardless of order."""
        if self._token_set is None:
            self._token_set = fuzz.token_set_ratio(self._a_norm, self._b_norm) / 100.0
        return self._token_set

    @property
    def containment(self) -> float:
        """Share of the shorter token list that the longer one holds in order."""
        if self._containment is None:
            a, b = self._a_toks, self._b_toks
            self._containment = _containment(a, b) if len(a) <= len(b) else _containment(b, a)
        return self._containment

    def contains(self, at_least: float) -> bool:
        """Whether :attr:`containment` is at least ``at_least``.

        Aligned tokens are a common subsequence of the two lists, so the longest
        common subsequence bounds the containment from above and settles most
        pairs; it comes free from :attr:`token_ratio` (``1 - indel / (m + n)``,
        and ``indel = m + n - 2 * lcs``).
        """
        short = min(len(self._a_toks), len(self._b_toks))
        if self._containment is None and short:
            total = len(self._a_toks) + len(self._b_toks)
            lcs = (total - round((1.0 - self.token_ratio) * total)) // 2
            if lcs / short < at_least:
                return False
        return self.containment >= at_least


def _containment(short: list[str], long_: list[str]) -> float:
    if not short:
        return 0.0
    matcher = SequenceMatcher(None, short, long_, autojunk=False)
    return sum(m.size for m in matcher.get_matching_blocks()) / len(short)


def lexical(a_norm: str, b_norm: str, a_toks: list[str], b_toks: list[str]) -> Lexical:
    """Score two normalised passages (each score computed when first read).

    Examples
    --------
    >>> s = lexical("mum said ava was late", "ms khan said ava was late",
    ...             "mum said ava was late".split(), "ms khan said ava was late".split())
    >>> round(s.token_ratio, 2), s.containment, s.contains(0.9)
    (0.73, 0.8, False)
    """
    return Lexical(a_norm, b_norm, a_toks, b_toks)


def aligned_range(a_text: str, b_text: str, *, min_tail: int = 4) -> tuple[tuple[int, int], tuple[int, int]]:
    """Return the character ranges of ``a_text`` and ``b_text`` that align.

    Unmatched heads or tails of at least ``min_tail`` words are cut off, so a
    sentence copied inside a longer one is reported as the copied part only.

    Examples
    --------
    >>> a = "Ava was late."
    >>> b = "On Monday at the gate Ava was late."
    >>> (ra, rb) = aligned_range(a, b)
    >>> b[rb[0]:rb[1]]
    'Ava was late.'
    """
    wa, wb = word_spans(a_text), word_spans(b_text)
    if not wa or not wb:
        return (0, len(a_text)), (0, len(b_text))
    matcher = SequenceMatcher(None, [w[2] for w in wa], [w[2] for w in wb], autojunk=False)
    blocks = [m for m in matcher.get_matching_blocks() if m.size]
    if not blocks:
        return (0, len(a_text)), (0, len(b_text))
    return (_cut(a_text, wa, blocks[0].a, blocks[-1].a + blocks[-1].size, min_tail),
            _cut(b_text, wb, blocks[0].b, blocks[-1].b + blocks[-1].size, min_tail))


def _cut(text: str, spans: list[tuple[int, int, str]], first: int, last: int,
         min_tail: int) -> tuple[int, int]:
    start = spans[first][0] if first >= min_tail else 0
    if len(spans) - last >= min_tail:
        end = spans[last - 1][1]
        # keep closing punctuation directly after the last word
        while end < len(text) and text[end] in ".!?;:,)'\"\u2019\u201d":
            end += 1
    else:
        end = len(text)
    return start, end
