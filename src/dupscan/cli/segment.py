"""``dupscan segment FILE``: show the fields dupscan reads from one form file."""

from __future__ import annotations

import argparse
import json
import shutil
import sys
from pathlib import Path

from dupscan.cli import EXIT_OK, EXIT_USAGE


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "segment",
        help="split one form file into its fields",
        description="Read a form file and print its fields: label as written, canonical field "
        "type, kind (structured/narrative), character offsets into the extracted text and the "
        "value. A CSV/JSONL export prints one form per data row (a JSON list).",
    )
    parser.add_argument("file", help="a txt, md, docx, pdf, html, csv or jsonl file")
    parser.add_argument("--format", choices=("json", "text"), default="json",
                        help="json (default) or a readable table")
    parser.add_argument("--templates", metavar="DIR",
                        help="folder of blank templates whose prompts are removed from values")
    parser.set_defaults(func=run)


def _as_json(form, fields) -> dict:
    return {"doc": form.doc, "form_type": form.form_type,
            "fields": [{"label": f.label, "canonical": f.canonical, "text": f.text,
                        "start": f.start, "end": f.end, "kind": f.kind} for f in fields]}


def _one_line(text: str, width: int) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= width else flat[: max(1, width - 1)] + "\u2026"


def _table(form) -> str:
    head = (f"{form.doc}  form_type={form.form_type or '-'}  case_id={form.case_id or '-'}  "
            f"date={form.date or '-'}  author={form.author or '-'}  words={form.words}")
    rows = [(f.label, f.canonical or "-", f.kind[:6], f"{f.start}-{f.end}", f.text)
            for f in form.fields]
    widths = [min(28, max([len(r[i]) for r in rows] + [len(h)]))
              for i, h in enumerate(("label", "canonical", "kind", "span"))]
    total = shutil.get_terminal_size((120, 20)).columns
    text_width = max(20, total - sum(widths) - 8)
    lines = [head]
    header = ("label", "canonical", "kind", "span")
    lines.append("  ".join(h.ljust(w) for h, w in zip(header, widths)) + "  text")
    for row in rows:
        cells = [_one_line(c, w).ljust(w) for c, w in zip(row[:4], widths)]
        lines.append("  ".join(cells) + "  " + _one_line(row[4], text_width))
    if not rows:
        lines.append("(no fields found)")
    return "\n".join(lines)


def run(args: argparse.Namespace) -> int:
    from dupscan.ingest import ingest
    from dupscan.segment import load_templates, segment

    path = Path(args.file)
    if not path.is_file():
        print(f"dupscan segment: error: {args.file}: no such file", file=sys.stderr)
        return EXIT_USAGE
    templates = load_templates(args.templates) if args.templates else None
    docs = ingest(path, root=path.parent)  # IngestError -> one line, exit 1 (cli.main)
    forms = [segment(doc, templates=templates) for doc in docs]
    if args.format == "json":
        payload = [_as_json(form, form.fields) for form in forms]
        out = payload[0] if len(payload) == 1 else payload
        print(json.dumps(out, ensure_ascii=False, indent=2))
    else:
        print("\n\n".join(_table(form) for form in forms))
    return EXIT_OK
