"""Render a :class:`~dupscan.model.Report` as console text, JSON, CSV or HTML.

One report object feeds every format:

- ``"json"``: ``findings.json``, schema ``dupscan.findings/1`` (:mod:`dupscan.report.json`)
- ``"csv"``: ``findings.csv`` plus aggregate tables (:mod:`dupscan.report.csv`)
- ``"html"``: one self-contained page (:mod:`dupscan.report.html`)
- ``"console"``: the headline as plain text (:mod:`dupscan.report.console`)

With ``redact=True`` every excerpt is masked first (:mod:`dupscan.redact`).

>>> from dupscan.estimate import estimate
>>> render(estimate([], []), "json").startswith('{')
True
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING

from dupscan._io import atomic_write_chunks, atomic_write_text
from dupscan.errors import ConfigError
from dupscan.model import Report
from dupscan.report._format import utf8_safe as _utf8
from dupscan.report.json import load_findings

if TYPE_CHECKING:  # pragma: no cover
    from rich.console import Console

__all__ = ["FORMATS", "load_findings", "parse_formats", "print_console", "render",
           "write_reports"]

FORMATS = ("json", "csv", "html", "console")


def parse_formats(value: str | Iterable[str]) -> tuple[str, ...]:
    """``"json,html"`` or ``["json", "html"]`` -> ``("json", "html")``, checked.

    >>> parse_formats("json, CSV")
    ('json', 'csv')
    """
    items = value.split(",") if isinstance(value, str) else list(value)
    out: list[str] = []
    for item in items:
        name = item.strip().lower()
        if not name:
            continue
        if name not in FORMATS:
            raise ConfigError(f"unknown report format {item!r}; choose from {', '.join(FORMATS)}")
        if name not in out:
            out.append(name)
    if not out:
        raise ConfigError("no report format given; choose from " + ", ".join(FORMATS))
    return tuple(out)


def _prepare(report: Report, redact: bool) -> Report:
    if not redact:
        return report
    from dupscan.redact import redact_report

    return redact_report(report)


def render(report: Report, fmt: str, *, redact: bool = False) -> str:
    """The report in one format, as text.

    Parameters
    ----------
    report : Report
    fmt : {"json", "csv", "html", "console"}
        ``"csv"`` gives the one-row-per-finding table (``findings.csv``);
        :func:`write_reports` also writes the aggregate tables.
    redact : bool, default=False
        Mask names, dates, addresses, phone and NHS numbers, case ids and e-mails
        in every excerpt.
    """
    (name,) = parse_formats([fmt])
    return _utf8(_render(_prepare(report, redact), name, redact))


def _render(report: Report, name: str, redacted: bool) -> str:
    if name == "json":
        from dupscan.report.json import dumps

        return dumps(report)
    if name == "csv":
        from dupscan.report.csv import findings_csv

        return findings_csv(report)
    if name == "html":
        from dupscan.report.html import render_html

        return render_html(report, redacted=redacted)
    from dupscan.report.console import render_text

    return render_text(report)


def write_reports(report: Report, out_dir: str | Path, formats: str | Iterable[str], *,
                  redact: bool = False,
                  progress: Callable[[str, int, int], None] | None = None) -> dict[str, Path]:
    """Write the report in each format into ``out_dir``; return ``{name: path}``.

    Files: ``findings.json``, ``findings.csv`` + ``aggregates_<table>.csv``,
    ``report.html``, ``summary.txt`` (console). Every file is written atomically.
    ``progress``, when given, is called as ``progress("reports", done, total)``
    before the first format and after each (a report of 100k findings takes
    seconds per format).
    """
    names = parse_formats(formats)
    out = Path(out_dir)
    report = _prepare(report, redact)
    written: dict[str, Path] = {}
    for done, name in enumerate(names):
        if progress is not None:
            progress("reports", done, len(names))
        _write_one(report, out, name, redact, written)
    if progress is not None:
        progress("reports", len(names), len(names))
    return written


def _write_one(report: Report, out: Path, name: str, redact: bool,
               written: dict[str, Path]) -> None:
    """Write one format of ``report`` (already redacted when asked) into ``written``."""
    if name == "csv":
        from dupscan.report.csv import csv_table_chunks

        for filename, chunks in csv_table_chunks(report).items():
            written[f"csv:{filename}"] = atomic_write_chunks(out / filename, _encoded(chunks))
    elif name == "json":  # written in pieces: at 100k findings the text is ~100 MB
        from dupscan.report.json import dump_chunks

        written[name] = atomic_write_chunks(out / "findings.json",
                                            _encoded(dump_chunks(report)))
    else:
        filename = {"html": "report.html", "console": "summary.txt"}[name]
        written[name] = atomic_write_text(out / filename, _utf8(_render(report, name, redact)))


def _encoded(chunks: Iterable[str]) -> Iterator[bytes]:
    """Text pieces as UTF-8 bytes (lone surrogates replaced, as :func:`_utf8` does)."""
    for chunk in chunks:
        yield _utf8(chunk).encode("utf-8")


def print_console(report: Report, console: Console | None = None, *,
                  redact: bool = False) -> None:
    """Print the headline, top pairs and skipped files to a rich console."""
    from dupscan.report.console import print_report

    print_report(_prepare(report, redact), console)
