"""Plain-English recommendations generated from a report's aggregates.

Four actions, each costed from the time model:

- **prefill**: a field of one form type repeats a field of an earlier one
  ("Prefill 'Family composition' in the child and family assessment from the
  contact referral: about 310 hours a year");
- **link**: the target is a chronology or log, whose entries should link to the
  source record instead of retyping it;
- **carry forward**: a form type repeats its own previous instance (visit notes);
- **merge**: most of a form type's words (at least ``merge_share``) repeat another
  form type, so the two could be one form;

plus prefill of structured fields typed again (:class:`~dupscan.model.Prefill`).
Recommendations are sorted by central hours saved, largest first.

>>> from dupscan.estimate import estimate
>>> recommendations(estimate([], []))
[]
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from dupscan.model import Report
from dupscan.report._format import duration, humanise, pct, totals

__all__ = ["Recommendation", "recommendations"]

_LINK_WORDS = ("chronolog", "log", "case_note", "timeline")


@dataclass(frozen=True, slots=True)
class Recommendation:
    """One recommended change and the time it would save (central, low, high hours)."""

    action: str
    text: str
    hours_central: float
    hours_low: float
    hours_high: float
    annual: bool
    evidence: str = ""


def _is_log(form_type: str) -> bool:
    name = form_type.lower().replace(" ", "_")
    return any(word in name for word in _LINK_WORDS)


def _amount(row: Mapping[str, Any], annual: bool) -> tuple[float, float, float]:
    prefix = "annual_hours" if annual else "hours"
    return tuple(float(row.get(f"{prefix}_{lv}") or 0.0)  # type: ignore[return-value]
                 for lv in ("low", "central", "high"))


def _phrase(central: float, annual: bool) -> str:
    amount = duration(central)
    about = "" if amount.startswith("under") else "about "
    return f"{about}{amount} " + ("a year" if annual else "in the period scanned")


def _possessive(name: str) -> str:
    return f"{name}'" if name.endswith("s") else f"{name}'s"


def _field_rec(row: Mapping[str, Any], annual: bool) -> Recommendation:
    src, tgt = humanise(row["source_form_type"]), humanise(row["target_form_type"])
    low, central, high = _amount(row, annual)
    evidence = (f"{row['reentered_words']:,} words re-entered in {row['findings']:,} places "
                f"across {row['cases']:,} case(s)")
    if row["source_form_type"] == row["target_form_type"]:
        action = "carry forward"
        text = (f"Carry forward '{row['target_field']}' from the previous {tgt} instead of "
                f"retyping it: {_phrase(central, annual)}")
    elif _is_log(row["target_form_type"]):
        action = "link"
        text = (f"Link '{row['target_field']}' in the {tgt} to the {_possessive(src)} "
                f"'{row['source_field']}' instead of retyping it: {_phrase(central, annual)}")
    else:
        action = "prefill"
        text = (f"Prefill '{row['target_field']}' in the {tgt} from the {src}"
                + (f" ('{row['source_field']}')" if row["source_field"] != row["target_field"]
                   else "") + f": {_phrase(central, annual)}")
    return Recommendation(action, text, central, low, high, annual, evidence)


def recommendations(report: Report, *, limit: int = 12, merge_share: float = 0.5,
                    min_hours: float = 0.0) -> list[Recommendation]:
    """The report's recommendations, largest saving first.

    Parameters
    ----------
    report : Report
    limit : int, default=12
    merge_share : float, default=0.5
        Share of a target form type's words that must repeat one source form type
        before merging the two is recommended.
    min_hours : float, default=0
        Recommendations saving less than this (central) are left out.
    """
    annual = totals(report.aggregates).get("annual_factor") is not None
    out: list[Recommendation] = []
    for row in report.aggregates.get("field_pair", ()):
        if row["source_field"] == "(unknown)" and row["target_field"] == "(unknown)":
            continue
        out.append(_field_rec(row, annual))
    for row in report.aggregates.get("form_type_pair", ()):
        share = float(row.get("share_of_target_words") or 0.0)
        if share >= merge_share and row["source_form_type"] != row["target_form_type"]:
            low, central, high = _amount(row, annual)
            src, tgt = humanise(row["source_form_type"]), humanise(row["target_form_type"])
            out.append(Recommendation(
                "merge",
                f"Merge the {src} and the {tgt}: {pct(share)} of the {_possessive(tgt)} words repeat the "
                f"{src}: {_phrase(central, annual)}",
                central, low, high, annual,
                f"{row['reentered_words']:,} of {row['target_words']:,} words"))
    factor = totals(report.aggregates).get("annual_factor") or 1.0
    for p in report.prefill:
        scale = factor / 3600.0 if annual else 1 / 3600.0
        central = p.seconds.central * scale
        out.append(Recommendation(
            "prefill",
            f"Prefill '{p.label or p.canonical}' in the {humanise(p.target_form_type)} from the "
            f"{humanise(p.source_form_type)} (typed again {p.occurrences:,} times): "
            f"{_phrase(central, annual)}",
            central, p.seconds.low * scale, p.seconds.high * scale, annual,
            f"{p.words:,} words typed again"))
    out = [r for r in out if r.hours_central >= min_hours]
    out.sort(key=lambda r: (-r.hours_central, r.action, r.text))
    return out[:limit]
