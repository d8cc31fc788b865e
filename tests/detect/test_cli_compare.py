import json

from dupscan.cli import main

A = "Mum said that Ava was late to school three times this week because of the buses.\n"
B = "Ms Khan said Ava was late to school three times this week because of the bus.\n"


def test_compare_two_files_json(tmp_path, capsys):
    (tmp_path / "a.txt").write_text(A)
    (tmp_path / "b.txt").write_text(B)
    assert main(["compare", str(tmp_path / "a.txt"), str(tmp_path / "b.txt"),
                 "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    [f] = data["findings"]
    assert f["kind"] == "near"
    assert B[f["target"]["start"]:f["target"]["end"]] == f["target"]["text"]


def test_compare_stdin_text(tmp_path, capsys, monkeypatch):
    import io

    (tmp_path / "a.txt").write_text(A)
    monkeypatch.setattr("sys.stdin", io.StringIO(A))
    assert main(["compare", str(tmp_path / "a.txt"), "-"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("exact") and "1 finding(s)" in out


def test_compare_nothing_found_and_usage_errors(tmp_path, capsys):
    (tmp_path / "a.txt").write_text(A)
    (tmp_path / "c.txt").write_text("The dog barked at the postman all morning long today.\n")
    assert main(["compare", str(tmp_path / "a.txt"), str(tmp_path / "c.txt")]) == 0
    assert "no re-entered text found" in capsys.readouterr().out
    assert main(["compare", "-", "-"]) == 2
    assert main(["compare", str(tmp_path / "missing.txt"), str(tmp_path / "a.txt")]) == 1
