"""A full scan with every report format never touches the network.

Network calls are made to fail (and recorded): in this process by patching
``socket``, and in every child process (spawned scan workers included) by a
``sitecustomize`` module put on ``PYTHONPATH``. The corpus holds a copy of two
cases of the bundled synthetic corpus in every format, plus an XHTML page whose
doctype names a DTD by ``http://`` URL and a DOCX whose relationships link an
image, a template, a sub-document and an OLE object by ``http://`` and
``file://`` URLs: both must be read, and nothing fetched.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import socket
import subprocess
import sys
from pathlib import Path

import pytest

from hostile_corpus import CASES, SECRET_MARKER, build_case

REPO = Path(__file__).resolve().parents[2]
NONET = Path(__file__).resolve().parent / "nonet"
SAMPLE = REPO / "corpora" / "synthetic"


def _corpus(tmp_path: Path) -> Path:
    root = tmp_path / "corpus"
    cases = sorted(p for p in SAMPLE.iterdir() if p.is_dir())[:2] if SAMPLE.is_dir() else []
    if not cases:
        pytest.skip("bundled synthetic corpus not present")
    for case in cases:
        shutil.copytree(case, root / case.name)
    for name in ("xhtml_public_doctype", "docx_external_refs"):
        case = next(c for c in CASES if c.name == name)
        build_case(case, root / cases[0].name, tmp_path / "outside")
    return root


@pytest.fixture
def no_network(monkeypatch):
    """Make every non-local connection and name lookup raise; return the attempts."""
    attempts: list[str] = []
    local = {getattr(socket, "AF_UNIX", None)}

    def refuse(what):
        def call(*args, **kwargs):
            attempts.append(f"{what} {args!r}")
            raise OSError(f"network access blocked by the test ({what})")
        return call

    def guard(original, what):
        def method(self, *args, **kwargs):
            if self.family in local:
                return original(self, *args, **kwargs)
            return refuse(what)(*args)
        return method

    for name in ("connect", "connect_ex", "sendto"):
        monkeypatch.setattr(socket.socket, name, guard(getattr(socket.socket, name), name))
    for name in ("create_connection", "getaddrinfo", "gethostbyname", "gethostbyname_ex"):
        monkeypatch.setattr(socket, name, refuse(name))
    return attempts


def test_guard_really_blocks(no_network) -> None:
    with pytest.raises(OSError):
        socket.create_connection(("127.0.0.1", 9), timeout=1)
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s, pytest.raises(OSError):
        s.connect(("127.0.0.1", 9))
    assert len(no_network) == 2


def test_scan_and_reports_in_process_make_no_network_call(no_network, tmp_path: Path,
                                                          capsys) -> None:
    from dupscan.cli import main

    root = _corpus(tmp_path)
    out = tmp_path / "out"
    code = main(["scan", str(root), "--out", str(out), "--format", "json,csv,html,console",
                 "--workers", "1", "--quiet"])
    assert code == 0, capsys.readouterr().err
    assert no_network == []
    html = (out / "report.html").read_text(encoding="utf-8")
    # self-contained: nothing loaded from elsewhere when the page is opened
    assert not re.search(r"<(script|link|img|iframe)\b[^>]*\b(src|href)\s*=\s*[\"']?(https?:)?//",
                         html, re.IGNORECASE)
    data = json.loads((out / "findings.json").read_text(encoding="utf-8"))
    docs = {form["doc"] for form in data["forms"]}
    assert any(d.endswith("xhtml_doctype.html") for d in docs), docs
    assert any(d.endswith("external_refs.docx") for d in docs), docs
    assert SECRET_MARKER not in (out / "findings.json").read_text(encoding="utf-8")


def test_other_commands_make_no_network_call(no_network, tmp_path: Path, capsys) -> None:
    """generate, segment, compare, audit and evaluate, in process, with sockets refused."""
    from dupscan.cli import main

    corpus = tmp_path / "generated"
    assert main(["generate", "--cases", "1", "--seed", "3", "--out", str(corpus)]) == 0
    files = sorted(p for p in corpus.rglob("*") if p.suffix in (".txt", ".docx", ".pdf",
                                                                 ".html", ".md"))
    assert len(files) >= 2
    assert main(["segment", "--format", "json", str(files[0])]) == 0
    assert main(["compare", "--format", "json", str(files[0]), str(files[1])]) == 0
    out = tmp_path / "out"
    assert main(["scan", str(corpus), "--out", str(out), "--workers", "1", "--quiet",
                 "--manifest", str(corpus / "manifest.csv")]) in (0, 3)
    assert main(["evaluate", "--truth", str(corpus / "truth.jsonl"), "--findings",
                 str(out / "findings.json")]) == 0
    templates = tmp_path / "templates"
    templates.mkdir()
    shutil.copy(files[0], templates / files[0].name)
    assert main(["audit", str(templates), "--out", str(tmp_path / "audit"), "--quiet"]) in (0, 3)
    capsys.readouterr()
    assert no_network == []


@pytest.mark.slow
def test_scan_with_worker_processes_makes_no_network_call(tmp_path: Path) -> None:
    root = _corpus(tmp_path)
    log = tmp_path / "network.log"
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(
        [str(NONET), *filter(None, [os.environ.get("PYTHONPATH")])]),
           "DUPSCAN_NONET_LOG": str(log)}
    probe = subprocess.run([sys.executable, "-c", "import socket; "
                            "socket.create_connection(('127.0.0.1', 9), timeout=1)"],
                           env=env, capture_output=True, text=True, timeout=60)
    assert "blocked by the test harness" in probe.stderr  # the guard is active in children
    log.unlink()
    proc = subprocess.run([sys.executable, "-m", "dupscan", "scan", str(root), "--out",
                           str(tmp_path / "out"), "--format", "json,html", "--workers", "2",
                           "--quiet"], env=env, capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, proc.stderr[-3000:]
    assert not log.exists(), log.read_text(encoding="utf-8")
