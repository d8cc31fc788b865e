"""The time model: how many seconds each re-entry costs, and the report totals.

Every figure comes from a time profile (:mod:`dupscan.profiles`) that cites its
source. Each estimate is computed three times, once with the profile's LOW,
CENTRAL and HIGH values, and reported as a :class:`~dupscan.model.Seconds` band
(the three results in ascending order).

Formula, for a finding of ``w`` words at one profile level::

    read(w)    = 60 * w / reading_wpm           check pasted or prefilled text
    type(w)    = 60 * w / transcription_wpm     retype from a copy
    compose(w) = 60 * w / composition_wpm       write new text
    klm(seq)   = sum of the KLM operator times in seq (K, P, H, M)

    paste_path = klm(paste) + read(w)           copy, paste, read it through
    reenter    = (1 - r) * paste_path + r * type(w)     r = retype_share
    edits      = ceil(w * (1 - similarity)), at least 1 (near only)
    edit_cost  = edits * (klm(edit) + chars_per_word * K)

    exact      : reenter                - klm(link)
    near       : reenter + edit_cost    - klm(link)
    paraphrase : compose(w)             - klm(link)

``klm(link)`` is what remains once the text is prefilled or linked (decide,
point, click to accept); results are floored at zero. A prefill candidate of
``n`` re-typings and ``w`` words in all saves
``n * klm(field) + w * chars_per_word * K``. Recording time is
``compose(all words of all forms)``.

>>> from dupscan.profiles import load_profile
>>> seconds = finding_seconds("paraphrase", 19, 0.8, load_profile())
>>> round(seconds.central, 2)
57.27
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, MutableSequence, Sequence
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path
from typing import Any

from dupscan._aggregate import Aggregator, count_words, tallies
from dupscan._case_part import VERSION as PART_VERSION
from dupscan._case_part import CasePart, FindingTally, FormTally
from dupscan._spool import FIELDS, FINDINGS, FORMS
from dupscan.errors import ConfigError
from dupscan.model import Finding, Form, Prefill, Report, Seconds, Skipped, StockText, Summary
from dupscan.profiles import LEVELS, Profile, load_profile

__all__ = [
    "Estimator",
    "PartCosting",
    "estimate",
    "finding_seconds",
    "period_from_dates",
    "prefill_seconds",
    "profile_figures",
    "recording_seconds",
]


def _per_word(wpm: float) -> float:
    return 60.0 / wpm


@dataclass(frozen=True, slots=True)
class _Level:
    """The profile's figures at one level, reduced to the constants of the formula."""

    read: float  # seconds per word
    type: float
    compose: float
    paste: float  # seconds per sequence
    link: float
    edit: float  # one edit: klm(edit) + chars_per_word * K
    field: float
    keystroke: float
    chars_per_word: float
    retype_share: float


def _levels(p: Profile) -> tuple[_Level, _Level, _Level]:
    cpw = p.number("text", "chars_per_word")
    out = []
    for lv in LEVELS:
        key = p.klm_seconds("K", lv)
        out.append(_Level(
            read=_per_word(p.rate("reading_wpm").at(lv)),
            type=_per_word(p.rate("transcription_wpm").at(lv)),
            compose=_per_word(p.rate("composition_wpm").at(lv)),
            paste=p.klm_seconds(p.sequence("paste"), lv),
            link=p.klm_seconds(p.sequence("link"), lv),
            edit=p.klm_seconds(p.sequence("edit"), lv) + cpw * key,
            field=p.klm_seconds(p.sequence("field"), lv),
            keystroke=key, chars_per_word=cpw,
            retype_share=p.band("reentry", "retype_share").at(lv)))
    return out[0], out[1], out[2]


def _band(values: Iterable[float]) -> Seconds:
    low, central, high = sorted(max(0.0, v) for v in values)
    return Seconds(low, central, high)


def _edits(words: int, similarity: float) -> int:
    sim = similarity / 100.0 if similarity > 1.0 else similarity
    sim = min(1.0, max(0.0, sim))
    return max(1, min(max(words, 1), math.ceil(round(words * (1.0 - sim), 6))))


