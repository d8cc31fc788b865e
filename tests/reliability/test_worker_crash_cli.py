"""At the command line, a worker process dying on one file or one case is reported
and every other case finishes (the pipeline's own tests cover the engine itself).

The CLI runs in a child process with the stages of :mod:`crashhook`: the real
ingest and detect, except that a file named ``*CRASH_WORKER*`` kills its worker
while it is read and a case holding ``CRASH_DETECT_MARKER`` kills its worker
during detection.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from crashhook import CRASH_FILE, CRASH_TEXT
from guarded import run_guarded_cli
from hostile_corpus import GOOD_TEXT, write_good_case


@pytest.mark.slow
def test_cli_reports_crashed_workers_and_finishes_other_cases(tmp_path: Path) -> None:
    root = tmp_path / "root"
    write_good_case(root)
    (root / "C2").mkdir()
    (root / "C2" / f"01_{CRASH_FILE}.txt").write_text(f"Notes: {GOOD_TEXT}\n", encoding="utf-8")
    (root / "C3").mkdir()
    for name in ("01_referral.txt", "02_visit.txt"):
        (root / "C3" / name).write_text(f"Notes: {CRASH_TEXT} {GOOD_TEXT}\n", encoding="utf-8")
    out = tmp_path / "out"
    outcome = run_guarded_cli(["scan", str(root), "--out", str(out), "--format", "json",
                               "--workers", "2", "--quiet"], env={"DUPSCAN_TEST_CRASH": "1"})
    assert outcome.returncode == 3, outcome.stderr[-3000:]
    data = json.loads((out / "findings.json").read_text(encoding="utf-8"))
    pairs = {(f["source"]["doc"], f["target"]["doc"]) for f in data["findings"]}
    assert ("C1/01_referral.txt", "C1/02_assessment.docx") in pairs
    skipped = {s["path"]: s["reason"] for s in data["skipped"]}
    crashed = {f"C2/01_{CRASH_FILE}.txt", "C3/01_referral.txt", "C3/02_visit.txt"}
    assert set(skipped) == crashed, skipped
    assert all("crash" in reason for reason in skipped.values()), skipped
    for path in crashed:
        assert path in outcome.stderr
