"""Incremental scans change only what changed, and always equal a full rescan."""

from __future__ import annotations

import shutil

import pytest
import scanfakes

from dupscan.batch import placement
from dupscan.batch.runtables import RunTables
from dupscan import pipeline
from dupscan.pipeline import scan
from dupscan.report import render

OPTS = {"stages": scanfakes.stages(), "workers": 1, "stock_min_cases": 3}


def _json(report) -> str:
    return render(report, "json")


def _detected(log) -> list[str]:
    if not log.exists():
        return []
    out = sorted(x[7:] for x in log.read_text().split() if x.startswith("detect:"))
    log.unlink()
    return out


@pytest.fixture
def logged(tmp_path, monkeypatch):
    log = tmp_path / "reads.log"
    monkeypatch.setenv("SCANFAKES_LOG", str(log))
    return log


def _manifest(root, rows) -> None:
    lines = ["path,case_id,form_type,date"] + [",".join(r) for r in rows]
    (root / "manifest.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")


def _rows(cases: int) -> list[tuple[str, str, str, str]]:
    return [(f"C{c}/0{n}_{t}.txt", f"C{c}", t, f"2025-0{n + 1}-0{c}")
            for c in range(1, cases + 1)
            for n, t in enumerate(("referral", "assessment", "plan"))]


def test_removed_file_is_taken_out_of_its_case_only(tmp_path, logged):
    root = scanfakes.make_corpus(tmp_path / "c", 5)
    db = tmp_path / "i.sqlite"
    scan(root, index=db, **OPTS)
    _detected(logged)
    (root / "C2" / "01_assessment.txt").unlink()
    again = scan(root, index=db, **OPTS)
    assert _detected(logged) == ["C2"]
    assert _json(again) == _json(scan(root, **OPTS))
    assert "C2/01_assessment.txt" not in {f.doc for f in again.forms}


def test_added_manifest_rows_shift_positions_without_detecting_other_cases(tmp_path, logged):
    root = scanfakes.make_corpus(tmp_path / "c", 6)
    rows = _rows(6)
    held = [rows[2], rows[8]]  # the last form of C1 and of C3
    _manifest(root, [r for r in rows if r not in held])
    db = tmp_path / "i.sqlite"
    scan(root, root / "manifest.csv", index=db, **OPTS)
    _detected(logged)
    _manifest(root, rows)  # every later row moves down the manifest
    again = scan(root, root / "manifest.csv", index=db, **OPTS)
    assert _detected(logged) == ["C1", "C3"]
    assert _json(again) == _json(scan(root, root / "manifest.csv", **OPTS))


def test_rows_added_to_one_case_move_no_form_of_another(tmp_path, monkeypatch):
    root = scanfakes.make_corpus(tmp_path / "c", 4)
    rows = _rows(4)
    _manifest(root, [r for r in rows if r not in (rows[0], rows[2])])  # C1's first and last
    db = tmp_path / "i.sqlite"
    scan(root, root / "manifest.csv", index=db, **OPTS)
    moved: list[tuple[str, str]] = []
    real = RunTables.update_sort_keys
    monkeypatch.setattr(RunTables, "update_sort_keys",
                        lambda self, changes: (moved.extend(changes), real(self, changes)))
    _manifest(root, rows)  # every row after C1's moves down the manifest
    again = scan(root, root / "manifest.csv", index=db, **OPTS)
    # the only form moved is C1's second, now behind the first put back before it
    assert [doc for _, doc in moved] == ["C1/01_assessment.txt"]
    assert [f.doc for f in again.forms if f.case_id == "C1"] == [r[0] for r in rows[:3]]
    assert _json(again) == _json(scan(root, root / "manifest.csv", **OPTS))


