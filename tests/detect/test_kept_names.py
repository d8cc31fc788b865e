"""Name words kept with a case's detection give the aliases that reading every form gives."""

from __future__ import annotations

import json
from dataclasses import replace

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dupscan.config import ScanOptions
from dupscan.detect import engine
from dupscan.detect.people import aliases_from, merge_names, name_words, person_aliases
from tests.detect.test_extend import _case_forms

#: pieces of record text that make names, non-names and every edge the scanners look at
PIECES = ["Tasha", "Taylor", "Ms", "Mr.", "McCarthy", "O'Brien", "D\u2019Souza", "Smith-Jones",
          "Ava", "said", "the", "The", "Monday", "May", "school", ".", ",", ";", ":", "!", "?",
          "\u201c", "\"", "(", "-", "\u2022", " ", " ", "  ", "\t", "\n", "a", "A", "xAva"]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.lists(st.sampled_from(PIECES), max_size=14).map("".join), max_size=8),
       st.integers(0, 8))
def test_name_words_of_two_lists_merged_are_those_of_both(texts, cut):
    cut = min(cut, len(texts))
    merged = merge_names(name_words(texts[:cut]), name_words(texts[cut:]))
    assert merged == name_words(texts)
    assert aliases_from(merged) == person_aliases(texts)


def test_merging_leaves_the_kept_names_as_they_were():
    kept = name_words(["Tasha Taylor rang."])
    before = {k: set(v) for k, v in kept.items()}
    merge_names(kept, name_words(["Louis Taylor came."]))
    assert kept == before


@pytest.fixture
def named(monkeypatch):
    """Every text read for names from now on."""
    read: list[str] = []

    def counting(texts):
        texts = list(texts)
        read.extend(texts)
        return name_words(texts)

    monkeypatch.setattr(engine, "name_words", counting)
    return read


@pytest.mark.parametrize("case", ["C0006", "C0012", "C0021"])
def test_an_extension_reads_only_the_new_forms_for_names(case, named):
    forms = _case_forms(case)
    options = ScanOptions(kinds=("exact", "near", "paraphrase"))
    earlier = engine.detect_case(forms[:-1], options=options)
    assert earlier.names
    named.clear()
    extended = engine.detect_case(forms, options=options, earlier=earlier)
    assert named == [f.text for f in forms[-1].fields]
    assert extended == engine.detect_case(forms, options=options)  # findings, names alike


def test_names_kept_for_other_forms_are_not_used(named):
    forms = _case_forms("C0012")
    earlier = engine.detect_case(forms[:-1])
    # kept for forms that are not this case's first forms: a digest differs
    wrong = replace(earlier, forms=("0" * 32, *earlier.forms[1:]),
                    names={"someone": {"someone else"}})
    named.clear()
    assert engine.detect_case(forms, earlier=wrong) == engine.detect_case(forms)
    assert named[:sum(len(f.fields) for f in forms)] == [x.text for f in forms for x in f.fields]
    # the first form changed since: every form is read again
    changed = [replace(forms[0], fields=forms[0].fields[:-1]), *forms[1:]]
    named.clear()
    engine.detect_case(changed, earlier=earlier)
    assert named == [x.text for f in changed for x in f.fields]


def test_the_stored_basis_keeps_the_names_and_unreadable_ones_are_ignored():
    from dupscan._rows import encode_findings
    from dupscan.batch.tasks import CaseUnit, DetectContext, Stages, _detect_extending

    forms = _case_forms("C0012")
    ctx = DetectContext(Stages(), ScanOptions())
    _, basis = _detect_extending(ctx, CaseUnit("C0012", (), frozenset()), forms[:-1])
    data = json.loads(basis)
    assert data["names"] and all(isinstance(v, list) for v in data["names"].values())
    first = engine.detect_case(forms[:-1])
    whole, _ = _detect_extending(ctx, CaseUnit("C0012", (), frozenset()), forms)
    for names in (data["names"], {"ava": "not a list"}, ["ava"], {"ava": [3]}):
        stored = json.dumps({**data, "names": names})
        unit = CaseUnit("C0012", (), frozenset(),
                        earlier=(stored, encode_findings(list(first.findings))))
        assert _detect_extending(ctx, unit, forms)[0] == whole
