"""The changed-facts guard: similar wording with different facts is not re-entry.

Two passages that read alike but state different numbers, dates, people,
polarity (*no injuries* / *a bruise*, *attended* / *did not attend*), outcomes
(*no further action* / *child protection plan*) or values of a closed class of
record facts (a room, a substance, a health appointment, the state a home was
found in: ``ATTRIBUTE_TERMS`` in :mod:`dupscan.detect.lexicon`) record different
facts. The
guard extracts those facts from each side, aligns them, and reports the first
conflict it finds. A name on one side where the other has a role (*Mum* ->
*Ms Khan*) is an addition, not a conflict; only a *replacement* (a fact on each
side that the other lacks) conflicts.

Near copies skip the pair classifier, so the guard also reads what a near copy
replaced: an unrelated content word (*bathroom* -> *kitchen*), a title of the
other sex, a month for another month (*since January* -> *since June*, whose word
vectors are close), a family member of the other sex (*Dad* -> *Mum*) and a word
for its opposite (*end* -> *continue*, also close) are another fact; a synonym, an
abbreviation or a name for a role are not.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from difflib import SequenceMatcher
from functools import lru_cache
from sys import intern
from typing import Any

from rapidfuzz import fuzz

from dupscan.detect.lexicon import (
    ATTRIBUTE_TERMS, ATTRIBUTES, BENIGN, MONTHS, NEGATORS, NOT_NAMES, NUMBER_WORDS, OUTCOMES,
    OPPOSITES, POLARITY, RELATION_SEX, TITLES,
)
from dupscan.detect.normalise import STOPWORDS, opens_sentence, tokens
from dupscan.detect.people import (
    NAME_SCAN, POSSESSIVE, cased, initial_name, is_name_like, name_key, person_conflict,
    swapped_name, title_conflict,
)

__all__ = ["Facts", "conflict", "facts"]

_MONTH_RE = "|".join(sorted(MONTHS, key=len, reverse=True))
_DATE_PATTERNS = (
    re.compile(r"\b(\d{1,2})[./-](\d{1,2})[./-](\d{2,4})\b"),
    re.compile(r"\b(\d{4})-(\d{1,2})-(\d{1,2})\b"),
    re.compile(rf"\b(\d{{1,2}})(?:st|nd|rd|th)?(?:\s+of)?\s+({_MONTH_RE})\.?(?:,?\s+(\d{{4}}))?\b", re.I),
    re.compile(rf"\b({_MONTH_RE})\.?\s+(\d{{1,2}})(?:st|nd|rd|th)?(?:,?\s+(\d{{4}}))?\b", re.I),
)
_NUMBER = re.compile(r"(?<![\w.])(\d+(?:[.,]\d+)?)\s*(%|per\s*cent|percent)?", re.I)


@dataclass(frozen=True, slots=True)
class Facts:
    """The checkable facts of one passage."""

    numbers: tuple[tuple[str, int], ...]
    dates: frozenset[tuple[int, int, int]]
    names: frozenset[str]
    polarity: frozenset[tuple[str, int]]
    outcomes: frozenset[str]
    negators: int
    words: tuple[str, ...]


_NONE: frozenset[Any] = frozenset()


def _frozen(items: Iterable[Any]) -> frozenset:
    """``frozenset(items)``, sharing one empty set: the facts and attributes of up to
    50,000 texts are cached, most sets are empty, and each empty frozenset is 216 bytes."""
    out = frozenset(items)
    return out if out else _NONE


_DIGIT = re.compile(r"\d")
_LETTER_RUN = re.compile(r"[a-z]+")
_MONTH_WORDS = frozenset(MONTHS)
# the month test of _dates reads runs of ASCII letters
assert all(m.isascii() and m.isalpha() and m.islower() for m in _MONTH_WORDS)


def _dates(text: str) -> tuple[set[tuple[int, int, int]], str]:
    found: set[tuple[int, int, int]] = set()
    if not _DIGIT.search(text):
        return found, text  # every date pattern needs a digit
    patterns: tuple[re.Pattern[str], ...] = _DATE_PATTERNS
    # the last two patterns match a month name only as a whole word (a word character
    # neither before nor after it): in ASCII text, one of the text's runs of letters
    if text.isascii() and _MONTH_WORDS.isdisjoint(_LETTER_RUN.findall(text.lower())):
        patterns = _DATE_PATTERNS[:2]
    for i, pat in enumerate(patterns):
        def repl(m: re.Match[str], i: int = i) -> str:
            g = m.groups()
            try:
                if i == 0:
                    d, mo, y = int(g[0]), int(g[1]), int(g[2])
                elif i == 1:
                    y, mo, d = int(g[0]), int(g[1]), int(g[2])
                elif i == 2:
                    d, mo, y = int(g[0]), MONTHS[g[1].lower()], int(g[2] or 0)
                else:
                    mo, d, y = MONTHS[g[0].lower()], int(g[1]), int(g[2] or 0)
            except (ValueError, KeyError):
                return m.group()
            if y and y < 100:
                y += 2000
            found.add((d, mo, y))
            return " "
        text = pat.sub(repl, text)
    return found, text


_RUN = re.compile(r"[\w']+")


def _by_first_run(table: tuple[tuple[Any, ...], ...]) -> dict[str, tuple[int, ...]]:
    """The positions of ``table``'s entries by the first run of word characters (and
    apostrophes) of each phrase."""
    out: dict[str, list[int]] = {}
    for at, entry in enumerate(table):
        first = _RUN.match(entry[0])
        if first is None:  # pragma: no cover - every phrase starts with a word
            raise ValueError(f"phrase {entry[0]!r} does not start with a word")
        out.setdefault(first.group(), []).append(at)
    return {run: tuple(ats) for run, ats in out.items()}


_OUTCOME_RUNS = _by_first_run(OUTCOMES)
_POLARITY_RUNS = _by_first_run(POLARITY)


def _phrases(norm: str, table: tuple[tuple[Any, ...], ...],
             runs: Mapping[str, tuple[int, ...]]) -> tuple[list[tuple[Any, ...]], str]:
    """The entries of ``table`` whose phrase ``norm`` holds as whole words, in table
    order, and ``norm`` with each found phrase blanked out before the next is looked for;
    ``runs`` is the table's :func:`_by_first_run`.

    Only entries whose phrase starts with a run of word characters that ``norm`` holds
    are tried: a phrase found between non-word characters starts with one of ``norm``'s
    runs, and blanking a phrase out never makes a new run. Most texts hold the first
    word of a few of the 157 phrases.
    """
    held = runs.keys() & _RUN.findall(norm)
    hits = []
    for at in sorted(at for run in held for at in runs[run]):
        entry = table[at]
        if entry[0] not in norm:  # cheap test: the pattern can only match a substring
            continue
        pat = _phrase_re(entry[0])
        if pat.search(norm):
            hits.append(entry[1:])
            norm = pat.sub(" ", norm)
    return hits, norm


@lru_cache(maxsize=512)
def _phrase_re(phrase: str) -> re.Pattern[str]:
    return re.compile(r"(?<![\w'])" + re.escape(phrase) + r"(?![\w'])")


@lru_cache(maxsize=50_000)
def facts(text: str) -> Facts:
    """Extract the numbers, dates, names, polarity and outcomes of ``text``.

    Examples
    --------
    >>> f = facts("Ava's attendance was 60% on 3.4.2025; Mum declined support.")
    >>> [n for n, _ in f.numbers], sorted(f.dates), sorted(f.names), sorted(f.polarity)
    (['60%'], [(3, 4, 2025)], ['ava'], [('agree', -1)])
    """
    dates, rest = _dates(text)
    numbers: Counter[str] = Counter()
    for m in _NUMBER.finditer(rest):
        value = m.group(1).replace(",", "")
        numbers[value + ("%" if m.group(2) else "")] += 1
    names = set()
    for m in NAME_SCAN.finditer(rest):
        word = name_key(m.group())
        if word in names or word in NOT_NAMES or word in MONTHS:
            continue
        if opens_sentence(rest, m.start()) and not POSSESSIVE.match(rest, m.start()):
            continue
        names.add(word)
    rest_tokens = tokens(rest)
    norm = " ".join(rest_tokens)
    outcome_hits, norm = _phrases(norm, OUTCOMES, _OUTCOME_RUNS)
    polarity_hits, norm = _phrases(norm, POLARITY, _POLARITY_RUNS)
    toks = norm.split()
    for tok in toks:
        if tok in NUMBER_WORDS:
            numbers[str(NUMBER_WORDS[tok])] += 1
    negators = sum(1 for t in toks if t in NEGATORS or t.endswith("n't"))
    return Facts(tuple(sorted(numbers.items())), _frozen(dates), _frozen(names),
                 _frozen((d, s) for d, s in polarity_hits), _frozen(o for (o,) in outcome_hits),
                 negators,
                 # interned: the words of 50,000 cached texts repeat from text to text
                 tuple(intern(t[:-2] if t.endswith("'s") else t)
                       for t in (rest_tokens if rest == text else tokens(text))))


def _date_conflict(a: frozenset[tuple[int, int, int]], b: frozenset[tuple[int, int, int]]) -> bool:
    def same(x: tuple[int, int, int], y: tuple[int, int, int]) -> bool:
        return x[:2] == y[:2] and (not x[2] or not y[2] or x[2] == y[2])
    only_a = [x for x in a if not any(same(x, y) for y in b)]
    only_b = [y for y in b if not any(same(x, y) for x in a)]
    return bool(only_a) and bool(only_b)


def conflict(source: str, target: str, *, near: bool = False,
             aliases: Mapping[str, frozenset[str]] | None = None) -> str | None:
    """Return why ``source`` and ``target`` state different facts, or ``None``.

    Parameters
    ----------
    source, target : str
        The two passages.
    near : bool, default=False
        The passages are near-copies: an inserted or deleted negation, or one
        content word replaced by an unrelated one (*bathroom* -> *kitchen*), also
        conflicts.
    aliases : mapping, optional
        Name word -> full names, from :func:`person_aliases` over the case.

    Examples
    --------
    >>> conflict("Attendance is 60% this term.", "Attendance is 92% this term.")
    'number'
    >>> conflict("Mum said Ava was tired.", "Ms Khan said Ava was tired.") is None
    True
    >>> conflict("There were no injuries seen.", "There was a bruise on her arm.")
    'polarity:injury'
    """
    a, b = facts(source), facts(target)
    na, nb = Counter(dict(a.numbers)), Counter(dict(b.numbers))
    if (na - nb) and (nb - na):
        return "number"
    if _date_conflict(a.dates, b.dates):
        return "date"
    aliases = aliases or {}
    if person_conflict(a, b, aliases, initial_name(source, aliases),
                        initial_name(target, aliases)) or swapped_name(source, target, aliases) \
            or title_conflict(source, target):
        return "person"
    dims_a = {d: s for d, s in a.polarity}
    dims_b = {d: s for d, s in b.polarity}
    for dim in sorted(dims_a.keys() & dims_b.keys()):
        signs_a = {s for d, s in a.polarity if d == dim}
        signs_b = {s for d, s in b.polarity if d == dim}
        if signs_a != signs_b and not (signs_a & signs_b and len(signs_a | signs_b) > 1
                                       and (len(signs_a) > 1 or len(signs_b) > 1)):
            return f"polarity:{dim}"
    if a.outcomes and b.outcomes and not (a.outcomes & b.outcomes):
        return "outcome"
    if (a.negators > 0) != (b.negators > 0) and (near or _negation_aligned(a.words, b.words)):
        return "negation"
    if near and _substituted(a.words, b.words, _proper(source) | _proper(target)):
        return "substitution"
    for dim, va, vb in zip(ATTRIBUTES, _attributes(source), _attributes(target)):
        if (va - vb) and (vb - va):
            return f"attribute:{dim}"
    return None


def _negation_aligned(a: tuple[str, ...], b: tuple[str, ...]) -> bool:
    """Whether a negation sits in an inserted/deleted run next to shared words."""
    matcher = SequenceMatcher(None, a, b, autojunk=False)
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            continue
        chunk_a, chunk_b = set(a[i1:i2]), set(b[j1:j2])
        neg_a = any(t in NEGATORS or t.endswith("n't") for t in chunk_a)
        neg_b = any(t in NEGATORS or t.endswith("n't") for t in chunk_b)
        if neg_a != neg_b and len(chunk_a ^ chunk_b) <= 4:
            return True
    return False


_SYNONYM = 0.4  # word-embedding cosine from which a replaced word counts as a synonym
_CLASS_OF = {p: f"{d}{sign}" for p, d, sign in POLARITY if " " not in p}


def _abbreviates(short: str, long_: str) -> bool:
    """``sch`` for ``school``, ``appt`` for ``appointment``, ``approx`` for ``approximately``."""
    if len(short) >= len(long_) or short[0] != long_[0] or len(short) < 2:
        return False
    it = iter(long_)
    return all(ch in it for ch in short)


@lru_cache(maxsize=50_000)
def _benign(word: str, others: tuple[str, ...]) -> bool:
    if word in BENIGN or word in STOPWORDS or word in NUMBER_WORDS \
            or word.replace(".", "").isdigit():
        return True  # numbers are compared on their own
    for other in others:
        if fuzz.ratio(word, other) >= 75 or (len(word) > 3 and len(other) > 3
                                              and word[:4] == other[:4]):
            return True  # a typo or another form of the same word
        if _abbreviates(word, other) or _abbreviates(other, word):
            return True
        if word in _CLASS_OF and _CLASS_OF.get(other) == _CLASS_OF[word]:
            return True  # agreed / consented
    content = [o for o in others if o not in BENIGN]
    return bool(content) and _max_similarity(word, content) >= _SYNONYM


def _max_similarity(word: str, others: Sequence[str]) -> float:
    from dupscan.detect.semantic import word_similarity

    return word_similarity(word, list(others))


@lru_cache(maxsize=20_000)
def _proper(text: str) -> frozenset[str]:
    # a name starts with a capital: the cheap test first
    return _frozen(w.lower() for w in cased(text)[0] if w[0].isupper() and is_name_like(w))


#: months written out, by number (not the short forms, which may be names or words: Jan, mar)
_MONTH_OF = {m: n for m, n in MONTHS.items() if len(m) > 3 or m == "may"}


def _other_class(side_a: Sequence[str], side_b: Sequence[str],
                 classes: Mapping[str, object]) -> bool:
    """Whether each side names a class of ``classes`` (word -> class) and they share none."""
    in_a = {classes[w] for w in side_a if w in classes}
    in_b = {classes[w] for w in side_b if w in classes}
    return bool(in_a) and bool(in_b) and in_a.isdisjoint(in_b)


def _substituted(a: tuple[str, ...], b: tuple[str, ...], proper: frozenset[str]) -> bool:
    """Whether a near-copy replaces a content word with an unrelated one.

    Names are left to the person check (a name may be swapped for a role).
    """
    matcher = SequenceMatcher(None, a, b, autojunk=False)
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op != "replace" or i2 - i1 > 6 or j2 - j1 > 6:
            continue
        side_a, side_b = a[i1:i2], b[j1:j2]
        titles_a, titles_b = set(side_a) & TITLES, set(side_b) & TITLES
        if titles_a and titles_b and not titles_a & titles_b and \
                not ({"ms", "mrs", "miss"} >= titles_a | titles_b):
            return True  # Mr -> Ms: another person
        if _other_class(side_a, side_b, _MONTH_OF):
            return True  # since January -> since June: another date, however alike the words
        if _other_class(side_a, side_b, RELATION_SEX):
            return True  # Dad -> Mum, grandmother -> grandfather: another person
        if any(not OPPOSITES.get(w, _NONE).isdisjoint(side_b) for w in side_a):
            return True  # the plan should end -> should continue: the opposite
        odd_a = [w for w in side_a if w not in proper and not _benign(w, side_b)]
        odd_b = [w for w in side_b if w not in proper and not _benign(w, side_a)]
        if odd_a and odd_b:
            return True
    return False


def _attribute_table() -> tuple[tuple[str, frozenset[str], tuple[tuple[str, str], ...]], ...]:
    """Per attribute dimension: the first words of its phrases, and its ``(value,
    " phrase ")`` needles, longest phrase first within each value."""
    table = []
    for dim in ATTRIBUTES:
        needles = tuple((value, f" {p} ") for value, phrases in ATTRIBUTE_TERMS[dim].items()
                        for p in sorted(phrases, key=len, reverse=True))
        firsts = {p.split()[0] for _, p in needles}
        if dim == "room":
            firsts.add("bedroom")  # a bare "bedroom" counts too (see _attributes)
        table.append((dim, frozenset(firsts), needles))
    return tuple(table)


_ATTRIBUTE_TABLE = _attribute_table()


@lru_cache(maxsize=50_000)
def _attributes(text: str) -> tuple[frozenset[str], ...]:
    """The values of ``text`` for each dimension of ``ATTRIBUTES``, in that order.

    A dimension none of whose phrases starts with a word of ``text`` is skipped
    unread: a phrase can only be found between spaces where its first word is a
    token (a found phrase is replaced by ``|``, which makes no new token). A bare
    *bedroom* left over after the room phrases is a room too, so that word opens
    the room dimension as well.
    """
    toks = tokens(text)
    words = frozenset(toks)
    padded = " " + " ".join(toks) + " "
    out = []
    for dim, firsts, needles in _ATTRIBUTE_TABLE:
        found = set()
        if not firsts.isdisjoint(words):
            norm = padded
            for value, needle in needles:
                if needle in norm:
                    found.add(value)
                    norm = norm.replace(needle, " | ")
            if dim == "room" and "bedroom" in norm.split():
                found.add("bedroom")
        out.append(_frozen(found))
    return tuple(out)
