"""A report whose forms and findings are held on disk (``scan(spool=)``, ``dupscan scan``)
renders exactly as the same report held in memory, reading each spool from the start
instead of indexing into it, and the totals made case by case equal :func:`estimate`'s."""

from __future__ import annotations

import dataclasses
import pickle

import pytest
from report_sample import build_findings, build_forms, build_report

from dupscan._spool import MappedSequence, Spool, form_spool
from dupscan.estimate import Estimator, estimate
from dupscan.report import print_console, write_reports

FORMATS = "json,csv,html,console"


def _spooled(report, directory, forms_out=Spool):
    """``report`` rebuilt case by case by an Estimator writing to spools."""
    est = Estimator(forms_out=forms_out(directory), findings_out=Spool(directory))
    cases = sorted({f.case_id for f in report.forms} | {f.case_id for f in report.findings})
    for case in cases:
        est.add_case([f for f in report.forms if f.case_id == case],
                     [f for f in report.findings if f.case_id == case])
    return est.report(stock_text=report.stock_text, prefill=report.prefill,
                      skipped=report.skipped)


def _files(directory):
    return {p.name: p.read_bytes() for p in sorted(directory.iterdir()) if p.is_file()}


class _Reads:
    """Counts the passes over every spool; fails on random access."""

    def __init__(self, monkeypatch):
        self.passes = 0
        real_read = Spool._read  # every pass, as objects or as plain rows

        def counted(spool, loads):
            self.passes += 1
            return real_read(spool, loads)

        def refuse(spool, index):
            raise AssertionError(f"random access into a spool: {index!r}")

        monkeypatch.setattr(Spool, "_read", counted)
        monkeypatch.setattr(Spool, "__getitem__", refuse)


# -- the spool --------------------------------------------------------------------------

def test_spool_round_trips_in_batches_and_reads_again(tmp_path):
    spool = Spool(tmp_path, batch=3)
    items = [{"n": i, "text": "é" * i} for i in range(10)]
    spool.extend(items)
    assert len(spool) == 10
    with pytest.raises(ValueError, match="seal"):
        list(spool)
    spool.seal()
    assert list(spool) == items and list(spool) == items  # re-iterable
    assert spool[0] == items[0] and spool[-1] == items[-1] and spool[2:5] == items[2:5]
    assert spool[5:2] == [] and spool[::4] == items[::4]
    with pytest.raises(IndexError):
        spool[10]
    with pytest.raises(ValueError, match="sealed"):
        spool.append({"n": 11})
    # written in batches of 3: four pickles (each after its length), never one per item
    # nor one in all
    with spool.path.open("rb") as handle:
        sizes = []
        while header := handle.read(8):
            sizes.append(len(pickle.loads(handle.read(int.from_bytes(header, "little")))))
    assert sizes == [3, 3, 3, 1]
    spool.close()
    assert not spool.path.exists() and len(spool) == 0


def test_an_empty_spool_and_bad_batch(tmp_path):
    spool = Spool(tmp_path).seal()
    assert list(spool) == [] and len(spool) == 0 and spool[:3] == []
    spool.close()
    with pytest.raises(ValueError, match="batch"):
        Spool(tmp_path, batch=0)


def test_mapped_sequence_applies_as_read():
    seen = []
    mapped = MappedSequence([1, 2, 3], lambda x: seen.append(x) or x * 10)
    assert len(mapped) == 3 and not seen
    assert list(mapped) == [10, 20, 30] and mapped[0] == 10 and mapped[1:] == [20, 30]


# -- totals case by case ----------------------------------------------------------------

def test_estimator_case_by_case_equals_estimate(tmp_path):
    whole = build_report(cases=5)
    est = Estimator()
    for case in sorted({f.case_id for f in whole.forms}):
        est.add_case([f for f in whole.forms if f.case_id == case],
                     [f for f in whole.findings if f.case_id == case])
    stepped = est.report(stock_text=whole.stock_text, prefill=whole.prefill,
                         skipped=whole.skipped)
    for name in ("summary", "forms", "findings", "stock_text", "prefill", "skipped",
                 "aggregates", "options"):
        assert getattr(stepped, name) == getattr(whole, name), name


def test_estimator_refuses_cases_out_of_order():
    forms = build_forms(cases=3)
    est = Estimator()
    est.add_case([f for f in forms if f.case_id == "C002"], [])
    for case in ("C001", "C002"):
        with pytest.raises(ValueError, match="case order"):
            est.add_case([f for f in forms if f.case_id == case], [])
    est.add_case([f for f in forms if f.case_id == "C003"], [])
    assert est.report().summary.cases == 2


