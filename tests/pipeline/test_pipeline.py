"""The scan pipeline over fake stages: grouping, ordering, skipping, streaming."""

from __future__ import annotations

import json

import pytest
import scanfakes

from dupscan.batch.sink import FindingSink
from dupscan.pipeline import ScanStream, scan
from dupscan.report import render


def _json(report) -> str:
    return render(report, "json")


def _pairs(report):
    return sorted((f.case_id, f.source.doc, f.target.doc, f.target.text) for f in report.findings)


def test_findings_per_case_with_stock_excluded(tmp_path):
    scanfakes.make_corpus(tmp_path, 5)
    report = scan(tmp_path, stages=scanfakes.stages(), workers=1, stock_min_cases=5)
    assert report.summary.forms == 15 and report.summary.cases == 5
    # the per-case fact is re-entered twice in each case; the shared sentence is stock
    assert len(report.findings) == 10
    assert all("rent arrears" in f.target.text for f in report.findings)
    assert {s.text for s in report.stock_text} == {scanfakes.SHARED, scanfakes.STOCK}
    assert report.skipped == ()


def test_stock_threshold_keeps_text_of_fewer_cases(tmp_path):
    scanfakes.make_corpus(tmp_path, 4)
    report = scan(tmp_path, stages=scanfakes.stages(), workers=1, stock_min_cases=5)
    assert report.stock_text == ()
    assert sum(scanfakes.SHARED in f.target.text for f in report.findings) == 4


def test_header_case_beats_folder_and_manifest_beats_header(tmp_path):
    scanfakes.make_corpus(tmp_path, 3, header_cases=True)
    # move a C2 form into C1's folder: its header still says C2
    (tmp_path / "C2" / "02_plan.txt").rename(tmp_path / "C1" / "99_plan.txt")
    report = scan(tmp_path, stages=scanfakes.stages(), workers=1)
    cases = {f.doc: f.case_id for f in report.forms}
    assert cases["C1/99_plan.txt"] == "C2"
    assert cases["C1/00_referral.txt"] == "C1"
    manifest = tmp_path.parent / f"{tmp_path.name}.csv"
    manifest.write_text("path,case_id,form_type,date\nC1/99_plan.txt,C7,review,2024-12-31\n"
                        "C1/00_referral.txt,C7,,\n")
    report = scan(tmp_path, manifest, stages=scanfakes.stages(), workers=1)
    assert [(f.doc, f.case_id, f.form_type, f.date) for f in report.forms] == [
        ("C1/99_plan.txt", "C7", "review", "2024-12-31"),
        ("C1/00_referral.txt", "C7", "referral", "2025-01-01")]


def test_export_rows_follow_the_manifest(tmp_path):
    rows = ["Summary: The family moved to a new flat near the school last week.|Date: 2025-01-0{}"
            .format(i) for i in (1, 2, 3)]
    (tmp_path / "exp").mkdir()
    (tmp_path / "exp" / "visits.csv").write_text("header\n" + "\n".join(rows) + "\n")
    manifest = tmp_path / "manifest.csv"
    manifest.write_text("path,case_id,form_type,date\nexp/visits.csv#3,C1,visit,\n"
                        "exp/visits.csv#1,C1,visit,\nexp/visits.csv#7,C1,visit,\n")
    report = scan(tmp_path, manifest, stages=scanfakes.stages(), workers=1)
    # manifest order, not file order; the report lists forms by date
    assert {f.doc: f.order for f in report.forms} == {"exp/visits.csv#3": 0,
                                                      "exp/visits.csv#1": 1}
    assert [(s.path, s.reason) for s in report.skipped] == [
        ("exp/visits.csv#7", "row 7 not found in exp/visits.csv")]
    # row 2 is not in the manifest, so only rows 1 and 3 are compared
    assert [(f.source.doc, f.target.doc) for f in report.findings] == [
        ("exp/visits.csv#1", "exp/visits.csv#3")]


def test_unreadable_files_are_skipped_never_dropped(tmp_path):
    scanfakes.make_corpus(tmp_path, 2)
    (tmp_path / "C1" / "bad.txt").write_text("CORRUPT data")
    (tmp_path / "C2" / "latin.txt").write_bytes(b"caf\xe9 \xff\xfe")
    (tmp_path / "C2" / "odd.txt").write_text("RAISE_SEGMENT\nSummary: words words\n")
    report = scan(tmp_path, stages=scanfakes.stages(), workers=1)
    reasons = {s.path: s.reason for s in report.skipped}
    assert reasons["C1/bad.txt"] == "corrupt file"
    assert reasons["C2/latin.txt"] == "not UTF-8 text"
    assert reasons["C2/odd.txt"].startswith("could not split into fields (ValueError")
    assert report.summary.forms == 6


def test_order_of_paths_does_not_change_findings(tmp_path):
    scanfakes.make_corpus(tmp_path, 3)
    files = sorted(tmp_path.rglob("*.txt"))
    one = scan(files, root=tmp_path, stages=scanfakes.stages(), workers=1)
    two = scan(list(reversed(files)), root=tmp_path, stages=scanfakes.stages(), workers=1)
    whole = scan(tmp_path, stages=scanfakes.stages(), workers=1)
    assert _json(one) == _json(two) == _json(whole)


