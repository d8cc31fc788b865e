"""Token ids kept with a case's detection embed its earlier sentences as tokenizing them did."""

from __future__ import annotations

import json
import string
from dataclasses import replace

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dupscan.config import ScanOptions
from dupscan.detect import engine
from dupscan.detect.semantic import TokenIds, encode, encode_with_ids, load_model
from dupscan.detect.wordpiece import _PUNCTUATION, CachedTokenizer
from tests.detect.test_extend import _case_forms

TEXTS = ["Mum said Ava was late.", "Ava's mother said she arrived late.",
         "Mum said Ava was late.", "", "x", "Caf\u00e9 \u00a35 \u2013 \u201cquoted\u201d na\u00efve",
         "\u03a3 \u6f22 [PAD] goes to the tokenizer itself", "Mum said Ava was late."]


@pytest.fixture
def tokenized(monkeypatch):
    """Every text the static model's tokenizer is given from now on."""
    model = load_model("static")
    assert isinstance(model.tokenize, CachedTokenizer)
    given_texts: list[str] = []
    call = CachedTokenizer.__call__

    def counting(self, sentences):
        given_texts.extend(sentences)
        return call(self, sentences)

    monkeypatch.setattr(CachedTokenizer, "__call__", counting)
    return given_texts


def test_vectors_with_ids_are_the_vectors_of_encode():
    vectors, ids = encode_with_ids(TEXTS)
    assert np.array_equal(vectors, encode(TEXTS))
    assert ids is not None and len(ids) == len(dict.fromkeys(TEXTS))


@pytest.mark.parametrize("known", [0, 1, 3, 6])
def test_known_ids_give_the_same_vectors_and_ids_without_tokenizing_their_texts(known,
                                                                              tokenized):
    vectors, ids = encode_with_ids(TEXTS)
    tokenized.clear()
    again, kept = encode_with_ids(TEXTS, known=ids.prefix(known))
    assert np.array_equal(again, vectors) and kept == ids
    assert tokenized == list(dict.fromkeys(TEXTS))[known:]


@settings(max_examples=60, deadline=None)
@given(st.lists(st.text(alphabet=string.ascii_letters + " .,'" + _PUNCTUATION, max_size=60),
                min_size=1, max_size=8), st.integers(0, 8))
def test_any_texts_with_any_known_prefix_embed_as_encode(texts, known):
    vectors, ids = encode_with_ids(texts)
    assert np.array_equal(vectors, encode(texts))
    again, kept = encode_with_ids(texts, known=ids.prefix(known))
    assert np.array_equal(again, vectors) and kept == ids


def test_more_known_ids_than_texts_are_not_used():
    _, ids = encode_with_ids(TEXTS)
    vectors, kept = encode_with_ids(TEXTS[:2], known=ids)
    assert np.array_equal(vectors, encode(TEXTS[:2])) and kept == ids.prefix(2)


def test_a_text_cut_to_the_models_length_keeps_no_ids():
    model = load_model("static")
    long = "word " * (model.max_length * model.median_token_length)
    vectors, ids = encode_with_ids(["Mum said Ava was late.", long])
    assert np.array_equal(vectors, encode(["Mum said Ava was late.", long])) and ids is None


def test_packed_ids_read_back_and_damage_is_refused():
    _, ids = encode_with_ids(TEXTS)
    assert TokenIds.unpack(ids.pack()) == ids
    packed = ids.pack()
    flipped = TokenIds(ids.lengths, ids.flat ^ np.uint16(1)).pack()
    damaged = packed[:8] + flipped[8:]  # the ids changed, the CRC kept
    for bad in (packed[:-8], "", "!!!!", packed[:8], damaged):
        with pytest.raises(ValueError):
            TokenIds.unpack(bad)
    assert TokenIds.of([[1, 2], [70000]]) is None and TokenIds.of([[1, 2], []]) is not None


@pytest.mark.parametrize("case", ["C0006", "C0012", "C0021"])
def test_an_extension_tokenizes_only_the_sentences_of_the_forms_it_compares(case, tokenized):
    forms = _case_forms(case)
    options = ScanOptions(kinds=("exact", "near", "paraphrase"))
    earlier = engine.detect_case(forms[:-1], options=options)
    assert earlier.token_ids is not None
    tokenized.clear()
    extended = engine.detect_case(forms, options=options, earlier=earlier)
    new_texts = set(tokenized)
    whole = engine.detect_case(forms, options=options)
    assert extended == whole  # findings, digests and ids alike
    # (the tokenizer also sees the words the pair stage embeds)
    prep = engine.prepare(forms, options=options)
    last = {u.text for u in prep.units if u.form == len(forms) - 1}
    held = {u.text for u in prep.units if u.form < len(forms) - 1}
    assert last - held and last - held <= new_texts
    assert not new_texts & (held - last)


def test_an_extension_without_usable_ids_tokenizes_everything_and_finds_the_same(tokenized):
    forms = _case_forms("C0012")
    options = ScanOptions(kinds=("exact", "near", "paraphrase"))
    earlier = engine.detect_case(forms[:-1], options=options)
    whole = engine.detect_case(forms, options=options)
    for ids in (None, TokenIds.of([[1]] * 100_000)):
        tokenized.clear()
        assert engine.detect_case(forms, options=options,
                                  earlier=replace(earlier, token_ids=ids)) == whole
        assert {u.text for u in engine.prepare(forms, options=options).units} <= set(tokenized)


def test_the_stored_basis_keeps_the_ids_and_a_damaged_one_is_ignored():
    from dupscan._rows import encode_findings
    from dupscan.batch.tasks import CaseUnit, DetectContext, Stages, _detect_extending

    forms = _case_forms("C0012")
    ctx = DetectContext(Stages(), ScanOptions())
    _, basis = _detect_extending(ctx, CaseUnit("C0012", (), frozenset()), forms[:-1])
    data = json.loads(basis)
    assert TokenIds.unpack(data["ids"]) is not None
    first = engine.detect_case(forms[:-1])
    whole, _ = _detect_extending(ctx, CaseUnit("C0012", (), frozenset()), forms)
    for ids in (data["ids"], data["ids"][:-4], 7):
        stored = json.dumps({**data, "ids": ids})
        unit = CaseUnit("C0012", (), frozenset(),
                        earlier=(stored, encode_findings(list(first.findings))))
        assert _detect_extending(ctx, unit, forms)[0] == whole
