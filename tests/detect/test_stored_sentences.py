"""Sentence offsets split once when a form is read give the same detection."""

from __future__ import annotations

from hypothesis import example, given
from hypothesis import strategies as st

from dupscan.batch.serial import form_from_dict, form_to_dict
from dupscan.config import ScanOptions
from dupscan.detect import detect
from dupscan.detect.passages import build_units, with_sentences
from dupscan.detect.sentences import split_sentences
from dupscan.model import Field, Form

TEXT_A = ("Mr. Khan called the school on 3.4.2025. Ava was late again.\n"
          "- Mum agreed to a home visit\n\nThe worker saw the children alone.")
TEXT_B = ("Background: Mr. Khan called the school on 3.4.2025. Ava was late again. "
          "Mum agreed to a home visit. The worker saw the children alone in the kitchen.")


def _forms() -> list[Form]:
    a = Form("a", "a.txt", "C1", "referral", "2025-01-01", (
        Field("Reason", None, TEXT_A, 10, 10 + len(TEXT_A), "narrative"),
        Field("Name", "child_name", "Ava Khan", 0, 8, "structured")))
    b = Form("b", "b.txt", "C1", "assessment", "2025-02-01", (
        Field("Background", None, TEXT_B, 4, 4 + len(TEXT_B), "narrative"),))
    return [a, b]


def test_with_sentences_stores_the_splitter_offsets():
    form = with_sentences(_forms()[0])
    assert form.fields[0].sentences == tuple(split_sentences(TEXT_A))
    assert form.fields[1].sentences is None  # structured fields are not split
    assert with_sentences(form) is form  # already split: nothing to do


def test_stored_offsets_survive_the_json_round_trip():
    form = with_sentences(_forms()[0])
    data = form_to_dict(form)
    assert data["sentences"][1] is None
    back = form_from_dict(data)
    assert back.fields[0].sentences == form.fields[0].sentences
    assert back == form
    assert "sentences" not in form_to_dict(_forms()[0])  # never split: no key


def test_bad_stored_offsets_are_ignored():
    data = form_to_dict(with_sentences(_forms()[0]))
    data["sentences"][0] = [0, len(TEXT_A) + 5]
    assert form_from_dict(data).fields[0].sentences is None
    data["sentences"] = [[0, 3]]  # one entry for two fields
    assert all(f.sentences is None for f in form_from_dict(data).fields)


@given(st.lists(st.one_of(st.integers(-3, 30), st.booleans(), st.floats(0, 30)), max_size=8),
       st.integers(0, 25))
@example([-1, 5], 10)
@example([0, 5, 5, 9], 10)
@example([3, 2], 10)
@example([2, 2], 10)
@example([0, 11], 10)
@example([True, 3], 10)
@example([0, 3.0], 10)
@example([1, 2, 3], 10)
@example([], 0)
@example([0, 4, 4, 10], 10)
def test_stored_offsets_are_pairs_of_ints_inside_their_text(flat, length):
    from dupscan.batch.serial import _sentences

    pairs = tuple(zip(flat[::2], flat[1::2]))
    valid = len(flat) % 2 == 0 and all(type(a) is int and type(b) is int
                                       and 0 <= a < b <= length for a, b in pairs)
    assert _sentences(flat, "x" * length) == (pairs if valid else None)
    assert _sentences(tuple(flat), "x" * length) is None  # a list or nothing


def test_units_and_findings_equal_with_and_without_stored_offsets():
    plain = _forms()
    split = [with_sentences(f) for f in plain]
    assert [(u.start, u.end, u.key) for u in build_units(plain)] == \
        [(u.start, u.end, u.key) for u in build_units(split)]
    for kinds in (("exact", "near"), ("exact", "near", "paraphrase")):
        opts = ScanOptions(kinds=kinds)
        found = detect(split, options=opts)
        assert found and found == detect(plain, options=opts)


def test_stored_offsets_are_used_rather_than_splitting_again():
    form = _forms()[1]
    fld = form.fields[0]
    whole = Form(form.form_id, form.doc, form.case_id, form.form_type, form.date,
                 (Field(fld.label, None, fld.text, fld.start, fld.end, "narrative",
                        sentences=((0, len(fld.text)),)),))
    (unit,) = build_units([whole])
    assert unit.text == fld.text


def test_read_unit_stores_the_offsets_it_split_for_the_stock_count(tmp_path):
    from dupscan.batch.tasks import ReadContext, read_unit
    from dupscan.discover import SourceFile

    (tmp_path / "C1").mkdir()
    text = "Case ID: C1\nForm: Referral\n\nReason for referral: " + TEXT_B + "\n"
    (tmp_path / "C1" / "referral.txt").write_text(text)
    (result,) = read_unit(ReadContext(str(tmp_path)), (SourceFile("C1/referral.txt", "C1", 0),))
    assert not result.errors and len(result.forms) == 1
    data = result.forms[0]
    form = form_from_dict(data)
    narrative = [f for f in form.fields if f.kind == "narrative" and f.text.strip()]
    assert narrative and all(f.sentences == tuple(split_sentences(f.text)) for f in narrative)
    assert len(data["sentences"]) == len(data["fields"])
    # the stock count saw the same sentences detection will
    assert len(result.stock[0]) == len({u.key for u in build_units([form]) if len(u.toks) >= 3})
