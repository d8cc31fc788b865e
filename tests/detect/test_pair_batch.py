"""A case's candidate pairs featured in one batch equal the pair-by-pair features, bit for bit."""

from __future__ import annotations

import dataclasses
import random

import numpy as np
import pytest

from dupscan.config import ScanOptions
from dupscan.detect import engine, pair_batch
from dupscan.detect.classify import FEATURES, load_pair_model, pair_vector
from dupscan.detect.fuzzy import lexical
from dupscan.detect.pair_batch import pair_matrix
from dupscan.detect.semantic import _word_cache, cache_words
from dupscan.model import Field, Form
from tests.detect.conftest import corpus_forms


def _rows(forms: list[Form]) -> tuple[list[tuple], dict[str, float]]:
    """Every paraphrase candidate row at the cosine floor, as pair_matrix takes them (the
    gate left open: it turns most rows away, and the more rows the stronger the check)."""
    model = dataclasses.replace(load_pair_model(), gate_cosine=0.0, gate_token_set=0.0)
    prep = engine.prepare(forms, options=ScanOptions(), floor=model.cosine_floor)
    rows = []
    for t in prep.units:
        if t.form == 0:
            continue
        verdict = engine._copies(prep, t, model, {"exact", "near", "paraphrase"})
        if isinstance(verdict, engine._Open):
            rows += [(s, t, lex, cos, engine._same_field(prep.forms, s, t), margin)
                     for s, cos, lex, margin in verdict.rows]
    return rows, prep.idf


def _one_by_one(rows: list[tuple], idf: dict[str, float], skip: frozenset[str]) -> np.ndarray:
    for s, t, *_ in rows:  # pair_vector builds its own profiles
        s.profile = t.profile = None
    return np.array([pair_vector(s, t, lex, cos, same, idf, margin, skip=skip)
                     for s, t, lex, cos, same, margin in rows], dtype=np.float64)


@pytest.mark.parametrize("case", ["C0001", "C0002", "C0003"])
def test_batch_equals_pair_by_pair_on_corpus_cases(case):
    rows, idf = _rows(corpus_forms(case))
    assert len(rows) > 20
    skip = load_pair_model().unused
    batch = pair_matrix(rows, idf, skip)
    assert batch.shape == (len(rows), len(FEATURES))
    np.testing.assert_array_equal(batch, _one_by_one(rows, idf, skip))
    # every feature computed, none skipped
    full = pair_matrix(rows, idf)
    np.testing.assert_array_equal(full, _one_by_one(rows, idf, frozenset()))
    # a skipped feature reads 0 (the model's skip holds both idf shares); one alone too
    idf_at = [FEATURES.index("idf_cover_min"), FEATURES.index("idf_cover_max")]
    assert {"idf_cover_min", "idf_cover_max"} <= skip
    assert not batch[:, idf_at].any() and full[:, idf_at].any()
    one = frozenset({"idf_cover_min"})
    np.testing.assert_array_equal(pair_matrix(rows, idf, one), _one_by_one(rows, idf, one))


def _unit(idx: int, form: int, text: str) -> engine.Unit:
    toks = text.lower().replace(".", " ").split()
    return engine.Unit(idx, form, 0, 0, 0, len(text), text, toks, " ".join(toks), f"k{idx}",
                       len(toks))


def test_batch_equals_pair_by_pair_on_random_sentences_and_odd_units():
    rng = random.Random(7)
    vocab = ("mum said ava visited the school nurse twice in march and was late on "
             "five mornings the flat had mould in the bedroom social worker home").split()
    texts = [" ".join(rng.choice(vocab) for _ in range(rng.randint(1, 14))) + "."
             for _ in range(40)]
    texts += ["The.", "Ava, 55% in May.", "In the and of."]  # no content words, facts only
    units = [_unit(i, i % 4, text) for i, text in enumerate(texts)]
    rows = [(s, t, lexical(s.norm, t.norm, s.toks, t.toks), rng.uniform(0.5, 1.0),
             rng.choice([0.0, 0.5, 1.0]), rng.uniform(-0.2, 1.0))
            for t in units for s in units if s.form < t.form and rng.random() < 0.5]
    idf = {w[:5]: 1.0 + rng.random() * 3 for w in vocab}
    np.testing.assert_array_equal(pair_matrix(rows, idf), _one_by_one(rows, idf, frozenset()))


