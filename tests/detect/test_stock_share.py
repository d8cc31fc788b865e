"""The stock-text threshold scales with the number of cases scanned."""

from __future__ import annotations

import pytest

from dupscan.config import ScanOptions
from dupscan.detect import find_stock
from dupscan.errors import ConfigError
from dupscan.model import Field, Form

FOOTER = "Please record the views of the child and the family in this section."


def _cases(n: int, with_footer: int) -> dict[str, list[Form]]:
    out = {}
    for i in range(n):
        text = f"Child {i} was seen at school on day {i} and spoke about home."
        if i < with_footer:
            text = f"{FOOTER} {text}"
        out[f"C{i:03d}"] = [Form(f"f{i}", f"C{i:03d}/a.txt", f"C{i:03d}", "plan", "",
                                 (Field("Views", None, text, 0, len(text), "narrative"),))]
    return out


@pytest.mark.parametrize("share, cases, need", [
    (0.0, 900, 5), (0.03, 100, 5), (0.03, 167, 6), (0.03, 900, 27), (0.05, 200, 10),
    (1.0, 12, 12), (0.03, 0, 5)])
def test_threshold_is_the_larger_of_the_floor_and_the_share(share, cases, need):
    assert ScanOptions(stock_min_share=share).stock_threshold(cases) == need


@pytest.mark.parametrize("share", [-0.01, 1.01, float("nan")])
def test_share_outside_zero_to_one_is_refused(share):
    with pytest.raises(ConfigError, match="stock_min_share"):
        ScanOptions(stock_min_share=share)


def test_stock_min_cases_below_one_is_refused():
    with pytest.raises(ConfigError, match="stock_min_cases"):
        ScanOptions(stock_min_cases=0)


def test_copies_within_a_few_cases_of_a_large_corpus_are_not_stock():
    cases = _cases(200, with_footer=8)
    assert [s.text for s in find_stock(cases, options=ScanOptions(stock_min_share=0.0))] == [FOOTER]
    assert find_stock(cases, options=ScanOptions(stock_min_share=0.05)) == []  # needs 10 cases
    widespread = _cases(200, with_footer=10)
    found = find_stock(widespread, options=ScanOptions(stock_min_share=0.05))
    assert [(s.text, s.cases) for s in found] == [(FOOTER, 10)]


def test_small_corpora_keep_the_fixed_floor():
    cases = _cases(20, with_footer=5)
    assert [s.cases for s in find_stock(cases, options=ScanOptions(stock_min_share=0.05))] == [5]
