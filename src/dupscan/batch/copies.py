"""Second copies of one record: a form that repeats an earlier form of its case whole.

An export can hold one record twice: a form beside its PDF rendering, a document
attached to the case twice, the same file in two folders. Compared like any other
form, the second copy would count as the whole form typed again, and inflate the
hours the report says could be reclaimed.

A scan takes a form for a copy when an earlier form of its case (in case order)
has the same form type, the same date and the same text in its fields, word for
word (only spacing, labels and layout may differ). The copy is left out of its
case, so nothing is compared with it and it adds no words, and it is listed among
the skipped files with the form it copies. A form with another date or type, or
with a single word changed, is compared like any other: a plan carried forward
unchanged to the next review is re-entry, and reported as such.

A short form copies nothing: under :data:`MIN_WORDS` words, two entries of one day
alike word for word ("Phoned the school, no answer.") can be two records, while a
form of a page repeated word for word on its day is one record held twice. Nor does
a blank form.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from typing import Any

__all__ = ["MIN_WORDS", "content_key", "copy_reason"]

#: the fewest words a form holds for a form alike in type, date and words to be its copy
MIN_WORDS = 30


def content_key(form: Mapping[str, Any]) -> str:
    """What makes two forms of one case copies of one record (the JSON dict of a form,
    as stored; :mod:`dupscan.batch.serial`): a digest of its type, date and the
    words of its fields in order, or ``""`` when its fields hold fewer than
    :data:`MIN_WORDS` words (such a form is never taken for a copy).

    The fields' words are taken as one run, not field by field: two renderings of one
    form may split it into fields at other places (a table read as one field, or its
    cells as several). Placing a form computes it, about 11 us a form.
    """
    words = " ".join(field["text"] for field in form.get("fields", ())).split()
    if len(words) < MIN_WORDS:
        return ""
    body = " ".join(words)
    values = f"{form.get('form_type', '')}\0{form.get('date', '')}\0{body}"
    return hashlib.blake2b(values.encode("utf-8", "surrogatepass"), digest_size=16).hexdigest()


def copy_reason(original: str) -> str:
    """The reason a copy of the form of document ``original`` is listed among the skipped."""
    return (f"a second copy of {original} (same form type, date and text): left out, "
            "not counted as re-entry")