def test_manifest_changes_reach_the_report_and_reorder_the_case(tmp_path, logged):
    root = scanfakes.make_corpus(tmp_path / "c", 5)
    rows = _rows(5)
    _manifest(root, rows)
    db = tmp_path / "i.sqlite"
    scan(root, root / "manifest.csv", index=db, **OPTS)
    _detected(logged)
    # C2's forms swap places in the manifest; C4's plan gets another form type
    rows[3], rows[4] = rows[4], rows[3]
    rows[11] = (rows[11][0], "C4", "review", rows[11][3])
    _manifest(root, rows)
    again = scan(root, root / "manifest.csv", index=db, **OPTS)
    assert _detected(logged) == ["C2", "C4"]
    full = scan(root, root / "manifest.csv", **OPTS)
    assert _json(again) == _json(full)
    assert "review" in {f.form_type for f in again.forms}


def _plain(root, *cases: int) -> None:
    for c in cases:
        (root / f"C{c}").mkdir(parents=True)
        (root / f"C{c}" / "00_referral.txt").write_text(
            f"Form: referral\nDate: 2025-01-0{c % 9 + 1}\nSummary: Case C{c} has wording of "
            f"its own about school number {c}.\n", encoding="utf-8")


def test_new_cases_moving_the_threshold_redetect_only_cases_whose_stock_changed(
        tmp_path, logged):
    root = scanfakes.make_corpus(tmp_path / "c", 3)
    _plain(root, 4)
    opts = {**OPTS, "stock_min_cases": 2, "stock_min_share": 0.5}
    db = tmp_path / "i.sqlite"
    first = scan(root, index=db, **opts)  # 4 cases: stock from 2
    assert {s.text for s in first.stock_text} == {scanfakes.SHARED, scanfakes.STOCK}
    _detected(logged)
    _plain(root, 5, 6)  # 6 cases: stock from 3, the same stock text
    again = scan(root, index=db, **opts)
    assert _detected(logged) == ["C5", "C6"]
    assert _json(again) == _json(scan(root, **opts))
    assert {s.text for s in again.stock_text} == {scanfakes.SHARED, scanfakes.STOCK}
    _detected(logged)
    _plain(root, 7)  # 7 cases: stock from 4, and C1-C3 lose their stock text
    again = scan(root, index=db, **opts)
    assert not again.stock_text
    assert _detected(logged) == ["C1", "C2", "C3", "C7"]
    assert _json(again) == _json(scan(root, **opts))
    assert any(scanfakes.SHARED in f.target.text for f in again.findings)


ONCE = "The office sends this same closing sentence to every family it writes to."


def _note(root, case: str, text: str) -> None:
    (root / case).mkdir(parents=True, exist_ok=True)
    (root / case / "03_note.txt").write_text(
        f"Form: note\nDate: 2025-04-01\nSummary: {text} Note of {case} in words of its own.\n",
        encoding="utf-8")


def test_stock_a_case_holds_once_does_not_make_it_detected_again(tmp_path, logged):
    root = scanfakes.make_corpus(tmp_path / "c", 3)
    for case in ("C1", "C2"):
        _note(root, case, ONCE)  # one form each: in two cases, below the threshold of 3
    db = tmp_path / "i.sqlite"
    first = scan(root, index=db, **OPTS)
    assert ONCE not in {s.text for s in first.stock_text}
    _detected(logged)
    _note(root, "C4", ONCE)  # now in three cases: stock text
    again = scan(root, index=db, **OPTS)
    assert ONCE in {s.text for s in again.stock_text}
    # C1 and C2 hold it in one form each, so what their detection sees is unchanged
    assert _detected(logged) == ["C4"]
    assert _json(again) == _json(scan(root, **OPTS))


class _FailingAt:
    """A connection whose statement starting with ``sql`` is interrupted."""

    def __init__(self, db, sql):
        self._db, self._sql = db, sql

    def execute(self, sql, *args):
        if sql.startswith(self._sql):
            raise KeyboardInterrupt
        return self._db.execute(sql, *args)

    def __getattr__(self, name):
        return getattr(self._db, name)


