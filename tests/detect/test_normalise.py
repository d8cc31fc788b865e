from dupscan.detect.normalise import norm_hash, normalise, tokens, word_count, word_spans


def test_case_space_punctuation_and_quotes_normalise_equal():
    a = "Mum said: \u201cAva\u2019s  FINE\u201d -- really."
    b = 'mum said "Ava\'s fine" really'
    assert normalise(a) == normalise(b)
    assert norm_hash(a) == norm_hash(b)


def test_different_words_hash_differently():
    assert norm_hash("Ava was seen") != norm_hash("Ava was not seen")


def test_tokens_keep_dates_and_contractions():
    assert tokens("Seen on 3.4.2025, didn't stay.") == ["seen", "on", "3.4.2025", "didn't", "stay"]


def test_word_spans_index_the_original_text():
    text = "Ava\u2019s Mum (Ms Khan) agreed."
    for start, end, tok in word_spans(text):
        assert text[start:end].lower().replace("\u2019", "'") == tok


def test_word_count_matches_tokens():
    text = "Ava\u2019s attendance is 86% this term."
    assert word_count(text) == len(tokens(text)) == 6
