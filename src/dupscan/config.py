"""Options shared by the stages, the CLI and the batch engines.

One frozen object holds every default; the CLI and the batch engines build it
and hand it down, so a scan run by ``dupscan scan``, by ``dupscan.scan()`` or on
a Dask cluster behaves the same. Stages read the parts they need.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from dupscan.errors import ConfigError

__all__ = ["Limits", "ScanOptions"]


@dataclass(frozen=True, slots=True)
class Limits:
    """Bounds that keep one hostile or huge file from stalling a scan.

    max_file_bytes : int, default=100 MiB
        Files larger than this are skipped with a clear reason.
    max_unpacked_bytes : int, default=200 MiB
        Total uncompressed size allowed inside a DOCX (zip-bomb guard).
    max_compression_ratio : float, default=200
        Largest ratio of uncompressed to compressed size for one zip member.
    max_pdf_pages : int, default=2000
    max_text_chars : int, default=20 million
        Extracted text longer than this is refused.
    max_nesting : int, default=500
        Deepest HTML/XML element nesting accepted.
    file_timeout : float, default=60 seconds
        Wall time allowed to read one file (enforced where the engine can).
    """

    max_file_bytes: int = 100 * 1024 * 1024
    max_unpacked_bytes: int = 200 * 1024 * 1024
    max_compression_ratio: float = 200.0
    max_pdf_pages: int = 2000
    max_text_chars: int = 20_000_000
    max_nesting: int = 500
    file_timeout: float = 60.0

    def __post_init__(self) -> None:
        for name in ("max_file_bytes", "max_unpacked_bytes", "max_pdf_pages",
                     "max_text_chars", "max_nesting"):
            if getattr(self, name) <= 0:
                raise ConfigError(f"{name} must be a positive number, got {getattr(self, name)!r}")


@dataclass(frozen=True, slots=True)
class ScanOptions:
    """Everything that changes what a scan finds or how it runs.

    templates : Path or None
        Folder of blank templates whose text is subtracted as boilerplate.
    manifest : Path or None
        ``manifest.csv`` with ``path,case_id,form_type,date[,author]``.
    kinds : tuple of str, default=("exact", "near", "paraphrase")
        Kinds of re-entry to report.
    min_words : int, default=6
        Shortest passage, in words, that counts as re-entry.
    stock_min_cases : int, default=5
        Text recurring verbatim in at least this many cases is stock text
        (the floor of the threshold; see ``stock_min_share``).
    stock_min_share : float, default=0.05
        Share of the cases scanned (0 to 1) that text must recur in to be stock
        text. The threshold is ``max(stock_min_cases, ceil(stock_min_share *
        cases))``, so on a large corpus a sentence copied within a handful of
        cases is still re-entry, while text recurring across many unrelated
        cases stays stock text. 0 keeps the fixed ``stock_min_cases``.
    redact : bool, default=False
        Mask names, dates, addresses, phone numbers and ids in excerpts.
    workers : int, default=0
        Worker processes; 0 means all cores.
    """

    templates: Path | None = None
    manifest: Path | None = None
    kinds: tuple[str, ...] = ("exact", "near", "paraphrase")
    min_words: int = 6
    stock_min_cases: int = 5
    stock_min_share: float = 0.05
    redact: bool = False
    workers: int = 0
    limits: Limits = field(default_factory=Limits)
    profile: Path | None = None
    period_days: float | None = None
    staff: int | None = None
    extra: dict[str, Any] = field(default_factory=dict, hash=False)

    def __post_init__(self) -> None:
        bad = set(self.kinds) - {"exact", "near", "paraphrase"}
        if bad:
            raise ConfigError(f"unknown kind(s) {sorted(bad)}; choose from exact, near, paraphrase")
        if self.min_words < 1:
            raise ConfigError(f"min_words must be at least 1, got {self.min_words}")
        if self.stock_min_cases < 1:
            raise ConfigError(f"stock_min_cases must be at least 1, got {self.stock_min_cases}")
        if not 0.0 <= self.stock_min_share <= 1.0:
            raise ConfigError(f"stock_min_share must be between 0 and 1 (a share of the cases "
                              f"scanned), got {self.stock_min_share!r}")
        if self.workers < 0:
            raise ConfigError(f"workers must be 0 (all cores) or more, got {self.workers}")

    def stock_threshold(self, cases: int) -> int:
        """Cases a sentence must recur in to be stock text when ``cases`` cases are scanned.

        Examples
        --------
        >>> ScanOptions().stock_threshold(100), ScanOptions().stock_threshold(900)
        (5, 45)
        """
        return max(self.stock_min_cases, math.ceil(self.stock_min_share * max(cases, 0) - 1e-9))

    def replace(self, **changes: Any) -> ScanOptions:
        return replace(self, **changes)
