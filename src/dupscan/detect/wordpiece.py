"""The static embedding model's token ids, worked out word by word and cached.

model2vec tokenizes each text with its Hugging Face tokenizer, about 30 µs a
sentence on one core: the largest single cost of embedding a case. That
tokenizer (BERT's) cleans and lower-cases a text, strips accents, splits it at
white space and at every punctuation character, and cuts each word into word
pieces on its own. For printable ASCII text, and for text that adds only the
typographic punctuation, spaces, symbols and accented Latin letters that
record text is full of (curly quotes, dashes, ``£``, ``é``), the first steps are
one character table and one regular expression, so a text's ids are its
words' ids joined, and each word is cut once per process. Any other text, and
text that could hold one of the tokenizer's added tokens (``[PAD]``), goes to
the tokenizer itself. :class:`CachedTokenizer` gives the same ids as
``StaticModel.tokenize`` (tests compare them on generated text).
"""

from __future__ import annotations

import json
import re
import threading
import unicodedata
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any

__all__ = ["CachedTokenizer", "cached_tokenizer"]

#: non-ASCII characters whose handling by BERT's normaliser and pre-tokenizer is
#: written out below: punctuation (Unicode category P*: its own token), white
#: space (category Zs: a separator), symbols and letters (part of a word; letters
#: lose their accents and are lower-cased)
_PUNCTUATION = (
    "\u2018\u2019\u201a\u201b\u201c\u201d\u201e\u201f"  # single and double quotes
    "\u2039\u203a\u00ab\u00bb"  # guillemets
    "\u2010\u2011\u2012\u2013\u2014\u2015"  # hyphens and dashes
    # ellipsis, bullets, inverted marks, section and paragraph signs, daggers, primes
    "\u2026\u2022\u00b7\u00a1\u00bf\u00a7\u00b6\u2020\u2021\u2032\u2033")
_SPACES = "\u00a0\u2002\u2003\u2007\u2008\u2009\u200a\u202f"
_SYMBOLS = ("\u00a3\u20ac\u00a5\u00a2"  # currency
            "\u00b0\u00bd\u00bc\u00be\u00d7\u00f7\u00a9\u00ae\u2122\u00b1\u00b9\u00b2\u00b3\u00b5")
_LETTERS = "".join(chr(c) for c in range(0xC0, 0x17F) if chr(c).isalpha())


def _stripped(letter: str) -> str:
    """BERT's accent stripping (NFD, combining marks dropped) then lower-casing."""
    return "".join(c for c in unicodedata.normalize("NFD", letter)
                   if unicodedata.category(c) != "Mn").lower()


_TABLE = str.maketrans({**{c: f" {c} " for c in _PUNCTUATION}, **dict.fromkeys(_SPACES, " "),
                        **{c: _stripped(c) for c in _LETTERS}})
#: text the table covers: printable ASCII with tabs and line breaks, and the above
_COVERED = re.compile("[\t\n\r -~" + re.escape(_PUNCTUATION + _SPACES + _SYMBOLS + _LETTERS)
                      + "]*")
#: BERT's pre-tokenizer on such text once lower-cased and translated: runs of word
#: characters, and each ASCII punctuation character or symbol (all are punctuation
#: to it); the table has set other punctuation apart with spaces
_PIECES = re.compile(r"[^\s!-/:-@\[-`{-~]+|[!-/:-@\[-`{-~]")

_LIMIT = 200_000  # words cached per process; the cache starts again when full


class CachedTokenizer:
    """``StaticModel.tokenize`` with a per-word cache (see the module docstring).

    Parameters
    ----------
    model : StaticModel
        A model2vec model whose tokenizer is BERT's (normaliser, pre-tokenizer
        and WordPiece); see :func:`cached_tokenizer`.
    """

    def __init__(self, model: Any) -> None:
        self._model = model
        self._tokenizer = model.tokenizer
        self._pieces = model.tokenizer.model
        self._unk = model.unk_token_id
        self._words: dict[str, list[int]] = {}
        self._local = threading.local()  # what :meth:`recording` keeps, per thread

    @contextmanager
    def recording(self) -> Iterator[dict[str, list[int]]]:
        """Keep, while the block runs in this thread, every text tokenized and its ids
        (``text -> ids``, the texts as the model passed them: cut to its length limit)."""
        seen: dict[str, list[int]] = {}
        self._local.seen = seen
        try:
            yield seen
        finally:
            self._local.seen = None

    def __call__(self, sentences: Sequence[str]) -> list[list[int]]:
        truncation = self._tokenizer.truncation
        limit = truncation["max_length"] if truncation else None
        out: list[list[int] | None] = []
        other: list[int] = []
        for i, text in enumerate(sentences):
            if "[" in text or not _COVERED.fullmatch(text):
                out.append(None)
                other.append(i)
                continue
            ids = self._ids((text if text.isascii() else text.translate(_TABLE)).lower())
            if limit is not None and len(ids) > limit:
                del ids[limit:]
            if self._unk is not None:
                ids = [t for t in ids if t != self._unk]
            out.append(ids)
        if other:
            for i, ids in zip(other, self._model.__class__.tokenize(
                    self._model, [sentences[i] for i in other])):
                out[i] = ids
        seen = getattr(self._local, "seen", None)
        if seen is not None:
            seen.update(zip(sentences, out))
        return out  # type: ignore[return-value]

    def _ids(self, text: str) -> list[int]:
        words = self._words
        if len(words) > _LIMIT:
            words.clear()
        ids: list[int] = []
        for word in _PIECES.findall(text):
            known = words.get(word)
            if known is None:
                known = words[word] = [t.id for t in self._pieces.tokenize(word)]
            ids += known
        return ids


def cached_tokenizer(model: Any) -> CachedTokenizer | None:
    """A :class:`CachedTokenizer` for ``model``, or None when its tokenizer is not the
    lower-casing BERT WordPiece one the shortcut reproduces."""
    try:
        spec = json.loads(model.tokenizer.to_str())
    except (AttributeError, TypeError, ValueError):
        return None
    norm, pre, pieces = spec.get("normalizer") or {}, spec.get("pre_tokenizer") or {}, \
        spec.get("model") or {}
    bert = (norm.get("type") == "BertNormalizer" and norm.get("lowercase") is True
            and norm.get("clean_text") is True and norm.get("strip_accents") in (None, True)
            and pre.get("type") == "BertPreTokenizer" and pieces.get("type") == "WordPiece")
    added_plain = all("[" in t["content"] for t in spec.get("added_tokens") or ())
    return CachedTokenizer(model) if bert and added_plain else None
