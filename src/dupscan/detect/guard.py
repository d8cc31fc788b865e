"""The changed-facts guard: similar wording with different facts is not re-entry.

Two passages that read alike but state different numbers, dates, people,
polarity (*no injuries* / *a bruise*, *attended* / *did not attend*) or outcomes
(*no further action* / *child protection plan*) record different facts. The
guard extracts those facts from each side, aligns them, and reports the first
conflict it finds. A name on one side where the other has a role (*Mum* ->
*Ms Khan*) is an addition, not a conflict; only a *replacement* (a fact on each
side that the other lacks) conflicts.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from difflib import SequenceMatcher
from functools import lru_cache

from dupscan.detect.normalise import tokens

__all__ = ["Facts", "conflict", "facts"]

_MONTHS = {m: i for i, names in enumerate((
    ("jan", "january"), ("feb", "february"), ("mar", "march"), ("apr", "april"), ("may",),
    ("jun", "june"), ("jul", "july"), ("aug", "august"), ("sep", "sept", "september"),
    ("oct", "october"), ("nov", "november"), ("dec", "december")), 1) for m in names}
_MONTH_RE = "|".join(sorted(_MONTHS, key=len, reverse=True))
_DATE_PATTERNS = (
    re.compile(r"\b(\d{1,2})[./-](\d{1,2})[./-](\d{2,4})\b"),
    re.compile(r"\b(\d{4})-(\d{1,2})-(\d{1,2})\b"),
    re.compile(rf"\b(\d{{1,2}})(?:st|nd|rd|th)?(?:\s+of)?\s+({_MONTH_RE})\.?(?:,?\s+(\d{{4}}))?\b", re.I),
    re.compile(rf"\b({_MONTH_RE})\.?\s+(\d{{1,2}})(?:st|nd|rd|th)?(?:,?\s+(\d{{4}}))?\b", re.I),
)
_NUMBER = re.compile(r"(?<![\w.])(\d+(?:[.,]\d+)?)\s*(%|per\s*cent|percent)?", re.I)
_NUMBER_WORDS = {w: i for i, w in enumerate(
    "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen "
    "fifteen sixteen seventeen eighteen nineteen twenty".split())}
_NUMBER_WORDS.update({"thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70,
                      "eighty": 80, "ninety": 90, "hundred": 100, "once": 1, "twice": 2,
                      "single": 1, "both": 2, "first": 1, "second": 2, "third": 3})
_NAME = re.compile(r"\b[A-Z][a-z]+(?:-[A-Z][a-z]+)?\b")
_NOT_NAMES = frozenset("""
mum mummy mother dad daddy father nan nanny gran grandma grandmother grandad grandfather
grandparent grandparents aunt auntie uncle sister brother stepfather stepmother step carer
carers parent parents ms mr mrs miss dr mx pc dc ds sgt insp prof sir madam child children
young person baby infant school college nursery police gp health visitor midwife social worker
team manager conference chair council court family home hospital nhs cafcass camhs
monday tuesday wednesday thursday friday saturday sunday january february march april may june
july august september october november december section plan plans child protection need
early help strategy core group review assessment referral contact report i the a an and
but this that these they she he we it his her their its our there then when where while
following during after before on in at of for with as to by from all no not yes none
initial further english british education primary secondary academy high infant junior
""".split())
_NEGATORS = frozenset("no not never none nothing nobody neither nor without n't cannot unable".split())

# polarity dimensions: each phrase maps to (dimension, sign); longest phrases first
_POLARITY: tuple[tuple[str, str, int], ...] = tuple(sorted((
    *((p, "attend", -1) for p in ("did not attend", "didn't attend", "did not go to", "failed to attend",
                                  "not attend", "missed", "absent", "non attendance", "not present",
                                  "was not at", "dna", "no show", "not been attending",
                                  "not attending", "poor attendance")),
    *((p, "attend", 1) for p in ("attended", "attends", "attending", "was present", "were present",
                                 "good attendance", "present at")),
    *((p, "agree", -1) for p in ("declined", "refused", "did not agree", "didn't agree",
                                 "did not consent", "withheld consent", "withdrew consent",
                                 "not consent", "disagreed", "rejected", "not accept",
                                 "did not accept", "did not engage", "disengaged", "not engage",
                                 "not engaging", "would not", "unwilling", "reluctant")),
    *((p, "agree", 1) for p in ("agreed", "accepted", "consented", "gave consent", "consent given",
                                "engaged", "engaging", "willing", "agrees", "accepts", "welcomed")),
    *((p, "injury", -1) for p in ("no injuries", "no injury", "no marks", "no visible injuries",
                                  "no bruising", "no bruises", "no mark", "uninjured", "unharmed",
                                  "not injured", "no physical injuries", "no concerns about injury")),
    *((p, "injury", 1) for p in ("injury", "injuries", "bruise", "bruises", "bruising", "mark",
                                 "marks", "cut", "cuts", "burn", "burns", "scratch", "scratches",
                                 "swelling", "fracture", "graze", "red mark", "injured")),
    *((p, "trend", 1) for p in ("improved", "improving", "improvement", "better", "increased",
                                "progress", "progressed", "positive")),
    *((p, "trend", -1) for p in ("deteriorated", "deteriorating", "worsened", "worse", "decreased",
                                 "declining", "no improvement", "not improved", "regressed",
                                 "negative")),
    *((p, "safe", 1) for p in ("safe", "safely", "no concerns", "well cared for")),
    *((p, "safe", -1) for p in ("unsafe", "at risk", "not safe", "significant harm", "concerns",
                                "concern", "worried", "worrying")),
    *((p, "seen", 1) for p in ("was seen", "were seen", "seen alone", "spoke to", "spoken to")),
    *((p, "seen", -1) for p in ("not seen", "was not seen", "were not seen", "could not be seen",
                                "no access", "no answer", "not spoken to")),
), key=lambda x: -len(x[0])))

_OUTCOMES: tuple[tuple[str, str], ...] = tuple(sorted((
    *((p, "nfa") for p in ("no further action", "nfa", "case closed", "closed", "closure")),
    *((p, "cpp") for p in ("child protection plan", "protection plan", "cp plan", "cpp",
                           "subject to a plan", "initial child protection conference", "icpc")),
    *((p, "cin") for p in ("child in need", "cin plan", "cin")),
    *((p, "s47") for p in ("section 47", "s47", "s.47")),
    *((p, "eh") for p in ("early help", "universal services", "step down", "stepped down")),
    *((p, "legal") for p in ("care proceedings", "legal planning", "plo", "public law outline",
                             "emergency protection order", "police protection")),
    *((p, "lac") for p in ("looked after", "section 20", "s20", "accommodated", "foster care")),
), key=lambda x: -len(x[0])))


@dataclass(frozen=True, slots=True)
class Facts:
    """The checkable facts of one passage."""

    numbers: frozenset[str]
    dates: frozenset[tuple[int, int, int]]
    names: frozenset[str]
    polarity: frozenset[tuple[str, int]]
    outcomes: frozenset[str]
    negators: int
    words: tuple[str, ...]


def _dates(text: str) -> tuple[set[tuple[int, int, int]], str]:
    found: set[tuple[int, int, int]] = set()
    for i, pat in enumerate(_DATE_PATTERNS):
        def repl(m: re.Match[str], i: int = i) -> str:
            g = m.groups()
            try:
                if i == 0:
                    d, mo, y = int(g[0]), int(g[1]), int(g[2])
                elif i == 1:
                    y, mo, d = int(g[0]), int(g[1]), int(g[2])
                elif i == 2:
                    d, mo, y = int(g[0]), _MONTHS[g[1].lower()], int(g[2] or 0)
                else:
                    mo, d, y = _MONTHS[g[0].lower()], int(g[1]), int(g[2] or 0)
            except (ValueError, KeyError):
                return m.group()
            if y and y < 100:
                y += 2000
            found.add((d, mo, y))
            return " "
        text = pat.sub(repl, text)
    return found, text


def _phrases(norm: str, table: tuple[tuple[str, ...], ...]) -> tuple[list[tuple[str, ...]], str]:
    hits = []
    for entry in table:
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
    >>> sorted(f.numbers), sorted(f.dates), sorted(f.names), sorted(f.polarity)
    (['60%'], [(3, 4, 2025)], ['ava'], [('agree', -1)])
    """
    dates, rest = _dates(text)
    numbers: set[str] = set()
    for m in _NUMBER.finditer(rest):
        value = m.group(1).replace(",", "")
        numbers.add(value + ("%" if m.group(2) else ""))
    names = set()
    for m in _NAME.finditer(rest):
        word = m.group().lower()
        if word in _NOT_NAMES or word in _MONTHS:
            continue
        before = rest[:m.start()].rstrip()
        sentence_start = not before or before[-1] in ".!?:;\n\"'(-\u2022"
        if sentence_start and not re.match(r"[A-Z][a-z]+(?:'s|\u2019s)\b", rest[m.start():]):
            continue
        names.add(word)
    norm = " ".join(tokens(rest))
    outcome_hits, norm = _phrases(norm, _OUTCOMES)
    polarity_hits, norm = _phrases(norm, _POLARITY)
    toks = norm.split()
    for tok in toks:
        if tok in _NUMBER_WORDS:
            numbers.add(str(_NUMBER_WORDS[tok]))
    negators = sum(1 for t in toks if t in _NEGATORS or t.endswith("n't"))
    return Facts(frozenset(numbers), frozenset(dates), frozenset(names),
                 frozenset((d, s) for d, s in polarity_hits), frozenset(o for (o,) in outcome_hits),
                 negators, tuple(t[:-2] if t.endswith("'s") else t for t in tokens(text)))


