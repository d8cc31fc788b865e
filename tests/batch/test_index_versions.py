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
