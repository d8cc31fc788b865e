"""The gate's selection rule (benchmarks/calibrate_gate.py) on pairs drawn for the test."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import numpy as np
import pytest

from dupscan.detect.classify import load_pair_model


@pytest.fixture
def gate(repo_script):
    return repo_script("benchmarks/calibrate_gate.py")


def _pairs(seed: int = 3, n: int = 4000) -> np.ndarray:
    rng = np.random.default_rng(seed)
    cosine = rng.uniform(0.5, 1.0, n)
    token_set = rng.uniform(0.2, 1.0, n)
    # scores rise with either: the rule must find where they stay low on both
    prob = np.clip(2.2 * (cosine - 0.62) + 1.6 * (token_set - 0.5) + rng.normal(0, 0.05, n), 0, 1)
    # and a few confident pairs low on both, fewer than the context pairs it may turn away
    odd = np.array([[0.6, 0.4, 0.95]] * 3)
    return np.vstack([np.column_stack([cosine, token_set, prob]), odd])


def test_the_gate_keeps_every_confident_pair_and_nearly_every_context_pair(gate):
    model = load_pair_model()
    pairs = _pairs()
    c, t, stats = gate.choose_gate(pairs, model)
    cosine, token_set, prob = pairs.T
    kept = (cosine >= c) | (token_set >= t)
    context = prob >= model.context_threshold
    assert kept[prob >= model.paraphrase_threshold].all()
    assert (context & ~kept).sum() <= gate.MAX_LOST * context.sum()
    assert stats["kept"] == round(kept.mean(), 4) < 0.9  # it does turn pairs away
    # no grid point that keeps the same pairs turns away fewer
    for c2 in gate.COSINES:
        for t2 in gate.TOKEN_SETS:
            other = (cosine >= c2) | (token_set >= t2)
            if other.mean() < kept.mean() - 1e-12:
                assert (other[prob >= model.paraphrase_threshold] == 0).any() or \
                    (context & ~other).sum() > gate.MAX_LOST * context.sum()


def test_no_gate_when_no_grid_point_keeps_the_confident_pairs(gate):
    model = dataclasses.replace(load_pair_model(), paraphrase_threshold=0.0)  # every pair
    # a confident pair under every grid point (a model whose cosine floor is below 0.5)
    pairs = np.array([[0.45, 0.25, 0.9], [0.96, 0.96, 0.9]])
    c, t, stats = gate.choose_gate(pairs, model)
    assert (c, t) == (0.0, 0.0) and stats["kept"] == 1.0


def test_the_pairs_it_fits_on_are_the_pairs_detection_scores(gate, monkeypatch):
    # the script rebuilds detection's scoring from engine internals: a change there must
    # show here, or the gate would be fitted on other pairs than those it turns away
    from dupscan.detect import engine

    root = Path(__file__).resolve().parents[2] / "corpora" / "synthetic"
    model = load_pair_model()
    pairs = gate.scored_pairs(root, model)
    assert len(pairs) > 100
    assert all(c >= model.cosine_floor and 0.0 <= p <= 1.0 for c, _, p in pairs)
    scored = []
    real = engine._probabilities

    def counting(prep, open_, model, unused):
        out = real(prep, open_, model, unused)
        scored.extend(p for probs in out for p in probs)
        return out

    monkeypatch.setattr(engine, "_probabilities", counting)
    for forms in gate.forms_from_fields(root).values():
        engine.detect(forms)
    kept = [p for c, t, p in pairs if model.worth_scoring(c, t)]
    assert sorted(scored) == sorted(kept)  # the gated pairs, with the same probabilities
