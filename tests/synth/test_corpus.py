"""Shape of the corpus: form types, formats, forms per case, truth kinds and proportions."""

from __future__ import annotations

import csv
import re
from collections import Counter, defaultdict
from pathlib import Path

import pytest

from dupscan.synth import FORM_TYPES, FORMATS, generate

from .conftest import SAMPLE, load_jsonl


def _manifest(root: Path) -> list[dict[str, str]]:
    with (root / "manifest.csv").open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


@pytest.fixture(scope="module")
def corpus25(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, object]:
    root = tmp_path_factory.mktemp("synth25")
    return root, generate(root, cases=25, seed=7)


def test_fourteen_form_types_exist() -> None:
    assert len(FORM_TYPES) >= 14
    assert {"contact_referral", "mash_decision", "child_family_assessment", "strategy_discussion",
            "section47_outcome", "icpc_report", "rcpc_report", "child_protection_plan", "child_in_need_plan",
            "core_group_minutes", "home_visit_record", "chronology", "supervision_record",
            "closure_summary"} <= set(FORM_TYPES)


def test_25_cases_cover_every_form_type_and_format(corpus25) -> None:  # type: ignore[no-untyped-def]
    root, summary = corpus25
    rows = _manifest(root)
    assert {r["form_type"] for r in rows} == set(FORM_TYPES)
    assert set(summary.formats) == set(FORMATS)
    assert set(summary.truth) == {"exact", "near", "paraphrase", "distinct"}
    per_case = Counter(r["case_id"] for r in rows)
    assert len(per_case) == 25
    assert all(4 <= n <= 15 for n in per_case.values())


def test_manifest_paths_exist_and_match_fields(corpus25) -> None:  # type: ignore[no-untyped-def]
    root, summary = corpus25
    rows = _manifest(root)
    assert list(rows[0]) == ["path", "case_id", "form_type", "date", "author"]
    for r in rows:
        path, _, row = r["path"].partition("#")
        assert (root / path).is_file()
        assert r["path"].startswith(r["case_id"] + "/")
        assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", r["date"])
        assert not row or int(row) >= 1
    docs = [row["doc"] for row in load_jsonl(root / "fields.jsonl")]
    assert docs == [r["path"] for r in rows]
    assert summary.documents == len(rows)


def test_dates_run_forward_within_a_case(corpus25) -> None:  # type: ignore[no-untyped-def]
    root, _ = corpus25
    by_case: dict[str, list[dict[str, str]]] = defaultdict(list)
    for r in _manifest(root):
        by_case[r["case_id"]].append(r)
    for rows in by_case.values():
        assert [r["date"] for r in rows] == sorted(r["date"] for r in rows)
        assert rows[0]["form_type"] == "contact_referral"


def test_truth_proportions_and_shape(corpus25) -> None:  # type: ignore[no-untyped-def]
    root, summary = corpus25
    items = load_jsonl(root / "truth.jsonl")
    kinds = Counter(t["kind"] for t in items)
    reentries = kinds["exact"] + kinds["near"] + kinds["paraphrase"]
    assert 0.33 <= kinds["exact"] / reentries <= 0.55
    assert 0.22 <= kinds["near"] / reentries <= 0.42
    assert 0.12 <= kinds["paraphrase"] / reentries <= 0.32
    assert 0.12 <= kinds["distinct"] / reentries <= 0.28
    order = {r["path"]: i for i, r in enumerate(_manifest(root))}
    for t in items:
        assert t["valid_sources"][0] == t["source"]["doc"]
        assert len(set(t["valid_sources"])) == len(t["valid_sources"])
        assert all(order[s] < order[t["target"]["doc"]] for s in t["valid_sources"])
        assert t["source"]["doc"].startswith(t["case_id"] + "/") and t["target"]["doc"].startswith(t["case_id"] + "/")
        assert len(t["target"]["text"].split()) >= 8 and len(t["source"]["text"].split()) >= 8
        if t["kind"] == "exact":
            assert t["source"]["text"] == t["target"]["text"]
        else:
            assert t["source"]["text"] != t["target"]["text"]
    assert dict(kinds) == summary.truth


def test_unplanted_text_is_not_repeated_within_a_case(corpus25) -> None:  # type: ignore[no-untyped-def]
    root, _ = corpus25
    targets: dict[str, list[str]] = defaultdict(list)
    for t in load_jsonl(root / "truth.jsonl"):
        targets[t["target"]["doc"]].append(t["target"]["text"])
    seen: dict[str, dict[str, str]] = defaultdict(dict)
    unexplained = []
    for row in load_jsonl(root / "fields.jsonl"):
        case = row["doc"].split("/")[0]
        for f in row["fields"]:
            if f["kind"] != "narrative":
                continue
            for sentence in re.split(r"(?<=[.!?])\s+", f["text"]):
                if len(sentence.split()) < 6:
                    continue
                earlier = seen[case].get(sentence)
                if earlier and earlier != row["doc"] and not any(sentence in t for t in targets[row["doc"]]):
                    unexplained.append((row["doc"], sentence))
                seen[case].setdefault(sentence, row["doc"])
    assert unexplained == []


def test_structured_fields_repeat_on_most_forms(corpus25) -> None:  # type: ignore[no-untyped-def]
    root, _ = corpus25
    rows = load_jsonl(root / "fields.jsonl")
    with_dob = [r for r in rows if any(f["kind"] == "structured" and re.fullmatch(r"\d\d/\d\d/\d{4}", f["text"])
                                       for f in r["fields"])]
    assert len(with_dob) / len(rows) > 0.8


@pytest.mark.slow
def test_committed_sample_matches_a_fresh_run(corpus25) -> None:  # type: ignore[no-untyped-def]
    root, _ = corpus25
    if not (SAMPLE / "manifest.csv").exists():
        pytest.skip("sample corpus not present")
    fresh = {p.relative_to(root).as_posix(): p.read_bytes() for p in root.rglob("*") if p.is_file()}
    committed = {p.relative_to(SAMPLE).as_posix(): p.read_bytes() for p in SAMPLE.rglob("*") if p.is_file()}
    assert committed.keys() == fresh.keys()
    assert [n for n in fresh if fresh[n] != committed[n]] == []


def test_planted_variants_do_not_echo_other_forms(corpus25) -> None:  # type: ignore[no-untyped-def]
    """A hard negative appears only in its target; a paraphrase in no earlier form."""
    root, _ = corpus25
    order = {r["path"]: i for i, r in enumerate(_manifest(root))}
    texts = {row["doc"]: " ".join(" ".join(f["text"] for f in row["fields"]).split())
             for row in load_jsonl(root / "fields.jsonl")}
    for t in load_jsonl(root / "truth.jsonl"):
        if t["kind"] not in ("distinct", "paraphrase"):
            continue
        target = " ".join(t["target"]["text"].split())
        holders = [d for d, text in texts.items() if d.startswith(t["case_id"] + "/") and target in text]
        if t["kind"] == "distinct":
            assert holders == [t["target"]["doc"]]
        else:
            assert all(order[d] >= order[t["target"]["doc"]] for d in holders)