def test_stream_yields_cases_in_order_and_sink_matches_report(tmp_path):
    scanfakes.make_corpus(tmp_path / "in", 4)
    seen = []
    stream = ScanStream(tmp_path / "in", stages=scanfakes.stages(), workers=1,
                        progress=lambda *a: seen.append(a))
    assert [c.case_id for c in stream] == ["C1", "C2", "C3", "C4"]
    assert ("files", 12, 12) in seen and ("cases", 4, 4) in seen
    out = tmp_path / "out"
    with FindingSink(out, ["jsonl", "parquet"]) as sink:
        report = scan(tmp_path / "in", stages=scanfakes.stages(), workers=1, sink=sink)
    lines = (out / "findings.jsonl").read_text().splitlines()
    expected = json.loads(_json(report))["findings"]
    assert [json.loads(x) for x in lines] == expected
    import pyarrow.parquet as pq

    table = pq.read_table(out / "findings.parquet")
    assert table.column("target_doc").to_pylist() == [f["target"]["doc"] for f in expected]
    assert not [p for p in out.iterdir() if p.name.startswith(".")]


def test_failed_scan_leaves_no_stream_files(tmp_path):
    scanfakes.make_corpus(tmp_path / "in", 1)
    with pytest.raises(RuntimeError):
        with FindingSink(tmp_path / "out", ["jsonl"]) as sink:
            scan(tmp_path / "in", stages=scanfakes.stages(), workers=1, sink=sink)
            raise RuntimeError("stop")
    assert list((tmp_path / "out").iterdir()) == []


def test_unknown_option_is_a_config_error(tmp_path):
    from dupscan.errors import ConfigError

    with pytest.raises(ConfigError, match="unknown scan option"):
        scan(tmp_path, colour="red")


def test_a_spooled_scan_renders_as_a_scan_in_memory(tmp_path):
    """scan(spool=) keeps forms and findings on disk in the given folder; the report
    renders as the one held in memory, and nothing is left when the scan fails."""
    from dupscan._spool import SplitSpool, Spool

    scanfakes.make_corpus(tmp_path / "in", 5)
    spool = tmp_path / "spool"
    spool.mkdir()
    held = scan(tmp_path / "in", stages=scanfakes.stages(), workers=1, stock_min_cases=5)
    kept = scan(tmp_path / "in", stages=scanfakes.stages(), workers=1, stock_min_cases=5,
                spool=spool)
    assert isinstance(kept.findings, Spool) and isinstance(kept.forms, SplitSpool)
    # findings and forms with their JSON lines (written by the workers), forms' fields apart
    assert len(list(spool.iterdir())) == 5 and kept.findings.json_lines() is not None
    assert kept.forms.json_lines() is not None
    assert list(kept.findings) == list(held.findings) and list(kept.forms) == list(held.forms)
    assert any(form.fields for form in kept.forms)  # whole forms, structured fields and all
    assert [f.fields for f in kept.forms.heads()] == [()] * len(held.forms)
    for fmt in ("json", "csv", "html"):
        assert render(kept, fmt) == render(held, fmt)
    for item in (kept.forms, kept.findings):
        item.close()

    class BrokenSink:
        redact = False

        def write(self, findings, forms):
            raise RuntimeError("disk full")

    with pytest.raises(RuntimeError, match="disk full"):
        scan(tmp_path / "in", stages=scanfakes.stages(), workers=1, spool=spool,
             sink=BrokenSink())
    assert list(spool.iterdir()) == []


def test_collected_forms_are_read_from_the_index_not_held(tmp_path):
    """A redacted stream needs every form's names before its first write: the stream
    offers them as an iterable read from the index, the same forms as the report's."""
    scanfakes.make_corpus(tmp_path, 3)
    stream = ScanStream(tmp_path, stages=scanfakes.stages(), workers=1, collect_forms=True)
    cases = iter(stream)
    first = next(cases)
    assert not isinstance(stream.all_forms, (list, tuple))
    collected = list(stream.all_forms)
    assert collected == list(stream.all_forms)  # read again, the same
    rest = [first, *cases]
    assert sorted(f.doc for f in collected) == sorted(f.doc for c in rest for f in c.forms)


def test_the_list_of_files_is_freed_before_the_cases(tmp_path):
    """The listing holds about 0.45 KB a file: a million-form scan would keep 450 MB of it
    through its cases (and its collector would walk it) if the stream held on to it."""
    import gc

    from dupscan.discover import ManifestEntry, SourceFile

    scanfakes.make_corpus(tmp_path, 3)
    cases = iter(ScanStream(tmp_path, stages=scanfakes.stages(), workers=1))
    next(cases)
    gc.collect()
    listed = [o for o in gc.get_objects() if type(o) in (SourceFile, ManifestEntry)]
    assert listed == []
    assert len([next(cases), next(cases)]) == 2
