"""One case of thousands of forms: detection time and peak memory, in blocks and at once.

A child's or a family's record over years can hold thousands of forms, and a worker
detects a case whole. This benchmark generates a corpus (text formats), reads its
first N forms (``dupscan.ingest`` and ``dupscan.segment``, in manifest order) and
detects them as ONE case, each size in a fresh child process, twice in turns:

* **blocks**: as shipped: shared n-grams paired, candidate pairs' words matched,
  word cosines taken and pairs walked down the classifier's trees a block at a time;
* **at once**: the same code with every block limit raised past the case (how
  detection ran before fe30c0e), the baseline of the same run.

It prints CPU seconds and peak RSS of each child (the peak before detection, reading
the forms with spaCy and the models loaded, is given apart), their ratios, and whether
the two modes found the same findings (a hash of them).

Usage::

    python benchmarks/large_case.py --forms 1100,3300 --work /tmp/dupscan-large-case
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import json
import subprocess
import sys
import time
from dataclasses import replace
from pathlib import Path

HERE = Path(__file__).resolve()
sys.path.insert(0, str(HERE.parent))

from _child import as_child, peak_mb, run_child

#: the block limits raised past any case for the "at once" baseline
AT_ONCE = {("dupscan.detect.fingerprint", "_PAIRS_PER_BLOCK"): 10**12,
           ("dupscan.detect.pair_batch", "_PAIRS_PER_BLOCK"): 10**12,
           ("dupscan.detect.pair_batch", "_WORDS_PER_BLOCK"): 10**12,
           ("dupscan.detect.forest", "_ROWS_PER_BLOCK"): 10**12}


def _corpus(work: Path, forms: int) -> Path:
    """A generated corpus of at least ``forms`` forms (about 11 a case), made once."""
    root = work / f"corpus-{forms}"
    if not (root / "manifest.csv").is_file():
        cases = forms // 10 + 1
        subprocess.run([sys.executable, "-m", "dupscan", "generate", "--cases", str(cases),
                        "--seed", "21", "--formats", "txt,md,numbered", "--out", str(root)],
                       check=True, stdout=subprocess.DEVNULL)
    return root


def _child(root: str, forms: str, mode: str) -> None:
    """Detect the first ``forms`` forms of ``root`` as one case; print a JSON line."""
    import importlib

    import dupscan
    from dupscan.detect.engine import detect

    if mode == "at-once":
        for (module, name), value in AT_ONCE.items():
            setattr(importlib.import_module(module), name, value)
    with open(Path(root) / "manifest.csv", newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))[:int(forms)]
    case = []
    for i, row in enumerate(rows):
        form = dupscan.segment(dupscan.ingest(Path(root) / row["path"])[0])
        # one case, dated in manifest order (a day apart, as a long record runs)
        day = f"{2015 + i // 336:04d}-{1 + i // 28 % 12:02d}-{1 + i % 28:02d}"
        case.append(replace(form, case_id="LARGE", date=day, order=i))
    detect(case[:2])  # models loaded before timing
    before = peak_mb()
    start = time.process_time()
    found = detect(case)
    cpu = time.process_time() - start
    digest = hashlib.sha256(repr(found).encode()).hexdigest()[:16]
    print(json.dumps({"forms": len(case), "findings": len(found), "cpu_s": round(cpu, 1),
                      "peak_mb": peak_mb(),
                      "peak_before_mb": before,
                      "findings_sha": digest}))


def main() -> None:
    if as_child(_child):
        return
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--forms", default="1100,3300",
                        help="comma-separated case sizes, in forms")
    parser.add_argument("--work", type=Path, default=Path("/tmp/dupscan-large-case"))
    args = parser.parse_args()
    args.work.mkdir(parents=True, exist_ok=True)
    sizes = [int(x) for x in args.forms.split(",")]
    root = _corpus(args.work, max(sizes))
    print("| forms | findings | peak before detecting (MB) | blocks: CPU s, peak MB "
          "| at once: CPU s, peak MB | detection adds, blocks / at once (MB) | same findings |")
    print("| --- | --- | --- | --- | --- | --- | --- |")
    for forms in sizes:
        blocks = run_child(HERE, root, forms, "blocks")
        at_once = run_child(HERE, root, forms, "at-once")
        added = [max(0, run["peak_mb"] - run["peak_before_mb"]) for run in (blocks, at_once)]
        print(f"| {blocks['forms']:,} | {blocks['findings']:,} | {blocks['peak_before_mb']:,} "
              f"| {blocks['cpu_s']}, {blocks['peak_mb']:,} "
              f"| {at_once['cpu_s']}, {at_once['peak_mb']:,} "
              f"| {added[0]:,} / {added[1]:,} "
              f"| {blocks['findings_sha'] == at_once['findings_sha']} |", flush=True)

if __name__ == "__main__":
    main()
