"""WordprocessingML basics shared by the DOCX readers: names, on/off values, styles."""

from __future__ import annotations

import re
from dataclasses import dataclass

from lxml import etree

__all__ = ["MC", "VAL", "Style", "Styles", "W", "on", "outline_level", "q"]

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
MC = "http://schemas.openxmlformats.org/markup-compatibility/2006"


def q(tag: str) -> str:
    """Clark name of a WordprocessingML tag: ``q("p") == "{...main}p"``."""
    return f"{{{W}}}{tag}"


VAL = q("val")
_HEADING = re.compile(r"heading\s*([1-9])$", re.IGNORECASE)


def on(element: etree._Element | None) -> bool | None:
    """Value of an OOXML on/off property (``<w:b/>``, ``<w:b w:val="0"/>``)."""
    if element is None:
        return None
    return element.get(VAL, "true").lower() not in ("0", "false", "off", "none")


@dataclass(frozen=True, slots=True)
class Style:
    """What a paragraph or character style says about its text."""

    name: str
    bold: bool | None
    level: int | None  # heading level; 0 for Title


_NO_STYLE = Style("", None, None)


class Styles:
    """Paragraph and character styles, resolved through ``basedOn`` on demand."""

    def __init__(self, document) -> None:
        self.raw: dict[str, etree._Element] = {}
        self.default_para = ""
        self._resolved: dict[str, Style] = {}
        try:
            root = document.styles.element
        except (KeyError, AttributeError, ValueError):  # no styles part: plain paragraphs
            return
        for st in root.findall(q("style")):
            sid = st.get(q("styleId"))
            if sid:
                self.raw.setdefault(sid, st)
                if (st.get(q("type")) == "paragraph"
                        and st.get(q("default")) in ("1", "true", "on")):
                    self.default_para = sid

    def get(self, sid: str, seen: frozenset[str] = frozenset()) -> Style:
        """Name, bold and heading level of style ``sid`` (inherited where unset)."""
        from docx.styles import BabelFish

        if sid in self._resolved:
            return self._resolved[sid]
        st = self.raw.get(sid)
        if st is None or sid in seen or len(seen) > 50:
            return Style(sid, None, None) if not seen else _NO_STYLE
        name_el = st.find(q("name"))
        name = BabelFish.internal2ui(name_el.get(VAL, sid)) if name_el is not None else sid
        bold = on(st.find(f"{q('rPr')}/{q('b')}"))
        level: int | None = None
        heading = _HEADING.match(name.strip())
        if heading:
            level = int(heading.group(1))
        elif name.strip().lower() == "title":
            level = 0
        else:
            level = outline_level(st.find(f"{q('pPr')}/{q('outlineLvl')}"))
        based = st.find(q("basedOn"))
        if based is not None and (bold is None or level is None):
            parent = self.get(based.get(VAL, ""), seen | {sid})
            bold = parent.bold if bold is None else bold
            level = parent.level if level is None else level
        self._resolved[sid] = Style(name, bold, level)
        return self._resolved[sid]


def outline_level(element: etree._Element | None) -> int | None:
    """Heading level from ``<w:outlineLvl w:val="n"/>`` (0-8; 9 is body text)."""
    value = element.get(VAL, "") if element is not None else ""
    return int(value) + 1 if value.isdigit() and int(value) < 9 else None
