import json

from dupscan.cli import main

TEXT = ("Home Visit Record\nCase ID: C5\nChild's name: Ava Jones\nDate of visit: 2025-03-03\n"
        "Observations: The home was warm. Ava was playing.\n")


def test_cli_json_shape(tmp_path, capsys):
    path = tmp_path / "visit.txt"
    path.write_text(TEXT, encoding="utf-8")
    assert main(["segment", str(path), "--format", "json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert set(out) == {"doc", "form_type", "fields"}
    assert out["doc"] == "visit.txt" and out["form_type"] == "home_visit_record"
    assert [set(f) for f in out["fields"]] == [
        {"label", "canonical", "text", "start", "end", "kind"}] * 4
    assert out["fields"][3]["canonical"] == "visit_observations"
    assert TEXT[out["fields"][1]["start"]:out["fields"][1]["end"]] == "Ava Jones"


def test_cli_text_table(tmp_path, capsys):
    path = tmp_path / "visit.txt"
    path.write_text(TEXT, encoding="utf-8")
    assert main(["segment", str(path), "--format", "text"]) == 0
    out = capsys.readouterr().out
    assert "visit_observations" in out and "form_type=home_visit_record" in out


def test_cli_bad_file_one_line_error(tmp_path, capsys):
    path = tmp_path / "broken.docx"
    path.write_bytes(b"PK\x03\x04 not really a zip")
    assert main(["segment", str(path)]) == 1
    err = capsys.readouterr().err.strip()
    assert err.startswith("dupscan segment: error:") and "\n" not in err
