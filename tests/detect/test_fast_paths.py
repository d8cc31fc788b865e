"""The fast paths of detection agree with the plain definitions they replace."""

from __future__ import annotations

import random
from difflib import SequenceMatcher

import numpy as np
import pytest

from dupscan.detect import semantic
from dupscan.detect.classify import FEATURES, load_pair_model, pair_features
from dupscan.detect.engine import prepare
from dupscan.detect.fuzzy import lexical
from dupscan.detect.normalise import content_words, tokens
from shingle_reference import ShingleIndex

SENTENCES = [
    "Mum said Ava was late to school on Monday because the bus did not come.",
    "Ms Khan reported that Ava arrived late at school on Monday as the bus was cancelled.",
    "The social worker visited the family home and saw the children alone in the kitchen.",
    "Ava's mother told the worker the children were seen at home by the health visitor.",
    "Attendance at school has improved to 92% this term and Ava is settled in class.",
    "There were no injuries seen on Ava during the home visit on 3 April.",
    "Dad agreed to engage with the parenting course and attend every session.",
    "Ava",
]


def _slow_alignment(src: list[str], tgt: list[str]) -> tuple[float, float, list[bool], list[bool]]:
    return (semantic.soft_coverage(src, tgt), semantic.soft_coverage(tgt, src),
            semantic.soft_matches(src, tgt), semantic.soft_matches(tgt, src))


def test_soft_alignment_is_coverage_and_matches_in_both_directions():
    words = [content_words(tokens(s)) for s in SENTENCES]
    for a in words:
        for b in words:
            assert semantic.soft_alignment(a, b) == _slow_alignment(a, b)
    assert semantic.soft_alignment([], words[0]) == (0.0, 0.0, [False] * len(words[0]), [])


def test_soft_coverage_counts_words_the_source_holds_or_resembles():
    assert semantic.soft_coverage(["visited", "home"], ["visited", "home"]) == 1.0
    assert semantic.soft_coverage(["kitchen"], ["attendance", "kitchen"]) == 0.5
    # a 5-letter prefix counts for matches but not for coverage
    assert semantic.soft_matches(["visitors"], ["visited"]) == [True]


def test_pair_features_from_unit_profiles_equal_the_plain_computation():
    text = " ".join(SENTENCES)
    from dupscan.model import Field, Form

    forms = [Form(f"f{i}", f"f{i}.txt", "C1", "note", f"2025-0{i + 1}-01",
                  (Field("Notes", None, text, 0, len(text), "narrative"),)) for i in range(2)]
    prep = prepare(forms)
    units = prep.units
    for s in units[:len(units) // 2]:
        for t in units[len(units) // 2:]:
            lex = lexical(s.norm, t.norm, s.toks, t.toks)
            fast = pair_features(s, t, lex, 0.7, 0.5, prep.idf, 0.1)
            cs, ct = content_words(s.toks), content_words(t.toks)
            cover_t, cover_s, hits_t, hits_s = _slow_alignment(cs, ct)

            def share(words: list[str], hits: list[bool]) -> float:
                weights = [prep.idf.get(w[:5], 1.0) for w in words]
                return sum(w for w, h in zip(weights, hits) if h) / sum(weights) if weights else 0.0

            assert fast["cover_min"] == min(cover_s, cover_t)
            assert fast["cover_max"] == max(cover_s, cover_t)
            assert fast["idf_cover_min"] == min(share(ct, hits_t), share(cs, hits_s))
            assert fast["idf_cover_max"] == max(share(ct, hits_t), share(cs, hits_s))
            assert fast["containment"] == lex.containment


def test_skipped_features_read_zero_and_unused_features_have_no_weight():
    model = load_pair_model()
    if model.forest is None:
        assert model.unused == {f for f, w in zip(FEATURES, model.weights) if w == 0.0}
    else:
        assert model.unused == {f for i, f in enumerate(FEATURES) if i not in model.forest.used}
    # an unused feature cannot move the probability
    rng = random.Random(3)
    for _ in range(20):
        x = [rng.random() for _ in FEATURES]
        y = [v + 5.0 if f in model.unused else v for f, v in zip(FEATURES, x)]
        assert model.probability(x) == model.probability(y)
    s = t = type("U", (), {"toks": ["ava", "late"], "words": 2, "text": "Ava late."})()
    x = pair_features(s, t, lexical("ava late", "ava late", ["ava", "late"], ["ava", "late"]),
                      1.0, 1.0, {}, 0.0, skip={"containment"})
    assert x["containment"] == 0.0


def _containment(a: list[str], b: list[str]) -> float:
    short, long_ = (a, b) if len(a) <= len(b) else (b, a)
    if not short:
        return 0.0
    m = SequenceMatcher(None, short, long_, autojunk=False)
    return sum(b.size for b in m.get_matching_blocks()) / len(short)


def test_containment_bound_never_changes_the_verdict():
    rng = random.Random(7)
    vocab = "ava mum said was late to school the on monday bus home seen".split()
    for _ in range(400):
        a = [rng.choice(vocab) for _ in range(rng.randint(0, 12))]
        b = [rng.choice(vocab) for _ in range(rng.randint(0, 12))]
        lex = lexical(" ".join(a), " ".join(b), a, b)
        for level in (0.5, 0.8, 0.9, 1.0):
            assert lex.contains(level) == (_containment(a, b) >= level)
        assert lex.containment == _containment(a, b)


def test_candidates_of_an_indexed_passage_equal_candidates_of_its_tokens():
    index = ShingleIndex()
    toks = [tokens(s) for s in SENTENCES + SENTENCES[:3]]
    for i, t in enumerate(toks):
        index.add(i, t)
    for i, t in enumerate(toks):
        assert index.candidates_of(i) == index.candidates(t)


def test_neighbours_are_best_first_with_ties_by_row():
    v = np.array([[1.0, 0.0], [1.0, 0.0], [1.0, 0.0], [0.6, 0.8]], dtype=np.float32)
    nbrs = semantic.neighbours(v, np.array([0, 0, 1, 2]), k=3, floor=0.0)
    assert nbrs[2] == [(0, 1.0), (1, 1.0)]
    assert [j for j, _ in nbrs[3]] == [0, 1, 2]
    assert nbrs[3][0][1] == pytest.approx(0.6)
