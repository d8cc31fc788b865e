"""Text normalisation for matching: case, whitespace, punctuation and quote styles.

Two texts that differ only in letter case, spacing, punctuation or the style of
their quotes and dashes normalise to the same string, so their hashes are equal.
Tokens keep their character offsets so that a match found on normalised words
can be mapped back onto the original text.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata

__all__ = ["content_words", "normalise", "norm_hash", "normalised_hash", "opens_sentence",
           "tokens", "word_count", "word_spans"]

_QUOTES = str.maketrans({
    "\u2018": "'", "\u2019": "'", "\u201a": "'", "\u201b": "'", "\u2032": "'", "`": "'",
    "\u201c": '"', "\u201d": '"', "\u201e": '"', "\u2033": '"',
    "\u2013": "-", "\u2014": "-", "\u2212": "-", "\u00a0": " ",
})
_WORD = re.compile(r"[^\W_]+(?:['.][^\W_]+)*", re.UNICODE)

STOPWORDS = frozenset(
    """a an the and or but if of to in on at by for with from as is are was were be been being
    has have had do does did this that these those it its it's he she they them his her their
    him we us our you your i me my who whom which what when where why how so than then there
    here also into onto about over after before during while up down out off again further
    very can could would should will shall may might must just only own same such too not no
    nor all any both each few more most other some s t""".split()
)


def _quotes(text: str) -> str:
    """``text`` with quote and dash styles unified (same length)."""
    if text.isascii():  # of the table's characters only the backquote is ASCII
        return text.replace("`", "'")
    return text.translate(_QUOTES)


def _fold(text: str) -> str:
    if not text.isascii():  # NFKC leaves ASCII as it is
        text = unicodedata.normalize("NFKC", text)
    return _quotes(text).lower()


def tokens(text: str) -> list[str]:
    """Return the normalised word tokens of ``text``.

    Letters are lower-cased, quotes unified, punctuation dropped (but kept inside
    a word, as in ``3.4.2025`` or ``didn't``).

    Examples
    --------
    >>> tokens("Mum said: \u201cAva\u2019s fine.\u201d")
    ['mum', 'said', "ava's", 'fine']
    """
    return _WORD.findall(_fold(text))


def word_spans(text: str) -> list[tuple[int, int, str]]:
    """Return ``(start, end, token)`` for every word of ``text`` (offsets into ``text``).

    NFKC folding can change string length, so the match runs on a same-length
    lower-cased copy with quotes unified character by character.
    """
    folded = _quotes(text).lower()
    if len(folded) != len(text):  # pragma: no cover - translate keeps length
        folded = text
    return [(m.start(), m.end(), m.group()) for m in _WORD.finditer(folded)]


def normalise(text: str) -> str:
    """Return ``text`` as space-joined normalised tokens.

    Examples
    --------
    >>> normalise("  The  child's   SCHOOL -- 'Oak Hill'.  ")
    "the child's school oak hill"
    """
    return " ".join(tokens(text))


def norm_hash(text: str) -> str:
    """Return a short stable hash of the normalised form of ``text``."""
    return hashlib.blake2b(normalise(text).encode("utf-8"), digest_size=12).hexdigest()


def normalised_hash(norm: str) -> str:
    """Return :func:`norm_hash` of ``norm``, a text that :func:`normalise` already gave.

    Normalising is idempotent on ASCII text (tokens are lower case, contain no
    backquote and re-split at the same spaces), so an ASCII ``norm`` is hashed
    as it is; any other text is normalised again first.

    Examples
    --------
    >>> norm = normalise("Mum said: 'Ava is fine.'")
    >>> normalised_hash(norm) == norm_hash("Mum said: 'Ava is fine.'")
    True
    """
    if norm.isascii():
        return hashlib.blake2b(norm.encode("utf-8"), digest_size=12).hexdigest()
    return norm_hash(norm)


_OPENERS = frozenset(".!?:;\n\"'(-\u2022")


def opens_sentence(text: str, i: int) -> bool:
    """Whether the word at ``text[i]`` opens a sentence, clause or item.

    True when only white space comes before it, or the last other character
    before it ends a sentence or clause or opens a quote, bracket, dash or
    bullet: there a capital letter says nothing about a name. Scans back
    from ``i`` without copying the text before it.

    Examples
    --------
    >>> opens_sentence("Ava said. Mum agreed.", 10), opens_sentence("Ava told Mum.", 9)
    (True, False)
    """
    i -= 1
    while i >= 0 and text[i].isspace():
        i -= 1
    return i < 0 or text[i] in _OPENERS


def word_count(text: str) -> int:
    """Return the number of words in ``text`` (as counted everywhere in dupscan).

    Examples
    --------
    >>> word_count("Ava (7) attends Oak Hill Primary.")
    6
    """
    return len(_WORD.findall(_quotes(text)))


def content_words(toks: list[str]) -> list[str]:
    """Return the tokens of ``toks`` that are not stop words."""
    return [t for t in toks if t not in STOPWORDS]
