"""The report's totals, kept in a scan index from one run to the next.

A scan adds every case to the report's totals (:class:`~dupscan.estimate.Estimator`)
and sums every case's prefill counts (:class:`~dupscan.detect.prefill.PrefillSum`).
For an unchanged case that meant decoding the tallies of its stored part and its
prefill counts, and adding them again: about 150 us a case, 1.3-1.7 s of the scan's
own process for the 7,734 unchanged cases of an increment at 100k forms, while it
shares two cores with the workers.

So a scan with an index keeps, at its end, what its totals count (:func:`keep`):
the estimator's and the prefill sum's state, and for each case counted the key of
its part and the digest of its forms (which fix its tallies and prefill counts). The
next scan takes them up (:func:`read_kept`, :func:`apply`): a case planned under the same part key and
digest, whose findings are stored, is counted already; every other case the kept
totals count is taken out again, from its part and prefill counts as stored under the
kept key and digest, before anything of this run replaces them. Every sum is a whole
number (seconds in units of ``2**-64`` s), so the totals are those of counting every
case again, to the bit.

When a case's stored rows are not those the kept totals counted (a scan stopped half
way replaced them), or the totals were kept under other settings, nothing is taken
up and every case is counted as before. The kept totals are written once, at the end
of a scan that gave every case.

Taking up costs about 0.37 s before the first case of an increment at 100k forms
(:func:`read_kept` checks the rows, :func:`apply` reads them one case at a time and
takes them out). Applying it in a thread while the workers detect the first cases was
measured and left: the first case started 0.4 s sooner, but the cases phase took 0.3 s
longer, and five increments of each in turns could not tell the two apart (10.87 s
against 10.99 s by the medians).
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from dupscan._case_part import CasePart

__all__ = ["VERSION", "Kept", "apply", "can_keep", "keep", "read_kept"]

VERSION = 1


@dataclass(frozen=True, slots=True)
class Kept:
    """The totals a run kept, as :func:`read_kept` found them: still to be taken up."""

    state: dict[str, Any]
    #: the cases they count as this run plans them
    counted: set[str]
    #: the cases to take out, whose stored rows are those the totals counted
    taken_out: list[str]


def read_kept(run: Any, settings: str,
              planned: Iterable[tuple[str, str, str, bool]]) -> Kept | None:
    """The totals the last run kept under ``settings``; None when none were kept, or when
    a case to take out no longer has the rows they counted (its part and prefill counts
    stored under the kept key and digest: only these are read here).

    ``planned`` gives each case of this run as ``(case_id, part key, forms digest,
    whether its findings are stored under its key)``; ``run`` is the index's
    :class:`~dupscan.batch.runtables.RunTables`.
    """
    text = run.totals(settings)
    if text is None:
        return None
    state = json.loads(text)
    counted_as: dict[str, list[str]] = state["cases"]
    counted = {case_id for case_id, part_key, digest, stored in planned
               if stored and counted_as.get(case_id) == [part_key, digest]}
    taken_out = sorted(set(counted_as) - counted)
    for case_id in taken_out:
        if list(run.counted_keys(case_id)) != counted_as[case_id]:
            return None
    return Kept(state, counted, taken_out)


def apply(kept: Kept, run: Any, totals: Any, prefill: Any) -> set[str]:
    """Take up ``kept`` into ``totals`` (an :class:`~dupscan.estimate.Estimator` to which no
    case was added) and ``prefill`` (a :class:`~dupscan.detect.prefill.PrefillSum`,
    likewise), less every case planned otherwise now, before this run replaces any of
    their rows in ``run``; return the cases they count as they are now.

    The cases are taken out one at a time, so that memory does not grow with them (an
    increment that changes most of a million forms reads some 80k parts). When a part
    to take out is damaged, both are left as they were and the empty set is returned.
    """
    blank, blank_prefill = totals.totals_state(), prefill.state()
    totals.load_totals(kept.state["totals"])
    prefill.load(kept.state["prefill"])
    for case_id in kept.taken_out:
        data, counts = run.counted_rows(case_id)
        try:
            part = CasePart.decode(data)
        except ValueError:
            totals.load_totals(blank)
            prefill.load(blank_prefill)
            return set()
        totals.subtract_part(part.form_tallies, part.finding_tallies)
        parsed = json.loads(counts)
        if parsed:
            prefill.subtract(parsed)
    return kept.counted


def keep(run: Any, settings: str, totals: Any, prefill: Any,
         cases: Mapping[str, tuple[str, str]]) -> None:
    """Keep the totals of a scan that gave every case: ``totals`` and ``prefill`` as
    :func:`apply` takes them up, and ``cases`` (``case_id -> (part key, forms
    digest)``), the cases they count."""
    state = {"totals": totals.totals_state(), "prefill": prefill.state(),
             "cases": {case_id: list(keys) for case_id, keys in cases.items()}}
    run.store_totals(settings, json.dumps(state, separators=(",", ":"), ensure_ascii=False))


def can_keep(totals: Any, prefill: Any) -> bool:
    """Whether ``totals`` and ``prefill`` can be kept and taken up (a consumer's own
    estimator or prefill stage may not)."""
    return (all(callable(getattr(totals, name, None))
                for name in ("load_totals", "subtract_part", "totals_state"))
            and all(callable(getattr(prefill, name, None))
                    for name in ("load", "subtract", "state")))
