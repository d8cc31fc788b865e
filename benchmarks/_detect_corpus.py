"""Shared helpers of the detection benchmarks: generated corpora as Forms.

``forms_from_fields`` builds Forms from a corpus's ``fields.jsonl`` (the true
fields, with offsets into a document text made by joining them), which
isolates detection from ingest and segmentation. ``forms_from_pipeline`` reads
the real files with ``dupscan.ingest`` and ``dupscan.segment`` (what users get)
when those stages are installed.
"""

from __future__ import annotations

import csv
import hashlib
import json
import subprocess
import sys
from collections import defaultdict
from pathlib import Path
from typing import Any

from dupscan.model import Field, Finding, Form

ROOT = Path(__file__).resolve().parents[1]


def generate(out: Path, cases: int, seed: int) -> Path:
    """Write a synthetic corpus with ``dupscan generate`` (reused when present)."""
    if (out / "truth.jsonl").is_file() and (out / ".cases").is_file() \
            and (out / ".cases").read_text() == f"{cases} {seed}":
        return out
    try:
        from dupscan.synth.generator import generate as gen
        gen(out, cases=cases, seed=seed)
    except ImportError:
        subprocess.run([sys.executable, "-m", "dupscan", "generate", "--cases", str(cases),
                        "--seed", str(seed), "--out", str(out)], check=True)
    (out / ".cases").write_text(f"{cases} {seed}")
    return out


def _manifest(root: Path) -> dict[str, dict[str, str]]:
    with (root / "manifest.csv").open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    return {r["path"]: {**r, "order": str(i)} for i, r in enumerate(rows)}


def _ontology() -> Any:
    try:
        from dupscan.segment import load_ontology
        return load_ontology()
    except Exception:  # segment stage not available: canonical ids stay unknown
        return None


def forms_from_fields(root: Path) -> dict[str, list[Form]]:
    """Forms of every case of a generated corpus, built from ``fields.jsonl``."""
    manifest = _manifest(root)
    onto = _ontology()
    by_case: dict[str, list[Form]] = defaultdict(list)
    with (root / "fields.jsonl").open(encoding="utf-8") as handle:
        for line in handle:
            row = json.loads(line)
            meta = manifest[row["doc"]]
            text, fields = "", []
            for f in row["fields"]:
                text += f["label"] + ": "
                canonical = onto.lookup(f["label"]) if onto is not None else None
                fields.append(Field(f["label"], canonical, f["text"], len(text),
                                    len(text) + len(f["text"]), f["kind"]))
                text += f["text"] + "\n\n"
            fid = hashlib.blake2b((row["doc"] + text).encode(), digest_size=8).hexdigest()
            by_case[meta["case_id"]].append(Form(
                fid, row["doc"], meta["case_id"], meta["form_type"], meta["date"], tuple(fields),
                author=meta.get("author", ""), order=int(meta["order"])))
    return dict(sorted(by_case.items()))


def forms_from_pipeline(root: Path) -> dict[str, list[Form]] | None:
    """Forms read from the corpus files by ingest + segment, or ``None`` if unavailable."""
    try:
        from dupscan.ingest import ingest
        from dupscan.segment import segment
    except ImportError:
        return None
    import dataclasses

    manifest = _manifest(root)
    by_case: dict[str, list[Form]] = defaultdict(list)
    files = sorted({p.split("#")[0] for p in manifest})
    for rel in files:
        for doc in ingest(root / rel, root=root):
            meta = manifest.get(doc.path)
            if meta is None:
                continue
            form = segment(doc)
            form = dataclasses.replace(form, case_id=meta["case_id"], form_type=meta["form_type"],
                                       date=meta["date"], order=int(meta["order"]))
            by_case[meta["case_id"]].append(form)
    return dict(sorted(by_case.items()))


def finding_dict(f: Finding) -> dict[str, Any]:
    """A finding in DESIGN.md's findings.json schema."""
    def span(s: Any) -> dict[str, Any]:
        return {"form_id": s.form_id, "doc": s.doc, "field": s.field, "start": s.start,
                "end": s.end, "text": s.text}
    return {"case_id": f.case_id, "kind": f.kind, "similarity": f.similarity, "words": f.words,
            "seconds": {"low": f.seconds.low, "central": f.seconds.central,
                        "high": f.seconds.high},
            "source": span(f.source), "target": span(f.target)}


def findings_json(forms_by_case: dict[str, list[Form]], findings: list[dict[str, Any]]) -> str:
    forms = [{"form_id": f.form_id, "doc": f.doc, "case_id": f.case_id, "form_type": f.form_type,
              "date": f.date, "words": f.words} for fs in forms_by_case.values() for f in fs]
    words = sum(f["words"] for f in findings)
    data = {"schema": "dupscan.findings/1",
            "summary": {"forms": len(forms), "words": 0, "reentered_words": words,
                        "seconds": {"low": 0, "central": 0, "high": 0}},
            "forms": forms, "findings": findings, "stock_text": [], "prefill": []}
    return json.dumps(data, indent=1, ensure_ascii=False, sort_keys=True)


def read_truth(root: Path) -> list[dict[str, Any]]:
    with (root / "truth.jsonl").open(encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]
