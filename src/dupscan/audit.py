"""Form-set audit: which questions the blank forms of a case record ask again.

Run on blank templates alone, the audit lists the questions each form type asks
(structured fields such as name and date of birth, and narrative prompts such
as "Reason for referral"), maps them to canonical field types
(:func:`dupscan.segment.canonicalise`), finds those asked again by other form
types, counts them in a form type × form type redundancy matrix, and costs the
re-asking for one completed set of forms with the time profile:

- a structured field asked again costs ``klm(field) + words * chars_per_word * K``
  for a typical answer of ``audit.structured_answer_words`` words;
- a narrative prompt asked again costs a typical answer of
  ``audit.narrative_answer_words`` words re-entered, from pasting it unchanged
  (low: the ``exact`` cost) through copying and editing it (central: ``near``,
  similarity 0.9) to writing it again (high: ``paraphrase``).

With completed records as well (``records=``), the re-entry measured by a scan
is attached to each pair of canonical fields.

>>> from dupscan.model import Field, Form
>>> def form(kind, *labels):
...     return Form(kind, kind + ".md", "", kind, "", tuple(
...         Field(lab, lab.lower().replace(" ", "_"), "", 0, 0, "structured") for lab in labels))
>>> result = audit([form("referral", "Name", "DOB"), form("assessment", "Name", "DOB", "GP")])
>>> [(q.key, q.asked) for q in result.shared]
[('dob', 2), ('name', 2)]
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from dupscan._template_questions import (
    Question, TemplateForm, canonical_of, normal_label, read_templates,
)
from dupscan.estimate import finding_seconds, prefill_seconds
from dupscan.model import Report, Seconds, Skipped
from dupscan.profiles import Profile, load_profile

__all__ = ["AuditReport", "Question", "SharedQuestion", "TemplateForm", "audit",
           "audit_to_dict"]

SCHEMA = "dupscan.audit/1"
# typical order of the forms of a children's social care case; others keep input order
_PROCESS_ORDER = ("contact", "referral", "mash", "screening", "strategy", "section47", "s47",
                  "assessment", "icpc", "initial_child_protection", "conference", "plan",
                  "core_group", "rcpc", "review", "visit", "supervision", "chronology",
                  "closure")


@dataclass(frozen=True, slots=True)
class SharedQuestion:
    """A question asked by more than one form type, and what re-asking it costs a set."""

    key: str
    label: str
    kind: str
    form_types: tuple[str, ...]  # in process order; the first is where it is first asked
    seconds_each: Seconds = Seconds()
    seconds: Seconds = Seconds()  # (asked - 1) * seconds_each
    measured: Mapping[str, Any] = field(default_factory=dict, hash=False)

    @property
    def asked(self) -> int:
        return len(self.form_types)


@dataclass(frozen=True, slots=True)
class AuditReport:
    """The result of :func:`audit`."""

    forms: tuple[TemplateForm, ...]
    shared: tuple[SharedQuestion, ...]
    matrix: tuple[Mapping[str, Any], ...]  # rows: form_type_a, form_type_b, shared
    seconds_per_set: Seconds
    recommendations: tuple[str, ...]
    skipped: tuple[Skipped, ...] = ()
    measured: tuple[Mapping[str, Any], ...] = ()
    profile: str = "default"


def _rank(form_type: str, given: int) -> tuple[int, int]:
    name = form_type.lower()
    for i, word in enumerate(_PROCESS_ORDER):
        if word in name:
            return (i, given)
    return (len(_PROCESS_ORDER), given)


def _reask_seconds(kind: str, profile: Profile) -> Seconds:
    if kind == "structured":
        words = profile.band("audit", "structured_answer_words")
        return Seconds(*(prefill_seconds(round(words.at(lv)), 1, profile).__getattribute__(lv)
                         for lv in ("low", "central", "high")))
    words = profile.band("audit", "narrative_answer_words")
    low = finding_seconds("exact", round(words.low), 1.0, profile).low
    central = finding_seconds("near", round(words.central), 0.9, profile).central
    high = finding_seconds("paraphrase", round(words.high), 0.7, profile).high
    return Seconds(*sorted((low, central, high)))


def _measured(report: Report) -> list[dict[str, Any]]:
    """Measured re-entry by pair of canonical fields (source and target form types too)."""
    canon: dict[tuple[str, str], str | None] = {}
    types: dict[str, str] = {}
    for form in report.forms:
        types[form.form_id] = form.form_type
        for f in form.fields:
            canon.setdefault((form.form_id, f.label), f.canonical)

    def key(span: Any) -> str:
        found = canon.get((span.form_id, span.field))
        if found is None:
            found = canonical_of(span.field) if span.field else None
        return found or f"label:{normal_label(span.field)}"

    rows: dict[tuple[str, str, str, str], dict[str, Any]] = {}
    for finding in report.findings:
        k = (types.get(finding.source.form_id, ""), key(finding.source),
             types.get(finding.target.form_id, ""), key(finding.target))
        row = rows.setdefault(k, {"source_form_type": k[0], "source_key": k[1],
                                  "target_form_type": k[2], "target_key": k[3], "findings": 0,
                                  "words": 0, "seconds_central": 0.0})
        row["findings"] += 1
        row["words"] += finding.words
        row["seconds_central"] += finding.seconds.central
    return sorted(rows.values(), key=lambda r: (-r["seconds_central"], r["source_form_type"],
                                                r["source_key"], r["target_form_type"],
                                                r["target_key"]))


def _records_report(records: Any, templates: Sequence[Any]) -> Report:
    """A scan of ``records``: a Report as given, a findings.json read back, or a folder
    scanned (with its manifest.csv when present, and the template folder as stock text)."""
    if isinstance(records, Report):
        return records
    path = Path(os.fspath(records))
    if path.is_file() and path.suffix == ".json":
        from dupscan.report.json import load_findings

        return load_findings(path)
    from dupscan.pipeline import scan

    options: dict[str, Any] = {}
    folders = [Path(os.fspath(t)) for t in templates if isinstance(t, (str, os.PathLike))]
    if len(folders) == 1 and folders[0].is_dir():
        options["templates"] = folders[0]
    manifest = path / "manifest.csv"
    return scan(path, manifest if manifest.is_file() else None, **options)


def _recommend(forms: Sequence[TemplateForm], shared: Sequence[SharedQuestion],
               matrix: Sequence[Mapping[str, Any]]) -> tuple[str, ...]:
    """Merge pairs of forms that share most of their narrative questions; prefill or
    carry forward each question asked again. Largest saving per set first."""
    from dupscan.report._format import humanise

    narrative = {f.form_type: sum(q.kind == "narrative" for q in f.questions) for f in forms}
    each = {q.key: q.seconds_each.central for q in shared}
    recs: list[tuple[float, str]] = []
    for row in matrix:
        a, b = row["form_type_a"], row["form_type_b"]
        n, total = row["shared_narrative"], row["shared"]
        smaller = min(narrative.get(a, 0), narrative.get(b, 0))
        if a < b and n >= 2 and n / smaller >= 0.5:
            saving = sum(each.get(k, 0.0) for k in row["keys"])
            recs.append((saving, f"Merge the {humanise(a)} and the {humanise(b)}: they ask "
                                 f"{n} of the same narrative questions ({n / smaller:.0%} of the "
                                 f"shorter form's) and {total - n} of the same details; one form "
                                 f"would save about {saving / 60:.0f} minutes per case that "
                                 "completes both."))
    for q in shared:
        first, later = q.form_types[0], q.form_types[1:]
        where = ", ".join(humanise(t) for t in later)
        verb = "Prefill" if q.kind == "structured" else "Carry forward"
        extra = ""
        if q.measured.get("words"):
            extra = (f"; measured in the records: {q.measured['words']:,} words re-entered, "
                     f"{q.measured['hours_central']:.1f} hours")
        recs.append((q.seconds.central,
                     f"{verb} '{q.label}' in the {where} from the {humanise(first)} "
                     f"(asked {q.asked} times in a set): saves about "
                     f"{q.seconds.central / 60:.1f} minutes per completed set{extra}."))
    recs.sort(key=lambda r: (-r[0], r[1]))
    return tuple(text for _, text in recs)


def audit(templates: Iterable[Any], *, records: Any = None,
          profile: Profile | str | os.PathLike[str] | None = None) -> AuditReport:
    """Audit a set of blank forms for questions asked more than once.

    Parameters
    ----------
    templates : iterable of path, Document, Form or TemplateForm
        Template files or folders (read with :func:`dupscan.ingest` and
        :func:`dupscan.segment`), or forms built by hand.
    records : path, Report or findings.json path, optional
        Completed records to scan (or a scan's report): the measured re-entry is
        attached to each shared question and listed by canonical field pair.
    profile : Profile or path, optional
        Time profile; the shipped default when omitted.

    Returns
    -------
    AuditReport
    """
    prof = profile if isinstance(profile, Profile) else load_profile(profile)
    templates = list(templates)
    forms, skipped = read_templates(templates)
    order: dict[str, int] = {}
    for i, f in enumerate(forms):
        order.setdefault(f.form_type, i)
    forms.sort(key=lambda f: (_rank(f.form_type, order[f.form_type]), f.doc))
    types = list(dict.fromkeys(f.form_type for f in forms))
    asked: dict[str, list[str]] = {}
    first: dict[str, Question] = {}
    for f in forms:
        for q in f.questions:
            if f.form_type not in asked.setdefault(q.key, []):
                asked[q.key].append(f.form_type)
            first.setdefault(q.key, q)
    scanned = _records_report(records, templates) if records is not None else None
    measured_rows = _measured(scanned) if scanned is not None else []
    prefilled: dict[str, list[Any]] = {}
    for p in scanned.prefill if scanned is not None else ():
        prefilled.setdefault(p.canonical, []).append(p)
    shared = []
    for key, where in asked.items():
        if len(where) < 2:
            continue
        q = first[key]
        each = _reask_seconds(q.kind, prof)
        hit = [r for r in measured_rows if key in (r["source_key"], r["target_key"])]
        typed = prefilled.get(key, [])
        measured = ({"findings": sum(r["findings"] for r in hit) + sum(p.occurrences
                                                                       for p in typed),
                     "words": sum(r["words"] for r in hit) + sum(p.words for p in typed),
                     "hours_central": round((sum(r["seconds_central"] for r in hit)
                                             + sum(p.seconds.central for p in typed)) / 3600, 3)}
                    if hit or typed else {})
        shared.append(SharedQuestion(key, q.label, q.kind, tuple(where), each,
                                     each.scaled(len(where) - 1), measured))
    shared.sort(key=lambda s: (-s.seconds.central, s.key))
    keys = {t: {q.key for f in forms if f.form_type == t for q in f.questions} for t in types}
    kinds = {q.key: q.kind for q in first.values()}
    matrix = tuple({"form_type_a": a, "form_type_b": b, "shared": len(keys[a] & keys[b]),
                    "shared_narrative": sum(kinds[k] == "narrative" for k in keys[a] & keys[b]),
                    "keys": sorted(keys[a] & keys[b])}
                   for a in types for b in types)
    total = sum((s.seconds for s in shared), Seconds())
    return AuditReport(tuple(forms), tuple(sorted(shared, key=lambda s: (-s.seconds.central,
                                                                          s.key))),
                       matrix, total, _recommend(forms, shared, matrix),
                       tuple(sorted(skipped, key=lambda s: s.path)),
                       tuple(_round_row(r) for r in measured_rows), prof.name)


def _round_row(row: Mapping[str, Any]) -> dict[str, Any]:
    """A measured row with its seconds rounded for output."""
    return {**row, "seconds_central": round(float(row["seconds_central"]), 3)}


def _sec(s: Seconds) -> dict[str, float]:
    return {"low": round(s.low, 3), "central": round(s.central, 3), "high": round(s.high, 3)}


def audit_to_dict(result: AuditReport) -> dict[str, Any]:
    """The audit as JSON-ready data (schema ``dupscan.audit/1``), deterministic."""
    return {
        "schema": SCHEMA,
        "profile": result.profile,
        "seconds_per_set": _sec(result.seconds_per_set),
        "forms": [{"form_type": f.form_type, "doc": f.doc,
                   "questions": [{"key": q.key, "label": q.label, "kind": q.kind}
                                 for q in f.questions]} for f in result.forms],
        "shared": [{"key": s.key, "label": s.label, "kind": s.kind,
                    "form_types": list(s.form_types), "asked": s.asked,
                    "seconds_each": _sec(s.seconds_each), "seconds": _sec(s.seconds),
                    "measured": dict(sorted(s.measured.items()))} for s in result.shared],
        "matrix": [dict(sorted(r.items())) for r in result.matrix],
        "recommendations": list(result.recommendations),
        "measured": [dict(sorted(r.items())) for r in result.measured],
        "skipped": [{"path": s.path, "reason": s.reason} for s in result.skipped],
    }

