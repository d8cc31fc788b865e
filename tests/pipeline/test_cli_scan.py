"""``dupscan scan`` end to end on a generated corpus, with the real stages."""

from __future__ import annotations

import io
import json
import os
import shutil
import subprocess
import sys

import pytest

from dupscan.batch.progress import ProgressBars
from dupscan.cli import main


@pytest.fixture(scope="module")
def corpus(generated_corpus):
    return generated_corpus(3, 11)


def _scan(corpus, out, *extra):
    return main(["scan", str(corpus), "--manifest", str(corpus / "manifest.csv"),
                 "--templates", str(corpus / "templates"), "--out", str(out), "--quiet", *extra])


def test_scan_writes_every_format_and_exits_0(corpus, tmp_path, capsys):
    code = _scan(corpus, tmp_path / "out", "--format", "json,csv,jsonl,parquet",
                 "--workers", "1")
    assert code == 0
    data = json.loads((tmp_path / "out" / "findings.json").read_text())
    assert data["schema"] == "dupscan.findings/1"
    assert data["summary"]["forms"] == 35 and data["findings"]
    assert {f["case_id"] for f in data["forms"]} == {"C0001", "C0002", "C0003"}
    lines = (tmp_path / "out" / "findings.jsonl").read_text().splitlines()
    assert [json.loads(x) for x in lines] == data["findings"]
    assert (tmp_path / "out" / "findings.csv").is_file()
    assert (tmp_path / "out" / "findings.parquet").is_file()
    assert "findings.json" in capsys.readouterr().out
    # the forms and findings waited in a spool folder there, removed once written
    assert not [p.name for p in (tmp_path / "out").iterdir() if p.name.startswith(".")]


def test_workers_1_and_2_write_identical_findings(corpus, tmp_path):
    assert _scan(corpus, tmp_path / "one", "--format", "json", "--workers", "1") == 0
    assert _scan(corpus, tmp_path / "two", "--format", "json", "--workers", "2") == 0
    one = (tmp_path / "one" / "findings.json").read_bytes()
    assert one == (tmp_path / "two" / "findings.json").read_bytes()


def test_skipped_files_exit_3_and_are_listed(corpus, tmp_path, capsys):
    root = tmp_path / "c"
    shutil.copytree(corpus, root)
    (root / "C0001" / "broken.docx").write_bytes(b"PK\x03\x04 not really a zip")
    with open(root / "manifest.csv", "a") as handle:
        handle.write("C0001/broken.docx,C0001,assessment,2025-06-01,\n"
                     "C0002/missing.pdf,C0002,plan,2025-06-02,\n")
    assert _scan(root, tmp_path / "out", "--workers", "1") == 3
    err = capsys.readouterr().err
    assert "2 file(s) skipped" in err
    assert "C0001/broken.docx:" in err and "C0002/missing.pdf: listed in the manifest" in err
    skipped = json.loads((tmp_path / "out" / "findings.json").read_text())["skipped"]
    assert [s["path"] for s in skipped] == ["C0001/broken.docx", "C0002/missing.pdf"]


@pytest.mark.parametrize("args, message", [
    (["--format", "json,pdf"], "unknown format"),
    (["--workers", "-2"], "--workers"),
    (["--scheduler", "tcp://x:1"], "--scheduler needs --engine dask"),
    (["--engine", "dask", "--restart-hung-workers"], "--restart-hung-workers needs --scheduler"),
    (["--kinds", "exact,fuzzy"], "unknown kind"),
    (["--stock-min-share", "1.5"], "--stock-min-share must be between 0 and 1"),
])
def test_usage_errors_exit_2(corpus, tmp_path, capsys, args, message):
    assert _scan(corpus, tmp_path / "out", *args) == 2
    assert message in capsys.readouterr().err


def test_bad_manifest_and_missing_root_exit_2(corpus, tmp_path, capsys):
    bad = tmp_path / "m.csv"
    bad.write_text("path,case_id,date\nC0001/x.docx,C1,yesterday\n")
    assert main(["scan", str(corpus), "--manifest", str(bad), "--out", str(tmp_path / "o"),
                 "--quiet"]) == 2
    assert "line 2: date 'yesterday'" in capsys.readouterr().err
    assert main(["scan", str(tmp_path / "nope"), "--out", str(tmp_path / "o")]) == 2
    with pytest.raises(SystemExit) as info:  # --out is required
        main(["scan", str(corpus)])
    assert info.value.code == 2


def test_unusable_index_exits_1(corpus, tmp_path, capsys):
    index = tmp_path / "index.sqlite"
    index.write_bytes(b"this is not a database" * 100)
    assert _scan(corpus, tmp_path / "out", "--index", str(index), "--workers", "1") == 1
    assert "cannot open the scan index" in capsys.readouterr().err
    assert list((tmp_path / "out").iterdir()) == []  # no spool folder left behind


