"""Property tests: offsets are exact, and damaged files only ever raise IngestError."""

from __future__ import annotations

import io
import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dupscan.errors import IngestError
from dupscan.ingest import ingest
from dupscan.model import Document

FAST = settings(max_examples=40, deadline=None,
                suppress_health_check=[HealthCheck.function_scoped_fixture])
PRINTABLE = st.characters(blacklist_categories=("Cc", "Cs", "Co", "Cn"),
                          blacklist_characters="\u2028\u2029\x85")


def _check(docs: list[Document]) -> None:
    for doc in docs:
        for block in doc.blocks:
            assert 0 <= block.start <= block.end <= len(doc.text)


@FAST
@given(lines=st.lists(st.text(PRINTABLE, max_size=30), max_size=12),
       newline=st.sampled_from(["\n", "\r\n", "\r"]), suffix=st.sampled_from([".txt", ".md"]))
def test_text_blocks_are_exactly_the_lines(tmp_path, lines, newline, suffix):
    path = tmp_path / f"note{suffix}"
    path.write_bytes(newline.join(lines).encode("utf-8") or b"x")
    doc, = ingest(path, root=tmp_path)
    expected = "\n".join(lines) or "x"
    assert doc.text == expected
    kept = [line for line in expected.split("\n") if line.strip()]
    in_fence = any(line.lstrip(" ").startswith(("```", "~~~")) for line in kept)
    assert [doc.text[b.start:b.end] for b in doc.blocks] == kept or in_fence


_words = st.text(st.sampled_from("abc xyz£’“”\n\t"), min_size=1, max_size=12)


@st.composite
def _html(draw, depth=0):
    tag = draw(st.sampled_from(["p", "div", "span", "b", "li", "h2", "td", "dt", "dd", "pre",
                                "label", "input", "textarea", "br", "table", "tr", "ul"]))
    if tag in ("input", "br"):
        return f'<{tag} value="{draw(_words).strip()}">'
    inner = "".join(draw(st.lists(_html(depth + 1) if depth < 3 else _words, max_size=3)))
    return f"<{tag}>{draw(_words)}{inner}</{tag}>{draw(_words)}"


@FAST
@given(body=st.lists(_html(), min_size=1, max_size=4))
def test_html_offsets_and_field_values(tmp_path, body):
    path = tmp_path / "page.html"
    path.write_text("<html><body>" + "".join(body) + "</body></html>", encoding="utf-8")
    try:
        docs = ingest(path, root=tmp_path)
    except IngestError as exc:
        assert exc.reason
        return
    _check(docs)
    doc = docs[0]
    for block in doc.blocks:
        text = doc.text[block.start:block.end]
        if block.kind != "cell":
            assert text.strip(), block
        assert "\n" not in text or block.kind in ("cell", "paragraph", "list_item", "heading",
                                                  "form_field")


def _samples(tmp_path) -> dict[str, bytes]:
    import docx
    from reportlab.pdfgen import canvas

    document = docx.Document()
    document.add_heading("Plan", 1)
    document.add_paragraph("Ava will attend school every day.")
    table = document.add_table(rows=2, cols=2)
    table.cell(0, 0).text = "Name"
    table.cell(0, 1).text = "Ava"
    buffer = io.BytesIO()
    document.save(buffer)
    pdf = io.BytesIO()
    c = canvas.Canvas(pdf)
    c.drawString(72, 720, "Strategy discussion notes")
    c.acroForm.textfield(name="who", value="Police and school", x=72, y=600)
    c.save()
    return {
        "form.docx": buffer.getvalue(),
        "form.pdf": pdf.getvalue(),
        "form.html": b"<html><body><h1>T</h1><p>Para</p><table><tr><td>a</td></tr></table>"
                     b"<input value='v'></body></html>",
        "form.csv": b"case_id,notes\nC1,\"a, b\"\nC2,c\n",
        "form.jsonl": json.dumps({"case_id": "C1", "notes": "x"}).encode() + b"\n",
    }


@pytest.fixture(scope="module")
def samples(tmp_path_factory):
    return _samples(tmp_path_factory.mktemp("samples"))


@settings(max_examples=60, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(name=st.sampled_from(["form.docx", "form.pdf", "form.html", "form.csv", "form.jsonl"]),
       cut=st.floats(0.05, 1.0),
       flips=st.lists(st.tuples(st.floats(0, 0.999), st.integers(0, 255)), max_size=8))
def test_damaged_files_only_raise_ingest_error(tmp_path, samples, name, cut, flips):
    data = bytearray(samples[name])
    for where, value in flips:
        data[int(where * len(data))] = value
    data = bytes(data[: max(1, int(len(data) * cut))])
    path = tmp_path / name
    path.write_bytes(data)
    try:
        docs = ingest(path, root=tmp_path)
    except IngestError as exc:
        assert exc.reason and "\n" not in str(exc)
        return
    _check(docs)
