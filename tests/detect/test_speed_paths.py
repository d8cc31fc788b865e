"""Vectorised and shortcut paths of detection equal the plain code they replace."""

from __future__ import annotations

import random

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dupscan.detect.fingerprint import crowded_grams, shared_earlier
from dupscan.detect.lexicon import OUTCOMES, POLARITY
from shingle_reference import ShingleIndex
from dupscan.detect.normalise import norm_hash, normalise, normalised_hash, tokens, word_count
from dupscan.detect.passages import build_units
from dupscan.model import Field, Form


def _plain(toks: list[list[str]], groups: list[int], max_postings: int) -> list[list[int]]:
    index = ShingleIndex(max_postings=max_postings)
    for i, t in enumerate(toks):
        index.add(i, t)
    return [sorted(s for s in index.candidates_of(i) if groups[s] < groups[i])
            for i in range(len(toks))]


def _check_against_the_shingle_index(rng: random.Random, words: list[str], longest: int,
                                     most: int, last_group: int, postings: list[int]) -> None:
    """shared_earlier equals the shingle index on 60 random sets of passages."""
    for _ in range(60):
        toks = [[rng.choice(words) for _ in range(rng.randint(0, longest))]
                for _ in range(rng.randint(1, most))]
        groups = [rng.randint(0, last_group) for _ in toks]
        max_postings = rng.choice(postings)
        assert shared_earlier(toks, groups, max_postings=max_postings) == \
            _plain(toks, groups, max_postings)


@pytest.mark.parametrize("seed", range(4))
def test_shared_earlier_equals_the_shingle_index(seed):
    _check_against_the_shingle_index(
        random.Random(seed), ["ava", "mum", "was", "seen", "at", "home", "school"],
        longest=7, most=14, last_group=3, postings=[2, 3, 200])


@pytest.mark.parametrize("block", [1, 5, 40])
def test_shared_earlier_in_blocks_of_passages_equals_the_shingle_index(monkeypatch, block):
    # a case of thousands of forms pairs its n-gram rows a block of passages at a time
    # (a block of one passage when one alone makes more pairs than a block holds)
    from dupscan.detect import fingerprint

    monkeypatch.setattr(fingerprint, "_PAIRS_PER_BLOCK", block)
    _check_against_the_shingle_index(
        random.Random(block), ["ava", "mum", "was", "seen", "at", "home", "school", "today"],
        longest=9, most=30, last_group=6, postings=[2, 4, 200])


def test_shared_earlier_does_not_depend_on_words_numbered_before_or_beside_it(monkeypatch):
    # words keep their numbers from case to case, one map per thread: candidates must be
    # those of a fresh map, after other cases, when the map starts again, and when
    # threads number words at the same time
    from concurrent.futures import ThreadPoolExecutor

    from dupscan.detect import fingerprint

    rng = random.Random(7)
    words = [f"w{i}" for i in range(40)]
    cases = []
    for _ in range(80):
        toks = [[rng.choice(words) for _ in range(rng.randint(0, 9))]
                for _ in range(rng.randint(2, 20))]
        cases.append((toks, [rng.randint(0, 4) for _ in toks]))
    expected = [_plain(toks, groups, 200) for toks, groups in cases]
    assert [shared_earlier(*case) for case in cases] == expected
    monkeypatch.setattr(fingerprint, "_MAX_WORDS", 10)  # the map starts again often
    assert [shared_earlier(*case) for case in cases] == expected
    with ThreadPoolExecutor(4) as pool:
        assert list(pool.map(lambda case: shared_earlier(*case), cases * 3)) == expected * 3


def _plain_crowded(toks: list[list[str]], max_postings: int, n: int = 3
                   ) -> list[tuple[int, ...]]:
    """Per passage, where its n-grams held by more than ``max_postings`` passages first
    occur, counted passage by passage."""
    grams = [[tuple(t[i:i + n]) for i in range(len(t) - n + 1)] if len(t) >= n
             else ([tuple(t)] if t else []) for t in toks]
    holders: dict[tuple[str, ...], int] = {}
    for passage in grams:
        for gram in set(passage):
            holders[gram] = holders.get(gram, 0) + 1
    return [tuple(sorted({g: i for i, g in reversed(list(enumerate(passage)))
                          if holders[g] > max_postings}.values())) for passage in grams]


