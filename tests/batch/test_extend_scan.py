"""An index scan extends the stored detection of a case that gained later forms."""

from __future__ import annotations

import csv

import pytest

from dupscan.detect import engine
from dupscan.pipeline import scan
from dupscan.report import render


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    from dupscan.synth import generate

    root = tmp_path_factory.mktemp("corpus") / "c"
    generate(root, cases=3, seed=11)
    return root


def _manifest(root, out, drop_last_of: set[str]):
    """A manifest of ``root`` without the last form of the cases in ``drop_last_of``."""
    with open(root / "manifest.csv", newline="", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    last = {}
    for row in rows:
        last[row["case_id"]] = row["path"]
    dropped = {last[case] for case in drop_last_of}
    keep = [r for r in rows if r["path"] not in dropped]
    with open(out, "w", newline="", encoding="utf-8") as fh:
        writer = csv.DictWriter(fh, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(keep)
    return out


def test_a_case_given_its_next_form_is_extended_and_equals_a_full_scan(corpus, tmp_path,
                                                                       monkeypatch):
    held = _manifest(corpus, tmp_path / "held.csv", {"C0001", "C0002", "C0003"})
    index = tmp_path / "index.sqlite"
    options = {"templates": corpus / "templates", "workers": 1}
    scan(corpus, held, index=index, **options)

    kept: list[tuple[str, int, int]] = []
    kept_forms = engine.kept_forms

    def spy(prep, digests, earlier, *args, **kwargs):
        out = kept_forms(prep, digests, earlier, *args, **kwargs)
        kept.append((prep.forms[0].case_id, out, len(prep.forms)))
        return out

    monkeypatch.setattr(engine, "kept_forms", spy)
    again = scan(corpus, corpus / "manifest.csv", index=index, **options)
    # C0002 and C0003 keep the findings of all but their new last form; in C0001 a check
    # fails ("Designated Safeguarding Lead" in the new form reads as a full name whose
    # words its earlier sentences hold), so it is detected whole
    assert sorted(kept) == [("C0001", 0, 15), ("C0002", 4, 5), ("C0003", 14, 15)]
    monkeypatch.undo()
    assert render(again, "json") == render(
        scan(corpus, corpus / "manifest.csv", **options), "json")


@pytest.mark.parametrize("earlier", [("not json", "[]"), ('{"forms": 3}', "[]"),
                                     ('{"forms": [], "state": ""}', "{broken"),
                                     ('[1, 2]', "[]")])
def test_an_unreadable_stored_detection_is_ignored(corpus, earlier):
    import json

    from dupscan.batch.serial import form_to_dict
    from dupscan.batch.tasks import CaseUnit, DetectContext, Stages, detect_unit
    from dupscan.config import ScanOptions
    from dupscan.detect.passages import with_sentences
    from dupscan.ingest import ingest
    from dupscan.segment import segment

    texts = tuple(json.dumps(form_to_dict(with_sentences(segment(doc))))
                  for path in sorted((corpus / "C0002").iterdir()) for doc in ingest(path))
    ctx = DetectContext(Stages(), ScanOptions())
    plain = detect_unit(ctx, CaseUnit("C0002", texts))
    assert detect_unit(ctx, CaseUnit("C0002", texts, earlier=earlier)) == plain


@pytest.mark.parametrize("engine", ["local", "dask"])
def test_extending_in_worker_processes_equals_a_full_scan(corpus, tmp_path, engine):
    if engine == "dask":
        pytest.importorskip("distributed")
    held = _manifest(corpus, tmp_path / "held.csv", {"C0002", "C0003"})
    index = tmp_path / "index.sqlite"
    options = {"templates": corpus / "templates", "workers": 2, "engine": engine}
    scan(corpus, held, index=index, **options)
    again = scan(corpus, corpus / "manifest.csv", index=index, **options)
    whole = scan(corpus, corpus / "manifest.csv", templates=corpus / "templates", workers=1)
    assert again.findings and render(again, "json") == render(whole, "json")


def test_a_unit_without_a_basis_to_keep_finds_the_same(corpus):
    import json

    from dupscan.batch.serial import form_to_dict
    from dupscan.batch.tasks import CaseUnit, DetectContext, Stages, detect_unit
    from dupscan.config import ScanOptions
    from dupscan.detect.passages import with_sentences
    from dupscan.ingest import ingest
    from dupscan.segment import segment

    texts = tuple(json.dumps(form_to_dict(with_sentences(segment(doc))))
                  for path in sorted((corpus / "C0001").iterdir()) for doc in ingest(path))
    kept = detect_unit(DetectContext(Stages(), ScanOptions()),
                       CaseUnit("C0001", texts, report=True))
    plain = detect_unit(DetectContext(Stages(), ScanOptions(), keep_basis=False),
                        CaseUnit("C0001", texts, report=True))
    assert json.loads(kept.basis)["forms"] and plain.basis == ""
    assert (plain.findings, plain.report) == (kept.findings, kept.report)
    assert json.loads(plain.findings)


def test_only_a_scan_with_an_index_keeps_a_basis(corpus, tmp_path, monkeypatch):
    import dupscan.pipeline as pipeline

    asked = []
    real = pipeline.DetectContext

    def recording(*args, **kwargs):
        asked.append(kwargs.get("keep_basis", True))
        return real(*args, **kwargs)

    monkeypatch.setattr(pipeline, "DetectContext", recording)
    options = {"templates": corpus / "templates", "workers": 1}
    scan(corpus, corpus / "manifest.csv", **options)
    # the warm-up's context asks nothing of the units; the cases' context is the last
    assert asked[-1] is False
    scan(corpus, corpus / "manifest.csv", index=tmp_path / "index.sqlite", **options)
    assert asked[-1] is True


def test_stored_digests_tell_an_earlier_form_whose_label_changed(corpus):
    """Forms known by their stored texts' digests: relabelling a narrative field of an
    earlier form leaves its sentences (and so every state of the case) as they were, so
    only the form's digest can tell that the findings kept would name the old label."""
    import json

    from dupscan.batch.runtables import form_digest
    from dupscan.batch.serial import form_to_dict
    from dupscan.batch.tasks import CaseUnit, DetectContext, Stages, detect_unit
    from dupscan.config import ScanOptions
    from dupscan.detect.passages import with_sentences
    from dupscan.ingest import ingest
    from dupscan.segment import segment

    forms = [form_to_dict(with_sentences(segment(doc)))
             for path in sorted((corpus / "C0003").iterdir()) for doc in ingest(path)]
    ctx = DetectContext(Stages(), ScanOptions())

    def unit(dicts, earlier=None):
        texts = tuple(json.dumps(d) for d in dicts)
        return CaseUnit("C0003", texts, earlier=earlier,
                        digests=tuple(map(form_digest, texts)))

    first = detect_unit(ctx, unit(forms[:-1]))
    relabelled = json.loads(json.dumps(forms))
    for field in relabelled[0]["fields"]:  # the referral, the source of most findings
        if field["kind"] == "narrative":
            field["label"] += " (relabelled)"
    again = detect_unit(ctx, unit(relabelled, earlier=(first.basis, first.findings)))
    whole = detect_unit(ctx, unit(relabelled))
    assert again.findings == whole.findings
    assert "(relabelled)" in whole.findings
