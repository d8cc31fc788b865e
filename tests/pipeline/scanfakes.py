"""Small, fast stand-ins for the stages, to test orchestration alone.

Importable top-level functions (spawned workers import them by dotted path).
The fake detector reports every sentence of 6+ words seen again later in the
same case, honouring stock spans, so tests can check findings exactly.
"""

from __future__ import annotations

import hashlib
import os
import re
import time
from pathlib import Path

from dupscan.batch.tasks import Stages
from dupscan.errors import IngestError
from dupscan.model import Document, Field, Finding, Form, Span

MODULE = "scanfakes"


def stages(**overrides: str) -> Stages:
    base = {"ingest": f"{MODULE}:ingest", "segment": f"{MODULE}:segment",
            "detect": f"{MODULE}:detect", "find_prefill": f"{MODULE}:find_prefill",
            "find_stock": f"{MODULE}:find_stock", "stock_keys": f"{MODULE}:stock_keys"}
    base.update({k: f"{MODULE}:{v}" for k, v in overrides.items()})
    return Stages(**base)


def ingest(path, *, root=None, limits=None, fmt=None):
    path = Path(path)
    log = os.environ.get("SCANFAKES_LOG")
    if log:  # record every file read, to check what an index run re-reads
        with open(log, "a", encoding="utf-8") as handle:
            handle.write(f"{path.name}\n")
    rel = path.relative_to(root).as_posix() if root else path.name
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise IngestError(rel, "not UTF-8 text") from exc
    if text.startswith("CORRUPT"):
        raise IngestError(rel, "corrupt file")
    if path.suffix == ".csv":  # one document per row: "Label: value|Label: value"
        rows = [r for r in text.splitlines()[1:] if r.strip()]
        return [Document(f"{rel}#{n}", "csv", r.replace("|", "\n"))
                for n, r in enumerate(rows, 1)]
    return [Document(rel, "txt", text.replace("\r\n", "\n"))]


_LINE = re.compile(r"^([A-Za-z][A-Za-z ]{0,30}):[ \t]*(.*)$", re.M)


def segment(doc, *, templates=None, ontology=None):
    if "CRASH_SEGMENT" in doc.text:
        os._exit(7)
    if "RAISE_SEGMENT" in doc.text:
        raise ValueError("cannot segment this")
    fields, meta = [], {"case id": "", "date": "", "form": ""}
    for m in _LINE.finditer(doc.text):
        label, value = m.group(1).strip(), m.group(2)
        if label.lower() in meta:
            meta[label.lower()] = value.strip()
            continue
        kind = "narrative" if len(value.split()) >= 6 else "structured"
        fields.append(Field(label, label.lower().replace(" ", "_"), value, m.start(2), m.end(2),
                            kind))
    form_id = hashlib.sha256(f"{doc.path}\0{doc.text}".encode()).hexdigest()[:16]
    return Form(form_id, doc.path, meta["case id"], meta["form"], meta["date"], tuple(fields))


def _sentences(text: str):
    for m in re.finditer(r"[^.!?]+[.!?]?", text):
        s = m.group().strip()
        if len(s.split()) >= 6:
            start = m.start() + (len(m.group()) - len(m.group().lstrip()))
            yield start, start + len(s), s


def _key(sentence: str) -> str:
    return " ".join(sentence.lower().split())


