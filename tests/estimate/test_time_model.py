"""The time model against hand calculations from the default profile's figures.

Central figures used below (dupscan/profiles/default.toml):
composition 19 wpm, transcription 52 wpm, reading 238 wpm; KLM K=0.28, P=1.1,
H=0.4, M=1.35 s; paste = 2M+H+4P+8K = 9.74 s; link = M+P+K = 2.73 s;
one edit = M+P+K + 5 keystrokes = 4.13 s; retype share 0.25.
Low: 25/72/300 wpm, K=0.2, P=0.8, share 0. High: 13/31/175 wpm, K=0.5, P=1.5, share 1.
"""

import math
import random

import pytest

from dupscan.errors import ConfigError
from dupscan.estimate import (
    estimate, finding_seconds, period_from_dates, prefill_seconds, recording_seconds,
)
from dupscan.model import Field, Finding, Form, Prefill, Seconds, Span
from dupscan.profiles import load_profile

P = load_profile()


def test_exact_hand_calculation():
    s = finding_seconds("exact", 50, 1.0, P)
    central = 0.75 * (9.74 + 50 * 60 / 238) + 0.25 * (50 * 60 / 52) - 2.73
    low = (2 * 1.35 + 0.4 + 4 * 0.8 + 8 * 0.2) + 50 * 60 / 300 - (1.35 + 0.8 + 0.2)
    high = 50 * 60 / 31 - (1.35 + 1.5 + 0.5)
    assert s.central == pytest.approx(central) == pytest.approx(28.4521, abs=1e-3)
    assert s.low == pytest.approx(low) == pytest.approx(15.55)
    assert s.high == pytest.approx(high) == pytest.approx(93.4242, abs=1e-3)


def test_near_adds_word_edits():
    s = finding_seconds("near", 20, 0.85, P)
    edits = 3  # ceil(20 * 0.15)
    central = 0.75 * (9.74 + 20 * 60 / 238) + 0.25 * (20 * 60 / 52) + edits * 4.13 - 2.73
    assert s.central == pytest.approx(central)
    # similarity on a 0-100 scale means the same
    assert finding_seconds("near", 20, 85, P) == s
    # at least one edit even when similarity is 1
    one = finding_seconds("near", 20, 1.0, P).central - finding_seconds("exact", 20, 1.0, P).central
    assert one == pytest.approx(4.13)


def test_paraphrase_is_recomposition_minus_link():
    s = finding_seconds("paraphrase", 38, 0.7, P)
    assert s == Seconds(pytest.approx(38 * 60 / 25 - 2.35), pytest.approx(120 - 2.73),
                        pytest.approx(38 * 60 / 13 - 3.35))


def test_bands_are_ordered_and_never_negative():
    for kind in ("exact", "near", "paraphrase"):
        for words in (0, 1, 2, 6, 40, 500):
            s = finding_seconds(kind, words, 0.9, P)
            assert 0 <= s.low <= s.central <= s.high
    assert finding_seconds("paraphrase", 0, 1.0, P) == Seconds(0, 0, 0)


def test_unknown_kind_rejected():
    with pytest.raises(ConfigError, match="unknown finding kind"):
        finding_seconds("fuzzy", 10, 1.0, P)


def test_prefill_and_recording():
    assert prefill_seconds(6, 3, P).central == pytest.approx(3 * 2.73 + 6 * 5 * 0.28)
    assert prefill_seconds(6, 3, P).low == pytest.approx(3 * 2.35 + 6 * 5 * 0.2)
    assert recording_seconds(1900, P) == Seconds(pytest.approx(1900 * 60 / 25), 6000.0,
                                                 pytest.approx(1900 * 60 / 13))


def test_period_from_dates():
    assert period_from_dates(["2024-01-01", "2024-06-30"]) == 182.0
    assert period_from_dates(["2024-01-01", "2024-01-01", "bad", ""]) is None
    assert period_from_dates([]) is None


def _span(form, field, text):
    return Span(form.form_id, form.doc, field, 0, len(text), text)


def _forms():
    f = []
    for i, (case, ftype, date, author, words) in enumerate([
        ("C1", "referral", "2024-01-01", "A. Worker", 400),
        ("C1", "assessment", "2024-02-01", "B. Worker", 1000),
        ("C1", "conference", "2024-03-01", "B. Worker", 600),
        ("C2", "referral", "2024-04-01", "A. Worker", 300),
        ("C2", "assessment", "2024-06-30", "", 0),
    ]):
        fields = (Field("Summary", "summary", "word " * 200, 0, 1000, "narrative"),) if not words \
            else ()
        f.append(Form(f"f{i}", f"{case}/{i}_{ftype}.docx", case, ftype, date, fields,
                      author=author, order=i, words=words))
    return f


def _findings(forms):
    r1, a1, c1, r2, a2 = forms
    return [
        Finding("C1", "exact", 1.0, 50, _span(r1, "Reason", "x"), _span(a1, "Background", "x")),
        Finding("C1", "paraphrase", 0.7, 38, _span(a1, "Analysis", "y"), _span(c1, "Summary", "y")),
        Finding("C1", "near", 0.85, 20, _span(r1, "Reason", "z"), _span(c1, "Background", "z")),
        Finding("C2", "exact", 1.0, 30, _span(r2, "Reason", "w"), _span(a2, "Background", "w")),
    ]