@pytest.mark.parametrize("block", [1, 40, 2_000_000])
def test_candidates_of_the_later_groups_only_equal_theirs_among_all(monkeypatch, block):
    # an extended case finds the candidates of its compared forms' passages only, in
    # blocks of passages as a case of thousands of forms does
    from dupscan.detect import fingerprint

    monkeypatch.setattr(fingerprint, "_PAIRS_PER_BLOCK", block)
    rng = random.Random(block)
    words = ["ava", "mum", "was", "seen", "at", "home", "school", "today"]
    for _ in range(60):
        toks = [[rng.choice(words) for _ in range(rng.randint(0, 8))]
                for _ in range(rng.randint(1, 25))]
        groups = sorted(rng.randint(0, 5) for _ in toks)
        first, max_postings = rng.randint(0, 6), rng.choice([2, 4, 200])
        whole = shared_earlier(toks, groups, max_postings=max_postings)
        assert whole == _plain(toks, groups, max_postings)
        assert shared_earlier(toks, groups, first=first, max_postings=max_postings) == \
            [found if group >= first else [] for found, group in zip(whole, groups)]


@pytest.mark.parametrize("seed", range(3))
def test_crowded_grams_equal_those_counted_passage_by_passage(seed):
    rng = random.Random(seed)
    words = ["ava", "mum", "was", "seen", "at", "home"]
    for _ in range(60):
        toks = [[rng.choice(words) for _ in range(rng.randint(0, 7))]
                for _ in range(rng.randint(1, 30))]
        max_postings = rng.choice([1, 2, 3, 5, 200])
        assert crowded_grams(toks, max_postings=max_postings) == \
            _plain_crowded(toks, max_postings)


def test_shared_earlier_on_record_sentences():
    text = ("Mum said Ava was late to school on Monday because the bus did not come. "
            "The social worker visited the family home and saw the children alone. "
            "Ava said she was happy at home. Dad agreed to attend every session.")
    form_a = Form("a", "a.txt", "C1", "note", "2025-01-01",
                  (Field("Notes", None, text, 0, len(text), "narrative"),))
    b_text = text.replace("Monday", "Tuesday") + " Nothing else was recorded today."
    form_b = Form("b", "b.txt", "C1", "note", "2025-02-01",
                  (Field("Notes", None, b_text, 0, len(b_text), "narrative"),))
    units = build_units([form_a, form_b])
    toks, groups = [u.toks for u in units], [u.form for u in units]
    found = shared_earlier(toks, groups)
    assert found == _plain(toks, groups, 200)
    assert sum(map(len, found)) >= 4  # every copied sentence finds its source


@pytest.mark.parametrize("text", [
    "Mum said: \u201cAva\u2019s fine.\u201d", "Seen on 3.4.2025 at 10.30 -- all well",
    "\u0130stanbul trip \ufb01ne", "Caf\u00e9 visit `quoted` ok", "ABC  def's  GHI.",
])
def test_hash_and_count_shortcuts(text):
    norm = normalise(text)
    assert normalised_hash(norm) == norm_hash(norm) == norm_hash(text)
    if text.isascii():
        assert len(tokens(text)) == word_count(text)


def test_ascii_folding_shortcut_equals_the_unicode_path():
    import unicodedata

    from dupscan.detect import normalise as n

    rng = random.Random(7)
    alphabet = "aZ9 .'`-_,\"\u2019\t\n!?"
    for _ in range(500):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 30)))
        if not text.isascii():
            continue
        slow = unicodedata.normalize("NFKC", text).translate(n._QUOTES).lower()
        assert n._fold(text) == slow
        assert n.tokens(text) == n._WORD.findall(slow)
        assert n.word_count(text) == len(n._WORD.findall(text.translate(n._QUOTES)))
        folded = text.translate(n._QUOTES).lower()
        assert n.word_spans(text) == [(m.start(), m.end(), m.group())
                                      for m in n._WORD.finditer(folded)]


def test_blas_stays_limited_until_the_last_case_detected_at_once_ends():
    """A Dask worker detects several cases at once, in threads: the one-thread BLAS
    limit holds until the last of them ends, then the limit from before comes back."""
    import importlib

    from threadpoolctl import ThreadpoolController, threadpool_info

    engine = importlib.import_module("dupscan.detect.engine")

    def blas_threads() -> set[int]:
        return {lib["num_threads"] for lib in threadpool_info() if lib["user_api"] == "blas"}

    if not blas_threads():
        pytest.skip("no BLAS library loaded")
    with ThreadpoolController().limit(limits=2, user_api="blas"):
        first, second = engine._one_blas_thread(), engine._one_blas_thread()
        first.__enter__()
        second.__enter__()  # a second case starts in another thread
        assert blas_threads() == {1}
        first.__exit__(None, None, None)  # the first case ends: the second still runs
        assert blas_threads() == {1}
        second.__exit__(None, None, None)
        assert blas_threads() == {2}


