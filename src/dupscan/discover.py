"""Find the files of a scan, read its manifest and group the files by case.

Discovery never reads a file's content: it walks the scan root in sorted order
(deterministic whatever order paths were given in), refuses symlinks and paths
that resolve outside the root, and lists every file it cannot take as a
:class:`~dupscan.model.Skipped` with the reason.

Case grouping, first that applies:

1. the manifest (``path,case_id,form_type,date[,author]``);
2. header fields found by :func:`dupscan.segment.segment` (``Form.case_id``);
3. the first folder under the scan root (the root's own name for files at the top).

Only 1 and 3 are known before a file is read; :func:`resolve_case` applies the
precedence once a form has been segmented.
"""

from __future__ import annotations

import csv
import os
import re
import stat
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from sys import intern
from typing import Any

from dupscan.errors import ConfigError, UnsafePathError
from dupscan.model import Skipped

__all__ = [
    "Corpus",
    "ManifestEntry",
    "SourceFile",
    "discover",
    "load_manifest",
    "resolve_case",
    "split_doc_path",
    "supported_suffixes",
]

# Files a generated corpus carries beside its documents: metadata, not forms.
SIDECAR_NAMES = frozenset({"manifest.csv", "truth.jsonl", "fields.jsonl", "DATASHEET.md"})
_DEFAULT_SUFFIXES = (".csv", ".docx", ".htm", ".html", ".jsonl", ".md", ".pdf", ".txt")
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_MANIFEST_COLUMNS = ("path", "case_id", "form_type", "date", "author")


@dataclass(frozen=True, slots=True)
class ManifestEntry:
    """One manifest row: a document (``file`` or ``file.csv#n``) and its metadata.

    ``order`` is the row's place among all rows, ``rank`` among the rows of its case:
    what places a form within its case, unmoved by rows added to other cases.
    """

    doc: str
    case_id: str
    form_type: str = ""
    date: str = ""
    author: str = ""
    order: int = 0
    line: int = 0
    rank: int = 0


@dataclass(frozen=True, slots=True)
class SourceFile:
    """A file to read, with what is known about it before reading.

    ``group`` is the case the file is scanned with (manifest case or first
    folder); ``entries`` are the manifest rows naming this file (empty when
    there is no manifest).
    """

    path: str
    group: str
    order: int
    size: int = 0
    mtime_ns: int = 0
    entries: tuple[ManifestEntry, ...] = ()


@dataclass(slots=True)
class Corpus:
    """The result of discovery: files to read and files refused."""

    root: Path
    files: list[SourceFile] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)
    has_manifest: bool = False

    def groups(self) -> list[tuple[str, list[SourceFile]]]:
        """Files grouped by pre-read case, groups sorted by name, files by order."""
        by_group: dict[str, list[SourceFile]] = {}
        for item in self.files:
            by_group.setdefault(item.group, []).append(item)
        return [(name, sorted(by_group[name], key=lambda f: f.order)) for name in sorted(by_group)]


def supported_suffixes() -> tuple[str, ...]:
    """File suffixes the ingest stage reads (lower case, with the dot)."""
    try:
        from dupscan import ingest as _ingest
    except ImportError:  # ingest not present in this build
        return _DEFAULT_SUFFIXES
    for name in ("SUPPORTED_SUFFIXES", "SUFFIXES", "supported_suffixes"):
        value = getattr(_ingest, name, None)
        if callable(value):
            value = value()
        if value:
            return tuple(sorted({str(s).lower() if str(s).startswith(".") else f".{s}".lower()
                                 for s in value}))
    return _DEFAULT_SUFFIXES


def split_doc_path(doc: str) -> tuple[str, int]:
    """Split ``"exports/a.csv#3"`` into ``("exports/a.csv", 3)``; row 0 means the whole file."""
    head, sep, tail = doc.rpartition("#")
    if sep and tail.isdigit() and head:
        return head, int(tail)
    return doc, 0


def load_manifest(manifest: str | os.PathLike[str]) -> list[ManifestEntry]:
    """Read ``manifest.csv`` into entries, in file order.

    Raises
    ------
    ConfigError
        When the header lacks ``path`` or ``case_id``, a row has the wrong number
        of columns, an empty path or case, a date that is not ``YYYY-MM-DD``, or
        repeats a path; the message names the file and line.
    """
    path = Path(manifest)
    # read as it is parsed, not whole: the text of a million rows, decoded and copied for
    # the parser, raised the peak of listing a million files by some 155 MB
    try:
        with path.open(encoding="utf-8-sig", newline="") as handle:
            return _manifest_entries(path, csv.reader(handle))
    except UnicodeDecodeError as exc:
        raise ConfigError(f"{path}: manifest is not UTF-8 text; save it as UTF-8 CSV") from exc
    except OSError as exc:
        raise ConfigError(f"{path}: cannot read manifest ({exc.strerror or exc})") from exc


