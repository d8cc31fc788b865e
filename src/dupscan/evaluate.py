"""Score findings against the ground truth of a synthetic corpus.

The rules (DESIGN.md, "Ground truth and evaluation"):

* a truth item is **recovered** when some finding has the same target document,
  a source document among the item's ``valid_sources``, and covers at least half
  of the item's target words;
* a finding is a **true positive** when at least half of its target words fall
  inside planted re-entries of its target document;
* a ``distinct`` item (a hard negative: same frame, different facts) is
  **wrongly flagged** when some finding covers at least half of its target words.

Recall is reported per truth kind, precision per predicted kind; a re-entry found
but labelled with another kind still counts (the kind confusion is reported
separately). Word coverage is measured on the word sequence: two texts cut from
the same document share their overlap as one contiguous run of words, so only
runs of at least :data:`MIN_RUN` words count (or the whole text when shorter),
which keeps stray common words ("the", "and") from counting as overlap.

Example
-------
>>> truth = [{"case_id": "C1", "kind": "exact",
...           "source": {"doc": "a.txt", "field": "Reason", "text": "Ava was late to school again today"},
...           "target": {"doc": "b.txt", "field": "Background", "text": "Ava was late to school again today"},
...           "valid_sources": ["a.txt"]}]
>>> findings = [{"case_id": "C1", "kind": "exact", "words": 7,
...              "source": {"doc": "a.txt", "text": "Ava was late to school again today"},
...              "target": {"doc": "b.txt", "text": "Ava was late to school again today"}}]
>>> score(truth, findings).by_kind["exact"].f1
1.0
"""

from __future__ import annotations

import json
import re
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass, field
from difflib import SequenceMatcher
from pathlib import Path
from typing import Any

from dupscan.errors import ConfigError

__all__ = ["KindScore", "Evaluation", "evaluate", "score", "words_of"]

KINDS = ("exact", "near", "paraphrase")
MIN_RUN = 3
COVER = 0.5
_WORD = re.compile(r"[^\W_]+(?:['’][^\W_]+)*")


def words_of(text: str) -> list[str]:
    """Lower-cased word tokens of ``text`` (letters and digits; apostrophes kept inside)."""
    return [w.replace("’", "'") for w in _WORD.findall(text.casefold())]


@dataclass(frozen=True, slots=True)
class KindScore:
    """Precision, recall and F1 for one kind of re-entry."""

    truth: int
    recovered: int
    predicted: int
    true_positive: int

    @property
    def precision(self) -> float:
        return self.true_positive / self.predicted if self.predicted else 0.0

    @property
    def recall(self) -> float:
        return self.recovered / self.truth if self.truth else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def as_dict(self) -> dict[str, float | int]:
        return {**asdict(self), "precision": round(self.precision, 4),
                "recall": round(self.recall, 4), "f1": round(self.f1, 4)}


@dataclass(frozen=True, slots=True)
class Evaluation:
    """The scores of one findings file against one truth file."""

    by_kind: Mapping[str, KindScore]
    overall: KindScore
    distinct_total: int
    distinct_flagged: int
    estimated_words: int
    true_words: int
    confusion: Mapping[str, Mapping[str, int]] = field(default_factory=dict)

    @property
    def distinct_flagged_rate(self) -> float:
        return self.distinct_flagged / self.distinct_total if self.distinct_total else 0.0

    @property
    def words_ratio(self) -> float:
        return self.estimated_words / self.true_words if self.true_words else 0.0

    def as_dict(self) -> dict[str, Any]:
        return {
            "by_kind": {k: v.as_dict() for k, v in self.by_kind.items()},
            "overall": self.overall.as_dict(),
            "distinct": {"total": self.distinct_total, "flagged": self.distinct_flagged,
                         "flagged_rate": round(self.distinct_flagged_rate, 4)},
            "words": {"estimated": self.estimated_words, "true": self.true_words,
                      "ratio": round(self.words_ratio, 4)},
            "confusion": {k: dict(v) for k, v in self.confusion.items()},
        }


def _covered_positions(part: Sequence[str], whole: Sequence[str]) -> set[int]:
    """Indices of ``part`` lying in runs of words shared with ``whole``."""
    if not part or not whole:
        return set()
    min_run = min(MIN_RUN, len(part), len(whole))
    matcher = SequenceMatcher(None, part, whole, autojunk=False)
    covered: set[int] = set()
    for block in matcher.get_matching_blocks():
        if block.size >= min_run:
            covered.update(range(block.a, block.a + block.size))
    return covered


def coverage(part: str, whole: str) -> float:
    """Share of the words of ``part`` that ``whole`` also holds in runs.

    >>> coverage("the child was seen alone today", "on 3 May the child was seen alone")
    0.8333333333333334
    """
    words = words_of(part)
    if not words:
        return 0.0
    return len(_covered_positions(words, words_of(whole))) / len(words)


def _target(item: Mapping[str, Any]) -> Mapping[str, Any]:
    try:
        return item["target"]
    except (KeyError, TypeError) as exc:
        raise ConfigError(f"item without a target: {item!r:.120}") from exc


