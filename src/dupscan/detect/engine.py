"""Re-entry detection over the forms of one case.

Steps: split narrative fields into sentence units; find candidate source
units for each target unit in earlier forms (equal hashes, shared shingles,
embedding neighbours); verify each candidate (exact, near by edit similarity,
paraphrase by the pair classifier) with the changed-facts guard; keep the
match in the earliest form; merge runs of matched sentences into spans.
"""

from __future__ import annotations

import threading
from collections import defaultdict
from collections.abc import Collection, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, NamedTuple

import numpy as np

from dupscan.config import ScanOptions
from dupscan.detect.align import merge
from dupscan.detect.attribution import Match, attribution_order, earliest
from dupscan.detect.classify import PairModel, load_pair_model, stems
from dupscan.detect.extend import CASE_WEIGHTS, Earlier, case_states, form_digests, kept_forms
from dupscan.detect.fingerprint import shared_earlier
from dupscan.detect.fuzzy import Lexical, aligned_range, lexical
from dupscan.detect.guard import conflict
from dupscan.detect.people import aliases_from, merge_names, name_words
from dupscan.detect.normalise import content_words, normalise, word_count
from dupscan.detect.pair_batch import pair_matrix
from dupscan.detect.passages import Unit, build_units
from dupscan.detect.semantic import TokenIds, cache_words, encode, encode_with_ids, neighbours
from dupscan.model import Finding, Form, Span

__all__ = ["Earlier", "Prepared", "detect", "detect_case", "prepare", "settings"]

_CONTAINMENT = 0.9
_MIN_CONTAINED_WORDS = 6
_TRIM_WORDS = 3  # unmatched words at either end of a near copy cut off from its span
# a paraphrase candidate sharing its opening word for word, then going on its own way,
# is a frame around another observation (see _shared_frame); chosen on the 10k scale
# corpus (seed 1), where the 14 paraphrase findings of that shape were all false
_FRAME_WORDS, _FRAME_SHARE, _FRAME_TAIL = 5, 0.4, 3
_NEAR_GUARD = 0.7  # token ratio from which a paraphrase candidate is checked as a near-copy


def settings(options: ScanOptions) -> dict[str, Any]:
    """Detection settings read from ``options.extra`` (with their defaults)."""
    extra = options.extra or {}
    return {"backend": str(extra.get("embedding", "static")),
            "weights": extra.get("pair_weights"),
            "neighbours": int(extra.get("neighbours", 4))}


def _same_field(forms: Sequence[Form], s: Unit, t: Unit) -> float:
    a = forms[s.form].fields[s.field].canonical
    b = forms[t.form].fields[t.field].canonical
    if a is None or b is None:
        return 0.5
    return 1.0 if a == b else 0.0


class _Margins:
    """Margins of the candidates of one target: the best and second-best cosine,
    found once rather than rescanning every candidate for each one."""

    __slots__ = ("best", "best_idx", "second")

    def __init__(self, cands: Sequence[tuple[Unit, float | None]]) -> None:
        self.best: float | None = None
        self.second: float | None = None
        self.best_idx = -1
        for u, c in cands:
            if c is None:
                continue
            if self.best is None or c > self.best:
                self.best, self.second, self.best_idx = c, self.best, u.idx
            elif self.second is None or c > self.second:
                self.second = c

    def __call__(self, s: Unit, cosine: float | None) -> float:
        """Cosine of ``s`` minus the best cosine of the other candidates (1 when alone)."""
        if cosine is None:
            return 0.0
        other = self.best if self.best_idx != s.idx else self.second
        return cosine - other if other is not None else 1.0


def _margin(cands: Sequence[tuple[Unit, float | None]], s: Unit, cosine: float | None) -> float:
    """Cosine of ``s`` minus the best cosine of the other candidates (1 when alone)."""
    return _Margins(cands)(s, cosine)


def _kind(s: Unit, t: Unit, s_range: tuple[int, int], t_range: tuple[int, int]) -> str:
    """``"exact"`` when the aligned parts of ``s`` and ``t`` normalise alike, else ``"near"``.

    Whole sentences of different hashes never normalise alike, so only a cut
    part is normalised again.
    """
    if s_range == (0, len(s.text)) and t_range == (0, len(t.text)) and s.key != t.key:
        return "near"
    sa, sb = s_range
    ta, tb = t_range
    return "exact" if normalise(s.text[sa:sb]) == normalise(t.text[ta:tb]) else "near"


