"""Report files are replaced atomically: a reader sees the old complete file or the new one.

Writing is interrupted three ways: the rename raises, the write itself raises
half way, and a child process writing reports in a loop is killed with SIGKILL
at arbitrary moments. After each, ``findings.json`` and ``report.html`` are
either absent or complete (the JSON parses and equals one of the versions
written; the HTML is byte-identical to one of them), and no temporary file is
left behind by an in-process failure.
"""

from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

import dupscan._io as io_module
from dupscan.estimate import estimate
from dupscan.model import Field, Finding, Form, Span
from dupscan.report import write_reports
from hostile_corpus import write_good_case

FORMATS = ["json", "csv", "html", "console"]


def sample_report(findings: int, tag: str = "A"):
    """A report with ``findings`` exact findings between two forms of one case."""
    text = f"Version {tag}: the home was warm and tidy and Ava showed me her bedroom. "
    forms = [Form(f"f{i}", f"C1/form{i}.txt", "C1", "assessment", f"2025-01-0{i + 1}",
                  (Field("Notes", "notes", text, 0, len(text), "narrative"),), order=i,
                  words=len(text.split()))
             for i in range(2)]
    spans = [(Span("f0", "C1/form0.txt", "Notes", 0, len(text), text),
              Span("f1", "C1/form1.txt", "Notes", 0, len(text), text))] * findings
    items = [Finding("C1", "exact", 1.0, len(text.split()), s, t) for s, t in spans]
    return estimate(forms, items)


def _snapshot(out: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(out.iterdir()) if p.is_file()}


def _temporaries(out: Path) -> list[str]:
    return sorted(p.name for p in out.iterdir() if p.name.startswith("."))


def test_failed_rename_keeps_every_old_file_complete(tmp_path: Path, monkeypatch) -> None:
    out = tmp_path / "out"
    write_reports(sample_report(3, "A"), out, FORMATS)
    old = _snapshot(out)
    new_dir = tmp_path / "new"
    write_reports(sample_report(7, "B"), new_dir, FORMATS)
    new = _snapshot(new_dir)
    real_replace = os.replace
    calls = {"n": 0}

    def flaky_replace(src, dst):
        calls["n"] += 1
        if calls["n"] == 2:
            raise OSError(28, "No space left on device")
        return real_replace(src, dst)

    monkeypatch.setattr(io_module.os, "replace", flaky_replace)
    with pytest.raises(OSError):
        write_reports(sample_report(7, "B"), out, FORMATS)
    monkeypatch.undo()
    now = _snapshot(out)
    assert set(now) == set(old)
    for name, data in now.items():
        assert data in (old[name], new[name]), f"{name} is neither the old nor the new file"
    assert _temporaries(out) == []
    json.loads(now["findings.json"])


