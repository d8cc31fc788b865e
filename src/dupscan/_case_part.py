"""One costed case as a report keeps it, in a form a scan index can store.

A scan with an index stores each case's part beside its findings. When the
case is unchanged at the next run, the report takes the part as it is: its
forms and findings, already encoded as positional JSON rows
(:mod:`dupscan._rows`), go to the report's spools without being decoded, and
its tallies (a few numbers per form and finding) give the totals. Decoding,
costing and sorting a case's forms and findings again took most of the time
of a scan that finds nothing new (about 7 of 14 s at 100k forms).

The forms and findings also come as ``findings.json`` writes them, one line each
(:func:`~dupscan.report.json.form_line`, :func:`~dupscan.report.json.finding_line`):
the report's spools keep those lines beside the rows, and the file copies them.
Writing 100k findings one by one after the scan took about a second of the scan's
own process, the last step of every scan, and writing 98k forms from their rows
0.1-0.15 s.

The stored part is UTF-8 JSON text only (the index never holds pickles), kept and
read as bytes: the scan's process checks it and appends its rows and lines to the
spools without decoding more of it than its tallies. Five lines, then one line a
form and one line a finding::

    [version, forms, findings, CRC-32 of everything below]
    encode_forms(forms, their fields left empty)
    encode_fields(their fields)
    encode_findings(costed findings)
    [form tallies, finding tallies]
    form_line(each form), one a line
    finding_line(each finding), one a line (none when the case has no findings)
"""

from __future__ import annotations

import json
import zlib
from dataclasses import dataclass
from typing import Any

from dupscan._rows import (decode_fields, decode_findings, decode_forms, encode_fields,
                           encode_findings, encode_forms)
from dupscan._spool import split_fields, with_fields
from dupscan.model import Finding, Form

__all__ = ["CasePart", "FindingTally", "FormTally"]

VERSION = 5
#: ``(case_id, form_type, author, words, date)`` of a form (type and author never empty)
FormTally = tuple[str, str, str, int, str]
#: ``(case_id, kind, words, low, central, high, source type, source field, target type,
#: target field, author)`` of a costed finding
FindingTally = tuple[str, str, int, float, float, float, str, str, str, str, str]


