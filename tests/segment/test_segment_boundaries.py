from dupscan.model import Block, Document
from dupscan.segment import segment


def _pairs(form):
    return [(f.label, f.text) for f in form.fields]


def test_label_value_lines_with_continuation(check_offsets):
    text = ("Northshire County Council\nContact and Referral Form\n"
            "Child's name: Ava Jones\nReason for referral: School saw a bruise.\n"
            "Ava said she fell.\n\nReferrer: Jo Smith, school nurse\n")
    doc = Document("C7/01_contact.txt", "txt", text)
    form = segment(doc)
    check_offsets(form, doc)
    assert _pairs(form) == [("Child's name", "Ava Jones"),
                            ("Reason for referral", "School saw a bruise.\nAva said she fell."),
                            ("Referrer", "Jo Smith, school nurse")]
    assert form.form_type == "contact_referral"  # title line, not a field


def test_value_on_following_lines_and_prose_colon_not_a_label(check_offsets):
    text = ("Parents' views:\nMum said: we are coping.\nDad agreed.\nDecision: NFA\n")
    doc = Document("x.txt", "txt", text)
    form = segment(doc)
    check_offsets(form, doc)
    assert _pairs(form) == [("Parents' views", "Mum said: we are coping.\nDad agreed."),
                            ("Decision", "NFA")]


def test_markdown_headings_and_title(builder, check_offsets):
    text = ("# Child and Family Assessment\n\n## Reason for assessment\nSchool raised concerns.\n\n"
            "## Analysis\nNeeds are unmet.\nMore analysis.\n")
    lines = [(0, 29, "heading", 1), (31, 56, "heading", 2), (57, 80, "line", 0),
             (82, 93, "heading", 2), (94, 110, "line", 0), (111, 125, "line", 0)]
    blocks = tuple(Block(k, s, e, level=lv) for s, e, k, lv in lines)  # type: ignore[arg-type]
    doc = Document("C1/02.md", "md", text, blocks)
    form = segment(doc)
    check_offsets(form, doc)
    assert _pairs(form) == [("Reason for assessment", "School raised concerns."),
                            ("Analysis", "Needs are unmet.\nMore analysis.")]
    assert form.form_type == "child_family_assessment"
    # the same text without blocks reads the same
    assert _pairs(segment(Document("C1/02.md", "md", text))) == _pairs(form)


def test_docx_heading_styles_bold_and_caps(builder, check_offsets):
    builder.add("heading", "Strategy Discussion Record", level=0, style="Title")
    builder.add("paragraph", "Reason for strategy discussion", bold=True, style="Normal")
    builder.add("paragraph", "Police were called to the home.", style="Normal")
    builder.add("paragraph", "INFORMATION SHARED BY AGENCIES", style="Normal")
    builder.add("paragraph", "Health: the school nurse saw Ava twice this term and has no concerns about her growth.", style="Normal")
    builder.add("heading", "Decisions and actions", level=1, style="Heading 1")
    builder.add("paragraph", "Section 47 enquiry to start.", style="Normal")
    doc = builder.doc()
    form = segment(doc)
    check_offsets(form, doc)
    assert [f.label for f in form.fields] == [
        "Reason for strategy discussion", "INFORMATION SHARED BY AGENCIES", "Decisions and actions"]
    # a "Label: sentence." line under a heading is the section's content, not a new field
    assert form.fields[1].text == "Health: the school nurse saw Ava twice this term and has no concerns about her growth."
    assert form.fields[-1].canonical == "decision"
    assert form.form_type == "strategy_discussion"


def test_numbered_sections_but_not_numbered_lists(check_offsets):
    text = ("1. Reason for referral\nConcerns about neglect.\n"
            "2. Actions\n1. Mum to attend the parenting course\n2. School to monitor attendance\n"
            "2.3 Analysis\nThe risks are rising.\n")
    doc = Document("a.txt", "txt", text)
    form = segment(doc)
    check_offsets(form, doc)
    assert [f.label for f in form.fields] == ["Reason for referral", "Actions", "Analysis"]
    assert form.fields[1].text.count("\n") == 1