_PARAPHRASE = "paraphrase"  # _copy's verdict: not a copy, but may be judged as a paraphrase


def _copy(prep: Prepared, s: Unit, t: Unit, lex: Lexical | None,
          model: PairModel) -> Match | str | None:
    """Judge ``s`` -> ``t`` as a copy (exact or near).

    Returns the match, :data:`_PARAPHRASE` when the pair is no copy but may
    still be a paraphrase, or ``None`` when it is neither.
    """
    full_t, full_s = (t.start, t.end), (s.start, s.end)
    if s.key == t.key:
        return Match(t.idx, s.idx, s.form, "exact", 1.0, full_t, full_s)
    assert lex is not None
    if lex.ratio >= model.near_threshold:
        why = conflict(s.text, t.text, near=True, aliases=prep.aliases)
        if why is None:
            (sa, sb), (ta, tb) = aligned_range(s.text, t.text, min_tail=_TRIM_WORDS)
            kind = _kind(s, t, (sa, sb), (ta, tb))
            if kind == "exact" and sb < len(s.text) and tb < len(t.text):
                # the same opening, then each sentence ends its own way ("the room was
                # clean and tidy" / "the room was damp with black mould"): a shared
                # frame around a changed observation, not text copied. A different
                # opening (a person or tense changed) is a near copy and stays
                return None
            return Match(t.idx, s.idx, s.form, kind, round(lex.ratio, 4),
                         (t.start + ta, t.start + tb), (s.start + sa, s.start + sb),
                         partial=(ta, tb) != (0, len(t.text)))
        # reworded rather than copied: may be judged as a paraphrase
        return _PARAPHRASE if why == "substitution" else None
    if min(s.words, t.words) >= _MIN_CONTAINED_WORDS and lex.contains(_CONTAINMENT):
        (sa, sb), (ta, tb) = aligned_range(s.text, t.text)
        s_part, t_part = s.text[sa:sb], t.text[ta:tb]
        if not conflict(s_part, t_part, near=True, aliases=prep.aliases):
            kind = _kind(s, t, (sa, sb), (ta, tb))
            return Match(t.idx, s.idx, s.form, kind, round(lex.containment, 4),
                         (t.start + ta, t.start + tb), (s.start + sa, s.start + sb),
                         partial=(ta, tb) != (0, len(t.text)))
        return None
    return _PARAPHRASE


def _shared_frame(a: Sequence[str], b: Sequence[str]) -> bool:
    """Whether two sentences open with the same words and then each go on their own way.

    "I checked the kitchen with Ms Khan's agreement and found milk, bread and cereal" /
    "... and found very little apart from crisps": the shared opening (at least
    :data:`_FRAME_WORDS` words and :data:`_FRAME_SHARE` of the shorter sentence) is a
    frame, and what follows it (at least :data:`_FRAME_TAIL` words on each side) is
    the observation, which differs. A reworded sentence rarely keeps so long an
    opening word for word; a copy with a changed ending is judged as a copy first.
    """
    n = min(len(a), len(b))
    k = 0
    while k < n and a[k] == b[k]:
        k += 1
    return (k >= _FRAME_WORDS and k >= _FRAME_SHARE * n
            and len(a) - k >= _FRAME_TAIL and len(b) - k >= _FRAME_TAIL)


@dataclass(slots=True)
class _Open:
    """A target unit with no copy, and its paraphrase candidates in form order.

    Each row is ``(source, cosine, lexical scores, margin)``; rows the model
    would not score (:meth:`PairModel.worth_scoring`) are left out.
    """

    target: Unit
    rows: list[tuple[Unit, float, Lexical, float]]


