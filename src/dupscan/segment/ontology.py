"""The ontology of canonical field types and form types.

The ontology is data (``ontology.toml`` in this package): each field type has a
kind, a description and the label wordings known to mean it; each form type has
the title wordings that name it. :func:`load_ontology` reads it once;
:meth:`Ontology.lookup` maps a label as written to a field type by exact match
on the normalised wording.
"""

from __future__ import annotations

import re
import tomllib
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any, Mapping

from dupscan.errors import ConfigError

__all__ = ["FieldType", "FormType", "Ontology", "load_ontology", "normalise_label"]

_QUOTES = str.maketrans({"\u2018": "'", "\u2019": "'", "\u201c": '"', "\u201d": '"',
                         "\u2013": "-", "\u2014": "-", "\u00a0": " "})
_NUMBERING = re.compile(r"^\s*(?:\d+(?:\.\d+)*[.)]?|[a-z][.)]|[ivx]+[.)])\s+",
                        re.IGNORECASE)
_NON_WORD = re.compile(r"[^a-z0-9]+")
_POSSESSIVE_END = re.compile(r"'s$")


@lru_cache(maxsize=65536)
def normalise_label(label: str) -> str:
    """Return the comparison key of a label.

    Lower case, typographic quotes folded, leading numbering ("2.3", "a)")
    removed, possessive ``'s`` dropped, ``&`` read as "and", every other
    punctuation mark read as a space.

    Examples
    --------
    >>> normalise_label("2.1  Child\u2019s Views:")
    'child views'
    >>> normalise_label("Parents / Carers")
    'parents carers'
    """
    text = unicodedata.normalize("NFKC", label).translate(_QUOTES).strip()
    text = _NUMBERING.sub("", text).lower()
    text = text.replace("&", " and ").replace("'s ", " ").replace("s' ", "s ")
    text = _POSSESSIVE_END.sub("", text)
    text = _NON_WORD.sub(" ", text.replace("'", ""))
    return " ".join(text.split())


@dataclass(frozen=True, slots=True)
class FieldType:
    """One canonical field type."""

    id: str
    kind: str
    description: str
    variants: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class FormType:
    """One canonical form type and its title wordings."""

    id: str
    title: str
    variants: tuple[str, ...]


@dataclass(frozen=True)
class Ontology:
    """Canonical field types and form types with their lookup tables.

    Build it with :func:`load_ontology`. ``fields`` and ``form_types`` are keyed
    by id.
    """

    fields: Mapping[str, FieldType]
    form_types: Mapping[str, FormType]
    _labels: dict[str, str] = field(default_factory=dict, repr=False)
    _titles: dict[str, str] = field(default_factory=dict, repr=False)
    _memo: dict[str, tuple[str | None, float]] = field(default_factory=dict, repr=False,
                                                        compare=False)

    def lookup(self, label: str) -> str | None:
        """Return the field type whose variants include ``label`` (normalised), or None.

        Examples
        --------
        >>> load_ontology().lookup("D.O.B.")
        'dob'
        """
        return self._labels.get(normalise_label(label))

    def kind(self, canonical: str | None) -> str | None:
        """Return "structured"/"narrative" for a field type id, None when unknown."""
        item = self.fields.get(canonical or "")
        return item.kind if item else None

    def form_type(self, title: str) -> str | None:
        """Return the form type named by a title or heading, or None.

        Examples
        --------
        >>> load_ontology().form_type("CHILD AND FAMILY ASSESSMENT")
        'child_family_assessment'
        """
        return self._titles.get(normalise_label(title))

    def label_variants(self) -> dict[str, str]:
        """Return ``{normalised variant: field type id}`` (a copy)."""
        return dict(self._labels)

    def title_variants(self) -> dict[str, str]:
        """Return ``{normalised title: form type id}`` (a copy)."""
        return dict(self._titles)


def _as_str_list(value: Any, where: str) -> tuple[str, ...]:
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        raise ConfigError(f"ontology {where}: 'variants' must be a list of non-empty strings")
    return tuple(value)


def _build(data: Mapping[str, Any], source: str) -> Ontology:
    fields_raw = data.get("fields")
    forms_raw = data.get("form_types", {})
    if not isinstance(fields_raw, dict) or not fields_raw:
        raise ConfigError(f"ontology {source}: needs a [fields.<id>] table for each field type")
    fields: dict[str, FieldType] = {}
    labels: dict[str, str] = {}
    for fid, spec in sorted(fields_raw.items()):
        kind = spec.get("kind")
        if kind not in ("structured", "narrative"):
            raise ConfigError(f"ontology {source}: fields.{fid}.kind must be 'structured' or "
                              f"'narrative', got {kind!r}")
        variants = _as_str_list(spec.get("variants"), f"fields.{fid}")
        fields[fid] = FieldType(fid, kind, str(spec.get("description", "")), variants)
        for variant in (fid.replace("_", " "), *variants):
            key = normalise_label(variant)
            other = labels.get(key)
            if other is not None and other != fid:
                raise ConfigError(f"ontology {source}: label {variant!r} is listed under both "
                                  f"{other!r} and {fid!r}; keep it under one field type")
            labels[key] = fid
    forms: dict[str, FormType] = {}
    titles: dict[str, str] = {}
    for tid, spec in sorted(forms_raw.items()):
        title = str(spec.get("title", tid.replace("_", " ")))
        variants = _as_str_list(spec.get("variants", [title]), f"form_types.{tid}")
        forms[tid] = FormType(tid, title, variants)
        for variant in (tid.replace("_", " "), title, *variants):
            key = normalise_label(variant)
            other = titles.get(key)
            if other is not None and other != tid:
                raise ConfigError(f"ontology {source}: title {variant!r} is listed under both "
                                  f"{other!r} and {tid!r}")
            titles[key] = tid
    return Ontology(fields, forms, labels, titles)


@lru_cache(maxsize=4)
def _load_cached(path: str | None) -> Ontology:
    if path is None:
        raw = resources.files("dupscan.segment").joinpath("ontology.toml").read_text("utf-8")
        source = "dupscan/segment/ontology.toml"
    else:
        try:
            raw = Path(path).read_text("utf-8")
        except OSError as exc:
            raise ConfigError(f"cannot read ontology {path}: {exc.strerror}") from exc
        source = path
    try:
        data = tomllib.loads(raw)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"ontology {source} is not valid TOML: {exc}") from exc
    return _build(data, source)


def load_ontology(path: str | Path | None = None) -> Ontology:
    """Load the ontology shipped with dupscan, or one from ``path``.

    Parameters
    ----------
    path : str or Path, optional
        A TOML file with the same layout as the shipped ``ontology.toml``.

    Raises
    ------
    ConfigError
        When the file cannot be read or is malformed (the message names the entry).

    Examples
    --------
    >>> onto = load_ontology()
    >>> onto.fields["dob"].kind
    'structured'
    """
    return _load_cached(None if path is None else str(path))