def detect(forms, *, options=None, exclude=()):
    log = os.environ.get("SCANFAKES_LOG")
    if log and forms:
        with open(log, "a", encoding="utf-8") as handle:
            handle.write(f"detect:{forms[0].case_id}\n")
    if any(f.case_id == os.environ.get("SCANFAKES_CRASH_CASE") for f in forms):
        os._exit(9)
    forms = sorted(forms, key=lambda f: (f.date, f.order))
    if any("HANG_DETECT" in fld.text for f in forms for fld in f.fields):
        time.sleep(600)
    if any("RAISE_DETECT" in fld.text for f in forms for fld in f.fields):
        raise RuntimeError("detector failed")
    seen: dict[str, Span] = {}
    out = []
    for form in forms:
        for fld in form.fields:
            if fld.kind != "narrative":
                continue
            for a, b, sent in _sentences(fld.text):
                start, end = fld.start + a, fld.start + b
                if any(x <= start and end <= y for x, y in fld.stock):
                    continue
                key = _key(sent)
                if key in exclude:
                    continue
                span = Span(form.form_id, form.doc, fld.label, start, end, sent)
                if key in seen and seen[key].form_id != form.form_id:
                    out.append(Finding(form.case_id, "exact", 1.0, len(sent.split()),
                                       seen[key], span))
                else:
                    seen.setdefault(key, span)
    return out


def find_prefill(forms):
    return []


def find_stock(forms_by_case, *, options=None):
    from collections import Counter

    from dupscan.model import StockText

    cases, counts, first = {}, Counter(), {}
    for case_id in sorted(forms_by_case):
        for form in sorted(forms_by_case[case_id], key=lambda f: f.doc):
            for fld in form.fields:
                if fld.kind == "narrative":
                    for _, _, sent in _sentences(fld.text):
                        cases.setdefault(_key(sent), set()).add(case_id)
                        counts[_key(sent)] += 1
                        first.setdefault(_key(sent), (sent, form.doc))
    need = options.stock_min_cases if options is not None else 5
    return [StockText(first[k][0], len(first[k][0].split()), counts[k], len(c), "recurring",
                      (first[k][1],)) for k, c in sorted(cases.items()) if len(c) >= need]


def stock_keys(stock):
    return frozenset(_key(s.text) for s in stock)


SHARED = "The child was seen at home and appeared well cared for today."
STOCK = "This service follows the agreed safeguarding procedures for every family."


def make_corpus(root: Path, cases: int = 4, *, header_cases: bool = False) -> Path:
    """Write ``cases`` folders of three text forms each, with planted repeats."""
    for c in range(1, cases + 1):
        case = f"C{c}"
        folder = root / case
        folder.mkdir(parents=True, exist_ok=True)
        fact = f"Case {case} family reported rent arrears of {c * 100} pounds this month."
        for n, (ftype, date) in enumerate([("referral", "2025-01-0{}"), ("assessment", "2025-02-0{}"),
                                           ("plan", "2025-03-0{}")]):
            head = f"Case ID: {case}\n" if header_cases else ""
            body = (f"{head}Form: {ftype}\nDate: {date.format(c)}\nName: Child {case}\n"
                    f"Summary: {fact} {SHARED if n else 'Visit planned soon.'} {STOCK}\n"
                    f"Notes: Form {n} of case {case} has its own unique wording number {n}.\n")
            (folder / f"0{n}_{ftype}.txt").write_text(body, encoding="utf-8")
    return root


# -- plain unit functions for engine tests ----------------------------------
def work(unit):
    """``n * n``; ``"crash"`` kills the worker, ``"hang"`` sleeps, ``"gil"`` hangs holding
    the interpreter lock, ``"raise"`` fails, ``"sleep S"`` sleeps S seconds and returns
    the unit."""
    if isinstance(unit, str) and unit.startswith("sleep "):
        time.sleep(float(unit.split()[1]))
        return unit
    if unit == "crash":
        os._exit(3)
    if unit == "gil":  # catastrophic backtracking: hangs without releasing the GIL
        re.match(r"(a+)+$", "a" * 64 + "b")
    if unit == "hang":
        time.sleep(600)
    if unit == "raise":
        raise ValueError("bad unit")
    return unit * unit


def mark_pid(folder):
    """Leave a file named after this process in ``folder`` (a warm-up that can be seen)."""
    (Path(folder) / str(os.getpid())).write_text("", encoding="utf-8")


def owned(_unit):
    """Whether this process is one dupscan started (see ``dupscan._own_process``)."""
    from dupscan import _own_process

    return _own_process._OWN
