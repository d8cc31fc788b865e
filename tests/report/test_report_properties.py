"""Property tests: diff segments rebuild their text, bands stay ordered, JSON round-trips."""

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from dupscan.estimate import estimate, finding_seconds
from dupscan.model import Finding, Form, Span
from dupscan.profiles import load_profile
from dupscan.redact import redact_text
from dupscan.report.diff import word_diff
from dupscan.report.json import dumps, loads

PROFILE = load_profile()
TEXT = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=200)


@given(TEXT, TEXT)
@settings(max_examples=150, deadline=None)
def test_word_diff_segments_concatenate_back(source, target):
    src, tgt = word_diff(source, target)
    assert "".join(t for t, _ in src) == source
    assert "".join(t for t, _ in tgt) == target
    for segs in (src, tgt):
        assert all(segs[i][1] != segs[i + 1][1] for i in range(len(segs) - 1))


@given(st.sampled_from(["exact", "near", "paraphrase"]), st.integers(0, 5000),
       st.floats(0, 1, allow_nan=False))
@settings(max_examples=200, deadline=None)
def test_bands_ordered_and_non_negative(kind, words, similarity):
    s = finding_seconds(kind, words, similarity, PROFILE)
    assert 0 <= s.low <= s.central <= s.high


@given(TEXT)
@settings(max_examples=150, deadline=None)
def test_redaction_is_idempotent(text):
    once = redact_text(text)
    assert redact_text(once) == once


_SPAN_TEXT = st.text(max_size=60)


@given(st.lists(st.tuples(st.sampled_from(["exact", "near", "paraphrase"]),
                          st.integers(1, 300), st.floats(0, 1, allow_nan=False),
                          _SPAN_TEXT, _SPAN_TEXT, st.integers(0, 10_000)), max_size=8))
@settings(max_examples=60, deadline=None)
def test_json_round_trip_is_byte_identical(items):
    forms = [Form("a", "C/a.txt", "C", "referral", "2024-01-01", (), words=500),
             Form("b", "C/b.txt", "C", "assessment", "2024-03-01", (), words=900)]
    findings = [Finding("C", kind, sim, words, Span("a", "C/a.txt", "Reason", start, start + 9, s),
                        Span("b", "C/b.txt", "Background", start, start + 9, t))
                for kind, words, sim, s, t, start in items]
    text = dumps(estimate(forms, findings))
    assert dumps(loads(text)) == text


_OPENERS_BEFORE = re.compile(r"[.!?:;\n]\s*$")


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=" \t\n.!?:;(\"“-–,Ab", max_size=12), st.sampled_from(["Ava", "Bo"]))
def test_a_sentence_opening_is_found_from_its_word_backwards(before, word):
    from dupscan.redact import _opens_sentence

    text = before + word + " said."
    # the reading of the text before the word that the rule was first written as
    expected = (not before.strip() or bool(_OPENERS_BEFORE.search(before))
                or before.rstrip().endswith(("(", '"', "“", "-", "–")))
    assert _opens_sentence(text, len(before)) == expected