@pytest.mark.parametrize("where", ["replace_files", "refresh_counts", "store_report_rows"])
def test_interrupted_run_tables_are_completed_by_the_next_scan(tmp_path, monkeypatch, where):
    root = scanfakes.make_corpus(tmp_path / "c", 6)
    rows = _rows(6)
    _manifest(root, rows[:-4])
    db = tmp_path / "i.sqlite"
    scan(root, root / "manifest.csv", index=db, **OPTS)
    _manifest(root, rows)
    (root / "C1" / "00_referral.txt").unlink()
    monkeypatch.setattr(placement, "_BATCH", 1)
    monkeypatch.setattr(pipeline, "_REPORT_BATCH", 1)
    real = getattr(RunTables, where)
    calls = []

    def failing(self, *args, **kwargs):
        calls.append(1)
        if len(calls) == 2:
            raise KeyboardInterrupt
        return real(self, *args, **kwargs)

    monkeypatch.setattr(RunTables, where, failing)
    if where == "refresh_counts":  # a statement inside the refresh's transaction fails
        monkeypatch.setattr(RunTables, where, real)
        real_init = RunTables.__init__

        def init(self, index):
            real_init(self, index)
            self._db = _FailingAt(self._db, "INSERT INTO case_hashes SELECT * FROM temp.moved")

        monkeypatch.setattr(RunTables, "__init__", init)
    with pytest.raises(KeyboardInterrupt):
        scan(root, root / "manifest.csv", index=db, **OPTS)
    monkeypatch.undo()
    again = scan(root, root / "manifest.csv", index=db, **OPTS)
    assert _json(again) == _json(scan(root, root / "manifest.csv", **OPTS))


def test_stock_counts_kept_by_deltas_equal_a_fresh_count(tmp_path):
    import sqlite3

    root = scanfakes.make_corpus(tmp_path / "c", 5)
    db = tmp_path / "i.sqlite"
    scan(root, index=db, **OPTS)
    shutil.rmtree(root / "C4")
    (root / "C2" / "02_plan.txt").unlink()
    _plain(root, 8)
    with open(root / "C1" / "01_assessment.txt", "a", encoding="utf-8") as handle:
        handle.write(f"Notes: {scanfakes.STOCK} And one more sentence of six words.\n")
    scan(root, index=db, **OPTS)
    with sqlite3.connect(db) as conn:
        kept = conn.execute("SELECT hash, cases, occurrences FROM stock_counts "
                            "ORDER BY hash").fetchall()
        fresh = conn.execute("SELECT hash, COUNT(DISTINCT case_id), SUM(n) FROM run_stock "
                             "GROUP BY hash ORDER BY hash").fetchall()
        per_case = conn.execute("SELECT case_id, hash, n FROM case_hashes "
                                "ORDER BY case_id, hash").fetchall()
        summed = conn.execute("SELECT case_id, hash, SUM(n) FROM run_stock "
                              "GROUP BY case_id, hash ORDER BY case_id, hash").fetchall()
        moves = conn.execute("SELECT COUNT(*) FROM run_stock_moves").fetchone()[0]
    assert kept == fresh and per_case == summed and moves == 0
    assert dict((h, c) for h, c, _ in kept)[scanfakes._key(scanfakes.STOCK)] == 4


