"""A disk that fills up under the scan index: a clear error, and the next run resumes."""

from __future__ import annotations

import pytest

from dupscan.batch import index as index_module
from dupscan.cli import main


@pytest.fixture(scope="module")
def corpus(generated_corpus):
    return generated_corpus(3, 11)


def _scan(corpus, out, *extra):
    return main(["scan", str(corpus), "--manifest", str(corpus / "manifest.csv"),
                 "--templates", str(corpus / "templates"), "--out", str(out), "--quiet",
                 "--format", "json", "--workers", "1", *extra])


@pytest.fixture
def disk_fills_up(monkeypatch):
    """Every index opened from now on has room for a few more pages only (SQLite then
    fails as on a full disk: SQLITE_FULL)."""
    real = index_module.Index.__init__

    def small(self, *args, **kwargs):
        real(self, *args, **kwargs)
        pages = self.db.execute("PRAGMA page_count").fetchone()[0]
        self.db.execute(f"PRAGMA max_page_count = {pages + 8}")

    monkeypatch.setattr(index_module.Index, "__init__", small)
    return monkeypatch


def test_a_full_disk_under_the_index_says_so_and_the_next_run_resumes(
        corpus, tmp_path, disk_fills_up, capsys):
    db = tmp_path / "index.sqlite"
    assert _scan(corpus, tmp_path / "full", "--index", str(db)) == 1
    err = capsys.readouterr().err
    assert "Traceback" not in err and str(db) in err
    assert "no room left for the scan index" in err and "run the same scan again" in err
    assert not (tmp_path / "full" / "findings.json").exists()

    disk_fills_up.undo()  # room made: the same command finishes what was stored
    assert _scan(corpus, tmp_path / "resumed", "--index", str(db)) == 0
    assert _scan(corpus, tmp_path / "clean") == 0
    assert ((tmp_path / "resumed" / "findings.json").read_bytes()
            == (tmp_path / "clean" / "findings.json").read_bytes())


def test_a_full_temporary_folder_names_tmpdir(corpus, tmp_path, disk_fills_up, capsys):
    assert _scan(corpus, tmp_path / "out") == 1
    err = capsys.readouterr().err
    assert "Traceback" not in err and "temporary index" in err and "TMPDIR" in err
    assert "--index" in err