def _manifest_entries(path: Path, rows: Any) -> list[ManifestEntry]:
    """:func:`load_manifest` of the rows of ``path`` (a ``csv.reader``)."""
    header = next(rows, None)
    if not header:
        raise ConfigError(f"{path}: manifest is empty; expected a header "
                          "'path,case_id,form_type,date[,author]'")
    names = [h.strip().lower() for h in header]
    for need in ("path", "case_id"):
        if need not in names:
            raise ConfigError(f"{path} line 1: manifest header {header!r} has no '{need}' column; "
                              "expected 'path,case_id,form_type,date[,author]'")
    unknown = [n for n in names if n not in _MANIFEST_COLUMNS]
    if unknown:
        raise ConfigError(f"{path} line 1: unknown manifest column(s) {unknown}; "
                          "expected 'path,case_id,form_type,date[,author]'")
    entries: list[ManifestEntry] = []
    seen: dict[str, int] = {}
    per_case: dict[str, int] = {}
    # columns by position: a dict per row cost a third of reading 100k rows
    at = {n: i for i, n in enumerate(names)}
    at_path, at_case = at["path"], at["case_id"]
    optional = tuple(at.get(n) for n in ("form_type", "date", "author"))
    for values in rows:
        line = rows.line_num
        if not "".join(values).strip():
            continue
        if len(values) != len(names):
            raise ConfigError(f"{path} line {line}: expected {len(names)} columns "
                              f"({','.join(names)}), found {len(values)}")
        doc = values[at_path].strip().replace("\\", "/")
        if not doc:
            raise ConfigError(f"{path} line {line}: empty path")
        case_id = values[at_case].strip()
        if not case_id:
            raise ConfigError(f"{path} line {line}: empty case_id for {doc!r}")
        form_type, date, author = (values[i].strip() if i is not None else ""
                                   for i in optional)
        if date and not _DATE.match(date):
            raise ConfigError(f"{path} line {line}: date {date!r} is not YYYY-MM-DD")
        if doc in seen:
            raise ConfigError(f"{path} line {line}: {doc!r} is listed twice "
                              f"(first on line {seen[doc]})")
        seen[doc] = line
        # case ids, form types, dates and authors recur from row to row: one copy each
        # (a year's manifest has about 100k rows, and every entry lives for the scan)
        case_id = intern(case_id)
        rank = per_case[case_id] = per_case.get(case_id, -1) + 1
        entries.append(ManifestEntry(doc, case_id, intern(form_type), intern(date),
                                     intern(author), len(entries), line, rank))
    return entries


def _relative(root: Path, path: Path) -> str:
    return path.relative_to(root).as_posix()


def _folder_case(root: Path, rel: str) -> str:
    parts = rel.split("/")
    return parts[0] if len(parts) > 1 else (root.name or ".")


def _check_inside(root: Path, rel: str) -> Path:
    """Return the absolute path of ``rel`` under ``root`` or raise UnsafePathError."""
    candidate = Path(rel)
    if candidate.is_absolute() or ".." in candidate.parts:
        target = (root / candidate).resolve()
        if not target.is_relative_to(root):
            raise UnsafePathError(rel, "path resolves outside the scan root; refused")
    joined = root / candidate
    # walk every component so a symlinked folder is refused as well as a symlinked file
    current = root
    for part in candidate.parts:
        current = current / part
        if current.is_symlink():
            raise UnsafePathError(rel, _SYMLINK)
    if not joined.resolve().is_relative_to(root):
        raise UnsafePathError(rel, "path resolves outside the scan root; refused")
    return joined


_SYMLINK = "symlink refused (follow it yourself and copy the file under the scan root)"
#: a path part that is empty, ``.`` or ``..``: such a path goes through :func:`_check_inside`
_UNPLAIN = re.compile(r"(?:^|/)\.{0,2}(?:/|$)")


