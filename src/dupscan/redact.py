"""Mask personal details in the excerpts a report shows (``--redact``).

Masked classes, each replaced by a bracketed tag: e-mail addresses ``[email]``,
NHS numbers ``[NHS no]``, phone numbers ``[phone]``, UK postcodes
``[postcode]``, street addresses ``[address]``, dates ``[date]``, case ids
``[case id]`` and person names ``[name]``. Names are found three ways: a title
followed by a capitalised word (``Ms Smith``), known names (the values of the
forms' structured name fields, and the people their person fields name, see
:func:`people_named`) and capitalised words inside a sentence that are not
common words, roles (``Mum`` and ``Dad`` are roles, not names), agencies, days,
months, languages or faiths. Words may hold any Latin letter (``Łukasz``). A
capitalised word that opens a sentence says nothing by its capital, but one
directly before a masked name is taken as part of that name
(``Tasha Taylor said`` masks both words) unless it is a common word, a role or
a title (``After Ava arrived`` keeps ``After``); and a report's excerpts are
masked case by case, each case's masker knowing the names its other excerpts
use mid-sentence (``Kwame said`` in one, ``took Kwame to the GP`` in another,
see :meth:`Redactor.learned`) and, when the scan redacts, the names its forms use
mid-sentence anywhere (``Report.case_names``). The rules over-mask rather than under-mask; they
are heuristics and no substitute for an anonymised export.

>>> redact_text("Ms Smith (07700 900123) said Mum took Ava to school on 3 March 2024.")
'Ms [name] ([phone]) said Mum took [name] to school on [date].'
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import replace
from functools import lru_cache

from dupscan._spool import MappedSequence, heads
from dupscan.model import Finding, Form, Report

__all__ = ["PERSON_FIELDS", "Redactor", "names_from_forms", "names_in_forms", "names_used_in",
           "people_named", "redact_report", "redact_text"]

_MONTHS = ("january february march april may june july august september october "
           "november december jan feb mar apr jun jul aug sep sept oct nov dec").split()
_DAYS = "monday tuesday wednesday thursday friday saturday sunday".split()
_MONTH = r"(?:%s)\.?" % "|".join(sorted(_MONTHS, key=len, reverse=True))
_DAY = r"(?:%s)" % "|".join(_DAYS)
_TITLES = r"(?:Mr|Mrs|Ms|Miss|Mx|Dr|Prof|Master|Sir|Dame|Rev|Cllr|PC|DC|DS)"
_STREET = (r"(?:Road|Rd|Street|St|Avenue|Ave|Lane|Ln|Close|Cl|Drive|Dr|Way|Court|Ct|Crescent|"
           r"Place|Pl|Gardens|Gdns|Terrace|Grove|Hill|Park|Square|Sq|Walk|Mews|Row|View|Rise|"
           r"Parade|Green|Estate|Boulevard)")

_RULES: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"\b[\w.+-]+@[\w-]+(?:\.[\w-]+)+\b"), "[email]"),
    (re.compile(r"(?<![\d+])\b[3-9]\d{2}[ -]?\d{3}[ -]?\d{4}\b"), "[NHS no]"),
    (re.compile(r"(?:\+44\s?\(?0?\)?\s?|\b0)\d{2,4}[\s-]?\d{3,4}[\s-]?\d{3,4}\b"), "[phone]"),
    (re.compile(r"\b(?:GIR ?0AA|[A-Z]{1,2}\d[A-Z\d]? ?\d[A-Z]{2})\b"), "[postcode]"),
    (re.compile(r"\b(?:(?:Flat|Apartment|Unit)\s+\d+[A-Za-z]?,?\s+)?\d+[A-Za-z]?,?\s+"
                r"(?:[A-Z][a-z'’-]+\s+){1,3}" + _STREET + r"\b\.?"), "[address]"),
    (re.compile(r"\b\d{4}-\d{1,2}-\d{1,2}\b|\b\d{1,2}[/.-]\d{1,2}[/.-]\d{2,4}\b"), "[date]"),
    (re.compile(r"(?i)\b(?:" + _DAY + r",?\s+)?\d{1,2}(?:st|nd|rd|th)?(?:\s+of)?\s+" + _MONTH
                + r"(?:,?\s+\d{4})?\b"), "[date]"),
    (re.compile(r"(?i)\b(?:" + _DAY + r",?\s+)?" + _MONTH + r"\s+\d{1,2}(?:st|nd|rd|th)?"
                r"(?:,?\s+\d{4})?\b"), "[date]"),
    (re.compile(r"(?i)\b" + _MONTH + r"\s+\d{4}\b"), "[date]"),
    (re.compile(r"\b(?=[A-Z0-9/-]*\d)[A-Z]{1,5}[-/]?\d{2,}(?:[-/]\d+)*\b"), "[case id]"),
)

_DIGIT = re.compile(r"\d")

# capitalised words that are not names (roles, agencies, form words, calendar)
_NOT_NAMES = frozenset("""
i i'm i've i'd i'll a an the and or but if then so as at by for from in into of on to with
mum mummy mom mother dad daddy father nan nana nanny gran granny grandma grandmother grandad
grandpa grandfather aunt auntie uncle cousin sister brother stepmother stepfather stepdad
stepmum carer foster parent parents baby child children family social worker workers manager
team teacher head headteacher school college nursery police officer pc gp nhs health visitor
midwife hospital a&e council court judge cafcass camhs service services care plan conference
review core group section strategy discussion assessment referral contact chair agency
agencies safeguarding lead designated child protection need needs in meeting report
support early help probation housing department local authority nurse doctor consultant
paediatrician english maths christmas easter bank holiday monday tuesday wednesday thursday
friday saturday sunday january february march april may june july august september october
november december yes no not none he she they we it his her their our my your this that
these those there here when where what who why how all some no any each every mr mrs ms miss
dr mondays tuesdays wednesdays thursdays fridays saturdays sundays weekends
british irish scottish welsh european african caribbean asian arab arabic polish
romanian lithuanian latvian bulgarian slovak czech hungarian albanian kurdish turkish
portuguese spanish french italian somali eritrean tigrinya amharic urdu punjabi bengali
sylheti gujarati hindi tamil pashto farsi persian dari cantonese mandarin chinese
vietnamese muslim christian hindu sikh jewish
primary secondary academy infants centre surgery practice medical clinic university trust
programme project foundation charity partnership unit
""".split())
# words that open sentences: kept before a name (``After [name] arrived``)
_OPENERS = frozenset("""
about above according across after afterwards again against along already also although
always among another around because before being below besides between both currently
dear despite did do does during earlier either even eventually finally first firstly
following further furthermore given good had has have having hello hi however initially
instead is are was were will would could should can might must just last later lastly
like many meanwhile more moreover most much neither next nor now often once only other
others otherwise over overall please previously recently regarding secondly since
sometimes still subsequently such thank thanks therefore though throughout thus today
together tomorrow tonight too under unfortunately unless until upon usually very well
whereas whether which while whilst within without yesterday yet asked told said see
""".split())


def _latin(test: Callable[[str], bool]) -> str:
    """The Latin letters (ASCII to Latin Extended-B) passing ``test``, for a character
    class: names are written with ``Ł``, ``ö`` or ``ș`` as often as without."""
    return "".join(re.escape(ch) for ch in map(chr, range(0x250)) if test(ch))


_UPPER, _LOWER, _LETTERS = _latin(str.isupper), _latin(str.islower), _latin(str.isalpha)
_WORD = re.compile(f"[{_LETTERS}][{_LETTERS}'’-]*")
# a capitalised word right before a masked name (a sentence's first word is not a
# candidate by itself: ``Tasha [name] said`` would show a first name)
_BEFORE_NAME = re.compile(f"\\b([{_UPPER}][{_LOWER}'’-]+)(?=\\s+\\[name\\])")
_TITLE_WORD = re.compile(_TITLES + r"\.?")
_CAPITALISED = f"[{_UPPER}][{_LETTERS}'’-]+"
_TITLE_NAME = re.compile(r"\b(" + _TITLES + r"\.?)\s+(" + _CAPITALISED + r"(?:\s+" + _CAPITALISED
                         + r")?)")
_OPENING = frozenset(".!?:;(\"“-–")  # what a sentence, bracket or quote opens after


def _candidate_names(text: str) -> set[str]:
    names: set[str] = set()
    for match in _TITLE_NAME.finditer(text):
        names.update(w for w in match.group(2).split() if w.lower() not in _NOT_NAMES)
    for match in _WORD.finditer(text):
        word = match.group(0)
        if not word[0].isupper() or word.isupper() or word.lower() in _NOT_NAMES:
            continue
        if _opens_sentence(text, match.start()):
            continue  # sentence-initial: a capital says nothing
        names.add(word)
    return names


def _opens_sentence(text: str, start: int) -> bool:
    """Whether the word at ``start`` opens the text, a sentence, a line or a quote:
    only white space before it, or after the last character before that white space
    one of ``.!?:;("“-–``, or a line break inside that white space. (Looked at from
    ``start`` backwards: a text's words are checked one by one.)"""
    j = start
    while j and text[j - 1].isspace():
        j -= 1
    return not j or "\n" in text[j:start] or text[j - 1] in _OPENING


_TOKEN = re.compile(r"[A-Za-z0-9][\w'’/-]*")
_POSSESSIVE = re.compile(r"['’]s$")


class Redactor:
    """A reusable masker: known names and case ids are indexed once, excerpts many times.

    Parameters
    ----------
    names : iterable of str, optional
        Known person names; each capitalised word of them is masked wherever it appears.
    case_ids : iterable of str, optional
        Known case ids, masked wherever they appear as a whole token.
    """

    def __init__(self, names: Iterable[str] = (), case_ids: Iterable[str] = ()) -> None:
        self.case_ids = frozenset(c for c in case_ids if len(c) >= 2)
        self.names = frozenset(w for name in names for w in _WORD.findall(name)
                               if len(w) > 1 and w[0].isupper() and w.lower() not in _NOT_NAMES)
        self._memo: dict[str, str] = {}

    def learned(self, texts: Iterable[str]) -> Redactor:
        """This masker, also knowing the names that ``texts`` use inside a sentence.

        Given the excerpts of one case, a name that opens a sentence in one excerpt
        (``Kwame said``), where its capital says nothing, is masked because another
        excerpt of the case names him mid-sentence.
        """
        return self.with_names(names_used_in(texts))

    def with_names(self, words: Iterable[str]) -> Redactor:
        """This masker, also masking the name ``words`` (itself when it knows them all)."""
        more = frozenset(words) - self.names
        if not more:
            return self
        out = Redactor()
        out.case_ids, out.names = self.case_ids, self.names | more
        return out

    def _ids(self, text: str) -> str:
        if not self.case_ids:
            return text
        return _TOKEN.sub(lambda m: "[case id]" if m.group(0).rstrip(".,;:") in self.case_ids
                          and m.group(0).rstrip(".,;:") == m.group(0) else m.group(0), text)

    def _tagged(self, text: str) -> str:
        """``text`` with ids, numbers, dates, addresses and titled names tagged."""
        out = self._ids(text)
        if "@" in out or _DIGIT.search(out):  # every rule needs one of them
            for pattern, tag in _RULES:
                out = pattern.sub(tag, out)
        return _TITLE_NAME.sub(lambda m: f"{m.group(1)} [name]", out)

    def __call__(self, text: str) -> str:
        done = self._memo.get(text)
        if done is not None:
            return done
        out = self._tagged(text)
        found = _candidate_names(out) | self.names
        if found:
            def mask(m: re.Match[str]) -> str:
                word = m.group(0)
                return "[name]" if _POSSESSIVE.sub("", word) in found or word in found else word

            out = _WORD.sub(mask, out)
            out = _BEFORE_NAME.sub(_joined_name, out)
        out = re.sub(r"\[name\](?:\s+\[name\])+", "[name]", out)
        if len(self._memo) < 200_000:
            self._memo[text] = out
        return out


def _joined_name(m: re.Match[str]) -> str:
    word = m.group(1)
    low = word.lower()
    if low in _NOT_NAMES or low in _OPENERS or _TITLE_WORD.fullmatch(word):
        return word
    return "[name]"


def redact_text(text: str, *, names: Iterable[str] = (), case_ids: Iterable[str] = ()) -> str:
    """Return ``text`` with personal details replaced by bracketed tags.

    Parameters
    ----------
    text : str
    names : iterable of str, optional
        Known person names (e.g. the value of a form's "Child's name" field); each
        capitalised word of them is masked wherever it appears.
    case_ids : iterable of str, optional
        Known case ids, masked wherever they appear.
    """
    return Redactor(names, case_ids)(text)


def names_from_forms(report: Report) -> tuple[str, ...]:
    """Values of structured fields whose canonical id or label mentions a name, and the
    people named in person fields (:data:`PERSON_FIELDS`, see :func:`people_named`)."""
    return names_in_forms(report.forms)


def names_in_forms(forms: Iterable[Form]) -> tuple[str, ...]:
    """:func:`names_from_forms` over forms read once, as they come."""
    out = set()
    for form in forms:
        for f in form.fields:
            if f.kind != "structured" or not f.text.strip():
                continue
            key = f"{f.canonical or ''} {f.label}".lower()
            if "name" in key:
                out.add(f.text.strip())
            elif f.canonical in PERSON_FIELDS:
                out.update(people_named(f.text))
    return tuple(sorted(out))


#: structured fields (ontology ids) whose values name people among roles and places
PERSON_FIELDS = frozenset({"parents_carers", "siblings", "social_worker", "team_manager",
                           "referrer", "attendees"})
_PERSON_PARTS = re.compile(r"[,;/\n]|\s+(?:and|&)\s+")
_BRACKETED = re.compile(r"\([^)]*\)?")


def people_named(value: str) -> list[str]:
    """The people a person field's value names: each part of a list (split at commas,
    semicolons, slashes, line breaks and *and*), bracketed notes left out, that is one
    to four capitalised words, none a common word or role but a title.

    >>> people_named("Mrs Grady, Designated Safeguarding Lead, Oakfield Primary School")
    ['Mrs Grady']
    >>> people_named("Ewa Wozniak (mother) and Marek Nowak (partner)")
    ['Ewa Wozniak', 'Marek Nowak']
    """
    found = []
    for part in _PERSON_PARTS.split(_BRACKETED.sub(" ", value)):
        words = [w.rstrip(".:") for w in part.split()]
        if not 1 <= len(words) <= 4 or not all(_name_like(w) for w in words):
            continue
        if any(w.lower() in _NOT_NAMES and not _TITLE_WORD.fullmatch(w) for w in words):
            continue
        if all(_TITLE_WORD.fullmatch(w) for w in words):
            continue
        found.append(" ".join(words))
    return found


def _name_like(word: str) -> bool:
    """A capitalised word of letters, apostrophes and hyphens (``O'Brien``, ``Zoë``), not
    an acronym (``DSL``) unless a title (``PC``)."""
    letters = word.replace("'", "").replace("’", "").replace("-", "")
    return word[:1].isupper() and letters.isalpha() \
        and (not word.isupper() or len(word) == 1 or bool(_TITLE_WORD.fullmatch(word)))


def names_used_in(texts: Iterable[str]) -> set[str]:
    """The capitalised words ``texts`` use inside a sentence that may be names (not
    common words, roles, agencies, days, months, languages or faiths), possessives
    without their 's."""
    found: set[str] = set()
    for text in texts:  # untagged: a word the rules would tag is masked anyway, or
        found |= _candidate_names(text)  # over-masked, which the rules prefer
    return {_POSSESSIVE.sub("", w) for w in found}


def redact_report(report: Report) -> Report:
    """A copy of ``report`` whose excerpts (findings, stock text) are redacted.

    Each case's excerpts are masked knowing the names its excerpts use mid-sentence
    and those in ``report.case_names`` (kept by a scan that redacts). Author names
    in the aggregates are replaced by ``Author 1``, ``Author 2`` ...
    """
    red = Redactor(names_from_forms(report),
                   {f.case_id for f in heads(report.forms)} | {f.case_id for f in report.findings})
    # the names each case's excerpts use mid-sentence, masked wherever the case shows them,
    # and those its forms use, when the scan kept them (text no excerpt shows)
    case_names: dict[str, set[str]] = {c: set(n) for c, n in report.case_names.items()}
    for f in report.findings:
        case_names.setdefault(f.case_id, set()).update(
            names_used_in((f.source.text, f.target.text)))

    @lru_cache(maxsize=1)  # findings come case by case
    def masker(case_id: str) -> Redactor:
        return red.with_names(case_names.get(case_id, ()))

    def redacted(f: Finding) -> Finding:
        mask = masker(f.case_id)
        return replace(f, source=replace(f.source, text=mask(f.source.text)),
                       target=replace(f.target, text=mask(f.target.text)))

    # a report kept on disk stays there: its findings are masked as they are read
    findings: Sequence[Finding] = (tuple(map(redacted, report.findings))
                                   if isinstance(report.findings, tuple)
                                   else MappedSequence(report.findings, redacted))
    stock = tuple(replace(s, text=red(s.text), examples=tuple(red(e) for e in s.examples))
                  for s in report.stock_text)
    aggregates = dict(report.aggregates)
    if "author" in aggregates:
        authors = sorted({str(r["author"]) for r in aggregates["author"]} - {"(unknown)"})
        alias = {a: f"Author {i}" for i, a in enumerate(authors, 1)}
        aggregates["author"] = tuple({**r, "author": alias.get(str(r["author"]), r["author"])}
                                     for r in aggregates["author"])
    return replace(report, findings=findings, stock_text=stock, aggregates=aggregates)
