"""The run-scoped tables of a scan index, kept across runs and changed by deltas.

A scan places every form of its files into a case (``run_forms``) and counts
each form's countable sentences for the stock-text pass (``run_stock``). These
tables are not rebuilt at each run: a file whose stored record and manifest
rows are unchanged keeps its rows (``run_files`` holds the signature they were
placed with), and only files that changed, appeared or went away are placed
again. A group of files listed exactly as when it was last placed whole
(``run_groups`` holds a digest of its listing) is not even looked up.

Derived per-case state is then brought up to date by what changed:

* ``case_hashes`` - each case's sentence hashes with their occurrences and the
  number of its forms holding each (detection leaves out the stock sentences a
  case repeats), moved by the rows placing takes out of ``run_stock`` and puts in
  (``run_stock_moves``, written in the same transactions);
* ``stock_counts`` - per sentence hash, the number of cases holding it and its
  occurrences, kept by deltas from ``case_hashes`` (so the stock pass selects
  ``cases >= threshold`` through an index instead of aggregating every sentence);
* ``run_cases`` - each case's forms with their structured fields only and its
  prefill counts (what the report keeps of a case), cached under the digest of
  the case's forms;
* ``run_parts`` - each case's costed report part (:mod:`dupscan._case_part`),
  stored under a key of everything it was made from, so that an unchanged case
  is added to the report without being decoded or costed again;
* ``run_names`` - the words each case's forms use that may be names, under the
  digest of its forms (kept by scans that redact);
* ``run_totals`` - the report's totals at the end of the last run, with the key of
  each case's part and the digest of its forms they count (one row), which the
  next run brings up to date by the cases that changed (:mod:`dupscan._run_totals`).

Every change is one transaction, and the stock moves are cleared in the
transaction that applies them, so a scan killed at any point leaves tables that
the next run completes.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
from collections import defaultdict
from collections.abc import Iterable, Iterator
from typing import Any

from dupscan._rows import decode_findings, decode_forms, encode_findings, encode_forms
from dupscan.batch.copies import content_key
from dupscan.batch.serial import dumps
from dupscan.model import Form

__all__ = ["RUN_SCHEMA", "RUN_TABLES", "RUN_TABLES_GONE", "RunTables", "decode_findings",
           "decode_forms", "encode_findings", "encode_forms", "form_digest", "rows_for_paths"]

# run_stock is keyed by case first: files are placed in path order, which follows the
# cases, so its rows are appended near the end of the table. Keyed by sentence hash
# (random order), each placement batch dirtied a page per row and placing 98k forms
# took 43 s instead of 24 s; the stock pass reaches a hash's rows through case_hashes.
RUN_SCHEMA = """
CREATE TABLE IF NOT EXISTS run_files (
    path TEXT PRIMARY KEY, sig TEXT NOT NULL, skipped TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS run_groups (
    grp TEXT PRIMARY KEY, listing TEXT NOT NULL, skipped TEXT NOT NULL) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS run_forms (
    doc TEXT PRIMARY KEY, path TEXT NOT NULL, row INTEGER NOT NULL, case_id TEXT NOT NULL,
    sort_key TEXT NOT NULL, words INTEGER NOT NULL, digest TEXT NOT NULL,
    content TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS run_forms_case ON run_forms (case_id, sort_key, doc, digest);
CREATE INDEX IF NOT EXISTS run_forms_content ON run_forms (case_id, content);
CREATE INDEX IF NOT EXISTS run_forms_path ON run_forms (path);
CREATE TABLE IF NOT EXISTS run_texts (doc TEXT PRIMARY KEY, form TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS run_stock (
    case_id TEXT NOT NULL, doc TEXT NOT NULL, hash TEXT NOT NULL, n INTEGER NOT NULL,
    text TEXT NOT NULL, words INTEGER NOT NULL, PRIMARY KEY (case_id, doc, hash)) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS run_stock_moves (
    case_id TEXT NOT NULL, hash TEXT NOT NULL, n INTEGER NOT NULL, forms INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS case_hashes (
    case_id TEXT NOT NULL, hash TEXT NOT NULL, n INTEGER NOT NULL, forms INTEGER NOT NULL,
    PRIMARY KEY (case_id, hash)) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS case_hashes_hash ON case_hashes (hash);
CREATE TABLE IF NOT EXISTS stock_counts (
    hash TEXT PRIMARY KEY, cases INTEGER NOT NULL, occurrences INTEGER NOT NULL) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS stock_counts_cases ON stock_counts (cases);
CREATE TABLE IF NOT EXISTS run_cases (
    case_id TEXT PRIMARY KEY, digest TEXT NOT NULL, forms TEXT NOT NULL, prefill TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS run_parts (
    case_id TEXT PRIMARY KEY, key TEXT NOT NULL, part TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS run_names (
    case_id TEXT PRIMARY KEY, digest TEXT NOT NULL, names TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS run_totals (
    id INTEGER PRIMARY KEY CHECK (id = 1), settings TEXT NOT NULL, state TEXT NOT NULL);
"""

#: every run-scoped table, emptied when the index's read settings change
RUN_TABLES = ("run_files", "run_groups", "run_forms", "run_texts", "run_stock", "run_stock_moves",
              "case_hashes", "stock_counts", "run_cases", "run_parts", "run_names",
              "run_totals")
#: run-scoped tables of older schemas that this one no longer has (dropped on upgrade):
#: ``run_dirty`` marked the cases placing changed, which the stock moves now tell
RUN_TABLES_GONE = ("run_dirty",)

#: host parameters in one statement, well under SQLite's limit (999 before 3.32)
_SQL_VARIABLES = 500


def rows_for_paths(db: sqlite3.Connection, select: str, paths: list[str]) -> Iterator[tuple]:
    """Rows of ``select`` (a query without WHERE) whose ``path`` is one of ``paths``, read
    :data:`_SQL_VARIABLES` paths a statement: placement looks up a batch of files at a
    time instead of holding a map of every file."""
    return rows_where_in(db, select, "path", paths)


def rows_where_in(db: sqlite3.Connection, select: str, column: str, values: list[str]
                  ) -> Iterator[tuple]:
    """Rows of ``select`` (a query without WHERE) whose ``column`` is one of ``values``,
    read :data:`_SQL_VARIABLES` values a statement."""
    for start in range(0, len(values), _SQL_VARIABLES):
        chunk = values[start:start + _SQL_VARIABLES]
        yield from db.execute(f"{select} WHERE {column} IN ({', '.join('?' * len(chunk))})",
                              chunk)


#: ``(doc, row, case_id, sort_key, words, form_dict, sentences)`` of one placed form
PlacedRow = tuple[str, int, str, str, int, dict[str, Any], list]


def form_digest(text: str) -> str:
    """SHA-256 of a form's stored JSON text."""
    return hashlib.sha256(text.encode()).hexdigest()


class RunTables:
    """Read and change the run-scoped tables of an open index.

    Parameters
    ----------
    index : Index
        The open scan index (its connection and transactions are used).
    """

    def __init__(self, index: Any) -> None:
        self._index = index
        self._db: sqlite3.Connection = index.db

    # -- placement ------------------------------------------------------------
    def placed_files(self, paths: list[str]) -> dict[str, tuple[str, str]]:
        """``path -> (signature, skipped JSON)`` of those of ``paths`` placed by an earlier run."""
        return {p: (s, k) for p, s, k in rows_for_paths(
            self._db, "SELECT path, sig, skipped FROM run_files", paths)}

    def group_listings(self, groups: list[str]) -> dict[str, tuple[str, str]]:
        """``group -> (listing, skipped JSON)`` of those of ``groups`` placed whole by the
        last placement (see :meth:`Placement.settled <dupscan.batch.placement.Placement>`)."""
        return {g: (listing, skipped) for g, listing, skipped in rows_where_in(
            self._db, "SELECT grp, listing, skipped FROM run_groups", "grp", groups)}

    def forget_groups(self, groups: list[str]) -> None:
        """Forget the listings of ``groups`` (before any of their files is placed again)."""
        if groups:
            with self._index.transaction():
                self._db.executemany("DELETE FROM run_groups WHERE grp = ?",
                                     [(g,) for g in groups])

    def replace_groups(self, rows: Iterable[tuple[str, str, str]]) -> None:
        """Make ``(group, listing, skipped JSON)`` rows the only listings kept."""
        with self._index.transaction():
            self._db.execute("DELETE FROM run_groups")
            self._db.executemany("INSERT INTO run_groups VALUES (?, ?, ?)", rows)

    def placed_paths(self) -> Iterator[str]:
        """Every file placed by an earlier run (read as it goes, not held)."""
        return (p for (p,) in self._db.execute("SELECT path FROM run_files"))

    def placed_forms(self, paths: list[str]) -> dict[str, list[tuple[str, int, str]]]:
        """``path -> [(doc, row, sort_key)]`` of the placed forms of ``paths``."""
        out: dict[str, list[tuple[str, int, str]]] = defaultdict(list)
        for doc, path, row, key in rows_for_paths(
                self._db, "SELECT doc, path, row, sort_key FROM run_forms", paths):
            out[path].append((doc, row, key))
        return out

    def replace_files(self, batch: Iterable[tuple[str, str | None, list, list[PlacedRow]]]
                      ) -> None:
        """Place files again in one transaction: ``(path, signature, skipped, rows)``.

        A ``None`` signature removes the file from the run. Once the stock counts are
        kept (:meth:`refresh_counts`), the ``run_stock`` rows the files' forms take out
        and put in are written as moves for the next refresh. Each statement runs once
        for the whole batch, not once per file.
        """
        db = self._db
        batch = list(batch)
        paths = [path for path, _, _, _ in batch]
        with self._index.transaction():
            old: list[tuple[str, str]] = []
            old += rows_for_paths(db, "SELECT doc, case_id FROM run_forms", paths)
            # once the cases are counted, what leaves and joins run_stock is kept as moves
            # for refresh_counts to apply (before they are counted, it counts every row)
            counted = self._counted()
            leaving = [(c, d) for d, c in old]
            if counted:
                db.executemany("INSERT INTO run_stock_moves SELECT case_id, hash, -n, -1 "
                               "FROM run_stock WHERE case_id = ? AND doc = ?", leaving)
            db.executemany("DELETE FROM run_stock WHERE case_id = ? AND doc = ?", leaving)
            db.executemany("DELETE FROM run_forms WHERE path = ?", [(p,) for p in paths])
            db.executemany("DELETE FROM run_texts WHERE doc = ?", [(d,) for d, _ in old])
            db.executemany("DELETE FROM run_files WHERE path = ?",
                           [(path,) for path, sig, _, _ in batch if sig is None])
            forms: list[tuple[Any, ...]] = []
            texts: list[tuple[str, str]] = []
            stock: list[tuple[Any, ...]] = []
            files: list[tuple[str, str, str]] = []
            for path, sig, skipped, rows in batch:
                if sig is None:
                    continue
                for doc, row, case_id, key, words, form, hashes in rows:
                    text = dumps(form)
                    forms.append((doc, path, row, case_id, key, words, form_digest(text),
                                  content_key(form)))
                    texts.append((doc, text))
                    stock.extend((case_id, doc, h, n, t, nw) for h, n, t, nw in hashes)
                files.append((path, sig, dumps(skipped)))
            db.executemany("INSERT OR REPLACE INTO run_forms VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                           forms)
            db.executemany("INSERT OR REPLACE INTO run_texts VALUES (?, ?)", texts)
            db.executemany("INSERT OR REPLACE INTO run_stock VALUES (?, ?, ?, ?, ?, ?)", stock)
            if counted:  # the rows as stored (a hash repeated in a form is one row)
                db.executemany("INSERT INTO run_stock_moves SELECT case_id, hash, n, 1 "
                               "FROM run_stock WHERE case_id = ? AND doc = ?",
                               [(f[3], f[0]) for f in forms])
            db.executemany("INSERT OR REPLACE INTO run_files VALUES (?, ?, ?)", files)

    def update_sort_keys(self, changes: list[tuple[str, str]]) -> None:
        """Set new ``(sort_key, doc)`` pairs (files whose manifest position moved).

        A manifest row's key is its rank among its case's rows, so a row inserted
        into a case moves only the later rows of that case; without a manifest a
        file added near the top of the folder moves every later one. The form texts
        are kept apart (``run_texts``) so that this rewrites small rows only."""
        if changes:
            with self._index.transaction():
                self._db.executemany("UPDATE run_forms SET sort_key = ? WHERE doc = ?", changes)

    # -- per-case state ---------------------------------------------------------
    def refresh_counts(self) -> bool:
        """Bring ``case_hashes`` and ``stock_counts`` up to date with ``run_stock``, in
        one transaction of set-wise statements: by the moves placing wrote since the
        last refresh or, while nothing is counted (a new index), by counting every row.

        Returns whether anything was counted or moved.
        """
        db = self._db
        counted = self._counted()
        if counted and db.execute("SELECT 1 FROM run_stock_moves LIMIT 1").fetchone() is None:
            return False  # nothing placed again since the last refresh
        if not counted and db.execute("SELECT 1 FROM run_stock LIMIT 1").fetchone() is None:
            return False  # nothing to count
        with self._index.transaction():
            if not counted:
                # nothing counted yet (a new index): every case at once
                db.execute("DELETE FROM stock_counts")
                db.execute("INSERT INTO case_hashes SELECT case_id, hash, SUM(n), COUNT(*) "
                           "FROM run_stock GROUP BY case_id, hash")
                db.execute("INSERT INTO stock_counts SELECT hash, COUNT(*), SUM(n) "
                           "FROM case_hashes GROUP BY hash")
                db.execute("DELETE FROM run_stock_moves")
                return True
            # each (case, sentence) moves by the rows its forms took out of run_stock and
            # put in since the last refresh: an increment's new forms, not every form of
            # the cases they joined (counting those again took 0.6 s of 1,112 new forms)
            db.execute("CREATE TEMP TABLE IF NOT EXISTS moved (case_id TEXT NOT NULL, "
                       "hash TEXT NOT NULL, n INTEGER NOT NULL, forms INTEGER NOT NULL, "
                       "PRIMARY KEY (case_id, hash)) WITHOUT ROWID")
            db.execute("DELETE FROM temp.moved")
            db.execute("INSERT INTO temp.moved SELECT case_id, hash, SUM(n), SUM(forms) "
                       "FROM run_stock_moves GROUP BY case_id, hash "
                       "HAVING SUM(n) != 0 OR SUM(forms) != 0")
            # a sentence's cases move by the cases it enters (no form held it before) less
            # those it leaves (no form holds it now)
            db.execute(
                "INSERT INTO stock_counts (hash, cases, occurrences) "
                "SELECT m.hash, SUM((IFNULL(h.forms, 0) + m.forms > 0) - (IFNULL(h.forms, 0) > 0)),"
                " SUM(m.n) FROM temp.moved m LEFT JOIN case_hashes h"
                " ON h.case_id = m.case_id AND h.hash = m.hash"
                " WHERE true GROUP BY m.hash"
                " ON CONFLICT (hash) DO UPDATE SET cases = cases + excluded.cases, "
                "occurrences = occurrences + excluded.occurrences")
            db.execute("DELETE FROM stock_counts WHERE cases <= 0")
            db.execute("INSERT INTO case_hashes SELECT * FROM temp.moved WHERE true "
                       "ON CONFLICT (case_id, hash) DO UPDATE SET n = n + excluded.n, "
                       "forms = forms + excluded.forms")
            db.execute("DELETE FROM case_hashes WHERE forms <= 0 AND (case_id, hash) IN "
                       "(SELECT case_id, hash FROM temp.moved)")
            db.execute("DELETE FROM temp.moved")
            db.execute("DELETE FROM run_stock_moves")
        return True

    def _counted(self) -> bool:
        """Whether the stock counts are kept (a refresh has counted ``run_stock``)."""
        return self._db.execute("SELECT 1 FROM case_hashes LIMIT 1").fetchone() is not None

    def stock_counts(self, min_cases: int) -> list[tuple[str, int, int]]:
        """``(hash, cases, occurrences)`` of the sentences in ``min_cases`` cases or more."""
        return self._db.execute(
            "SELECT hash, cases, occurrences FROM stock_counts WHERE cases >= ? ORDER BY hash",
            (min_cases,)).fetchall()

    def holders(self, hashes: Iterable[str]) -> dict[str, list[tuple[str, int]]]:
        """``hash -> [(case id, forms of the case holding it)]`` for each of ``hashes``,
        by case id."""
        return {h: self._db.execute("SELECT case_id, forms FROM case_hashes WHERE hash = ? "
                                    "ORDER BY case_id", (h,)).fetchall()
                for h in sorted(hashes)}

    def case_digests(self) -> list[tuple[str, str]]:
        """``(case_id, digest of its forms in case order)`` for every case, sorted by case."""
        out: list[tuple[str, str]] = []
        current, digest = None, None
        for case_id, form in self._db.execute(
                "SELECT case_id, digest FROM run_forms ORDER BY case_id, sort_key, doc"):
            if case_id != current:
                if digest is not None:
                    out.append((current, digest.hexdigest()))  # type: ignore[arg-type]
                current, digest = case_id, hashlib.sha256()
            digest.update(form.encode())  # type: ignore[union-attr]
        if digest is not None:
            out.append((current, digest.hexdigest()))  # type: ignore[arg-type]
        return out

    def copies(self) -> dict[str, dict[str, str]]:
        """``case_id -> {doc of a copy: doc of the form it copies}`` for every case holding a
        second copy of one of its forms (:mod:`dupscan.batch.copies`); the first in case
        order is the form, every later one a copy of it."""
        out: dict[str, dict[str, str]] = {}
        first: dict[tuple[str, str], str] = {}
        # the index on (case_id, content) finds the repeated keys without reading the texts
        for case_id, content, doc in self._db.execute(
                "SELECT f.case_id, f.content, f.doc FROM run_forms f JOIN ("
                "  SELECT case_id, content FROM run_forms WHERE content != '' "
                "  GROUP BY case_id, content HAVING COUNT(*) > 1) r "
                "USING (case_id, content) ORDER BY f.case_id, f.content, f.sort_key, f.doc"):
            original = first.setdefault((case_id, content), doc)
            if original != doc:
                out.setdefault(case_id, {})[doc] = original
        return out

    # -- what the report keeps of a case ------------------------------------------
    def report_digests(self) -> dict[str, str]:
        """``case_id -> digest`` under which each case's report forms were stored."""
        return dict(self._db.execute("SELECT case_id, digest FROM run_cases"))

    def store_report_rows(self, rows: list[tuple[str, str, str, str]]) -> None:
        """Store what the report keeps of some cases, in one transaction: rows of
        ``(case_id, digest, encode_forms(structured-only forms), prefill counts as JSON)``."""
        with self._index.transaction():
            self._db.executemany("INSERT OR REPLACE INTO run_cases VALUES (?, ?, ?, ?)", rows)

    def prune_report_forms(self, live: set[str]) -> None:
        """Forget the report forms and parts of cases no longer in the run."""
        gone = [(c,) for c in self.report_digests() if c not in live]
        if gone:
            with self._index.transaction():
                self._db.executemany("DELETE FROM run_cases WHERE case_id = ?", gone)
                self._db.executemany("DELETE FROM run_parts WHERE case_id = ?", gone)
                self._db.executemany("DELETE FROM run_names WHERE case_id = ?", gone)

    def report_part(self, case_id: str, key: str) -> tuple[bytes | str, str] | None:
        """The part of one case stored under ``key`` (bytes, as stored), with the case's
        prefill counts as JSON; ``None`` when no part was stored under that key."""
        return self._db.execute(
            "SELECT p.part, c.prefill FROM run_parts p JOIN run_cases c USING (case_id) "
            "WHERE p.case_id = ? AND p.key = ?", (case_id, key)).fetchone()

    def stored_part(self, case_id: str, key: str) -> bytes | str | None:
        """:meth:`report_part` without the prefill counts (a part the totals count
        already is only passed on)."""
        row = self._db.execute("SELECT part FROM run_parts WHERE case_id = ? AND key = ?",
                               (case_id, key)).fetchone()
        return None if row is None else row[0]

    def counted_keys(self, case_id: str) -> tuple[str | None, str | None]:
        """The key a case's part was stored under and the digest its report forms and
        prefill counts were stored under (None where missing)."""
        part = self._db.execute("SELECT key FROM run_parts WHERE case_id = ?",
                                (case_id,)).fetchone()
        forms = self._db.execute("SELECT digest FROM run_cases WHERE case_id = ?",
                                 (case_id,)).fetchone()
        return (None if part is None else part[0], None if forms is None else forms[0])

    def counted_rows(self, case_id: str) -> tuple[bytes | str, str]:
        """A case's stored part and prefill counts (JSON; ``"null"`` when missing)."""
        part = self._db.execute("SELECT part FROM run_parts WHERE case_id = ?",
                                (case_id,)).fetchone()
        return (b"" if part is None else part[0], self.report_prefill(case_id))

    def totals(self, settings: str) -> str | None:
        """The totals kept by the last run under ``settings`` (JSON), if any."""
        row = self._db.execute("SELECT state FROM run_totals WHERE settings = ?",
                               (settings,)).fetchone()
        return None if row is None else row[0]

    def store_totals(self, settings: str, state: str) -> None:
        """Keep the totals of this run (JSON) under ``settings``, in place of the last's."""
        with self._index.transaction():
            self._db.execute("INSERT OR REPLACE INTO run_totals VALUES (1, ?, ?)",
                             (settings, state))

    def store_report_parts(self, rows: list[tuple[str, str, bytes]]) -> None:
        """Store the parts of some cases, in one transaction: rows of ``(case_id, key, part)``
        (the part's UTF-8 bytes, kept as they are)."""
        with self._index.transaction():
            self._db.executemany("INSERT OR REPLACE INTO run_parts VALUES (?, ?, ?)", rows)

    def case_names(self, case_id: str, digest: str) -> tuple[str, ...] | None:
        """The name words stored for a case with forms of ``digest``, or None."""
        row = self._db.execute("SELECT names FROM run_names WHERE case_id = ? AND digest = ?",
                               (case_id, digest)).fetchone()
        return None if row is None else tuple(json.loads(row[0]))

    def store_case_names(self, rows: list[tuple[str, str, str]]) -> None:
        """Store ``(case_id, digest of its forms, JSON list of name words)`` rows at once."""
        with self._index.transaction():
            self._db.executemany("INSERT OR REPLACE INTO run_names VALUES (?, ?, ?)", rows)

    def report_forms(self, case_id: str) -> tuple[list[Form], str]:
        """The stored structured-only forms of one case, in case order, and its prefill
        counts as JSON."""
        row = self._db.execute("SELECT forms, prefill FROM run_cases WHERE case_id = ?",
                               (case_id,)).fetchone()
        return ([], "null") if row is None else (decode_forms(row[0]), row[1])

    def report_prefill(self, case_id: str) -> str:
        """:meth:`report_forms`' prefill counts alone (its forms left undecoded)."""
        row = self._db.execute("SELECT prefill FROM run_cases WHERE case_id = ?",
                               (case_id,)).fetchone()
        return "null" if row is None else row[0]

    def iter_report_forms(self) -> Iterator[Form]:
        """Every case's structured-only forms, case by case in case order."""
        for (text,) in self._db.execute("SELECT forms FROM run_cases ORDER BY case_id"):
            yield from decode_forms(text)
