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
