"""Fixtures: a small realistic report built by hand."""

import pytest

from report_sample import build_report


@pytest.fixture
def report():
    return build_report()


@pytest.fixture
def annual_report():
    return build_report(period_days=182.625, staff=12)
