"""The boosted-tree pair classifier: array walk, JSON round trip, fact features."""

from __future__ import annotations

import dataclasses
import json
import random

import numpy as np
import pytest

from dupscan.config import ScanOptions
from dupscan.detect import compare
from dupscan.detect.classify import FEATURES, PairModel, _fact_agreement, _profile, load_pair_model
from dupscan.detect.forest import ALWAYS_LEFT, Forest
from dupscan.detect.normalise import tokens
from dupscan.errors import ConfigError


def _stump_forest() -> Forest:
    """Two depth-2 trees: tree 0 splits on feature 0 then 1; tree 1 is one padded leaf."""
    feature = np.array([[0, 1, 1], [0, 0, 0]])
    threshold = np.array([[0.5, 0.2, ALWAYS_LEFT], [ALWAYS_LEFT] * 3])
    leaf = np.array([[-1.0, 1.0, 2.0, 2.0], [0.25, 0.25, 0.25, 0.25]])
    return Forest(2, 0.1, feature, threshold, leaf)


def test_walk_follows_the_splits_and_padding_goes_left():
    forest = _stump_forest()
    x = np.array([[0.1, 0.1], [0.1, 0.9], [0.9, 0.0], [0.5, 0.2]])
    # <= goes left: [0.5, 0.2] takes the left branch twice
    assert forest.log_odds(x).tolist() == pytest.approx([-0.65, 1.35, 2.35, -0.65])
    for row, z in zip(x, forest.log_odds(x)):
        assert forest.probability(list(row)) == pytest.approx(1 / (1 + np.exp(-z)))
    assert forest.used == {0, 1}


def _walk_one_tree_at_a_time(forest: Forest, row: np.ndarray) -> float:
    total = forest.base
    for tree in range(len(forest.feature)):
        node = 0
        for _ in range(forest.depth):
            right = row[forest.feature[tree, node]] > forest.threshold[tree, node]
            node = 2 * node + 1 + int(right)
        total += forest.leaf[tree, node - (2 ** forest.depth - 1)]
    return total


def test_batch_walk_equals_walking_each_tree_of_the_packaged_model():
    forest = load_pair_model().forest
    if forest is None:
        pytest.skip("packaged model is a logistic regression")
    rng = np.random.default_rng(3)
    x = rng.uniform(-0.5, 3.5, size=(64, len(FEATURES)))
    x[rng.random(x.shape) < 0.2] = 0.0
    batch = forest.log_odds(x)
    for row, z in zip(x, batch):
        assert z == pytest.approx(_walk_one_tree_at_a_time(forest, row), abs=1e-9)
    assert forest.log_odds(x[:1])[0] == batch[0]  # a row's log-odds do not depend on the others


def test_forest_rejects_arrays_of_the_wrong_shape():
    data = _stump_forest().to_dict()
    data["leaf"] = [[0.0, 0.0, 0.0]] * 2
    with pytest.raises(ValueError, match="depth 2"):
        Forest.from_dict(data, 2)
    data = _stump_forest().to_dict()
    data["feature"] = [[0, 5, 1], [0, 0, 0]]
    with pytest.raises(ValueError, match="feature index"):
        Forest.from_dict(data, 2)


def test_packaged_model_round_trips_through_json(tmp_path):
    model = load_pair_model()
    path = tmp_path / "weights.json"
    path.write_text(model.to_json())
    again = load_pair_model(str(path))
    rng = random.Random(5)
    for _ in range(50):
        x = [rng.uniform(-0.5, 3.5) for _ in FEATURES]
        assert again.probability(x) == pytest.approx(model.probability(x), abs=1e-6)


def test_a_bad_forest_is_a_config_error_naming_the_file(tmp_path):
    data = json.loads(load_pair_model().to_json())
    if "forest" not in data:
        pytest.skip("packaged model is a logistic regression")
    data["forest"]["threshold"] = data["forest"]["threshold"][:-1]
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(data))
    with pytest.raises(ConfigError, match="bad.json"):
        load_pair_model(str(path))


def test_packaged_model_is_monotone_in_agreeing_facts():
    model = load_pair_model()
    rng = random.Random(11)
    up = FEATURES.index("facts_shared")
    down = FEATURES.index("facts_only")
    for _ in range(100):
        x = [rng.random() for _ in FEATURES]
        more = list(x)
        more[up] += 2.0
        fewer_conflicts = list(x)
        x[down] += 2.0
        assert model.probability(more) >= model.probability(x)
        assert model.probability(fewer_conflicts) >= model.probability(x)


class _Unit:
    def __init__(self, text: str) -> None:
        self.text, self.toks, self.words, self.profile = text, tokens(text), len(text.split()), None


def _agree(a: str, b: str) -> tuple[float, float, float, float]:
    return _fact_agreement(_profile(_Unit(a), {}), _profile(_Unit(b), {}))


