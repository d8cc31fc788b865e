"""Stock text: sentences recurring verbatim across many unrelated cases.

A hashed sentence index (normalised-sentence hash -> cases holding it) finds
them in one pass over the corpus; no pair of forms is ever compared.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence

from dupscan.config import ScanOptions
from dupscan.detect.normalise import norm_hash, word_count
from dupscan.detect.passages import build_units
from dupscan.model import Form, StockText

__all__ = ["find_stock", "stock_keys"]

MIN_STOCK_WORDS = 3
MAX_EXAMPLES = 3


def find_stock(forms_by_case: Mapping[str, Sequence[Form]], *,
               options: ScanOptions = ScanOptions()) -> list[StockText]:
    """Return sentences recurring verbatim in enough cases to be stock text.

    Parameters
    ----------
    forms_by_case : mapping of case id to forms
        Every case scanned (their number scales the threshold).
    options : ScanOptions
        A sentence is stock text when it recurs in at least
        ``options.stock_threshold(len(forms_by_case))`` cases: ``stock_min_cases``,
        raised to ``ceil(stock_min_share * cases)`` on large corpora.

    Returns
    -------
    list of StockText
        Most widespread first; ``examples`` names up to three documents.

    Examples
    --------
    >>> from dupscan.model import Field, Form
    >>> s = "Please record the views of the child here."
    >>> cases = {f"C{i}": [Form(f"f{i}", f"C{i}/a.txt", f"C{i}", "plan", "",
    ...          (Field("Views", None, s + f" Child {i} is fine.", 0, 60, "narrative"),))]
    ...          for i in range(5)}
    >>> [(t.text, t.cases) for t in find_stock(cases)]
    [('Please record the views of the child here.', 5)]
    """
    need = options.stock_threshold(len(forms_by_case))
    cases: dict[str, set[str]] = defaultdict(set)
    occurrences: dict[str, int] = defaultdict(int)
    first: dict[str, str] = {}
    examples: dict[str, list[str]] = defaultdict(list)
    for case_id in sorted(forms_by_case):
        forms = sorted(forms_by_case[case_id], key=lambda f: (f.doc, f.form_id))
        for unit in build_units(forms):
            if len(unit.toks) < MIN_STOCK_WORDS:
                continue
            cases[unit.key].add(case_id)
            occurrences[unit.key] += 1
            first.setdefault(unit.key, unit.text)
            doc = forms[unit.form].doc
            if len(examples[unit.key]) < MAX_EXAMPLES and doc not in examples[unit.key]:
                examples[unit.key].append(doc)
    out = [StockText(text=first[k], words=word_count(first[k]), occurrences=occurrences[k],
                     cases=len(c), reason="recurring", examples=tuple(examples[k]))
           for k, c in cases.items() if len(c) >= need]
    out.sort(key=lambda s: (-s.cases, -s.occurrences, s.text))
    return out


def stock_keys(stock: Iterable[StockText]) -> frozenset[str]:
    """Return the sentence hashes of ``stock``, for ``detect(..., exclude=...)``."""
    return frozenset(norm_hash(s.text) for s in stock)
