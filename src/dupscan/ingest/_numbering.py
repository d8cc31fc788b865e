"""Word list numbering: the "1.", "a)", "•" a reader sees before a numbered paragraph.

Numbers are not stored in a DOCX's text; Word computes them from
``word/numbering.xml``. This module replays that computation closely enough
for forms: counters per abstract list (so lists continue across ``w:num``
instances unless a ``w:startOverride`` restarts them), deeper levels reset when
a shallower one advances, ``%1.%2`` level texts, decimal/letter/roman formats
and bullets. Numbering that comes from a paragraph style is honoured too.
"""

from __future__ import annotations

from dataclasses import dataclass

from lxml import etree

from dupscan.ingest._wordml import VAL, q

__all__ = ["Numbering"]

def _int(element: etree._Element | None, default: int) -> int:
    value = element.get(VAL, "") if element is not None else ""
    return int(value) if value.lstrip("-").isdigit() else default


@dataclass(frozen=True, slots=True)
class _Level:
    fmt: str
    text: str
    start: int
    suffix: str


def _roman(n: int) -> str:
    out = []
    for value, numeral in ((1000, "m"), (900, "cm"), (500, "d"), (400, "cd"), (100, "c"),
                           (90, "xc"), (50, "l"), (40, "xl"), (10, "x"), (9, "ix"), (5, "v"),
                           (4, "iv"), (1, "i")):
        while n >= value:
            out.append(numeral)
            n -= value
    return "".join(out)


def _letters(n: int) -> str:
    # Word repeats the letter: a..z, aa..zz, aaa...
    return chr(ord("a") + (n - 1) % 26) * ((n - 1) // 26 + 1) if n > 0 else ""


def _format(n: int, fmt: str) -> str:
    if fmt in ("lowerLetter", "upperLetter"):
        text = _letters(n)
        return text.upper() if fmt == "upperLetter" else text
    if fmt in ("lowerRoman", "upperRoman"):
        text = _roman(n) if n > 0 else str(n)
        return text.upper() if fmt == "upperRoman" else text
    if fmt == "decimalZero":
        return f"{n:02d}"
    if fmt == "none":
        return ""
    return str(n)


def _bullet(text: str) -> str:
    # Symbol/Wingdings bullets live in the private use area; show what a reader sees
    if not text:
        return ""
    return "".join("•" if "\uf000" <= ch <= "\uf0ff" else ch for ch in text)


class Numbering:
    """Computes the list label of each numbered paragraph, in document order."""

    def __init__(self, root: etree._Element | None, styles: dict[str, etree._Element]) -> None:
        self.abstract: dict[str, dict[int, _Level]] = {}
        self.nums: dict[str, tuple[str, dict[int, int]]] = {}
        self.counters: dict[str, dict[int, int]] = {}
        self.restarted: set[str] = set()
        self.styles = styles
        if root is None:
            return
        for abstract in root.findall(q("abstractNum")):
            levels: dict[int, _Level] = {}
            for lvl in abstract.findall(q("lvl")):
                ilvl = int(lvl.get(q("ilvl"), "0")) if lvl.get(q("ilvl"), "0").isdigit() else 0
                fmt_el = lvl.find(q("numFmt"))
                text_el = lvl.find(q("lvlText"))
                suffix = (lvl.find(q("suff")).get(VAL, "tab")
                          if lvl.find(q("suff")) is not None else "tab")
                levels[ilvl] = _Level(
                    fmt=fmt_el.get(VAL, "decimal") if fmt_el is not None else "decimal",
                    text=text_el.get(VAL, "") if text_el is not None else "",
                    start=_int(lvl.find(q("start")), 1),
                    suffix={"tab": "\t", "space": " "}.get(suffix, ""))
            self.abstract[abstract.get(q("abstractNumId"), "")] = levels
        for num in root.findall(q("num")):
            ref = num.find(q("abstractNumId"))
            overrides = {}
            for override in num.findall(q("lvlOverride")):
                start = override.find(q("startOverride"))
                if start is not None and override.get(q("ilvl"), "").isdigit():
                    overrides[int(override.get(q("ilvl")))] = _int(start, 1)
            self.nums[num.get(q("numId"), "")] = (ref.get(VAL, "") if ref is not None else "",
                                                   overrides)

    def _num_pr(self, ppr: etree._Element | None, style_id: str) -> tuple[str, int] | None:
        num_pr = ppr.find(q("numPr")) if ppr is not None else None
        num_id = ilvl = None
        if num_pr is not None:
            num_el, lvl_el = num_pr.find(q("numId")), num_pr.find(q("ilvl"))
            num_id = num_el.get(VAL) if num_el is not None else None
            ilvl = _int(lvl_el, 0) if lvl_el is not None else None
        seen: set[str] = set()
        while (num_id is None or ilvl is None) and style_id and style_id not in seen:
            seen.add(style_id)
            style = self.styles.get(style_id)
            if style is None:
                break
            style_pr = style.find(f"{q('pPr')}/{q('numPr')}")
            if style_pr is not None:
                if num_id is None and style_pr.find(q("numId")) is not None:
                    num_id = style_pr.find(q("numId")).get(VAL)
                if ilvl is None and style_pr.find(q("ilvl")) is not None:
                    ilvl = _int(style_pr.find(q("ilvl")), 0)
            based = style.find(q("basedOn"))
            style_id = based.get(VAL, "") if based is not None else ""
        if not num_id or num_id == "0" or num_id not in self.nums:
            return None
        return num_id, ilvl or 0

    def label(self, ppr: etree._Element | None, style_id: str) -> str:
        """Label and separator of a paragraph ("1.\\t", "•\\t") or "" if it is not numbered."""
        found = self._num_pr(ppr, style_id)
        if found is None:
            return ""
        num_id, ilvl = found
        abstract_id, overrides = self.nums[num_id]
        levels = self.abstract.get(abstract_id, {})
        level = levels.get(ilvl)
        if level is None:
            return ""
        counters = self.counters.setdefault(abstract_id, {})
        if num_id not in self.restarted:
            self.restarted.add(num_id)
            for lvl, start in overrides.items():
                counters[lvl] = start - 1
        counters[ilvl] = counters.get(ilvl, level.start - 1) + 1
        for deeper in [k for k in counters if k > ilvl]:
            del counters[deeper]
        if level.fmt == "bullet":
            text = _bullet(level.text)
        else:
            text = level.text
            for n in range(9, 0, -1):
                if f"%{n}" in text:
                    other = levels.get(n - 1, level)
                    value = counters.get(n - 1, other.start)
                    text = text.replace(f"%{n}", _format(value, level.fmt if n - 1 == ilvl
                                                         else other.fmt))
        return text + level.suffix if text else ""
