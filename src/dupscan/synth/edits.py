"""Small edits that turn a pasted passage into a *near* re-entry.

The edits mimic what people do after pasting: add or drop a word, make a typo,
swap a word for a synonym or an abbreviation, swap a name for a role
("Ms Khan" -> "Mum"), change tense or person, or keep only part of the passage.
"""

from __future__ import annotations

import random
import re
from collections.abc import Callable, Sequence

__all__ = ["near_edit", "refer_differently"]

_INSERTS = ("also", "again", "clearly", "still", "now", "reportedly", "previously", "then")
_AUX = ("is", "was", "has", "had", "are", "were", "will", "have", "would", "can")
_DROPPABLE = ("the", "that", "very", "also", "about", "around", "then", "own", "just", "some")
_TENSE = ((" is ", " was "), (" has ", " had "), (" are ", " were "), (" says ", " said "),
          (" reports ", " reported "), (" will ", " would "), (" feels ", " felt "), (" does ", " did "))
_SYNONYMS = (("said", "stated"), ("told me", "informed me"), ("reported", "stated"), ("worried", "concerned"),
             ("worries", "concerns"), ("home", "house"), ("seen", "observed"), ("agreed", "consented"),
             ("around", "approximately"), ("about", "approximately"), ("often", "frequently"),
             ("very", "extremely"), ("school", "sch"), ("appointment", "appt"), ("because", "as"))
_PERSON = (("I ", "The social worker "), (" I ", " the worker "), (" me ", " the worker "), (" my ", " the worker's "))


def _words(text: str) -> list[str]:
    return text.split(" ")


def _typo(rng: random.Random, text: str, names: Sequence[tuple[str, str]]) -> str | None:
    words = _words(text)
    idx = [i for i, w in enumerate(words) if w.isalpha() and w.islower() and len(w) >= 6]
    if not idx:
        return None
    i = rng.choice(idx)
    w = words[i]
    j = rng.randint(1, len(w) - 3)
    op = rng.randrange(3)
    if op == 0:
        w = w[:j] + w[j + 1] + w[j] + w[j + 2:]
    elif op == 1:
        w = w[:j] + w[j + 1:]
    else:
        w = w[:j] + w[j] + w[j:]
    words[i] = w
    return " ".join(words)


def _insert(rng: random.Random, text: str, names: Sequence[tuple[str, str]]) -> str | None:
    words = _words(text)
    spots = [i + 1 for i, w in enumerate(words[:-1]) if w in _AUX]
    if not spots:
        return None
    words.insert(rng.choice(spots), rng.choice(_INSERTS))
    return " ".join(words)


def _delete(rng: random.Random, text: str, names: Sequence[tuple[str, str]]) -> str | None:
    words = _words(text)
    idx = [i for i, w in enumerate(words) if i > 0 and w in _DROPPABLE]
    if not idx:
        return None
    del words[rng.choice(idx)]
    return " ".join(words)


def _swap_name(rng: random.Random, text: str, names: Sequence[tuple[str, str]]) -> str | None:
    pairs = [(a, b) for a, b in names if a in text] + [(b, a) for a, b in names if b in text and b != "the child"]
    if not pairs:
        return None
    old, new = rng.choice(pairs)
    pos = text.find(old)
    if new[:1].islower() and (pos == 0 or text[pos - 2:pos] == ". "):
        new = new[:1].upper() + new[1:]
    return text[:pos] + new + text[pos + len(old):]


def _synonym(rng: random.Random, text: str, names: Sequence[tuple[str, str]]) -> str | None:
    options = [(a, b) for a, b in _SYNONYMS if re.search(rf"\b{re.escape(a)}\b", text)]
    if not options:
        return None
    old, new = rng.choice(options)
    return re.sub(rf"\b{re.escape(old)}\b", new, text, count=1)


def _tense(rng: random.Random, text: str, names: Sequence[tuple[str, str]]) -> str | None:
    options = [pair for pair in _TENSE + _PERSON if pair[0] in text or (pair[0] == "I " and text.startswith("I "))]
    if not options:
        return None
    old, new = rng.choice(options)
    if old == "I " and text.startswith("I "):
        return new + text[2:]
    return text.replace(old, new, 1)


def _partial(rng: random.Random, text: str, names: Sequence[tuple[str, str]]) -> str | None:
    parts = re.split(r"(?<=[.!?]) (?=[A-Z])", text)
    if len(parts) < 2:
        return None
    keep = parts[1:] if rng.random() < 0.5 else parts[:-1]
    out = " ".join(keep)
    return out if len(out.split()) >= 8 else None


_OPS: tuple[Callable[[random.Random, str, Sequence[tuple[str, str]]], str | None], ...] = (
    _typo, _insert, _delete, _swap_name, _tense, _swap_name, _tense, _synonym, _synonym)


def near_edit(rng: random.Random, text: str, names: Sequence[tuple[str, str]]) -> str:
    """Return ``text`` with one to three small edits (never unchanged).

    ``names`` holds (formal, informal) pairs such as ``("Ms Khan", "Mum")``.
    """
    out = text
    if len(text.split()) >= 24 and rng.random() < 0.25:
        out = _partial(rng, out, names) or out
    for _ in range(rng.randint(1, 3)):
        for _attempt in range(6):
            new = rng.choice(_OPS)(rng, out, names)
            if new is not None and new != out:
                out = new
                break
    if out == text:  # always change something; a typo can swap two equal letters
        for fallback in (_typo, _insert):
            new = fallback(rng, text, names)
            if new is not None and new != text:
                return new
        out = "It was noted that " + text[:1].lower() + text[1:]
    return out


def refer_differently(rng: random.Random, text: str, names: Sequence[tuple[str, str]]) -> str:
    """Refer to one person differently (``Ms Khan`` -> ``Mum``), as a rewrite often does."""
    return _swap_name(rng, text, names) or text
