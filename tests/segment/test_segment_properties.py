"""Property tests: whatever the text and blocks, fields index the text exactly."""

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dupscan.model import Block, Document
from dupscan.segment import segment

_LINES = st.sampled_from([
    "Child's name: Ava Jones", "DOB: 01/02/2015", "## Analysis", "# Child and Family Assessment",
    "1. Reason for referral", "2.1 Health", "ANALYSIS AND PLAN", "Guidance: describe the home.",
    "[What happened?]", "> Record the child's words.", "---", "OFFICIAL-SENSITIVE", "",
    "Mum said: we are fine.", "The home was warm and tidy.", "Decision:", "NFA",
    "08/09/2023 - Visit: home was cold.", "Child: Ava     GP: Dr Lee", "  ", "\t", ":", "::: :",
    "Reason for referral:   ", "- Address: 1 High St", "What are we worried about?",
])


def _check(doc: Document) -> None:
    form = segment(doc)
    for field in form.fields:
        assert 0 <= field.start < field.end <= len(doc.text)
        assert doc.text[field.start:field.end] == field.text
        assert field.text.strip() == field.text and field.text
        assert field.kind in ("structured", "narrative")
    starts = [f.start for f in form.fields]
    assert starts == sorted(starts)


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.one_of(_LINES, st.text(max_size=40)), max_size=25))
def test_plain_text_offsets(lines):
    _check(Document("C1/x.txt", "txt", "\n".join(lines)))


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.tuples(_LINES, st.sampled_from(["heading", "paragraph", "cell", "form_field",
                                                    "list_item", "line"]),
                          st.integers(0, 2), st.integers(0, 3), st.booleans()), max_size=20))
def test_blocks_offsets(items):
    text, blocks = "", []
    for line, kind, row, col, bold in items:
        start = len(text)
        text += line + "\n"
        blocks.append(Block(kind, start, start + len(line), level=1 if kind == "heading" else 0,
                            bold=bold, table=0 if kind == "cell" else -1,
                            row=row if kind == "cell" else -1, col=col if kind == "cell" else -1,
                            name="field_name" if kind == "form_field" else ""))
    _check(Document("C1/x.docx", "docx", text, tuple(blocks)))
