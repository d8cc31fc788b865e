"""Prefill counted case by case and merged equals the count over all forms at once."""

from __future__ import annotations

import json

from hypothesis import given, settings
from hypothesis import strategies as st

from dupscan.detect.prefill import case_prefill, find_prefill, merge_prefill
from dupscan.model import Field, Form

_forms = st.lists(st.tuples(
    st.sampled_from(["C1", "C2", "C3"]), st.sampled_from(["referral", "plan", "review"]),
    st.sampled_from(["2025-01-01", "2025-02-01"]),
    st.lists(st.tuples(st.sampled_from(["DOB", "Date of birth", "Name", "Child"]),
                       st.sampled_from(["dob", "child_name", None]),
                       st.sampled_from(["3.4.2015", "03.4.2015", "Ava Smith", "Ava Smyth", "x"])),
             max_size=4)), max_size=12)


@settings(max_examples=150, deadline=None)
@given(_forms)
def test_merge_of_case_parts_equals_find_prefill(rows):
    forms = [Form(f"f{i}", f"{case}/{i}.txt", case, ftype, date,
                  tuple(Field(label, canon, text, 0, len(text), "structured")
                        for label, canon, text in fields), order=i)
             for i, (case, ftype, date, fields) in enumerate(rows)]
    by_case: dict[str, list[Form]] = {}
    for form in forms:
        by_case.setdefault(form.case_id, []).append(form)
    # the parts survive a JSON round trip (the index stores them so)
    parts = [json.loads(json.dumps(case_prefill(by_case[c]))) for c in sorted(by_case)]
    assert merge_prefill(parts) == find_prefill(forms)