def _copies(prep: Prepared, t: Unit, model: PairModel, kinds: Collection[str]
            ) -> Match | _Open | None:
    """The best copy of target ``t`` or, failing one, its paraphrase candidates.

    Copies always win over paraphrases (see :func:`earliest`), so candidates
    are kept for the paraphrase stage only when none is a copy.
    """
    cands = prep.candidates(t)
    copies: list[Match] = []
    rest: list[tuple[Unit, float | None, Lexical]] = []
    whole = -1  # form of the first whole-sentence copy found
    for s, cosine in cands:
        if whole >= 0 and s.form > whole:
            break  # candidates come in form order: a later form's copy cannot be earliest
        lex = None if s.key == t.key else lexical(s.norm, t.norm, s.toks, t.toks)
        verdict = _copy(prep, s, t, lex, model)
        if isinstance(verdict, Match):
            copies.append(verdict)
            if not verdict.partial and whole < 0:
                whole = s.form
        elif verdict == _PARAPHRASE and lex is not None and not _shared_frame(s.toks, t.toks):
            rest.append((s, cosine, lex))
    if copies:
        return earliest(copies)
    if "paraphrase" not in kinds:
        return None
    margin = _Margins(cands)
    rows = [(s, cosine, lex, margin(s, cosine)) for s, cosine, lex in rest
            if cosine is not None and model.worth_scoring(cosine, lex.token_set)]
    return _Open(t, rows) if rows else None


def _probabilities(prep: Prepared, open_: Sequence[_Open], model: PairModel,
                   unused: frozenset[str]) -> list[list[float]]:
    """P(paraphrase) of every candidate row of ``open_``, from one call of the model.

    Scoring the rows of a whole case at once costs a fraction of scoring them
    one by one; rows that :func:`_paraphrase` will not reach are scored too,
    which changes no verdict.
    """
    rows = [(s, o.target, lex, cosine, _same_field(prep.forms, s, o.target), margin)
            for o in open_ for s, cosine, lex, margin in o.rows]
    if not rows:
        return [[] for _ in open_]
    flat = model.probabilities(pair_matrix(rows, prep.idf, unused))
    out, at = [], 0
    for o in open_:
        out.append(flat[at:at + len(o.rows)])
        at += len(o.rows)
    return out


class _Weak(NamedTuple):
    """A paraphrase candidate of a target below :attr:`PairModel.paraphrase_threshold`
    and at least its context threshold; the guard has not judged it yet."""

    probability: float
    match: Match
    near: bool  # checked by the guard as a near-copy too


def _guarded(prep: Prepared, s_text: str, t_text: str, near: bool) -> bool:
    """Whether the guard finds changed facts between two texts."""
    return conflict(s_text, t_text, near=near, aliases=prep.aliases) is not None


def _paraphrase(prep: Prepared, open_: _Open, probs: Sequence[float], model: PairModel
                ) -> tuple[Match | None, list[_Weak]]:
    """The paraphrase of an open target, or its weak candidates.

    A row is a paraphrase at :attr:`PairModel.paraphrase_threshold` unless the
    guard finds changed facts; rows between the context threshold and that are
    weak (see :func:`_in_context`). Of the paraphrases the earliest is kept
    (:func:`earliest`: first form, then highest similarity, then position), so
    the guard judges the confident rows in that order and stops at the first it
    lets through: most targets have several confident rows, one per earlier form
    that holds the sentence, and the guard is the costly step. Weak rows are
    judged later, and only when the context could accept them.
    """
    t = open_.target
    low = min(model.paraphrase_threshold, model.context_threshold)
    # (source, cosine, checked as a near-copy too, probability)
    confident: list[tuple[Unit, float, bool, float]] = []
    weak: list[tuple[Unit, float, bool, float]] = []
    for (s, cosine, lex, _), p in zip(open_.rows, probs):
        if p >= low:
            row = (s, cosine, lex.token_ratio >= _NEAR_GUARD, p)
            (confident if p >= model.paraphrase_threshold else weak).append(row)
    confident.sort(key=lambda row: (row[0].form, -round(row[1], 4), row[0].idx))
    for s, cosine, near, _ in confident:
        if not _guarded(prep, s.text, t.text, near):
            return _paraphrase_match(s, t, cosine), []
    return None, [_Weak(p, _paraphrase_match(s, t, cosine), near) for s, cosine, near, p in weak]


def _paraphrase_match(s: Unit, t: Unit, cosine: float) -> Match:
    return Match(t.idx, s.idx, s.form, "paraphrase", round(cosine, 4), (t.start, t.end),
                 (s.start, s.end))


