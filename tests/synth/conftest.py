"""Shared fixtures: one small generated corpus per test session."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from dupscan.synth import generate

SAMPLE = Path(__file__).resolve().parents[2] / "corpora" / "synthetic"


@pytest.fixture(scope="session")
def small_corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A 6-case corpus with every format."""
    root = tmp_path_factory.mktemp("synth_small")
    generate(root, cases=6, seed=11)
    return root


def load_jsonl(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line]
