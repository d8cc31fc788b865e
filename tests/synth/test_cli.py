"""``dupscan generate`` through the real command line entry point."""

from __future__ import annotations

from pathlib import Path

import pytest

from dupscan.cli import main


def test_generate_command_writes_corpus(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "corpus"
    code = main(["generate", "--cases", "3", "--seed", "4", "--out", str(out)])
    assert code == 0
    for name in ("manifest.csv", "fields.jsonl", "truth.jsonl", "templates/chronology.md"):
        assert (out / name).is_file()
    printed = capsys.readouterr().out
    assert "3 cases" in printed and "planted items" in printed


def test_generate_with_chosen_formats(tmp_path: Path) -> None:
    out = tmp_path / "c"
    assert main(["generate", "--cases", "2", "--seed", "1", "--out", str(out), "--formats", "txt,html"]) == 0
    suffixes = {p.suffix for p in out.glob("C*/*")}
    assert suffixes <= {".txt", ".html"}


def test_bad_arguments_are_usage_errors(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["generate", "--cases", "0", "--out", str(tmp_path / "x")]) == 2
    assert main(["generate", "--cases", "2", "--out", str(tmp_path / "y"), "--formats", "rtf"]) == 2
    assert "unknown format" in capsys.readouterr().err


def test_regenerating_in_place_removes_old_documents(tmp_path: Path) -> None:
    out = tmp_path / "c"
    assert main(["generate", "--cases", "3", "--seed", "1", "--out", str(out)]) == 0
    assert main(["generate", "--cases", "2", "--seed", "2", "--out", str(out), "--formats", "md"]) == 0
    assert not (out / "C0003").exists()
    assert {p.suffix for p in out.glob("C*/*")} == {".md"}


def test_refuses_a_folder_that_is_not_a_corpus(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "notes.txt").write_text("keep me", encoding="utf-8")
    assert main(["generate", "--cases", "1", "--out", str(tmp_path)]) == 2
    assert (tmp_path / "notes.txt").read_text(encoding="utf-8") == "keep me"
    assert "not empty" in capsys.readouterr().err
