"""Every hostile file gives one clear IngestError naming it, in bounded time and memory.

Each file is read by :func:`dupscan.ingest.ingest` (then segmented when read)
in a child process limited to 2 GiB of address space, with a timeout as a guard
(not a speed assertion). Files pointing outside the root point at a secret whose
marker must never be read.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from guarded import run_guarded
from hostile_corpus import CASES, SECRET_MARKER, Case, build_case, secret_file

MiB = 1024 * 1024


def _check_refused(case: Case, path: Path, root: Path, result: dict) -> None:
    assert result, "the child process printed no result"
    assert result["error"] == "IngestError", (case.name, result)
    rel = path.relative_to(root).as_posix()
    # the error names the file: relative to the root (the symlink loop cannot be
    # resolved, so it is named as given)
    assert result["path"] in (rel, path.as_posix()), result
    assert result["message"].startswith(result["path"] + ": ")
    assert result["reason"].strip() and "\n" not in result["reason"], result
    assert "Traceback" not in result["reason"]


@pytest.mark.parametrize("case", [c for c in CASES if c.expect in ("refuse", "discover")],
                         ids=lambda c: c.name)
def test_hostile_file_is_refused_with_one_line_naming_it(case: Case, tmp_path: Path) -> None:
    root, outside = tmp_path / "root", tmp_path / "outside"
    secret_file(outside)
    path = build_case(case, root, outside)
    outcome = run_guarded(path, root, dict(case.limits), secret=SECRET_MARKER)
    assert outcome.returncode == 0, outcome.stderr[-2000:]
    _check_refused(case, path, root, outcome.result)
    assert SECRET_MARKER not in outcome.stdout + outcome.stderr


@pytest.mark.parametrize("case", [c for c in CASES if c.expect == "read"], ids=lambda c: c.name)
def test_legitimate_odd_file_is_read(case: Case, tmp_path: Path) -> None:
    root, outside = tmp_path / "root", tmp_path / "outside"
    path = build_case(case, root, outside)
    outcome = run_guarded(path, root, secret=SECRET_MARKER)
    assert outcome.returncode == 0, outcome.stderr[-2000:]
    result = outcome.result
    assert result.get("ok"), result
    rel = path.relative_to(root).as_posix()
    assert result["paths"] in ([rel], [f"{rel}#1"]), result
    assert result["fields"] >= 1
    assert not result["secret_seen"] and not result["passwd_seen"]


def test_huge_file_is_refused_without_being_read(tmp_path: Path) -> None:
    case = next(c for c in CASES if c.name == "text_500mb_sparse")
    path = build_case(case, tmp_path, tmp_path / "outside")
    assert path.stat().st_size == 500 * MiB
    outcome = run_guarded(path, tmp_path)
    assert outcome.result["error"] == "IngestError"
    assert "too large" in outcome.result["reason"]
    assert 0 <= outcome.result["read_bytes"] < MiB, outcome.result


def test_external_entities_are_never_resolved(tmp_path: Path) -> None:
    """Whatever the verdict, the secret behind an external entity is never read."""
    secret = secret_file(tmp_path / "outside")
    before = secret.stat().st_atime_ns
    os.utime(secret, ns=(before - 10 ** 10, secret.stat().st_mtime_ns))
    marked = secret.stat().st_atime_ns
    for name in ("docx_xxe_file", "docx_xxe_utf16_part", "html_xxe_file"):
        case = next(c for c in CASES if c.name == name)
        path = build_case(case, tmp_path / "root", tmp_path / "outside")
        outcome = run_guarded(path, tmp_path / "root", secret=SECRET_MARKER)
        assert not outcome.result.get("secret_seen"), name
        assert SECRET_MARKER not in outcome.stdout
    # relatime may hide reads; a strictly newer atime proves one happened
    assert secret.stat().st_atime_ns == marked


@pytest.mark.parametrize("limits, build, phrase", [
    ({"max_pdf_pages": 100}, "pdf300", "pages"),
    ({"max_file_bytes": 1000}, "text2k", "too large"),
    ({"max_nesting": 20}, "html50", "nested"),
    ({"max_text_chars": 500}, "text2k", "too long"),
    ({"max_unpacked_bytes": 2000}, "docx", "unpacked"),
], ids=["pdf-pages", "file-bytes", "nesting", "text-chars", "unpacked-bytes"])
def test_small_limits_are_honoured(tmp_path: Path, limits: dict, build: str,
                                   phrase: str) -> None:
    if build == "pdf300":
        from reportlab.pdfgen import canvas

        path = tmp_path / "pages.pdf"
        c = canvas.Canvas(str(path), pagesize=(72, 72))
        for i in range(300):
            c.drawString(5, 30, f"page {i}")
            c.showPage()
        c.save()
    elif build == "text2k":
        path = tmp_path / "notes.txt"
        path.write_text("Observations: the home was warm and tidy.\n" * 50, encoding="utf-8")
    elif build == "html50":
        path = tmp_path / "nested.html"
        path.write_text("<html><body>" + "<div>" * 50 + "text" + "</div>" * 50
                        + "</body></html>", encoding="utf-8")
    else:
        from hostile_corpus import good_docx

        path = good_docx(tmp_path / "form.docx", ["Observations: the home was warm."] * 20)
    outcome = run_guarded(path, tmp_path, limits)
    assert outcome.result.get("error") == "IngestError", outcome.result
    assert phrase in outcome.result["reason"], outcome.result
    # the same file is read under the default limits
    assert run_guarded(path, tmp_path).result.get("ok")
