import json

import pytest

from dupscan.audit import audit, audit_to_dict
from dupscan.estimate import finding_seconds, prefill_seconds
from dupscan.model import Field, Finding, Form, Span
from dupscan.profiles import load_profile

P = load_profile()


def _form(form_type, *fields):
    return Form(form_type, f"{form_type}.docx", "", form_type, "", tuple(
        Field(label, canonical, "", 0, 0, kind) for label, canonical, kind in fields))


NAME = ("Child's name", "child_name", "structured")
DOB = ("Date of birth", "dob", "structured")
GP = ("GP", "gp", "structured")
REASON = ("Reason for referral", "reason_for_referral", "narrative")
FAMILY = ("Family composition", "family_composition", "narrative")
ANALYSIS = ("Analysis", "analysis", "narrative")


def _set():
    return [
        _form("contact_referral", NAME, DOB, REASON, FAMILY),
        _form("child_and_family_assessment", NAME, DOB, GP, REASON, FAMILY, ANALYSIS),
        _form("child_protection_plan", NAME, ("Plan", "plan_objectives", "narrative")),
    ]


def test_shared_questions_matrix_and_order():
    result = audit(_set())
    assert [f.form_type for f in result.forms][:2] == ["contact_referral",
                                                       "child_and_family_assessment"]
    shared = {s.key: s for s in result.shared}
    assert set(shared) == {"child_name", "dob", "reason_for_referral", "family_composition"}
    assert shared["child_name"].asked == 3
    assert shared["child_name"].form_types[0] == "contact_referral"
    matrix = {(r["form_type_a"], r["form_type_b"]): r["shared"] for r in result.matrix}
    assert matrix[("contact_referral", "child_and_family_assessment")] == 4
    assert matrix[("child_and_family_assessment", "contact_referral")] == 4
    assert matrix[("contact_referral", "child_protection_plan")] == 1
    assert matrix[("child_and_family_assessment", "child_and_family_assessment")] == 6


def test_cost_per_set_by_hand():
    result = audit(_set())
    words_s, words_n = 3, 80  # central typical answers from the profile
    structured = prefill_seconds(words_s, 1, P).central  # 2.73 + 3*5*0.28 = 6.93
    assert structured == pytest.approx(2.73 + 3 * 5 * 0.28)
    narrative = finding_seconds("near", words_n, 0.9, P).central
    shared = {s.key: s for s in result.shared}
    assert shared["child_name"].seconds.central == pytest.approx(2 * structured)
    assert shared["dob"].seconds.central == pytest.approx(structured)
    assert shared["reason_for_referral"].seconds.central == pytest.approx(narrative)
    assert result.seconds_per_set.central == pytest.approx(3 * structured + 2 * narrative)
    band = shared["reason_for_referral"].seconds
    assert band.low == pytest.approx(finding_seconds("exact", 40, 1.0, P).low)
    assert band.high == pytest.approx(finding_seconds("paraphrase", 150, 0.7, P).high)


def test_recommendations_merge_and_prefill():
    result = audit(_set())
    text = "\n".join(result.recommendations)
    assert ("Merge the contact referral and the child and family assessment" in text
            or "Merge the child and family assessment and the contact referral" in text)
    assert "Prefill 'Child's name' in the child and family assessment, child protection plan " \
           "from the contact referral (asked 3 times in a set)" in text
    assert "Carry forward 'Reason for referral'" in text
    assert "child protection plan and" not in text  # one shared question is no merge


def test_json_is_deterministic_and_complete():
    a = json.dumps(audit_to_dict(audit(_set())), sort_keys=True)
    b = json.dumps(audit_to_dict(audit(list(reversed(_set())))), sort_keys=True)
    assert a == b
    data = json.loads(a)
    assert data["schema"] == "dupscan.audit/1"
    assert {"forms", "shared", "matrix", "recommendations", "seconds_per_set", "measured",
            "skipped"} <= set(data)


def test_unknown_labels_match_by_wording():
    result = audit([_form("a", ("Favourite colour", None, "structured")),
                    _form("b", ("Favourite  colour:", None, "structured"))])
    assert [s.key for s in result.shared] == ["label:favourite colour"]


def test_measured_reentry_from_a_report_is_attached():
    from dupscan.estimate import estimate

    ref = Form("r1", "C1/ref.docx", "C1", "contact_referral", "2024-01-01", (
        Field("Reason for referral", "reason_for_referral", "x", 0, 1, "narrative"),))
    asmt = Form("a1", "C1/asmt.docx", "C1", "child_and_family_assessment", "2024-02-01", (
        Field("Reason for referral", "reason_for_referral", "x", 0, 1, "narrative"),))
    finding = Finding("C1", "exact", 1.0, 40,
                      Span("r1", ref.doc, "Reason for referral", 0, 1, "x"),
                      Span("a1", asmt.doc, "Reason for referral", 0, 1, "x"))
    report = estimate([ref, asmt], [finding])
    result = audit(_set(), records=report)
    shared = {s.key: s for s in result.shared}
    assert shared["reason_for_referral"].measured["words"] == 40
    assert result.measured[0]["source_key"] == "reason_for_referral"
    assert "measured in the records: 40 words" in "\n".join(result.recommendations)