def test_fact_agreement_counts_numbers_dates_and_names():
    # 55% and "55% of sessions", "two" and "two": shared; the child's name only on one side
    assert _agree("Kacper's attendance this term is 55% and he has been late on two occasions.",
                  "School report that the child has attended only 55% of sessions this term, "
                  "with two late marks.") == (2.0, 0.0, 0.0, 1.0)
    # a number word equals its digits; a changed day and a changed name are disagreements
    assert _agree("Ms Clarke told the GP on 24 August 2023 that she had five bad days.",
                  "On 25 August 2023 Ms Reid said to the GP that she had had 5 bad days.") \
        == (3.0, 2.0, 0.0, 2.0)
    # a sentence's first word is not a name unless possessive
    assert _agree("Yesterday Mum met Ava.", "Ava met Mum yesterday.") == (0.0, 0.0, 0.0, 1.0)
    assert _agree("Yesterday Mum met Ava.", "Ava's mum met her yesterday.") == (0.0, 0.0, 1.0, 0.0)


def test_logistic_models_still_load(tmp_path):
    flat = PairModel(weights=(0.0,) * len(FEATURES), bias=2.0, mean=(0.0,) * len(FEATURES),
                     scale=(1.0,) * len(FEATURES))
    path = tmp_path / "lr.json"
    path.write_text(flat.to_json())
    model = load_pair_model(str(path))
    assert model.forest is None
    assert model.probability([0.0] * len(FEATURES)) == pytest.approx(1 / (1 + np.exp(-2.0)))
    assert model.unused == frozenset(FEATURES)


@pytest.mark.parametrize("kind", ["forest", "logistic"])
def test_scoring_many_rows_at_once_equals_scoring_each(kind):
    # detection scores a whole case's candidate rows in one call; no verdict may move
    model = load_pair_model()
    if kind == "logistic":
        rng = random.Random(2)
        model = PairModel(weights=tuple(rng.uniform(-1, 1) for _ in FEATURES), bias=-0.3,
                          mean=(0.2,) * len(FEATURES), scale=(0.7,) * len(FEATURES))
    rows = np.random.default_rng(3).uniform(-0.5, 3.5, size=(400, len(FEATURES)))
    assert model.probabilities(rows) == [model.probability(list(r)) for r in rows]
    assert model.probabilities(rows[:0]) == []


def test_rows_walked_a_block_at_a_time_give_the_same_log_odds(monkeypatch):
    # the candidate pairs of a case of thousands of forms go down the trees in blocks
    from dupscan.detect import forest as forest_module

    forest = load_pair_model().forest
    if forest is None:
        pytest.skip("packaged model is a logistic regression")
    x = np.random.default_rng(5).uniform(-0.5, 3.5, size=(101, len(FEATURES)))
    whole = forest.log_odds(x)
    monkeypatch.setattr(forest_module, "_ROWS_PER_BLOCK", 8)
    assert np.array_equal(forest.log_odds(x), whole)
    assert forest.log_odds(x[:0]).shape == (0,)


def test_the_gate_turns_away_pairs_below_both_its_cosine_and_its_word_overlap():
    model = dataclasses.replace(load_pair_model(), gate_cosine=0.75, gate_token_set=0.55)
    assert model.worth_scoring(0.80, 0.10)  # close in meaning, few shared words
    assert model.worth_scoring(0.60, 0.60)  # many shared words
    assert model.worth_scoring(0.75, 0.55)  # both bounds are inclusive
    assert not model.worth_scoring(0.74, 0.54)
    assert not model.worth_scoring(0.45, 0.90)  # under the cosine floor nothing is scored


def test_the_packaged_gate_round_trips_and_older_weights_score_every_pair(tmp_path):
    model = load_pair_model()
    assert 0.0 < model.gate_cosine <= 1.0 and 0.0 < model.gate_token_set <= 1.0
    path = tmp_path / "weights.json"
    path.write_text(model.to_json())
    again = load_pair_model(str(path))
    assert (again.gate_cosine, again.gate_token_set) == (model.gate_cosine, model.gate_token_set)
    data = json.loads(model.to_json())
    del data["gate"]  # weights written before the gate
    path = tmp_path / "older.json"  # another path: models are cached by path
    path.write_text(json.dumps(data))
    older = load_pair_model(str(path))
    assert (older.gate_cosine, older.gate_token_set) == (0.0, 0.0)
    assert older.worth_scoring(older.cosine_floor, 0.0)


def test_detection_applies_the_gate(tmp_path):
    src = ("Mum told the social worker that she has been struggling to get Ava to school on time "
           "since January.")
    tgt = "Since January Mum has found it a struggle to get Ava to school on time, she told the social worker."
    assert [f.kind for f in compare(src, tgt)] == ["paraphrase"]
    path = tmp_path / "closed.json"  # a gate no pair can pass: nothing is scored
    path.write_text(dataclasses.replace(load_pair_model(), gate_cosine=1.5,
                                        gate_token_set=1.5).to_json())
    assert compare(src, tgt, options=ScanOptions(extra={"pair_weights": str(path)})) == []
