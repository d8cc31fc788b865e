"""Scans on worker pools and with an index, over fake stages."""

from __future__ import annotations

import os
import shutil

import pytest
import scanfakes

from dupscan.batch.index import Index
from dupscan.pipeline import scan
from dupscan.report import render


def _json(report) -> str:
    return render(report, "json")


def test_one_and_two_workers_give_identical_json(tmp_path):
    scanfakes.make_corpus(tmp_path, 6)
    one = scan(tmp_path, stages=scanfakes.stages(), workers=1, stock_min_cases=5)
    two = scan(tmp_path, stages=scanfakes.stages(), workers=2, stock_min_cases=5)
    assert one.findings and one.stock_text
    assert _json(one) == _json(two)


def test_crash_in_one_case_is_reported_and_other_cases_finish(tmp_path, monkeypatch):
    scanfakes.make_corpus(tmp_path, 4)
    clean = scan(tmp_path, stages=scanfakes.stages(), workers=1)
    monkeypatch.setenv("SCANFAKES_CRASH_CASE", "C2")
    report = scan(tmp_path, stages=scanfakes.stages(), workers=2)
    assert sorted(s.path for s in report.skipped) == [
        "C2/00_referral.txt", "C2/01_assessment.txt", "C2/02_plan.txt"]
    assert all(s.reason == "case C2: detection worker process crashed" for s in report.skipped)
    assert [f for f in clean.findings if f.case_id != "C2"] == list(report.findings)
    assert {f.case_id for f in report.forms} == {"C1", "C3", "C4"}


def test_crash_while_reading_skips_that_file_only(tmp_path):
    scanfakes.make_corpus(tmp_path, 3)
    (tmp_path / "C2" / "03_crash.txt").write_text("CRASH_SEGMENT\nName: x\n")
    report = scan(tmp_path, stages=scanfakes.stages(), workers=2)
    assert [(s.path, s.reason) for s in report.skipped] == [
        ("C2/03_crash.txt", "worker process crashed")]
    assert report.summary.forms == 9 and len(report.findings) == 15


@pytest.mark.parametrize("engine", ["local", "dask"])
def test_hung_and_failing_cases_are_skipped(tmp_path, engine):
    if engine == "dask":
        pytest.importorskip("distributed")
    scanfakes.make_corpus(tmp_path, 3)
    with open(tmp_path / "C1" / "02_plan.txt", "a") as handle:
        handle.write("Extra: HANG_DETECT\n")
    with open(tmp_path / "C3" / "02_plan.txt", "a") as handle:
        handle.write("Extra: RAISE_DETECT\n")
    # on Dask the three cases share one task: the hung case must fail alone
    report = scan(tmp_path, stages=scanfakes.stages(), workers=2, case_timeout=3,
                  engine=engine)
    reasons = {s.path: s.reason for s in report.skipped}
    assert reasons["C1/02_plan.txt"] == "case C1: detection timed out after 3 s"
    assert reasons["C3/02_plan.txt"] == ("case C3: detection failed "
                                         "(RuntimeError: detector failed)")
    assert {f.case_id for f in report.findings} == {"C2"}


def _reads(log):
    return sorted(x for x in log.read_text().split() if not x.startswith("detect:")) \
        if log.exists() else []


def _detected(log):
    return sorted(x[7:] for x in log.read_text().split() if x.startswith("detect:")) \
        if log.exists() else []


