"""Any sequence of changes to a corpus, scanned after each change with one index, gives
what a scan without the index gives (a property test of the incremental machinery:
settled groups, placing, stock counts, extended cases and stored report parts).

Runs are derandomized, as in ``tests/properties``; ``DUPSCAN_HYPOTHESIS=thorough``
draws ten times as many examples.
"""

from __future__ import annotations

import os
import sqlite3
import tempfile
from pathlib import Path

import scanfakes
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dupscan.pipeline import scan
from dupscan.report import render

OPTS = {"stages": scanfakes.stages(), "workers": 1, "stock_min_cases": 3}
THOROUGH = os.environ.get("DUPSCAN_HYPOTHESIS", "") == "thorough"
CASES = 4
TYPES = ("referral", "assessment", "plan")

#: (change, which file or case it applies to)
STEPS = st.lists(st.tuples(st.sampled_from(
    ["append", "edit", "touch", "add", "remove", "retype", "first", "corrupt", "rewrite"]),
    st.integers(0, 30)), min_size=1, max_size=4)


class _Corpus:
    """The corpus of ``scanfakes.make_corpus`` and, optionally, a manifest naming it,
    changed one step at a time. Every write sets a later modification time, so that a
    change is seen however fine the file system's clock is."""

    def __init__(self, root: Path, manifest: bool) -> None:
        self.root = scanfakes.make_corpus(root, CASES)
        self.rows = [[f"C{c}/0{n}_{t}.txt", f"C{c}", t, f"2025-0{n + 1}-0{c}"]
                     for c in range(1, CASES + 1) for n, t in enumerate(TYPES)]
        self.manifest = root / "manifest.csv" if manifest else None
        self.clock = 1_700_000_000 * 10**9
        self.added = 0
        self._write_manifest()

    def _write_manifest(self) -> None:
        if self.manifest is not None:
            lines = ["path,case_id,form_type,date", *(",".join(r) for r in self.rows)]
            self.manifest.write_text("\n".join(lines) + "\n", encoding="utf-8")
            self._tick(self.manifest)

    def _tick(self, path: Path) -> None:
        self.clock += 10**9
        os.utime(path, ns=(self.clock, self.clock))

    def apply(self, change: str, k: int) -> None:
        row = self.rows[k % len(self.rows)]
        path = self.root / row[0]
        if change == "append":
            with open(path, "a", encoding="utf-8") as handle:
                handle.write(f"Notes: Added on step {self.clock} about the family's week.\n")
        elif change == "edit":  # one letter changed: the same size
            text = path.read_text(encoding="utf-8")
            at = text.find("Summary: ") + len("Summary: ") if "Summary: " in text else 0
            path.write_text(text[:at] + ("X" if text[at] != "X" else "Y") + text[at + 1:],
                            encoding="utf-8")
        elif change == "corrupt":
            path.write_text("CORRUPT", encoding="utf-8")
        elif change == "rewrite":  # a form written afresh (a repaired file, say)
            path.write_text(f"Form: note\nDate: 2025-05-0{k % 9 + 1}\nSummary: "
                            f"{scanfakes.SHARED} {scanfakes.STOCK}\n", encoding="utf-8")
        elif change == "add":
            case = f"C{k % CASES + 1}"
            self.added += 1
            path = self.root / case / f"1{self.added}_note.txt"
            path.write_text(f"Form: note\nDate: 2025-06-0{self.added % 9 + 1}\nSummary: "
                            f"{scanfakes.SHARED} A note of its own, number {self.added}.\n",
                            encoding="utf-8")
            self.rows.append([path.relative_to(self.root).as_posix(), case, "note",
                              f"2025-06-0{self.added % 9 + 1}"])
        elif change == "remove" and len(self.rows) > 2:
            path.unlink()
            self.rows.remove(row)
            self._write_manifest()
            return
        elif change in ("retype", "first"):  # the manifest alone changes
            if change == "retype":  # back and forth: a listing seen before comes back
                row[2] = "review" if row[2] != "review" else "plan"
            else:
                self.rows.remove(row)
                self.rows.insert(0, row)
            self._write_manifest()
            return
        # "touch" changes the time alone: the file is hashed again and kept
        self._tick(path)
        self._write_manifest()


#: the run tables a fresh index must hold the same, row for row
_TABLES = {"run_files": "path, sig, skipped", "run_forms": "doc, path, row, case_id, sort_key, "
           "words, digest, content", "run_stock": "case_id, doc, hash, n",
           "case_hashes": "*", "stock_counts": "*"}


def _run_tables(index: Path) -> dict[str, list]:
    with sqlite3.connect(index) as db:
        return {table: db.execute(f"SELECT {columns} FROM {table} ORDER BY 1, 2").fetchall()
                for table, columns in _TABLES.items()}


@settings(max_examples=30 * (10 if THOROUGH else 1), deadline=None,
          derandomize=not THOROUGH, database=None, print_blob=True,
          suppress_health_check=[HealthCheck.too_slow])
@given(manifest=st.booleans(), steps=STEPS)
def test_every_change_scanned_with_the_index_equals_a_scan_without_it(manifest, steps):
    with tempfile.TemporaryDirectory() as tmp:
        corpus = _Corpus(Path(tmp) / "c", manifest)
        index = Path(tmp) / "i.sqlite"
        scan(corpus.root, corpus.manifest, index=index, **OPTS)
        for n, (change, k) in enumerate(steps):
            corpus.apply(change, k)
            kept = scan(corpus.root, corpus.manifest, index=index, **OPTS)
            fresh_index = Path(tmp) / f"fresh{n}.sqlite"
            fresh = scan(corpus.root, corpus.manifest, index=fresh_index, **OPTS)
            assert render(kept, "json") == render(fresh, "json"), (change, k)
            assert kept.skipped == fresh.skipped
            assert _run_tables(index) == _run_tables(fresh_index), (change, k)
