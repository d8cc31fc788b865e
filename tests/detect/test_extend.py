"""Extending a case's detection with forms added after its last equals detecting it whole."""

from __future__ import annotations

from dataclasses import replace

import pytest

from dupscan.config import ScanOptions
from dupscan.detect import engine
from dupscan.detect.attribution import attribution_order
from dupscan.detect.extend import CASE_WEIGHTS, Earlier
from dupscan.detect.passages import with_sentences
from dupscan.model import Form
from tests.detect.conftest import CORPUS, corpus_forms, make_form


def _case_forms(case: str) -> list[Form]:
    """A bundled case's forms split into sentences (as the index stores them), earliest first."""
    return attribution_order([with_sentences(form) for form in corpus_forms(case)])


def _marked(earlier: Earlier) -> Earlier:
    """``earlier`` with one finding more: seen in the result only when it was kept."""
    return replace(earlier, findings=earlier.findings + earlier.findings[:1])


def _form(name: str, day: int, *texts: str) -> Form:
    return make_form(name, f"2025-01-{day:02d}", *((f"Notes {i}", text)
                                                  for i, text in enumerate(texts)))[0]


SEEN = "Mum said Ava was late to school on Monday because the bus did not come."
VISIT = "The home was warm and tidy when the social worker visited on Tuesday."


def test_the_shipped_model_weighs_no_word_by_the_case():
    from dupscan.detect.classify import load_pair_model

    assert CASE_WEIGHTS <= load_pair_model().unused


def test_every_bundled_case_extended_by_its_last_form_equals_detecting_it_whole():
    for case in sorted(p.name for p in CORPUS.iterdir() if p.name.startswith("C")):
        forms = _case_forms(case)
        earlier = engine.detect_case(forms[:-1])
        assert engine.detect_case(forms, earlier=earlier) == engine.detect_case(forms), case


# cases of the bundled corpus whose earlier forms re-enter text, and whose later forms
# name no one the earlier sentences name in another way
@pytest.mark.parametrize("case,held", [("C0006", 1), ("C0012", 1), ("C0012", 2),
                                       ("C0015", 1), ("C0017", 1), ("C0017", 2),
                                       ("C0021", 1), ("C0021", 2)])
@pytest.mark.parametrize("kinds", [("exact", "near"), ("exact", "near", "paraphrase")])
def test_extending_by_the_last_forms_keeps_the_earlier_findings(case, held, kinds):
    forms = _case_forms(case)
    options = ScanOptions(kinds=kinds)
    earlier = engine.detect_case(forms[:-held], options=options)
    assert earlier.findings
    assert engine.detect_case(forms, options=options, earlier=earlier) == engine.detect_case(
        forms, options=options)
    # the earlier findings were kept, not found again
    marked = engine.detect(forms, options=options, earlier=_marked(earlier))
    assert marked == sorted([*engine.detect(forms, options=options), earlier.findings[0]],
                            key=engine._finding_order)


def _kept(forms: list[Form], earlier: Earlier, exclude=frozenset(), backend="static",
          paraphrase=True) -> int:
    from dupscan.detect import extend

    model = engine.load_pair_model(None)
    prep = engine.prepare(forms, exclude=exclude, floor=model.cosine_floor)
    return extend.kept_forms(prep, extend.form_digests(forms), earlier, model,
                             backend=backend, paraphrase=paraphrase)


def test_a_form_dated_after_the_others_keeps_their_findings():
    a, b, c = _form("a", 1, SEEN), _form("b", 2, SEEN), _form("c", 3, SEEN, VISIT)
    earlier = engine.detect_case([a, b])
    assert _kept([a, b, c], earlier) == 2
    assert len(engine.detect([a, b, c], earlier=_marked(earlier))) == 3


def test_a_case_is_detected_whole_when_the_new_form_is_dated_before_others():
    a, b, c = _form("a", 1, SEEN), _form("b", 2, SEEN), _form("c", 3, SEEN, VISIT)
    earlier = engine.detect_case([a, c])
    assert _kept([a, b, c], earlier) == 0
    assert engine.detect([a, b, c], earlier=_marked(earlier)) == engine.detect([a, b, c])


def test_a_case_is_detected_whole_when_an_earlier_form_changed():
    a, b, c = _form("a", 1, SEEN), _form("b", 2, SEEN, VISIT), _form("c", 3, VISIT)
    earlier = engine.detect_case([a, b])
    edited = replace(b, fields=b.fields[:1])
    assert _kept([a, edited, c], earlier) == 0
    assert engine.detect([a, edited, c], earlier=_marked(earlier)) == engine.detect([a, edited, c])


