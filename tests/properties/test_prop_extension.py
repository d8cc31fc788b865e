"""A case's stored detection, extended by a worker, equals detecting the case whole.

The synthetic generator's cases are cut after some of their forms and detected; the
rest of each case is then added, with the stock sentences changed or not (a sentence
turned stock, or back), an earlier form edited or not, and a full name given in the
new form or not, and detected again from the stored detection (its basis and findings
as the index keeps them, the forms known by their stored texts' digests). Findings,
the report part and the costed part must be those of a detection of the whole case.
"""

from __future__ import annotations

import json
from collections import Counter

import pytest
from hypothesis import given
from hypothesis import strategies as st
from prop_support import bounded

from dupscan.batch.runtables import form_digest
from dupscan.batch.serial import form_to_dict
from dupscan.batch.tasks import CaseUnit, DetectContext, Stages, case_forms, detect_unit
from dupscan.config import ScanOptions
from dupscan.detect.passages import build_units, with_sentences
from dupscan.estimate import Estimator
from dupscan.ingest import ingest
from dupscan.segment import load_templates, segment


@pytest.fixture(scope="module")
def cases(tmp_path_factory):
    """The forms of each generated case (JSON dicts, in case order) and the sentence
    hashes two or more of its forms hold, sorted (the only ones stock changes)."""
    from dupscan.synth import generate

    root = tmp_path_factory.mktemp("extension") / "c"
    generate(root, cases=3, seed=11)
    templates = load_templates(root / "templates")
    out = []
    for folder in sorted(p for p in root.iterdir() if p.is_dir() and p.name != "templates"):
        dicts = [form_to_dict(with_sentences(segment(doc, templates=templates)))
                 for path in sorted(folder.iterdir()) for doc in ingest(path, root=root)]
        for d in dicts:
            d["case_id"] = folder.name
        held = Counter((u.key, u.form)
                       for u in build_units(case_forms(json.dumps(d) for d in dicts)))
        forms_holding = Counter(key for key, _ in held)
        out.append((folder.name, dicts, sorted(k for k, n in forms_holding.items() if n >= 2)))
    return out


_CONTEXT = DetectContext(Stages(), ScanOptions(), part_costing=Estimator().part_costing())


def _unit(case_id, dicts, stock, earlier=None):
    texts = tuple(json.dumps(d) for d in dicts)
    return CaseUnit(case_id, texts, frozenset(stock), report=True, earlier=earlier,
                    digests=tuple(map(form_digest, texts)))


def _append(field, text):
    field["text"] += text
    field["end"] += len(text)


@bounded(25)
@given(data=st.data(), edit=st.booleans(), name=st.booleans(),
       stock_change=st.sampled_from(["none", "add", "drop"]))
def test_an_extended_detection_equals_the_whole_detection(cases, data, edit, name,
                                                          stock_change):
    case_id, dicts, keys = data.draw(st.sampled_from(cases))
    held = data.draw(st.integers(2, len(dicts) - 1))
    before = set(data.draw(st.lists(st.sampled_from(keys), max_size=3)))
    after = set(before)
    if stock_change == "add":
        after.add(data.draw(st.sampled_from(keys)))
    elif stock_change == "drop" and before:
        after.discard(data.draw(st.sampled_from(sorted(before))))
    now = json.loads(json.dumps(dicts))
    narrative = [(i, f) for i, d in enumerate(now) for f in d["fields"]
                 if f["kind"] == "narrative"]
    if edit:  # a sentence added to an earlier form: its digest and its units change
        i, field = data.draw(st.sampled_from([x for x in narrative if x[0] < held]))
        _append(field, " The worker noted this again.")
        now[i].pop("sentences", None)
    if name:  # a full name in the new forms may make aliases of earlier name words
        i, field = data.draw(st.sampled_from([x for x in narrative if x[0] >= held]))
        _append(field, " Sarah Jones attended with the family.")
        now[i].pop("sentences", None)
    first = detect_unit(_CONTEXT, _unit(case_id, dicts[:held], before))
    extended = detect_unit(_CONTEXT, _unit(case_id, now, after, (first.basis, first.findings)))
    whole = detect_unit(_CONTEXT, _unit(case_id, now, after))
    assert whole.part and whole.report
    assert (extended.findings, extended.report, extended.part) == \
        (whole.findings, whole.report, whole.part)
