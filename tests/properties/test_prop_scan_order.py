"""Scan results do not depend on the order files are given in.

A tiny hand-written corpus (two cases, text, Markdown, HTML, CSV and DOCX,
re-entries inside each case) is scanned once as a root and then as shuffled
lists of its files and folders; the rendered ``findings.json`` must be
byte-identical every time.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from prop_support import bounded, write_form

from dupscan.ingest import ingest
from dupscan.pipeline import scan
from dupscan.report import render

_VISIT = ("Ava was seen at home with her mother on Tuesday afternoon. The home was warm, "
          "clean and tidy during the visit.")
_SCHOOL = ("Mum said that the school had raised concerns about attendance. Attendance this "
           "term is 60% and the school is worried.")
_DAD = "Dad was not present and has not been in contact since March."


def _corpus(root: Path) -> list[Path]:
    (root / "C1").mkdir(parents=True)
    (root / "C2").mkdir()
    files = [
        write_form(root / "C1" / "01_referral.txt", "txt",
                   [("Case ID", "C1"), ("Date", "2025-01-02"), ("Reason for referral", _VISIT)]),
        write_form(root / "C1" / "02_visit.md", "md",
                   [("Case ID", "C1"), ("Date", "2025-01-09"),
                    ("Observations", f"{_VISIT} {_SCHOOL}")]),
        write_form(root / "C1" / "03_assessment.docx", "docx",
                   [("Case ID", "C1"), ("Date", "2025-02-01"),
                    ("Background", f"{_SCHOOL} {_VISIT} {_DAD}")]),
        write_form(root / "C2" / "01_referral.html", "html",
                   [("Case ID", "C2"), ("Date", "2025-03-01"), ("Reason for referral", _DAD)]),
        write_form(root / "C2" / "02_plan.txt", "txt",
                   [("Case ID", "C2"), ("Date", "2025-03-05"), ("Plan", f"{_DAD} {_SCHOOL}")]),
        write_form(root / "C2" / "visits.csv", "csv",
                   [("Case ID", "C2"), ("Date", "2025-03-09"), ("Notes", f"{_SCHOOL} {_DAD}")]),
    ]
    return files


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    root = tmp_path_factory.mktemp("order") / "root"
    files = _corpus(root)
    baseline = render(scan(root, workers=1), "json")
    return root, files, baseline


def test_baseline_has_findings_in_both_cases(corpus) -> None:
    data = json.loads(corpus[2])
    assert {f["case_id"] for f in data["findings"]} == {"C1", "C2"}


def test_scan_findings_index_the_extracted_document_text(corpus) -> None:
    """Through the whole pipeline too, offsets index each document's extracted text."""
    root, files, baseline = corpus
    texts = {doc.path: doc.text for path in files for doc in ingest(path, root=root)}
    findings = json.loads(baseline)["findings"]
    assert findings
    for finding in findings:
        for side in ("source", "target"):
            span = finding[side]
            assert texts[span["doc"]][span["start"]:span["end"]] == span["text"], span


@bounded(15)
@given(data=st.data())
def test_scan_is_independent_of_file_order(corpus, data) -> None:
    root, files, baseline = corpus
    order = data.draw(st.permutations(files))
    assert render(scan(order, workers=1), "json") == baseline


@bounded(8)
@given(data=st.data())
def test_scan_is_independent_of_how_folders_and_files_are_listed(corpus, data) -> None:
    root, files, baseline = corpus
    items = [root / "C1"] + [f for f in files if f.parent.name == "C2"]
    order = data.draw(st.permutations(items))
    assert render(scan(order, workers=1), "json") == baseline


@pytest.mark.slow
def test_scan_is_independent_of_the_number_of_workers(corpus) -> None:
    root, _, baseline = corpus
    assert render(scan(root, workers=2), "json") == baseline
