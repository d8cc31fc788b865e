"""In-memory case records: paragraphs, field values and form documents.

The generator builds these, the planter edits them, and the writers lay them out
in a file format. A narrative field is a list of paragraphs; each paragraph keeps
the sentences (facts, wording, slot values) it was rendered from so that a later
form can copy, edit, paraphrase or contradict it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from dupscan.synth.forms import FormSpec
from dupscan.synth.slots import Sentence

__all__ = ["Para", "FieldValue", "FormDoc"]


@dataclass
class Para:
    """A paragraph of a narrative field.

    ``kind`` is ``""`` for original text, otherwise the planted kind; ``group``
    identifies the planted content a re-entry belongs to; ``prefix`` is printed
    before the text (a chronology date) and is not part of the planted text.
    """

    sentences: list[Sentence]
    text: str
    kind: str = ""
    group: int | None = None
    prefix: str = ""

    @property
    def display(self) -> str:
        return self.prefix + self.text


@dataclass
class FieldValue:
    """One field of one form as filled in."""

    key: str
    label: str
    kind: str
    prompt: str = ""
    value: str = ""
    paras: list[Para] = field(default_factory=list)

    @property
    def text(self) -> str:
        if self.kind == "structured":
            return self.value
        return "\n\n".join(p.display for p in self.paras)


@dataclass
class FormDoc:
    """One form of a case: what it is, when, by whom, in which format, and its fields."""

    case_id: str
    index: int
    spec: FormSpec
    date: dt.date
    author: str
    authority: tuple[str, str]
    fmt: str = "txt"
    doc: str = ""
    fields: list[FieldValue] = field(default_factory=list)

    @property
    def form_type(self) -> str:
        return self.spec.form_type

    def field(self, key: str) -> FieldValue | None:
        for f in self.fields:
            if f.key == key:
                return f
        return None