@pytest.mark.parametrize("running", [True, False], ids=["summed as emitted", "kept to the end"])
def test_prefill_counted_per_case_equals_the_whole_count(tmp_path, monkeypatch, running):
    from dataclasses import replace

    from dupscan.detect import find_prefill

    if not running:
        monkeypatch.setattr(pipeline, "prefill_sum_stage", lambda pair: None)

    root = scanfakes.make_corpus(tmp_path / "c", 4)
    for c in (1, 2):  # the same field typed again, once with another label
        with open(root / f"C{c}" / "02_plan.txt", "a", encoding="utf-8") as handle:
            handle.write(f"Child name: Child C{c}\nName: Child C{c}\n")
    stages = replace(scanfakes.stages(), find_prefill="dupscan.detect:find_prefill")
    opts = {**OPTS, "stages": stages}
    late = (root / "C3" / "02_plan.txt").read_text(encoding="utf-8")
    (root / "C3" / "02_plan.txt").unlink()
    db = tmp_path / "i.sqlite"
    scan(root, index=db, **opts)
    (root / "C3" / "02_plan.txt").write_text(late, encoding="utf-8")
    again = scan(root, index=db, **opts)
    assert again.prefill and again.prefill[0].occurrences >= 4
    assert again.prefill == tuple(
        replace(p, seconds=q.seconds) for p, q in zip(
            sorted(find_prefill(list(again.forms)), key=lambda p: (
                p.canonical, p.source_form_type, p.target_form_type, p.label)),
            again.prefill, strict=True))
    assert _json(again) == _json(scan(root, **opts))


_PLACED = {"run_files": "path, sig, skipped", "run_forms": "doc, path, row, case_id, sort_key, "
           "words, digest, content", "run_stock": "case_id, doc, hash, n", "case_hashes": "*",
           "stock_counts": "*"}


def _placed(db) -> dict[str, list]:
    import sqlite3

    with sqlite3.connect(db) as conn:
        return {t: conn.execute(f"SELECT {cols} FROM {t} ORDER BY 1, 2").fetchall()
                for t, cols in _PLACED.items()}


def test_files_placed_while_others_are_read_equal_a_scan_from_scratch(tmp_path, monkeypatch):
    root = scanfakes.make_corpus(tmp_path / "c", 6)
    rows = _rows(6)
    _manifest(root, rows[:-5])
    db = tmp_path / "i.sqlite"
    opts = {**OPTS, "workers": 2}
    scan(root, root / "manifest.csv", index=db, **opts)
    _manifest(root, rows)
    with open(root / "C2" / "01_assessment.txt", "a", encoding="utf-8") as handle:
        handle.write("Notes: The family moved to a new flat in March.\n")
    monkeypatch.setattr(pipeline, "_PLACE_STEP", 2)  # a few files between two results
    again = scan(root, root / "manifest.csv", index=db, **opts)
    fresh = scan(root, root / "manifest.csv", index=tmp_path / "fresh.sqlite", **opts)
    assert _placed(db) == _placed(tmp_path / "fresh.sqlite")
    assert _json(again) == _json(fresh)


def test_a_changed_file_whose_reading_crashes_keeps_its_earlier_forms(tmp_path):
    root = scanfakes.make_corpus(tmp_path / "c", 3)
    db = tmp_path / "i.sqlite"
    opts = {**OPTS, "workers": 2}
    first = scan(root, index=db, **opts)
    with open(root / "C2" / "02_plan.txt", "a", encoding="utf-8") as handle:
        handle.write("CRASH_SEGMENT\n")
    again = scan(root, index=db, **opts)
    assert [(s.path, s.reason) for s in again.skipped] == [
        ("C2/02_plan.txt", "worker process crashed")]
    assert {f.doc for f in again.forms} == {f.doc for f in first.forms}
    assert list(again.findings) == list(first.findings)


def test_a_file_whose_reading_crashed_is_read_again_by_the_next_scan(tmp_path, logged):
    """A crash is retried by the next run, also when the file's group is otherwise listed
    as it was: the file, new or changed, was not stored."""
    root = scanfakes.make_corpus(tmp_path / "c", 3)
    db = tmp_path / "i.sqlite"
    opts = {**OPTS, "workers": 2}
    scan(root, index=db, **opts)
    with open(root / "C2" / "02_plan.txt", "a", encoding="utf-8") as handle:
        handle.write("CRASH_SEGMENT\n")
    (root / "C3" / "05_note.txt").write_text("Form: note\nCRASH_SEGMENT\n", encoding="utf-8")
    crashed = [("C2/02_plan.txt", "worker process crashed"),
               ("C3/05_note.txt", "worker process crashed")]
    for _ in range(2):
        logged.unlink(missing_ok=True)
        again = scan(root, index=db, **opts)
        assert [(s.path, s.reason) for s in again.skipped] == crashed
        assert {"02_plan.txt", "05_note.txt"} <= set(logged.read_text().split())