def test_detect_unit_restores_the_garbage_collector_state():
    import gc

    from dupscan.batch.runtables import decode_findings
    from dupscan.batch.serial import dumps, form_to_dict
    from dupscan.batch.tasks import CaseUnit, DetectContext, detect_unit

    text = "Mum said Ava was late to school on Monday because the bus did not come."
    forms = tuple(dumps(form_to_dict(Form(i, f"{i}.txt", "C1", "note", f"2025-0{n}-01",
                                          (Field("Notes", None, text, 0, len(text),
                                                 "narrative"),))))
                  for n, i in enumerate("ab", 1))
    before = gc.isenabled()
    try:
        for state in (True, False):
            (gc.enable if state else gc.disable)()
            found = detect_unit(DetectContext(), CaseUnit("C1", forms))
            assert gc.isenabled() is state
            assert [f.kind for f in decode_findings(found.findings)] == ["exact"]
    finally:
        (gc.enable if before else gc.disable)()


def _aliases_text_by_text(texts: list[str]) -> dict[str, frozenset[str]]:
    """person_aliases as first written: each text scanned on its own with NAME and FULL_NAME."""
    from dupscan.detect.lexicon import NOT_NAMES
    from dupscan.detect.normalise import opens_sentence
    from dupscan.detect.people import FULL_NAME, NAME, add_full_names, name_key

    out: dict[str, set[str]] = {}
    for text in texts:
        for m in NAME.finditer(text):
            word = name_key(m.group())
            if word not in out and not opens_sentence(text, m.start()) and word not in NOT_NAMES:
                out[word] = set()
        add_full_names(out, FULL_NAME.finditer(text))
    return {k: frozenset(v or (k,)) for k, v in out.items()}


_NAME_PIECES = ["Ava", "Ann-Marie", "Tasha Taylor", "Mum", "Ms", "Khan", "said", "saw", "the",
                "Monday", "x", "9", " ", "  ", "\t", "\n", ".", ". ", "-", "'", "(", ",", ":",
                "\u2022 ", "Ava's", "aVa", "É", "é", "_", "Leo",
                # surname prefixes: NAME_SCAN writes them another way than NAME does
                "McCarthy", "MacDonald", "Mcdonald", "O'Brien", "D\u2019Souza", "Mc", "O", "D",
                "\u2019", "Carthy"]


@given(st.lists(st.lists(st.sampled_from(_NAME_PIECES), max_size=12).map("".join),
                max_size=6))
@settings(max_examples=400, deadline=None)
def test_person_aliases_equal_a_text_by_text_scan(texts):
    from dupscan.detect.people import person_aliases

    assert person_aliases(texts) == _aliases_text_by_text(texts)


def _attribute_plain(text: str, dim: str) -> frozenset[str]:
    """One dimension of guard._attributes as first written: every phrase tried."""
    from dupscan.detect.lexicon import ATTRIBUTE_TERMS

    norm = " " + " ".join(tokens(text)) + " "
    found = set()
    for value, phrases in ATTRIBUTE_TERMS[dim].items():
        for p in sorted(phrases, key=len, reverse=True):
            if f" {p} " in norm:
                found.add(value)
                norm = norm.replace(f" {p} ", " | ")
    if dim == "room" and "bedroom" in norm.split():
        found.add("bedroom")
    return frozenset(found)


def _attribute_words() -> list[str]:
    from dupscan.detect.lexicon import ATTRIBUTE_TERMS

    words = {w for terms in ATTRIBUTE_TERMS.values() for phrases in terms.values()
             for p in phrases for w in p.split()}
    return sorted(words) + ["bedroom", "children's", "Mum", "the", "was", "in", "."]


@given(st.lists(st.sampled_from(_attribute_words()), max_size=14).map(" ".join))
@settings(max_examples=400, deadline=None)
def test_attributes_equal_every_phrase_tried(text):
    from dupscan.detect.guard import _attributes
    from dupscan.detect.lexicon import ATTRIBUTES

    assert _attributes(text) == tuple(_attribute_plain(text, d) for d in ATTRIBUTES)


@given(st.lists(st.sampled_from(_NAME_PIECES), max_size=20).map("".join))
@settings(max_examples=400, deadline=None)
def test_name_scan_patterns_find_what_name_patterns_find(text):
    from dupscan.detect.people import FULL_NAME, FULL_NAME_SCAN, NAME, NAME_SCAN

    assert [m.span() for m in NAME_SCAN.finditer(text)] == [m.span() for m in NAME.finditer(text)]
    assert FULL_NAME_SCAN.findall(text) == FULL_NAME.findall(text)


@given(st.lists(st.sampled_from("ava mum was seen at home school the".split()), max_size=12),
       st.lists(st.sampled_from("ava mum was seen at home school the".split()), max_size=12),
       st.sampled_from([0.0, 0.5, 0.8, 0.9, 1.0]))
@settings(max_examples=400, deadline=None)
def test_containment_bound_never_changes_the_verdict(a, b, at_least):
    from dupscan.detect.fuzzy import lexical

    def scores():
        return lexical(" ".join(a), " ".join(b), a, b)

    assert scores().contains(at_least) == (scores().containment >= at_least)