def _cost(kind: str, words: int, similarity: float, c: _Level) -> float:
    if kind == "paraphrase":
        return words * c.compose - c.link
    if kind not in ("exact", "near"):
        raise ConfigError(f"unknown finding kind {kind!r}; expected exact, near or paraphrase")
    cost = (1.0 - c.retype_share) * (c.paste + words * c.read) + c.retype_share * words * c.type
    if kind == "near":
        cost += _edits(words, similarity) * c.edit
    return cost - c.link


def _finding_band(kind: str, words: int, similarity: float,
                  levels: tuple[_Level, _Level, _Level]) -> Seconds:
    return _band(_cost(kind, words, similarity, c) for c in levels)


def _prefill_band(words: int, occurrences: int,
                  levels: tuple[_Level, _Level, _Level]) -> Seconds:
    return _band(occurrences * c.field + words * c.chars_per_word * c.keystroke for c in levels)


def finding_seconds(kind: str, words: int, similarity: float, profile: Profile) -> Seconds:
    """Seconds one re-entry costs beyond a prefill or link, as a low/central/high band.

    Parameters
    ----------
    kind : {"exact", "near", "paraphrase"}
    words : int
        Words of the re-entered target text.
    similarity : float
        Similarity of target to source in [0, 1] (or [0, 100]); only ``near`` uses it.
    profile : Profile

    Examples
    --------
    >>> from dupscan.profiles import load_profile
    >>> round(finding_seconds("exact", 100, 1.0, load_profile()).low, 2)
    25.55
    """
    return _finding_band(kind, words, similarity, _levels(profile))


def prefill_seconds(words: int, occurrences: int, profile: Profile) -> Seconds:
    """Seconds saved by prefilling ``occurrences`` re-typings totalling ``words`` words.

    >>> from dupscan.profiles import load_profile
    >>> round(prefill_seconds(2, 1, load_profile()).central, 2)
    5.53
    """
    return _prefill_band(words, occurrences, _levels(profile))


def recording_seconds(words: int, profile: Profile) -> Seconds:
    """Seconds to compose ``words`` words of record at the composition speed.

    >>> from dupscan.profiles import load_profile
    >>> recording_seconds(19, load_profile()).central
    60.0
    """
    return _band(words * _per_word(profile.rate("composition_wpm").at(lv)) for lv in LEVELS)


def _parse_date(value: object) -> date | None:
    try:
        return date.fromisoformat(str(value)[:10])
    except ValueError:
        return None


def period_from_dates(dates: Iterable[str]) -> float | None:
    """Days covered by ISO dates (last - first + 1), or ``None`` without two valid dates.

    >>> period_from_dates(["2024-01-01", "2024-12-31", ""])
    366.0
    """
    span = _DateSpan()
    for value in dates:
        span.add(value)
    return span.days()


class _DateSpan:
    """The valid days seen, each with how many times (the period of a scan: its first
    and last day; counted so that a case can be taken out again)."""

    __slots__ = ("counts",)

    def __init__(self) -> None:
        self.counts: dict[int, int] = {}  # day's ordinal -> times seen

    def add(self, value: object, times: int = 1) -> None:
        day = _parse_date(value)
        if day is None:
            return
        key = day.toordinal()
        left = self.counts.get(key, 0) + times
        if left:
            self.counts[key] = left
        else:
            del self.counts[key]

    def days(self) -> float | None:
        if len(self.counts) < 2:
            return None
        return float(max(self.counts) - min(self.counts) + 1)


def profile_figures(profile: Profile) -> list[dict[str, str]]:
    """The profile's figures with their sources, as rows for a report's method section."""
    rows = []
    units = {"rates": "words per minute", "klm": "seconds", "reentry": "share",
             "audit": "words"}
    for section, body in profile.data.items():
        if section not in units:
            continue
        for key, raw in body.items():
            if isinstance(raw, Mapping):
                rows.append({"figure": f"{section}.{key}", "unit": units[section],
                             "low": f"{float(raw['low']):g}",
                             "central": f"{float(raw['central']):g}",
                             "high": f"{float(raw['high']):g}",
                             "source": str(raw.get("source", ""))})
    for key in ("paste", "link", "edit", "field"):
        seq = profile.sequence(key)
        rows.append({"figure": f"sequences.{key}", "unit": f"seconds ({seq})",
                     **{lv: f"{profile.klm_seconds(seq, lv):.2f}" for lv in LEVELS},
                     "source": str(profile.data["sequences"].get("source", ""))})
    return rows


