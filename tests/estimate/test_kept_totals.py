"""Totals kept from one run and brought up to date equal totals counted again."""

import json

from hypothesis import given, settings
from hypothesis import strategies as st

from dupscan._case_part import CasePart
from dupscan.detect.prefill import PrefillSum
from dupscan.estimate import Estimator

_TYPES = st.sampled_from(["referral", "assessment", "plan", "(unknown)"])
_WORDS = st.sampled_from(["Reason", "Background", "Analysis"])
_SECONDS = st.floats(min_value=0.0, max_value=5000.0, allow_nan=False)


@st.composite
def _case(draw, case_id):
    """One case's tallies: a few forms and findings with any seconds."""
    forms = [(case_id, draw(_TYPES), draw(st.sampled_from(["sw1", "sw2"])),
              draw(st.integers(0, 900)),
              draw(st.sampled_from(["2025-01-03", "2025-02-11", "2025-06-30", "", "bad"])))
             for _ in range(draw(st.integers(0, 4)))]
    findings = [(case_id, draw(st.sampled_from(["exact", "near", "paraphrase"])),
                 draw(st.integers(1, 200)), draw(_SECONDS), draw(_SECONDS), draw(_SECONDS),
                 draw(_TYPES), draw(_WORDS), draw(_TYPES), draw(_WORDS), draw(st.sampled_from(["sw1", "sw2"])))
                for _ in range(draw(st.integers(0, 4)))]
    return forms, findings


@st.composite
def _runs(draw):
    """Two runs over cases C0..Cn: the first's tallies; the second's, where each case is
    the same, changed, gone or new."""
    n = draw(st.integers(1, 8))
    first = {f"C{i}": draw(_case(f"C{i}")) for i in range(n) if draw(st.booleans())}
    second = {}
    for i in range(n + 2):
        case_id = f"C{i}"
        fate = draw(st.sampled_from(["same", "changed", "gone"]))
        if case_id in first and fate == "same":
            second[case_id] = first[case_id]
        elif fate != "gone":
            second[case_id] = draw(_case(case_id))
    return first, second


def _part(tallies):
    return CasePart.build([], [], *tallies)


def _counted(runs):
    est = Estimator(staff=2)
    for case_id in sorted(runs):
        est.add_part(_part(runs[case_id]))
    return est


def _view(report):
    return report.summary, report.aggregates


@settings(max_examples=150, deadline=None)
@given(_runs())
def test_totals_taken_up_and_brought_up_to_date_equal_totals_counted_again(runs):
    first, second = runs
    kept = json.loads(json.dumps(_counted(first).totals_state()))
    est = Estimator(staff=2)
    est.load_totals(kept)
    for case_id in sorted(first):
        if second.get(case_id) != first[case_id]:
            est.subtract_part(*first[case_id])
    for case_id in sorted(second):
        est.add_part(_part(second[case_id]), counted=second[case_id] == first.get(case_id))
    assert _view(est.report()) == _view(_counted(second).report())


@settings(max_examples=60, deadline=None)
@given(st.lists(_case("C"), min_size=2, max_size=6))
def test_seconds_do_not_depend_on_the_order_cases_are_added_in(cases):
    ids = [f"C{i}" for i in range(len(cases))]
    tallies = [([(c, *f[1:]) for f in forms], [(c, *f[1:]) for f in findings])
               for c, (forms, findings) in zip(ids, cases)]
    ahead = Estimator()
    for t in tallies:
        ahead.add_part(_part(t))
    est = Estimator()
    est.load_totals(Estimator().totals_state())
    for t in reversed(tallies):  # only a taken-up estimator accepts cases in any order
        state = est.totals_state()
        est = Estimator()
        est.load_totals(state)
        est.add_part(_part(t))
    assert _view(est.report()) == _view(ahead.report())


_PREFILL_CASE = st.lists(
    st.tuples(st.tuples(st.sampled_from(["dob", "name"]), _TYPES, _TYPES),
              st.integers(1, 3), st.integers(0, 9),
              st.lists(st.tuples(st.sampled_from(["DOB", "Date of birth", "Name"]),
                                 st.integers(1, 2)), min_size=1, max_size=2,
                       unique_by=lambda t: t[0])),
    max_size=3, unique_by=lambda t: t[0])


@settings(max_examples=150, deadline=None)
@given(st.lists(_PREFILL_CASE, max_size=6), st.data())
def test_prefill_sums_taken_up_less_some_cases_equal_the_sums_of_the_others(cases, data):
    gone = data.draw(st.sets(st.integers(0, max(len(cases) - 1, 0))))
    whole = PrefillSum()
    for case in cases:
        whole.add(case)
    kept = PrefillSum()
    kept.load(json.loads(json.dumps(whole.state())))
    rest = PrefillSum()
    for i, case in enumerate(cases):
        if i in gone:
            kept.subtract(case)
        else:
            rest.add(case)
    assert kept.result() == rest.result()
    assert kept.state() == rest.state()


def test_a_prefill_label_tie_goes_to_the_first_by_name_in_any_order():
    key = ("dob", "referral", "assessment")
    one, other = [(key, 1, 3, [("Date of birth", 1)])], [(key, 1, 3, [("DOB", 1)])]
    labels = set()
    for order in ((one, other), (other, one)):
        total = PrefillSum()
        for case in order:
            total.add(case)
        labels.add(total.result()[0].label)
    assert labels == {"DOB"}
