"""dupscan: find text re-entered across the forms of a case record.

>>> import dupscan
>>> findings = dupscan.compare("Mum said Ava was late to school.", "Mum said Ava was late to school.")
>>> findings[0].kind
'exact'

The public API is imported lazily so that ``import dupscan`` stays fast and a
command that needs one stage does not load the others.
"""

from __future__ import annotations

import importlib
import sys
import types
from importlib.metadata import PackageNotFoundError, version
from typing import TYPE_CHECKING, Any

try:
    __version__ = version("dupscan")
except PackageNotFoundError:  # running from a source tree without installation
    __version__ = "0.0.0"

# public name -> module that defines it
_EXPORTS: dict[str, str] = {
    "Block": "dupscan.model",
    "ConfigError": "dupscan.errors",
    "Document": "dupscan.model",
    "DupscanError": "dupscan.errors",
    "Field": "dupscan.model",
    "Finding": "dupscan.model",
    "Form": "dupscan.model",
    "IngestError": "dupscan.errors",
    "Passage": "dupscan.model",
    "Prefill": "dupscan.model",
    "Report": "dupscan.model",
    "ScanOptions": "dupscan.config",
    "Seconds": "dupscan.model",
    "SegmentError": "dupscan.errors",
    "Skipped": "dupscan.model",
    "Span": "dupscan.model",
    "StockText": "dupscan.model",
    "Summary": "dupscan.model",
    "audit": "dupscan.audit",
    "compare": "dupscan.detect",
    "detect": "dupscan.detect",
    "estimate": "dupscan.estimate",
    "evaluate": "dupscan.evaluate",
    "ingest": "dupscan.ingest",
    "render": "dupscan.report",
    "scan": "dupscan.pipeline",
    "segment": "dupscan.segment",
}

__all__ = sorted([*_EXPORTS, "__version__"])


class _Package(types.ModuleType):
    """The ``dupscan`` module: public functions win over same-named submodules.

    ``dupscan.estimate`` is both a function and the module defining it. Importing
    the module makes Python set it as an attribute of the package, which would hide
    the function; this class ignores that one assignment, so ``dupscan.estimate``
    stays the function while ``from dupscan.estimate import ...`` keeps working
    through ``sys.modules``.
    """

    def __setattr__(self, name: str, value: Any) -> None:
        if isinstance(value, types.ModuleType) and _EXPORTS.get(name) == value.__name__:
            return
        super().__setattr__(name, value)


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'dupscan' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return __all__


sys.modules[__name__].__class__ = _Package


if TYPE_CHECKING:  # pragma: no cover - for type checkers and IDEs only
    from dupscan.audit import audit
    from dupscan.config import ScanOptions
    from dupscan.detect import compare, detect
    from dupscan.errors import ConfigError, DupscanError, IngestError, SegmentError
    from dupscan.estimate import estimate
    from dupscan.evaluate import evaluate
    from dupscan.ingest import ingest
    from dupscan.model import (
        Block, Document, Field, Finding, Form, Passage, Prefill, Report, Seconds,
        Skipped, Span, StockText, Summary,
    )
    from dupscan.pipeline import scan
    from dupscan.report import render
    from dupscan.segment import segment
