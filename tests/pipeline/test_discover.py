"""File discovery, manifest loading and case grouping."""

from __future__ import annotations

import os

import pytest

from dupscan.discover import discover, load_manifest, resolve_case, split_doc_path
from dupscan.errors import ConfigError


def _write(path, text="Name: x\n"):
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def test_walk_is_sorted_and_groups_by_first_folder(tmp_path):
    for rel in ("b/2.txt", "a/1.txt", "b/sub/3.md", "top.txt"):
        _write(tmp_path / rel)
    corpus = discover(tmp_path)
    assert [f.path for f in corpus.files] == ["a/1.txt", "b/2.txt", "b/sub/3.md", "top.txt"]
    assert [f.group for f in corpus.files] == ["a", "b", "b", tmp_path.name]
    assert [f.order for f in corpus.files] == [0, 1, 2, 3]
    assert [g for g, _ in corpus.groups()] == sorted(["a", "b", tmp_path.name])


def test_unsupported_hidden_and_sidecar_files(tmp_path):
    _write(tmp_path / "a" / "x.txt")
    _write(tmp_path / "a" / "photo.xyz")
    _write(tmp_path / "a" / ".hidden.txt")
    _write(tmp_path / "manifest.csv", "path,case_id\n")
    _write(tmp_path / "truth.jsonl", "{}\n")
    corpus = discover(tmp_path)
    assert [f.path for f in corpus.files] == ["a/x.txt"]
    assert [(s.path, s.reason) for s in corpus.skipped] == [
        ("a/photo.xyz", "unsupported file type '.xyz'")]


def test_symlinks_are_refused(tmp_path):
    outside = _write(tmp_path.parent / f"{tmp_path.name}-outside" / "secret.txt")
    root = tmp_path / "root"
    _write(root / "a" / "ok.txt")
    os.symlink(outside, root / "a" / "link.txt")
    os.symlink(outside.parent, root / "linkdir")
    corpus = discover(root)
    assert [f.path for f in corpus.files] == ["a/ok.txt"]
    reasons = {s.path: s.reason for s in corpus.skipped}
    assert "symlink" in reasons["a/link.txt"]
    assert "symlink" in reasons["linkdir"]


def test_paths_given_in_any_order_give_the_same_corpus(tmp_path):
    files = [_write(tmp_path / rel) for rel in ("c/1.txt", "a/2.txt", "b/3.txt")]
    one = discover(files, root=tmp_path)
    two = discover(list(reversed(files)), root=tmp_path)
    assert [f.path for f in one.files] == [f.path for f in two.files] == [
        "a/2.txt", "b/3.txt", "c/1.txt"]


def test_templates_folder_under_root_is_not_scanned(tmp_path):
    _write(tmp_path / "C1" / "a.txt")
    _write(tmp_path / "templates" / "blank.md")
    corpus = discover(tmp_path, exclude=[tmp_path / "templates"])
    assert [f.path for f in corpus.files] == ["C1/a.txt"]


def test_manifest_entries_outside_root_and_missing_files_are_skipped(tmp_path):
    root = tmp_path / "root"
    _write(root / "C1" / "a.txt")
    _write(root / "C1" / "export.csv", "h\nrow\n")
    _write(tmp_path / "outside.txt")
    manifest = _write(tmp_path / "m.csv",
                      "path,case_id,form_type,date\n"
                      "C1/export.csv#1,C9,visit,2025-01-03\n"
                      "C1/a.txt,C1,referral,2025-01-01\n"
                      "../outside.txt,C1,x,\n"
                      "/etc/passwd,C1,x,\n"
                      "C1/gone.txt,C1,x,\n")
    corpus = discover(root, manifest=manifest)
    assert [(f.path, f.group, f.order) for f in corpus.files] == [
        ("C1/export.csv", "C9", 0), ("C1/a.txt", "C1", 1)]
    assert corpus.files[0].entries[0].doc == "C1/export.csv#1"
    reasons = {s.path: s.reason for s in corpus.skipped}
    assert "outside the scan root" in reasons["../outside.txt"]
    assert "outside the scan root" in reasons["/etc/passwd"]
    assert reasons["C1/gone.txt"] == "listed in the manifest but not found"


def test_manifest_symlink_entry_is_refused(tmp_path):
    root = tmp_path / "root"
    target = _write(root / "C1" / "a.txt")
    os.symlink(target, root / "C1" / "alias.txt")
    manifest = _write(tmp_path / "m.csv", "path,case_id\nC1/alias.txt,C1\nC1/a.txt,C1\n")
    corpus = discover(root, manifest=manifest)
    assert [f.path for f in corpus.files] == ["C1/a.txt"]
    assert "symlink" in corpus.skipped[0].reason


