"""A scan with an index adds an unchanged case to the report from its stored part."""

from __future__ import annotations

import json
import sqlite3

import pytest
import scanfakes

from dupscan.estimate import Estimator, PartCosting
from dupscan.pipeline import scan
from dupscan.report import render, write_reports

OPTS = {"stages": scanfakes.stages(), "workers": 1, "stock_min_cases": 3}


@pytest.fixture
def calls(monkeypatch):
    """How many cases were costed (``case``: by the worker that detected them, which
    runs in this process with one worker) and how many the estimator took from stored
    parts (``part``)."""
    seen = {"case": 0, "part": 0}
    costed, from_part = PartCosting.build, Estimator.add_part

    def count_case(self, *args, **kwargs):
        seen["case"] += 1
        seen["part"] -= 1  # a costed case is added through add_part too
        return costed(self, *args, **kwargs)

    def count_part(self, part, **kwargs):
        seen["part"] += 1
        return from_part(self, part, **kwargs)

    monkeypatch.setattr(PartCosting, "build", count_case)
    monkeypatch.setattr(Estimator, "add_part", count_part)
    return seen


def _spooled_json(root, out, **kwargs) -> str:
    """The findings.json of a scan whose report waits on disk (as `dupscan scan` writes it)."""
    out.mkdir(parents=True, exist_ok=True)
    report = scan(root, spool=out, **OPTS, **kwargs)
    write_reports(report, out, ["json"])
    return (out / "findings.json").read_text(encoding="utf-8")


def test_unchanged_cases_come_from_parts_and_change_nothing(tmp_path, calls):
    root = scanfakes.make_corpus(tmp_path / "c", 5)
    db = tmp_path / "i.sqlite"
    first = _spooled_json(root, tmp_path / "o1", index=db)
    assert calls == {"case": 5, "part": 0}
    again = _spooled_json(root, tmp_path / "o2", index=db)
    assert calls == {"case": 5, "part": 5}
    assert again == first == _spooled_json(root, tmp_path / "o3")
    # held in memory (no spool), the parts are decoded: the same report
    assert render(scan(root, index=db, **OPTS), "json") == render(scan(root, **OPTS), "json")


def test_a_changed_case_is_costed_again_and_the_others_are_not(tmp_path, calls):
    root = scanfakes.make_corpus(tmp_path / "c", 4)
    db = tmp_path / "i.sqlite"
    scan(root, index=db, **OPTS)
    with (root / "C3" / "02_plan.txt").open("a", encoding="utf-8") as handle:
        handle.write("Plan: the family will meet the school nurse every week this term.\n")
    calls.update(case=0, part=0)
    again = scan(root, index=db, **OPTS)
    assert calls == {"case": 1, "part": 3}
    assert render(again, "json") == render(scan(root, **OPTS), "json")


def test_a_damaged_part_is_ignored_and_stored_again(tmp_path, calls):
    root = scanfakes.make_corpus(tmp_path / "c", 3)
    db = tmp_path / "i.sqlite"
    first = render(scan(root, index=db, **OPTS), "json")
    with sqlite3.connect(db) as conn:
        stored = dict(conn.execute("SELECT case_id, part FROM run_parts"))
        lines = stored["C1"].decode().split("\n")  # parts are kept as UTF-8 bytes
        flipped = stored["C3"].decode().split("\n")
        flipped[1] = flipped[1].replace('"C3"', '"C4"', 1)  # one byte changed, shape kept
        damaged = {"C1": "not a part",
                   "C2": "\n".join([json.dumps([99, 1, 1]), *lines[1:]]),  # another version
                   "C3": "\n".join(flipped)}
        conn.executemany("UPDATE run_parts SET part = ? WHERE case_id = ?",
                         [(v, k) for k, v in damaged.items()])
    calls.update(case=0, part=0)
    assert render(scan(root, index=db, **OPTS), "json") == first
    assert calls == {"case": 3, "part": 0}
    with sqlite3.connect(db) as conn:
        assert dict(conn.execute("SELECT case_id, part FROM run_parts")) == stored


def test_parts_costed_with_another_profile_are_not_used(tmp_path, calls):
    root = scanfakes.make_corpus(tmp_path / "c", 3)
    slow = tmp_path / "slow.toml"
    slow.write_text("[rates.transcription_wpm]\nlow = 20.0\ncentral = 15.0\nhigh = 10.0\n",
                    encoding="utf-8")
    db = tmp_path / "i.sqlite"
    default = render(scan(root, index=db, **OPTS), "json")
    calls.update(case=0, part=0)
    slower = render(scan(root, index=db, profile=slow, **OPTS), "json")
    assert calls == {"case": 3, "part": 0}
    assert slower == render(scan(root, profile=slow, **OPTS), "json") != default


def test_a_stream_sink_gets_the_same_rows_from_parts(tmp_path, calls):
    from dupscan.batch.sink import FindingSink

    root = scanfakes.make_corpus(tmp_path / "c", 4)
    db = tmp_path / "i.sqlite"
    texts = []
    for run in ("a", "b"):
        with FindingSink(tmp_path / run, ["jsonl"], redact=True) as sink:
            scan(root, index=db, sink=sink, **OPTS)
        texts.append((tmp_path / run / "findings.jsonl").read_text(encoding="utf-8"))
    assert calls["part"] == 4 and texts[0] == texts[1] and texts[0].strip()


def test_cases_costed_by_the_workers_give_the_report_costed_here(tmp_path, monkeypatch):
    # two worker processes cost the cases they detect; without a part costing the
    # stream hands over forms and findings and the estimator costs them itself
    root = scanfakes.make_corpus(tmp_path / "c", 5)
    monkeypatch.setitem(OPTS, "workers", 2)
    by_workers = _spooled_json(root, tmp_path / "o1")
    assert '"seconds"' in by_workers
    in_memory = render(scan(root, **OPTS), "json")
    monkeypatch.setattr(Estimator, "part_costing", lambda self: None)
    assert _spooled_json(root, tmp_path / "o2") == by_workers
    assert render(scan(root, **OPTS), "json") == in_memory