def _resolve_profile(profile: Profile | str | Path | None) -> Profile:
    if isinstance(profile, Profile):
        return profile
    return load_profile(profile)


def _option(options: Any, name: str) -> Any:
    if options is None:
        return None
    if isinstance(options, Mapping):
        return options.get(name)
    return getattr(options, name, None)


def _form_words(form: Form) -> int:
    if form.words:
        return form.words
    return sum(count_words(f.text) for f in form.fields)


def _with_words(forms: list[Form]) -> list[Form]:
    """The forms, each with its ``words`` counted when not set."""
    return [f if f.words else replace(f, words=_form_words(f)) for f in forms]


def _finding_key(f: Finding) -> tuple:
    return (f.case_id, f.target.doc, f.target.start, f.target.end, f.source.doc,
            f.source.start, f.source.end, f.kind, f.target.field, f.source.field)


def _costed(f: Finding, band: Seconds) -> Finding:
    """``f`` with ``seconds=band`` (built directly: ``replace`` is slow at 100k findings)."""
    if f.seconds == band:
        return f
    if type(f) is Finding and len(Finding.__dataclass_fields__) == 7:
        return Finding(f.case_id, f.kind, f.similarity, f.words, f.source, f.target, band)
    return replace(f, seconds=band)


def _annual(derived: float | None, period_days: float | None,
            profile: Profile) -> tuple[float | None, str, float | None]:
    """(period_days, how it was found, annual factor or None); ``derived`` is the
    span of the form dates."""
    min_days = profile.number("annualise", "min_period_days")
    per_year = profile.number("annualise", "days_per_year")
    if period_days is not None:
        if not period_days > 0:
            raise ConfigError(f"period_days must be above zero, got {period_days!r}")
        return float(period_days), "given", per_year / float(period_days)
    if derived is None:
        return None, "unknown", None
    if derived < min_days:
        return derived, "form dates (too short to annualise)", None
    return derived, "form dates", per_year / derived


def _form_key(f: Form) -> tuple:
    return (f.case_id, f.date, f.order, f.doc, f.form_id)


_MAX_BANDS = 100_000  # cached bands (kind, words, similarity): bounded on long scans
_Bands = dict[tuple[str, int, float], Seconds]


def _costed_all(findings: Iterable[Finding], levels: tuple[_Level, _Level, _Level],
                bands: _Bands) -> list[Finding]:
    """Each finding with its ``seconds`` at ``levels``, in the given order; ``bands``
    caches the seconds of each (kind, words, similarity) met."""
    out = []
    for f in findings:
        band = bands.get((f.kind, f.words, f.similarity))
        if band is None:
            if len(bands) >= _MAX_BANDS:
                bands.clear()
            band = bands[(f.kind, f.words, f.similarity)] = _finding_band(
                f.kind, f.words, f.similarity, levels)
        out.append(_costed(f, band))
    return out


def _sorted_case(forms: Iterable[Form], findings: Iterable[Finding],
                 levels: tuple[_Level, _Level, _Level], bands: _Bands
                 ) -> tuple[list[Form], list[Finding]]:
    """One case's forms in case order with their words counted, and its findings costed
    and sorted: what its totals and its part are made from."""
    return (_with_words(sorted(forms, key=_form_key)),
            sorted(_costed_all(findings, levels, bands), key=_finding_key))


#: per process, the bands met by :class:`PartCosting` (one cache per set of levels)
_PART_BANDS: dict[tuple[_Level, _Level, _Level], _Bands] = {}


