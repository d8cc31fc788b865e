"""Stage functions that kill their worker process on a marked input.

The real stages run for every other input. :mod:`guarded` installs them (by
dotted path, so spawned workers import them too) when ``DUPSCAN_TEST_CRASH`` is
set, to check at the command line that a worker dying on one file or one case
is reported and every other case still finishes.
"""

from __future__ import annotations

import os
from pathlib import Path

from dupscan.detect import detect as _detect
from dupscan.ingest import ingest as _ingest

CRASH_FILE = "CRASH_WORKER"
CRASH_TEXT = "CRASH_DETECT_MARKER"


def ingest(path, **kwargs):
    """Die on a file whose name holds :data:`CRASH_FILE`; else the real ingest."""
    if CRASH_FILE in Path(path).name:
        os._exit(9)
    return _ingest(path, **kwargs)


def detect(forms, **kwargs):
    """Die on a case one of whose fields holds :data:`CRASH_TEXT`; else the real detect."""
    if any(CRASH_TEXT in field.text for form in forms for field in form.fields):
        os._exit(9)
    return _detect(forms, **kwargs)