def test_two_column_and_header_row_tables(builder, check_offsets):
    builder.add("paragraph", "Home Visit Record", bold=True)
    for row, (label, value) in enumerate([("Child's name", "Ava Jones"), ("Date of visit", "03/03/2025"),
                                          ("Observations", "The home was tidy.\nAva was happy.")]):
        builder.add("cell", label, table=0, row=row, col=0)
        builder.add("cell", value, table=0, row=row, col=1)
    for col, label in enumerate(["Action", "Who", "By when"]):
        builder.add("cell", label, table=1, row=0, col=col)
    for col, value in enumerate(["Attend GP appointment", "Mum", "10/03/2025"]):
        builder.add("cell", value, table=1, row=1, col=col)
    doc = builder.doc()
    form = segment(doc)
    check_offsets(form, doc)
    assert _pairs(form) == [("Child's name", "Ava Jones"), ("Date of visit", "03/03/2025"),
                            ("Observations", "The home was tidy.\nAva was happy."),
                            ("Action", "Attend GP appointment"), ("Who", "Mum"),
                            ("By when", "10/03/2025")]
    assert form.form_type == "home_visit_record"
    assert form.date == "2025-03-03"


def test_form_fields_acroform_and_csv(builder, check_offsets):
    builder.add("page", "Contact and Referral Form\nChild's name\nReason for referral")
    builder.add("form_field", "Ava Jones", name="child_name", style="Child's name")
    builder.add("form_field", "She was left alone overnight.", name="txtReasonForReferral")
    doc = builder.doc("C2/01.pdf", "pdf")
    form = segment(doc)
    check_offsets(form, doc)
    assert _pairs(form) == [("Child's name", "Ava Jones"),
                            ("Reason for referral", "She was left alone overnight.")]
    assert [f.canonical for f in form.fields] == ["child_name", "reason_for_referral"]

    text = "case_id: C9\nvisit_date: 2025-01-02\nobservations: Home cold."
    blocks = (Block("form_field", 9, 11, name="case_id"), Block("form_field", 24, 34, name="visit_date"),
              Block("form_field", 49, 59, name="observations"))
    doc = Document("visits.csv#1", "csv", text, blocks, {"row": "1"})
    form = segment(doc)
    check_offsets(form, doc)
    assert _pairs(form) == [("case_id", "C9"), ("visit_date", "2025-01-02"),
                            ("observations", "Home cold.")]
    assert [f.canonical for f in form.fields] == ["case_id", "form_date", "visit_observations"]
    assert (form.case_id, form.date) == ("C9", "2025-01-02")


def test_html_like_blocks_and_list_items(builder, check_offsets):
    builder.add("heading", "Core Group Meeting Minutes", level=1)
    builder.add("heading", "Actions agreed", level=2)
    builder.add("list_item", "1. Mum to attend")
    builder.add("list_item", "2. School to report")
    doc = builder.doc("C3/09.html", "html")
    form = segment(doc)
    check_offsets(form, doc)
    assert _pairs(form) == [("Actions agreed", "1. Mum to attend\n2. School to report")]
    assert form.form_type == "core_group_minutes"


def test_structured_and_narrative_kinds(check_offsets):
    text = ("Ethnicity: White British and some other long words that go on past twelve words here\n"
            "Concerns: Not attending\nNotes: He was calm. She was not.\n")
    doc = Document("a.txt", "txt", text)
    kinds = [f.kind for f in segment(doc).fields]
    assert kinds == ["structured", "structured", "narrative"]


def test_markdown_bullets_prompts_rules_and_markings(check_offsets):
    text = ("# Home Visit Record\n\nNorthshire Council - Children's Services\n\n## Details\n\n"
            "- Child's name: Ava Jones\n- Date of visit: 03/03/2025\n\n## Observations\n\n"
            "> Describe the home conditions.\n\nThe home was warm.\n\nAva was playing.\n\n---\n\n"
            "OFFICIAL-SENSITIVE. Store securely.\n")
    doc = Document("C1/04.md", "md", text)
    form = segment(doc)
    check_offsets(form, doc)
    assert _pairs(form) == [("Child's name", "Ava Jones"), ("Date of visit", "03/03/2025"),
                            ("Observations", "The home was warm.\n\nAva was playing.")]


def test_guidance_lines_and_dated_entries_are_not_labels(check_offsets):
    text = ("1. Significant events\nGuidance: Record significant events in date order.\n\n"
            "08/09/2023 - Strategy Discussion Record: It was agreed that a medical was not needed.\n"
            "10/09/2023 - Home Visit Record: The home was damp.\n\n"
            "2. Analysis of the chronology\n[What patterns does the chronology show?]\n"
            "Safety goal: Rahim will live in a home free from violence for eight weeks or more.\n"
            "OFFICIAL-SENSITIVE. This record contains personal information.\n")
    doc = Document("C2/13_chronology.txt", "txt", text)
    form = segment(doc)
    check_offsets(form, doc)
    assert [f.label for f in form.fields] == ["Significant events", "Analysis of the chronology"]
    assert form.fields[0].text.startswith("08/09/2023") and form.fields[0].text.endswith("damp.")
    assert form.fields[1].text.startswith("Safety goal:") and form.fields[1].text.endswith("more.")
    assert form.form_type == "chronology"