class _SafeFolders:
    """:func:`_check_inside` for many files, checking each folder once.

    A manifest lists thousands of files in a few hundred folders: a folder
    checked once (no symlink in it, inside the root) is not checked again, and
    the file itself costs one ``lstat``, which also gives its size and time.
    """

    def __init__(self, root: Path) -> None:
        self.root = root
        self.prefix = str(root) + os.sep
        self.safe: set[str] = set()

    def check(self, rel: str) -> tuple[str, os.stat_result | None]:
        """``(rel as a POSIX path, its lstat result or None when missing)``;
        raise UnsafePathError. Plain relative paths skip pathlib (its parsing
        would cost more than the file system calls)."""
        if "\\" in rel or os.path.isabs(rel) or _UNPLAIN.search(rel):
            path = _check_inside(self.root, rel)
            return Path(rel).as_posix(), _lstat(str(path))
        self._check_folders(rel)
        return rel, self._lstat_plain(rel)

    def _check_folders(self, rel: str) -> None:
        """Raise UnsafePathError when a folder above ``rel`` (plain: no empty, ``.`` or
        ``..`` part) is a symlink, checking each folder once, from the top. Under the
        resolved root, a plain path without symlinks resolves to itself, so one
        ``lstat`` a folder replaces :func:`_check_inside`'s resolving (0.6 s of listing
        98k files in 8,889 folders)."""
        folder = rel.rpartition("/")[0]
        if folder and folder not in self.safe:
            self._check_folders(folder)
            self._lstat_plain(folder)
            self.safe.add(folder)

    def _lstat_plain(self, rel: str) -> os.stat_result | None:
        """The ``lstat`` of plain ``rel`` (None when missing); raise UnsafePathError
        when it is a symlink."""
        st = _lstat(self.prefix + rel)
        if st is not None and stat.S_ISLNK(st.st_mode):
            raise UnsafePathError(rel, _SYMLINK)
        return st


def _lstat(path: str) -> os.stat_result | None:
    try:
        return os.lstat(path)
    except (FileNotFoundError, NotADirectoryError):
        return None


def _walk(root: Path, start: Path, suffixes: Sequence[str],
          files: dict[str, Path], skipped: dict[str, Skipped]) -> None:
    if start.is_symlink():
        rel = _relative(root, start)
        skipped[rel] = Skipped(rel, "symlink refused")
        return
    if not start.is_dir():  # a file, or a pipe or device that _take refuses
        _take(root, start, suffixes, files, skipped, explicit=True)
        return
    for dirpath, dirnames, filenames in os.walk(start, followlinks=False):
        here = Path(dirpath)
        keep = []
        for name in sorted(dirnames):
            if name.startswith("."):
                continue
            if (here / name).is_symlink():
                rel = _relative(root, here / name)
                skipped[rel] = Skipped(rel, "symlinked folder refused")
                continue
            keep.append(name)
        dirnames[:] = keep
        for name in sorted(filenames):
            if not name.startswith("."):
                _take(root, here / name, suffixes, files, skipped, explicit=False)


def _take(root: Path, path: Path, suffixes: Sequence[str], files: dict[str, Path],
          skipped: dict[str, Skipped], *, explicit: bool) -> None:
    rel = _relative(root, path)
    if path.is_symlink():
        skipped[rel] = Skipped(rel, "symlink refused")
    elif not explicit and path.parent == root and path.name in SIDECAR_NAMES:
        return  # corpus metadata (manifest, truth, fields) is not a form
    elif path.suffix.lower() not in suffixes:
        skipped[rel] = Skipped(rel, f"unsupported file type {path.suffix or '(none)'!r}")
    elif not path.is_file():  # never opened: reading a pipe blocks
        skipped[rel] = Skipped(rel, "not a regular file (device, pipe or socket)")
    else:
        files[rel] = path


def _stat(path: Path) -> tuple[int, int]:
    st = path.stat()
    return st.st_size, st.st_mtime_ns