@pytest.mark.parametrize("block", [1, 7])
def test_pairs_matched_a_block_at_a_time_give_the_same_features(monkeypatch, block):
    # a case of thousands of forms matches its pairs' words a block of pairs at a time,
    # and its words' cosines a block of words at a time
    rows, idf = _rows(corpus_forms("C0001"))
    expected = _one_by_one(rows, idf, frozenset())
    monkeypatch.setattr(pair_batch, "_PAIRS_PER_BLOCK", block)
    monkeypatch.setattr(pair_batch, "_WORDS_PER_BLOCK", block * 3)
    np.testing.assert_array_equal(pair_matrix(rows, idf), expected)


@pytest.mark.parametrize("codes_per_block", [1, 50, 2_097_152])
def test_a_large_vocabulary_kept_as_codes_gives_the_same_features(monkeypatch, codes_per_block):
    # a vocabulary over _DENSE_WORDS keeps its covering word pairs as sorted codes
    rows, idf = _rows(corpus_forms("C0002"))
    expected = _one_by_one(rows, idf, frozenset())
    skip = load_pair_model().unused  # without the stems (both idf shares skipped)
    expected_skip = _one_by_one(rows, idf, skip)
    monkeypatch.setattr(pair_batch, "_DENSE_WORDS", 10)
    monkeypatch.setattr(pair_batch, "_CODES_PER_BLOCK", codes_per_block)
    monkeypatch.setattr(pair_batch, "_COSINES_PER_BLOCK", 1000)
    np.testing.assert_array_equal(pair_matrix(rows, idf), expected)
    np.testing.assert_array_equal(pair_matrix(rows, idf, skip), expected_skip)


def test_words_kept_as_codes_cover_as_the_matrices_do(monkeypatch):
    rng = random.Random(3)
    vocab = ("mum mother dad father said told ava visited school nurse twice march april "
             "late early flat house home mould damp bedroom kitchen social worker nursery "
             "housework marching").split()
    profiles = [pair_batch._profile(_unit(i, 0, " ".join(rng.sample(vocab, 6))), {})
                for i in range(30)]
    dense = pair_batch._Words(profiles)
    monkeypatch.setattr(pair_batch, "_DENSE_WORDS", 0)
    codes = pair_batch._Words(profiles)
    assert dense.near is not None and codes.near is None and codes.codes is not None
    every = np.arange(dense.pad + 1)
    t, s = every[:, None], every[None, :]
    covered = codes.covers(t, s)
    np.testing.assert_array_equal(covered, dense.near)
    hit = codes.hits(t, s, covered)
    np.testing.assert_array_equal(hit, dense.hit)
    assert hit.sum() > covered.sum()  # some words share a stem without covering each other
    assert covered.sum() > dense.pad  # some words cover others than themselves
    assert not covered[-1].any() and not covered[:, -1].any()  # padding covers nothing


@pytest.mark.parametrize("dense_words", [8192, 0])
def test_a_word_with_an_all_zero_vector_covers_only_itself(monkeypatch, dense_words):
    """pair_vector then falls back to exact word matches; the batch must agree (with the
    vocabulary's cover relations as matrices, and as codes)."""
    monkeypatch.setattr(pair_batch, "_DENSE_WORDS", dense_words)
    cache_words(["mould", "bedroom", "flat", "damp"])
    cache = _word_cache()
    saved = cache["mould"]
    cache["mould"] = np.zeros_like(saved)
    try:
        a, b, c = (_unit(0, 0, "The flat had mould in the bedroom."),
                   _unit(1, 1, "Mould and damp in the bedroom of the flat."),
                   _unit(2, 1, "Damp in the bedroom."))
        rows = [(a, t, lexical(a.norm, t.norm, a.toks, t.toks), 0.8, 1.0, 0.1) for t in (b, c)]
        batch = pair_matrix(rows, {})
        np.testing.assert_array_equal(batch, _one_by_one(rows, {}, frozenset()))
        assert batch[0, FEATURES.index("cover_max")] == 1.0  # mould still covers mould
    finally:
        cache["mould"] = saved


def test_no_rows_give_an_empty_matrix():
    assert pair_matrix([], {}).shape == (0, len(FEATURES))


def _form(name: str, day: int, text: str) -> Form:
    return Form(name, f"{name}.txt", "C1", "note", f"2025-01-{day:02d}",
                (Field("Notes", None, text, 0, len(text), "narrative"),))


def test_detection_scores_pairs_in_one_batch(monkeypatch):
    calls = []
    real = engine.pair_matrix
    monkeypatch.setattr(engine, "pair_matrix", lambda *a, **k: calls.append(1) or real(*a, **k))
    forms = [_form("a", 1, "Mum said the family moved to a new flat in the spring."),
             _form("b", 2, "The family moved into a new flat this spring, mum told us."),
             _form("c", 3, "Mother reported that they relocated to another flat in spring.")]
    engine.detect(forms)
    assert calls == [1]