def test_four_column_pairs_and_header_words_row(builder, check_offsets):
    cells = [["Field", "Details"], ["Child's name", "Ava Jones"], ["GP", "Riverside Surgery"]]
    for r, row in enumerate(cells):
        for c, value in enumerate(row):
            builder.add("cell", value, table=0, row=r, col=c)
    grid = [["Name", "Ava Jones", "DOB", "01/02/2015"], ["School", "Hill Primary", "GP", "Dr Lee"]]
    for r, row in enumerate(grid):
        for c, value in enumerate(row):
            builder.add("cell", value, table=1, row=r, col=c)
    doc = builder.doc("C1/x.html", "html")
    form = segment(doc)
    check_offsets(form, doc)
    assert _pairs(form) == [("Child's name", "Ava Jones"), ("GP", "Riverside Surgery"),
                            ("Name", "Ava Jones"), ("DOB", "01/02/2015"),
                            ("School", "Hill Primary"), ("GP", "Dr Lee")]


def test_question_prompts_caps_values_and_title_case_headings(check_offsets):
    text = ("Analysis\nWhat does this visit tell you?\nAva is safe at home.\n"
            "Decision:\nNFA\n"
            "Young Person's Wishes\nShe wants to stay with her nan.\n")
    doc = Document("C1/x.txt", "txt", text)
    form = segment(doc)
    check_offsets(form, doc)
    assert _pairs(form) == [("Analysis", "Ava is safe at home."), ("Decision", "NFA"),
                            ("Young Person's Wishes", "She wants to stay with her nan.")]
    assert form.fields[2].canonical == "child_views"


def test_two_labels_on_one_line(check_offsets):
    text = ("LONDON BOROUGH OF EXAMPLE\nSINGLE ASSESSMENT\n"
            "Child: Jayden Smith     DOB: 12/05/2014\tGender: Male\n"
            "School: Hill Primary | GP: Dr Lee\n"
            "Reason for assessment: Mum said:   we need help. Police: attended twice.\n")
    doc = Document("C1/x.txt", "txt", text)
    form = segment(doc)
    check_offsets(form, doc)
    assert _pairs(form) == [("Child", "Jayden Smith"), ("DOB", "12/05/2014"), ("Gender", "Male"),
                            ("School", "Hill Primary"), ("GP", "Dr Lee"),
                            ("Reason for assessment",
                             "Mum said:   we need help. Police: attended twice.")]
    assert form.form_type == "child_family_assessment"


def test_html_inputs_keep_text_sections_and_drop_printed_labels(builder, check_offsets):
    builder.add("heading", "Child in Need Review", level=1)
    builder.add("heading", "Progress since last review", level=2)
    builder.add("paragraph", "Attendance has risen to 91%.")
    builder.add("paragraph", "Next review date")  # the printed <label> of the input below
    builder.add("form_field", "10 June 2025", name="Next review date")
    doc = builder.doc("C1/review.html", "html")
    form = segment(doc)
    check_offsets(form, doc)
    assert _pairs(form) == [("Progress since last review", "Attendance has risen to 91%."),
                            ("Next review date", "10 June 2025")]
    # in a fillable PDF the page text is the blank form: only the filled fields count
    pdf = Document("C1/review.pdf", "pdf", doc.text, doc.blocks)
    assert _pairs(segment(pdf)) == [("Next review date", "10 June 2025")]


def test_prose_without_labels_and_after_a_short_value(check_offsets):
    text = ("Case Note\nDate: 03/03/2025\nType: Home visit\n\n"
            "I visited the home at 10am. Mum answered the door.\nAva was in her room.\n\n"
            "OFFICIAL-SENSITIVE. This record contains personal information and must be\n"
            "stored securely.\n")
    doc = Document("C1/note.txt", "txt", text)
    form = segment(doc)
    check_offsets(form, doc)
    assert _pairs(form) == [("Date", "03/03/2025"), ("Type", "Home visit"),
                            ("", "I visited the home at 10am. Mum answered the door.\n"
                                 "Ava was in her room.")]
    assert form.fields[2].canonical is None and form.fields[2].kind == "narrative"
    plain = Document("C1/free.txt", "txt", "Visited Ava today. She was well and happy at home.")
    assert _pairs(segment(plain)) == [("", plain.text)]
