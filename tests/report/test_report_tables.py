"""CSV columns, console text and recommendations."""

import csv
import io

import pytest

from rich.console import Console

from dupscan.estimate import estimate
from dupscan.model import Finding, Form, Span
from dupscan.report import parse_formats, print_console, render, write_reports
from dupscan.report.csv import FINDING_COLUMNS, csv_tables
from dupscan.report.recommend import recommendations

from report_sample import XSS


def _rows(text):
    return list(csv.DictReader(io.StringIO(text)))


def test_findings_csv_columns_and_rows(report):
    text = render(report, "csv")
    header = text.splitlines()[0].split(",")
    assert tuple(header) == FINDING_COLUMNS
    rows = _rows(text)
    assert len(rows) == len(report.findings)
    first = report.findings[0]
    assert rows[0]["target_doc"] == first.target.doc
    assert rows[0]["source_form_type"] in ("contact_referral", "child_and_family_assessment")
    assert float(rows[0]["seconds_central"]) == round(first.seconds.central, 4)


def test_csv_cells_cannot_run_as_formulas():
    a = Form("a", "C/a", "C", "x", "2024-01-01", ())
    b = Form("b", "C/b", "C", "y", "2024-02-01", ())
    f = Finding("C", "exact", 1.0, 6, Span("a", "C/a", "=cmd|'/c calc'!A1", 0, 5, "+SUM(1)"),
                Span("b", "C/b", "@field", 0, 5, "-2+3"))
    rows = _rows(render(estimate([a, b], [f]), "csv"))
    assert rows[0]["source_field"] == "'=cmd|'/c calc'!A1"
    assert rows[0]["source_text"] == "'+SUM(1)" and rows[0]["target_text"] == "'-2+3"


def test_aggregate_csv_files(tmp_path, annual_report):
    tables = csv_tables(annual_report)
    assert {"findings.csv", "prefill.csv", "stock_text.csv", "skipped.csv",
            "aggregates_form_type_pair.csv", "aggregates_field_pair.csv",
            "aggregates_case.csv"} <= set(tables)
    pairs = _rows(tables["aggregates_form_type_pair.csv"])
    assert {"source_form_type", "target_form_type", "reentered_words", "hours_central",
            "annual_hours_central", "share_of_target_words"} <= set(pairs[0])
    fields = _rows(tables["aggregates_field_pair.csv"])
    assert {"source_field", "target_field"} <= set(fields[0])
    cases = _rows(tables["aggregates_case.csv"])
    assert sorted(r["case_id"] for r in cases) == ["C001", "C002"]
    paths = write_reports(annual_report, tmp_path, "csv")
    assert (tmp_path / "aggregates_case.csv").read_text("utf-8") == tables["aggregates_case.csv"]
    assert paths["csv:findings.csv"] == tmp_path / "findings.csv"


def test_console_headline_pairs_and_skipped(annual_report):
    text = render(annual_report, "console")
    assert "Reclaimable (hours)" in text and "Share of recording time" in text
    assert "Reclaimable a year" in text and "Per worker a week (12 staff)" in text
    assert "Top form-type pairs" in text and "Top field pairs" in text
    assert "corrupt zip: bad CRC" in text and "Skipped 2 file(s)" in text
    assert "<script>alert(1)</script>" in text  # plain text: shown as written, not markup


def test_console_does_not_read_record_text_as_markup():
    a = Form("a", "C/a", "C", "x", "2024-01-01", ())
    b = Form("b", "C/b", "C", "y", "2024-02-01", ())
    f = Finding("C", "exact", 1.0, 6, Span("a", "C/a", "[bold red]Reason[/]", 0, 5, "t"),
                Span("b", "C/b", "[link=file:///x]Into[/link]", 0, 5, "t"))
    buffer = io.StringIO()
    print_console(estimate([a, b], [f]), Console(file=buffer, width=140, color_system=None))
    out = buffer.getvalue()
    assert "[bold red]Reason[/]" in out and "[link=file:///x]Into[/link]" in out


def test_parse_formats():
    assert parse_formats("json,csv ,html") == ("json", "csv", "html")
    import pytest

    from dupscan.errors import ConfigError

    with pytest.raises(ConfigError, match="unknown report format"):
        parse_formats("json,pdf")
    with pytest.raises(ConfigError):
        parse_formats(" , ")


def _pair_report(target_type="assessment", words=60, target_words=100, same=False):
    a = Form("a", "C/a", "C", "referral", "2024-01-01", (), words=200)
    b = Form("b", "C/b", "C", "referral" if same else target_type, "2024-07-01", (),
             words=target_words)
    f = Finding("C", "exact", 1.0, words, Span("a", "C/a", "Reason", 0, 5, "t"),
                Span("b", "C/b", "Background", 0, 5, "t"))
    return estimate([a, b], [f], period_days=182.625)