def test_a_stock_sentence_the_new_form_repeats_redoes_the_case():
    stock = "This form must be completed within ten working days of the referral."
    a, b = _form("a", 1, SEEN, stock), _form("b", 2, SEEN)
    c = _form("c", 3, stock, VISIT)
    keys = frozenset({engine.build_units([a])[1].key})
    earlier = engine.detect_case([a, b], exclude=keys)
    # held by one form before, the stock sentence was compared; held by two now, it is
    # left out of the earlier form too, whose units changed
    assert _kept([a, b, c], earlier, exclude=keys) == 0
    found = engine.detect([a, b, c], exclude=keys, earlier=_marked(earlier))
    assert found == engine.detect([a, b, c], exclude=keys)


def test_a_name_the_new_form_links_to_an_earlier_one_redoes_the_case():
    a = _form("a", 1, "Tasha attended the meeting on 3 March and agreed the plan.")
    b = _form("b", 2, "Ms Taylor attended the meeting on 3 March and agreed the plan.")
    c = _form("c", 3, "Parent: Tasha Taylor (mother) attended the review.")
    earlier = engine.detect_case([a, b])
    assert _kept([a, b, c], earlier) == 0
    assert engine.detect([a, b, c], earlier=_marked(earlier)) == engine.detect([a, b, c])


def test_a_new_person_named_in_a_later_form_only_keeps_the_earlier_findings():
    a, b = _form("a", 1, SEEN), _form("b", 2, SEEN)
    c = _form("c", 3, "Parent: Jordan Blake (father) attended the review.")
    earlier = engine.detect_case([a, b])
    assert _kept([a, b, c], earlier) == 2


def test_only_the_static_embeddings_are_extended_when_paraphrases_are_asked():
    a, b, c = _form("a", 1, SEEN), _form("b", 2, SEEN), _form("c", 3, SEEN)
    earlier = engine.detect_case([a, b])
    assert _kept([a, b, c], earlier, backend="st") == 0
    assert _kept([a, b, c], earlier, backend="st", paraphrase=False) == 2


def test_a_single_form_leaves_nothing_to_keep():
    a, b = _form("a", 1, SEEN), _form("b", 2, SEEN)
    earlier = engine.detect_case([a])
    assert earlier.findings == () and _kept([a, b], earlier) == 0
    assert engine.detect_case([a, b], earlier=earlier) == engine.detect_case([a, b])


def test_the_examples_of_detect_and_detect_case_run():
    import doctest

    result = doctest.testmod(engine, optionflags=doctest.ELLIPSIS)
    assert result.failed == 0 and result.attempted >= 4


def test_a_form_digest_changes_with_every_value_that_makes_the_form():
    from dataclasses import fields as dataclass_fields

    from dupscan.detect.extend import form_digests

    form = _form("a", 1, SEEN)
    digest = form_digests([form])
    changed = {"order": 7, "words": 99, "fields": form.fields[:0]}
    for f in dataclass_fields(Form):
        other = replace(form, **{f.name: changed.get(f.name, "x")})
        assert form_digests([other]) != digest, f.name
    field = form.fields[0]
    values = {"canonical": "x", "start": 1, "end": 2, "confidence": 0.5, "stock": ((0, 3),)}
    for f in dataclass_fields(field):
        if not f.compare:  # derived from the text (the sentence cache)
            continue
        other = replace(form, fields=(replace(field, **{f.name: values.get(f.name, "x")}),))
        assert form_digests([other]) != digest, f.name


STOCK = "This form must be completed within ten working days of the referral."


def test_a_sentence_turned_stock_in_later_forms_keeps_the_forms_before_them():
    a, b = _form("a", 1, SEEN), _form("b", 2, SEEN)
    c, d = _form("c", 3, STOCK, VISIT), _form("d", 4, STOCK, VISIT)
    earlier = engine.detect_case([a, b, c, d])
    # stock elsewhere in the corpus now: left out of c and d, which both hold it
    keys = frozenset({engine.build_units([c])[0].key})
    assert _kept([a, b, c, d], earlier, exclude=keys) == 2
    marked = engine.detect([a, b, c, d], exclude=keys, earlier=_marked(earlier))
    assert marked == sorted([*engine.detect([a, b, c, d], exclude=keys), earlier.findings[0]],
                            key=engine._finding_order)
    assert earlier.findings[0].target.doc == "b.txt"  # kept, not found again
    assert engine.detect_case([a, b, c, d], exclude=keys, earlier=earlier) == \
        engine.detect_case([a, b, c, d], exclude=keys)


