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
* their word 3-grams that the case now holds too often to count are the same
  (:func:`~dupscan.detect.fingerprint.crowded_grams`): with their sentences, these
  make their 3-gram candidates, which are then not found again;
* the pair classifier weighs no word by the case's own statistics (idf), and
  embeddings come from the static model, which encodes each sentence alone.

Everything else an earlier target's verdict depends on (its candidates, their
cosines and margins, the guard) looks only at earlier forms. So the checks are
made for every number of first forms: when they fail for all the earlier forms,
the first forms for which they pass keep their findings and the case is compared
again from there. A sentence that turned stock elsewhere in the corpus changes
only the forms from the first one repeating it; a name spelled out in full only
those from the first one using it. When the checks pass for no two first forms,
the whole case is detected again.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from dupscan.detect.attribution import attribution_order
from dupscan.detect.fingerprint import crowded_grams
from dupscan.model import Finding, Form

if TYPE_CHECKING:
    from dupscan.detect.classify import PairModel
    from dupscan.detect.engine import Prepared
    from dupscan.detect.passages import Unit
    from dupscan.detect.semantic import TokenIds

__all__ = ["CASE_WEIGHTS", "Earlier", "case_states", "form_digests", "kept_forms"]

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
    states : tuple of str
        For each number of its first forms, a digest of what the findings in
        those forms were judged on beyond the forms themselves
        (:func:`case_states`).
    findings : tuple of Finding
        What it found.
    token_ids : TokenIds or None
        The static model's token ids of the distinct texts of its sentences, in the
        order first met, when it embedded them: an extension embeds the sentences of
        the forms that keep their findings from these instead of tokenizing them again.
    names : dict or None
        The name words of every text of its forms
        (:func:`~dupscan.detect.people.name_words`): an extension reads only the new
        forms for names, when these forms are its first, unchanged.
    """

    forms: tuple[str, ...]
    states: tuple[str, ...]
    findings: tuple[Finding, ...]
    token_ids: TokenIds | None = None
    names: dict[str, set[str]] | None = None


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


def case_states(prep: Prepared) -> tuple[str, ...]:
    """For each number *n* of the first forms of ``prep``, a digest of the units of
    those *n* forms, their crowded 3-grams (which, with the units, make their 3-gram
    candidates: :func:`~dupscan.detect.fingerprint.crowded_grams`), and the name
    aliases their texts can look up (one digest per *n*, from 1 to every form).

    The guard looks up aliases only for words of the two texts it compares, so
    an alias whose name occurs in none of these units (a new professional named
    in a later form) leaves their verdicts alone. Names are matched as
    substrings of the texts, which keeps every word and perhaps a few more. The
    digests are built in one pass, form by form: each one covers the units, the
    crowded 3-grams and the named aliases of its forms as the whole case now has them
    (a stock sentence a later form repeats is left out of an earlier form too).
    """
    crowded = crowded_grams([u.toks for u in prep.units])
    by_form: list[list[Unit]] = [[] for _ in prep.forms]
    for u in prep.units:
        by_form[u.form].append(u)
    texts = ["\n".join(u.text for u in units).lower() for units in by_form]
    whole = "\n".join(texts)
    # the aliases some unit names, each hashed with the first form that names it
    unseen = {k: v for k, v in prep.aliases.items() if k in whole}
    # one running digest: the state of n forms is that of their n chunks in order
    digest = hashlib.blake2b(digest_size=16)
    out = []
    for units, text in zip(by_form, texts):
        named = sorted((k, sorted(unseen.pop(k))) for k in [k for k in unseen if k in text])
        chunk = ([(u.form, u.field, u.start, u.end, u.key) for u in units],
                 [crowded[u.idx] for u in units], named)
        digest.update(repr(chunk).encode("utf-8", "surrogatepass"))
        out.append(digest.hexdigest())
    return tuple(out)


def kept_forms(prep: Prepared, digests: Sequence[str], earlier: Earlier, model: PairModel, *,
               backend: str, paraphrase: bool, states: Sequence[str] | None = None) -> int:
    """How many first forms of ``prep`` (in attribution order; ``digests``: their
    :func:`form_digests`, ``states``: its :func:`case_states`, made when not given)
    keep ``earlier``'s findings: the most forms *n* whose digests are ``earlier``'s
    first *n* and whose state is ``earlier``'s for *n* forms, or 0 when every check
    of the module passes for none (a single form keeps nothing: it holds no target).
    """
    if paraphrase and (backend != "static" or not CASE_WEIGHTS <= model.unused):
        return 0
    same = 0
    for now, before in zip(digests, earlier.forms):
        if now != before:
            break
        same += 1
    if same < 2:
        return 0
    states = case_states(prep) if states is None else states
    for n in range(min(same, len(earlier.states), len(states)), 1, -1):
        if states[n - 1] == earlier.states[n - 1]:
            return n
    return 0
