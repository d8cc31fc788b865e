"""Fixtures for the reliability tests: a hostile corpus built in a temporary folder."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))

from hostile_corpus import (CASES, build_case, secret_file, write_good_case,  # noqa: E402
                            write_xss_case)


@pytest.fixture(scope="module")
def hostile_tree(tmp_path_factory) -> tuple[Path, Path, dict[str, Path]]:
    """``(root, outside, {case name: path})`` with every hostile case of the folder scan.

    Left out: the named pipe, which blocks whoever opens it (tests that need it
    add it themselves), and cases too slow to refuse under the default limits.
    """
    base = tmp_path_factory.mktemp("hostile")
    root, outside = base / "root", base / "outside"
    secret_file(outside)
    paths = {case.name: build_case(case, root, outside) for case in CASES
             if case.name != "fifo" and case.in_scan}
    write_good_case(root)
    write_xss_case(root)
    return root, outside, paths
