"""A boosted tree ensemble as plain arrays, evaluated with numpy.

The pair classifier may be a gradient-boosted ensemble of small regression
trees (fitted by ``benchmarks/calibrate_detect.py``). Each tree is stored
*complete* to a fixed depth — a leaf above the last level is padded with
splits that always go left — so every tree is three flat arrays and all trees
are walked at once, one level per step, with no Python loop over nodes.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np

__all__ = ["Forest", "sigmoid"]

#: rows walked down the trees at once (a case's few hundred candidate pairs in one go)
_ROWS_PER_BLOCK = 8192

ALWAYS_LEFT = 1e30  # threshold of a padding split: every finite value goes left


def sigmoid(z: float) -> float:
    """The logistic function, with ``z`` clipped to [-50, 50]."""
    return 1.0 / (1.0 + math.exp(-max(-50.0, min(50.0, z))))


@dataclass(frozen=True, slots=True)
class Forest:
    """Complete binary regression trees summed into a log-odds.

    Attributes
    ----------
    depth : int
        Levels of splits in every tree.
    base : float
        Log-odds before any tree.
    feature : ndarray of shape (trees, 2**depth - 1)
        Feature index tested at each split node (breadth-first order).
    threshold : ndarray of shape (trees, 2**depth - 1)
        A value ``<=`` the threshold goes left (child ``2i + 1``), else right (``2i + 2``).
    leaf : ndarray of shape (trees, 2**depth)
        Contribution of each leaf to the log-odds (learning rate included).
    """

    depth: int
    base: float
    feature: np.ndarray
    threshold: np.ndarray
    leaf: np.ndarray
    _flat: tuple[np.ndarray, ...] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        # raveled arrays and each tree's first split and first leaf, for one-row walks
        trees = np.arange(len(self.feature), dtype=np.int64)
        object.__setattr__(self, "_flat", (
            self.feature.ravel(), self.threshold.ravel(), self.leaf.ravel(),
            trees * (2 ** self.depth - 1), trees * 2 ** self.depth - (2 ** self.depth - 1)))

    @classmethod
    def from_dict(cls, data: Mapping[str, object], n_features: int) -> Forest:
        """Build from the ``forest`` entry of a weights file (validated)."""
        depth = int(data["depth"])  # type: ignore[call-overload]
        feature = np.asarray(data["feature"], dtype=np.int64)
        threshold = np.asarray(data["threshold"], dtype=np.float64)
        leaf = np.asarray(data["leaf"], dtype=np.float64)
        inner, leaves = 2 ** depth - 1, 2 ** depth
        trees = len(feature)
        if not 1 <= depth <= 8 or feature.shape != (trees, inner) \
                or threshold.shape != (trees, inner) or leaf.shape != (trees, leaves):
            raise ValueError(f"forest arrays do not match depth {depth}")
        if trees and (feature.min() < 0 or feature.max() >= n_features):
            raise ValueError(f"forest feature index outside 0..{n_features - 1}")
        return cls(depth, float(data["base"]), feature,  # type: ignore[arg-type]
                   threshold, leaf)

    def to_dict(self) -> dict[str, object]:
        """The JSON-ready form (thresholds and leaves rounded to 7 significant digits)."""
        return {"depth": self.depth, "base": round(self.base, 7),
                "feature": self.feature.tolist(),
                "threshold": [[float(f"{v:.7g}") for v in row] for row in self.threshold],
                "leaf": [[float(f"{v:.7g}") for v in row] for row in self.leaf]}

    @property
    def used(self) -> frozenset[int]:
        """Indexes of the features some real (non-padding) split tests."""
        return frozenset(int(f) for f in self.feature[self.threshold < ALWAYS_LEFT].tolist())

    def log_odds(self, x: np.ndarray) -> np.ndarray:
        """Log-odds of each row of ``x`` (shape ``(n, features)``).

        All rows and trees step down one level at a time. Nodes, features and
        values are read with ``take`` on flat arrays: about twice as fast as
        two-dimensional fancy indexing for a case's few hundred rows.
        """
        x = np.ascontiguousarray(x, dtype=np.float64)
        if len(x) > _ROWS_PER_BLOCK:
            # a row's walk uses some 8 bytes a tree several times over: the pairs of a
            # case of thousands of forms go a block at a time (each row alone either way)
            return np.concatenate([self.log_odds(x[lo:lo + _ROWS_PER_BLOCK])
                                   for lo in range(0, len(x), _ROWS_PER_BLOCK)])
        n, width = x.shape
        feature, threshold, leaf, offsets, leaf_offsets = self._flat
        values = x.ravel()
        row_starts = (np.arange(n, dtype=np.int64) * width)[:, None]
        node = np.zeros((n, len(offsets)), dtype=np.int64)  # within each tree
        for _ in range(self.depth):
            at = offsets + node
            right = values.take(row_starts + feature.take(at)) > threshold.take(at)
            node = 2 * node + 1 + right
        return self.base + leaf.take(leaf_offsets + node).sum(axis=1)

    def probability(self, x: Sequence[float]) -> float:
        """Probability of one feature vector ``x``.

        Every split of every tree is tested in one vector operation; the walk
        then only reads the outcome at each level.
        """
        feature, threshold, leaf, offsets, leaf_offsets = self._flat
        right = (np.asarray(x, dtype=np.float64)[feature] > threshold).view(np.int8)
        node = np.zeros(len(offsets), dtype=np.int64)
        for _ in range(self.depth):
            node = 2 * node + 1 + right[offsets + node]
        return sigmoid(self.base + float(leaf[leaf_offsets + node].sum()))
