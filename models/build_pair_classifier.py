"""Build the paraphrase pair classifier shipped as ``src/dupscan/detect/weights.json``.

The fitting itself lives in ``benchmarks/calibrate_detect.py`` (it shares the
candidate collection and the end-to-end threshold sweep with the detection
benchmarks) and ``benchmarks/calibrate_gate.py`` (the cheap test that decides
which pairs are scored at all, fitted on the trees just written); this script
runs both with the settings of the shipped model, so the build is one command
beside the model card (``models/pair_classifier.md``).

``--check`` builds into a temporary file instead and compares it with the shipped
weights byte for byte (exit 1 when they differ, naming what changed): run it after
changing anything the fit sees (the guard, the features, the candidates), since the
guard vetoes training pairs and a change there changes the trees.

Usage::

    .venv/bin/python models/build_pair_classifier.py [--check] [--reuse]
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHIPPED_WEIGHTS = ROOT / "src" / "dupscan" / "detect" / "weights.json"
SHIPPED = ["--cases", "120", "--sweep-cases", "120", "--extra-seeds", "13", "14",
           "--extra-cases", "200", "--fit-on-extra"]
#: what a difference is reported by, besides the trees themselves
_SUMMARY = ("near_threshold", "paraphrase_threshold", "context_threshold", "gate")


def build(weights: Path, reuse: bool, extra: list[str]) -> int:
    """Fit the trees and thresholds, then the gate, into ``weights``; the exit code."""
    fit = [sys.executable, str(ROOT / "benchmarks" / "calibrate_detect.py"), *SHIPPED,
           "--weights", str(weights), *(["--reuse"] if reuse else []), *extra]
    code = subprocess.run(fit, check=False).returncode
    if code:
        return code
    gate = [sys.executable, str(ROOT / "benchmarks" / "calibrate_gate.py"),
            "--weights", str(weights), *(["--reuse"] if reuse else [])]
    return subprocess.run(gate, check=False).returncode


def differences(built: bytes, shipped: bytes) -> list[str]:
    """What differs between two weights files, for a reader: the thresholds, the gate,
    the training pairs and whether the trees are the same."""
    new, old = json.loads(built), json.loads(shipped)
    out = [f"{key}: shipped {old.get(key)!r}, built {new.get(key)!r}"
           for key in _SUMMARY if new.get(key) != old.get(key)]
    pairs_old, pairs_new = (old.get("meta") or {}).get("pairs"), (new.get("meta") or {}).get("pairs")
    if pairs_old != pairs_new:
        out.append(f"training pairs: shipped {pairs_old}, built {pairs_new}")
    if new.get("forest") != old.get("forest"):
        out.append("trees: different")
    return out or ["the files differ in bytes only (formatting or metadata)"]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true",
                        help="build into a temporary file and compare it with the shipped "
                             "weights byte for byte (exit 1 when they differ)")
    parser.add_argument("--reuse", action="store_true",
                        help="reuse the candidate and gate pairs of the previous build")
    args, extra = parser.parse_known_args(argv)
    if not args.check:
        return build(SHIPPED_WEIGHTS, args.reuse, extra)
    with tempfile.TemporaryDirectory(prefix="dupscan-build-") as tmp:
        built = Path(tmp) / "weights.json"
        code = build(built, args.reuse, extra)
        if code:
            return code
        data = built.read_bytes()
    shipped = SHIPPED_WEIGHTS.read_bytes()
    if data == shipped:
        print(f"the build reproduces {SHIPPED_WEIGHTS.relative_to(ROOT)} byte for byte")
        return 0
    print(f"the build differs from {SHIPPED_WEIGHTS.relative_to(ROOT)}:")
    for line in differences(data, shipped):
        print(f"  {line}")
    return 1


if __name__ == "__main__":
    sys.exit(main())