def _in_context(prep: Prepared, matches: list[Match], weak: dict[int, list[_Weak]]
                ) -> list[Match]:
    """Paraphrases accepted at the lower context threshold.

    A sentence whose field already re-enters text from a source field is
    accepted at :attr:`PairModel.context_threshold` when its best candidate lies in
    that same source field: re-entered paragraphs are rewritten as a whole, so
    the neighbours of a confident match need less evidence of their own. The
    best is the most probable candidate the guard lets through (then the first
    source); candidates are judged from the most probable down.
    """
    units = prep.units
    sources: dict[tuple[int, int], set[tuple[int, int]]] = defaultdict(set)
    for m in matches:
        t, s = units[m.target], units[m.source]
        sources[(t.form, t.field)].add((s.form, s.field))
    added = []
    for t_idx in sorted(weak):
        t = units[t_idx]
        fields = sources.get((t.form, t.field))
        if not fields:
            continue
        inside = [w for w in weak[t_idx]
                  if (units[w.match.source].form, units[w.match.source].field) in fields]
        inside.sort(key=lambda w: (-w.probability, w.match.source))
        for w in inside:
            if not _guarded(prep, units[w.match.source].text, t.text, w.near):
                added.append(w.match)
                break
    return added


@dataclass(slots=True)
class Prepared:
    """One case ready for matching: units, indexes, embeddings and name aliases.

    ``shared[i]`` lists the units of earlier forms that share enough word
    3-grams with unit ``i`` (see :func:`shared_earlier`); until :func:`_link` runs,
    and for the units of forms before the ``first`` it was given, it is empty.
    """

    forms: list[Form]
    units: list[Unit]
    by_key: dict[str, list[int]]
    shared: list[list[int]]
    vectors: np.ndarray | None
    nbrs: list[list[tuple[int, float]]]
    aliases: dict[str, frozenset[str]]
    idf: dict[str, float]
    #: the token ids of the units' distinct texts, when asked for (see :func:`_embed`)
    token_ids: TokenIds | None = None
    #: the name words of every text of the forms (:func:`name_words`), made ``aliases``
    names: dict[str, set[str]] | None = None

    def candidates(self, t: Unit) -> list[tuple[Unit, float | None]]:
        """Units of earlier forms worth verifying against ``t``, with their cosine."""
        earlier = [s for s in self.by_key[t.key] if self.units[s].form < t.form]
        earlier += self.shared[t.idx]
        earlier += [s for s, _ in self.nbrs[t.idx]]
        out = []
        for s in sorted(set(earlier)):
            cosine = (float(self.vectors[s] @ self.vectors[t.idx])
                      if self.vectors is not None else None)
            out.append((self.units[s], cosine))
        return out


def prepare(forms: Sequence[Form], *, options: ScanOptions = ScanOptions(),
            exclude: Collection[str] = (), floor: float = 0.5,
            weigh_words: bool = True) -> Prepared:
    """Split the forms of one case into units and build the candidate indexes.

    ``weigh_words`` counts the case's word statistics (``Prepared.idf``), which
    only a pair classifier with idf features reads.
    """
    prep = _prepare_words(forms, options=options, exclude=exclude, weigh_words=weigh_words)
    _link(prep, first=1)
    _embed(prep, options, floor, first=1)
    return prep


def _prepare_words(forms: Sequence[Form], *, options: ScanOptions, exclude: Collection[str],
                   weigh_words: bool, known_names: tuple[dict[str, set[str]], int] | None = None
                   ) -> Prepared:
    """:func:`prepare` without the embeddings (see :func:`_embed`): what deciding how many
    first forms keep an earlier detection reads (:func:`kept_forms`).

    ``known_names`` holds the :func:`name_words` of the first forms (in attribution
    order) and how many they are, kept by an earlier detection of those same forms:
    only the other forms' texts are read for names.
    """
    ordered = attribution_order(forms)
    units = build_units(ordered, exclude=exclude)
    by_key: dict[str, list[int]] = defaultdict(list)
    for u in units:
        by_key[u.key].append(u.idx)
    held, count = known_names if known_names is not None else ({}, 0)
    names = name_words(f.text for form in ordered[count:] for f in form.fields)
    if held:
        names = merge_names(held, names)
    aliases = aliases_from(names)
    idf: dict[str, float] = {}
    if weigh_words and "paraphrase" in options.kinds:  # only the pair classifier weighs words
        df: dict[str, int] = defaultdict(int)
        for u in units:
            for w in set(stems(u.toks)):
                df[w] += 1
        n = len(units)
        idf = {w: float(np.log((n + 1) / (c + 1)) + 1.0) for w, c in df.items()}
    return Prepared(ordered, units, by_key, [[] for _ in units], None, [[] for _ in units],
                    aliases, idf, names=names)


