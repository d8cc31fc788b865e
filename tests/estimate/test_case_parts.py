"""A case added from its stored part counts exactly as the case added from its objects."""

import json

import pytest
from test_time_model import _findings, _forms

from dupscan._case_part import CasePart
from dupscan._spool import finding_spool, form_spool
from dupscan.estimate import Estimator
from dupscan.report.json import dumps


def _by_case(items):
    out = {}
    for item in items:
        out.setdefault(item.case_id, []).append(item)
    return out


def _report(est, forms, findings, how):
    """Add each case to ``est`` by ``how``: its objects, or its part (encoded and read back)."""
    by_forms, by_findings = _by_case(forms), _by_case(findings)
    for case_id in sorted(by_forms):
        if how == "objects":
            est.add_case(by_forms[case_id], by_findings.get(case_id, []))
        else:
            _, part = Estimator().add_case_part(by_forms[case_id], by_findings.get(case_id, []))
            est.add_part(CasePart.decode(part.encode()))
    return est.report()


@pytest.mark.parametrize("spooled", [False, True])
def test_parts_give_the_report_of_the_objects(tmp_path, spooled):
    forms = _forms()
    findings = _findings(forms)

    def estimator(name):
        if not spooled:
            return Estimator(staff=3)
        folder = tmp_path / name
        folder.mkdir()
        return Estimator(staff=3, forms_out=form_spool(folder), findings_out=finding_spool(folder))

    want = _report(estimator("a"), forms, findings, "objects")
    got = _report(estimator("b"), forms, findings, "parts")
    assert dumps(got) == dumps(want) and len(got.findings) == len(findings)
    if spooled:  # the parts' forms and findings are written from their lines, the objects'
        # from rows
        assert got.findings.json_lines() is not None and want.findings.json_lines() is None
        assert got.forms.json_lines() is not None and want.forms.json_lines() is None
    # whole forms (with their fields) come back from the part too
    assert list(got.forms) == list(want.forms) and any(f.fields for f in got.forms)


def test_a_part_round_trips_and_refuses_damage():
    forms = [f for f in _forms() if f.case_id == "C1"]
    _, part = Estimator().add_case_part(forms, [f for f in _findings(_forms())
                                                if f.case_id == "C1"])
    again = CasePart.decode(part.encode())
    assert again == part and len(again.decoded_findings()) == 3
    assert CasePart.decode(part.encode().decode()) == part  # a part kept as text reads alike
    assert [f.form_id for f in again.decoded_forms()] == [f.form_id for f in forms]
    text = part.encode().decode()  # a part stored as text reads as its UTF-8 bytes
    lines = text.split("\n")
    header = json.loads(lines[0])
    changed = lines[1].replace(forms[0].form_id, forms[0].form_id[::-1])  # one value changed
    for bad in (text + "\n", "[2, 3, 3]", "\n".join([json.dumps([1, *header[1:]]), *lines[1:]]),
                "\n".join([json.dumps([*header[:2], 9, header[3]]), *lines[1:]]),
                "\n".join([lines[0], changed, *lines[2:]]), _with_bad_seconds(lines)):
        with pytest.raises(ValueError):
            CasePart.decode(bad)


def _with_bad_seconds(lines):
    """A part whose digest holds but whose first finding's seconds are not a number."""
    return _with_tally(lines, 1, 3, "many")


def _with_tally(lines, which, at, value):
    """A part whose digest holds but whose first tally of ``which`` (0: forms,
    1: findings) has ``value`` at ``at`` (or one value fewer when ``at`` is None)."""
    tallies = json.loads(lines[4])
    if at is None:
        tallies[which][0].pop()
    else:
        tallies[which][0][at] = value
    return _with_body(lines, [*lines[1:4], json.dumps(tallies), *lines[5:]])


def _with_body(lines, body_lines):
    """A part of the header of ``lines`` with ``body_lines`` under it and their digest."""
    from dupscan._case_part import _digest

    body = "\n".join(body_lines)
    header = json.loads(lines[0])
    return "\n".join([json.dumps([*header[:3], _digest(body.encode())]), body])


def test_a_part_has_a_line_for_each_form_and_each_finding():
    from dupscan.report.json import finding_line, form_line

    forms = [f for f in _forms() if f.case_id == "C1"]
    costed, part = Estimator().add_case_part(forms, [f for f in _findings(_forms())
                                                     if f.case_id == "C1"])
    lines = part.encode().decode().split("\n")
    assert len(lines) == 5 + len(part.form_tallies) + len(part.finding_tallies) == 11
    assert lines[5:8] == [form_line(f) for f in part.decoded_forms()]
    assert lines[8:] == [finding_line(f) for f in costed]
    assert CasePart.decode(_with_body(lines, lines[1:])) == part
    # a line short or over, among the findings' or the forms' lines
    for body in (lines[1:-1], [*lines[1:], lines[-1]], lines[1:7], [*lines[1:5], *lines[6:]],
                 [*lines[1:6], lines[6], *lines[6:]]):
        with pytest.raises(ValueError, match="lines"):
            CasePart.decode(_with_body(lines, body))
    _, empty = Estimator().add_case_part(forms, [])
    assert empty.finding_lines == b"" and CasePart.decode(empty.encode()) == empty
    assert empty.form_lines.count(b"\n") == 2
    assert isinstance(part.encode(), bytes) and part.forms.startswith(b"[")


def test_every_value_of_a_tally_is_checked():
    forms = [f for f in _forms() if f.case_id == "C1"]
    _, part = Estimator().add_case_part(forms, [f for f in _findings(_forms())
                                                if f.case_id == "C1"])
    lines = part.encode().decode().split("\n")
    tallies = json.loads(lines[4])
    for which in (0, 1):
        for at, value in enumerate(tallies[which][0]):
            wrong = 1.5 if isinstance(value, str) else "x"
            with pytest.raises(ValueError):
                CasePart.decode(_with_tally(lines, which, at, wrong))
        with pytest.raises(ValueError):
            CasePart.decode(_with_tally(lines, which, None, None))
    assert CasePart.decode(_with_tally(lines, 1, 3, 2)) is not None  # whole seconds are numbers


def test_cases_come_in_order_from_parts_too():
    forms = _forms()
    findings = _findings(forms)
    est = Estimator()
    _, c2 = Estimator().add_case_part(_by_case(forms)["C2"], _by_case(findings)["C2"])
    est.add_part(c2)
    with pytest.raises(ValueError, match="case order"):
        est.add_case(_by_case(forms)["C1"], _by_case(findings)["C1"])