def discover(paths_or_root: str | os.PathLike[str] | Iterable[str | os.PathLike[str]], *,
             root: str | os.PathLike[str] | None = None,
             manifest: str | os.PathLike[str] | None = None,
             suffixes: Sequence[str] | None = None,
             exclude: Iterable[str | os.PathLike[str]] = ()) -> Corpus:
    """List the files of a scan and what is known about each before reading it.

    Parameters
    ----------
    paths_or_root : path or iterable of paths
        A folder to walk, or files and folders (their order does not matter).
    root : path, optional
        The scan root that document paths are relative to; by default the folder
        given, or the deepest folder holding every path given.
    manifest : path, optional
        ``manifest.csv``; when given, exactly the documents it lists are scanned
        (paths relative to ``root``).
    suffixes : sequence of str, optional
        Suffixes to read; by default those :mod:`dupscan.ingest` supports.
    exclude : iterable of paths, optional
        Folders not to walk (such as the blank templates when they sit under the root).

    Returns
    -------
    Corpus
        Files sorted by manifest order or path, plus skipped files with reasons.
    """
    given = ([Path(paths_or_root)] if isinstance(paths_or_root, (str, os.PathLike))
             else [Path(p) for p in paths_or_root])
    if not given:
        raise ConfigError("nothing to scan: give a folder or at least one file")
    missing = [str(p) for p in given if not p.exists() and not p.is_symlink()]
    if missing:
        raise ConfigError(f"{missing[0]}: no such file or folder")
    if root is None:
        if len(given) == 1 and given[0].is_dir() and not given[0].is_symlink():
            root_path = given[0].resolve()
        else:
            parents = [p.absolute().parent if not p.is_dir() or p.is_symlink() else p.absolute()
                       for p in given]
            root_path = Path(os.path.commonpath([str(p) for p in parents])).resolve()
    else:
        root_path = Path(root).resolve()
    if not root_path.is_dir():
        raise ConfigError(f"{root_path}: scan root is not a folder")
    wanted = tuple(s.lower() for s in (suffixes or supported_suffixes()))
    corpus = Corpus(root=root_path, has_manifest=manifest is not None)
    if manifest is not None:
        _from_manifest(corpus, load_manifest(manifest))
        return corpus
    found: dict[str, Path] = {}
    skipped: dict[str, Skipped] = {}
    for item in given:
        absolute = item.absolute()
        if not absolute.resolve().is_relative_to(root_path) and not item.is_symlink():
            rel = str(item)
            skipped[rel] = Skipped(rel, "path resolves outside the scan root; refused")
            continue
        # keep the given spelling of the root so relative paths match
        start = root_path / absolute.relative_to(_spelled_root(absolute, root_path))
        _walk(root_path, start, wanted, found, skipped)
    for folder in exclude:
        resolved = Path(folder).resolve()
        if resolved.is_relative_to(root_path) and resolved != root_path:
            prefix = resolved.relative_to(root_path).as_posix() + "/"
            found = {k: v for k, v in found.items() if not k.startswith(prefix)}
            skipped = {k: v for k, v in skipped.items() if not k.startswith(prefix)}
    for order, rel in enumerate(sorted(found)):
        size, mtime = _stat(found[rel])
        corpus.files.append(SourceFile(rel, _folder_case(root_path, rel), order, size, mtime))
    corpus.skipped = [skipped[k] for k in sorted(skipped)]
    return corpus


def _spelled_root(absolute: Path, root: Path) -> Path:
    """The prefix of ``absolute`` that resolves to ``root`` (handles /tmp -> /private/tmp)."""
    for candidate in [absolute, *absolute.parents]:
        if candidate.resolve() == root:
            return candidate
    return root


def _from_manifest(corpus: Corpus, entries: list[ManifestEntry]) -> None:
    folders = _SafeFolders(corpus.root)
    by_file: dict[str, list[ManifestEntry]] = {}
    for entry in entries:
        by_file.setdefault(split_doc_path(entry.doc)[0], []).append(entry)
    for rel, rows in by_file.items():
        first = rows[0]
        try:
            posix, st = folders.check(rel)
        except UnsafePathError as exc:
            corpus.skipped.extend(Skipped(e.doc, exc.reason) for e in rows)
            continue
        if st is None or not stat.S_ISREG(st.st_mode):
            reason = "listed in the manifest but not found" if st is None \
                else "listed in the manifest but is not a file"
            corpus.skipped.extend(Skipped(e.doc, reason) for e in rows)
            continue
        corpus.files.append(SourceFile(rel if posix == rel else posix, first.case_id,
                                       first.order, st.st_size, st.st_mtime_ns, tuple(rows)))
    corpus.files.sort(key=lambda f: f.order)
    corpus.skipped.sort(key=lambda s: s.path)


def resolve_case(*, manifest_case: str, header_case: str, folder_case: str) -> str:
    """Apply the case precedence: manifest, then header field, then first folder."""
    return manifest_case or header_case or folder_case