def _link(prep: Prepared, *, first: int) -> None:
    """Find the word 3-gram candidates (``prep.shared``) of the units of forms ``first``
    on, the targets compared (earlier forms keep a stored detection)."""
    prep.shared = shared_earlier([u.toks for u in prep.units], [u.form for u in prep.units],
                                 first=first)


def _embed(prep: Prepared, options: ScanOptions, floor: float, *, first: int,
           known: TokenIds | None = None, keep_ids: bool = False) -> None:
    """Embed the units of ``prep`` and find the embedding neighbours of those in forms
    ``first`` on (the targets compared; earlier forms keep a stored detection).

    Every unit is embedded, since any may be a target's neighbour; a target's
    neighbours are found among the forms before its own, form by form, so they do
    not depend on ``first``. Only the targets' words are encoded ahead of the pair
    stage, which encodes any other word it meets.

    ``known`` holds the token ids of the first distinct unit texts, kept by an earlier
    detection of the same sentences; ``keep_ids`` keeps the ids of every distinct unit
    text in ``prep.token_ids`` for a later one (:func:`encode_with_ids`).
    """
    if "paraphrase" not in options.kinds or not prep.units:
        return
    conf = settings(options)
    units = prep.units
    texts = [u.text for u in units]
    if keep_ids or known is not None:
        prep.vectors, ids = encode_with_ids(texts, backend=conf["backend"], known=known)
        prep.token_ids = ids if keep_ids else None
    else:
        prep.vectors = encode(texts, backend=conf["backend"])
    groups = np.array([u.form for u in units])
    prep.nbrs = neighbours(prep.vectors, groups, k=conf["neighbours"], floor=floor,
                           first_group=first)
    if conf["backend"] == "static":
        targets = units if first <= 1 else [u for u in units if u.form >= first]
        cache_words(w for u in targets for w in content_words(u.toks))


def detect(forms: Sequence[Form], *, options: ScanOptions = ScanOptions(),
           exclude: Collection[str] = (), earlier: Earlier | None = None) -> list[Finding]:
    """Find text re-entered across the forms of one case.

    Parameters
    ----------
    forms : sequence of Form
        The forms of ONE case. Only narrative fields are compared; stock spans
        of a field (``Field.stock``) are skipped.
    options : ScanOptions
        ``kinds`` and ``min_words`` filter findings; ``extra["embedding"]``
        selects the embedding backend (``"static"`` or ``"st"``) and
        ``extra["pair_weights"]`` a pair-classifier weights file.
    exclude : collection of str
        Normalised-sentence hashes of stock text (see :func:`find_stock`), skipped
        where two or more of ``forms`` hold them; a stock sentence held by one form
        is compared like any other (see :func:`~dupscan.detect.passages.build_units`).
    earlier : Earlier, optional
        A detection of the first forms of this case with the same ``options``, to
        extend: its findings in the longest run of first forms whose sentences and
        everything their findings were judged on are unchanged
        (:func:`~dupscan.detect.extend.kept_forms`) are kept, and only the
        sentences of the forms after them are compared. The result is the same as
        without it.

    Returns
    -------
    list of Finding
        Sorted by target document and offset. Each later appearance of a text
        is one finding whose source is the earliest form holding it.

    Examples
    --------
    >>> from dupscan.model import Field, Form
    >>> text = "Mum said Ava was late to school on Monday."
    >>> a = Form("a", "a.txt", "C1", "referral", "2025-01-01", (Field("Reason", None, text, 0, len(text), "narrative"),))
    >>> b = Form("b", "b.txt", "C1", "assessment", "2025-02-01", (Field("Background", None, text, 4, 4 + len(text), "narrative"),))
    >>> [(f.kind, f.source.doc, f.target.doc, f.target.start, f.words) for f in detect([b, a])]
    [('exact', 'a.txt', 'b.txt', 4, 9)]
    """
    if len(forms) < 2:
        return []
    with _one_blas_thread():
        digests = form_digests(forms) if earlier is not None else ()
        return _detect(forms, options, exclude, earlier, digests)[0]


