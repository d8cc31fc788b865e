"""Time estimate() and each report writer at 100k-like sizes.

Takes a scan's ``findings.json``, copies its forms and findings ``--times``
times under new case ids (``C0001`` -> ``C0001~3``), so a 10k-form scan gives a
report the size of a 100k-form one, then times :func:`dupscan.estimate.estimate`
and rendering each format, and prints the size of each output.

Usage::

    python benchmarks/report_scale.py /tmp/dupscan-scale/out-10000/findings.json --times 10
"""

from __future__ import annotations

import argparse
import os
import time
from dataclasses import replace


def _copies(report, times: int):  # noqa: ANN001, ANN202
    forms, findings = [], []
    for i in range(times):
        tag = f"~{i}" if i else ""

        def span(s):  # noqa: ANN001, ANN202
            return replace(s, form_id=s.form_id + tag, doc=s.doc + tag)

        forms.extend(replace(f, form_id=f.form_id + tag, doc=f.doc + tag,
                             case_id=f.case_id + tag) for f in report.forms)
        findings.extend(replace(f, case_id=f.case_id + tag, source=span(f.source),
                                target=span(f.target)) for f in report.findings)
    return forms, findings


def main(argv: list[str] | None = None) -> int:
    from dupscan.estimate import estimate
    from dupscan.report import render
    from dupscan.report.json import load_findings

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("findings", help="a findings.json")
    parser.add_argument("--times", type=int, default=10)
    parser.add_argument("--formats", default="json,csv,html")
    args = parser.parse_args(argv)
    base = load_findings(args.findings)
    forms, findings = _copies(base, args.times)
    print(f"load average {os.getloadavg()[0]:.2f}; {len(forms)} forms, {len(findings)} findings")
    t = time.perf_counter()
    report = estimate(forms, findings, stock_text=base.stock_text, prefill=base.prefill)
    print(f"estimate: {time.perf_counter() - t:.2f} s")
    for fmt in args.formats.split(","):
        t = time.perf_counter()
        out = render(report, fmt)
        size = sum(len(v) for v in out.values()) if isinstance(out, dict) else len(out)
        print(f"render {fmt}: {time.perf_counter() - t:.2f} s, {size / 2**20:.1f} MB")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