def test_file_versions_are_the_file_states_without_their_errors(tmp_path):
    from dupscan.batch.index import Index

    root = scanfakes.make_corpus(tmp_path / "c", 2)
    db = tmp_path / "i.sqlite"
    scan(root, index=db, **OPTS)
    with Index(db, settings=Index.peek(db, ("settings",))["settings"]) as index:
        paths = [p for (p,) in index.db.execute("SELECT path FROM files")] + ["gone.txt"]
        states = index.file_states(paths)
        assert len(states) == len(paths) - 1 == 6
        assert index.file_versions(paths) == {p: s[:3] for p, s in states.items()}


def test_file_states_are_read_from_the_covering_index_and_equal_the_table(tmp_path):
    """Placing reads every file's version and errors: from the small covering index, not
    from the table rows that hold the forms (an index written before it had none is given
    one when opened)."""
    import sqlite3

    from dupscan.batch.index import _FILE_STATES, Index

    root = scanfakes.make_corpus(tmp_path / "c", 2)
    (root / "C1" / "broken.txt").write_text("CORRUPT")  # a file stored with its error
    db = tmp_path / "i.sqlite"
    scan(root, index=db, **OPTS)
    raw = sqlite3.connect(db)
    raw.execute("DROP INDEX files_state")  # as an index written without it
    raw.commit()
    raw.close()
    with Index(db, settings=Index.peek(db, ("settings",))["settings"]) as index:
        table = {row[0]: row[1:] for row in index.db.execute(
            "SELECT path, size, mtime_ns, sha256, errors FROM files NOT INDEXED")}
        assert any(errors != "[]" for *_, errors in table.values())
        paths = [*table, "gone.txt"]
        assert index.file_states(paths) == table
        assert index.file_state("C1/broken.txt") == table["C1/broken.txt"][:3]
        for columns in ("path, size, mtime_ns, sha256, errors", "size, mtime_ns, sha256"):
            plan = " ".join(str(row) for row in index.db.execute(
                f"EXPLAIN QUERY PLAN SELECT {columns} FROM {_FILE_STATES} WHERE path IN (?, ?)",
                ("a", "b")))
            assert "COVERING INDEX files_state" in plan


def _looked_up(monkeypatch) -> list[str]:
    """The paths whose stored versions and states the next scans look up."""
    from dupscan.batch.index import Index

    paths: list[str] = []
    for name in ("file_versions", "file_states"):
        real = getattr(Index, name)

        def recording(self, asked, _real=real):
            paths.extend(asked)
            return _real(self, asked)

        monkeypatch.setattr(Index, name, recording)
    return paths


def test_groups_listed_as_last_placed_are_neither_looked_up_nor_read(tmp_path, logged,
                                                                       monkeypatch):
    root = scanfakes.make_corpus(tmp_path / "c", 4)
    (root / "C1" / "09_broken.txt").write_text("CORRUPT", encoding="utf-8")
    db = tmp_path / "i.sqlite"
    first = scan(root, index=db, **OPTS)
    looked = _looked_up(monkeypatch)
    logged.unlink()
    again = scan(root, index=db, **OPTS)
    assert looked == [] and not logged.exists()
    assert _json(again) == _json(first)
    assert ("C1/09_broken.txt", "corrupt file") in [(s.path, s.reason) for s in again.skipped]
    with open(root / "C3" / "02_plan.txt", "a", encoding="utf-8") as handle:
        handle.write("Notes: A new line about the plan written this week.\n")
    changed = scan(root, index=db, **OPTS)
    assert sorted(set(looked)) == sorted(f"C3/0{n}_{t}.txt" for n, t in
                                         enumerate(("referral", "assessment", "plan")))
    assert logged.read_text().split() == ["02_plan.txt", "detect:C3"]
    assert _json(changed) == _json(scan(root, **OPTS))