def test_recommendation_kinds():
    recs = recommendations(_pair_report())
    assert [r.action for r in recs] == ["merge", "prefill"] or \
           [r.action for r in recs] == ["prefill", "merge"]
    merge = next(r for r in recs if r.action == "merge")
    assert "Merge the referral and the assessment: 60.0% of the assessment's words" in merge.text
    prefill = next(r for r in recs if r.action == "prefill")
    assert prefill.text.startswith("Prefill 'Background' in the assessment from the referral "
                                   "('Reason'): about ")
    assert prefill.text.endswith("a year")
    assert prefill.hours_central == _pair_report().aggregates["field_pair"][0][
        "annual_hours_central"]
    few = recommendations(_pair_report(target_words=1000))
    assert [r.action for r in few] == ["prefill"]
    link = recommendations(_pair_report(target_type="chronology", target_words=1000))
    assert link[0].action == "link" and "instead of retyping" in link[0].text
    same = recommendations(_pair_report(same=True, target_words=1000))
    assert same[0].action == "carry forward"
    assert recommendations(_pair_report(), min_hours=1e6) == []


def test_xss_text_in_csv_is_plain(report):
    assert XSS.split()[0] in render(report, "csv")


def test_lone_surrogates_never_break_a_writer(tmp_path):
    a = Form("a", "C/a", "C", "x", "2024-01-01", ())
    b = Form("b", "C/b", "C", "y", "2024-02-01", ())
    f = Finding("C", "exact", 1.0, 6, Span("a", "C/a", "R\ud800", 0, 5, "bad \udcff text"),
                Span("b", "C/b", "B", 0, 5, "bad \udcff text"))
    report = estimate([a, b], [f])
    paths = write_reports(report, tmp_path, "json,csv,html,console")
    assert "\ufffd" in paths["json"].read_text("utf-8")
    for fmt in ("json", "csv", "html", "console"):
        render(report, fmt).encode("utf-8")
    print_console(report, Console(file=io.StringIO(), width=100))


def _many_findings_report(n=7):
    forms = [Form(d, f"C/{d}", "C", t, f"2024-0{m}-01", ()) for m, (d, t) in
             enumerate((("a", "x"), ("b", "y")), 1)]
    findings = [Finding("C", "exact", 1.0, 6, Span("a", "C/a", "R", i, i + 5, f"text {i} \udcff"),
                        Span("b", "C/b", "B", i, i + 5, f"text {i} \udcff")) for i in range(n)]
    return estimate(forms, findings)


def test_files_written_in_pieces_equal_the_whole_render(tmp_path, monkeypatch):
    """findings.json and the CSV tables are written chunk by chunk: at any chunk size
    the files hold exactly the text rendered whole."""
    from dupscan.report import csv as report_csv
    from dupscan.report import json as report_json
    from dupscan.report._format import utf8_safe

    report = _many_findings_report()
    # rendered whole from to_dict, without the chunked writer
    whole_json = utf8_safe("{\n" + ",\n".join(
        f"  {report_json._compact(k)}: {report_json._block(v, '  ')}"
        for k, v in report_json.to_dict(report).items()) + "\n}\n").encode("utf-8")
    assert utf8_safe(report_json.dumps(report)).encode("utf-8") == whole_json
    whole_csv = {name: utf8_safe(text).encode("utf-8")
                 for name, text in csv_tables(report).items()}
    real_json, real_csv = report_json.dump_chunks, report_csv._csv_chunks
    for size in (1, 2, 3, 2000):
        monkeypatch.setattr(report_json, "dump_chunks",
                            lambda r, size=size: real_json(r, items_per_chunk=size))
        monkeypatch.setattr(report_csv, "_csv_chunks",
                            lambda c, cells, size=size: real_csv(c, cells, rows_per_chunk=size))
        paths = write_reports(report, tmp_path / str(size), "json,csv")
        assert paths["json"].read_bytes() == whole_json
        for name, data in whole_csv.items():
            assert paths[f"csv:{name}"].read_bytes() == data, (size, name)


def test_a_write_that_fails_midway_leaves_the_old_file(tmp_path):
    from dupscan._io import atomic_write_chunks

    target = tmp_path / "findings.json"
    target.write_text("old")

    def chunks():
        yield b"new start"
        raise OSError("disk full")

    with pytest.raises(OSError, match="disk full"):
        atomic_write_chunks(target, chunks())
    assert target.read_text() == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["findings.json"]