@dataclass(frozen=True, slots=True)
class PartCosting:
    """Cost one case into its :class:`~dupscan._case_part.CasePart`, as
    :meth:`Estimator.add_case_part` does, without an estimator.

    It holds only the profile's figures, so it pickles small: a scan hands it to
    the workers that detect the cases, and each case comes back costed and
    encoded. The scan's own process then adds the parts (:meth:`Estimator.add_part`):
    decoding, costing and encoding every case there took about 3 ms a case, which
    capped a scan at some 300 cases a second however many workers it had.
    """

    levels: tuple[_Level, _Level, _Level]

    def __call__(self, forms: Iterable[Form], findings: Iterable[Finding]) -> CasePart:
        """The part of one case: its report forms and its findings, costed."""
        return self.build(forms, findings, _PART_BANDS.setdefault(self.levels, {}))[1]

    def build(self, forms: Iterable[Form], findings: Iterable[Finding],
              bands: _Bands) -> tuple[list[Finding], CasePart]:
        """The findings costed and sorted, and the part (:meth:`__call__`), with the
        cache of bands to use."""
        forms_l, costed = _sorted_case(forms, findings, self.levels, bands)
        counts = tallies(forms_l, costed, {f.form_id: f for f in forms_l})
        return costed, CasePart.build(forms_l, costed, *counts)


