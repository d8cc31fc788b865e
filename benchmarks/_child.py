"""A benchmark's measuring part run in a fresh process of its own.

``script _child ARGS`` runs the script's child function on ARGS, which prints its
results as one JSON line last: each size and mode then starts from a clean heap, so
that its peak memory and CPU time are its own.
"""

from __future__ import annotations

import json
import resource
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

__all__ = ["as_child", "peak_mb", "run_child"]


def run_child(script: Path, *args: object) -> dict[str, Any]:
    """The JSON line ``script _child args...`` printed last."""
    out = subprocess.run([sys.executable, str(script), "_child", *map(str, args)],
                         check=True, capture_output=True, text=True).stdout
    return json.loads(out.strip().splitlines()[-1])


def as_child(child: Callable[..., None]) -> bool:
    """Run ``child`` on the command line's arguments when this process was started by
    :func:`run_child` (and say so); False in the benchmark's own process."""
    if len(sys.argv) > 1 and sys.argv[1] == "_child":
        child(*sys.argv[2:])
        return True
    return False


def peak_mb() -> int:
    """This process's peak resident memory so far, in MB (Linux reports KiB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024
