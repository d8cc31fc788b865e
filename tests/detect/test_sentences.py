from itertools import pairwise

import pytest

from dupscan.detect.sentences import split_sentences


def _split(text):
    spans = split_sentences(text)
    for a, b in spans:
        assert 0 <= a < b <= len(text)
        assert text[a:b] == text[a:b].strip()
    return [text[a:b] for a, b in spans]


def test_titles_and_dotted_dates_do_not_end_sentences():
    text = "Mr. Smith and Mrs. Jones met Dr. Patel on 3.4.2025. Ava was seen."
    assert _split(text) == ["Mr. Smith and Mrs. Jones met Dr. Patel on 3.4.2025.", "Ava was seen."]


def test_dob_abbreviation_and_etc():
    text = "D.O.B. 12.01.2015 was checked. She packed toys, clothes etc. and left."
    assert _split(text) == ["D.O.B. 12.01.2015 was checked.", "She packed toys, clothes etc. and left."]


def test_bullets_and_numbered_items_are_sentences_without_markers():
    text = "Actions:\n- Mum to attend the GP\n\u2022 School to monitor attendance\n1. Review in six weeks"
    assert _split(text) == ["Actions:", "Mum to attend the GP", "School to monitor attendance",
                            "Review in six weeks"]


def test_wrapped_lines_join_and_blank_lines_split():
    text = "The family were visited at home\nand Mum was present. Ava said hi.\n\nNew paragraph here"
    assert _split(text) == ["The family were visited at home\nand Mum was present.", "Ava said hi.",
                            "New paragraph here"]


@pytest.mark.parametrize("text", ["", "   ", "\n\n"])
def test_empty_text(text):
    assert split_sentences(text) == []


def test_offsets_with_leading_space():
    text = "   Ava is 7.  She likes school.  "
    spans = split_sentences(text)
    assert [text[a:b] for a, b in spans] == ["Ava is 7.", "She likes school."]
    assert spans[0][0] == 3


def test_lower_case_word_after_a_full_stop_starts_a_new_sentence():
    t = "Ava was seen on Tuesday afternoon. today The home was tidy. Mum met Dr. khan there."
    assert [t[a:b] for a, b in split_sentences(t)] == [
        "Ava was seen on Tuesday afternoon.", "today The home was tidy.",
        "Mum met Dr. khan there."]


def test_a_line_longer_than_spacy_takes_is_split_in_pieces(monkeypatch):
    # a field exported without line breaks can pass spaCy's 1,000,000 characters
    from dupscan.detect import sentences

    text = "Notes: " + "Mum said Ava was late again today and " * 28_000 + "the end."
    assert len(text) > 1_000_000
    spans = split_sentences(text)
    assert spans and all(0 <= a < b <= len(text) for a, b in spans)
    assert text[spans[-1][0]:spans[-1][1]].endswith("the end.")
    # a paragraph cut at sentence ends keeps its sentences; cuts respect the limit
    para = " ".join(f"Ava was seen at home on day {i} with her brother." for i in range(300))
    whole = split_sentences(para)
    monkeypatch.setattr(sentences, "_MAX_BLOCK", 200)
    pieces = sentences._pieces(para, 0, len(para))
    assert len(pieces) > 50 and all(b - a <= 200 for a, b in pieces)
    assert pieces[0][0] == 0 and pieces[-1][1] == len(para)
    assert all(x[1] == y[0] for x, y in pairwise(pieces))
    assert split_sentences(para) == whole
    # no sentence end or white space within the limit: cut at the limit
    assert sentences._pieces("x" * 450, 0, 450) == [(0, 200), (200, 400), (400, 450)]
