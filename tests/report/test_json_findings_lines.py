"""findings.json writes each finding directly; the text equals the generic encoding."""

from __future__ import annotations

import math

from hypothesis import given, settings
from hypothesis import strategies as st

from dupscan.model import Finding, Seconds, Span
from dupscan.report import json as report_json

_text = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=20)
_float = st.one_of(st.floats(allow_nan=True, allow_infinity=True),
                   st.sampled_from([0.0, -0.0, 1e-9, 0.123456, 1e16, 100.0]))
_span = st.builds(Span, form_id=_text, doc=_text, field=_text,
                  start=st.integers(0, 10**9), end=st.integers(0, 10**9), text=_text)
_finding = st.builds(Finding, case_id=_text, kind=st.sampled_from(["exact", "near"]),
                     similarity=_float, words=st.integers(0, 10**6), source=_span,
                     target=_span, seconds=st.builds(Seconds, _float, _float, _float))


@settings(max_examples=200, deadline=None)
@given(_finding)
def test_finding_line_equals_the_generic_encoding(finding):
    item = report_json.to_dict(_report([finding]))["findings"][0]
    assert report_json._finding_text(finding) == report_json._compact(item)


def test_dumps_keeps_the_layout_of_every_key():
    finding = Finding("C1", "exact", 1.0, 7, Span("a", "a.txt", "Notes", 0, 5, "Ünïcode \"q\"\n"),
                      Span("b", "b.txt", "Notes", 3, 9, "x"), Seconds(0.00001, math.pi, 2.0))
    report = _report([finding, finding])
    data = report_json.to_dict(report)
    generic = "{\n" + ",\n".join(f"  {report_json._compact(k)}: "
                                 f"{report_json._block(v, '  ')}"
                                 for k, v in data.items()) + "\n}\n"
    assert report_json.dumps(report) == generic
    assert report_json.loads(report_json.dumps(report)).findings[0].source.text == \
        finding.source.text


def _report(findings):
    from dupscan.estimate import estimate

    report = estimate([], [])
    from dataclasses import replace

    return replace(report, findings=tuple(findings))
