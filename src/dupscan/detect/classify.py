"""The pair classifier: is a candidate pair a paraphrase re-entry?

A boosted tree ensemble (:class:`~dupscan.detect.forest.Forest`), or a
logistic regression, over features of the pair — embedding cosine, lexical
scores, soft word-alignment coverage in both directions, length ratio, a
field-type prior, and how many numbers, dates and names both texts state or
only one does — decides paraphrases. Its parameters and the decision
thresholds are plain JSON (``weights.json`` beside this module), written by
``benchmarks/calibrate_detect.py``.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

import numpy as np

from dupscan.detect.forest import Forest, sigmoid
from dupscan.detect.lexicon import MONTHS, NOT_NAMES, NUMBER_WORDS
from dupscan.detect.normalise import content_words, opens_sentence
from dupscan.detect.semantic import soft_alignment, word_matrix
from dupscan.errors import ConfigError

__all__ = ["COVERAGE_AT", "FEATURES", "PairModel", "feature_row", "feature_vector",
           "load_pair_model", "pair_features", "pair_vector", "stems"]

FEATURES = (
    "cosine", "ratio", "token_ratio", "token_set", "containment",
    "cover_min", "cover_max", "length_ratio", "same_field", "log_words",
    "idf_cover_min", "idf_cover_max", "margin",
    "facts_shared", "facts_only", "names_shared", "names_only",
)

#: positions in :data:`FEATURES` of the soft-coverage features (see :func:`feature_row`)
COVERAGE_AT = tuple(FEATURES.index(name) for name in
                    ("cover_min", "cover_max", "idf_cover_min", "idf_cover_max"))


def stems(toks: Sequence[str]) -> list[str]:
    """Crude stems of the content words of ``toks`` (a 5-letter prefix).

    Examples
    --------
    >>> stems(["she", "visited", "the", "visiting", "nurse"])
    ['visit', 'visit', 'nurse']
    """
    return [t[:5] for t in content_words(list(toks))]


@dataclass(slots=True)
class _Profile:
    """The content words of one unit, ready for soft alignment against many others."""

    words: list[str]
    weights: list[float]
    total: float
    inv: list[int]  # index of each word in ``uniq``
    uniq: tuple[str, ...]
    prefixes: frozenset[str]
    facts: tuple[frozenset[str], frozenset[str]]  # see :func:`_fact_sets`
    # word vectors of ``uniq``, None when one is all zero; made on first use by
    # :func:`_vectors` (a case's batch of pairs reads one matrix of all its words instead)
    matrix: np.ndarray | None = None
    vectors_made: bool = False


def _profile(unit: Any, idf: Mapping[str, float]) -> _Profile:
    """The word profile of ``unit`` (kept on the unit for the case's ``idf``)."""
    cached = getattr(unit, "profile", None)
    if cached is not None and cached[0] is idf:
        return cached[1]
    words = content_words(unit.toks)
    weights = [idf.get(w[:5], 1.0) for w in words]
    uniq = tuple(sorted(set(words)))
    where = {w: i for i, w in enumerate(uniq)}
    prof = _Profile(words, weights, sum(weights), [where[w] for w in words], uniq,
                    frozenset([w[:5] for w in words]), _fact_sets(unit))
    if hasattr(unit, "profile"):
        unit.profile = (idf, prof)
    return prof


def _vectors(p: _Profile) -> np.ndarray | None:
    """The word vectors of ``p.uniq`` (None when there are none or one is all zero)."""
    if not p.vectors_made:
        matrix = word_matrix(p.uniq) if p.uniq else None
        if matrix is not None and not np.all(np.any(matrix != 0, axis=1)):
            matrix = None
        p.matrix, p.vectors_made = matrix, True
    return p.matrix


def _idf_share(p: _Profile, hits: list[bool]) -> float:
    """IDF-weighted share of the words of ``p`` flagged in ``hits`` (one flag per word)."""
    if not p.total:
        return 0.0
    return sum(w for w, hit in zip(p.weights, hits) if hit) / p.total


#: word-embedding cosine from which a word covers another in the soft alignment
WORD_NEAR = 0.6


def _coverage(ps: _Profile, pt: _Profile, threshold: float = WORD_NEAR
              ) -> tuple[float, float, float, float]:
    """Soft word alignment of two profiles: the share of each side's words the other
    covers, plain and idf-weighted (``cover_t, cover_s, idf_t, idf_s``).

    From the profiles' cached word matrices: a word the other side holds has
    cosine 1 with itself, so with no all-zero vector the similarity test alone
    decides coverage, as it does in :func:`soft_alignment`. A word also counts
    as covered for the idf share when the other side has a word of the same
    5-letter stem. Shares are summed over the words in text order, word by word.
    """
    ms = _vectors(ps) if ps.words else None
    mt = _vectors(pt) if pt.words else None
    if ms is None or mt is None:
        cover_t, cover_s, hits_t, hits_s = soft_alignment(ps.words, pt.words,
                                                          threshold=threshold)
        return cover_t, cover_s, _idf_share(pt, hits_t), _idf_share(ps, hits_s)
    sims = mt @ ms.T
    near_t = [v >= threshold for v in sims.max(axis=1).tolist()]
    near_s = [v >= threshold for v in sims.max(axis=0).tolist()]
    cover_t, idf_t = _shares(pt, near_t, ps.prefixes)
    cover_s, idf_s = _shares(ps, near_s, pt.prefixes)
    return cover_t, cover_s, idf_t, idf_s


def _shares(p: _Profile, near: list[bool], other_prefixes: frozenset[str]
            ) -> tuple[float, float]:
    """The share of ``p``'s words near a word of the other side (``near``: one flag per
    distinct word), and the idf-weighted share of those near or of a stem the other side
    has, summed over the words in text order (as :func:`_idf_share` sums)."""
    hit = [ok or w[:5] in other_prefixes for ok, w in zip(near, p.uniq)]
    return (sum([near[i] for i in p.inv]) / len(p.words),
            sum([w for w, i in zip(p.weights, p.inv) if hit[i]]) / p.total if p.total else 0.0)


_DIGITS = re.compile(r"(?<![\w.])\d+(?:[.,]\d+)?")
_CAPITALISED = re.compile(r"(?<![\w'\u2019])[A-Z][a-z]+(?:-[A-Z][a-z]+)?(?:['\u2019]s\b)?")


def _fact_sets(unit: Any) -> tuple[frozenset[str], frozenset[str]]:
    """The numbers and months of a unit (as one set) and its names.

    A percentage and the bare number count as the same fact (*55%*, *55 per
    cent of sessions*), and a number word as its digits (*five*, *5*). Names
    are capitalised words that are not common words or months, leaving out a
    sentence's first word unless it is possessive (*Ava's*). A lighter reading
    than the guard's :func:`~dupscan.detect.guard.facts`: these are classifier
    features, not vetoes.
    """
    text = unit.text
    values = {m.replace(",", "") for m in _DIGITS.findall(text)}
    toks = set(unit.toks)  # most units hold no number word or month: C-level tests first
    if not toks.isdisjoint(NUMBER_WORDS):
        values.update(str(NUMBER_WORDS[w]) for w in toks.intersection(NUMBER_WORDS))
    if not toks.isdisjoint(MONTHS):
        values.update(f"month{MONTHS[w]}" for w in toks.intersection(MONTHS))
    names = set()
    for m in _CAPITALISED.finditer(text):
        word = m.group()
        possessive = word.endswith("s") and word[-2:-1] in ("'", "\u2019")
        name = (word[:-2] if possessive else word).lower()
        if name in NOT_NAMES or name in MONTHS:
            continue
        if not possessive and opens_sentence(text, m.start()):
            continue
        names.add(name)
    return frozenset(values), frozenset(names)


def pair_features(s: Any, t: Any, lex: Any, cosine: float, same_field: float,
                  idf: Mapping[str, float], margin: float,
                  skip: Collection[str] = frozenset()) -> dict[str, float]:
    """The classifier features of a candidate pair of units ``s`` and ``t``.

    Every feature but ``margin`` is symmetric in ``s`` and ``t``. ``idf``
    weights words by how rare they are in the case, so sharing a specific word
    (*mould*, *cabinet*) counts more than sharing the child's name. The soft
    word alignment of both directions comes from one word-similarity matrix
    of the two units' cached word vectors. Features named in ``skip`` (those
    the model gives no weight, see :attr:`PairModel.unused`) are not computed
    and read 0.
    """
    return dict(zip(FEATURES, pair_vector(s, t, lex, cosine, same_field, idf, margin, skip)))


def pair_vector(s: Any, t: Any, lex: Any, cosine: float, same_field: float,
                idf: Mapping[str, float], margin: float,
                skip: Collection[str] = frozenset()) -> list[float]:
    """:func:`pair_features` as a list in :data:`FEATURES` order (what the model reads;
    detection scores a case's pairs this way without building a mapping per pair)."""
    ps, pt = _profile(s, idf), _profile(t, idf)
    return feature_row(s, t, lex, cosine, same_field, margin, skip, ps, pt,
                       _coverage(ps, pt))


def feature_row(s: Any, t: Any, lex: Any, cosine: float, same_field: float, margin: float,
                skip: Collection[str], ps: _Profile, pt: _Profile,
                coverage: tuple[float, float, float, float] = (0.0, 0.0, 0.0, 0.0)
                ) -> list[float]:
    """The features of one pair in :data:`FEATURES` order, from its profiles and
    ``coverage`` (``cover_t, cover_s, idf_t, idf_s`` of :func:`_coverage`). Left at
    zero, the coverage features (at :data:`COVERAGE_AT`) are for the caller to fill,
    as :func:`~dupscan.detect.pair_batch.pair_matrix` does for a whole case."""
    cover_t, cover_s, idf_t, idf_s = coverage
    short, long_ = (s.words, t.words) if s.words <= t.words else (t.words, s.words)
    return [float(cosine), float(lex.ratio), float(lex.token_ratio), float(lex.token_set),
            0.0 if "containment" in skip else float(lex.containment),
            float(min(cover_s, cover_t)), float(max(cover_s, cover_t)),
            short / long_ if long_ else 0.0, float(same_field), math.log1p(long_),
            0.0 if "idf_cover_min" in skip else float(min(idf_t, idf_s)),
            0.0 if "idf_cover_max" in skip else float(max(idf_t, idf_s)), float(margin),
            *_fact_agreement(ps, pt)]


def _fact_agreement(ps: _Profile, pt: _Profile) -> tuple[float, float, float, float]:
    """Facts both texts state, and facts only one states: numbers/dates, then names.

    A paraphrase keeps the facts while changing the words, so agreeing
    numbers and names are evidence of re-entry that word overlap misses.
    Counts are capped at 3.
    """
    (nums_s, names_s), (nums_t, names_t) = ps.facts, pt.facts
    return (float(min(3, len(nums_s & nums_t))), float(min(3, len(nums_s ^ nums_t))),
            float(min(3, len(names_s & names_t))), float(min(3, len(names_s ^ names_t))))


def feature_vector(values: Mapping[str, float]) -> list[float]:
    """Order a feature mapping as :data:`FEATURES`."""
    return [float(values[name]) for name in FEATURES]


@dataclass(frozen=True, slots=True)
class PairModel:
    """Pair-classifier parameters plus the decision thresholds.

    With ``forest`` set the tree ensemble gives the probability and the
    logistic-regression ``weights`` are unused (all zero).

    near_threshold : float
        Character ratio at or above which a pair is a near copy.
    paraphrase_threshold : float
        Probability at or above which a pair is a paraphrase.
    cosine_floor : float
        Cosine below which a pair is not even scored.
    context_threshold : float
        Probability at or above which a pair is a paraphrase when its target
        field already re-enters text from the same source field.
    gate_cosine, gate_token_set : float
        A pair below both (sentence cosine, token-set ratio) is not scored
        either (:meth:`worth_scoring`): a cheap first test, fitted so that it
        turns away almost no pair the model would put at the context threshold
        (0 for both: every pair at the cosine floor is scored).
    """

    weights: tuple[float, ...]
    bias: float
    mean: tuple[float, ...]
    scale: tuple[float, ...]
    near_threshold: float = 0.8
    paraphrase_threshold: float = 0.5
    cosine_floor: float = 0.5
    context_threshold: float = 0.5
    gate_cosine: float = 0.0
    gate_token_set: float = 0.0
    meta: Mapping[str, object] | None = None
    forest: Forest | None = None
    _unused: frozenset[str] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        # found once: finding the tested features walks every tree, and detection asks per case
        if self.forest is not None:
            used = self.forest.used
            unused = frozenset(f for i, f in enumerate(FEATURES) if i not in used)
        else:
            unused = frozenset(f for f, w in zip(FEATURES, self.weights) if w == 0.0)
        object.__setattr__(self, "_unused", unused)

    @property
    def unused(self) -> frozenset[str]:
        """Features whose weight is zero (or no tree tests): they cannot change a probability."""
        return self._unused

    def worth_scoring(self, cosine: float, token_set: float) -> bool:
        """Whether a pair with this sentence cosine and token-set ratio is scored at all.

        Most pairs at the cosine floor share too little meaning and too few words
        to reach even the context threshold (94% of those on the fit corpora), and
        their features (word profiles, word cover, facts) are most of the cost of
        scoring a case.
        """
        return cosine >= self.cosine_floor and (cosine >= self.gate_cosine
                                                or token_set >= self.gate_token_set)

    def probability(self, x: Sequence[float]) -> float:
        """Return P(paraphrase) for feature vector ``x``."""
        if self.forest is not None:
            return self.forest.probability(x)
        z = self.bias + sum(w * (v - m) / s for w, v, m, s in
                            zip(self.weights, x, self.mean, self.scale))
        return sigmoid(z)

    def probabilities(self, x: np.ndarray) -> list[float]:
        """P(paraphrase) of each row of ``x``, equal to :meth:`probability` of each row.

        A tree ensemble walks all rows at once, which is several times
        faster than row by row.
        """
        if self.forest is None:
            return [self.probability(row) for row in x.tolist()]
        return [sigmoid(z) for z in self.forest.log_odds(x).tolist()]

    def to_json(self) -> str:
        data = {"features": list(FEATURES), "weights": list(self.weights), "bias": self.bias,
                "mean": list(self.mean), "scale": list(self.scale),
                "near_threshold": self.near_threshold,
                "paraphrase_threshold": self.paraphrase_threshold,
                "cosine_floor": self.cosine_floor, "context_threshold": self.context_threshold,
                "gate": {"cosine": self.gate_cosine, "token_set": self.gate_token_set},
                "meta": dict(self.meta or {})}
        if self.forest is not None:
            data["forest"] = self.forest.to_dict()
        return json.dumps(data, sort_keys=True, separators=(",", ":")) + "\n"


def _from_dict(data: Mapping[str, Any], where: str) -> PairModel:
    try:
        if list(data["features"]) != list(FEATURES):
            raise ConfigError(f"{where}: features {data['features']} do not match {list(FEATURES)};"
                              " re-run benchmarks/calibrate_detect.py")
        gate: Any = data.get("gate") or {}
        return PairModel(
            weights=tuple(float(w) for w in data["weights"]),
            bias=float(data["bias"]),
            mean=tuple(float(v) for v in data["mean"]),
            scale=tuple(float(v) or 1.0 for v in data["scale"]),
            near_threshold=float(data["near_threshold"]),
            paraphrase_threshold=float(data["paraphrase_threshold"]),
            cosine_floor=float(data.get("cosine_floor", 0.5)),
            context_threshold=float(data.get("context_threshold",
                                             data["paraphrase_threshold"])),
            # weights written before the gate score every pair at the cosine floor
            gate_cosine=float(gate.get("cosine", 0.0)),
            gate_token_set=float(gate.get("token_set", 0.0)),
            meta=dict(data.get("meta") or {}),
            forest=(Forest.from_dict(data["forest"], len(FEATURES))
                    if data.get("forest") else None),
        )
    except (KeyError, TypeError, ValueError) as exc:
        raise ConfigError(f"{where}: not a pair-classifier weights file ({exc})") from exc


@lru_cache(maxsize=4)
def load_pair_model(path: str | None = None) -> PairModel:
    """Load the pair classifier from ``path`` or from the packaged ``weights.json``."""
    if path is None:
        text = (resources.files("dupscan.detect") / "weights.json").read_text(encoding="utf-8")
        where = "dupscan/detect/weights.json"
    else:
        try:
            text = Path(path).read_text(encoding="utf-8")
        except OSError as exc:
            raise ConfigError(f"{path}: cannot read pair-classifier weights ({exc.strerror})") from exc
        where = str(path)
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ConfigError(f"{where}: not valid JSON ({exc.msg})") from exc
    return _from_dict(data, where)
