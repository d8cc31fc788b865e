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