def test_estimate_counts_distinct_cases_per_row_in_any_input_order():
    report = build_report(cases=4)
    shuffled = estimate(list(reversed(report.forms)), list(reversed(report.findings)),
                        stock_text=report.stock_text, prefill=report.prefill,
                        skipped=report.skipped)
    assert shuffled == report
    rows = {r["kind"]: r["cases"] for r in report.aggregates["kind"]}
    assert rows == {"exact": 4, "near": 4, "paraphrase": 4}


# -- rendering ---------------------------------------------------------------------------

@pytest.mark.parametrize("split", [False, True], ids=["forms whole", "fields apart"])
@pytest.mark.parametrize("redact", [False, True])
def test_a_spooled_report_writes_the_same_files(tmp_path, monkeypatch, redact, split):
    report = build_report(cases=7)
    (tmp_path / "spool").mkdir()
    spooled = _spooled(report, tmp_path / "spool", form_spool if split else Spool)
    assert isinstance(spooled.findings, Spool) and len(spooled.findings) == 28
    memory = _files_written(report, tmp_path / "memory", redact)
    reads = _Reads(monkeypatch)
    disk = _files_written(spooled, tmp_path / "disk", redact)
    assert disk == memory and len(disk) == 14
    # JSON: forms once, findings once; CSV: one join; HTML: one join; console: none
    # (redacting adds one pass over forms for the names, one over both for case ids and
    # one over the findings for the names each case's excerpts use); with the fields
    # apart, only the names read them
    assert reads.passes == 2 + 2 + 2 + (4 + split if redact else 0)
    if split:
        assert list(spooled.forms) == list(report.forms)


def _files_written(report, out, redact):
    write_reports(report, out, FORMATS, redact=redact)
    return _files(out)


def test_console_of_a_spooled_report(tmp_path):
    import io

    from rich.console import Console

    report = build_report(cases=3)
    spooled = _spooled(report, tmp_path)
    texts = []
    for item in (report, spooled):
        buffer = io.StringIO()
        print_console(item, Console(file=buffer, width=140, color_system=None), redact=True)
        texts.append(buffer.getvalue())
    assert texts[0] == texts[1] and "Reclaimable" in texts[0]


def test_report_is_still_a_frozen_value():
    report = build_report(cases=1)
    with pytest.raises(dataclasses.FrozenInstanceError):
        report.findings = ()  # type: ignore[misc]


# -- the spool folder -------------------------------------------------------------------

