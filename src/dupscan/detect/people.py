"""People in a passage: the names a case uses, and whether two passages name different people.

The changed-facts guard (:mod:`dupscan.detect.guard`) asks three questions
about people: is someone named on one side replaced by someone else on the
other (*Ms Khan* -> *Ms Reid*), is a capitalised word swapped for another at
the same place, and does a title change the person (*Mr Khan* / *Ms Khan*).
:func:`person_aliases` tells it which names are one person in a case
(*Tasha*, *Ms Taylor* and *Tasha Taylor*).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from collections.abc import Set as AbstractSet
from difflib import SequenceMatcher
from functools import lru_cache
from sys import intern
from typing import TYPE_CHECKING

from dupscan.detect.lexicon import MONTHS, NOT_NAMES, TITLES
from dupscan.detect.normalise import opens_sentence

if TYPE_CHECKING:
    from dupscan.detect.guard import Facts

__all__ = ["FULL_NAME_SCAN", "NAME", "NAME_SCAN", "POSSESSIVE", "add_full_names", "aliases_from",
           "cased", "initial_name", "is_name_like", "merge_names", "name_key", "name_words",
           "person_aliases", "person_conflict", "swapped_name", "title_conflict"]

# a surname may open with Mc, Mac, O' or D' before its capital (McCarthy, O'Brien)
_SURNAME = r"(?:Ma?c(?=[A-Z])|[OD]['\u2019](?=[A-Z]))?[A-Z][a-z]+(?:-[A-Z][a-z]+)?"
FULL_NAME = re.compile(r"\b([A-Z][a-z]+)[ \t]+(" + _SURNAME + r")\b")
NAME = re.compile(r"\b" + _SURNAME + r"\b")
# NAME and FULL_NAME for scanning long texts: "a capital not after a word character"
# said as a look-behind after the capital lets the scanner skip to each capital (the
# surname prefixes follow that capital as look-behinds; put first, as in _SURNAME, they
# made the scan 2.5 times slower)
NAME_SCAN = re.compile(r"[A-Z](?<!\w[A-Z])(?:(?<=M)a?c[A-Z]|(?<=[OD])['\u2019][A-Z])?"
                       r"[a-z]+(?:-[A-Z][a-z]+)?\b")
FULL_NAME_SCAN = re.compile(r"([A-Z](?<!\w[A-Z])[a-z]+)[ \t]+(" + _SURNAME + r")\b")
POSSESSIVE = re.compile(r"[A-Z][a-z]+(?:'s|\u2019s)\b")


def name_key(word: str) -> str:
    """The key a name word is known by: lower case, with ’ as ' (O’Brien is O'Brien)."""
    return word.lower().replace("\u2019", "'")


def person_aliases(texts: Iterable[str]) -> dict[str, frozenset[str]]:
    """Map each name word to the full names it occurs in (``tasha`` -> ``{"tasha taylor"}``).

    Built from every text of a case, so ``Ms Taylor`` and ``Tasha`` are known
    to be the same person while ``Tariq Hughes`` is someone else.

    Examples
    --------
    >>> a = person_aliases(["Parent: Tasha Taylor (mother)", "Louis Taylor, 7"])
    >>> sorted(a["taylor"]), sorted(a["tasha"])
    (['louis taylor', 'tasha taylor'], ['tasha taylor'])
    """
    return aliases_from(name_words(texts))


def name_words(texts: Iterable[str]) -> dict[str, set[str]]:
    """The name words of ``texts``, each with the full names it occurs in (none for a
    name met alone): what :func:`aliases_from` makes aliases of.

    Each text is read on its own, so the name words of two lists of texts, merged by
    :func:`merge_names`, are those of both lists together: a case that gains forms
    adds the name words of the new forms to those kept for the others.

    Examples
    --------
    >>> merge_names(name_words(["Tasha Taylor rang."]), name_words(["Ms Taylor came."]))
    {'tasha': {'tasha taylor'}, 'taylor': {'tasha taylor'}}
    """
    # one scan of the case: "." between texts stops the look back of opens_sentence
    # where a text starts, as its start does, and no name spans it
    text = ".".join(texts)
    out: dict[str, set[str]] = {}
    for m in NAME_SCAN.finditer(text):
        word = name_key(m.group())
        if word in out:
            continue  # already known: nothing to add
        if not opens_sentence(text, m.start()) and word not in NOT_NAMES:
            out[word] = set()
    add_full_names(out, FULL_NAME_SCAN.finditer(text))
    return out


def merge_names(*parts: Mapping[str, AbstractSet[str]]) -> dict[str, set[str]]:
    """The :func:`name_words` of several lists of texts, as of all of them together."""
    out: dict[str, set[str]] = {}
    for part in parts:
        for word, full in part.items():
            out.setdefault(word, set()).update(full)
    return out


def aliases_from(names: Mapping[str, AbstractSet[str]]) -> dict[str, frozenset[str]]:
    """Name word -> the full names it stands for (itself when it met none): the
    aliases of :func:`person_aliases`, from its :func:`name_words`."""
    return {k: frozenset(v or (k,)) for k, v in names.items()}


def add_full_names(out: dict[str, set[str]], matches: Iterable[re.Match[str]]) -> None:
    """Add each full name of ``matches`` (of :data:`FULL_NAME`) to ``out`` under its
    first and its last name, unless either is a common word."""
    for m in matches:
        first, last = name_key(m.group(1)), name_key(m.group(2))
        if first in NOT_NAMES or last in NOT_NAMES:
            continue
        full = f"{first} {last}"
        out.setdefault(first, set()).add(full)
        out.setdefault(last, set()).add(full)


def people_of(names: Iterable[str], aliases: Mapping[str, frozenset[str]]) -> set[str]:
    out: set[str] = set()
    for n in names:
        out |= aliases.get(n, frozenset((n,)))
    return out


def initial_name(text: str, aliases: Mapping[str, frozenset[str]]) -> set[str]:
    """The first word of ``text`` when the case uses it as a name elsewhere."""
    m = NAME.match(text.lstrip())
    word = name_key(m.group()) if m else ""
    return {word} if word in aliases and word not in NOT_NAMES else set()


def person_conflict(a: Facts, b: Facts, aliases: Mapping[str, frozenset[str]],
                     extra_a: AbstractSet[str] = frozenset(),
                     extra_b: AbstractSet[str] = frozenset()) -> bool:
    """A person named on one side only and another named on the other side only."""
    only_a = {n for n in a.names | extra_a if n not in b.words}
    only_b = {n for n in b.names | extra_b if n not in a.words}
    if not only_a or not only_b:
        return False
    return not (people_of(only_a, aliases) & people_of(only_b, aliases))


TITLED = re.compile(r"\b(Mr|Mrs|Ms|Miss|Mx)\.?\s+(" + _SURNAME + ")")
TITLE_SEX = {"mr": "m", "mrs": "f", "ms": "f", "miss": "f", "mx": "x"}


@lru_cache(maxsize=20_000)
def titled(text: str) -> dict[str, frozenset[str]]:
    """Surname -> the sexes of the titles it follows in ``text`` (do not mutate: cached)."""
    out: dict[str, set[str]] = {}
    for m in TITLED.finditer(text):
        out.setdefault(name_key(m.group(2)), set()).add(TITLE_SEX[m.group(1).lower()])
    return {k: frozenset(v) for k, v in out.items()}


def title_conflict(source: str, target: str) -> bool:
    """``Mr Khan`` on one side where the other has only ``Ms Khan``: another person."""
    a, b = titled(source), titled(target)
    if not a or not b:
        return False
    return any(not (a[n] & b[n]) for n in a.keys() & b.keys())



CASED_WORD = re.compile(r"[^\W_]+")


def swapped_name(source: str, target: str, aliases: Mapping[str, frozenset[str]]) -> bool:
    """Whether one capitalised word replaces another at the same aligned place."""
    a, a_low = cased(source)
    b, b_low = cased(target)
    if a_low == b_low:
        return False  # nothing replaced
    matcher = SequenceMatcher(None, a_low, b_low, autojunk=False)
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op != "replace" or i2 - i1 > 2 or j2 - j1 > 2:
            continue
        side_a = [w for w in a[i1:i2] if w.lower() not in TITLES]
        side_b = [w for w in b[j1:j2] if w.lower() not in TITLES]
        if side_a and side_b and all(is_name_like(w) for w in side_a + side_b) and not (
                people_of((w.lower() for w in side_a), aliases)
                & people_of((w.lower() for w in side_b), aliases)):
            return True
    return False


@lru_cache(maxsize=20_000)
def cased(text: str) -> tuple[list[str], list[str]]:
    """The words of ``text`` as written and lower-cased (do not mutate: cached).

    The words are interned: 20,000 texts' words are cached per process, and they
    repeat from text to text.
    """
    words = [intern(w) for w in CASED_WORD.findall(text)]
    return words, [intern(w.lower()) for w in words]


def is_name_like(word: str) -> bool:
    return bool(NAME.fullmatch(word)) and word.lower() not in NOT_NAMES \
        and word.lower() not in MONTHS