def detect_case(forms: Sequence[Form], *, options: ScanOptions = ScanOptions(),
                exclude: Collection[str] = (), earlier: Earlier | None = None,
                digests: Sequence[str] | None = None) -> Earlier:
    """:func:`detect`, keeping what a later call needs to extend the findings.

    Pass the result as ``earlier`` when the case has gained forms dated after
    these (a month of new records): the findings in these forms are kept when
    nothing they were judged on changed, and only the new forms are compared (or,
    when a check fails for some earlier forms, the forms from the first of those on).

    ``digests`` stand for the forms in attribution order, one each, by default their
    :func:`form_digests`. A caller that holds the forms in another form can give its
    own (a scan index gives its stored form texts' digests, which spares hashing
    every value of every form again): two forms may share a digest only when they are
    equal, and the ``earlier`` given must have been made with digests of the same kind.

    Examples
    --------
    >>> from dupscan.model import Field, Form
    >>> def form(name, day, text):
    ...     return Form(name, f"{name}.txt", "C1", "note", f"2025-01-0{day}",
    ...                 (Field("Notes", None, text, 0, len(text), "narrative"),))
    >>> text = "Mum said Ava was late to school on Monday."
    >>> first = detect_case([form("a", 1, text), form("b", 2, text)])
    >>> later = detect_case([form("a", 1, text), form("b", 2, text), form("c", 3, text)],
    ...                     earlier=first)
    >>> [(f.source.doc, f.target.doc) for f in later.findings]
    [('a.txt', 'b.txt'), ('a.txt', 'c.txt')]
    """
    digests = form_digests(forms) if digests is None else tuple(digests)
    if len(digests) != len(forms):
        raise ValueError(f"{len(digests)} digests given for {len(forms)} forms")
    if len(forms) < 2:
        return Earlier(digests, (), ())
    with _one_blas_thread():
        found, prep, states = _detect(forms, options, exclude, earlier, digests, keep_ids=True)
    return Earlier(digests, states or case_states(prep), tuple(found), prep.token_ids,
                   prep.names)


@contextmanager
def _one_blas_thread() -> Iterator[None]:
    """Limit BLAS to one thread: a case's matrices are small, and on a busy
    machine (or beside other workers) BLAS threads waiting for a core cost more
    than they save.

    The limit is the process's, while a Dask worker may detect several cases at
    once in threads: the first case to start sets it and the last to end lifts
    it, so that no case runs unlimited after another has ended and the limit is
    not left behind.
    """
    global _blas_limiter, _blas_users
    controller = _blas_controller()
    if controller is None:  # pragma: no cover - installed with scikit-learn
        yield
        return
    with _blas_lock:
        if _blas_users == 0:
            _blas_limiter = controller.limit(limits=1, user_api="blas")
        _blas_users += 1
    try:
        yield
    finally:
        with _blas_lock:
            _blas_users -= 1
            if _blas_users == 0 and _blas_limiter is not None:
                _blas_limiter.restore_original_limits()
                _blas_limiter = None


_blas_lock = threading.Lock()
_blas_users = 0  # cases being detected in this process, in any thread
_blas_limiter: Any = None


@lru_cache(maxsize=1)
def _blas_controller() -> Any:
    """One thread-pool controller per process: finding the loaded BLAS libraries
    (which the controller does when built) costs more than detecting a small case."""
    try:
        from threadpoolctl import ThreadpoolController
    except ImportError:  # pragma: no cover - installed with scikit-learn
        return None
    return ThreadpoolController()


