"""Alignment: merge matched sentences into maximal spans.

Consecutive target sentences whose matches come from the same source field,
in the same or nearly the same order, form one span: a copied paragraph is one
finding, not one per sentence. Copied sentences join when their sources are
neighbours (in order, or two swapped), so a span's source never covers source
text the target left out; a rewritten paragraph may reorder, split or join its
sentences (sources up to ``MAX_SOURCE_JUMP + 2`` apart). An unmatched target sentence always breaks the span: its words are
never counted as re-entered without a match of their own (a sentence reworded
inside a re-entered paragraph is matched at the detector's lower context
threshold instead). The span's kind is exact when every sentence is
an exact copy, paraphrase when paraphrased sentences hold most of its words, and
near otherwise.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from dupscan.detect.attribution import Match
from dupscan.detect.passages import Unit

__all__ = ["Group", "merge"]

MAX_SOURCE_JUMP = 3


@dataclass(slots=True)
class Group:
    """A run of matched target sentences sharing one source field."""

    matches: list[Match]

    @property
    def t_range(self) -> tuple[int, int]:
        return self.matches[0].t_range[0], self.matches[-1].t_range[1]

    def s_range(self) -> tuple[int, int]:
        return (min(m.s_range[0] for m in self.matches), max(m.s_range[1] for m in self.matches))

    def kind(self, units: Sequence[Unit]) -> str:
        kinds = {m.kind for m in self.matches}
        if kinds == {"exact"}:
            return "exact"
        para = sum(units[m.target].words for m in self.matches if m.kind == "paraphrase")
        total = sum(units[m.target].words for m in self.matches)
        return "paraphrase" if para * 2 > total else "near"

    def similarity(self, units: Sequence[Unit]) -> float:
        total = sum(units[m.target].words for m in self.matches) or 1
        return sum(m.similarity * units[m.target].words for m in self.matches) / total


def _joins(prev: Match, nxt: Match, units: Sequence[Unit]) -> bool:
    pt, nt = units[prev.target], units[nxt.target]
    ps, ns = units[prev.source], units[nxt.source]
    if (pt.form, pt.field) != (nt.form, nt.field) or nt.seq != pt.seq + 1:
        return False
    if (ps.form, ps.field) != (ns.form, ns.field):
        return False
    if prev.t_range[1] != pt.end or nxt.t_range[0] != nt.start:
        return False  # a partial copy ends inside its sentence
    jump = ns.seq - ps.seq
    if "paraphrase" in (prev.kind, nxt.kind):
        # a rewritten paragraph may reorder, split or join its sentences
        return abs(jump) <= MAX_SOURCE_JUMP + 2
    # a copy joins only the next or previous source sentence, so its source span never
    # covers source text it skipped (compare(a, b) and compare(b, a) give the same spans)
    return jump in (-1, 1)


def merge(matches: Sequence[Match], units: Sequence[Unit]) -> list[Group]:
    """Group ``matches`` (one per target unit) into maximal runs.

    Examples
    --------
    A three-sentence paragraph copied whole becomes one group (see the tests).
    """
    ordered = sorted(matches, key=lambda m: (units[m.target].form, units[m.target].field,
                                             units[m.target].seq))
    groups: list[Group] = []
    for m in ordered:
        if groups and _joins(groups[-1].matches[-1], m, units):
            groups[-1].matches.append(m)
        else:
            groups.append(Group([m]))
    return groups
