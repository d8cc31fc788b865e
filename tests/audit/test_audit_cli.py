import json

import pytest

from dupscan.cli import main


def test_audit_command_writes_json_and_html(tmp_path, capsys):
    pytest.importorskip("dupscan.segment")
    templates = tmp_path / "templates"
    templates.mkdir()
    for name, extra in (("referral", "## Reason for referral\n\n> What happened?\n"),
                        ("visit", "## Observations\n\n> What did you see?\n")):
        (templates / f"{name}.md").write_text(
            f"# {name.title()}\n\n## Details\n\n- Child's name: \n- Date of birth: \n\n{extra}",
            encoding="utf-8")
    out = tmp_path / "out"
    code = main(["audit", str(templates), "--out", str(out), "--format", "json,html"])
    assert code == 0
    data = json.loads((out / "audit.json").read_text("utf-8"))
    assert {s["key"] for s in data["shared"]} >= {"child_name", "dob"}
    assert (out / "audit.html").read_text("utf-8").startswith("<!DOCTYPE html>")
    assert "Form-set audit" in capsys.readouterr().out


def test_audit_command_usage_errors(tmp_path, capsys):
    assert main(["audit", str(tmp_path / "missing")]) == 2
    assert main(["audit", str(tmp_path), "--format", "pdf"]) == 2
    assert "unknown format" in capsys.readouterr().err


def test_audit_command_with_records_from_findings_json(tmp_path):
    pytest.importorskip("dupscan.segment")
    from dupscan.estimate import estimate
    from dupscan.model import Finding, Form, Span
    from dupscan.report import write_reports

    templates = tmp_path / "templates"
    templates.mkdir()
    for name in ("referral", "assessment"):
        (templates / f"{name}.md").write_text(
            f"# {name.title()}\n\n## Details\n\n- Child's name: \n\n"
            "## Reason for referral\n\n> Why?\n", encoding="utf-8")
    a = Form("a", "C/a.md", "C", "referral", "2024-01-01", ())
    b = Form("b", "C/b.md", "C", "assessment", "2024-02-01", ())
    finding = Finding("C", "exact", 1.0, 25, Span("a", "C/a.md", "Reason for referral", 0, 1, "x"),
                      Span("b", "C/b.md", "Reason for referral", 0, 1, "x"))
    findings = write_reports(estimate([a, b], [finding]), tmp_path / "scan", "json")["json"]
    out = tmp_path / "out"
    assert main(["audit", str(templates), "--records", str(findings), "--out", str(out),
                 "--format", "json", "--quiet"]) == 0
    data = json.loads((out / "audit.json").read_text("utf-8"))
    shared = {s["key"]: s for s in data["shared"]}
    assert shared["reason_for_referral"]["measured"]["words"] == 25
    assert data["measured"][0]["target_form_type"] == "assessment"
