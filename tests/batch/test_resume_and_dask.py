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
