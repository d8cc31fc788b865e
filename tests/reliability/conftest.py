"""Fixtures for the reliability tests: a hostile corpus built in a temporary folder."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))

from hostile_corpus import CASES, GOOD_TEXT, build_case, good_docx, secret_file  # noqa: E402


def write_good_case(root: Path) -> None:
    """Case C1: a referral and an assessment sharing a paragraph (one exact finding)."""
    folder = root / "C1"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "01_referral.txt").write_text(
        f"Case ID: C1\nDate: 2025-01-02\nReason for referral: {GOOD_TEXT}\n", encoding="utf-8")
    good_docx(folder / "02_assessment.docx",
              ["Case ID: C1", "Date: 2025-02-03", f"Background: {GOOD_TEXT}"])


@pytest.fixture(scope="module")
def hostile_tree(tmp_path_factory) -> tuple[Path, Path, dict[str, Path]]:
    """``(root, outside, {case name: path})`` with every hostile case but the pipe.

    The named pipe blocks whoever opens it, so tests that need it add it themselves.
    """
    base = tmp_path_factory.mktemp("hostile")
    root, outside = base / "root", base / "outside"
    secret_file(outside)
    paths = {case.name: build_case(case, root, outside) for case in CASES if case.name != "fifo"}
    write_good_case(root)
    return root, outside, paths
