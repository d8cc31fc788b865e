"""``models/build_pair_classifier.py --check``: the build goes to a temporary file and is
compared with the shipped weights; the fitting scripts are replaced by fakes here (the
real build takes minutes)."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest


@pytest.fixture
def module(repo_script):
    return repo_script("models/build_pair_classifier.py")


def _fake_fit(monkeypatch, module, write):
    """Replace the two fitting scripts by ``write(path)`` on the --weights they are given;
    return the commands run."""
    commands = []

    def run(cmd, check=False):
        commands.append(cmd)
        weights = Path(cmd[cmd.index("--weights") + 1])
        assert weights != module.SHIPPED_WEIGHTS  # a check never touches the shipped file
        if "calibrate_detect.py" in cmd[1]:
            write(weights)
        return subprocess.CompletedProcess(cmd, 0)

    monkeypatch.setattr(module.subprocess, "run", run)
    return commands


def test_a_build_equal_to_the_shipped_weights_passes(module, monkeypatch, capsys):
    shipped = module.SHIPPED_WEIGHTS.read_bytes()
    commands = _fake_fit(monkeypatch, module, lambda path: path.write_bytes(shipped))
    assert module.main(["--check"]) == 0
    assert "byte for byte" in capsys.readouterr().out
    assert [Path(c[1]).name for c in commands] == ["calibrate_detect.py", "calibrate_gate.py"]


def test_a_different_build_fails_and_says_what_changed(module, monkeypatch, capsys):
    data = json.loads(module.SHIPPED_WEIGHTS.read_text())
    data["paraphrase_threshold"] = round(data["paraphrase_threshold"] + 0.1, 2)
    data["meta"]["pairs"] += 1
    _fake_fit(monkeypatch, module, lambda path: path.write_text(json.dumps(data)))
    assert module.main(["--check", "--reuse"]) == 1
    out = capsys.readouterr().out
    assert "paraphrase_threshold: shipped" in out and "training pairs: shipped" in out
    assert "trees" not in out  # the trees themselves were the same


def test_a_failed_fit_is_passed_on(module, monkeypatch):
    monkeypatch.setattr(module.subprocess, "run",
                        lambda cmd, check=False: subprocess.CompletedProcess(cmd, 2))
    assert module.main(["--check"]) == 2
