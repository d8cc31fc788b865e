"""Same seed, same bytes; another seed, other bytes."""

from __future__ import annotations

from pathlib import Path

from dupscan.synth import generate


def _files(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def test_same_seed_gives_identical_bytes(tmp_path: Path) -> None:
    generate(tmp_path / "a", cases=4, seed=5)
    generate(tmp_path / "b", cases=4, seed=5)
    a, b = _files(tmp_path / "a"), _files(tmp_path / "b")
    assert a.keys() == b.keys()
    different = [name for name in a if a[name] != b[name]]
    assert different == []
    assert any(n.endswith(".docx") for n in a) and any(n.endswith(".pdf") for n in a)


def test_different_seed_gives_different_corpus(tmp_path: Path) -> None:
    generate(tmp_path / "a", cases=3, seed=5)
    generate(tmp_path / "b", cases=3, seed=6)
    a, b = _files(tmp_path / "a"), _files(tmp_path / "b")
    assert a["truth.jsonl"] != b["truth.jsonl"]
    assert a["manifest.csv"] != b["manifest.csv"]
    assert a["templates/contact_referral.md"] == b["templates/contact_referral.md"]


def test_earlier_cases_do_not_depend_on_corpus_size(tmp_path: Path) -> None:
    generate(tmp_path / "a", cases=2, seed=9, formats=["txt", "md"])
    generate(tmp_path / "b", cases=3, seed=9, formats=["txt", "md"])
    a, b = _files(tmp_path / "a"), _files(tmp_path / "b")
    first = [n for n in a if n.startswith("C0001/")]
    assert first and all(a[n] == b[n] for n in first)