def test_spool_folder_removes_what_killed_scans_left(tmp_path):
    import fcntl
    import os

    from dupscan._spool import SpoolFolder

    stale = tmp_path / ".dupscan-spool-killed"  # its scan died: the lock is free
    stale.mkdir()
    (stale / "lock").touch()
    (stale / ".spool-1.pickle").write_bytes(b"records")
    running = tmp_path / ".dupscan-spool-running"  # another scan holds its lock
    running.mkdir()
    held = open(running / "lock", "a+")
    fcntl.flock(held.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
    fresh = tmp_path / ".dupscan-spool-fresh"  # just made, lock not yet taken
    fresh.mkdir()
    old = tmp_path / ".dupscan-spool-old"  # no lock file and hours old
    old.mkdir()
    os.utime(old, (0, 0))
    other = tmp_path / "findings.json"
    other.write_text("{}")
    try:
        with SpoolFolder(tmp_path) as folder:
            assert folder.is_dir() and (folder / "lock").exists()
            assert not stale.exists() and not old.exists()
            assert running.is_dir() and fresh.is_dir() and other.is_file()
        assert not folder.exists()
    finally:
        held.close()


def test_write_reports_tells_progress_per_format(tmp_path):
    calls = []
    write_reports(build_report(cases=2), tmp_path, "json,csv,html",
                  progress=lambda *a: calls.append(a))
    assert calls == [("reports", 0, 3), ("reports", 1, 3), ("reports", 2, 3),
                     ("reports", 3, 3)]


def test_encoded_batches_keep_their_place_among_appended_items(tmp_path):
    from dupscan._spool import FINDINGS, finding_spool

    findings = build_findings(build_forms(cases=3))
    spool = finding_spool(tmp_path)
    spool.append(findings[0])
    spool.extend_encoded(FINDINGS.dumps(findings[1:3]), 2)
    spool.append(findings[3])
    assert list(spool.seal()) == findings[:4] and len(spool) == 4
    with pytest.raises(ValueError, match="sealed"):
        spool.extend_encoded(FINDINGS.dumps(findings[:1]), 1)
    spool.close()


def test_rows_that_cannot_be_read_back_raise_a_clear_error(tmp_path):
    from dupscan._spool import finding_spool
    from dupscan.errors import DupscanError

    spool = finding_spool(tmp_path)
    spool.extend_encoded(b"[[1,2,3]]", 1)  # rows of the wrong shape, as if altered on disk
    with pytest.raises(DupscanError, match="cannot be read back"):
        list(spool.seal())
    with pytest.raises(DupscanError, match="cannot be read back"):  # findings.json reads these
        list(spool.rows())
    spool.close()
    spool = finding_spool(tmp_path)  # a span one value short
    spool.extend_encoded(b'[["C1","exact",1.0,9,["f1","a.txt",0,9,"x"],'
                         b'["f2","b.txt","Notes",0,9,"x"],[1.0,2.0,3.0]]]', 1)
    spool.seal()
    with pytest.raises(DupscanError, match="cannot be read back"):
        list(spool.rows())
    spool.close()
    forms = form_spool(tmp_path)
    forms.extend_encoded(b'[["f1","a.txt"]]', b"[[]]", 1)
    with pytest.raises(DupscanError, match="cannot be read back"):
        list(forms.seal().head_rows())
    forms.close()


def test_findings_and_forms_written_from_plain_rows_are_written_as_from_objects():
    import json

    from dupscan._rows import encode_findings, encode_forms
    from dupscan.model import Seconds
    from dupscan.report import json as report_json

    findings = list(build_report(cases=2).findings)
    odd = findings[0]
    findings += [
        dataclasses.replace(odd, similarity=float("nan"), seconds=Seconds(0.0, 1e-9, 12345.67891)),
        dataclasses.replace(odd, similarity=0.123456, seconds=Seconds(-0.0, 1e-9, 12345.67891)),
        dataclasses.replace(odd, similarity=1, words=0, case_id='C"1\\\u00e9\u2028',
                            source=dataclasses.replace(odd.source, text="tab\there \U0001f600")),
    ]
    rows = json.loads(encode_findings(findings))
    assert ([report_json._finding_row_text(r) for r in rows]
            == [report_json._finding_text(f) for f in findings])
    forms = [dataclasses.replace(f, fields=()) for f in build_forms(cases=2)]
    forms += [dataclasses.replace(forms[0], doc='a "quoted"\\path \u00e9\u2028.txt', date=""),
              dataclasses.replace(forms[0], words=3.0)]  # not a scan's type: the plain way
    rows = json.loads(encode_forms(forms))
    assert [report_json._form_row_text(r) for r in rows] == [report_json._form_text(f)
                                                             for f in forms]


def test_findings_given_with_their_lines_are_written_from_them(tmp_path):
    """Findings appended with their JSON lines (a scan's case parts) are written to
    findings.json from those lines, to the same bytes as from their rows; the lines
    are dropped once an item comes without one."""
    from dupscan._spool import FINDINGS, finding_spool
    from dupscan.report.json import dumps, finding_line

    report = build_report(cases=3)
    findings = list(report.findings)
    odd = dataclasses.replace(findings[0], case_id='C"1\\', source=dataclasses.replace(
        findings[0].source, text="tab\there \u2028 \U0001f600"))
    findings = [*findings, odd]

    def spooled(with_lines, then_append=False):
        spool = finding_spool(tmp_path)
        for at in range(0, len(findings), 2):
            batch = findings[at:at + 2]
            spool.extend_encoded(FINDINGS.dumps(batch), len(batch),
                                 "\n".join(map(finding_line, batch)).encode()
                                 if with_lines else None)
        spool.extend_encoded(b"[]", 0, b"")  # a case without findings adds no line
        if then_append:
            spool.append(findings[0])
        return dataclasses.replace(report, findings=spool.seal())

    by_rows, by_lines, mixed = spooled(False), spooled(True), spooled(True, then_append=True)
    assert by_rows.findings.json_lines() is None and mixed.findings.json_lines() is None
    lines = "".join(by_lines.findings.json_lines())
    assert lines.count("\n    {") == len(findings) - 1 and "\U0001f600" in lines
    assert dumps(by_lines) == dumps(by_rows) == dumps(dataclasses.replace(report,
                                                                          findings=findings))
    files = {p.name for p in tmp_path.iterdir()}
    assert len([n for n in files if n.startswith(".spool-lines-")]) == 2
    for spool in (by_rows.findings, by_lines.findings, mixed.findings):
        spool.close()
    assert list(tmp_path.iterdir()) == []
    spool = finding_spool(tmp_path)
    with pytest.raises(ValueError, match="2 items came with 1 lines"):
        spool.extend_encoded(FINDINGS.dumps(findings[:2]), 2, finding_line(findings[0]).encode())
    spool.close()
