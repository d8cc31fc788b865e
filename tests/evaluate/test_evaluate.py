"""Evaluator: oracle findings score 1.0; perturbed findings score as computed by hand."""

import json

import pytest

from dupscan.cli import main
from dupscan.errors import ConfigError
from dupscan.evaluate import coverage, evaluate, score, words_of

A = "The family moved to the area in March after a period of homelessness in Leeds."
B = "Ms Khan told the worker that Ava had not attended school for nine days."
C = "Ava was described as quiet and watchful and she sat close to her mother throughout."
D_SRC = "School attendance for the autumn term stands at 60 percent this year."
D_TGT = "School attendance for the autumn term stands at 92 percent this year."


def _item(kind, src_doc, tgt_doc, text, tgt_text=None, valid=None):
    return {"case_id": "C1", "kind": kind,
            "source": {"doc": src_doc, "field": "f", "text": text},
            "target": {"doc": tgt_doc, "field": "g", "text": tgt_text or text},
            "valid_sources": valid or [src_doc]}


TRUTH = [
    _item("exact", "a", "b", A),
    _item("near", "a", "c", B, B.replace("Ms Khan", "Mum")),
    _item("paraphrase", "a", "c", C, "Ava seemed quiet and watchful, staying near her mum the whole visit."),
    _item("exact", "a", "d", A, valid=["a", "b"]),
    _item("distinct", "a", "c", D_SRC, D_TGT),
]


def _finding(kind, t, src_doc=None, text=None):
    return {"case_id": "C1", "kind": kind, "words": len(words_of(text or t["target"]["text"])),
            "source": {"doc": src_doc or t["source"]["doc"], "text": t["source"]["text"]},
            "target": {"doc": t["target"]["doc"], "text": text or t["target"]["text"]}}


def oracle():
    return [_finding(t["kind"], t) for t in TRUTH if t["kind"] != "distinct"]


def test_words_and_coverage():
    assert words_of("Ms Khan’s son, aged 7!") == ["ms", "khan's", "son", "aged", "7"]
    assert coverage("a b c d", "x a b c d y") == 1.0
    # single shared words do not count as overlap
    assert coverage("the cat and the dog", "the bird and the fish") == 0.0


def test_oracle_scores_one():
    result = score(TRUTH, oracle())
    for kind in ("exact", "near", "paraphrase"):
        assert result.by_kind[kind].f1 == 1.0
    assert result.overall.f1 == 1.0
    assert result.distinct_flagged == 0
    assert result.words_ratio == 1.0


def test_dropped_finding():
    findings = oracle()[1:]  # drop the first exact finding (a -> b)
    result = score(TRUTH, findings)
    exact = result.by_kind["exact"]
    assert (exact.truth, exact.recovered, exact.predicted, exact.true_positive) == (2, 1, 1, 1)
    assert exact.precision == 1.0 and exact.recall == 0.5
    assert exact.f1 == pytest.approx(2 / 3)
    assert result.overall.recall == pytest.approx(3 / 4)


def test_wrong_source_is_not_recovered_but_still_true_positive():
    findings = oracle()
    findings[0] = _finding("exact", TRUTH[0], src_doc="z")  # a -> b claimed from z
    result = score(TRUTH, findings)
    assert result.by_kind["exact"].recovered == 1
    assert result.by_kind["exact"].true_positive == 2
    # the alternative valid source of the a -> d copy is accepted
    findings[3] = _finding("exact", TRUTH[3], src_doc="b")
    assert score(TRUTH, findings).by_kind["exact"].recovered == 1


def test_shifted_finding_covers_less_than_half():
    words = A.split()
    shifted = " ".join(words[9:])  # 6 of 15 words: under half the truth target
    findings = oracle()
    findings[0] = _finding("exact", TRUTH[0], text=shifted)
    result = score(TRUTH, findings)
    assert result.by_kind["exact"].recovered == 1
    assert result.by_kind["exact"].true_positive == 2  # its words are all inside the planted text
    just_over = " ".join(words[7:])  # 8 of 15 words
    findings[0] = _finding("exact", TRUTH[0], text=just_over)
    assert score(TRUTH, findings).by_kind["exact"].recovered == 2


def test_false_positive_and_flagged_distinct():
    findings = oracle() + [_finding("near", TRUTH[4])]
    result = score(TRUTH, findings)
    near = result.by_kind["near"]
    assert (near.predicted, near.true_positive) == (2, 1)
    assert near.precision == 0.5 and near.recall == 1.0
    assert near.f1 == pytest.approx(2 / 3)
    assert result.distinct_flagged == 1 and result.distinct_flagged_rate == 1.0
    assert result.estimated_words == result.true_words + 12


def test_kind_confusion_counts_found_re_entry():
    findings = oracle()
    findings[1] = dict(findings[1], kind="paraphrase")
    result = score(TRUTH, findings)
    assert result.by_kind["near"].recall == 1.0
    assert result.by_kind["near"].predicted == 0
    assert result.confusion["near"]["paraphrase"] == 1


def test_unknown_kind_is_a_config_error():
    with pytest.raises(ConfigError, match="unknown kind"):
        score([_item("copied", "a", "b", A)], [])


def test_cli_json(tmp_path, capsys):
    truth = tmp_path / "truth.jsonl"
    truth.write_text("".join(json.dumps(t) + "\n" for t in TRUTH), encoding="utf-8")
    findings = tmp_path / "findings.json"
    findings.write_text(json.dumps({"schema": "dupscan.findings/1", "findings": oracle()}))
    assert main(["evaluate", "--truth", str(truth), "--findings", str(findings), "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["overall"]["f1"] == 1.0
    assert evaluate(truth, findings).overall.f1 == 1.0
    assert main(["evaluate", "--truth", str(truth), "--findings", str(tmp_path / "nope.json")]) == 2
