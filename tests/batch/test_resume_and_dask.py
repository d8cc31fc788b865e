"""Resuming a killed scan from its index, and the Dask engine (real stages)."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time

import pytest

from dupscan.cli import main

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    from dupscan.synth import generate

    root = tmp_path_factory.mktemp("corpus") / "c"
    generate(root, cases=6, seed=5)
    return root


def _args(corpus, out, *extra):
    return ["scan", str(corpus), "--manifest", str(corpus / "manifest.csv"), "--templates",
            str(corpus / "templates"), "--out", str(out), "--format", "json", "--quiet",
            "--workers", "1", *extra]


def _committed(db) -> int:
    try:
        with sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=0.1) as conn:
            return conn.execute("SELECT COUNT(*) FROM cases").fetchone()[0]
    except sqlite3.Error:
        return 0


def test_scan_killed_mid_run_resumes_with_the_same_findings(corpus, tmp_path):
    assert main(_args(corpus, tmp_path / "clean")) == 0
    db = tmp_path / "index.sqlite"
    proc = subprocess.Popen([sys.executable, "-m", "dupscan", *_args(
        corpus, tmp_path / "killed", "--index", str(db))],
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 300
    try:
        while _committed(db) < 2 and proc.poll() is None and time.monotonic() < deadline:
            time.sleep(0.02)
        os.kill(proc.pid, signal.SIGKILL)
    finally:
        proc.wait(timeout=60)
    assert proc.returncode == -signal.SIGKILL
    done = _committed(db)
    assert 2 <= done < 6, f"{done} cases committed before the kill"
    assert not (tmp_path / "killed" / "findings.json").exists()

    assert main(_args(corpus, tmp_path / "resumed", "--index", str(db))) == 0
    assert _committed(db) == 6
    clean = (tmp_path / "clean" / "findings.json").read_bytes()
    assert (tmp_path / "resumed" / "findings.json").read_bytes() == clean


# a cluster started by hand (`dask worker ADDRESS`) runs a thread per core in each
# worker, so one worker process reads and detects several files and cases at once
@pytest.mark.parametrize("workers, threads", [(2, 1), (1, 3)],
                         ids=["two workers", "one worker, three threads"])
def test_dask_engine_gives_the_same_findings_as_local(corpus, tmp_path, workers, threads):
    distributed = pytest.importorskip("distributed")
    from dupscan.pipeline import scan
    from dupscan.report import render

    three = tmp_path / "three"
    three.mkdir()
    rows = (corpus / "manifest.csv").read_text().splitlines()
    manifest = three / "manifest.csv"
    manifest.write_text("\n".join([rows[0]] + [r for r in rows[1:]
                                               if r.startswith(("C0001/", "C0002/"))]) + "\n")
    local = scan(corpus, manifest, templates=corpus / "templates", workers=1)
    with distributed.LocalCluster(n_workers=workers, processes=True, threads_per_worker=threads,
                                  dashboard_address="127.0.0.1:0") as cluster:
        remote = scan(corpus, manifest, templates=corpus / "templates", engine="dask",
                      scheduler=cluster.scheduler_address)
    assert local.findings
    assert render(remote, "json") == render(local, "json")


def _rows(db, query) -> dict:
    try:
        with sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=0.1) as conn:
            return dict(conn.execute(query))
    except sqlite3.Error:
        return {}


_FILES = "SELECT path, sha256 FROM files"
_CASES = "SELECT case_id, key FROM cases"


# killed once the new files are stored (before any case: the kept totals still hold and
# are taken up) or once a changed case is stored (its report rows replaced: every case
# is counted again); either way the scan started again gives a clean scan's report
@pytest.mark.parametrize("stage", [_FILES, _CASES], ids=["files read", "a case detected"])
def test_an_increment_killed_mid_run_resumes_with_the_totals_of_a_clean_scan(corpus, tmp_path,
                                                                            stage):
    rows = (corpus / "manifest.csv").read_text().splitlines()
    last = {}
    for row in rows[1:]:
        last[row.split(",")[1]] = row
    held = tmp_path / "held.csv"
    held.write_text("\n".join(r for r in rows if r not in set(last.values())) + "\n")
    db = tmp_path / "index.sqlite"

    def args(out, manifest):
        return [a if a != str(corpus / "manifest.csv") else str(manifest)
                for a in _args(corpus, out, "--index", str(db))]

    assert main(args(tmp_path / "first", held)) == 0
    before = _rows(db, stage)
    proc = subprocess.Popen([sys.executable, "-m", "dupscan",
                             *args(tmp_path / "killed", corpus / "manifest.csv")],
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 300
    try:
        while (proc.poll() is None and time.monotonic() < deadline
               and not any(before.get(k) != v for k, v in _rows(db, stage).items())):
            time.sleep(0.01)
        os.kill(proc.pid, signal.SIGKILL)
    finally:
        proc.wait(timeout=60)
    assert proc.returncode == -signal.SIGKILL
    assert not (tmp_path / "killed" / "findings.json").exists()

    assert main(args(tmp_path / "resumed", corpus / "manifest.csv")) == 0
    assert main(_args(corpus, tmp_path / "clean")) == 0
    clean = (tmp_path / "clean" / "findings.json").read_bytes()
    assert (tmp_path / "resumed" / "findings.json").read_bytes() == clean
