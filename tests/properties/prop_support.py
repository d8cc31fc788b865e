"""Shared settings, strategies and file writers for the property tests.

Example counts are bounded so that the whole folder runs in well under a
minute; the counts are recorded in ``docs/reliability.md``. Runs are
derandomized (the same examples every time, as a CI suite should be); set
``DUPSCAN_HYPOTHESIS=thorough`` to draw ten times as many random examples.
"""

from __future__ import annotations

import csv
import html
import io
import json
import os
import re
import sys
from pathlib import Path

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "reliability"))

from hostile_corpus import docx_bytes  # noqa: E402

THOROUGH = os.environ.get("DUPSCAN_HYPOTHESIS", "") == "thorough"


def bounded(examples: int) -> settings:
    """Settings for one property: ``examples`` examples (x10 when thorough)."""
    return settings(max_examples=examples * (10 if THOROUGH else 1), deadline=None,
                    derandomize=not THOROUGH, database=None, print_blob=True,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large,
                                           HealthCheck.function_scoped_fixture,
                                           HealthCheck.filter_too_much])


# -- realistic record text ------------------------------------------------------

_SENTENCES = [
    "Ava was seen at home with her mother on Tuesday afternoon.",
    "The home was warm, clean and tidy during the visit.",
    "Mum said that the school had raised concerns about attendance.",
    "Ava showed the social worker her bedroom and her new bicycle.",
    "Dad was not present and has not been in contact since March.",
    "The health visitor reported that the baby is gaining weight well.",
    "There were no visible injuries and Ava appeared relaxed.",
    "The family agreed to attend the parenting group every Thursday.",
    "Attendance this term is 60% and the school is worried.",
    "A strategy discussion was held with police and health on 3 May.",
    "Grandmother offered to help with the school run each morning.",
    "Ava said she feels safe at home but misses her brother.",
]
_LABELS = ["Observations", "Reason for referral", "Background", "Child's name",
           "Date of visit", "Analysis", "Plan", "Voice of the child", "Case ID",
           "Concerns", "Next steps", "Notes"]

sentence = st.sampled_from(_SENTENCES)

_edit_word = st.sampled_from(["today", "again", "also", "Ms Smith", "the child", "very"])


@st.composite
def edited(draw, text: str) -> str:
    """``text`` with a few words inserted, deleted or swapped."""
    words = text.split()
    for _ in range(draw(st.integers(0, 3))):
        op = draw(st.sampled_from(["insert", "delete", "swap"]))
        i = draw(st.integers(0, max(0, len(words) - 1)))
        if op == "insert":
            words.insert(i, draw(_edit_word))
        elif op == "delete" and len(words) > 4:
            del words[i]
        elif op == "swap" and words:
            words[i] = draw(_edit_word)
    return " ".join(words)


@st.composite
def form_fields(draw, pool: list[str] | None = None) -> list[tuple[str, str]]:
    """(label, value) pairs; values are 1-3 sentences, partly from ``pool``."""
    labels = draw(st.lists(st.sampled_from(_LABELS), min_size=1, max_size=5, unique=True))
    fields = []
    for label in labels:
        parts = []
        for _ in range(draw(st.integers(1, 3))):
            if pool and draw(st.booleans()):
                parts.append(draw(edited(draw(st.sampled_from(pool)))))
            else:
                parts.append(draw(sentence))
        fields.append((label, " ".join(parts)))
    return fields


# -- writers: one file per format ---------------------------------------------------

FORMAT_SUFFIX = {"txt": ".txt", "md": ".md", "html": ".html", "csv": ".csv",
                 "jsonl": ".jsonl", "docx": ".docx"}
_XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def _docx_text(text: str) -> str:
    return html.escape(_XML_ILLEGAL.sub("", text), quote=False)


def write_form(path: Path, fmt: str, fields: list[tuple[str, str]]) -> Path:
    """Write ``fields`` as one form in format ``fmt`` (text may be arbitrary Unicode)."""
    if fmt in ("txt", "md"):
        head = "# Visit record\n" if fmt == "md" else ""
        body = head + "".join(f"{label}: {value}\n" for label, value in fields)
        path.write_bytes(body.encode("utf-8", "surrogatepass"))
    elif fmt == "html":
        rows = "".join(f"<p><b>{html.escape(label)}:</b> {html.escape(value)}</p>"
                       for label, value in fields)
        path.write_bytes(f"<!DOCTYPE html><html><body><h1>Visit record</h1>{rows}</body></html>"
                         .encode("utf-8", "surrogatepass"))
    elif fmt == "csv":
        buf = io.StringIO()
        writer = csv.writer(buf)
        labels = list(dict.fromkeys(label for label, _ in fields))
        writer.writerow(labels)
        values = dict(fields)
        writer.writerow([values[label] for label in labels])
        path.write_bytes(buf.getvalue().encode("utf-8", "surrogatepass"))
    elif fmt == "jsonl":
        path.write_text(json.dumps(dict(fields)) + "\n", encoding="ascii")
    elif fmt == "docx":
        paras = "".join(f"<w:p><w:r><w:t xml:space=\"preserve\">{_docx_text(label)}: "
                        f"{_docx_text(value)}</w:t></w:r></w:p>" for label, value in fields)
        xml = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<w:document xmlns:w='
               '"http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>'
               f"{paras}</w:body></w:document>")
        path.write_bytes(docx_bytes(xml.encode("utf-8")))
    else:
        raise ValueError(fmt)
    return path