class Estimator:
    """Cost findings and total a report case by case (:func:`estimate` in steps).

    A scan calls :meth:`add_case` for each case, in case order, and
    :meth:`report` at the end. Only the totals are held here; the costed forms
    and findings go to ``forms_out`` and ``findings_out`` (lists by default; a
    :class:`dupscan._spool.Spool` keeps them on disk). Parameters are those of
    :func:`estimate`.

    >>> est = Estimator()
    >>> est.report().summary.forms
    0
    """

    def __init__(self, *, profile: Profile | str | Path | None = None,
                 period_days: float | None = None, staff: int | None = None,
                 options: Any = None,
                 forms_out: MutableSequence[Form] | None = None,
                 findings_out: MutableSequence[Finding] | None = None) -> None:
        profile = profile if profile is not None else _option(options, "profile")
        period_days = period_days if period_days is not None else _option(options, "period_days")
        staff = staff if staff is not None else _option(options, "staff")
        if staff is not None and (isinstance(staff, bool) or not isinstance(staff, int)
                                  or staff < 1):
            raise ConfigError(
                f"staff must be a whole number of workers (1 or more), got {staff!r}")
        self.profile = _resolve_profile(profile)
        self.period_days = period_days
        self.staff = staff
        self.options = options
        self.forms_out: MutableSequence[Form] = [] if forms_out is None else forms_out
        self.findings_out: MutableSequence[Finding] = (
            [] if findings_out is None else findings_out)
        self._levels = _levels(self.profile)
        self._bands: dict[tuple[str, int, float], Seconds] = {}
        self._aggregator = Aggregator()
        self._dates = _DateSpan()
        self._last_case: str | None = None
        self._cases = 0
        self._forms = 0
        self._words = 0

    def cost(self, findings: Iterable[Finding]) -> list[Finding]:
        """Each finding with its ``seconds`` from the time profile, in the given order."""
        return _costed_all(findings, self._levels, self._bands)

    def add_case(self, forms: Iterable[Form], findings: Iterable[Finding]) -> list[Finding]:
        """Count one case's forms and findings; return the findings costed, sorted.

        Raises
        ------
        ValueError
            When the case comes before a case already added (cases must come in order).
        """
        forms_l, costed = _sorted_case(forms, findings, self._levels, self._bands)
        self._add(forms_l, costed, None)
        return costed

    def add_case_part(self, forms: Iterable[Form], findings: Iterable[Finding], *,
                      counted: bool = False) -> tuple[list[Finding], CasePart]:
        """:meth:`add_case`, also returning the case's :class:`~dupscan._case_part.CasePart`
        (what a scan index stores so that :meth:`add_part` can add the case again;
        ``counted`` as there)."""
        costed, part = self.part_costing().build(forms, findings, self._bands)
        self.add_part(part, counted=counted)
        return costed, part

    def add_part(self, part: CasePart, *, counted: bool = False) -> None:
        """Add a case from its stored part, as :meth:`add_case` added it.

        ``counted``: the totals already count this part (they were taken up again with
        :meth:`load_totals`): its rows are only passed on to the outputs, and its
        tallies need not have been decoded (:meth:`CasePart.decode`).

        Raises
        ------
        ValueError
            As :meth:`add_case`.
        """
        if not counted:
            self._count(part.form_tallies, part.finding_tallies)
        # spools that keep these rows take them as they are, without decoding them
        if getattr(self.forms_out, "codecs", None) == (FORMS, FIELDS):
            self.forms_out.extend_encoded(  # type: ignore[attr-defined]
                part.forms, part.fields, part.form_count, part.form_lines)
        else:
            self.forms_out.extend(part.decoded_forms())
        if getattr(self.findings_out, "codec", None) == FINDINGS:
            self.findings_out.extend_encoded(  # type: ignore[attr-defined]
                part.findings, part.finding_count, part.finding_lines)
        else:
            self.findings_out.extend(part.decoded_findings())

    def subtract_part(self, form_tallies: list[FormTally],
                      finding_tallies: list[FindingTally]) -> None:
        """Take out of the totals a case they counted with these tallies (a case that
        changed or went away since the totals were kept: :meth:`totals_state`). The
        totals are then those of the other cases, to the bit."""
        ids = {t[0] for t in form_tallies} | {t[0] for t in finding_tallies}
        self._cases -= len(ids)
        for _, _, _, words, day in form_tallies:
            self._forms -= 1
            self._words -= words
            self._dates.add(day, -1)
        self._aggregator.subtract_tallies(form_tallies, finding_tallies)

    def totals_state(self) -> dict[str, Any]:
        """What the totals count so far, as JSON values, to be taken up again by
        :meth:`load_totals` (the forms and findings passed on are not part of it)."""
        return {"cases": self._cases, "forms": self._forms, "words": self._words,
                "dates": sorted(self._dates.counts.items()),
                "tables": self._aggregator.state()}

    def load_totals(self, state: Mapping[str, Any]) -> None:
        """Take up the totals of :meth:`totals_state` (before any case is added): the
        cases they count are then added with ``counted=True`` or taken out with
        :meth:`subtract_part`, and other cases added as usual, in case order."""
        self._cases, self._forms, self._words = state["cases"], state["forms"], state["words"]
        self._dates.counts = {int(day): int(n) for day, n in state["dates"]}
        self._aggregator = Aggregator.of(state["tables"])
        self._last_case = None

    def _add(self, forms: list[Form], costed: list[Finding],
             by_id: Mapping[str, Form] | None) -> None:
        forms = _with_words(forms)
        counts = tallies(forms, costed, by_id if by_id is not None else
                         {f.form_id: f for f in forms})
        if self._count(*counts):
            self.forms_out.extend(forms)
            self.findings_out.extend(costed)

    def _count(self, form_tallies: list[FormTally], finding_tallies: list[FindingTally]) -> bool:
        """Add one case's tallies to the totals; False when it has neither forms nor findings."""
        ids = {t[0] for t in form_tallies} | {t[0] for t in finding_tallies}
        if not ids:
            return False
        first, last = min(ids), max(ids)
        if self._last_case is not None and first <= self._last_case:
            raise ValueError(f"case {first!r} comes after case {self._last_case!r}: "
                             "add cases in case order, each once")
        self._last_case = last
        self._cases += len(ids)
        for _, _, _, words, day in form_tallies:
            self._forms += 1
            self._words += words
            self._dates.add(day)
        self._aggregator.add_tallies(form_tallies, finding_tallies)
        return True

    def part_costing(self) -> PartCosting:
        """What builds a case's part (:meth:`add_case_part`) away from this estimator."""
        return PartCosting(self._levels)

    def part_settings(self) -> str:
        """What a case's stored part depends on besides its forms and findings: the
        figures findings are costed with (a part stored under others is not used)."""
        return f"{PART_VERSION}:{self._levels!r}"

    def report(self, *, stock_text: Iterable[StockText] = (), prefill: Iterable[Prefill] = (),
               skipped: Iterable[Skipped] = (), options: Any = None) -> Report:
        """The :class:`Report` of every case added (see :func:`estimate`)."""
        prof, levels = self.profile, self._levels
        prefill_t = tuple(sorted(
            (replace(p, seconds=_prefill_band(p.words, p.occurrences, levels)) for p in prefill),
            key=lambda p: (p.canonical, p.source_form_type, p.target_form_type, p.label),
        ))
        stock_t = tuple(sorted(stock_text, key=lambda s: (-s.occurrences, s.text, s.reason)))
        skipped_t = tuple(sorted(set(skipped), key=lambda s: (s.path, s.reason)))
        reentered = self._aggregator.finding_words + sum(p.words for p in prefill_t)
        # the findings' seconds, summed exactly (in any order, and after a case is taken
        # out), then the prefill candidates'
        seconds = self._aggregator.seconds + sum((p.seconds for p in prefill_t), Seconds())
        summary = Summary(forms=self._forms, cases=self._cases, words=self._words,
                          reentered_words=reentered, seconds=seconds,
                          recording_seconds=recording_seconds(self._words, prof))
        days, period_source, factor = _annual(self._dates.days(), self.period_days, prof)
        meta = {
            "profile": prof.name,
            "period_days": days,
            "period_source": period_source,
            "annual_factor": factor,
            "staff": self.staff,
            "working_weeks": prof.number("annualise", "working_weeks"),
        }
        aggregates = self._aggregator.rows(summary, prefill_t, meta)
        opts: dict[str, Any] = {}
        options = options if options is not None else self.options
        if isinstance(options, Mapping):
            opts.update(options)
        opts.update({"time_model": {**meta, "figures": profile_figures(prof)}})
        return Report(
            summary=summary, forms=_sealed(self.forms_out), findings=_sealed(self.findings_out),
            stock_text=stock_t, prefill=prefill_t, skipped=skipped_t, aggregates=aggregates,
            options=opts,
        )