def test_index_incremental_equals_full_rescan(tmp_path, monkeypatch):
    root = tmp_path / "corpus"
    scanfakes.make_corpus(root, 5)
    shutil.rmtree(root / "C5")
    # keep C4's last form aside: it is "added" later
    late = (root / "C4" / "02_plan.txt").read_text()
    (root / "C4" / "02_plan.txt").unlink()
    db = tmp_path / "index.sqlite"
    log = tmp_path / "reads.log"
    monkeypatch.setenv("SCANFAKES_LOG", str(log))
    first = scan(root, stages=scanfakes.stages(), workers=1, index=db, stock_min_cases=5)
    assert len(_reads(log)) == 11

    # add a form to case C4 and a whole new case C5, change one file of C1
    (root / "C4" / "02_plan.txt").write_text(late)
    scanfakes.make_corpus(tmp_path / "extra", 5)
    shutil.copytree(tmp_path / "extra" / "C5", root / "C5")
    with open(root / "C1" / "01_assessment.txt", "a") as handle:
        handle.write("Notes: Case C1 family reported rent arrears of 100 pounds this month.\n")
    log.unlink()
    again = scan(root, stages=scanfakes.stages(), workers=1, index=db, stock_min_cases=5)
    assert _reads(log) == ["00_referral.txt", "01_assessment.txt", "01_assessment.txt",
                           "02_plan.txt", "02_plan.txt"]
    # the shared sentence became stock, which changes every case's detection input
    assert _detected(log) == ["C1", "C2", "C3", "C4", "C5"]
    log.unlink()
    full = scan(root, stages=scanfakes.stages(), workers=1, stock_min_cases=5)
    log.unlink()
    assert _json(again) == _json(full)
    assert _json(again) != _json(first)
    # with every file of C1-C5 present, the shared sentence is now stock text
    assert {s.text for s in full.stock_text} == {scanfakes.SHARED, scanfakes.STOCK}

    # nothing changed: nothing is read and nothing detected again
    unchanged = scan(root, stages=scanfakes.stages(), workers=1, index=db, stock_min_cases=5)
    assert not log.exists()
    assert _json(unchanged) == _json(full)

    # one case changes: only its file is read and only it is detected again
    with open(root / "C3" / "00_referral.txt", "a") as handle:
        handle.write("Notes: A brand new sentence about the weekly school attendance.\n")
    changed = scan(root, stages=scanfakes.stages(), workers=2, index=db, stock_min_cases=5)
    assert (_reads(log), _detected(log)) == (["00_referral.txt"], ["C3"])
    log.unlink()
    assert _json(changed) == _json(scan(root, stages=scanfakes.stages(), workers=1,
                                        stock_min_cases=5))


def test_touched_but_unchanged_file_is_not_read_again(tmp_path, monkeypatch):
    scanfakes.make_corpus(tmp_path / "c", 2)
    db = tmp_path / "i.sqlite"
    scan(tmp_path / "c", stages=scanfakes.stages(), workers=1, index=db)
    target = tmp_path / "c" / "C1" / "00_referral.txt"
    os.utime(target, ns=(1, 1))
    log = tmp_path / "reads.log"
    monkeypatch.setenv("SCANFAKES_LOG", str(log))
    scan(tmp_path / "c", stages=scanfakes.stages(), workers=1, index=db)
    assert not log.exists()
    with Index(db, settings="other") as index:  # other settings empty the index
        assert index.file_state("C1/00_referral.txt") is None


def test_unreadable_file_stays_skipped_from_the_index(tmp_path):
    scanfakes.make_corpus(tmp_path / "c", 2)
    (tmp_path / "c" / "C1" / "bad.txt").write_text("CORRUPT")
    db = tmp_path / "i.sqlite"
    first = scan(tmp_path / "c", stages=scanfakes.stages(), workers=1, index=db)
    second = scan(tmp_path / "c", stages=scanfakes.stages(), workers=1, index=db)
    assert first.skipped == second.skipped == (
        type(first.skipped[0])("C1/bad.txt", "corrupt file"),)


def test_an_index_serves_one_scan_at_a_time(tmp_path):
    from dupscan.errors import DupscanError

    db = tmp_path / "i.sqlite"
    with Index(db, settings="s"):
        with pytest.raises(DupscanError, match="in use by another scan"):
            Index(db, settings="s")
    with Index(db, settings="s") as again:  # released on close
        assert again.file_state("x") is None


