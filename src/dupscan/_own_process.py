"""What dupscan may do in the worker processes it starts itself, and nowhere else.

spaCy splits sentences with a blank pipeline; it imports thinc, and thinc imports
torch whenever torch is installed (the ``st`` extra installs it), which took about
0.9 s of every worker's start. In a process dupscan started (its workers, and the
process of the ``dupscan`` command, see :func:`dupscan.cli.run`), spaCy is imported
with torch hidden, so thinc sees none. A worker that needs torch later (the ``st``
embedding backend) imports it as usual; only thinc's own torch support stays off.
A caller's process is never changed: its spaCy may need thinc's torch support.
"""

from __future__ import annotations

import sys
from types import ModuleType

__all__ = ["claim", "import_spacy"]

_OWN = False


def claim() -> None:
    """Mark this process as one dupscan started (a worker pool's initializer)."""
    global _OWN
    _OWN = True


def import_spacy() -> ModuleType:
    """``spacy``, imported without torch when this process is dupscan's own."""
    if _OWN and "spacy" not in sys.modules and "thinc" not in sys.modules \
            and "torch" not in sys.modules:
        sys.modules["torch"] = None  # type: ignore[assignment]  # import torch -> ImportError
        try:
            import spacy
        finally:
            del sys.modules["torch"]
    import spacy

    return spacy