def test_out_that_is_a_file_exits_2(corpus, tmp_path, capsys):
    (tmp_path / "out").write_text("not a folder")
    assert _scan(corpus, tmp_path / "out", "--workers", "1") == 2
    assert "--out must be a folder" in capsys.readouterr().err
    # a folder that cannot be made is refused before anything is read
    assert _scan(corpus, tmp_path / "out" / "sub", "--workers", "1") == 2
    assert "cannot create the output folder" in capsys.readouterr().err


def test_progress_is_quiet_when_stderr_is_not_a_terminal(corpus, tmp_path):
    proc = subprocess.run(
        [sys.executable, "-m", "dupscan", "scan", str(corpus), "--manifest",
         str(corpus / "manifest.csv"), "--out", str(tmp_path / "out"), "--workers", "2",
         "--format", "json"], capture_output=True, text=True, timeout=300,
        env={**os.environ, "TERM": "xterm"})
    assert proc.returncode == 0, proc.stderr
    assert proc.stderr == ""  # no bars, and no warnings from stopping the pool
    assert "Report:" in proc.stdout


class _Tty(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_progress_bars_draw_on_a_terminal():
    assert ProgressBars.for_stderr(io.StringIO()) is None
    stream = _Tty()
    bars = ProgressBars.for_stderr(stream)
    bars.update("files", 3, 10)
    bars.update("cases", 1, 2)
    bars.close()
    assert "Reading files" in stream.getvalue() and "Detecting cases" in stream.getvalue()


def test_redacted_stream_matches_redacted_report(corpus, tmp_path):
    assert _scan(corpus, tmp_path / "out", "--format", "json,jsonl", "--workers", "1",
                 "--redact") == 0
    data = json.loads((tmp_path / "out" / "findings.json").read_text())
    lines = (tmp_path / "out" / "findings.jsonl").read_text().splitlines()
    assert [json.loads(x) for x in lines] == data["findings"]
    assert any("[name]" in f["target"]["text"] for f in data["findings"])


def test_parquet_without_pyarrow_names_the_extra(corpus, tmp_path, monkeypatch, capsys):
    monkeypatch.setitem(sys.modules, "pyarrow", None)
    assert _scan(corpus, tmp_path / "out", "--format", "json,parquet", "--workers", "1") == 1
    assert "dupscan[parquet]" in capsys.readouterr().err


def test_a_full_disk_is_an_error_naming_the_file_and_leaves_no_spool(corpus, tmp_path, capsys,
                                                                     monkeypatch):
    import errno

    from dupscan._spool import Spool

    def full(spool):
        raise OSError(errno.ENOSPC, "No space left on device", str(spool.path))

    monkeypatch.setattr(Spool, "_flush", full)
    assert _scan(corpus, tmp_path / "out", "--workers", "1") == 1
    err = capsys.readouterr().err
    assert "No space left on device" in err and ".spool-" in err and "Traceback" not in err
    assert list((tmp_path / "out").iterdir()) == []


def test_a_killed_scans_spool_is_removed_by_the_next_scan(corpus, tmp_path):
    out = tmp_path / "out"
    left = out / ".dupscan-spool-abc123"  # what a scan killed with SIGKILL leaves
    left.mkdir(parents=True)
    (left / "lock").touch()
    (left / ".spool-x.pickle").write_bytes(b"pickled findings")
    assert _scan(corpus, out, "--format", "json", "--workers", "1") == 0
    assert not left.exists()
    assert not [p.name for p in out.iterdir() if p.name.startswith(".")]


def test_bars_cover_reading_detecting_and_writing(corpus, tmp_path, monkeypatch):
    stream = _Tty()
    monkeypatch.setattr(ProgressBars, "for_stderr", classmethod(lambda cls: cls(stream)))
    assert main(["scan", str(corpus), "--manifest", str(corpus / "manifest.csv"),
                 "--out", str(tmp_path / "out"), "--workers", "1",
                 "--format", "json,csv,html"]) == 0
    drawn = stream.getvalue()
    assert "Reading files" in drawn and "Detecting cases" in drawn
    assert "Writing reports" in drawn and "3/3" in drawn


def test_an_index_scan_writes_the_same_files_from_stored_parts(corpus, tmp_path, monkeypatch):
    """The second scan with an index adds every case from its stored report part: every
    file it writes (HTML, CSV, JSON, redacted JSONL) equals the first scan's and a scan
    without an index."""
    from dupscan.estimate import PartCosting

    costed = []  # cases costed (by the one worker, which runs in this process)
    real = PartCosting.build
    monkeypatch.setattr(PartCosting, "build",
                        lambda self, *a: costed.append(1) or real(self, *a))
    index = str(tmp_path / "index.sqlite")
    formats = ("--format", "json,csv,html,jsonl", "--redact", "--workers", "1")
    for out, cases_costed in (("first", 3), ("again", 0)):
        costed.clear()
        assert _scan(corpus, tmp_path / out, *formats, "--index", index) == 0
        assert len(costed) == cases_costed
    assert _scan(corpus, tmp_path / "plain", *formats) == 0
    names = sorted(p.name for p in (tmp_path / "first").iterdir())
    assert "report.html" in names and "findings.jsonl" in names
    for other in ("again", "plain"):
        assert sorted(p.name for p in (tmp_path / other).iterdir()) == names
        for name in names:
            assert ((tmp_path / other / name).read_bytes()
                    == (tmp_path / "first" / name).read_bytes()), (other, name)


def _fergal_case(root):
    (root / "C1").mkdir(parents=True)
    (root / "C1" / "01_referral.txt").write_text(
        "Reason: Fergal moved into the home seven weeks ago and has not been assessed by "
        "anyone.\nMum said that Fergal works nights at the depot and sleeps in the day.\n")
    (root / "C1" / "02_assessment.txt").write_text(
        "Background: Fergal moved into the home seven weeks ago and has not been assessed by "
        "anyone.\n")
    return root


@pytest.mark.parametrize("runs", [("--redact",), ("--redact", "--redact"), ("", "--redact")],
                         ids=["no index", "index, scanned twice", "index, redacted the second time"])
def test_redact_masks_a_name_that_only_text_no_excerpt_shows_names_mid_sentence(tmp_path,
                                                                                 runs):
    # the only excerpt opens with the name; the sentence naming him mid-sentence is no excerpt
    # (its name words come from the worker, from the index, or from the stored forms)
    root = _fergal_case(tmp_path / "c")
    extra = ["--index", str(tmp_path / "i.sqlite")] if len(runs) > 1 else []
    for flag in runs:
        assert main(["scan", str(root), "--out", str(tmp_path / "out"), "--quiet", "--workers",
                     "1", "--format", "json,jsonl", *([flag] if flag else []), *extra]) == 0
    data = json.loads((tmp_path / "out" / "findings.json").read_text())
    texts = [f[side]["text"] for f in data["findings"] for side in ("source", "target")]
    assert texts and all(t.startswith("[name] moved into the home") for t in texts)
    lines = (tmp_path / "out" / "findings.jsonl").read_text().splitlines()
    assert [json.loads(x) for x in lines] == data["findings"]
    assert main(["scan", str(root), "--out", str(tmp_path / "plain"), "--quiet", "--workers",
                 "1", "--format", "json"]) == 0
    plain = json.loads((tmp_path / "plain" / "findings.json").read_text())
    assert plain["findings"][0]["target"]["text"].startswith("Fergal moved")


def test_an_indexed_scan_says_what_it_read_and_detected_again(corpus, tmp_path, capsys):
    """A run with --index says how many files it read and cases it detected again: all
    at first, none when nothing changed, the one file and case a new form touches."""
    root = tmp_path / "c"
    shutil.copytree(corpus, root)
    index = str(tmp_path / "index.sqlite")

    def scan_and_say(*extra):
        assert main(["scan", str(root), "--manifest", str(root / "manifest.csv"),
                     "--templates", str(root / "templates"), "--out", str(tmp_path / "out"),
                     "--format", "json", "--workers", "1", *extra]) == 0
        said = [x for x in capsys.readouterr().out.splitlines() if x.startswith("Index ")]
        return said[0] if said else None

    assert scan_and_say() is None  # without an index everything is read: nothing to say
    first = scan_and_say("--index", index)
    assert first.endswith(": read 32 of 32 files; detected 3 of 3 cases.")  # 35 forms
    again = scan_and_say("--index", index)
    assert again.endswith(": read 0 of 32 files (32 unchanged); "
                          "detected 0 of 3 cases (3 kept from the index).")
    later = root / "C0002" / "99_later_note.txt"
    later.write_text("Notes: Mum said the family had moved to a new flat in the spring.\n")
    with open(root / "manifest.csv", "a") as handle:
        handle.write("C0002/99_later_note.txt,C0002,case_note,2030-01-01,\n")
    grown = scan_and_say("--index", index)
    assert grown.endswith(": read 1 of 33 files (32 unchanged); "
                          "detected 1 of 3 cases (2 kept from the index).")
    assert scan_and_say("--index", index, "--quiet") is None
