from dupscan.config import ScanOptions
from dupscan.detect import detect, find_prefill, find_stock, stock_keys
from dupscan.model import Field, Form


def _form(fid, case, ftype, date, fields):
    out, pos = [], 0
    for label, canonical, text, kind in fields:
        out.append(Field(label, canonical, text, pos, pos + len(text), kind))
        pos += len(text) + 1
    return Form(fid, f"{case}/{fid}.txt", case, ftype, date, tuple(out))


def test_prefill_aggregates_by_field_type_and_form_pair():
    forms = []
    for case in ("C1", "C2"):
        forms += [
            _form(f"{case}a", case, "referral", "2025-01-01",
                  [("DOB", "dob", "03/04/2015", "structured"),
                   ("Address", "address", "1 High St, Leeds", "structured")]),
            _form(f"{case}b", case, "assessment", "2025-02-01",
                  [("Date of birth", "dob", "03/04/2015", "structured"),
                   ("Address", "address", "1 High Street, Leeds", "structured")]),
            _form(f"{case}c", case, "plan", "2025-03-01",
                  [("DOB", "dob", "03/04/2015", "structured"),
                   ("Address", "address", "9 Other Road, York", "structured")]),
        ]
    got = {(p.canonical, p.source_form_type, p.target_form_type): p.occurrences
           for p in find_prefill(forms)}
    assert got[("dob", "referral", "assessment")] == 2
    assert got[("dob", "referral", "plan")] == 2
    assert got[("address", "referral", "assessment")] == 2
    assert ("address", "referral", "plan") not in got  # a different address is not re-typed


def test_narrative_fields_are_not_prefill():
    forms = [_form(f"f{i}", "C1", "note", f"2025-0{i + 1}-01",
                   [("Notes", "notes", "Same long narrative text here.", "narrative")])
             for i in range(2)]
    assert find_prefill(forms) == []


def test_stock_text_recurs_across_cases_and_is_excluded_from_detection():
    stock = "This form must be shared with the family unless doing so would place the child at risk."
    own = "Ava told me she was hit by Dad with a belt when she would not go to bed last night."
    by_case = {}
    for i in range(6):
        case = f"C{i}"
        by_case[case] = [
            _form(f"{case}a", case, "referral", "2025-01-01",
                  [("Notes", None, stock + " " + own.replace("Ava", f"Child{i}"), "narrative")]),
            _form(f"{case}b", case, "plan", "2025-02-01",
                  [("Notes", None, stock + " " + own.replace("Ava", f"Child{i}"), "narrative")]),
        ]
    found = find_stock(by_case, options=ScanOptions(stock_min_cases=5))
    assert [s.text for s in found] == [stock]
    assert found[0].cases == 6 and found[0].occurrences == 12
    keys = stock_keys(found)
    findings = detect(by_case["C0"], exclude=keys)
    assert len(findings) == 1 and "Dad with a belt" in findings[0].target.text
    assert stock not in findings[0].target.text
    assert find_stock(by_case, options=ScanOptions(stock_min_cases=7)) == []


def test_stock_text_a_case_holds_in_one_form_only_is_compared_like_any_other():
    stock = "The family were told about the service and how to contact the duty team."
    edited = "The family were told about the service and how to contact the duty social worker."
    own = "Ava told me she was hit by Dad with a belt when she would not go to bed last night."
    forms = [_form("a", "C0", "referral", "2025-01-01", [("Notes", None, stock, "narrative")]),
             _form("b", "C0", "plan", "2025-02-01",
                   [("Notes", None, edited + " " + own, "narrative")])]
    from dupscan.detect.normalise import norm_hash

    keys = {norm_hash(stock)}
    # one form holds the stock sentence: it stays, and its edited re-entry is found
    (found,) = detect(forms, exclude=keys)
    assert found.kind == "near" and found.source.text == stock and found.target.text == edited
    # held by both forms, it is left out: no finding
    repeated = [forms[0], _form("b", "C0", "plan", "2025-02-01",
                                [("Notes", None, stock + " " + own, "narrative")])]
    assert detect(repeated, exclude=keys) == []
    assert len(detect(repeated)) == 1
