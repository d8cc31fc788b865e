"""The word-cached tokenizer gives the static model's own token ids and embeddings."""

from __future__ import annotations

import string

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dupscan.detect.semantic import encode, load_model
from dupscan.detect.wordpiece import (_LETTERS, _PUNCTUATION, _SPACES, _SYMBOLS,
                                      CachedTokenizer, cached_tokenizer)

#: what the word-by-word path covers, and characters it leaves to the tokenizer
#: (zero-width space, vertical tab, Greek, CJK, a ligature, a combining accent)
COVERED = (string.printable.replace("\x0b", "").replace("\x0c", "")
           + _PUNCTUATION + _SPACES + _SYMBOLS + _LETTERS)
OTHER = "\u200b\x0b\u03a3\u6f22\ufb01\u0301\x00\x7f[]"


@pytest.fixture(scope="module")
def model():
    m = load_model("static")
    assert isinstance(m.tokenize, CachedTokenizer)  # installed on the shared model
    m._set_max_length_in_tokenizer(m.max_length)  # as encode() sets it
    return m


def _own_ids(m, texts):
    return type(m).tokenize(m, texts)  # the class's method: the tokenizer itself


EDGES = [
    "", " ", "Mum said Ava's school (Oak Hill) rang at 9.30am on 3/4/2025.",
    "E-mail: j.smith@example.org; tel. 01632 960 001 -- 50% attendance!",
    "Tabs\tand\nlines\r\nmixed   with  spaces.", "café naïve résumé", "“quoted” — dashes",
    "[PAD] and [UNK] are the tokenizer's own", "a" * 101, "supercalifragilistic " * 700,
    "control\x01char\x7fs", "antidisestablishmentarianism unhappiness ##pieces",
    "Mum\u2019s \u201cbest\u201d \u2013 \u00a350\u2026 caf\u00e9 na\u00efve",
    "\u00c9MILE \u0130stanbul \u0141\u00f3d\u017a",
    "10\u00a0am\u2009\u2013\u20094\u202fpm \u00bd \u00b0C \u00b5g \u00a7 2.1 \u2022 item\u2014dash",
]


def test_edges_give_the_tokenizers_ids(model):
    assert model.tokenize(EDGES) == _own_ids(model, EDGES)


@settings(max_examples=500, deadline=None)
@given(st.lists(st.text(alphabet=st.sampled_from(COVERED + OTHER), max_size=120), max_size=6))
def test_any_text_gives_the_tokenizers_ids(model, texts):
    assert model.tokenize(texts) == _own_ids(model, texts)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.text(alphabet=st.sampled_from(COVERED), max_size=80), max_size=6))
def test_covered_text_never_reaches_the_tokenizer(model, texts):
    own = type(model).tokenize
    calls = []
    try:
        type(model).tokenize = lambda self, s: calls.append(s) or own(self, s)
        ids = model.tokenize([t for t in texts if "[" not in t])
    finally:
        type(model).tokenize = own
    assert not calls
    assert ids == own(model, [t for t in texts if "[" not in t])


def test_embeddings_are_unchanged(model):
    texts = EDGES[2:8] + EDGES[-3:] + ["The home was clean and warm.",
                                       "Ava was seen alone in her room."]
    cached = encode(texts)
    own = model.tokenize
    try:
        del model.tokenize  # back to the class's method
        plain = encode(texts)
    finally:
        model.tokenize = own
    assert np.array_equal(cached, plain)


def test_other_tokenizers_are_left_alone(model):
    class Stub:
        tokenizer = None

    assert cached_tokenizer(Stub()) is None


def test_pooled_vectors_are_the_models_own(model):
    from model2vec import StaticModel

    assert model._encode_batch.__func__.__name__ == "_pooled_batch"  # installed on the model
    texts = EDGES + ["Mum said Ava was late.", "late late late", "[UNK]", "\u6f22\u5b57"]
    for batch in (texts, [], ["", " "], texts[3:4]):
        for normalize in (False, True):
            assert np.array_equal(model._encode_batch(batch, normalize),
                                  StaticModel._encode_batch(model, batch, normalize))


@settings(max_examples=200, deadline=None)
@given(st.lists(st.text(alphabet=st.sampled_from(COVERED + OTHER), max_size=200), max_size=8))
def test_pooled_vectors_match_on_any_text(model, texts):
    from model2vec import StaticModel

    assert np.array_equal(model._encode_batch(texts, True),
                          StaticModel._encode_batch(model, texts, True))


def test_pooling_is_left_to_a_model_whose_batch_method_differs(model):
    from dupscan.detect import semantic

    class Other:
        embedding, weights, token_mapping = model.embedding, None, None

        def _encode_batch(self, sentences, normalize, extra):
            raise AssertionError("not called")

    assert semantic._sums_exactly(model) and not semantic._sums_exactly(Other())