def _detect(forms: Sequence[Form], options: ScanOptions, exclude: Collection[str],
            earlier: Earlier | None, digests: Sequence[str], *, keep_ids: bool = False
            ) -> tuple[list[Finding], Prepared, tuple[str, ...] | None]:
    """Findings, the prepared case, and its :func:`case_states` when made (to check
    ``earlier``); ``keep_ids`` keeps the units' token ids in the prepared case."""
    conf = settings(options)
    model = load_pair_model(conf["weights"])
    prep = _prepare_words(forms, options=options, exclude=exclude,
                          weigh_words=not CASE_WEIGHTS <= model.unused,
                          known_names=_known_names(earlier, digests))
    kinds = set(options.kinds)
    # targets in forms before ``first`` keep the findings of ``earlier``
    first, states = 1, None
    if earlier is not None:
        states = case_states(prep)
        first = max(first, kept_forms(prep, digests, earlier, model, backend=conf["backend"],
                                      paraphrase="paraphrase" in kinds, states=states))
    _link(prep, first=first)
    _embed(prep, options, model.cosine_floor, first=first,
           known=_known_ids(prep, earlier, first), keep_ids=keep_ids)
    best: dict[int, Match] = {}
    open_: list[_Open] = []
    for t in prep.units:
        if t.form < first:
            continue
        verdict = _copies(prep, t, model, kinds)
        if isinstance(verdict, Match):
            best[t.idx] = verdict
        elif verdict is not None:
            open_.append(verdict)
    weak: dict[int, list[_Weak]] = {}
    for o, probs in zip(open_, _probabilities(prep, open_, model, model.unused)):
        found, maybe = _paraphrase(prep, o, probs, model)
        if found is not None:
            best[o.target.idx] = found
        elif maybe:
            weak[o.target.idx] = maybe
    matches = [best[i] for i in sorted(best)]
    matches += _in_context(prep, matches, weak)
    findings = _findings(prep.forms, prep.units, matches, options)
    if first > 1:
        assert earlier is not None
        held = {(f.doc, f.form_id) for f in prep.forms[:first]}
        kept = [f for f in earlier.findings if (f.target.doc, f.target.form_id) in held]
        findings = sorted([*kept, *findings], key=_finding_order)
    return findings, prep, states


def _known_names(earlier: Earlier | None, digests: Sequence[str]
                 ) -> tuple[dict[str, set[str]], int] | None:
    """The name words ``earlier`` kept, with the number of forms they were read from,
    when those forms are this case's first forms, unchanged (``digests``: the case's
    :func:`form_digests`)."""
    if earlier is None or earlier.names is None:
        return None
    count = len(earlier.forms)
    if count > len(digests) or tuple(digests[:count]) != tuple(earlier.forms):
        return None
    return earlier.names, count


def _known_ids(prep: Prepared, earlier: Earlier | None, first: int) -> TokenIds | None:
    """The token ids ``earlier`` kept for the distinct texts of the units of forms before
    ``first``, which keep its findings: their units are the units it was run on (the
    checks of :func:`kept_forms`), and they come first, so their distinct texts are the
    first it kept ids for. When those forms are all it was run on, it kept ids for
    exactly those texts; ids of another count are not used."""
    if earlier is None or earlier.token_ids is None or first <= 1:
        return None
    head = len(dict.fromkeys(u.text for u in prep.units if u.form < first))
    whole = first == len(earlier.forms)
    if head > len(earlier.token_ids) or (whole and head != len(earlier.token_ids)):
        return None
    return earlier.token_ids.prefix(head)


def _findings(forms: Sequence[Form], units: Sequence[Unit], matches: Sequence[Match],
              options: ScanOptions) -> list[Finding]:
    out = []
    for group in merge(matches, units):
        kind = group.kind(units)
        if kind not in options.kinds:
            continue
        first_t, first_s = units[group.matches[0].target], units[group.matches[0].source]
        t_span = _span(forms[first_t.form], first_t.field, group.t_range)
        s_span = _span(forms[first_s.form], first_s.field, group.s_range())
        words = word_count(t_span.text)
        if words < options.min_words:
            continue
        out.append(Finding(case_id=forms[first_t.form].case_id, kind=kind,  # type: ignore[arg-type]
                           similarity=round(group.similarity(units), 4), words=words,
                           source=s_span, target=t_span))
    out.sort(key=_finding_order)
    return out


def _finding_order(f: Finding) -> tuple[str, int, int, str, int]:
    return (f.target.doc, f.target.start, f.target.end, f.source.doc, f.source.start)


def _span(form: Form, field_index: int, rng: tuple[int, int]) -> Span:
    fld = form.fields[field_index]
    start, end = rng
    return Span(form.form_id, form.doc, fld.label, start, end,
                fld.text[start - fld.start:end - fld.start])
