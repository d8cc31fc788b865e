"""Extending a stored detection of a case when forms are added after its last.

A case record grows at its end: a month of new forms mostly adds forms dated
after every form already held. The findings whose target lies in the forms
held before can then be kept, and only the new forms' sentences compared
(against every form), provided nothing those findings were judged on has
changed. :func:`kept_forms` checks that exactly, against digests the earlier
detection kept (:class:`Earlier`):

* the earlier forms are the first forms of the case in attribution order,
  unchanged (their digests match);
* their sentence units are the same (a stock sentence a new form repeats is now
  left out of them, and changes them);
* the names that tell people apart (:func:`~dupscan.detect.people.person_aliases`,
  found in every form of the case) are the same for every name their sentences
  hold;
* their word 3-gram candidates are the same (an n-gram grown too common is
  dropped);
* the pair classifier weighs no word by the case's own statistics (idf), and
  embeddings come from the static model, which encodes each sentence alone.

Everything else an earlier target's verdict depends on (its candidates, their
cosines and margins, the guard) looks only at earlier forms. When a check
fails, the whole case is detected again.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from dupscan.detect.attribution import attribution_order
from dupscan.model import Finding, Form

if TYPE_CHECKING:
    from dupscan.detect.classify import PairModel
    from dupscan.detect.engine import Prepared

__all__ = ["CASE_WEIGHTS", "Earlier", "case_state", "form_digests", "kept_forms"]

#: pair-classifier features weighted by the case's own word statistics
CASE_WEIGHTS = frozenset({"idf_cover_min", "idf_cover_max"})


@dataclass(frozen=True, slots=True)
class Earlier:
    """One detection of a case, kept to be extended
    (see :func:`~dupscan.detect.engine.detect_case`).

    Attributes
    ----------
    forms : tuple of str
        :func:`form_digests` of the forms it was run on.
    state : str
        A digest of what its findings were judged on beyond the forms
        themselves (:func:`case_state`).
    findings : tuple of Finding
        What it found.
    """

    forms: tuple[str, ...]
    state: str
    findings: tuple[Finding, ...]


def form_digests(forms: Sequence[Form]) -> tuple[str, ...]:
    """A digest of each of ``forms`` in attribution order.

    Two forms have the same digest only when every value of them (fields,
    offsets, stock spans, date, order) is the same.
    """
    return tuple(hashlib.blake2b(repr(_values(form)).encode("utf-8", "surrogatepass"),
                                 digest_size=16).hexdigest()
                 for form in attribution_order(forms))


def _values(form: Form) -> tuple[object, ...]:
    """Every value of ``form`` that takes part in its equality, as plain tuples (whose
    ``repr`` is several times faster than the dataclasses' own)."""
    return (form.form_id, form.doc, form.case_id, form.form_type, form.date, form.author,
            form.order, form.words,
            tuple((f.label, f.canonical, f.text, f.start, f.end, f.kind, f.confidence, f.stock)
                  for f in form.fields))


def case_state(prep: Prepared, forms: int | None = None) -> str:
    """A digest of the units of the first ``forms`` forms of ``prep`` (all when None),
    their 3-gram candidates, and the name aliases their texts can look up.

    The guard looks up aliases only for words of the two texts it compares, so
    an alias whose name occurs in none of these units (a new professional named
    in a later form) leaves their verdicts alone. Names are matched as
    substrings of the texts, which keeps every word and perhaps a few more.
    """
    units = prep.units if forms is None else [u for u in prep.units if u.form < forms]
    text = "\n".join(u.text for u in units).lower()
    named = sorted((k, sorted(v)) for k, v in prep.aliases.items() if k in text)
    digest = hashlib.blake2b(digest_size=16)
    digest.update(repr([(u.form, u.field, u.start, u.end, u.key) for u in units]).encode())
    digest.update(repr(prep.shared[:len(units)]).encode())
    digest.update(repr(named).encode("utf-8", "surrogatepass"))
    return digest.hexdigest()


def kept_forms(prep: Prepared, digests: Sequence[str], earlier: Earlier, model: PairModel, *,
               backend: str, paraphrase: bool) -> int:
    """How many forms of ``prep`` (in attribution order; ``digests``: their
    :func:`form_digests`) keep ``earlier``'s findings: ``len(earlier.forms)`` when
    every check of the module passes, else 0."""
    kept = len(earlier.forms)
    if not 0 < kept <= len(prep.forms):
        return 0
    if paraphrase and (backend != "static" or not CASE_WEIGHTS <= model.unused):
        return 0
    if tuple(digests[:kept]) != earlier.forms:
        return 0
    return kept if case_state(prep, kept) == earlier.state else 0