@given(st.lists(st.sampled_from("ava mum was seen at home school the".split()), max_size=12),
       st.lists(st.sampled_from("ava mum was seen at home school the".split()), max_size=12))
@settings(max_examples=200, deadline=None)
def test_scores_computed_on_first_use_equal_rapidfuzz(a, b):
    from rapidfuzz import fuzz
    from rapidfuzz.distance import Indel

    from dupscan.detect.fuzzy import lexical

    a_norm, b_norm = " ".join(a), " ".join(b)
    lex = lexical(a_norm, b_norm, a, b)
    assert lex.token_set == fuzz.token_set_ratio(a_norm, b_norm) / 100.0
    assert lex.token_ratio == Indel.normalized_similarity(a, b)
    assert lex.ratio == fuzz.ratio(a_norm, b_norm) / 100.0


def test_a_scan_for_copies_alone_never_takes_token_set_ratios(monkeypatch):
    """Only the paraphrase stage reads a pair's token-set ratio (its gate and features)."""
    from dupscan.config import ScanOptions
    from dupscan.detect import fuzzy
    from dupscan.detect.engine import detect

    calls = []
    real = fuzzy.fuzz.token_set_ratio

    def counted(*args, **kwargs):
        calls.append(args)
        return real(*args, **kwargs)

    monkeypatch.setattr(fuzzy.fuzz, "token_set_ratio", counted)
    texts = ["Mum said Ava was late to school on Monday and she had no breakfast.",
             "The family home was cold and there was little food in the kitchen.",
             "Mum said that Ava was late for school on Monday and had no breakfast today.",
             "The house was cold and the kitchen cupboards were nearly empty."]

    def form(name, day, text):
        return Form(name, f"{name}.txt", "C1", "note", f"2025-01-0{day}",
                    (Field("Notes", None, text, 0, len(text), "narrative"),))

    forms = [form("a", 1, " ".join(texts[:2])), form("b", 2, " ".join(texts[2:]))]
    found = detect(forms, options=ScanOptions(kinds=("exact", "near")))
    assert found and not calls
    detect(forms)
    assert calls


@settings(max_examples=200, deadline=None)
@given(st.lists(st.one_of(st.none(), st.sampled_from([0.5, 0.6, 0.75, 0.9])), min_size=1,
                max_size=8))
def test_candidate_margins_equal_the_plain_rescan(cosines):
    from types import SimpleNamespace

    from dupscan.detect.engine import _Margins

    cands = [(SimpleNamespace(idx=i * 3), c) for i, c in enumerate(cosines)]
    margins = _Margins(cands)
    for unit, cosine in cands:
        others = [c for u, c in cands if u.idx != unit.idx and c is not None]
        plain = 0.0 if cosine is None else (cosine - max(others) if others else 1.0)
        assert margins(unit, cosine) == plain


def _phrases_tried_one_by_one(norm: str, table):  # the loop _phrases replaces
    from dupscan.detect.guard import _phrase_re

    hits = []
    for entry in table:
        pat = _phrase_re(entry[0])
        if pat.search(norm):
            hits.append(entry[1:])
            norm = pat.sub(" ", norm)
    return hits, norm


_PHRASES = sorted({phrase for phrase, *_ in (*OUTCOMES, *POLARITY)})
_PHRASE_WORDS = sorted({w for phrase in _PHRASES for w in phrase.split()})


@settings(max_examples=300, deadline=None)
@given(st.lists(st.one_of(st.sampled_from(_PHRASES), st.sampled_from(_PHRASE_WORDS),
                          st.sampled_from(["-", "'", ".", "x", "no's", "aren't", "not"])),
                max_size=30))
def test_phrases_equal_every_phrase_tried(words):
    # only phrases whose first word the text holds are tried: the same hits, the same rest
    from dupscan.detect.guard import _OUTCOME_RUNS, _POLARITY_RUNS, _phrases

    for sep in (" ", "-"):
        norm = sep.join(words)
        for table, runs in ((OUTCOMES, _OUTCOME_RUNS), (POLARITY, _POLARITY_RUNS)):
            assert _phrases(norm, table, runs) == _phrases_tried_one_by_one(norm, table)


def test_phrases_find_phrases_after_others_are_blanked_out():
    from dupscan.detect.guard import _POLARITY_RUNS, _phrases

    norm = "no concerns about injury - mum agreed and no physical injuries were seen"
    hits, rest = _phrases(norm, POLARITY, _POLARITY_RUNS)
    assert (hits, rest) == _phrases_tried_one_by_one(norm, POLARITY)
    assert ("injury", -1) in hits and "injuries" not in rest
