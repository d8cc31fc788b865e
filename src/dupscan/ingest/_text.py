"""Plain text and Markdown: one "line" block per non-empty line.

Markdown ATX headings (``#`` to ``######`` followed by a space or the end of
the line, outside fenced code) become "heading" blocks whose level is the
number of ``#`` and whose span covers the whole line, markers included.
"""

from __future__ import annotations

import re

from dupscan.config import Limits
from dupscan.ingest._builder import TextBuilder
from dupscan.ingest._decode import decode
from dupscan.model import Document

__all__ = ["read_text"]

_ATX = re.compile(r" {0,3}(#{1,6})(?:[ \t]|$)")
_FENCE = re.compile(r" {0,3}(```|~~~)")
_MARKERS = ("#", "`", "~")


def read_text(data: bytes, *, display: str, limits: Limits, fmt: str,
              metadata: dict[str, str]) -> list[Document]:
    """Read a ``txt`` or ``md`` file into one Document."""
    text, encoding = decode(data, display)
    builder = TextBuilder(display, limits.max_text_chars)
    builder.add(text)
    fence: str | None = None
    markdown = fmt == "md"
    pos = 0
    for line in text.split("\n"):
        start, end = pos, pos + len(line)
        pos = end + 1
        if not line.strip():
            continue
        if markdown and line.lstrip(" ")[:1] in _MARKERS:  # else neither pattern can match
            opened = _FENCE.match(line)
            if fence is not None:
                if opened and opened.group(1) == fence:
                    fence = None
            elif opened:
                fence = opened.group(1)
            else:
                heading = _ATX.match(line)
                if heading:
                    builder.block("heading", start, end, level=len(heading.group(1)))
                    continue
        builder.block("line", start, end)
    return [builder.build(display, fmt, {**metadata, "encoding": encoding})]
