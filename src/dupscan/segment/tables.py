"""Tables: label/value pairs across columns, or a header row naming each column."""

from __future__ import annotations

from dupscan.model import Block
from dupscan.segment._layout import Known, RawField, clean_label, label_like, lines
from dupscan.segment._text import trim

__all__ = ["table_fields"]

_HEADER_WORDS = {"field", "item", "question", "section", "heading", "label", "details", "detail",
                 "response", "answer", "value", "information", "entry", "description", "comments"}


def table_fields(text: str, cells: list[Block], known: Known) -> list[RawField] | None:
    """Fields of one table: label/value pairs across columns, or a header row; None if neither."""
    rows: dict[int, dict[int, Block]] = {}
    for cell in cells:
        rows.setdefault(cell.row, {})[cell.col] = cell
    ncols = max(cell.col for cell in cells) + 1
    if ncols < 2:
        return None
    order = sorted(rows)

    def label_of(block: Block) -> str:
        first = next(iter(lines(text, block.start, block.end)), (block.start, block.start))
        return clean_label(text[first[0]:first[1]])

    # label | value [| label | value ...]: labels in the even columns
    label_cells = [rows[r][c] for r in order for c in range(0, ncols - 1, 2)
                   if c in rows[r] and c + 1 in rows[r]]
    known_labels = sum(known(label_of(b)) for b in label_cells) / max(1, len(label_cells))
    like_labels = sum(label_like(label_of(b)) for b in label_cells) / max(1, len(label_cells))
    head = rows[order[0]]
    header_ok = len(order) > 1 and all(label_like(label_of(b), max_words=6) for b in head.values())
    header_known = sum(known(label_of(b)) for b in head.values()) / max(1, len(head))
    if ncols % 2 == 0 and known_labels >= 0.5:
        mode = "kv"
    elif header_ok and (ncols > 2 or header_known >= 0.5 or known_labels < 0.3):
        mode = "header"
    elif ncols == 2 and like_labels >= 0.6:
        mode = "kv"
    else:
        return None
    out: list[RawField] = []
    if mode == "kv":
        for r in order:
            row = rows[r]
            if r == order[0] and all(clean_label(text[b.start:b.end]).lower() in _HEADER_WORDS
                                     for b in row.values()):
                continue  # a "Field | Details" header row
            for c in range(0, ncols - 1, 2):
                if c not in row or c + 1 not in row:
                    continue
                s, e = trim(text, row[c + 1].start, row[c + 1].end)
                if s < e:
                    out.append(RawField(label_of(row[c]), s, e, "table"))
        return out
    labels = {col: label_of(b) for col, b in head.items()}
    for r in order[1:]:
        for col, block in sorted(rows[r].items()):
            s, e = trim(text, block.start, block.end)
            if s < e and labels.get(col):
                out.append(RawField(labels[col], s, e, "table_column"))
    return out
