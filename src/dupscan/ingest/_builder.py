"""Accumulate one extracted text and the blocks that index it.

Every reader writes through a :class:`TextBuilder`, so the offset invariant
``text[block.start:block.end] == block text`` holds by construction and the
``max_text_chars`` limit is enforced while the text grows, not after.
"""

from __future__ import annotations

import bisect
from collections.abc import Mapping
from typing import Any

from dupscan.errors import IngestError
from dupscan.model import Block, Document

__all__ = ["TextBuilder"]

# at equal spans, containers come before what they contain
_RANK = {"page": 0, "cell": 1}


class TextBuilder:
    """Append-only text with offset bookkeeping.

    Parameters
    ----------
    path : str
        Display path of the file, used in error messages.
    max_chars : int
        Longest text accepted; appending past it raises :class:`IngestError`.
    """

    def __init__(self, path: str, max_chars: int) -> None:
        self.path = path
        self.max_chars = max_chars
        self._parts: list[str] = []
        self._offsets: list[int] = []  # start offset of each part
        self._blocks: list[Block] = []
        self.pos = 0
        self._last = ""

    def add(self, text: str) -> tuple[int, int]:
        """Append ``text`` and return its ``(start, end)`` offsets."""
        start = self.pos
        if text:
            self.pos += len(text)
            if self.pos > self.max_chars:
                raise IngestError(
                    self.path,
                    f"extracted text too long (over {self.max_chars} characters; "
                    "raise Limits.max_text_chars to read it)",
                )
            self._parts.append(text)
            self._offsets.append(start)
            self._last = text[-1]
        return start, self.pos

    def ends_with_newline(self) -> bool:
        """Whether the text so far is empty or ends with ``"\\n"``."""
        return self.pos == 0 or self._last == "\n"

    def newline(self) -> None:
        """End the current line unless it is already ended."""
        if not self.ends_with_newline():
            self.add("\n")

    def trimmed(self, start: int) -> tuple[int, int]:
        """Span from ``start`` to the current end without leading/trailing blank lines."""
        chunk = self.since(start)
        body = chunk.strip("\n")
        if not body:
            return start, start
        first = start + chunk.index(body)
        return first, first + len(body)

    def block(self, kind: str, start: int, end: int, **attrs: Any) -> Block:
        """Record a block spanning ``[start, end)`` of the text built so far."""
        if not 0 <= start <= end <= self.pos:
            raise ValueError(f"block [{start}, {end}) outside text of length {self.pos}")
        block = Block(kind, start, end, **attrs)  # type: ignore[arg-type]
        self._blocks.append(block)
        return block

    def add_block(self, kind: str, text: str, **attrs: Any) -> Block:
        """Append ``text`` and record it as one block."""
        start, end = self.add(text)
        return self.block(kind, start, end, **attrs)

    def since(self, start: int) -> str:
        """The text from offset ``start`` to the current end."""
        i = bisect.bisect_right(self._offsets, start) - 1
        if i < 0:
            return self.text[start:]
        return "".join(self._parts[i:])[start - self._offsets[i]:]

    @property
    def text(self) -> str:
        """The text built so far."""
        if len(self._parts) > 1:
            self._parts = ["".join(self._parts)]
            self._offsets = [0]
        return self._parts[0] if self._parts else ""

    def build(self, path: str, fmt: str, metadata: Mapping[str, str]) -> Document:
        """Freeze into a :class:`~dupscan.model.Document`.

        Blocks are sorted by start, longer (enclosing) blocks first, and at equal
        spans a page or cell before the field or line it holds.
        """
        blocks = sorted(self._blocks, key=lambda b: (b.start, -b.end, _RANK.get(b.kind, 2)))
        return Document(path=path, format=fmt, text=self.text, blocks=tuple(blocks),
                        metadata=dict(metadata))
