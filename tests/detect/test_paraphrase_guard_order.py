"""The guard judges a target's paraphrase candidates lazily, with the same verdicts.

``_paraphrase`` asks the guard about the confident rows in the order
``earliest`` ranks paraphrases and stops at the first it lets through, and
leaves the weak rows for ``_in_context``, which asks from the most probable
down. The reference below is the eager algorithm (every row judged in form
order, then ``earliest`` and ``max``): both must pick the same match.
"""

from __future__ import annotations

import importlib
from types import SimpleNamespace

from hypothesis import example, given, settings
from hypothesis import strategies as st

from dupscan.detect.attribution import Match, earliest

engine = importlib.import_module("dupscan.detect.engine")  # the package re-exports detect()

PARAPHRASE, CONTEXT = 0.6, 0.2
MODEL = SimpleNamespace(paraphrase_threshold=PARAPHRASE, context_threshold=CONTEXT)


def _unit(idx: int, form: int, field: int = 0) -> SimpleNamespace:
    return SimpleNamespace(idx=idx, form=form, field=field, text=f"text {idx}", start=0, end=6)


def _eager(target, rows, probs, rejected):
    """The paraphrase of ``target`` and its weak rows, judging every row in form order."""
    found, maybe = [], []
    for (s, cosine, _lex, _), p in zip(rows, probs):
        if found and s.form > found[0].source_form:
            break
        if p < CONTEXT or s.idx in rejected:
            continue
        match = Match(target.idx, s.idx, s.form, "paraphrase", round(cosine, 4),
                      (target.start, target.end), (s.start, s.end))
        if p >= PARAPHRASE:
            found.append(match)
        else:
            maybe.append((p, match))
    return (earliest(found), []) if found else (None, maybe)


_row = st.tuples(st.integers(0, 2),                      # source form
                 st.sampled_from([0.55, 0.7, 0.7, 0.9]),  # cosine (ties on purpose)
                 # probabilities on both thresholds, between them and around them
                 st.one_of(st.sampled_from([0.1, 0.2, 0.35, 0.5, 0.6, 0.8]),
                           st.floats(0.0, 1.0)),
                 st.booleans(),                           # the guard rejects it
                 st.integers(0, 1),                       # source field
                 st.sampled_from([0.5, 0.7, 0.9]))        # token ratio (near-copy check)


@settings(max_examples=400, deadline=None)
@given(st.lists(_row, max_size=8), st.booleans())
# two weak rows from the context field, the later more probable; a rejected one first
@example([(0, 0.7, 0.3, False, 0, 0.5), (0, 0.7, 0.5, True, 0, 0.9),
          (0, 0.7, 0.4, False, 0, 0.7)], True)
def test_lazy_guard_picks_what_judging_every_row_picks(spec, in_context):
    spec = sorted(spec, key=lambda r: r[0])  # candidates come in form order
    target = _unit(100, 4)
    sources = [_unit(i, form, field) for i, (form, _, _, _, field, _) in enumerate(spec)]
    rows = [(s, cosine, SimpleNamespace(token_ratio=ratio), 0.0)
            for s, (_, cosine, _, _, _, ratio) in zip(sources, spec)]
    probs = [p for _, _, p, _, _, _ in spec]
    rejected = {s.idx for s, (_, _, _, bad, _, _) in zip(sources, spec) if bad}
    asked: list[int] = []

    def guard(s_text, t_text, *, near, aliases):
        idx = int(s_text.split()[1])
        asked.append(idx)
        assert near == (spec[idx][5] >= 0.7)  # a near-copy from _NEAR_GUARD on
        return "number" if idx in rejected else None

    by_idx = {u.idx: u for u in (*sources, target)}
    prep = SimpleNamespace(aliases={}, units=by_idx)
    original = engine.conflict
    engine.conflict = guard
    try:
        found, weak = engine._paraphrase(prep, engine._Open(target, rows), probs, MODEL)
        want_found, want_maybe = _eager(target, rows, probs, rejected)
        assert found == want_found
        if found is not None:
            # the guard stopped at the match it let through
            assert asked[-1] == found.source and found.source not in rejected
            assert weak == []
            return
        assert want_found is None
        # the weak rows as _in_context would choose among them: the target's field
        # already re-enters field 0 of form 0 (or nothing)
        context = [Match(99, 98, 0, "near", 1.0, (0, 1), (0, 1))] if in_context else []
        by_idx[98], by_idx[99] = _unit(98, 0, 0), _unit(99, 4, 0)
        target.field = 0
        added = engine._in_context(prep, context, {target.idx: weak} if weak else {})
        inside = [(p, m) for p, m in want_maybe
                  if (by_idx[m.source].form, by_idx[m.source].field) == (0, 0)]
        want = [max(inside, key=lambda pm: (pm[0], -pm[1].source))[1]] if in_context and inside \
            else []
        assert added == want
    finally:
        engine.conflict = original


def test_the_guard_is_asked_once_when_the_earliest_confident_row_passes():
    target = _unit(10, 3)
    sources = [_unit(0, 0), _unit(1, 1), _unit(2, 2)]
    lex = SimpleNamespace(token_ratio=0.5)
    rows = [(s, 0.8, lex, 0.0) for s in sources]
    asked: list[int] = []

    def guard(s_text, t_text, *, near, aliases):
        asked.append(int(s_text.split()[1]))

    original = engine.conflict
    engine.conflict = guard
    try:
        found, weak = engine._paraphrase(SimpleNamespace(aliases={}), engine._Open(target, rows),
                                         [0.9, 0.9, 0.3], MODEL)
    finally:
        engine.conflict = original
    assert found is not None and found.source == 0 and weak == []
    assert asked == [0]
