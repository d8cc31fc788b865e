"""Label classifier: maps an unseen label wording to a canonical field type.

The model is a linear classifier over TF-IDF features of the normalised label
(character n-grams of 2-5 inside word boundaries, like scikit-learn's
``char_wb`` analyzer, plus word unigrams). It is trained by
``models/build_label_classifier.py`` and shipped as plain data — ``labels.npz``
(vocabulary, idf, coefficients, intercepts, classes) and ``labels.json``
(threshold and training facts) under ``dupscan/models/labels/`` — so prediction
here needs numpy only and no pickle is ever loaded.

A prediction whose softmax probability is below the calibrated threshold, or
whose best class is the reject class ``_none``, returns ``None``: the label is
left unmapped rather than guessed.
"""

from __future__ import annotations

import json
import math
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path

import numpy as np

from dupscan.errors import ConfigError
from dupscan.segment.ontology import normalise_label

__all__ = ["REJECT", "LabelClassifier", "Prediction", "analyze", "load_classifier"]

#: class name used for wordings that are not a field label at all
REJECT = "_none"
_MODEL_DIR = "models/labels"


def analyze(label: str) -> list[str]:
    """Return the features of a label: char_wb 2-5 grams and ``w:``-prefixed words.

    The same function is used to train (as scikit-learn's ``analyzer``) and to
    predict, so both sides always agree.

    Examples
    --------
    >>> feats = analyze("DOB")
    >>> " d" in feats and "w:dob" in feats
    True
    """
    text = normalise_label(label)
    grams: list[str] = []
    for word in text.split():
        padded = f" {word} "
        size = len(padded)
        for n in range(2, 6):
            if n > size:
                break
            grams.extend(padded[i:i + n] for i in range(size - n + 1))
        grams.append(f"w:{word}")
    return grams


@dataclass(frozen=True, slots=True)
class Prediction:
    """A classifier answer: the field type (None when abstaining) and its probability."""

    canonical: str | None
    confidence: float
    best: str


class LabelClassifier:
    """A linear TF-IDF label classifier evaluated with numpy.

    Parameters
    ----------
    vocabulary : sequence of str
        Feature strings, in column order.
    idf : ndarray of shape (n_features,)
    coef : ndarray of shape (n_classes, n_features)
    intercept : ndarray of shape (n_classes,)
    classes : sequence of str
        Field type ids, plus :data:`REJECT`.
    threshold : float, default=0.5
        Lowest probability accepted; below it :meth:`predict` abstains.
    """

    def __init__(self, vocabulary, idf, coef, intercept, classes, *, threshold: float = 0.5):
        self.vocabulary = {str(term): i for i, term in enumerate(vocabulary)}
        self.idf = np.asarray(idf, dtype=np.float64)
        self.coef = np.asarray(coef, dtype=np.float64)
        self.intercept = np.asarray(intercept, dtype=np.float64)
        self.classes = [str(c) for c in classes]
        self.threshold = float(threshold)
        if self.coef.shape != (len(self.classes), len(self.vocabulary)):
            raise ConfigError(f"label classifier: coef has shape {self.coef.shape}, expected "
                              f"({len(self.classes)}, {len(self.vocabulary)}); rebuild it with "
                              "models/build_label_classifier.py")
        self._coef_t = np.ascontiguousarray(self.coef.T)

    def _vector(self, label: str) -> tuple[np.ndarray, np.ndarray]:
        counts = Counter(self.vocabulary[f] for f in analyze(label) if f in self.vocabulary)
        if not counts:
            return np.empty(0, dtype=np.intp), np.empty(0)
        idx = np.fromiter(counts.keys(), dtype=np.intp, count=len(counts))
        tf = np.fromiter((1.0 + math.log(c) for c in counts.values()), dtype=np.float64,
                         count=len(counts))
        values = tf * self.idf[idx]
        norm = float(np.sqrt(values @ values))
        return idx, values / norm if norm else values

    def probabilities(self, label: str) -> np.ndarray:
        """Return the softmax probability of every class for ``label``."""
        idx, values = self._vector(label)
        logits = self.intercept + values @ self._coef_t[idx] if idx.size else self.intercept.copy()
        logits = logits - logits.max()
        exp = np.exp(logits)
        return exp / exp.sum()

    def predict(self, label: str) -> Prediction:
        """Return the field type of ``label``, or an abstention.

        Examples
        --------
        >>> clf = load_classifier()
        >>> clf.predict("Young persons date of birth").canonical
        'dob'
        >>> clf.predict("Lorem zzz").canonical is None
        True
        """
        probs = self.probabilities(label)
        best = int(np.argmax(probs))
        name, confidence = self.classes[best], float(probs[best])
        accepted = name != REJECT and confidence >= self.threshold
        return Prediction(name if accepted else None, confidence, name)

    def save(self, directory: str | Path, info: dict | None = None) -> None:
        """Write ``labels.npz`` and ``labels.json`` into ``directory`` (build time only)."""
        from dupscan._io import atomic_write_bytes, atomic_write_text
        import io

        target = Path(directory)
        vocab = sorted(self.vocabulary, key=self.vocabulary.__getitem__)
        buffer = io.BytesIO()
        np.savez_compressed(buffer, vocabulary=np.array(vocab, dtype=str),
                            idf=self.idf.astype(np.float32), coef=self.coef.astype(np.float32),
                            intercept=self.intercept.astype(np.float32),
                            classes=np.array(self.classes, dtype=str))
        atomic_write_bytes(target / "labels.npz", buffer.getvalue())
        meta = {"format": "dupscan.label_classifier/1", "threshold": self.threshold,
                **(info or {})}
        atomic_write_text(target / "labels.json", json.dumps(meta, indent=2, sort_keys=True) + "\n")


def _read(directory: str | None) -> LabelClassifier:
    if directory is None:
        base = resources.files("dupscan").joinpath(_MODEL_DIR)
        npz_file, json_file = base.joinpath("labels.npz"), base.joinpath("labels.json")
    else:
        npz_file, json_file = Path(directory) / "labels.npz", Path(directory) / "labels.json"
    try:
        meta = json.loads(json_file.read_text("utf-8"))
        with npz_file.open("rb") as handle, np.load(handle, allow_pickle=False) as data:
            arrays = {key: data[key] for key in data.files}
    except (OSError, ValueError, KeyError) as exc:
        raise ConfigError(f"cannot load the label classifier from {npz_file}: {exc}; rebuild it "
                          "with: python models/build_label_classifier.py") from exc
    return LabelClassifier(arrays["vocabulary"].tolist(), arrays["idf"], arrays["coef"],
                           arrays["intercept"], arrays["classes"].tolist(),
                           threshold=float(meta["threshold"]))


@lru_cache(maxsize=2)
def _cached(directory: str | None) -> LabelClassifier:
    return _read(directory)


def load_classifier(directory: str | Path | None = None) -> LabelClassifier:
    """Load the shipped label classifier (or one from ``directory``); cached.

    Raises
    ------
    ConfigError
        When the model files are missing or malformed.
    """
    return _cached(None if directory is None else str(directory))