def test_manifest_files_in_a_symlinked_folder_are_refused_every_one(tmp_path):
    # folders are checked once per scan: the second file of a refused folder is
    # refused too, and a folder checked safe still has its symlinked files refused
    root = tmp_path / "root"
    outside = tmp_path / "elsewhere"
    _write(outside / "x.txt")
    _write(outside / "y.txt")
    _write(root / "C1" / "a.txt")
    _write(root / "C1" / "b.txt")
    os.symlink(outside, root / "C2")
    os.symlink(root / "C1" / "a.txt", root / "C1" / "alias.txt")
    (root / "C1" / "sub").mkdir()
    manifest = _write(tmp_path / "m.csv", "path,case_id\nC1/a.txt,C1\nC2/x.txt,C2\n"
                      "C2/y.txt,C2\nC1/alias.txt,C1\nC1/b.txt,C1\nC1/sub,C1\n"
                      "C1/a.txt/deeper.txt,C1\n./C1/b.txt,C3\n")
    corpus = discover(root, manifest=manifest)
    assert [(f.path, f.size) for f in corpus.files] == [
        ("C1/a.txt", 8), ("C1/b.txt", 8), ("C1/b.txt", 8)]
    reasons = {s.path: s.reason for s in corpus.skipped}
    assert "symlink" in reasons["C2/x.txt"] and "symlink" in reasons["C2/y.txt"]
    assert "symlink" in reasons["C1/alias.txt"]
    assert reasons["C1/sub"] == "listed in the manifest but is not a file"
    assert reasons["C1/a.txt/deeper.txt"] == "listed in the manifest but not found"


def test_manifest_files_below_a_symlinked_folder_at_any_depth_are_refused(tmp_path):
    # each folder of a path is checked once, from the top: a symlink above a
    # folder first met deep down, or deep below a folder already found safe
    root = tmp_path / "root"
    outside = tmp_path / "elsewhere"
    _write(outside / "deep" / "z.txt")
    _write(root / "C1" / "plain" / "a.txt")
    os.symlink(outside, root / "C2")
    os.symlink(outside / "deep", root / "C1" / "linked")
    manifest = _write(tmp_path / "m.csv", "path,case_id\nC2/deep/z.txt,C2\n"
                      "C1/plain/a.txt,C1\nC1/linked/z.txt,C1\n")
    corpus = discover(root, manifest=manifest)
    assert [f.path for f in corpus.files] == ["C1/plain/a.txt"]
    reasons = {s.path: s.reason for s in corpus.skipped}
    assert "symlink" in reasons["C2/deep/z.txt"] and "symlink" in reasons["C1/linked/z.txt"]


@pytest.mark.parametrize("text, message", [
    ("", "manifest is empty"),
    ("file,case\nC1/a.txt,C1\n", "line 1: manifest header"),
    ("path,case_id,form_type,date\nC1/a.txt,C1,referral\n", "line 2: expected 4 columns"),
    ("path,case_id,date\nC1/a.txt,C1,03/04/2025\n", "line 2: date '03/04/2025'"),
    ("path,case_id\nC1/a.txt,C1\n\nC1/a.txt,C2\n", "line 4: 'C1/a.txt' is listed twice"),
    ("path,case_id\nC1/a.txt,\n", "line 2: empty case_id"),
    ("path,case_id,colour\nC1/a.txt,C1,red\n", "unknown manifest column"),
])
def test_bad_manifest_is_a_config_error_with_line(tmp_path, text, message):
    manifest = _write(tmp_path / "m.csv", text)
    with pytest.raises(ConfigError, match=message) as info:
        load_manifest(manifest)
    assert str(manifest) in str(info.value)


def test_a_manifest_not_utf8_or_not_readable_is_a_config_error(tmp_path):
    """The manifest is read as it is parsed: a byte that is not UTF-8 far down the file,
    or a manifest that cannot be opened, is still a clear error naming the file."""
    rows = "".join(f"C{i}/a.txt,C{i}\n" for i in range(5000))
    latin = tmp_path / "latin.csv"
    latin.write_bytes(("path,case_id\n" + rows).encode() + "C9/Zoë.txt,C9\n".encode("latin-1"))
    with pytest.raises(ConfigError, match="manifest is not UTF-8 text") as info:
        load_manifest(latin)
    assert str(latin) in str(info.value)
    with pytest.raises(ConfigError, match="cannot read manifest"):
        load_manifest(tmp_path)  # a folder
    with pytest.raises(ConfigError, match="cannot read manifest"):
        load_manifest(tmp_path / "missing.csv")


def test_manifest_reads_author_and_bom(tmp_path):
    manifest = tmp_path / "m.csv"
    manifest.write_bytes("\ufeffpath,case_id,form_type,date,author\n"
                         "a.txt,C1,plan,2025-01-01,Sam Lee\n".encode("utf-8"))
    (entry,) = load_manifest(manifest)
    assert (entry.doc, entry.case_id, entry.form_type, entry.date, entry.author, entry.line) == (
        "a.txt", "C1", "plan", "2025-01-01", "Sam Lee", 2)


def test_case_precedence_and_doc_paths():
    assert resolve_case(manifest_case="M", header_case="H", folder_case="F") == "M"
    assert resolve_case(manifest_case="", header_case="H", folder_case="F") == "H"
    assert resolve_case(manifest_case="", header_case="", folder_case="F") == "F"
    assert split_doc_path("x/a.csv#12") == ("x/a.csv", 12)
    assert split_doc_path("x/a#b.txt") == ("x/a#b.txt", 0)


def test_nothing_to_scan_is_a_config_error(tmp_path):
    with pytest.raises(ConfigError, match="no such file"):
        discover(tmp_path / "absent")