@dataclass(frozen=True, slots=True)
class CasePart:
    """A case's forms and costed findings, encoded, with the tallies its totals need."""

    forms: bytes
    fields: bytes
    findings: bytes
    form_tallies: list[FormTally]
    finding_tallies: list[FindingTally]
    #: the forms as ``findings.json`` writes them, one a line (``\n`` between)
    form_lines: bytes
    #: the findings as ``findings.json`` writes them, one a line (``\n`` between)
    finding_lines: bytes
    #: how many forms and findings the part holds (its tallies may be left undecoded)
    form_count: int = -1
    finding_count: int = -1

    def __post_init__(self) -> None:
        if self.form_count < 0:
            object.__setattr__(self, "form_count", len(self.form_tallies))
        if self.finding_count < 0:
            object.__setattr__(self, "finding_count", len(self.finding_tallies))

    @classmethod
    def build(cls, forms: list[Form], costed: list[Finding], form_tallies: list[FormTally],
              finding_tallies: list[FindingTally]) -> CasePart:
        """The part of one case: ``forms`` in case order with their words set,
        ``costed`` sorted, and their tallies (in the same orders)."""
        from dupscan.report.json import finding_line, form_line

        # split as the report's form spool splits them: the rows are appended to it as they are
        heads, fields = zip(*map(split_fields, forms)) if forms else ((), ())
        return cls(encode_forms(heads).encode(), encode_fields(fields).encode(),
                   encode_findings(costed).encode(), form_tallies, finding_tallies,
                   "\n".join(map(form_line, heads)).encode(),
                   "\n".join(map(finding_line, costed)).encode())

    def decoded_forms(self) -> list[Form]:
        """The forms, with their fields."""
        return [with_fields(form, fields) for form, fields
                in zip(decode_forms(self.forms), decode_fields(self.fields), strict=True)]

    def decoded_findings(self) -> list[Finding]:
        return decode_findings(self.findings)

    def encode(self) -> bytes:
        tallies = json.dumps([self.form_tallies, self.finding_tallies], ensure_ascii=False,
                             separators=(",", ":")).encode()
        # the forms' lines end each in a line break (none when there is no form)
        form_lines = self.form_lines + b"\n" if self.form_tallies else b""
        body = b"\n".join((self.forms, self.fields, self.findings, tallies,
                            form_lines + self.finding_lines))
        header = json.dumps([VERSION, len(self.form_tallies), len(self.finding_tallies),
                             _digest(body)])
        return header.encode() + b"\n" + body

    @classmethod
    def decode(cls, data: bytes | str, *, tallies: bool = True) -> CasePart:
        """Inverse of :meth:`encode` (text is taken as its UTF-8 bytes).

        ``tallies=False`` leaves the tallies out (empty; the counts are kept): for a
        case the report's totals count already, whose rows are only passed on.

        Raises
        ------
        ValueError
            The data is not a part of this version (damaged or written by other code).
        """
        if isinstance(data, str):
            data = data.encode("utf-8", "surrogatepass")
        lines = data.split(b"\n", 5)
        if len(lines) != 6:
            raise ValueError(f"a case part has 6 lines or more, this one {len(lines)}")
        header = json.loads(lines[0])
        # the rows are appended to the report unread: a damaged byte must be caught here
        if (not isinstance(header, list) or len(header) != 4 or header[0] != VERSION
                or header[3] != _digest(memoryview(data)[len(lines[0]) + 1:])):
            raise ValueError("a case part of another version, or damaged")
        form_count, finding_count = header[1:3]
        if not (type(form_count) is int and type(finding_count) is int
                and form_count >= 0 and finding_count >= 0):
            raise ValueError("a case part with damaged counts")
        forms: list[Any] = []
        findings: list[Any] = []
        if tallies:
            both: Any = json.loads(lines[4])
            if (not isinstance(both, list) or len(both) != 2
                    or [len(t) for t in both] != header[1:3]):
                raise ValueError("a case part with damaged tallies")
            forms = [tuple(t) for t in both[0]]
            findings = [tuple(t) for t in both[1]]
            if not (all(map(_is_form_tally, forms))
                    and all(map(_is_finding_tally, findings))):
                raise ValueError("a case part with damaged tallies")
        rest = lines[5]
        end = 0  # the first form lines end at the form_count-th line break
        for _ in range(form_count):
            end = rest.find(b"\n", end) + 1
            if not end:
                raise ValueError("a case part with fewer form lines than forms")
        form_lines, finding_lines = rest[:end - 1] if end else b"", rest[end:]
        if (finding_lines.count(b"\n") + 1 if finding_lines else 0) != finding_count:
            raise ValueError("a case part with another number of finding lines than findings")
        return cls(lines[1], lines[2], lines[3], forms, findings, form_lines, finding_lines,
                   form_count, finding_count)


def _digest(data: bytes | memoryview) -> str:
    """A CRC-32 of the part's bytes: it catches a damaged byte (every burst of up to 32
    bits) at a third of the cost of a cryptographic hash, which the index, holding no
    code, does not need (the parts of a 100k-form scan are some 240 MB)."""
    return f"{zlib.crc32(data):08x}"


# every value tested in line: a generator per tally cost more than reading the part
def _is_form_tally(t: tuple[Any, ...]) -> bool:
    return (len(t) == 5 and type(t[3]) is int and type(t[0]) is str and type(t[1]) is str
            and type(t[2]) is str and type(t[4]) is str)


_NUMBER = (int, float)


def _is_finding_tally(t: tuple[Any, ...]) -> bool:
    return (len(t) == 11 and type(t[2]) is int and type(t[3]) in _NUMBER
            and type(t[4]) in _NUMBER and type(t[5]) in _NUMBER and type(t[0]) is str
            and type(t[1]) is str and type(t[6]) is str and type(t[7]) is str
            and type(t[8]) is str and type(t[9]) is str and type(t[10]) is str)
