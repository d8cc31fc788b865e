import json
import random

import pytest

from dupscan.errors import ConfigError
from dupscan.estimate import estimate
from dupscan.report import load_findings, render, write_reports
from dupscan.report.json import SCHEMA, dumps, loads

from report_sample import build_findings, build_forms, build_report


def test_schema_keys_exactly(report):
    data = json.loads(render(report, "json"))
    assert list(data) == ["schema", "summary", "forms", "findings", "stock_text", "prefill",
                          "skipped", "aggregates"]
    assert data["schema"] == SCHEMA
    assert set(data["summary"]) == {"forms", "words", "reentered_words", "seconds"}
    assert set(data["summary"]["seconds"]) == {"low", "central", "high"}
    assert set(data["forms"][0]) == {"form_id", "doc", "case_id", "form_type", "date", "words"}
    f = data["findings"][0]
    assert set(f) == {"case_id", "kind", "similarity", "words", "seconds", "source", "target"}
    assert set(f["source"]) == {"form_id", "doc", "field", "start", "end", "text"}
    assert f["kind"] in ("exact", "near", "paraphrase")
    assert set(data["aggregates"]) >= {"totals", "case", "form_type", "form_type_pair",
                                       "field_pair", "author", "kind"}
    assert data["skipped"][0] == {"path": "C001/" + data["skipped"][0]["path"][5:],
                                  "reason": "encrypted PDF"}


def test_byte_identical_for_same_inputs_in_any_order():
    first = render(build_report(), "json")
    forms = build_forms()
    findings = build_findings(forms)
    for seed in range(3):
        random.Random(seed).shuffle(forms)
        random.Random(seed + 10).shuffle(findings)
        again = estimate(forms, findings, stock_text=build_report().stock_text,
                         prefill=build_report().prefill[::-1], skipped=build_report().skipped[::-1])
        assert render(again, "json") == first
    assert "time" not in json.loads(first)["summary"]


def test_floats_rounded_and_finite(report):
    text = render(report, "json")
    for token in text.replace(",", " ").replace(":", " ").split():
        if "." in token and token.replace(".", "").replace("-", "").isdigit():
            assert len(token.split(".")[1]) <= 4
    assert "NaN" not in text and "Infinity" not in text


def test_round_trip_through_loader(tmp_path, annual_report):
    paths = write_reports(annual_report, tmp_path, "json")
    assert paths["json"] == tmp_path / "findings.json"
    loaded = load_findings(paths["json"])
    assert dumps(loaded) == paths["json"].read_text("utf-8")
    assert loaded.summary.cases == 2
    assert loaded.summary.recording_seconds.central == pytest.approx(
        annual_report.summary.recording_seconds.central, abs=1e-3)
    assert loaded.findings[0].source.text == annual_report.findings[0].source.text
    assert loaded.options["time_model"]["staff"] == 12


@pytest.mark.parametrize("text", ["{", "[]", '{"schema": "other/1"}',
                                  '{"schema": "dupscan.findings/1", "summary": {}, "forms": [],'
                                  ' "findings": [{"kind": "exact"}]}'])
def test_loader_rejects_bad_documents(text):
    with pytest.raises(ConfigError):
        loads(text)


def test_redacted_json_masks_excerpts(report):
    data = json.loads(render(report, "json", redact=True))
    texts = " ".join(f["source"]["text"] + f["target"]["text"] for f in data["findings"])
    assert "Okafor" not in texts and "0113 496 0000" not in texts and "12/03/2024" not in texts
    assert "LS6 2AB" not in texts and "[name]" in texts
    plain = json.loads(render(report, "json"))
    assert "Okafor" in " ".join(f["source"]["text"] for f in plain["findings"])
