"""Synthetic children's social care case records with ground truth.

The generator is independent of the detector: it shares no code with
``dupscan.ingest``, ``dupscan.segment`` or ``dupscan.detect``, so the truth it
writes can be used to score them.

Examples
--------
>>> import tempfile
>>> from dupscan.synth import generate
>>> generate(tempfile.mkdtemp(), cases=1, seed=3).cases
1
"""

from __future__ import annotations

from dupscan.synth.forms import FORM_TYPES
from dupscan.synth.generator import FORMATS, GenerationSummary, generate

__all__ = ["FORMATS", "FORM_TYPES", "GenerationSummary", "generate"]
