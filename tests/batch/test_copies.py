"""A second copy of one record in a case (same form type, date and text) is left out of
the case and listed as skipped, not counted as the whole form re-entered."""

from __future__ import annotations

import pytest

from dupscan.batch.copies import MIN_WORDS, content_key
from dupscan.pipeline import scan
from dupscan.report import render

REASON = ("Mum said Ava was late to school three times this week because the family "
          "had to leave the flat early. The school nurse saw a bruise on her arm on Monday.")
VIEWS = "Ava told the worker she likes her new teacher and wants to stay at the school."

MANIFEST = [
    ("C1/referral.txt", "C1", "referral", "2025-01-05"),
    # the same record exported again, laid out otherwise: a copy
    ("C1/referral-export.md", "C1", "referral", "2025-01-05"),
    ("C1/assessment.txt", "C1", "assessment", "2025-02-01"),
    # the same text as the referral, but another type: re-entry
    ("C1/strategy.txt", "C1", "strategy discussion", "2025-01-05"),
    # the same type and text a month on: re-entry
    ("C2/plan.txt", "C2", "plan", "2025-01-10"),
    ("C2/plan-review.txt", "C2", "plan", "2025-02-10"),
]


def _write(root, rows):
    texts = {
        "C1/referral.txt": f"Reason for referral: {REASON}\nChild's views: {VIEWS}\n",
        "C1/referral-export.md": f"## Reason for referral\n\n{REASON}\n\n"
                                 f"## Child's views\n\n{VIEWS}\n",
        "C1/assessment.txt": f"Background: {REASON.split('. ')[0]}. She is doing well.\n",
        "C1/strategy.txt": f"Reason for referral: {REASON}\nChild's views: {VIEWS}\n",
        "C2/plan.txt": f"Actions: {REASON}\n",
        "C2/plan-review.txt": f"Actions: {REASON}\n",
    }
    for path, *_ in rows:
        (root / path).parent.mkdir(parents=True, exist_ok=True)
        (root / path).write_text(texts[path], encoding="utf-8")
    lines = ["path,case_id,form_type,date"] + [",".join(r) for r in rows]
    (root / "manifest.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return root / "manifest.csv"


@pytest.fixture()
def corpus(tmp_path):
    root = tmp_path / "records"
    return root, _write(root, MANIFEST)


def test_a_second_copy_is_left_out_and_listed(corpus):
    root, manifest = corpus
    report = scan(root, manifest, workers=1)
    docs = {f.doc for f in report.forms}
    assert "C1/referral-export.md" not in docs
    assert docs == {path for path, *_ in MANIFEST} - {"C1/referral-export.md"}
    targets = {f.target.doc for f in report.findings}
    assert "C1/referral-export.md" not in targets
    assert "C1/referral-export.md" not in {f.source.doc for f in report.findings}
    # another type, or another date: compared as any other form
    assert {"C1/assessment.txt", "C1/strategy.txt", "C2/plan-review.txt"} <= targets
    [skipped] = report.skipped
    assert skipped.path == "C1/referral-export.md"
    assert "copy of C1/referral.txt" in skipped.reason
    assert report.summary.forms == len(MANIFEST) - 1


def test_one_word_changed_is_not_a_copy(tmp_path):
    rows = MANIFEST[:2]
    root = tmp_path / "records"
    manifest = _write(root, rows)
    text = (root / rows[1][0]).read_text(encoding="utf-8")
    (root / rows[1][0]).write_text(text.replace("three times", "four times"), encoding="utf-8")
    report = scan(root, manifest, workers=1)
    assert not report.skipped
    assert "C1/referral-export.md" in {f.target.doc for f in report.findings}


def test_a_copy_added_or_removed_later_gives_a_full_scan_s_report(corpus, tmp_path):
    root, manifest = corpus
    without = tmp_path / "without.csv"
    without.write_text("\n".join(line for line in manifest.read_text().splitlines()
                                 if "referral-export" not in line) + "\n")
    index = tmp_path / "index.sqlite"
    for first, then in ((without, manifest), (manifest, without)):
        index.unlink(missing_ok=True)
        scan(root, first, workers=1, index=index)
        again = scan(root, then, workers=1, index=index)
        assert render(again, "json") == render(scan(root, then, workers=1), "json")


def test_the_content_key_ignores_layout_but_not_type_date_or_words():
    def form(text, form_type="referral", date="2025-01-05", label="Reason"):
        return {"form_type": form_type, "date": date,
                "fields": [{"label": label, "text": text}]}

    key = content_key(form(f"Mum said  Ava was\nlate. {REASON}"))
    assert key and key == content_key(form(f"Mum said Ava was late. {REASON}",
                                           label="Reason for referral"))
    # one field split in two by another rendering: the same words in order
    split = {**form(""), "fields": [{"label": "A", "text": "Mum said"},
                                    {"label": "B", "text": f"Ava was late. {REASON}"}]}
    assert content_key(split) == key
    for other in (form(f"Mum said Ava was late! {REASON}"),
                  form(f"Mum said Ava was late. {REASON}", "plan"),
                  form(f"Mum said Ava was late. {REASON}", date="2025-01-06")):
        assert content_key(other) != key
    # a short entry, or a blank form, is never taken for a copy
    short = " ".join(["word"] * (MIN_WORDS - 1))
    assert content_key(form(short)) == "" and content_key(form(short + " more"))
    assert content_key(form("  \n")) == "" and content_key({"fields": []}) == ""


STOCK = ("The family were told about the service's complaints procedure and how to reach "
         "the duty team out of hours.")
NEAR_STOCK = ("The family were told about the complaints procedure and how to reach the "
              "duty team out of hours.")


def test_a_scan_with_a_copy_equals_one_without_it_stock_text_included(tmp_path):
    """The case is detected without the copy, so the original's stock sentence, held
    once in its case, is still compared (here with a near copy of it); and the stock
    text's occurrences and examples leave the copy out."""
    root = tmp_path / "records"
    texts = {
        "C1/referral.txt": f"Reason for referral: {REASON} {STOCK}\n",
        "C1/referral-copy.txt": f"Reason for referral: {REASON} {STOCK}\n",
        "C1/assessment.txt": f"Background: {NEAR_STOCK} She is settled at school now.\n",
        "C2/referral.txt": f"Reason for referral: Dad asked for help with housing. {STOCK}\n",
        "C3/referral.txt": f"Reason for referral: The school raised attendance. {STOCK}\n",
    }
    rows = [("C1/referral.txt", "C1", "referral", "2025-01-05"),
            ("C1/referral-copy.txt", "C1", "referral", "2025-01-05"),
            ("C1/assessment.txt", "C1", "assessment", "2025-02-01"),
            ("C2/referral.txt", "C2", "referral", "2025-01-07"),
            ("C3/referral.txt", "C3", "referral", "2025-01-09")]
    for path, text in texts.items():
        (root / path).parent.mkdir(parents=True, exist_ok=True)
        (root / path).write_text(text, encoding="utf-8")

    def manifest(name, keep):
        lines = ["path,case_id,form_type,date"] + [",".join(r) for r in rows if r[0] in keep]
        (root / name).write_text("\n".join(lines) + "\n", encoding="utf-8")
        return root / name

    options = {"workers": 1, "stock_min_cases": 2, "stock_min_share": 0.0}
    with_copy = scan(root, manifest("all.csv", texts), **options)
    without = scan(root, manifest("without.csv", set(texts) - {"C1/referral-copy.txt"}),
                   **options)
    assert [s.path for s in with_copy.skipped] == ["C1/referral-copy.txt"]
    assert with_copy.stock_text == without.stock_text and without.stock_text
    assert with_copy.findings == without.findings
    # the near copy of the stock sentence is found only while that sentence is compared
    assert any(f.target.doc == "C1/assessment.txt" and "complaints" in f.target.text
               for f in with_copy.findings)


def test_a_short_entry_repeated_on_its_day_is_compared(tmp_path):
    """Two short entries of one day alike word for word can be two records: both are
    read, and the second is found as re-entry."""
    root = tmp_path / "records"
    entry = "Notes: Phoned the school about Ava's attendance, no answer, will try again.\n"
    rows = [("C1/call-1.txt", "C1", "contact note", "2025-03-02"),
            ("C1/call-2.txt", "C1", "contact note", "2025-03-02")]
    for path, *_ in rows:
        (root / path).parent.mkdir(parents=True, exist_ok=True)
        (root / path).write_text(entry, encoding="utf-8")
    (root / "m.csv").write_text("\n".join(["path,case_id,form_type,date"]
                                          + [",".join(r) for r in rows]) + "\n")
    report = scan(root, root / "m.csv", workers=1)
    assert not report.skipped
    assert [(f.source.doc, f.target.doc) for f in report.findings] == [
        ("C1/call-1.txt", "C1/call-2.txt")]