def score(truth: Iterable[Mapping[str, Any]], findings: Iterable[Mapping[str, Any]]) -> Evaluation:
    """Score finding dicts (DESIGN.md's findings schema) against truth dicts (truth.jsonl lines)."""
    truth = list(truth)
    findings = list(findings)
    planted = [t for t in truth if t.get("kind") in KINDS]
    distinct = [t for t in truth if t.get("kind") == "distinct"]
    unknown = {t.get("kind") for t in truth} - {*KINDS, "distinct"}
    if unknown:
        raise ConfigError(f"truth has unknown kind(s) {sorted(map(str, unknown))}")

    findings_by_doc: dict[str, list[tuple[Mapping[str, Any], list[str]]]] = defaultdict(list)
    for f in findings:
        findings_by_doc[_target(f)["doc"]].append((f, words_of(_target(f).get("text", ""))))
    planted_by_doc: dict[str, list[list[str]]] = defaultdict(list)
    for t in planted:
        planted_by_doc[_target(t)["doc"]].append(words_of(_target(t)["text"]))

    recovered: dict[str, int] = dict.fromkeys(KINDS, 0)
    confusion: dict[str, dict[str, int]] = {k: dict.fromkeys(KINDS, 0) for k in KINDS}
    for t in planted:
        target_words = words_of(_target(t)["text"])
        sources = set(t.get("valid_sources") or [t["source"]["doc"]])
        best_kind = None
        for f, f_words in findings_by_doc.get(_target(t)["doc"], ()):
            if f["source"]["doc"] not in sources or not target_words:
                continue
            if len(_covered_positions(target_words, f_words)) / len(target_words) >= COVER:
                best_kind = f.get("kind")
                if best_kind == t["kind"]:
                    break
        if best_kind is not None:
            recovered[t["kind"]] += 1
            if best_kind in KINDS:
                confusion[t["kind"]][best_kind] += 1

    predicted = dict.fromkeys(KINDS, 0)
    true_positive = dict.fromkeys(KINDS, 0)
    for doc, doc_findings in findings_by_doc.items():
        for f, f_words in doc_findings:
            kind = f.get("kind")
            if kind not in KINDS:
                raise ConfigError(f"finding has unknown kind {kind!r}")
            predicted[kind] += 1
            inside: set[int] = set()
            for t_words in planted_by_doc.get(doc, ()):
                inside |= _covered_positions(f_words, t_words)
            if f_words and len(inside) / len(f_words) >= COVER:
                true_positive[kind] += 1

    flagged = 0
    for d in distinct:
        d_words = words_of(_target(d)["text"])
        if d_words and any(
            len(_covered_positions(d_words, f_words)) / len(d_words) >= COVER
            for _, f_words in findings_by_doc.get(_target(d)["doc"], ())
        ):
            flagged += 1

    truth_counts = {k: sum(1 for t in planted if t["kind"] == k) for k in KINDS}
    by_kind = {k: KindScore(truth_counts[k], recovered[k], predicted[k], true_positive[k])
               for k in KINDS}
    overall = KindScore(sum(truth_counts.values()), sum(recovered.values()),
                        sum(predicted.values()), sum(true_positive.values()))
    return Evaluation(
        by_kind=by_kind,
        overall=overall,
        distinct_total=len(distinct),
        distinct_flagged=flagged,
        estimated_words=sum(int(f.get("words") or len(words_of(_target(f).get("text", ""))))
                            for f in findings),
        true_words=sum(len(words_of(_target(t)["text"])) for t in planted),
        confusion=confusion,
    )


def _read_jsonl(path: Path) -> list[dict[str, Any]]:
    items = []
    with path.open(encoding="utf-8") as handle:
        for number, line in enumerate(handle, 1):
            if line.strip():
                try:
                    items.append(json.loads(line))
                except json.JSONDecodeError as exc:
                    raise ConfigError(f"{path}:{number}: not valid JSON ({exc.msg})") from exc
    return items


def _read_findings(path: Path) -> list[dict[str, Any]]:
    """Findings from a findings.json (schema dupscan.findings/1) or a findings JSONL stream."""
    if path.suffix == ".jsonl":
        return _read_jsonl(path)
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as exc:
        raise ConfigError(f"{path}: not valid JSON ({exc.msg})") from exc
    if not isinstance(data, dict) or not isinstance(data.get("findings"), list):
        raise ConfigError(f"{path}: expected a findings.json with a 'findings' list")
    return data["findings"]


def evaluate(truth: str | Path, findings: str | Path) -> Evaluation:
    """Score a findings file against a ``truth.jsonl`` file.

    Parameters
    ----------
    truth : path
        ``truth.jsonl`` written by ``dupscan generate``.
    findings : path
        ``findings.json`` written by ``dupscan scan`` (or a findings ``.jsonl`` stream).
    """
    truth_path, findings_path = Path(truth), Path(findings)
    for path in (truth_path, findings_path):
        if not path.is_file():
            raise ConfigError(f"{path}: no such file")
    return score(_read_jsonl(truth_path), _read_findings(findings_path))