def test_a_group_placed_again_by_a_stopped_scan_is_not_settled_by_its_older_listing(
        tmp_path, monkeypatch):
    """The listing kept for a group is forgotten before its files are placed again: a
    scan stopped after placing them leaves nothing that the old listing could match."""
    root = scanfakes.make_corpus(tmp_path / "c", 4)
    rows = _rows(4)
    _manifest(root, rows)
    db = tmp_path / "i.sqlite"
    scan(root, root / "manifest.csv", index=db, **OPTS)
    _manifest(root, [(p, c, "review" if c == "C2" else t, d) for p, c, t, d in rows])

    def stopped(self, rows):
        raise KeyboardInterrupt

    monkeypatch.setattr(RunTables, "replace_groups", stopped)
    with pytest.raises(KeyboardInterrupt):
        scan(root, root / "manifest.csv", index=db, **OPTS)
    monkeypatch.undo()
    _manifest(root, rows)  # back to the first listing
    again = scan(root, root / "manifest.csv", index=db, **OPTS)
    fresh = scan(root, root / "manifest.csv", index=tmp_path / "fresh.sqlite", **OPTS)
    assert "review" not in {f.form_type for f in again.forms}
    assert _placed(db) == _placed(tmp_path / "fresh.sqlite")
    assert _json(again) == _json(fresh)


def test_rows_added_to_one_case_of_the_manifest_leave_the_others_settled(tmp_path,
                                                                          monkeypatch):
    root = scanfakes.make_corpus(tmp_path / "c", 4)
    rows = _rows(4)
    late = [r for r in rows if r[1] == "C2" and "plan" in r[0]]
    _manifest(root, [r for r in rows if r not in late])
    db = tmp_path / "i.sqlite"
    scan(root, root / "manifest.csv", index=db, **OPTS)
    looked = _looked_up(monkeypatch)
    # the row comes first in the file: every later row's place in the file moves, while
    # the place of a row among its case's rows moves only in C2, and in C4, whose two
    # last rows change places
    kept = [r for r in rows if r not in late]
    kept[-2:] = kept[:-3:-1]
    _manifest(root, late + kept)
    again = scan(root, root / "manifest.csv", index=db, **OPTS)
    assert {p.split("/")[0] for p in looked} == {"C2", "C4"}
    fresh = scan(root, root / "manifest.csv", index=tmp_path / "fresh.sqlite", **OPTS)
    assert _placed(db) == _placed(tmp_path / "fresh.sqlite")
    assert _json(again) == _json(fresh)


def test_a_file_added_without_a_manifest_unsettles_the_groups_it_moves(tmp_path):
    """Without a manifest a file's place among all files orders its case's forms: one added
    in front moves every later group, which is placed again."""
    root = scanfakes.make_corpus(tmp_path / "c", 4)
    db = tmp_path / "i.sqlite"
    scan(root, index=db, **OPTS)
    shutil.move(root / "C3", root / "C0")  # the last but one case now lists first
    (root / "C0" / "05_note.txt").write_text(
        "Form: note\nDate: 2025-04-01\nSummary: Case C0 note with wording of its own.\n",
        encoding="utf-8")
    again = scan(root, index=db, **OPTS)
    fresh = scan(root, index=tmp_path / "fresh.sqlite", **OPTS)
    assert _placed(db) == _placed(tmp_path / "fresh.sqlite")
    assert _json(again) == _json(fresh)
