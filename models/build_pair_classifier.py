"""Build the paraphrase pair classifier shipped as ``src/dupscan/detect/weights.json``.

The fitting itself lives in ``benchmarks/calibrate_detect.py`` (it shares the
candidate collection and the end-to-end threshold sweep with the detection
benchmarks) and ``benchmarks/calibrate_gate.py`` (the cheap test that decides
which pairs are scored at all, fitted on the trees just written); this script
runs both with the settings of the shipped model, so the build is one command
beside the model card (``models/pair_classifier.md``, which says how a rebuild
today differs from the committed weights).

Usage::

    .venv/bin/python models/build_pair_classifier.py
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHIPPED = ["--cases", "120", "--sweep-cases", "120", "--extra-seeds", "13", "14",
           "--extra-cases", "200", "--fit-on-extra"]


def main(argv: list[str] | None = None) -> int:
    extra = argv if argv is not None else sys.argv[1:]
    cmd = [sys.executable, str(ROOT / "benchmarks" / "calibrate_detect.py"), *SHIPPED, *extra]
    code = subprocess.run(cmd, check=False).returncode
    if code:
        return code
    gate = [sys.executable, str(ROOT / "benchmarks" / "calibrate_gate.py"),
            *(["--reuse"] if "--reuse" in extra else [])]
    return subprocess.run(gate, check=False).returncode


if __name__ == "__main__":
    sys.exit(main())
