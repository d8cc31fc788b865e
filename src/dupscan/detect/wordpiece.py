"""The static embedding model's token ids, worked out word by word and cached.

model2vec tokenizes each text with its Hugging Face tokenizer, about 30 µs a
sentence on one core: the largest single cost of embedding a case. That
tokenizer (BERT's) lower-cases a text, splits it at white space and at every
punctuation character, and cuts each word into word pieces on its own. For
printable ASCII text the first two steps are one regular expression, so a
text's ids are its words' ids joined, and each word is cut once per process.
Any other text, and text that could hold one of the tokenizer's added tokens
(``[PAD]``), goes to the tokenizer itself. :class:`CachedTokenizer` gives the
same ids as ``StaticModel.tokenize`` (a test compares them).
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from typing import Any

__all__ = ["CachedTokenizer", "cached_tokenizer"]

#: printable ASCII with tabs and line breaks: lower-casing and BERT's cleaning of
#: control characters change nothing else in it
_PLAIN = re.compile(r"[\t\n\r -~]*")
#: BERT's pre-tokenizer on such text: runs of letters and digits, and each other
#: printable character (all ASCII punctuation and symbols are punctuation to it)
_PIECES = re.compile(r"[a-z0-9]+|[!-/:-@\[-`{-~]")

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

    def __call__(self, sentences: Sequence[str]) -> list[list[int]]:
        truncation = self._tokenizer.truncation
        limit = truncation["max_length"] if truncation else None
        out: list[list[int] | None] = []
        other: list[int] = []
        for i, text in enumerate(sentences):
            if "[" in text or not _PLAIN.fullmatch(text):
                out.append(None)
                other.append(i)
                continue
            ids = self._ids(text.lower())
            if limit is not None and len(ids) > limit:
                del ids[limit:]
            if self._unk is not None:
                ids = [t for t in ids if t != self._unk]
            out.append(ids)
        if other:
            for i, ids in zip(other, self._model.__class__.tokenize(
                    self._model, [sentences[i] for i in other])):
                out[i] = ids
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
