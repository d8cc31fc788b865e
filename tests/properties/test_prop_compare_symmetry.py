"""compare(a, b) and compare(b, a) agree on what is matched: the same pairs of spans,
with source and target swapped.

Sentences are unique within each text: a sentence written twice in the later
text is two re-entries of one source, but twice in the earlier text it is one
source for one re-entry, so duplicates are asymmetric by design. The kind is not
compared (a merged span holding a sentence only one text has may be "near" one
way and "exact" the other).

What keeps the two directions alike: an unmatched sentence between two matched
ones always breaks a finding (detect/align.py), a copied run joins only
neighbouring source sentences so its source span never covers skipped text,
and a lower-case word after a full stop starts a new sentence
(detect/sentences.py).
"""

from __future__ import annotations

from hypothesis import event, given
from hypothesis import strategies as st

from prop_support import _SENTENCES, bounded, edited

from dupscan.detect import compare


@st.composite
def text_pair(draw, edits: bool):
    chosen = draw(st.lists(st.sampled_from(_SENTENCES), min_size=1, max_size=6, unique=True))
    n_shared = draw(st.integers(0, len(chosen)))
    shared, rest = chosen[:n_shared], chosen[n_shared:]
    split = draw(st.integers(0, len(rest)))
    a = shared + rest[:split]
    b = [draw(edited(s)) if edits and draw(st.booleans()) else s for s in shared] + rest[split:]
    a = list(draw(st.permutations(a))) if a else a
    b = list(draw(st.permutations(b))) if b else b
    return " ".join(a), " ".join(b)


@st.composite
def contiguous_pair(draw):
    """Shared sentences as one block, in the same order, in both texts."""
    chosen = draw(st.lists(st.sampled_from(_SENTENCES), min_size=1, max_size=6, unique=True))
    n_shared = draw(st.integers(0, len(chosen)))
    shared, rest = chosen[:n_shared], chosen[n_shared:]
    cut = draw(st.integers(0, len(rest)))
    rest_a, rest_b = rest[:cut], rest[cut:]
    i = draw(st.integers(0, len(rest_a)))
    j = draw(st.integers(0, len(rest_b)))
    a = rest_a[:i] + shared + rest_a[i:]
    b = rest_b[:j] + shared + rest_b[j:]
    return " ".join(a), " ".join(b)


def _pairs(findings, swap=False):
    out = set()
    for f in findings:
        src, tgt = (f.target, f.source) if swap else (f.source, f.target)
        out.add(((src.start, src.end), (tgt.start, tgt.end)))
    return out


def _check_spans(a: str, b: str) -> None:
    forward = compare(a, b)
    backward = compare(b, a)
    for f in forward:
        assert a[f.source.start:f.source.end] == f.source.text
        assert b[f.target.start:f.target.end] == f.target.text
    assert _pairs(forward) == _pairs(backward, swap=True)


@bounded(40)
@given(pair=contiguous_pair())
def test_compare_is_symmetric_for_a_contiguous_reused_block(pair) -> None:
    a, b = pair
    event("matched" if compare(a, b) else "nothing matched")
    _check_spans(a, b)
    assert sum(f.words for f in compare(a, b)) == sum(f.words for f in compare(b, a))


@bounded(40)
@given(pair=text_pair(edits=False))
def test_compare_reports_the_same_reentered_words_both_ways(pair) -> None:
    a, b = pair
    forward, backward = compare(a, b), compare(b, a)
    assert sum(f.words for f in forward) == sum(f.words for f in backward)


def test_unrelated_sentence_between_reused_ones_is_not_counted() -> None:
    a = ("Ava was seen at home with her mother on Tuesday afternoon. The home was warm, clean "
         "and tidy during the visit. Mum said that the school had raised concerns about "
         "attendance.")
    b = ("Ava was seen at home with her mother on Tuesday afternoon. Ava showed the social "
         "worker her bedroom and her new bicycle. The home was warm, clean and tidy during "
         "the visit.")
    assert sum(f.words for f in compare(a, b)) == 21


@bounded(40)
@given(pair=text_pair(edits=False))
def test_compare_matches_the_same_span_pairs_both_ways(pair) -> None:
    _check_spans(*pair)


def test_gap_between_reused_sentences_is_treated_alike_both_ways() -> None:
    _check_spans("Ava was seen at home with her mother on Tuesday afternoon. "
                 "The home was warm, clean and tidy during the visit.",
                 "Ava was seen at home with her mother on Tuesday afternoon. "
                 "Mum said that the school had raised concerns about attendance. "
                 "Ava showed the social worker her bedroom and her new bicycle. "
                 "The home was warm, clean and tidy during the visit.")


def test_inserted_word_is_matched_both_ways() -> None:
    _check_spans("Ava was seen at home with her mother on Tuesday afternoon. "
                 "The home was warm, clean and tidy during the visit.",
                 "Ava was seen at home with her mother on Tuesday afternoon. "
                 "today The home was warm, clean and tidy during the visit.")