def test_write_failing_half_way_leaves_the_target_untouched(tmp_path: Path,
                                                            monkeypatch) -> None:
    out = tmp_path / "out"
    write_reports(sample_report(2, "A"), out, ["json", "html"])
    old = _snapshot(out)
    real_fdopen = os.fdopen

    class HalfWriter:
        def __init__(self, handle):
            self.handle = handle

        def __enter__(self):
            return self

        def __exit__(self, *exc):
            self.handle.close()
            return False

        def write(self, data):
            self.handle.write(data[: len(data) // 2])
            self.handle.flush()
            raise OSError(5, "Input/output error")

        def __getattr__(self, name):
            return getattr(self.handle, name)

    monkeypatch.setattr(io_module.os, "fdopen",
                        lambda fd, *a, **k: HalfWriter(real_fdopen(fd, *a, **k)))
    with pytest.raises(OSError):
        write_reports(sample_report(9, "B"), out, ["json", "html"])
    monkeypatch.undo()
    assert _snapshot(out) == old
    assert _temporaries(out) == []


@pytest.fixture
def renamed(monkeypatch) -> list[str]:
    """Names of the files moved into place by ``os.replace`` during the test."""
    names: list[str] = []
    real_replace = os.replace

    def recording_replace(src, dst):
        names.append(Path(dst).name)
        return real_replace(src, dst)

    monkeypatch.setattr(os, "replace", recording_replace)
    return names


def _owner_only(path: Path) -> bool:
    import stat

    return stat.S_IMODE(path.stat().st_mode) & 0o077 == 0


def test_every_report_file_is_renamed_into_place(tmp_path: Path, renamed) -> None:
    """No writer bypasses the atomic path: each output file arrives by os.replace."""
    out = tmp_path / "out"
    write_reports(sample_report(4), out, FORMATS)
    assert sorted(p.name for p in out.iterdir()) == sorted(renamed)


def test_report_files_are_not_readable_by_other_users(tmp_path: Path) -> None:
    """Reports hold excerpts of case records: created for their owner only."""
    out = tmp_path / "out"
    write_reports(sample_report(2), out, FORMATS)
    for path in out.iterdir():
        assert _owner_only(path), (path.name, oct(path.stat().st_mode))


def test_cli_scan_renames_every_output_into_place(tmp_path: Path, renamed, capsys) -> None:
    from dupscan.cli import main

    write_good_case(tmp_path / "root")
    out = tmp_path / "out"
    code = main(["scan", str(tmp_path / "root"), "--out", str(out), "--format",
                 "json,csv,html,console,jsonl", "--workers", "1", "--quiet"])
    assert code == 0, capsys.readouterr().err
    written = sorted(p.name for p in out.iterdir())
    assert "findings.json" in written and "report.html" in written
    assert written == sorted(set(renamed)), "some output was written in place"
    assert "findings.jsonl" in written  # streamed by the pipeline's sink, not write_reports
    assert all(_owner_only(out / name) for name in written), "an output is readable by others"


_WRITER = """
import sys
sys.path.insert(0, {here!r})
from test_atomic_output import sample_report
from dupscan.report import write_reports
reports = [sample_report(1500, "A"), sample_report(2500, "B")]
print("ready", flush=True)
i = 0
while True:
    write_reports(reports[i % 2], {out!r}, ["json", "html"])
    i += 1
"""


def test_killed_writer_never_leaves_a_truncated_report(tmp_path: Path) -> None:
    out = tmp_path / "out"
    versions: dict[str, set[bytes]] = {"findings.json": set(), "report.html": set()}
    for tag, n in (("A", 1500), ("B", 2500)):
        folder = tmp_path / f"expected{tag}"
        write_reports(sample_report(n, tag), folder, ["json", "html"])
        for name in versions:
            versions[name].add((folder / name).read_bytes())
    script = _WRITER.format(here=str(Path(__file__).resolve().parent), out=str(out))
    rng = random.Random(7)
    for _ in range(6):
        proc = subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE,
                                stderr=subprocess.DEVNULL, text=True)
        try:
            assert proc.stdout.readline().strip() == "ready"
            time.sleep(rng.uniform(0.05, 1.5))
        finally:
            proc.send_signal(signal.SIGKILL)
            proc.wait(timeout=30)
        for name, allowed in versions.items():
            path = out / name
            if path.exists():
                assert path.read_bytes() in allowed, f"{name} is truncated or mixed"
    assert (out / "findings.json").exists()  # at least one write completed over 6 runs
    # a killed writer can leave only hidden temporary files, never a partial report
    assert all(name.endswith(".tmp") for name in _temporaries(out))


@pytest.mark.slow
def test_killed_scan_leaves_the_previous_reports_intact(tmp_path: Path) -> None:
    """``dupscan scan`` killed at random moments: every report, streamed JSONL
    included, stays byte-identical to the previous complete run's."""
    from hostile_corpus import write_xss_case

    root, out = tmp_path / "root", tmp_path / "out"
    write_good_case(root)
    write_xss_case(root)
    command = [sys.executable, "-m", "dupscan", "scan", str(root), "--out", str(out),
               "--format", "json,csv,html,console,jsonl", "--workers", "1", "--quiet"]
    subprocess.run(command, check=True, capture_output=True, timeout=600)
    complete = _snapshot(out)
    assert {"findings.json", "report.html", "findings.jsonl"} <= set(complete)
    rng = random.Random(3)
    for _ in range(4):
        proc = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(rng.uniform(0.5, 6.0))
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=30)
        now = {name: data for name, data in _snapshot(out).items() if not name.startswith(".")}
        assert now == complete, sorted(n for n in now if now[n] != complete.get(n))
