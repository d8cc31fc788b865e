from dupscan.model import Document, Field, Form
from dupscan.segment import TemplateIndex, find_recurring, segment


TEMPLATE = ("Child and Family Assessment\nReason for assessment\n"
            "Describe why this assessment is being completed.\n"
            "Analysis\nWorries, what is working well and what needs to happen.\n")
FILLED = ("Child and Family Assessment\nReason for assessment:\n"
          "Describe why this assessment is being completed.\nSchool raised concerns about hunger.\n"
          "Analysis:\nAva is often hungry. Worries, what is working well and what needs to happen. "
          "Mum is engaging.\n")


def test_template_prompts_move_start_or_become_stock(check_offsets):
    doc = Document("C1/02_assessment.txt", "txt", FILLED)
    plain = segment(doc)
    assert plain.fields[0].text.startswith("Describe why")
    templates = [Document("templates/assessment.txt", "txt", TEMPLATE)]
    form = segment(doc, templates=templates)
    check_offsets(form, doc)
    assert form.fields[0].text == "School raised concerns about hunger."
    analysis = form.fields[1]
    assert analysis.text.startswith("Ava is often hungry.") and analysis.text.endswith("engaging.")
    assert [doc.text[s:e] for s, e in analysis.stock] == [
        "Worries, what is working well and what needs to happen."]
    assert form.words < plain.words


def test_unfilled_field_is_dropped_and_index_from_forms():
    doc = Document("C1/x.txt", "txt", "Reason for assessment:\nDescribe why this assessment is being completed.\n"
                   "Analysis: Fine.")
    index = TemplateIndex.from_documents([segment(Document("t.txt", "txt", TEMPLATE))])
    form = segment(doc, templates=index)
    assert [f.label for f in form.fields] == ["Analysis"]


def test_template_folder(tmp_path):
    (tmp_path / "assessment.txt").write_text(TEMPLATE, encoding="utf-8")
    doc = Document("C1/02_assessment.txt", "txt", FILLED)
    form = segment(doc, templates=tmp_path)
    assert form.fields[0].text == "School raised concerns about hunger."


def _form(case, text):
    return Form(f"id{case}", f"C{case}/a.txt", f"C{case}", "visit", "",
                (Field("Notes", None, text, 10, 10 + len(text), "narrative"),))


def test_recurring_stock_text_across_cases():
    footer = "This record is confidential and must be stored in line with policy."
    forms = [_form(i, f"Visit number {i} went well today. {footer}") for i in range(6)]
    forms.append(_form(99, "Short line. Another unrelated sentence that is long enough."))
    marked, stock = find_recurring(forms, min_cases=5)
    assert len(stock) == 1 and stock[0].cases == 6 and stock[0].reason == "recurring"
    assert stock[0].text == footer
    for form in marked[:6]:
        (s, e), = form.fields[0].stock
        offset = form.fields[0].start
        assert form.fields[0].text[s - offset:e - offset] == footer
    assert marked[6] is forms[6]
    # the same sentence in fewer cases (one case many times) is not stock text
    same_case = [_form(1, footer) for _ in range(10)]
    assert find_recurring(same_case, min_cases=5)[1] == []


def test_structured_values_are_not_stock():
    value = "Any other ethnic group - Arab origin recorded"
    forms = [Form(str(i), f"C{i}/a.txt", f"C{i}", "x", "",
                  (Field("Ethnicity", "ethnicity", value, 0, len(value), "structured"),))
             for i in range(8)]
    assert find_recurring(forms, min_cases=5)[1] == []
