"""Workers start while the files are listed only when files are likely to be read."""

from __future__ import annotations

import os

import pytest
import scanfakes

from dupscan import pipeline
from dupscan.batch.local import LocalEngine
from dupscan.pipeline import scan

OPTS = {"stages": scanfakes.stages(), "workers": 1}


@pytest.fixture
def events(monkeypatch):
    """``"start"`` for each start of the workers, ``"list"`` where the files are listed."""
    seen: list[str] = []
    real_start, real_discover = LocalEngine.start, pipeline.discover

    def start(self, fn):
        seen.append("start")
        return real_start(self, fn)

    def discover(*args, **kwargs):
        seen.append("list")
        return real_discover(*args, **kwargs)

    monkeypatch.setattr(LocalEngine, "start", start)
    monkeypatch.setattr(pipeline, "discover", discover)
    yield seen


def _scan(root, db, events) -> list[str]:
    events.clear()
    scan(root, root / "manifest.csv", index=db, **OPTS)
    return list(events)


def _manifest(root) -> None:
    rows = [f"C{c}/0{n}_{t}.txt,C{c},{t},2025-0{n + 1}-0{c}" for c in range(1, 4)
            for n, t in enumerate(("referral", "assessment", "plan"))]
    (root / "manifest.csv").write_text("path,case_id,form_type,date\n" + "\n".join(rows) + "\n",
                                       encoding="utf-8")


def test_an_unchanged_manifest_starts_no_workers_until_a_file_needs_reading(tmp_path, events):
    root = scanfakes.make_corpus(tmp_path / "c", 3)
    _manifest(root)
    db = tmp_path / "i.sqlite"
    assert _scan(root, db, events)[:2] == ["start", "list"]  # a new index: all is read
    assert _scan(root, db, events) == ["list"]  # nothing changed: no workers
    (root / "C2" / "01_assessment.txt").write_text("Reason: something new happened today.\n")
    assert _scan(root, db, events) == ["list", "start"]  # started at the changed file
    assert _scan(root, db, events) == ["list"]
    stat = (root / "manifest.csv").stat()
    os.utime(root / "manifest.csv", ns=(stat.st_atime_ns, stat.st_mtime_ns + 10**9))
    assert _scan(root, db, events)[:2] == ["start", "list"]  # a new manifest: started early


def test_scans_without_an_index_or_of_single_files_start_workers_first(tmp_path, events):
    root = scanfakes.make_corpus(tmp_path / "c", 3)
    _manifest(root)
    scan(root, root / "manifest.csv", **OPTS)
    assert events[:2] == ["start", "list"]
    db = tmp_path / "i.sqlite"
    files = sorted(str(p) for p in root.rglob("*.txt"))
    for _ in range(2):
        events.clear()
        scan(files, index=db, **OPTS)
        assert events[:2] == ["start", "list"]


def test_without_a_manifest_a_file_added_to_a_case_folder_starts_workers_early(tmp_path,
                                                                              events):
    root = scanfakes.make_corpus(tmp_path / "c", 3)
    db = tmp_path / "i.sqlite"

    def run() -> list[str]:
        events.clear()
        scan(root, index=db, **OPTS)
        return list(events)

    assert run()[:2] == ["start", "list"]
    assert run() == ["list"]
    added = root / "C2" / "09_review.txt"
    added.write_text("Reason: the family moved to a new flat in the spring.\n")
    stat = (root / "C2").stat()  # a folder's time moves with what is added to it
    os.utime(root / "C2", ns=(stat.st_atime_ns, stat.st_mtime_ns + 10**9))
    assert run()[:2] == ["start", "list"]
    assert run() == ["list"]
    (root / "C1" / "01_assessment.txt").write_text("Reason: a new concern today.\n")
    assert run() == ["list", "start"]  # edited in place: started at the changed file


def test_a_run_that_stops_early_leaves_the_next_to_start_early(tmp_path, events):
    root = scanfakes.make_corpus(tmp_path / "c", 3)
    _manifest(root)
    db = tmp_path / "i.sqlite"
    stream = pipeline.ScanStream(root, root / "manifest.csv", index=db, **OPTS)
    next(iter(stream))  # stopped after its first case: its mark is not stored
    assert _scan(root, db, events)[:2] == ["start", "list"]
