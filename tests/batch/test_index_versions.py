"""An index written by another version of dupscan is refused with a clear reason."""

from __future__ import annotations

import sqlite3

import pytest

from dupscan.batch.index import SCHEMA_VERSION, Index
from dupscan.errors import ConfigError


def _old_index(path, schema="2"):
    db = sqlite3.connect(path)
    db.executescript("""
        CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
        CREATE TABLE run_forms (doc TEXT PRIMARY KEY, case_id TEXT NOT NULL,
                                sort_key TEXT NOT NULL, words INTEGER NOT NULL,
                                form TEXT NOT NULL);
    """)
    db.execute("INSERT INTO meta VALUES ('schema', ?)", (schema,))
    db.commit()
    db.close()


def test_an_older_schema_names_both_versions_and_the_fix(tmp_path):
    path = tmp_path / "old.sqlite"
    _old_index(path)
    with pytest.raises(ConfigError) as err:
        Index(path)
    message = str(err.value)
    assert "schema 2" in message and f"uses {SCHEMA_VERSION}" in message
    assert "delete it or use a new --index" in message
    # the failed open released its lock: a second try gets the same reason, not "in use"
    with pytest.raises(ConfigError, match="another version"):
        Index(path)


def test_the_refused_index_is_left_untouched(tmp_path):
    path = tmp_path / "old.sqlite"
    _old_index(path)
    before = path.read_bytes()
    with pytest.raises(ConfigError):
        Index(path)
    db = sqlite3.connect(path)
    assert [r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type='table' "
                                     "ORDER BY name")] == ["meta", "run_forms"]
    db.close()
    assert path.read_bytes() == before


def test_the_current_schema_opens(tmp_path):
    path = tmp_path / "index.sqlite"
    with Index(path, settings="s"):
        pass
    with Index(path, settings="s") as again:
        assert again.path == path


@pytest.mark.parametrize("schema", ["6", "7", "8"])
def test_an_index_of_an_older_run_schema_keeps_its_files_and_findings(tmp_path, monkeypatch,
                                                                      schema):
    """Schemas 7, 8 and 9 changed only the run-scoped tables: they are made again from
    the stored files, and no file is read nor case detected again."""
    import scanfakes

    from dupscan.pipeline import scan
    from dupscan.report import render

    opts = {"stages": scanfakes.stages(), "workers": 1, "stock_min_cases": 3}
    root = scanfakes.make_corpus(tmp_path / "c", 3)
    db = tmp_path / "i.sqlite"
    first = render(scan(root, index=db, **opts), "json")
    with sqlite3.connect(db) as conn:
        conn.execute("UPDATE meta SET value = ? WHERE key = 'schema'", (schema,))
        # as schema 8 had it: cases placed again were marked in run_dirty
        conn.execute("CREATE TABLE run_dirty (case_id TEXT PRIMARY KEY) WITHOUT ROWID")
        conn.execute("INSERT INTO run_dirty VALUES ('C1')")
        if schema in ("6", "7"):  # as schema 7 had it: no content key of the forms
            conn.execute("DROP INDEX run_forms_content")
            conn.execute("ALTER TABLE run_forms DROP COLUMN content")
        if schema == "6":
            conn.execute("DROP TABLE run_texts")  # as schema 6 had it: the texts in run_forms
            conn.execute("ALTER TABLE run_forms ADD COLUMN form TEXT")
    log = tmp_path / "calls.log"
    monkeypatch.setenv("SCANFAKES_LOG", str(log))
    assert render(scan(root, index=db, **opts), "json") == first
    assert not log.exists()  # no file read (each read is logged by name), no case detected
    with sqlite3.connect(db) as conn:
        assert conn.execute("SELECT value FROM meta WHERE key = 'schema'").fetchone() == (
            SCHEMA_VERSION,)
        columns = [r[1] for r in conn.execute("PRAGMA table_info(run_forms)")]
        texts = conn.execute("SELECT COUNT(*) FROM run_texts").fetchone()[0]
        assert "form" not in columns and "content" in columns and texts == 9
        tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master")}
        assert "run_dirty" not in tables
