"""The docstring examples of the time model, report and audit modules run."""

import doctest
import importlib

import pytest

MODULES = ["dupscan.estimate", "dupscan._aggregate", "dupscan.profiles", "dupscan.redact",
           "dupscan.audit", "dupscan.report", "dupscan.report.json", "dupscan.report.csv",
           "dupscan.report.console", "dupscan.report._format", "dupscan.report.diff",
           "dupscan.report.charts", "dupscan.report.recommend", "dupscan.report.html",
           "dupscan.report.audit_html", "dupscan.report._cases", "dupscan._spool"]


@pytest.mark.parametrize("name", MODULES)
def test_doctests(name):
    result = doctest.testmod(importlib.import_module(name), optionflags=doctest.ELLIPSIS)
    assert result.failed == 0
    assert result.attempted > 0, f"{name} has no examples"
