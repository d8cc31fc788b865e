"""Word-level highlighting of the text a target shares with its source.

The two texts are split into words and the spaces between them; words are
compared after folding case and trimming punctuation, and the longest matching
runs (:class:`difflib.SequenceMatcher`) are marked on both sides. The result is
a list of ``(text, copied)`` segments whose texts concatenate back to the input,
so a template can escape each one and wrap copied runs in ``<mark>``.

>>> src, tgt = word_diff("Mum said Ava was late.", "Ms Smith said Ava was late!")
>>> [t for t, copied in tgt if copied]
['said Ava was late!']
"""

from __future__ import annotations

import re
from difflib import SequenceMatcher

__all__ = ["Segment", "word_diff"]

Segment = tuple[str, bool]
_TOKEN = re.compile(r"\S+|\s+")
_STRIP = re.compile(r"^\W+|\W+$")


def _words(text: str) -> tuple[list[str], list[str]]:
    tokens = _TOKEN.findall(text)
    keys = [_STRIP.sub("", t).lower() or t for t in tokens if not t.isspace()]
    return tokens, keys


def _segments(tokens: list[str], copied_words: set[int]) -> list[Segment]:
    out: list[Segment] = []
    index = -1
    for pos, token in enumerate(tokens):
        if token.isspace():
            # a space is copied when the words on both sides of it are
            prev_copied = index in copied_words
            next_copied = (index + 1) in copied_words and pos + 1 < len(tokens)
            flag = prev_copied and next_copied
        else:
            index += 1
            flag = index in copied_words
        if out and out[-1][1] == flag:
            out[-1] = (out[-1][0] + token, flag)
        else:
            out.append((token, flag))
    return out


def word_diff(source: str, target: str, *, min_run: int = 2) -> tuple[list[Segment], list[Segment]]:
    """Segments of ``source`` and ``target`` with the shared word runs flagged.

    Parameters
    ----------
    source, target : str
    min_run : int, default=2
        Shortest run of matching words that is marked (single common words such
        as "the" are not).
    """
    s_tokens, s_keys = _words(source)
    t_tokens, t_keys = _words(target)
    matcher = SequenceMatcher(None, s_keys, t_keys, autojunk=False)
    s_copied: set[int] = set()
    t_copied: set[int] = set()
    for block in matcher.get_matching_blocks():
        if block.size >= min_run:
            s_copied.update(range(block.a, block.a + block.size))
            t_copied.update(range(block.b, block.b + block.size))
    return _segments(s_tokens, s_copied), _segments(t_tokens, t_copied)
