"""A scan with an index takes up the totals the last run kept, less what changed."""

from __future__ import annotations

import csv
import sqlite3

import pytest

from dupscan import _run_totals
from dupscan.estimate import Estimator
from dupscan.pipeline import scan
from dupscan.report import render


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    from dupscan.synth import generate

    root = tmp_path_factory.mktemp("corpus") / "c"
    generate(root, cases=5, seed=23)
    return root


def _manifest(root, out, keep):
    """A manifest of ``root`` with the rows ``keep(row, rank in its case, forms of its
    case)`` accepts."""
    with open(root / "manifest.csv", newline="", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    sizes: dict[str, int] = {}
    for row in rows:
        sizes[row["case_id"]] = sizes.get(row["case_id"], 0) + 1
    seen: dict[str, int] = {}
    kept = []
    for row in rows:
        seen[row["case_id"]] = seen.get(row["case_id"], 0) + 1
        if keep(row, seen[row["case_id"]], sizes[row["case_id"]]):
            kept.append(row)
    with open(out, "w", newline="", encoding="utf-8") as fh:
        writer = csv.DictWriter(fh, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(kept)
    return out


@pytest.fixture
def seen(monkeypatch):
    """The cases the kept totals counted as they are (``counted``, per scan) and the
    cases taken out of them (``out``)."""
    got: dict[str, list] = {"counted": [], "out": []}
    read_kept, apply, subtract = _run_totals.read_kept, _run_totals.apply, Estimator.subtract_part

    def spy_read_kept(*args, **kwargs):
        kept = read_kept(*args, **kwargs)
        if kept is None:  # nothing to take up
            got["counted"].append([])
        return kept

    def spy_apply(*args, **kwargs):
        counted = apply(*args, **kwargs)
        got["counted"].append(sorted(counted))
        return counted

    def spy_subtract(self, forms, findings):
        got["out"].append(sorted({t[0] for t in [*forms, *findings]}))
        return subtract(self, forms, findings)

    monkeypatch.setattr(_run_totals, "read_kept", spy_read_kept)
    monkeypatch.setattr(_run_totals, "apply", spy_apply)
    monkeypatch.setattr(Estimator, "subtract_part", spy_subtract)
    return got


def _same_report(one, other):
    assert one.summary == other.summary
    assert one.aggregates == other.aggregates
    assert one.prefill == other.prefill
    assert render(one, "json") == render(other, "json")


def test_an_increment_counts_only_what_changed_and_equals_a_full_scan(corpus, tmp_path, seen):
    options = {"templates": corpus / "templates", "workers": 1}
    # the first run lacks the last forms of C0001 and C0002, and holds C0004 whole
    first = _manifest(corpus, tmp_path / "first.csv",
                      lambda row, rank, size: row["case_id"] not in {"C0001", "C0002"}
                      or rank < size)
    # the second has every form, but C0004 is gone
    second = _manifest(corpus, tmp_path / "second.csv",
                       lambda row, rank, size: row["case_id"] != "C0004")
    index = tmp_path / "index.sqlite"
    _same_report(scan(corpus, first, index=index, **options),
                 scan(corpus, first, **options))
    assert seen == {"counted": [[]], "out": []}  # nothing kept yet
    again = scan(corpus, second, index=index, **options)
    assert seen["counted"][-1] == ["C0003", "C0005"]
    assert sorted(seen["out"]) == [["C0001"], ["C0002"], ["C0004"]]
    _same_report(again, scan(corpus, second, **options))
    # a scan that changes nothing counts every case from the kept totals
    seen["out"].clear()
    _same_report(scan(corpus, second, index=index, **options), again)
    assert seen["counted"][-1] == ["C0001", "C0002", "C0003", "C0005"] and seen["out"] == []


def test_totals_whose_rows_a_stopped_run_replaced_are_not_taken_up(corpus, tmp_path, seen):
    options = {"templates": corpus / "templates", "workers": 1}
    first = _manifest(corpus, tmp_path / "first.csv",
                      lambda row, rank, size: row["case_id"] != "C0002" or rank < size)
    index = tmp_path / "index.sqlite"
    scan(corpus, first, index=index, **options)
    # as a run stopped after storing C0002's new part would leave it
    with sqlite3.connect(index) as conn:
        conn.execute("UPDATE run_parts SET key = 'another' WHERE case_id = 'C0002'")
    full = corpus / "manifest.csv"
    again = scan(corpus, full, index=index, **options)
    assert seen["counted"][-1] == [] and seen["out"] == []  # every case counted again
    _same_report(again, scan(corpus, full, **options))
    # and the totals this run kept are taken up by the next
    _same_report(scan(corpus, full, index=index, **options), again)
    assert seen["counted"][-1] == ["C0001", "C0002", "C0003", "C0004", "C0005"]


def test_totals_kept_under_another_profile_are_not_taken_up(corpus, tmp_path, seen):
    slow = tmp_path / "slow.toml"
    slow.write_text("[rates.transcription_wpm]\nlow = 20.0\ncentral = 15.0\nhigh = 10.0\n",
                    encoding="utf-8")
    options = {"templates": corpus / "templates", "workers": 1}
    index = tmp_path / "index.sqlite"
    full = corpus / "manifest.csv"
    scan(corpus, full, index=index, **options)
    slower = scan(corpus, full, index=index, profile=slow, **options)
    assert seen["counted"][-1] == []
    _same_report(slower, scan(corpus, full, profile=slow, **options))


def test_a_damaged_part_to_take_out_leaves_the_totals_to_be_counted_again(corpus, tmp_path,
                                                                          seen):
    options = {"templates": corpus / "templates", "workers": 1}
    first = _manifest(corpus, tmp_path / "first.csv",
                      lambda row, rank, size: row["case_id"] != "C0003" or rank < size)
    index = tmp_path / "index.sqlite"
    scan(corpus, first, index=index, **options)
    with sqlite3.connect(index) as conn:  # one byte of C0003's part, its key kept
        (part,) = conn.execute("SELECT part FROM run_parts WHERE case_id = 'C0003'").fetchone()
        conn.execute("UPDATE run_parts SET part = ? WHERE case_id = 'C0003'",
                     (part.replace(b'"C0003"', b'"C0004"', 1),))
    full = corpus / "manifest.csv"
    again = scan(corpus, full, index=index, **options)
    assert seen["counted"][-1] == [] and seen["out"] == []
    _same_report(again, scan(corpus, full, **options))
