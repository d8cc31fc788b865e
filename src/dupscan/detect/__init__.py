"""Detection of re-entered text across the forms of a case.

Public entry points:

* :func:`detect` — exact, near and paraphrased re-entry over the forms of one case;
* :func:`detect_case` — the same, kept as an :class:`Earlier` that a later call extends
  when the case gains forms (only the new forms are compared);
* :func:`compare` — the same over two texts;
* :func:`find_prefill` — structured fields re-typed across forms;
* :func:`find_stock` — sentences recurring verbatim across many cases.
"""

from __future__ import annotations

from dupscan.detect.compare import compare
from dupscan.detect.engine import detect, detect_case
from dupscan.detect.extend import Earlier
from dupscan.detect.passages import passages
from dupscan.detect.prefill import find_prefill
from dupscan.detect.stock import find_stock, stock_keys

__all__ = ["Earlier", "compare", "detect", "detect_case", "find_prefill", "find_stock", "passages",
           "stock_keys"]