def test_reads_template_files(tmp_path):
    pytest.importorskip("dupscan.segment")
    (tmp_path / "referral.md").write_text(
        "# Contact and Referral Form\n\n## Details\n\n- Child's name: \n- Date of birth: \n"
        "- Address: \n\n## Reason for referral\n\n> What has happened?\n", encoding="utf-8")
    (tmp_path / "assessment.md").write_text(
        "# Child and Family Assessment\n\n## Details\n\n- Child's name: \n- Date of birth: \n\n"
        "## Reason for assessment\n\n> Why?\n\n## Analysis\n\n> Worries.\n", encoding="utf-8")
    (tmp_path / "broken.pdf").write_bytes(b"%PDF-1.4 not really")
    result = audit([tmp_path])
    keys = {f.doc: [q.key for q in f.questions] for f in result.forms}
    assert keys["referral.md"][:3] == ["child_name", "dob", "address"]
    assert {"child_name", "dob"} <= {s.key for s in result.shared}
    kinds = {q.key: q.kind for f in result.forms for q in f.questions}
    assert kinds["child_name"] == "structured" and kinds.get("analysis") == "narrative"
    assert [s.path for s in result.skipped] == ["broken.pdf"]


def test_html_page_is_self_contained():
    from dupscan.report.audit_html import render_audit_html

    hostile = _form("a<script>alert(1)</script>", NAME, DOB)
    page = render_audit_html(audit([hostile, _form("b", NAME, DOB)]))
    assert "<script>alert(1)" not in page and "&lt;script&gt;alert(1)" in page
    assert "http://" not in page and "https://" not in page
    assert page.count("<svg") == 1 and "Prefill" in page


def test_reads_docx_templates_with_label_tables(tmp_path):
    pytest.importorskip("dupscan.ingest")
    docx = pytest.importorskip("docx")
    for name, heads in (("referral", ["Reason for referral"]),
                        ("assessment", ["Reason for assessment", "Analysis"])):
        doc = docx.Document()
        doc.add_heading(f"{name.title()} Form", 0)
        table = doc.add_table(rows=3, cols=2)
        for i, label in enumerate(["Child's name", "Date of birth", "Address"]):
            table.cell(i, 0).text = label
        for head in heads:
            doc.add_heading(head, 2)
            doc.add_paragraph("")
        doc.save(tmp_path / f"{name}.docx")
    result = audit([tmp_path])
    questions = {f.doc: [(q.key, q.kind) for q in f.questions] for f in result.forms}
    assert questions["referral.docx"] == [("child_name", "structured"), ("dob", "structured"),
                                          ("address", "structured"),
                                          ("reason_for_referral", "narrative")]
    assert ("analysis", "narrative") in questions["assessment.docx"]
    assert {s.key for s in result.shared} == {"child_name", "dob", "address",
                                              "reason_for_referral"}


@pytest.mark.parametrize("layout", ["pdf_text", "pdf_form", "html"])
def test_pdf_and_html_templates_ask_the_questions_of_their_markdown_twin(tmp_path, layout):
    # the same blank forms as markdown (the format the audit was built on) and as
    # PDF or HTML: the audit must find the same questions whatever the format
    pytest.importorskip("reportlab")
    import datetime as dt

    from dupscan.synth import writers_office, writers_text
    from dupscan.synth.forms import FORMS
    from dupscan.synth.record import FieldValue, FormDoc

    write = {"pdf_text": writers_office.write_pdf_text, "pdf_form": writers_office.write_pdf_form,
             "html": writers_text.write_html}[layout]
    suffix = "html" if layout == "html" else "pdf"
    (tmp_path / "md").mkdir()
    (tmp_path / layout).mkdir()
    for form_type in ("contact_referral", "child_family_assessment", "child_protection_plan"):
        spec = FORMS[form_type]
        fields = [FieldValue(key, label, "structured") for key, label in spec.header]
        fields += [FieldValue(f.key, f.label, f.kind, f.prompt) for f in spec.fields]
        doc = FormDoc("", 0, spec, dt.date(2025, 1, 6), "", ("Authority", "Service"), layout,
                      f"{form_type}.{suffix}", fields)
        blank = write(doc)
        target = tmp_path / layout / f"{form_type}.{suffix}"
        (target.write_bytes if isinstance(blank, bytes) else target.write_text)(blank)
        (tmp_path / "md" / f"{form_type}.md").write_text(writers_text.blank_template(spec))

    def questions(folder):
        result = audit([folder])
        assert not result.skipped
        return {f.form_type: [(q.key, q.kind) for q in f.questions] for f in result.forms}, \
            {s.key for s in result.shared}

    expected, expected_shared = questions(tmp_path / "md")
    found, shared = questions(tmp_path / layout)
    assert found == expected
    assert shared == expected_shared and {"child_name", "reason_for_referral"} <= shared
