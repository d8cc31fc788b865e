"""The run-scoped tables of a scan index, kept across runs and changed by deltas.

A scan places every form of its files into a case (``run_forms``) and counts
each form's countable sentences for the stock-text pass (``run_stock``). These
tables are not rebuilt at each run: a file whose stored record and manifest
rows are unchanged keeps its rows (``run_files`` holds the signature they were
placed with), and only files that changed, appeared or went away are placed
again. Their cases are marked dirty in ``run_dirty`` in the same transaction.

Derived per-case state is then refreshed for the dirty cases only:

* ``case_hashes`` - each case's sentence hashes with their occurrences and the
  number of its forms holding each (detection leaves out the stock sentences a
  case repeats);
* ``stock_counts`` - per sentence hash, the number of cases holding it and its
  occurrences, kept by deltas from ``case_hashes`` (so the stock pass selects
  ``cases >= threshold`` through an index instead of aggregating every sentence);
* ``run_cases`` - each case's forms with their structured fields only and its
  prefill counts (what the report keeps of a case), cached under the digest of
  the case's forms.

Every change is one transaction, and the dirty marks are cleared in the
transaction that applies them, so a scan killed at any point leaves tables that
the next run completes.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
from collections import defaultdict
from collections.abc import Iterable, Iterator
from sys import intern
from typing import Any

from dupscan.batch.serial import dumps
from dupscan.model import Field, Finding, Form, Seconds, Span

__all__ = ["RUN_SCHEMA", "RUN_TABLES", "RunTables", "decode_findings", "decode_forms",
           "encode_findings", "encode_forms", "form_digest", "rows_for_paths"]

# run_stock is keyed by case first: files are placed in path order, which follows the
# cases, so its rows are appended near the end of the table. Keyed by sentence hash
# (random order), each placement batch dirtied a page per row and placing 98k forms
# took 43 s instead of 24 s; the stock pass reaches a hash's rows through case_hashes.
RUN_SCHEMA = """
CREATE TABLE IF NOT EXISTS run_files (
    path TEXT PRIMARY KEY, sig TEXT NOT NULL, skipped TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS run_forms (
    doc TEXT PRIMARY KEY, path TEXT NOT NULL, row INTEGER NOT NULL, case_id TEXT NOT NULL,
    sort_key TEXT NOT NULL, words INTEGER NOT NULL, digest TEXT NOT NULL, form TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS run_forms_case ON run_forms (case_id, sort_key, doc, digest);
CREATE INDEX IF NOT EXISTS run_forms_path ON run_forms (path);
CREATE TABLE IF NOT EXISTS run_stock (
    case_id TEXT NOT NULL, doc TEXT NOT NULL, hash TEXT NOT NULL, n INTEGER NOT NULL,
    text TEXT NOT NULL, words INTEGER NOT NULL, PRIMARY KEY (case_id, doc, hash)) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS run_dirty (case_id TEXT PRIMARY KEY) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS case_hashes (
    case_id TEXT NOT NULL, hash TEXT NOT NULL, n INTEGER NOT NULL, forms INTEGER NOT NULL,
    PRIMARY KEY (case_id, hash)) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS case_hashes_hash ON case_hashes (hash);
CREATE TABLE IF NOT EXISTS stock_counts (
    hash TEXT PRIMARY KEY, cases INTEGER NOT NULL, occurrences INTEGER NOT NULL) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS stock_counts_cases ON stock_counts (cases);
CREATE TABLE IF NOT EXISTS run_cases (
    case_id TEXT PRIMARY KEY, digest TEXT NOT NULL, forms TEXT NOT NULL, prefill TEXT NOT NULL);
"""

#: every run-scoped table, emptied when the index's read settings change
RUN_TABLES = ("run_files", "run_forms", "run_stock", "run_dirty", "case_hashes",
              "stock_counts", "run_cases")

#: host parameters in one statement, well under SQLite's limit (999 before 3.32)
_SQL_VARIABLES = 500


def rows_for_paths(db: sqlite3.Connection, select: str, paths: list[str]) -> Iterator[tuple]:
    """Rows of ``select`` (a query without WHERE) whose ``path`` is one of ``paths``, read
    :data:`_SQL_VARIABLES` paths a statement: placement looks up a batch of files at a
    time instead of holding a map of every file."""
    for start in range(0, len(paths), _SQL_VARIABLES):
        chunk = paths[start:start + _SQL_VARIABLES]
        yield from db.execute(f"{select} WHERE path IN ({', '.join('?' * len(chunk))})", chunk)


#: ``(doc, row, case_id, sort_key, words, form_dict, sentences)`` of one placed form
PlacedRow = tuple[str, int, str, str, int, dict[str, Any], list]


_FORM_NAMES = tuple(Form.__dataclass_fields__)
_FIELD_NAMES = tuple(Field.__dataclass_fields__)
_FIELDS_AT = _FORM_NAMES.index("fields")
#: positions of the Field attributes that are tuples of pairs (stored as lists of lists)
_PAIRS_AT = tuple(i for i, name in enumerate(_FIELD_NAMES)
                  if str(Field.__dataclass_fields__[name].type).startswith("tuple["))
#: attributes whose strings recur across fields and forms (interned when decoded)
_FIELD_STRINGS_AT = tuple(_FIELD_NAMES.index(n) for n in ("label", "canonical", "text", "kind"))
_FORM_STRINGS_AT = tuple(_FORM_NAMES.index(n)
                         for n in ("case_id", "form_type", "date", "author"))


def encode_forms(forms: Iterable[Form]) -> str:
    """Forms as compact JSON: one list of attribute values per form and per field.

    Positional (in the order of the dataclass attributes): loading a case's
    forms for the report is then mostly the JSON parse, at 100k forms too.
    """
    out = []
    for form in forms:
        row: list[Any] = [getattr(form, name) for name in _FORM_NAMES]
        row[_FIELDS_AT] = [[getattr(f, name) for name in _FIELD_NAMES] for f in form.fields]
        out.append(row)
    return json.dumps(out, ensure_ascii=False, separators=(",", ":"))


def decode_forms(text: str) -> list[Form]:
    """Inverse of :func:`encode_forms`.

    The report holds these forms for the whole scan, and their strings recur
    (labels, field kinds, form types, and values re-typed across a case's
    forms): each is interned, so one copy is held, not one per field.
    """
    forms = []
    for row in json.loads(text):
        fields = []
        for values in row[_FIELDS_AT]:
            for i in _PAIRS_AT:
                if values[i] is not None:
                    values[i] = tuple(tuple(pair) for pair in values[i])
            for i in _FIELD_STRINGS_AT:
                if type(values[i]) is str:
                    values[i] = intern(values[i])
            fields.append(Field(*values))
        row[_FIELDS_AT] = tuple(fields)
        for i in _FORM_STRINGS_AT:
            if type(row[i]) is str:
                row[i] = intern(row[i])
        forms.append(Form(*row))
    return forms


_FINDING_NAMES = tuple(Finding.__dataclass_fields__)
_SPAN_NAMES = tuple(Span.__dataclass_fields__)
_SECONDS_NAMES = tuple(Seconds.__dataclass_fields__)
_NESTED = {"source": (Span, _SPAN_NAMES), "target": (Span, _SPAN_NAMES),
           "seconds": (Seconds, _SECONDS_NAMES)}
_NESTED_AT = tuple((i, *_NESTED[name]) for i, name in enumerate(_FINDING_NAMES)
                   if name in _NESTED)
_FINDING_STRINGS_AT = tuple(_FINDING_NAMES.index(n) for n in ("case_id", "kind"))
_SPAN_STRINGS_AT = tuple(_SPAN_NAMES.index(n) for n in ("form_id", "doc", "field", "text"))


def encode_findings(findings: Iterable[Finding]) -> str:
    """Findings as compact positional JSON (see :func:`encode_forms`)."""
    out = []
    for finding in findings:
        row: list[Any] = [getattr(finding, name) for name in _FINDING_NAMES]
        for i, _, names in _NESTED_AT:
            row[i] = [getattr(row[i], name) for name in names]
        out.append(row)
    return json.dumps(out, ensure_ascii=False, separators=(",", ":"))


def decode_findings(text: str) -> list[Finding]:
    """Inverse of :func:`encode_findings`.

    As in :func:`decode_forms`, the strings findings repeat are interned: case,
    kind, the form ids, documents and fields of the spans, and the text of an
    exact copy (alike on both sides).
    """
    findings = []
    for row in json.loads(text):
        for i in _FINDING_STRINGS_AT:
            row[i] = intern(row[i])
        for i, cls, _ in _NESTED_AT:
            if cls is Span:
                for j in _SPAN_STRINGS_AT:
                    row[i][j] = intern(row[i][j])
            row[i] = cls(*row[i])
        findings.append(Finding(*row))
    return findings


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

        A ``None`` signature removes the file from the run. The cases the file's
        forms left or joined are marked dirty. Each statement runs once for the
        whole batch, not once per file.
        """
        db = self._db
        batch = list(batch)
        paths = [path for path, _, _, _ in batch]
        with self._index.transaction():
            old: list[tuple[str, str]] = []
            old += rows_for_paths(db, "SELECT doc, case_id FROM run_forms", paths)
            db.executemany("DELETE FROM run_stock WHERE case_id = ? AND doc = ?",
                           [(c, d) for d, c in old])
            db.executemany("DELETE FROM run_forms WHERE path = ?", [(p,) for p in paths])
            dirty = {c for _, c in old} | {r[2] for _, _, _, rows in batch for r in rows}
            db.executemany("INSERT OR IGNORE INTO run_dirty VALUES (?)",
                           [(c,) for c in sorted(dirty)])
            db.executemany("DELETE FROM run_files WHERE path = ?",
                           [(path,) for path, sig, _, _ in batch if sig is None])
            forms, stock, files = [], [], []
            for path, sig, skipped, rows in batch:
                if sig is None:
                    continue
                for doc, row, case_id, key, words, form, hashes in rows:
                    text = dumps(form)
                    forms.append((doc, path, row, case_id, key, words, form_digest(text), text))
                    stock.extend((case_id, doc, h, n, t, nw) for h, n, t, nw in hashes)
                files.append((path, sig, dumps(skipped)))
            db.executemany("INSERT OR REPLACE INTO run_forms VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                           forms)
            db.executemany("INSERT OR REPLACE INTO run_stock VALUES (?, ?, ?, ?, ?, ?)", stock)
            db.executemany("INSERT OR REPLACE INTO run_files VALUES (?, ?, ?)", files)

    def update_sort_keys(self, changes: list[tuple[str, str]]) -> None:
        """Set new ``(sort_key, doc)`` pairs (files whose manifest position moved)."""
        if changes:
            with self._index.transaction():
                self._db.executemany("UPDATE run_forms SET sort_key = ? WHERE doc = ?", changes)

    # -- per-case state ---------------------------------------------------------
    def refresh_dirty(self, chunk: int = 200) -> int:
        """Bring ``case_hashes`` and ``stock_counts`` up to date for the dirty cases.

        Returns the number of cases refreshed.
        """
        db = self._db
        dirty = [c for (c,) in db.execute("SELECT case_id FROM run_dirty ORDER BY case_id")]
        if dirty and db.execute("SELECT 1 FROM case_hashes LIMIT 1").fetchone() is None:
            # nothing counted yet (a new index): every case at once, in SQL
            with self._index.transaction():
                db.execute("DELETE FROM stock_counts")
                db.execute("INSERT INTO case_hashes SELECT case_id, hash, SUM(n), COUNT(*) "
                           "FROM run_stock GROUP BY case_id, hash")
                db.execute("INSERT INTO stock_counts SELECT hash, COUNT(*), SUM(n) "
                           "FROM case_hashes GROUP BY hash")
                db.execute("DELETE FROM run_dirty")
            return len(dirty)
        for start in range(0, len(dirty), chunk):
            with self._index.transaction():
                for case_id in dirty[start:start + chunk]:
                    self._refresh_case(case_id)
        return len(dirty)

    def _refresh_case(self, case_id: str) -> None:
        db = self._db
        counted = db.execute("SELECT hash, SUM(n), COUNT(*) FROM run_stock WHERE case_id = ? "
                             "GROUP BY hash", (case_id,)).fetchall()
        new = {h: n for h, n, _ in counted}
        old = dict(db.execute("SELECT hash, n FROM case_hashes WHERE case_id = ?", (case_id,)))
        deltas = [(int(h in new) - int(h in old), new.get(h, 0) - old.get(h, 0), h)
                  for h in new.keys() | old.keys()]
        deltas = [d for d in deltas if d[0] or d[1]]
        db.executemany(
            "INSERT INTO stock_counts VALUES (?3, ?1, ?2) ON CONFLICT (hash) DO UPDATE SET "
            "cases = cases + ?1, occurrences = occurrences + ?2", deltas)
        db.executemany("DELETE FROM stock_counts WHERE hash = ? AND cases <= 0",
                       [(h,) for dc, _, h in deltas if dc < 0])
        db.execute("DELETE FROM case_hashes WHERE case_id = ?", (case_id,))
        db.executemany("INSERT INTO case_hashes VALUES (?, ?, ?, ?)",
                       [(case_id, h, n, forms) for h, n, forms in counted])
        db.execute("DELETE FROM run_dirty WHERE case_id = ?", (case_id,))

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
        """Forget the report forms of cases no longer in the run."""
        gone = [(c,) for c in self.report_digests() if c not in live]
        if gone:
            with self._index.transaction():
                self._db.executemany("DELETE FROM run_cases WHERE case_id = ?", gone)

    def report_forms(self, case_id: str) -> tuple[list[Form], Any]:
        """The stored structured-only forms of one case, in case order, and its prefill counts."""
        row = self._db.execute("SELECT forms, prefill FROM run_cases WHERE case_id = ?",
                               (case_id,)).fetchone()
        return ([], None) if row is None else (decode_forms(row[0]), json.loads(row[1]))

    def iter_report_forms(self) -> Iterator[Form]:
        """Every case's structured-only forms, case by case in case order."""
        for (text,) in self._db.execute("SELECT forms FROM run_cases ORDER BY case_id"):
            yield from decode_forms(text)
