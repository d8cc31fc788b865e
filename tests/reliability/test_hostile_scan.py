"""A scan over a folder of hostile files plus good ones finishes and lists every refusal.

The scan runs in a child process limited to 2 GiB of address space,
with a timeout as a guard. The good case C1 (a referral re-entered in an
assessment) must still be found; every hostile file must be listed in
``Report.skipped`` with a reason; no output carries the secret behind the links
and external entities. The command-line side is in ``test_hostile_cli.py``.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from guarded import run_guarded_scan
from hostile_corpus import CASES, SECRET_MARKER, build_case

MiB = 1024 * 1024

REFUSED = [c for c in CASES
           if c.expect in ("refuse", "discover") and c.name != "fifo" and c.in_scan]
READ = [c for c in CASES if c.expect == "read"]


def _good_finding(findings: list) -> bool:
    return ["C1/01_referral.txt", "C1/02_assessment.docx", "exact"] in findings


@pytest.mark.slow
def test_scan_skips_every_hostile_file_and_finds_the_good_ones(hostile_tree) -> None:
    root, _, paths = hostile_tree
    outcome = run_guarded_scan(root, {"workers": 1})
    assert outcome.returncode == 0, outcome.stderr[-3000:]
    result = outcome.result
    assert _good_finding(result["findings"]), result["findings"]
    skipped = {path: reason for path, reason in result["skipped"]}
    for case in REFUSED:
        rel = paths[case.name].relative_to(root).as_posix()
        assert rel in skipped, f"{case.name} ({rel}) is not listed as skipped"
        assert skipped[rel].strip() and "\n" not in skipped[rel], (rel, skipped[rel])
    forms = set(result["forms"])
    for case in READ:
        rel = paths[case.name].relative_to(root).as_posix()
        assert rel in forms or f"{rel}#1" in forms, f"{case.name} ({rel}) was not read"
    assert SECRET_MARKER not in outcome.stdout + outcome.stderr


def test_scan_refuses_oversized_file_without_reading_it(tmp_path: Path) -> None:
    case = next(c for c in CASES if c.name == "text_500mb_sparse")
    build_case(case, tmp_path / "root", tmp_path / "outside")
    outcome = run_guarded_scan(tmp_path / "root", {"workers": 1})
    assert [p for p, _ in outcome.result["skipped"]] == ["H/huge.txt"]
    assert outcome.result["read_bytes"] < 50 * MiB, outcome.result["read_bytes"]


def test_scan_skips_a_named_pipe(tmp_path: Path) -> None:
    root = tmp_path / "root"
    case = next(c for c in CASES if c.name == "fifo")
    build_case(case, root, tmp_path / "outside")
    (root / "C1").mkdir()
    (root / "C1" / "note.txt").write_text("Observations: the home was warm and tidy today.\n",
                                          encoding="utf-8")
    outcome = run_guarded_scan(root, {"workers": 1})
    assert outcome.returncode == 0
    assert [p for p, _ in outcome.result["skipped"]] == ["H/pipe.txt"]
    assert outcome.result["forms"] == ["C1/note.txt"]


def test_manifest_paths_outside_the_root_are_refused(tmp_path: Path) -> None:
    from hostile_corpus import secret_file, write_good_case

    root, outside = tmp_path / "root", tmp_path / "outside"
    secret = secret_file(outside)
    write_good_case(root)
    manifest = tmp_path / "manifest.csv"
    manifest.write_text(
        "path,case_id,form_type,date\n"
        "C1/01_referral.txt,C1,referral,2025-01-02\n"
        "C1/02_assessment.docx,C1,assessment,2025-02-03\n"
        "../outside/secret.txt,C1,visit,2025-02-04\n"
        f"{secret.as_posix()},C1,visit,2025-02-05\n"
        "C1/../../outside/secret.txt,C1,visit,2025-02-06\n", encoding="utf-8")
    outcome = run_guarded_scan(root, {"workers": 1, "manifest": str(manifest)})
    assert outcome.returncode == 0, outcome.stderr[-3000:]
    result = outcome.result
    assert _good_finding(result["findings"]), result
    skipped = {path: reason for path, reason in result["skipped"]}
    assert set(skipped) == {"../outside/secret.txt", secret.as_posix(),
                            "C1/../../outside/secret.txt"}, skipped
    assert all("outside the scan root" in reason for reason in skipped.values()), skipped
    assert sorted(result["forms"]) == ["C1/01_referral.txt", "C1/02_assessment.docx"]
    assert SECRET_MARKER not in outcome.stdout


def test_named_pipe_given_explicitly_is_listed_as_skipped(tmp_path: Path) -> None:
    """A pipe named on the command line is not silently dropped."""
    root = tmp_path / "root"
    case = next(c for c in CASES if c.name == "fifo")
    pipe = build_case(case, root, tmp_path / "outside")
    (root / "H" / "note.txt").write_text("Observations: the home was warm and tidy today.\n",
                                         encoding="utf-8")
    outcome = run_guarded_scan([str(pipe), str(root / "H" / "note.txt")], {"workers": 1})
    assert outcome.returncode == 0, outcome.stderr[-2000:]
    assert outcome.result["forms"] == ["note.txt"]
    assert [p for p, _ in outcome.result["skipped"]] == ["pipe.txt"]
