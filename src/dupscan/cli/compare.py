"""``dupscan compare A B``: find text of B re-entered from A."""

from __future__ import annotations

import argparse
import json
import sys
from dataclasses import asdict
from pathlib import Path

from dupscan.cli import EXIT_OK, EXIT_USAGE

_PLAIN = {".txt", ".md", ".text", ""}


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "compare",
        help="compare two texts or files: which text of B repeats A",
        description="Compare two files (or text on standard input with '-') as two forms of one "
        "case; A is the earlier form. Prints exact, near and paraphrased re-entry with offsets.",
    )
    parser.add_argument("a", help="the earlier form: a file, or '-' for standard input")
    parser.add_argument("b", help="the later form: a file, or '-' for standard input")
    parser.add_argument("--format", choices=("text", "json"), default="text")
    parser.add_argument("--kinds", default="exact,near,paraphrase",
                        help="kinds to report, comma-separated (default: all)")
    parser.add_argument("--min-words", type=int, default=6,
                        help="shortest re-entry reported, in words (default: 6)")
    parser.add_argument("--embedding", choices=("static", "st"), default="static",
                        help="embedding backend: the shipped static model, or sentence-transformers "
                        "(extra 'st')")
    parser.set_defaults(func=run)


def _read(name: str, stdin_text: str | None) -> str:
    if name == "-":
        return stdin_text or ""
    path = Path(name)
    if path.suffix.lower() in _PLAIN:
        from dupscan.errors import IngestError

        try:
            return path.read_text(encoding="utf-8", errors="replace").replace("\r\n", "\n")
        except OSError as exc:
            raise IngestError(name, exc.strerror or "cannot read file") from exc
    from dupscan.ingest import ingest

    return "\n\n".join(doc.text for doc in ingest(path))


def run(args: argparse.Namespace) -> int:
    from dupscan.detect import compare

    if args.a == "-" and args.b == "-":
        print("dupscan compare: error: only one of A and B can be '-'", file=sys.stderr)
        return EXIT_USAGE
    stdin_text = sys.stdin.read() if "-" in (args.a, args.b) else None
    text_a, text_b = _read(args.a, stdin_text), _read(args.b, stdin_text)
    findings = compare(text_a, text_b, doc_a=args.a, doc_b=args.b, kinds=args.kinds,
                       min_words=args.min_words, embedding=args.embedding)
    if args.format == "json":
        rows = [{k: v for k, v in asdict(f).items() if k != "case_id"} for f in findings]
        print(json.dumps({"findings": rows}, indent=2, ensure_ascii=False))
        return EXIT_OK
    if not findings:
        print("no re-entered text found")
        return EXIT_OK
    for f in findings:
        print(f"{f.kind} (similarity {f.similarity:.2f}, {f.words} words): "
              f"{f.source.doc}[{f.source.start}:{f.source.end}] -> "
              f"{f.target.doc}[{f.target.start}:{f.target.end}]")
        print(f"  A: {f.source.text}")
        print(f"  B: {f.target.text}")
    total = sum(f.words for f in findings)
    print(f"{len(findings)} finding(s), {total} re-entered words")
    return EXIT_OK