def _replaced(a: frozenset, b: frozenset) -> bool:
    return bool(a - b) and bool(b - a)


def _date_conflict(a: frozenset[tuple[int, int, int]], b: frozenset[tuple[int, int, int]]) -> bool:
    def same(x: tuple[int, int, int], y: tuple[int, int, int]) -> bool:
        return x[:2] == y[:2] and (not x[2] or not y[2] or x[2] == y[2])
    only_a = [x for x in a if not any(same(x, y) for y in b)]
    only_b = [y for y in b if not any(same(x, y) for x in a)]
    return bool(only_a) and bool(only_b)


def conflict(source: str, target: str, *, near: bool = False) -> str | None:
    """Return why ``source`` and ``target`` state different facts, or ``None``.

    Parameters
    ----------
    source, target : str
        The two passages.
    near : bool, default=False
        The passages are near-copies: an inserted or deleted negation also conflicts.

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
    if _replaced(a.numbers, b.numbers):
        return "number"
    if _date_conflict(a.dates, b.dates):
        return "date"
    names_a = {n for n in a.names if n not in b.words}
    names_b = {n for n in b.names if n not in a.words}
    if (names_a and names_b) or _swapped_name(source, target):
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
    return None


def _negation_aligned(a: tuple[str, ...], b: tuple[str, ...]) -> bool:
    """Whether a negation sits in an inserted/deleted run next to shared words."""
    matcher = SequenceMatcher(None, a, b, autojunk=False)
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            continue
        chunk_a, chunk_b = set(a[i1:i2]), set(b[j1:j2])
        neg_a = any(t in _NEGATORS or t.endswith("n't") for t in chunk_a)
        neg_b = any(t in _NEGATORS or t.endswith("n't") for t in chunk_b)
        if neg_a != neg_b and len(chunk_a ^ chunk_b) <= 4:
            return True
    return False


_CASED_WORD = re.compile(r"[^\W_]+")


def _swapped_name(source: str, target: str) -> bool:
    """Whether one capitalised word replaces another at the same aligned place."""
    a = _CASED_WORD.findall(source)
    b = _CASED_WORD.findall(target)
    matcher = SequenceMatcher(None, [w.lower() for w in a], [w.lower() for w in b], autojunk=False)
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op != "replace" or i2 - i1 > 2 or j2 - j1 > 2:
            continue
        side_a, side_b = a[i1:i2], b[j1:j2]
        if all(_is_name_like(w) for w in side_a + side_b):
            return True
    return False


def _is_name_like(word: str) -> bool:
    return bool(_NAME.fullmatch(word)) and word.lower() not in _NOT_NAMES \
        and word.lower() not in _MONTHS
