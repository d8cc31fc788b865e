import pytest

from dupscan.redact import redact_report, redact_text

from report_sample import build_report


@pytest.mark.parametrize(("text", "secret", "tag"), [
    ("Spoke to Ms Okafor today.", "Okafor", "[name]"),
    ("Dr. Patel examined Liam.", "Patel", "[name]"),
    ("The visit was on 12/03/2024.", "12/03/2024", "[date]"),
    ("Seen on 2024-03-12 at home.", "2024-03-12", "[date]"),
    ("Seen on Tuesday 5th March 2024.", "5th March", "[date]"),
    ("Next review in March 2025.", "March 2025", "[date]"),
    ("They live at 14 Elm Grove Road with Nan.", "Elm Grove", "[address]"),
    ("Postcode LS6 2AB on file.", "LS6 2AB", "[postcode]"),
    ("Call 0113 496 0000 or 07700-900-123.", "496 0000", "[phone]"),
    ("Mobile +44 7700 900123.", "900123", "[phone]"),
    ("NHS number 943 476 5919 recorded.", "943 476 5919", "[NHS no]"),
    ("Linked to case CR-2024-0012 last year.", "CR-2024-0012", "[case id]"),
    ("Email jane.o@example.org for notes.", "jane.o@example.org", "[email]"),
])
def test_each_class_is_masked(text, secret, tag):
    out = redact_text(text)
    assert secret not in out and tag in out


def test_roles_are_not_names_and_sentence_starts_stay():
    out = redact_text("Mum said Dad was at work. School reported that Kai was late. "
                      "The social worker visited.")
    assert "Mum" in out and "Dad" in out and "School reported" in out
    assert "Kai" not in out and "The social worker" in out


def test_known_names_and_case_ids():
    out = redact_text("Liam went home. Maya stayed. See C001.", names=["Liam Okafor"],
                      case_ids=["C001"])
    assert "Liam" not in out and "C001" not in out and "[case id]" in out
    assert "Maya" in out  # sentence-initial and not a known name: left alone


@pytest.mark.parametrize(("text", "want"), [
    ("Tasha Taylor said she was tired.", "[name] said she was tired."),
    ("Brook Lane flats were damp.", "[name] flats were damp."),
    ("Mum Tasha Taylor came.", "Mum [name] came."),
    ("After Ava arrived, Mum left.", "After [name] arrived, Mum left."),
    ("Dear Ms Okafor, thank you.", "Dear Ms [name], thank you."),
    ("Yesterday Kai Lee was late.", "Yesterday [name] was late."),
])
def test_a_sentence_opening_word_before_a_name_is_part_of_it_unless_common(text, want):
    assert redact_text(text) == want


def test_report_redaction_covers_every_excerpt():
    report = redact_report(build_report())
    texts = [t for f in report.findings for t in (f.source.text, f.target.text)]
    texts += [s.text for s in report.stock_text] + [e for s in report.stock_text
                                                    for e in s.examples]
    joined = " ".join(texts)
    for secret in ("Okafor", "12/03/2024", "0113 496 0000", "14 Elm Grove Road", "LS6 2AB",
                   "Liam"):
        assert secret not in joined, secret
    authors = {r["author"] for r in report.aggregates["author"]}
    assert authors <= {"Author 1", "Author 2", "(unknown)"}
    # offsets are untouched, only the text is masked
    original = build_report()
    assert [f.target.start for f in report.findings] == [f.target.start
                                                         for f in original.findings]


def _finding(case_id, source, target):
    from dupscan.model import Finding, Span

    return Finding(case_id, "near", 0.9, len(target.split()),
                   Span("f1", f"{case_id}/a.txt", "Notes", 0, len(source), source),
                   Span("f2", f"{case_id}/b.txt", "Notes", 0, len(target), target))