def _plain_cases(root, first: int, last: int) -> None:
    for c in range(first, last + 1):
        (root / f"C{c}").mkdir(parents=True, exist_ok=True)
        (root / f"C{c}" / "00_referral.txt").write_text(
            f"Form: referral\nDate: 2025-01-0{c % 9 + 1}\nName: Child C{c}\n"
            f"Summary: Case C{c} has wording of its own about school number {c}.\n",
            encoding="utf-8")


def test_stock_threshold_scales_with_the_cases_and_the_index_follows(tmp_path):
    root = tmp_path / "corpus"
    scanfakes.make_corpus(root, 4)
    db = tmp_path / "index.sqlite"
    opts = {"stages": scanfakes.stages(), "workers": 1, "stock_min_cases": 2,
            "stock_min_share": 0.5}
    first = scan(root, index=db, **opts)  # 4 cases: stock from 2 cases
    assert {s.text for s in first.stock_text} == {scanfakes.SHARED, scanfakes.STOCK}
    assert not any(scanfakes.SHARED in f.target.text for f in first.findings)
    _plain_cases(root, 5, 10)  # 10 cases: stock from 5, and the four cases no longer reach it
    again = scan(root, index=db, **opts)
    full = scan(root, **opts)
    assert _json(again) == _json(full)
    assert not full.stock_text
    assert any(scanfakes.SHARED in f.target.text for f in full.findings)
    assert full.options["stock_min_share"] == 0.5


class _FreezeProbe:
    """A sink that records, at each case, how many objects the collector had frozen and
    whether it runs."""

    redact = False

    def __init__(self):
        self.frozen = []
        self.enabled = []

    def write(self, findings, forms):
        import gc

        self.frozen.append(gc.get_freeze_count())
        self.enabled.append(gc.isenabled())


def test_the_scan_freezes_what_it_holds_and_thaws_it_at_the_end(tmp_path, monkeypatch):
    import gc
    from functools import partial

    import dupscan.pipeline as pipeline
    from dupscan.batch.heap import LongLivedHeap

    scanfakes.make_corpus(tmp_path, 4)
    monkeypatch.setattr(pipeline, "LongLivedHeap", partial(LongLivedHeap, every=1))
    probe = _FreezeProbe()
    assert gc.get_freeze_count() == 0
    frozen_scan = scan(tmp_path, stages=scanfakes.stages(), workers=1, sink=probe)
    assert probe.frozen[0] == 0 and probe.frozen[-1] > 0  # frozen after the first case
    assert gc.get_freeze_count() == 0
    monkeypatch.undo()
    assert _json(frozen_scan) == _json(scan(tmp_path, stages=scanfakes.stages(), workers=1))


def test_a_caller_who_froze_objects_keeps_them_frozen(tmp_path):
    import gc

    def frozen(obj):  # the permanent generation is not among the collector's lists
        return not any(o is obj for o in gc.get_objects())

    scanfakes.make_corpus(tmp_path, 2)
    keep = [[] for _ in range(3)]
    gc.freeze()
    try:
        assert frozen(keep[0])
        scan(tmp_path, stages=scanfakes.stages(), workers=1)
        assert frozen(keep[0]) and gc.get_freeze_count() > 0
    finally:
        gc.unfreeze()
    assert not frozen(keep[0])


@pytest.mark.parametrize("workers", [1, 2])
def test_the_collector_waits_for_the_first_case_only_when_workers_read(tmp_path, workers):
    import gc

    scanfakes.make_corpus(tmp_path, 3)
    probe = _FreezeProbe()
    scan(tmp_path, stages=scanfakes.stages(), workers=workers, sink=probe)
    # each case is written before the heap takes it in: the first sees the pause
    assert probe.enabled == [workers == 1, True, True]
    assert gc.isenabled()


def test_a_scan_that_gives_no_case_leaves_the_collector_running(tmp_path):
    import gc

    from dupscan.batch.heap import LongLivedHeap

    with LongLivedHeap(pause=True):
        assert not gc.isenabled()
    assert gc.isenabled() and gc.get_freeze_count() == 0