def test_estimate_totals_aggregates_and_annualising():
    forms = _forms()
    report = estimate(forms, _findings(forms), prefill=[
        Prefill("child_dob", "Date of birth", "referral", "assessment", 3, 6)], staff=4)
    s = report.summary
    assert s.words == 400 + 1000 + 600 + 300 + 200  # last form's words counted from its fields
    assert s.reentered_words == 50 + 38 + 20 + 30 + 6
    expected = (finding_seconds("exact", 50, 1, P) + finding_seconds("paraphrase", 38, .7, P)
                + finding_seconds("near", 20, .85, P) + finding_seconds("exact", 30, 1, P)
                + prefill_seconds(6, 3, P))
    assert s.seconds.central == pytest.approx(expected.central)
    assert s.recording_seconds.central == pytest.approx(2500 * 60 / 19)
    (totals,) = report.aggregates["totals"]
    assert totals["period_days"] == 182.0 and totals["period_source"] == "form dates"
    factor = 365.25 / 182
    assert totals["annual_hours_central"] == pytest.approx(expected.central / 3600 * factor,
                                                           abs=1e-3)
    assert totals["hours_per_worker_week_central"] == pytest.approx(
        expected.central / 3600 * factor / 4 / 46.6, abs=1e-3)
    assert totals["share_of_recording_central"] == pytest.approx(
        expected.central / (2500 * 60 / 19), abs=1e-4)
    assert totals["share_of_words"] == pytest.approx(144 / 2500, abs=1e-4)
    # per-dimension rows add up to the findings' total
    finding_total = sum(f.seconds.central for f in report.findings)
    for key in ("case", "form_type", "form_type_pair", "field_pair", "author", "kind"):
        rows = report.aggregates[key]
        assert sum(r["seconds_central"] for r in rows) == pytest.approx(finding_total, abs=1e-2)
        centrals = [r["seconds_central"] for r in rows]
        assert centrals == sorted(centrals, reverse=True)
    pairs = {(r["source_form_type"], r["target_form_type"]): r
             for r in report.aggregates["form_type_pair"]}
    assert pairs[("referral", "assessment")]["reentered_words"] == 80
    assert pairs[("referral", "assessment")]["target_words"] == 1200
    assert pairs[("referral", "assessment")]["share_of_target_words"] == pytest.approx(80 / 1200,
                                                                                     abs=1e-4)
    authors = {r["author"]: r for r in report.aggregates["author"]}
    assert authors["B. Worker"]["reentered_words"] == 50 + 38 + 20
    assert authors["(unknown)"]["reentered_words"] == 30


def test_estimate_is_independent_of_input_order():
    forms = _forms()
    findings = _findings(forms)
    a = estimate(forms, findings)
    random.Random(3).shuffle(forms)
    random.Random(4).shuffle(findings)
    b = estimate(forms, findings)
    assert a.findings == b.findings and a.forms == b.forms
    assert a.aggregates == b.aggregates


def test_period_given_and_short_period_not_annualised():
    forms = _forms()
    given = estimate(forms, _findings(forms), period_days=365.25)
    (t,) = given.aggregates["totals"]
    assert t["annual_factor"] == 1.0 and t["period_source"] == "given"
    assert t["annual_hours_central"] == pytest.approx(t["hours_central"])
    short = [f for f in forms if f.date in ("2024-01-01", "2024-02-01")][:1]
    (t2,) = estimate(short + [forms[1]], []).aggregates["totals"]
    assert t2["period_days"] == 32.0 and t2["annual_factor"] == pytest.approx(365.25 / 32)
    tight = estimate([forms[0], Form("x", "x", "C1", "t", "2024-01-10", ())], []).aggregates
    assert tight["totals"][0]["annual_factor"] is None
    assert "too short" in tight["totals"][0]["period_source"]


def test_staff_and_period_validated():
    with pytest.raises(ConfigError, match="staff"):
        estimate([], [], staff=0)
    with pytest.raises(ConfigError, match="period_days"):
        estimate([], [], period_days=-3)


def test_options_supply_defaults():
    from dupscan.config import ScanOptions

    forms = _forms()
    report = estimate(forms, _findings(forms), options=ScanOptions(period_days=91.3125, staff=2))
    (t,) = report.aggregates["totals"]
    assert t["annual_factor"] == 4.0 and t["staff"] == 2
    assert report.options["time_model"]["profile"] == "default"


def test_every_profile_figure_cites_a_source():
    import tomllib
    from importlib import resources

    data = tomllib.loads(resources.files("dupscan.profiles").joinpath("default.toml")
                         .read_text("utf-8"))
    for section, body in data.items():
        if section == "profile":
            continue
        bands = [k for k, v in body.items() if isinstance(v, dict)]
        for key in bands:
            assert len(body[key].get("source", "")) > 20, f"{section}.{key} has no source"
        if len(bands) < len(body):  # plain numbers/sequences: one source for the section
            assert len(body.get("source", "")) > 20, f"[{section}] has no source"


def test_constants_match_the_hand_figures():
    assert P.klm_seconds(P.sequence("paste"), "central") == pytest.approx(9.74)
    assert P.klm_seconds(P.sequence("link"), "central") == pytest.approx(2.73)
    assert math.isclose(P.number("text", "chars_per_word"), 5.0)
