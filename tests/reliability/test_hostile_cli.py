"""``dupscan scan`` over the hostile folder exits 3 and names each skipped file.

The CLI runs once, in a child process limited to 2 GiB of address space, over
every hostile file plus the good case C1; the reports must hold C1's finding and
list every hostile file, and no output may carry the secret marker.
"""

from __future__ import annotations

import json
import os
import re

import pytest

from guarded import run_guarded_cli
from hostile_corpus import CASES, SECRET_MARKER, XSS, XSS_NAME

REFUSED = [c for c in CASES
           if c.expect in ("refuse", "discover") and c.name != "fifo" and c.in_scan]


@pytest.fixture(scope="module")
def cli_run(hostile_tree, tmp_path_factory):
    """``dupscan scan`` over the hostile tree, run once for the CLI tests."""
    root = hostile_tree[0]
    out = tmp_path_factory.mktemp("cli") / "out"
    outcome = run_guarded_cli(["scan", str(root), "--out", str(out), "--format",
                               "json,csv,html", "--workers", "1", "--quiet"])
    return outcome, out


def test_cli_exits_3_names_each_skipped_file_and_writes_reports(hostile_tree, cli_run) -> None:
    root, _, paths = hostile_tree
    outcome, out = cli_run
    assert outcome.returncode == 3, outcome.stderr[-3000:]
    data = json.loads((out / "findings.json").read_text(encoding="utf-8"))
    pairs = {(f["source"]["doc"], f["target"]["doc"]) for f in data["findings"]}
    assert ("C1/01_referral.txt", "C1/02_assessment.docx") in pairs
    listed = {s["path"] for s in data.get("skipped", [])}
    for case in REFUSED:
        rel = paths[case.name].relative_to(root).as_posix()
        assert rel in listed, f"{rel} missing from findings.json skipped"
        if "\n" not in rel:
            assert rel in outcome.stderr, f"{rel} not named on stderr"
    html = (out / "report.html").read_text(encoding="utf-8")
    assert "zip_bomb_member.docx" in html
    for name in os.listdir(out):
        assert SECRET_MARKER not in (out / name).read_text(encoding="utf-8", errors="replace")
    assert SECRET_MARKER not in outcome.stdout + outcome.stderr


def test_cli_lists_each_skipped_file_on_exactly_one_line(cli_run) -> None:
    """A file name holding a newline must not split its skip message over two lines."""
    outcome, _ = cli_run
    assert outcome.returncode == 3
    lines = outcome.stderr.splitlines()
    header = next(i for i, line in enumerate(lines) if re.search(r"\d+ file\(s\) skipped", line))
    count = int(re.search(r"(\d+) file\(s\) skipped", lines[header]).group(1))
    listed = lines[header + 1: header + 1 + count]
    assert all(line.startswith("  ") and ": " in line for line in listed), listed
    assert "  H/bad\\nname.txt: binary content, not text" in listed, listed


def test_record_text_and_file_names_are_escaped_in_the_html_report(cli_run) -> None:
    outcome, out = cli_run
    data = json.loads((out / "findings.json").read_text(encoding="utf-8"))
    c3 = [f for f in data["findings"] if f["target"]["doc"] == XSS_NAME]
    assert c3 and any(XSS in f["target"]["text"] for f in c3), "the markup must reach the report"
    html = (out / "report.html").read_text(encoding="utf-8")
    assert 'alert("dupscan-xss")' not in html.replace("&quot;", "\x00")  # only escaped forms
    assert "<script>alert" not in html
    assert "<img src=x" not in html
    assert "<b onmouseover" not in html
