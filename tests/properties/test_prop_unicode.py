"""Arbitrary Unicode never crashes ingest, segment or detect.

Text with right-to-left scripts, combining marks, emoji, NUL and other control
characters, zero-width characters, lone surrogates (written raw into text files
and as ``\\udXXX`` escapes into JSON Lines exports) is written into every
format. ``ingest`` may refuse a file only with IngestError; ``segment`` and
``detect`` must not raise; field offsets stay exact.
"""

from __future__ import annotations

import json
import tempfile
from dataclasses import replace
from pathlib import Path

from hypothesis import event, given
from hypothesis import strategies as st

from prop_support import FORMAT_SUFFIX, _SENTENCES, bounded, write_form

from dupscan.detect import detect
from dupscan.errors import IngestError
from dupscan.ingest import ingest
from dupscan.segment import segment

_SPECIAL = ["\u200b", "\u200c", "\u200d", "\u2060", "\ufeff", "\u200e", "\u200f", "\u202e",
            "\u0301", "\u0308", "\u20dd", "\x00", "\x07", "\x1b", "\r", "\u2028", "\u2029",
            "\ud800", "\udfff", "\U0001f600", "\U0001f468\u200d\U0001f469\u200d\U0001f467",
            "\U0001f1ec\U0001f1e7", "مرحبا بالعالم", "שלום עולם", "e\u0301\u0302\u0303",
            "\ufffd", "\uffff", "\U0010ffff", "ǅ", "ß", "İ", "\t", "\xa0", "\u3000"]

unicode_text = st.lists(
    st.one_of(st.text(st.characters(codec=None), max_size=12),  # any code point, surrogates too
              st.sampled_from(_SPECIAL), st.sampled_from(_SENTENCES)),
    min_size=1, max_size=10).map("".join)


@st.composite
def hostile_fields(draw):
    labels = draw(st.lists(st.sampled_from(["Observations", "Notes", "Child's name", "Plan"]),
                           min_size=1, max_size=3, unique=True))
    return [(label, draw(unicode_text)) for label in labels]


def _forms(folder: Path, fmt: str, fields) -> list:
    path = write_form(folder / f"form{FORMAT_SUFFIX[fmt]}", fmt, fields)
    try:
        docs = ingest(path, root=folder)
    except IngestError as exc:
        event(f"{fmt}: refused")
        assert exc.path and "\n" not in exc.reason
        return []
    event(f"{fmt}: read")
    forms = []
    for doc in docs:
        form = segment(doc)
        for field in form.fields:
            assert doc.text[field.start:field.end] == field.text
        forms.append(form)
    return forms


def _run(fmt: str, fields) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        forms = _forms(Path(tmp), fmt, fields)
        if forms:
            twins = [replace(forms[0], case_id="C1", date="2025-01-01", order=0),
                     replace(forms[0], form_id=forms[0].form_id + "b", doc="twin",
                             case_id="C1", date="2025-01-02", order=1)]
            detect(twins)


@bounded(60)
@given(fmt=st.sampled_from(["txt", "md", "html", "csv", "docx"]), fields=hostile_fields())
def test_arbitrary_unicode_never_crashes(fmt, fields) -> None:
    _run(fmt, fields)


def _no_surrogates(fields):
    return [(label, "".join(c for c in value if not "\ud800" <= c <= "\udfff"))
            for label, value in fields]


@bounded(30)
@given(fields=hostile_fields())
def test_arbitrary_unicode_in_jsonl_never_crashes(fields) -> None:
    _run("jsonl", _no_surrogates(fields))


@bounded(30)
@given(fields=hostile_fields())
def test_lone_surrogates_in_jsonl_never_crash(fields) -> None:
    _run("jsonl", fields)


def test_lone_surrogate_escape_in_jsonl_is_read_or_refused(tmp_path: Path) -> None:
    """The smallest case of the above, checked without hypothesis."""
    path = tmp_path / "export.jsonl"
    path.write_text(json.dumps({"Notes": "Mum said \ud800 the home was warm and tidy."}) + "\n",
                    encoding="ascii")
    try:
        docs = ingest(path, root=tmp_path)
    except IngestError:
        return
    for doc in docs:
        doc.text.encode("utf-8")  # Document.text must be valid Unicode text
        assert "\ufffd" in doc.text


def test_lone_surrogates_in_an_export_survive_a_scan_and_every_report(tmp_path: Path) -> None:
    from dupscan.pipeline import scan
    from dupscan.report import write_reports

    root = tmp_path / "root"
    (root / "C1").mkdir(parents=True)
    note = "The home was warm \ud800 and tidy during the visit today with mum \udfff present."
    rows = [{"Case ID": "C1", "Date": f"2025-01-0{i}", "Notes": note} for i in (1, 2)]
    (root / "C1" / "export.jsonl").write_text(
        "".join(json.dumps(r) + "\n" for r in rows), encoding="ascii")
    report = scan(root, workers=1)
    assert not report.skipped, report.skipped
    assert report.findings
    written = write_reports(report, tmp_path / "out", ["json", "csv", "html", "console"])
    data = json.loads(written["json"].read_text(encoding="utf-8"))
    assert "\ufffd" in data["findings"][0]["target"]["text"]
