"""Place the forms of a scan's files into their final cases, changing only what changed.

Where a form goes (its case, form type, date, author and its position in the
case) depends on the file's stored record (its forms, or why it could not be
read), on the manifest rows naming the file, on the folder it sits in and on
whether the scan has a manifest at all; its position also depends on the
file's place in the manifest or in path order. All but the position make up
the file's *signature*: a file whose signature is unchanged keeps the rows it
was placed with (only sort keys that moved are rewritten); every other file is
placed again, in batches of one transaction each (see
:class:`dupscan.batch.runtables.RunTables`).

A scan first compares each group of files (a pre-read case, see
:meth:`~dupscan.discover.Corpus.groups`) with how it was listed when it was last
placed whole (:func:`group_listing`): a group listed the same, file for file, is
*settled*. Its files are neither read nor looked up, since nothing their placing
depends on can have changed. Looking up each of the 97k unchanged files of a
year's records, and checking its signature and position, took about a second of
an incremental scan with the workers idle.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator
from typing import Any

from dupscan._spool import batched
from dupscan.discover import Corpus, SourceFile, resolve_case, split_doc_path
from dupscan.model import Skipped

__all__ = ["Placement", "place"]

_BATCH = 1024
#: moved sort keys set in one transaction: a row added near the top of a manifest moves
#: every later form, and one transaction per batch of files rewrote the same pages again
_MOVES = 16384


def group_listing(corpus: Corpus, files: list[SourceFile]) -> str:
    """A digest of everything a group's placing depends on that is known before reading:
    each file's path, size and modification time (an unchanged file is not read again,
    so its stored record is unchanged too), the manifest rows naming it with their rank
    in their case, and its place among all files when there is no manifest (which then
    orders a case's forms), with whether there is a manifest and the scan folder's name
    (the case of files at the top)."""
    rows = [(f.path, f.size, f.mtime_ns, None if corpus.has_manifest else f.order,
             [(e.doc, e.case_id, e.form_type, e.date, e.author, e.rank) for e in f.entries])
            for f in files]
    text = repr((corpus.has_manifest, corpus.root.name or ".", rows))
    return hashlib.sha256(text.encode()).hexdigest()


def place(corpus: Corpus, index: Any, skipped: list[Skipped]) -> None:
    """Bring the index's run tables in line with ``corpus``; append skipped files to ``skipped``.

    Parameters
    ----------
    corpus : Corpus
        The files of this scan, as discovered.
    index : Index
        The open scan index, with this run's file records stored.
    skipped : list of Skipped
        Receives the files (and manifest rows) that give no form, with reasons.
    """
    placement = Placement(corpus, index, skipped)
    for chunk in batched(corpus.files, _BATCH):
        placement.add(chunk)
    placement.finish()


class Placement:
    """:func:`place` a batch of files at a time, in any order, each file once.

    A scan places the files it need not read while its workers read the others,
    and each file read as soon as its record is stored: placing a year's files
    one after the other took 3.7 s of an incremental scan's 25 s, with the
    workers idle.
    Groups of files are offered first (:meth:`settled`): those listed as when they
    were last placed whole are taken as they are, and only the files of the others
    are added. :meth:`finish` then takes out the files gone since the last run, keeps
    the listings of the groups placed whole and brings the per-case counts up to
    date; every file of the corpus must have been settled or added by then (a file
    missing would be taken out as gone).
    """

    def __init__(self, corpus: Corpus, index: Any, skipped: list[Skipped]) -> None:
        self.corpus = corpus
        self.index = index
        self.skipped = skipped
        self.folder = corpus.root.name or "."
        self.seen: set[str] = set()
        self.moves: list[tuple[str, str]] = []
        self.batch: list[tuple[str, str, list, list]] = []
        #: group -> (its listing, what its files gave as skipped) of the groups to be
        #: kept as placed whole when :meth:`finish` ends
        self.groups: dict[str, tuple[str, list[list[str]]]] = {}
        self.incomplete: set[str] = set()  # groups with a file not stored in this run

    def settled(self, groups: list[tuple[str, list[SourceFile]]]) -> set[str]:
        """Of ``groups`` (``(name, files)``, as :meth:`~dupscan.discover.Corpus.groups`
        gives them), take those listed as when they were last placed whole: their files
        are placed as they were (and give the skipped notes they gave), and must not be
        added. Return their names. The others will be placed again: what was kept of
        them is forgotten first, so that a scan stopped while placing them cannot leave
        them settled on rows of another listing."""
        stored = self.index.run.group_listings([name for name, _ in groups])
        settled, stale = set(), []
        for name, files in groups:
            listing = group_listing(self.corpus, files)
            known = stored.get(name)
            notes: list[list[str]] = []
            if known is not None and known[0] == listing:
                notes = json.loads(known[1])
                self.skipped.extend(Skipped(path, reason) for path, reason in notes)
                self.seen.update(item.path for item in files)
                settled.add(name)
            elif known is not None:
                stale.append(name)
            self.groups[name] = (listing, notes)
        self.index.run.forget_groups(stale)
        return settled

    def add(self, files: list[SourceFile]) -> None:
        """Place ``files`` (at most a few thousand: what the index knows of them is
        looked up at once, never held for the whole corpus)."""
        index, run, corpus, folder = self.index, self.index.run, self.corpus, self.folder
        paths = [item.path for item in files]
        states = index.file_states(paths)
        placed = run.placed_files(paths)
        forms = run.placed_forms(paths)
        todo: list[tuple[SourceFile, str]] = []
        for item in files:
            state = states.get(item.path)
            if state is None:  # failed in this run, already listed as skipped
                self.incomplete.add(item.group)
                continue
            self.seen.add(item.path)
            sig = _signature(corpus, item, state[2], state[3], folder)
            before = placed.get(item.path)
            if before is None or before[0] != sig:
                todo.append((item, sig))
                continue
            if before[1] != "[]":
                notes = json.loads(before[1])
                self.skipped.extend(Skipped(p, r) for p, r in notes)
                self._noted(item, notes)
            by_doc, whole = _entries(item)
            for doc, row, key in forms.get(item.path, ()):
                new = _sort_key(item, by_doc.get(doc, whole), row)
                if new != key:
                    self.moves.append((new, doc))
        if len(self.moves) >= _MOVES:
            run.update_sort_keys(self.moves)
            self.moves = []
        for item, sig in todo:
            record = index.file_record(item.path)
            notes = [Skipped(path, reason) for path, reason in record.errors]
            rows = list(_placed(corpus, item, record.forms, record.stock, folder, notes))
            self.skipped.extend(notes)
            noted = [[s.path, s.reason] for s in notes]
            self._noted(item, noted)
            self.batch.append((item.path, sig, noted, rows))
        # placed a batch of files at a time, not a batch per call: an increment's few
        # files, spread over every call, were placed in as many transactions
        if len(self.batch) >= _BATCH:
            run.replace_files(self.batch)
            self.batch = []

    def unsettle(self, files: list[SourceFile]) -> None:
        """Keep no listing for the groups of ``files``, which could not be read in this
        run: they are read again next time (placed meanwhile as the index knew them)."""
        self.incomplete.update(item.group for item in files)

    def _noted(self, item: SourceFile, notes: list[list[str]]) -> None:
        """Keep ``notes`` (skipped ``[path, reason]`` pairs) with ``item``'s group."""
        group = self.groups.get(item.group)
        if group is not None and notes:
            group[1].extend(notes)

    def finish(self) -> None:
        """Store what is pending, take out the files gone, keep the listings of the
        groups placed whole, bring the stock counts up to date."""
        run = self.index.run
        if self.batch:
            run.replace_files(self.batch)
            self.batch = []
        run.update_sort_keys(self.moves)
        self.moves = []
        gone = sorted(path for path in run.placed_paths() if path not in self.seen)
        for start in range(0, len(gone), _BATCH):
            run.replace_files((path, None, [], []) for path in gone[start:start + _BATCH])
        # kept once every file of this run is placed: a group gone, or with a file that
        # could not be stored, is compared file by file next time
        run.replace_groups((name, listing, json.dumps(sorted(notes)))
                           for name, (listing, notes) in sorted(self.groups.items())
                           if name not in self.incomplete)
        run.refresh_counts()


def _signature(corpus: Corpus, item: SourceFile, sha256: str, errors: str, folder: str) -> str:
    """Everything but the position that decides where ``item``'s forms go."""
    entries = [(e.doc, e.case_id, e.form_type, e.date, e.author) for e in item.entries]
    parts = [sha256, errors, repr(entries), folder if "/" not in item.path else "",
             str(corpus.has_manifest)]
    return hashlib.sha256("\0".join(parts).encode()).hexdigest()


def _entries(item: SourceFile) -> tuple[dict[str, Any], Any]:
    """The manifest entries naming ``item`` by document, and the one naming the whole file."""
    by_doc = {entry.doc: entry for entry in item.entries}
    return by_doc, by_doc.get(item.path)


def _sort_key(item: SourceFile, entry: Any, row: int) -> str:
    """A form's position in its case: its manifest row's place among its case's rows
    (with its row in the file when the manifest names the whole file), or without a
    manifest its file's place and its row in the file.

    Sort keys only order the forms of one case, so a manifest row's rank in its case
    serves: rows added to other cases (a month of forms, listed case by case) move no
    form of this one, and no key is rewritten."""
    if entry is not None:
        return f"{entry.rank:09d}" if entry.doc != item.path else f"{entry.rank:09d}:{row:09d}"
    return f"{item.order:09d}:{row:09d}"


def _placed(corpus: Corpus, item: SourceFile, forms: list[dict[str, Any]],
            stock: list[list[Any]], root_folder: str, notes: list[Skipped]
            ) -> Iterator[tuple[str, int, str, str, int, dict, list]]:
    """``(doc, row, case_id, sort_key, words, form_dict, sentences)`` of each placed form."""
    by_doc, whole = _entries(item)
    folder = item.path.split("/")[0] if "/" in item.path else root_folder
    matched: set[str] = set()
    for row, form in enumerate(forms):
        entry = by_doc.get(form["doc"], whole)
        if corpus.has_manifest and entry is None:
            continue  # the manifest names other rows of this file only
        if entry is not None:
            matched.add(entry.doc)
            form = {**form,
                    "form_type": entry.form_type or form["form_type"],
                    "date": entry.date or form["date"],
                    "author": entry.author or form.get("author", "")}
        form["case_id"] = resolve_case(manifest_case=entry.case_id if entry else "",
                                       header_case=form["case_id"], folder_case=folder)
        if form.get("words", 0) == 0:
            form["words"] = _words(form)
        yield (form["doc"], row, form["case_id"], _sort_key(item, entry, row), form["words"],
               form, stock[row] if row < len(stock) else [])
    for doc in sorted(set(by_doc) - matched - {item.path}):
        notes.append(Skipped(doc, f"row {split_doc_path(doc)[1]} not found in {item.path}"))


def _words(form: dict[str, Any]) -> int:
    from dupscan._aggregate import count_words

    return sum(count_words(f["text"]) for f in form.get("fields", ()))
