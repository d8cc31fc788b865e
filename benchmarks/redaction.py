"""Redaction: names left in a report's excerpts, and other words masked as names.

Scans a generated corpus, redacts the report as ``--redact`` does
(:func:`dupscan.redact.redact_report`) and compares every excerpt with its
redacted text. The truth is the generator's own name lists (children, parents,
partners, professionals: ``dupscan.synth.people``), which the redactor never
reads:

* **names left**: capitalised words of the redacted excerpts that are one of
  those names, split by where they stand (opening a sentence or inside one);
* **masked**: the words replaced by ``[name]``, found by aligning each excerpt's
  words with its redacted words; a replaced block counts only when every tag it
  became is ``[name]`` (a date or an address next to a name is its own tag);
  **not names** are the masked capitalised words that are not generated names
  (school and surgery names, service names: over-masking).

Usage::

    python benchmarks/redaction.py CORPUS [CORPUS ...] [--workers 2] [--show 10]
"""

from __future__ import annotations

import argparse
import json
import re
from collections import Counter
from difflib import SequenceMatcher
from pathlib import Path

from dupscan.pipeline import scan
from dupscan.redact import redact_report
from dupscan.synth import people

_CAPITALISED = re.compile(r"[^\W\d_][\w'’-]*")
_POSSESSIVE = re.compile(r"['’]s$")
_TAG = re.compile(r"\[[a-zA-Z ]+\]")


def generated_names() -> frozenset[str]:
    """Every word of every name the generator can give a person."""
    names: set[str] = set()
    for group in people._GROUPS:
        for names_of_kind in group[1:]:
            for name in names_of_kind:
                names.update(name.split())
    for name in people._STAFF_F + people._STAFF_M:
        names.update(name.split())
    return frozenset(names)


def _core(word: str) -> str:
    return _POSSESSIVE.sub("", word.strip(".,;:()\"'“”!?"))


def _opens_sentence(text: str, start: int) -> bool:
    before = text[:start].rstrip()
    return not before or before[-1] in ".!?:;(\"“"


def measure(excerpts: list[tuple[str, str]], names: frozenset[str]) -> dict:
    """Names left and words masked over ``(original, redacted)`` excerpt pairs."""
    left: Counter[str] = Counter()
    where: Counter[str] = Counter()
    shown = masked = 0
    not_names: Counter[str] = Counter()
    for original, redacted in excerpts:
        shown += sum(1 for m in _CAPITALISED.finditer(original) if _core(m.group()) in names)
        for m in _CAPITALISED.finditer(redacted):
            if _core(m.group()) in names:
                left[_core(m.group())] += 1
                where["opening a sentence" if _opens_sentence(redacted, m.start())
                      else "inside a sentence"] += 1
        a, b = original.split(), redacted.split()
        for op, i1, i2, j1, j2 in SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
            tags = [t for w in b[j1:j2] for t in _TAG.findall(w)]
            if op != "replace" or not tags or set(tags) != {"[name]"}:
                continue
            for word in a[i1:i2]:
                core = _core(word)
                if core[:1].isupper():
                    masked += 1
                    if core not in names:
                        not_names[core] += 1
    return {"name_words_shown": shown, "names_left": sum(left.values()),
            "names_left_where": dict(where), "names_left_top": left.most_common(10),
            "masked_words": masked, "masked_not_names": sum(not_names.values()),
            "masked_not_names_top": not_names.most_common(15)}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("corpora", nargs="+", type=Path)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--show", type=int, default=0, help="print this many excerpts left "
                        "with a name")
    args = parser.parse_args(argv)
    names = generated_names()
    for corpus in args.corpora:
        # as `--redact` scans: each case keeps the names its forms use (Report.case_names)
        report = scan(corpus, corpus / "manifest.csv", workers=args.workers, redact=True)
        red = redact_report(report)
        pairs = [(x, y) for a, b in zip(report.findings, red.findings)
                 for x, y in ((a.source.text, b.source.text), (a.target.text, b.target.text))]
        result = {"corpus": str(corpus), "excerpts": len(pairs), **measure(pairs, names)}
        print(json.dumps(result))
        for _, redacted in pairs:
            if args.show and any(_core(w) in names for w in _CAPITALISED.findall(redacted)):
                print("  left:", redacted[:200])
                args.show -= 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
