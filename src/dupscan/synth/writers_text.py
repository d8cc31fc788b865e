"""Text layouts: plain ``Label: value`` text, markdown, numbered sections, HTML, CSV export.

Each writer takes a :class:`~dupscan.synth.record.FormDoc` and returns the file
content. Field values are written exactly as entered (the truth refers to them),
and guidance is printed apart from the values, as a blank form prints it.
"""

from __future__ import annotations

import csv
import html
import io
from collections.abc import Sequence

from dupscan.synth.forms import CSV_COLUMNS, STOCK_FOOTER, FormSpec
from dupscan.synth.record import FormDoc

__all__ = ["write_txt", "write_md", "write_numbered", "write_html", "write_csv", "blank_template"]


def _paras(text: str) -> list[str]:
    return [p for p in text.split("\n\n") if p]


def write_txt(doc: FormDoc) -> str:
    """Plain text: authority banner, ``Label: value`` lines, narrative under ``Label:``."""
    name, service = doc.authority
    lines = [name.upper(), service, "", doc.spec.title.upper(), "=" * len(doc.spec.title), ""]
    for f in doc.fields:
        if f.kind == "structured":
            lines.append(f"{f.label}: {f.value}")
    for f in doc.fields:
        if f.kind == "narrative":
            lines += ["", f"{f.label}:", f"[{f.prompt}]", ""]
            for p in _paras(f.text):
                lines += [p, ""]
            lines.pop()
    lines += ["", STOCK_FOOTER, ""]
    return "\n".join(lines)


def write_md(doc: FormDoc) -> str:
    """Markdown: ``#`` title, bold labels for details, ``##`` headings per section."""
    name, service = doc.authority
    lines = [f"# {doc.spec.title}", "", f"{name} - {service}", "", "## Details", ""]
    for f in doc.fields:
        if f.kind == "structured":
            lines.append(f"- {f.label}: {f.value}")
    for f in doc.fields:
        if f.kind == "narrative":
            lines += ["", f"## {f.label}", "", f"> {f.prompt}", ""]
            for p in _paras(f.text):
                lines += [p, ""]
            lines.pop()
    lines += ["", "---", "", STOCK_FOOTER, ""]
    return "\n".join(lines)


def write_numbered(doc: FormDoc) -> str:
    """Numbered sections: ``1. Label`` then guidance then the text."""
    name, service = doc.authority
    lines = [f"{name}, {service}", doc.spec.title, ""]
    for f in doc.fields:
        if f.kind == "structured":
            lines.append(f"{f.label}: {f.value}")
    n = 0
    for f in doc.fields:
        if f.kind == "narrative":
            n += 1
            lines += ["", f"{n}. {f.label}", f"Guidance: {f.prompt}", ""]
            for p in _paras(f.text):
                lines += [p, ""]
            lines.pop()
    lines += ["", STOCK_FOOTER, ""]
    return "\n".join(lines)


def write_html(doc: FormDoc) -> str:
    """HTML as exported by a case management system (every value escaped)."""
    e = html.escape
    name, service = doc.authority
    out = ["<!DOCTYPE html>", '<html lang="en">', "<head>", '<meta charset="utf-8">',
           f"<title>{e(doc.spec.title)} - {e(doc.case_id)}</title>", "</head>", "<body>",
           f'<div class="org">{e(name)} - {e(service)}</div>', f"<h1>{e(doc.spec.title)}</h1>"]
    if doc.index % 2:
        out.append('<dl class="demographics">')
        for f in doc.fields:
            if f.kind == "structured":
                out.append(f"<dt>{e(f.label)}</dt><dd>{e(f.value)}</dd>")
        out.append("</dl>")
    else:
        out.append('<table class="demographics"><tbody>')
        for f in doc.fields:
            if f.kind == "structured":
                out.append(f"<tr><th>{e(f.label)}</th><td>{e(f.value)}</td></tr>")
        out.append("</tbody></table>")
    for f in doc.fields:
        if f.kind == "narrative":
            out.append(f'<section><h2>{e(f.label)}</h2>')
            out.append(f'<p class="guidance"><em>{e(f.prompt)}</em></p>')
            out += [f"<p>{e(p)}</p>" for p in _paras(f.text)]
            out.append("</section>")
    out += [f'<footer><p>{e(STOCK_FOOTER)}</p></footer>', "</body>", "</html>", ""]
    return "\n".join(out)


def write_csv(docs: Sequence[FormDoc]) -> str:
    """One CSV export of home visit records: a header row, then one row per visit."""
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow([col for col, _ in CSV_COLUMNS])
    for doc in docs:
        row = []
        for _, key in CSV_COLUMNS:
            fv = doc.field(key)
            row.append(fv.text if fv is not None else "")
        writer.writerow(row)
    return buf.getvalue()


def blank_template(spec: FormSpec) -> str:
    """The blank form in markdown: labels and guidance, no values."""
    lines = [f"# {spec.title}", "", "[Authority name] - [Service]", "", "## Details", ""]
    lines += [f"- {label}: " for _, label in spec.header]
    for f in spec.fields:
        lines += ["", f"## {f.label}", "", f"> {f.prompt}", ""]
    lines += ["---", "", STOCK_FOOTER, ""]
    return "\n".join(lines)
