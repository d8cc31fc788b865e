"""Small text helpers shared by the segment modules: words, sentences, trimming."""

from __future__ import annotations

import re
from functools import lru_cache

__all__ = ["count_words", "has_sentence_punctuation", "norm_sentence", "sentence_spans", "trim"]

_WORD = re.compile(r"[^\W_]+(?:['\u2019][^\W_]+)*")
_ABBREV = re.compile(r"\b(?:Mr|Mrs|Ms|Mx|Dr|St|No|Nos|Prof|Rd|Ave|etc|e\.g|i\.e|approx|Ltd)\.$",
                     re.IGNORECASE)
_SENT_END = re.compile(r"[.!?][\"'\u201d\u2019)]*(?=\s|$)")
_PUNCT = re.compile(r"[^\w\s]")


@lru_cache(maxsize=4096)  # a field's text is counted for its kind and its words
def count_words(text: str) -> int:
    """Return the number of words in ``text`` (letters/digits with inner apostrophes)."""
    return len(_WORD.findall(text))


def trim(text: str, start: int, end: int) -> tuple[int, int]:
    """Move ``start``/``end`` inwards past whitespace in ``text[start:end]``."""
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


@lru_cache(maxsize=8192)  # lines, labels and values are asked about more than once
def has_sentence_punctuation(text: str) -> bool:
    """Whether ``text`` holds a full stop, ! or ? that ends a sentence (not "Dr.")."""
    for match in _SENT_END.finditer(text):
        before = text[max(0, match.start() - 6):match.start() + 1]
        if text[match.start()] == "." and _ABBREV.search(before):
            continue
        if text[match.start()] == "." and re.search(r"\b[A-Z]\.$", before):
            continue  # an initial ("J. Smith", "D.O.B.")
        return True
    return ";" in text


def sentence_spans(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Split ``text[start:end]`` into sentences and lines; return trimmed offsets.

    Lines always end a sentence; inside a line a sentence ends at ``.``, ``!``
    or ``?`` followed by white space (common abbreviations excepted).
    """
    spans: list[tuple[int, int]] = []
    pos = start
    while pos < end:
        newline = text.find("\n", pos, end)
        line_end = end if newline < 0 else newline
        seg = pos
        for match in _SENT_END.finditer(text, pos, line_end):
            if text[match.start()] == "." and _ABBREV.search(text[max(pos, match.start() - 6):match.start() + 1]):
                continue
            s, e = trim(text, seg, match.end())
            if s < e:
                spans.append((s, e))
            seg = match.end()
        s, e = trim(text, seg, line_end)
        if s < e:
            spans.append((s, e))
        pos = line_end + 1
    return spans


@lru_cache(maxsize=8192)
def norm_sentence(text: str) -> str:
    """Comparison key of a sentence: lower case, punctuation dropped, spaces folded."""
    text = text.replace("\u2019", "'").lower()
    return " ".join(_PUNCT.sub(" ", text).split())  # split() folds the same white space as \s