def test_a_name_opening_a_sentence_is_masked_when_the_case_names_it_elsewhere():
    from dataclasses import replace

    report = replace(build_report(), findings=(
        _finding("C1", "Kwame said he was hungry.", "Kwame said he was hungry at school."),
        _finding("C1", "Mum took Kwame to the GP.", "Mum took Kwame to the GP on Monday."),
        _finding("C2", "Esther said she slept well.", "Esther said she slept well again."),
        _finding("C3", "Nan saw Esther at the park.", "Nan saw Esther at the park today."),
    ))
    texts = [t for f in redact_report(report).findings for t in (f.source.text, f.target.text)]
    assert not any("Kwame" in t for t in texts)  # named mid-sentence elsewhere in C1
    assert texts[4].startswith("Esther said")  # named only in another case (C3)
    assert "Nan saw [name]" in texts[6]


def test_a_case_learns_its_names_from_all_its_excerpts_in_any_order():
    from dataclasses import replace

    report = replace(build_report(), findings=(
        _finding("C1", "Musa said he was fine.", "Musa said he was fine today."),
        _finding("C2", "Nan was at home.", "Nan was at home again."),
        _finding("C1", "Dad took Musa to school.", "Dad took Musa to school late."),
    ))
    texts = [t for f in redact_report(report).findings for t in (f.source.text, f.target.text)]
    assert not any("Musa" in t for t in texts)


def test_names_written_with_letters_beyond_ascii_are_masked_whole():
    out = redact_text("Later Łukasz said Zoë was fine. Ms Wójcik agreed.", names=["Ștefan Pop"])
    assert out == "Later [name] said [name] was fine. Ms [name] agreed."
    assert redact_text("Ștefan left early.", names=["Ștefan Pop"]) == "[name] left early."


def test_days_languages_and_faiths_mid_sentence_are_not_names():
    out = redact_text("He attends on Thursdays and speaks Polish and Urdu at home; the family "
                      "are Muslim.")
    for word in ("Thursdays", "Polish", "Urdu", "Muslim"):
        assert word in out


def test_person_fields_name_people_among_their_roles_and_places():
    from dupscan.model import Field, Form
    from dupscan.redact import names_in_forms, people_named

    assert people_named("Mrs Grady, Designated Safeguarding Lead, Oakfield Primary School") \
        == ["Mrs Grady"]
    assert people_named("Sarah Jenkins (Social Worker); Ms Khan (mother) and PC Ashby") \
        == ["Sarah Jenkins", "Ms Khan", "PC Ashby"]
    assert people_named("Abena (sister, 5) / Kwame") == ["Abena", "Kwame"]
    assert people_named("Mum, Team Manager, the school, DSL") == []

    def field(label, canonical, text):
        return Field(label, canonical, text, 0, len(text), "structured")

    form = Form("f1", "a.txt", "C1", "assessment", "2024-01-01", (
        field("Parent/carer", "parents_carers", "Ama Mohamed (mother)"),
        field("Referrer", "referrer", "Mrs Grady, Designated Safeguarding Lead, Oakfield Primary"),
        field("School", "school", "Oakfield Primary School"),
        field("Child's name", "child_name", "Tobi Mohamed"),
    ))
    names = names_in_forms([form])
    assert names == ("Ama Mohamed", "Mrs Grady", "Tobi Mohamed")
    # a parent named only at the start of sentences is masked through the form's field
    assert redact_text("Ama is aware of the referral. Oakfield Primary called.",
                       names=names) == "[name] is aware of the referral. Oakfield Primary called."


def test_names_a_report_keeps_for_a_case_are_masked_in_its_excerpts_only():
    from dataclasses import replace

    report = replace(build_report(), findings=(
        _finding("C1", "Fergal moved in last month.", "Fergal moved in last month, Mum said."),
        _finding("C2", "Fergal is a word here.", "Fergal is a word here too."),
    ), case_names={"C1": ("Fergal",)})
    texts = [t for f in redact_report(report).findings for t in (f.source.text, f.target.text)]
    assert texts[:2] == ["[name] moved in last month.", "[name] moved in last month, Mum said."]
    assert texts[2].startswith("Fergal")  # another case, which names no Fergal
