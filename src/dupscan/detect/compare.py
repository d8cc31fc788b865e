"""Compare two texts as if they were two forms of one case."""

from __future__ import annotations

from typing import Any

from dupscan.config import ScanOptions
from dupscan.detect.engine import detect
from dupscan.errors import ConfigError
from dupscan.model import Field, Finding, Form

__all__ = ["compare"]

_EXTRA_KEYS = ("embedding", "pair_weights", "neighbours")


def _form(form_id: str, doc: str, text: str, order: int, label: str) -> Form:
    return Form(form_id=form_id, doc=doc, case_id="", form_type="", date="", order=order,
                fields=(Field(label, None, text, 0, len(text), "narrative"),))


def compare(text_a: str, text_b: str, *, doc_a: str = "a", doc_b: str = "b",
            options: ScanOptions | None = None, **opts: Any) -> list[Finding]:
    """Find text of ``text_b`` re-entered from ``text_a``.

    ``text_a`` is the source form and ``text_b`` the later one. Offsets in the
    findings index the two texts.

    Parameters
    ----------
    text_a, text_b : str
    doc_a, doc_b : str, default="a", "b"
        Names used for the two texts in the findings.
    options : ScanOptions, optional
    **opts
        ScanOptions fields (``kinds``, ``min_words``) or detection settings
        (``embedding="static"|"st"``, ``pair_weights=PATH``, ``neighbours=N``).

    Examples
    --------
    >>> f = compare("Mum said Ava was late to school.", "Mum said Ava was late to school.")
    >>> f[0].kind, f[0].words, f[0].source.doc, f[0].target.doc
    ('exact', 7, 'a', 'b')
    """
    options = options or ScanOptions()
    extra = dict(options.extra)
    fields = {}
    for key, value in opts.items():
        if key in _EXTRA_KEYS:
            extra[key] = value
        elif key in ScanOptions.__dataclass_fields__:
            fields[key] = value
        else:
            raise ConfigError(f"compare() got an unknown option {key!r}")
    if isinstance(fields.get("kinds"), str):
        fields["kinds"] = tuple(k.strip() for k in fields["kinds"].split(",") if k.strip())
    options = options.replace(extra=extra, **fields)
    forms = [_form("a", doc_a, text_a, 0, "A"), _form("b", doc_b, text_b, 1, "B")]
    return detect(forms, options=options)