def test_a_name_spelled_out_in_a_new_form_keeps_the_forms_before_its_first_use():
    a, b = _form("a", 1, SEEN), _form("b", 2, SEEN)
    c = _form("c", 3, "Tasha attended the meeting on 3 March and agreed the plan.")
    d = _form("d", 4, "Ms Taylor attended the meeting on 3 March and agreed the plan.")
    e = _form("e", 5, "Parent: Tasha Taylor (mother) attended the review.")
    earlier = engine.detect_case([a, b, c, d])
    assert _kept([a, b, c, d, e], earlier) == 2
    assert engine.detect_case([a, b, c, d, e], earlier=earlier) == \
        engine.detect_case([a, b, c, d, e])


def test_sentences_turned_stock_in_bundled_cases_give_the_whole_detection():
    import random

    from dupscan.detect.passages import build_units

    rng = random.Random(7)
    partial = 0
    for case in sorted(p.name for p in CORPUS.iterdir() if p.name.startswith("C")):
        forms = _case_forms(case)
        held: dict[str, set[int]] = {}
        for unit in build_units(forms):
            held.setdefault(unit.key, set()).add(unit.form)
        repeated = sorted(k for k, f in held.items() if len(f) >= 2)
        if not repeated:
            continue
        keys = frozenset(rng.sample(repeated, min(2, len(repeated))))
        earlier = engine.detect_case(forms)
        kept = _kept(forms, earlier, exclude=keys)
        partial += 1 < kept < len(forms)
        assert engine.detect_case(forms, exclude=keys, earlier=earlier) == \
            engine.detect_case(forms, exclude=keys), case
    assert partial  # some cases kept their first forms only


LATE = "Mum said Ava was late to school again because the bus did not come."


def test_an_ngram_the_new_form_makes_too_common_redoes_the_case():
    # 3-grams held by more passages than the case counts (200) are ignored: the new form
    # repeats the words b shares with a so often that a is no longer b's candidate
    a = _form("a", 1, LATE)
    b = _form("b", 2, LATE.replace("said Ava", "said that Ava"))
    c = _form("c", 3, " ".join(LATE.replace("Mum said ", "").replace(".", f" on day {i}.")
                               for i in range(205)))
    options = ScanOptions(kinds=("exact", "near"))
    earlier = engine.detect_case([a, b], options=options)
    assert [f.target.doc for f in earlier.findings] == ["b.txt"]
    whole = engine.detect([a, b, c], options=options)
    assert "b.txt" not in {f.target.doc for f in whole}  # b's candidate was lost
    assert _kept([a, b, c], earlier) == 0
    assert engine.detect([a, b, c], options=options, earlier=_marked(earlier)) == whole


def test_units_that_share_no_crowded_ngram_keep_their_findings():
    # a new form as long that repeats none of their words leaves a and b's state alone
    a = _form("a", 1, LATE)
    b = _form("b", 2, LATE.replace("said Ava", "said that Ava"))
    c = _form("c", 3, " ".join(f"The home was visited on day {i} of the term."
                               for i in range(205)))
    options = ScanOptions(kinds=("exact", "near"))
    earlier = engine.detect_case([a, b], options=options)
    assert _kept([a, b, c], earlier) == 2
    assert engine.detect([a, b, c], options=options, earlier=earlier) == engine.detect(
        [a, b, c], options=options)


def test_forms_holding_ngrams_that_stay_too_common_keep_their_findings():
    # c's sentences share 3-grams with more than 200 others: the state of a, b and c
    # holds where they sit in c's sentences, and a new form that keeps them as common
    # (and repeats none of a's or b's words) keeps the findings of all three
    a = _form("a", 1, LATE)
    b = _form("b", 2, LATE.replace("said Ava", "said that Ava"))
    c = _form("c", 3, " ".join(f"The home was visited on day {i} of the term."
                               for i in range(205)))
    d = _form("d", 4, "The home was visited again and the visit note was brief.")
    options = ScanOptions(kinds=("exact", "near"))
    earlier = engine.detect_case([a, b, c], options=options)
    prep = engine.prepare([a, b, c, d], options=options)
    from dupscan.detect.fingerprint import crowded_grams

    assert any(crowded_grams([u.toks for u in prep.units if u.form == 2]))
    assert _kept([a, b, c, d], earlier) == 3
    assert engine.detect_case([a, b, c, d], options=options, earlier=earlier) == \
        engine.detect_case([a, b, c, d], options=options)
    marked = engine.detect([a, b, c, d], options=options, earlier=_marked(earlier))
    assert len(marked) == len(engine.detect([a, b, c, d], options=options)) + 1
