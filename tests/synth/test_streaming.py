"""A corpus is written a case at a time: a million forms are never held at once."""

from __future__ import annotations

from pathlib import Path

import pytest

from dupscan.synth import generate
from dupscan.synth import generator as gen


def test_each_case_is_written_before_the_next_is_made(tmp_path: Path,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    made = gen._cases
    on_disk_when_made: list[list[str]] = []

    def watched(seed: int, cases: int, formats: tuple[str, ...]):
        for docs, truth in made(seed, cases, formats):
            on_disk_when_made.append(sorted(p.parent.name for p in tmp_path.rglob("*.txt")
                                            if p.parent.name.startswith("C")))
            yield docs, truth

    monkeypatch.setattr(gen, "_cases", watched)
    generate(tmp_path, cases=3, seed=4, formats=["txt"])
    assert [sorted(set(names)) for names in on_disk_when_made] == [[], ["C0001"],
                                                                  ["C0001", "C0002"]]


def test_a_failed_generation_leaves_no_manifest_half_written(tmp_path: Path,
                                                             monkeypatch: pytest.MonkeyPatch
                                                             ) -> None:
    made = gen._cases

    def breaks(seed: int, cases: int, formats: tuple[str, ...]):
        for at, case in enumerate(made(seed, cases, formats)):
            if at == 2:
                raise OSError("disk full")
            yield case

    monkeypatch.setattr(gen, "_cases", breaks)
    with pytest.raises(OSError, match="disk full"):
        generate(tmp_path, cases=4, seed=4, formats=["txt"])
    left = {p.name for p in tmp_path.iterdir() if p.is_file()}
    assert left == set()  # no manifest, fields or truth, and no temporary file


def test_progress_is_told_after_each_case(tmp_path: Path) -> None:
    told: list[tuple[int, int]] = []
    generate(tmp_path, cases=3, seed=4, formats=["txt"],
             progress=lambda done, total: told.append((done, total)))
    assert told == [(1, 3), (2, 3), (3, 3)]


def test_the_command_draws_a_bar_on_a_terminal_only(tmp_path: Path,
                                                    monkeypatch: pytest.MonkeyPatch,
                                                    capsys: pytest.CaptureFixture[str]) -> None:
    import io
    import sys

    from dupscan.cli import main

    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    terminal = Terminal()
    monkeypatch.setattr(sys, "stderr", terminal)
    assert main(["generate", "--cases", "2", "--seed", "4", "--out", str(tmp_path / "a")]) == 0
    assert "Generating cases" in terminal.getvalue()
    monkeypatch.undo()
    assert main(["generate", "--cases", "2", "--seed", "4", "--out", str(tmp_path / "b")]) == 0
    assert capsys.readouterr().err == ""
