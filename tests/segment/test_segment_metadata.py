import pytest

from dupscan.model import Document
from dupscan.segment import load_ontology, parse_date, segment
from dupscan.segment.metadata import form_id, form_type_of


@pytest.mark.parametrize("text, iso", [
    ("3 March 2025", "2025-03-03"), ("03/03/2025", "2025-03-03"), ("2025-03-03", "2025-03-03"),
    ("3rd of Mar 2025", "2025-03-03"), ("March 3, 2025", "2025-03-03"), ("31.12.24", "2024-12-31"),
    ("Tuesday 4 February 2025 at 10:30", "2025-02-04"), ("no date", ""), ("31/02/2025", ""),
])
def test_parse_date(text, iso):
    assert parse_date(text) == iso


def test_metadata_from_header_fields():
    text = ("Strategy Discussion Record\nCase number: SW-77\nDate of meeting: 14/02/2025\n"
            "Completed by: Priya Shah\nReferral date: 1 February 2025\n")
    form = segment(Document("C4/05.txt", "txt", text))
    assert (form.case_id, form.date, form.author, form.form_type) == (
        "SW-77", "2025-02-14", "Priya Shah", "strategy_discussion")
    assert form.form_id == form_id("C4/05.txt", text) and len(form.form_id) == 16
    assert form.order == 0


def test_metadata_fallbacks_folder_and_filename():
    form = segment(Document("C12/03_child_family_assessment.docx", "docx",
                            "Analysis: Needs are met.\nReferral date: 2025-01-05"))
    assert form.case_id == "C12"
    assert form.form_type == "child_family_assessment"
    assert form.date == "2025-01-05"  # referral date when there is no form date
    assert segment(Document("loose.txt", "txt", "Notes: x")).case_id == ""


def test_form_type_from_filename_variants():
    onto = load_ontology()
    assert form_type_of([], "C1/07_core_group_minutes.pdf", onto) == "core_group_minutes"
    assert form_type_of([], "C1/02-strategy-discussion.html", onto) == "strategy_discussion"
    assert form_type_of([], "C1/visits.csv#3", onto) == "home_visit_record"
    assert form_type_of([], "C1/misc.txt", onto) == ""


def test_form_id_is_stable_and_words_counted():
    doc = Document("C1/a.txt", "txt", "Name: Ava Jones\nReason: she was late")
    a, b = segment(doc), segment(doc)
    assert a == b
    assert a.words == 5


def test_table_columns_do_not_set_metadata():
    from dupscan.model import Block

    text = "Action\nLead\nDate\nCall GP\nDr Khan\n01/05/2025\nSocial worker: Jo Bell\n"
    cells, pos = [], 0
    for i, line in enumerate(text.split("\n")[:6]):
        cells.append(Block("cell", pos, pos + len(line), table=0, row=i // 3, col=i % 3))
        pos += len(line) + 1
    blocks = (*cells, Block("line", pos, pos + 22))
    form = segment(Document("C1/plan.docx", "docx", text, blocks))
    assert [f.label for f in form.fields] == ["Action", "Lead", "Date", "Social worker"]
    assert form.author == "Jo Bell" and form.date == ""