def _sealed(items: Sequence[Any]) -> Sequence[Any]:
    """A list as a tuple; a spool sealed for reading."""
    if isinstance(items, list):
        return tuple(items)
    seal = getattr(items, "seal", None)
    return seal() if seal is not None else items


def estimate(
    forms: Iterable[Form],
    findings: Iterable[Finding],
    *,
    stock_text: Iterable[StockText] = (),
    prefill: Iterable[Prefill] = (),
    skipped: Iterable[Skipped] = (),
    profile: Profile | str | Path | None = None,
    period_days: float | None = None,
    staff: int | None = None,
    options: Any = None,
) -> Report:
    """Cost every finding and prefill candidate and total them into a :class:`Report`.

    Parameters
    ----------
    forms : iterable of Form
        Every form scanned (their words are the recording the share is taken of).
    findings : iterable of Finding
        Re-entries from :func:`dupscan.detect`; their ``seconds`` are recomputed.
    stock_text, prefill, skipped : iterables
        Passed through (prefill ``seconds`` recomputed), sorted for stable output.
    profile : Profile, path or None, default=None
        Time profile; ``None`` uses the shipped default. A path overrides its keys.
    period_days : float, optional
        Days the scan covers; when omitted it is the span of the form dates.
    staff : int, optional
        Workers who write these records, for hours per worker per week.
    options : ScanOptions or mapping, optional
        Supplies ``profile``, ``period_days`` and ``staff`` when not given here.

    Returns
    -------
    Report
        With ``aggregates`` keyed ``totals``, ``case``, ``form_type``,
        ``form_type_pair``, ``field_pair``, ``author`` and ``kind`` (rows sorted by
        central seconds, largest first). ``summary.reentered_words`` and
        ``summary.seconds`` include the prefill candidates; the ``totals`` row
        gives ``finding_words`` and ``prefill_words`` separately.

    See Also
    --------
    Estimator : the same, case by case, for scans too large to hold.

    Examples
    --------
    >>> report = estimate([], [])
    >>> report.summary.seconds
    Seconds(low=0.0, central=0.0, high=0.0)
    """
    est = Estimator(profile=profile, period_days=period_days, staff=staff, options=options)
    forms_t = sorted(forms, key=_form_key)
    costed = sorted(est.cost(findings), key=_finding_key)
    # a finding may point at a form of another case: look forms up over the whole scan
    by_id = {f.form_id: f for f in forms_t}
    by_case_forms = _by_case(forms_t)
    by_case_findings = _by_case(costed)
    for case_id in sorted(set(by_case_forms) | set(by_case_findings)):
        est._add(by_case_forms.get(case_id, []), by_case_findings.get(case_id, []), by_id)
    return est.report(stock_text=stock_text, prefill=prefill, skipped=skipped)


def _by_case(items: Iterable[Any]) -> dict[str, list[Any]]:
    out: dict[str, list[Any]] = {}
    for item in items:
        out.setdefault(item.case_id, []).append(item)
    return out
