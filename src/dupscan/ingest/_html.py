"""HTML: headings, paragraphs, lists, tables, definition lists and form inputs.

Parsed with lxml's HTML parser with no network access, no huge-tree mode and
no DTD or entity declarations (refused before parsing). Whitespace collapses as
a browser shows it (kept inside ``<pre>`` and ``<textarea>``); ``<br>`` is a
newline. Blocks: ``h1``-``h6`` "heading" (level), ``p``/``div``/``blockquote``
and other block containers "paragraph", ``li`` "list_item", ``td``/``th``
"cell" (table/row/col, spans resolved), ``dt``/``dd`` cells in columns 0/1 of
a table of their own, and filled ``input``/``textarea``/``select`` values
"form_field" named after their ``<label>`` (else ``aria-label``, ``name``, ``id``),
each on a line of its own (inside a table cell: within the cell's text). A
checked radio button is a field named after its group (``<legend>``) whose
value is the option's label.
``script``, ``style``, ``head`` and hidden elements are ignored.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from dupscan.config import Limits
from dupscan.errors import IngestError
from dupscan.ingest._builder import TextBuilder
from dupscan.ingest._decode import decode
from dupscan.ingest._limits import describe
from dupscan.model import Document

__all__ = ["read_html"]

_WS = re.compile(r"[ \t\n\r\f]+")
_HEADINGS = {f"h{i}": i for i in range(1, 7)}
_BLOCKS = {"p", "div", "blockquote", "section", "article", "main", "header", "footer", "aside",
           "nav", "address", "figure", "figcaption", "form", "fieldset", "legend", "details",
           "summary", "center", "body", "html", "caption", "hgroup", "ul", "ol", "menu", "hr",
           "dt", "dd"}  # dt/dd here only when outside a <dl>; inside one they are cells
_IGNORED = {"script", "style", "head", "template", "noscript", "title", "meta", "link",
            "iframe", "object", "embed", "svg", "math", "canvas", "audio", "video", "button",
            "datalist", "option", "optgroup", "base", "param", "source", "track", "map"}
# elements whose end tag may be omitted: not counted by the pre-parse depth scan
_OPTIONAL_END = {"p", "li", "dt", "dd", "tr", "td", "th", "option", "optgroup", "thead",
                 "tbody", "tfoot", "colgroup", "rb", "rt", "rp", "rtc", "html", "head", "body"}
_VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param",
         "source", "track", "wbr", "keygen", "command", "basefont", "frame", "isindex"}
_TAG = re.compile(r"<(/?)([a-zA-Z][a-zA-Z0-9:-]*)[^>]*?(/?)>")
_RAW = re.compile(r"<(script|style)\b.*?</\1\s*>", re.IGNORECASE | re.DOTALL)
_ENTITY_DECL = re.compile(r"<!\s*ENTITY|<!\s*DOCTYPE[^>\[]*\[", re.IGNORECASE)
_META_CHARSET = re.compile(rb"<meta[^>]+charset\s*=\s*[\"']?\s*([a-zA-Z0-9_.:-]+)", re.IGNORECASE)
_XML_DECL = re.compile(r"^\s*<\?xml[^>]*\?>")
_DISPLAY_NONE = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.IGNORECASE)
# spans beyond this many covered grid slots are not tracked (column indices of an
# absurd table may drift; memory stays bounded)
_MAX_SPAN_SLOTS = 200_000
_SKIP_TYPES = {"hidden", "password", "submit", "button", "reset", "image", "file"}


def _prescan_depth(text: str) -> int:
    depth = deepest = 0
    for close, name, selfclose in _TAG.findall(_RAW.sub("", text)):
        name = name.lower()
        if name in _VOID or name in _OPTIONAL_END or selfclose:
            continue
        depth = max(0, depth - 1) if close else depth + 1
        deepest = max(deepest, depth)
    return deepest


def _clean(text: str) -> str:
    return _WS.sub(" ", text).strip()


def _plain(el) -> str:
    """Visible text of ``el`` without form values, option lists or scripts."""
    parts: list[str] = []

    def visit(node) -> None:
        if isinstance(node.tag, str) and node.tag not in _IGNORED and node.tag not in (
                "select", "textarea"):
            parts.append(node.text or "")
            for child in node:
                visit(child)
                parts.append(child.tail or "")

    visit(el)
    return _clean("".join(parts))


def _label_name(text: str) -> str:
    return text.rstrip(" :*\u00a0").strip()


class _Inline:
    """Inline content of the current block, rendered with browser whitespace rules."""

    def __init__(self) -> None:
        self.items: list[tuple[str, str, str]] = []

    def text(self, s: str | None, pre: bool = False) -> None:
        if s:
            self.items.append(("pre" if pre else "text", s, ""))

    def br(self) -> None:
        self.items.append(("br", "", ""))

    def field(self, value: str, name: str) -> None:
        self.items.append(("field", value, name))

    def render(self) -> tuple[str, list[tuple[int, int, str]]]:
        """The block's text and its fields as ``(start, end, name)`` offsets into it."""
        out: list[str] = []
        n = 0
        last = ""
        space = glue = False
        fields: list[tuple[int, int, str]] = []
        for kind, s, name in self.items:
            if kind == "br":
                if n:
                    out.append("\n")
                    n, last, space, glue = n + 1, "\n", False, False
                continue
            trail = False
            if kind == "text":
                s = _WS.sub(" ", s)
                space = space or s.startswith(" ")
                trail = s.endswith(" ")
                s = s.strip(" ")
                if not s:
                    continue
            if (space or kind == "field" or (glue and s[0].isalnum())) and n and last not in " \n":
                out.append(" ")
                n += 1
            out.append(s)
            if kind == "field":
                fields.append((n, n + len(s), name))
            n += len(s)
            last = s[-1]
            space, glue = trail, kind == "field"
        self.items = []
        text = "".join(out).rstrip("\n")
        return (text, fields) if text.strip() else ("", [])


class _Walker:
    """Writes the visible content of an HTML tree into a :class:`TextBuilder`."""

    def __init__(self, builder: TextBuilder, root, max_depth: int) -> None:
        self.b = builder
        self.depth = 0
        self.max_depth = max_depth
        self.inline = _Inline()
        self.ctx: list[tuple[str, int]] = [("paragraph", 0)]
        self.cells: list[list[bool]] = []
        self.tables = 0
        self.pre = 0
        self.labels: dict[str, str] = {}
        for label in root.iter("label"):
            target = label.get("for")
            if target and target not in self.labels:
                self.labels[target] = _label_name(_plain(label))
        self.by_id = {el.get("id"): el for el in root.iter() if isinstance(el.tag, str)
                      and el.get("id")}

    # -- output ---------------------------------------------------------------
    def flush(self) -> None:
        text, fields = self.inline.render()
        if not text:
            return
        if self.cells:
            cell = self.cells[-1]
            if cell[0]:
                self.b.add("\n")
            start, _ = self.b.add(text)
            cell[0] = True
        else:
            self.b.newline()
            start, end = self.b.add(text)
            kind, level = self.ctx[-1]
            self.b.block(kind, start, end, level=level)
            self.b.add("\n")
        for fs, fe, name in fields:
            self.b.block("form_field", start + fs, start + fe, name=name)

    # -- walking --------------------------------------------------------------
    def children(self, el) -> None:
        self.depth += 1
        if self.depth > self.max_depth:
            raise IngestError(self.b.path, f"HTML nested deeper than {self.max_depth} elements")
        self.inline.text(el.text, self.pre > 0)
        for child in el:
            self.walk(child)
            self.inline.text(child.tail, self.pre > 0)
        self.depth -= 1

    def walk(self, el) -> None:
        tag = el.tag if isinstance(el.tag, str) else ""
        tag = tag.lower()
        if (not tag or tag in _IGNORED or el.get("hidden") is not None
                or _DISPLAY_NONE.search(el.get("style") or "")):
            return
        if tag == "br":
            self.inline.br()
        elif tag in ("input", "textarea", "select"):
            self.form_field(el, tag)
        elif tag == "table":
            self.table(el)
        elif tag == "dl":
            self.dl(el)
        elif tag in _HEADINGS or tag in _BLOCKS or tag in ("li", "pre"):
            self.flush()
            kind = ("heading", _HEADINGS[tag]) if tag in _HEADINGS else (
                ("list_item", 0) if tag == "li" else ("paragraph", 0))
            self.ctx.append(kind)
            self.pre += tag == "pre"
            if tag == "pre" and el.text and el.text.startswith(("\n", "\r")):
                el.text = el.text[2:] if el.text.startswith("\r\n") else el.text[1:]
            self.children(el)
            self.flush()
            self.pre -= tag == "pre"
            self.ctx.pop()
        else:
            self.children(el)

    def form_field(self, el, tag: str) -> None:
        if tag == "input":
            kind = (el.get("type") or "text").lower()
            if kind in _SKIP_TYPES:
                return
            if kind in ("checkbox", "radio"):
                if el.get("checked") is None:
                    return
                value = el.get("value") or ""
                value = "Yes" if value.lower() in ("", "on") else value
                if kind == "radio":  # the question is the group, the answer the option
                    self.emit_field(self.label_of(el) or value, self.group_name(el))
                    return
            else:
                value = el.get("value") or ""
        elif tag == "textarea":
            value = (el.text or "").replace("\r\n", "\n").replace("\r", "\n")
        else:
            chosen = [_clean("".join(o.itertext())) for o in el.iter("option")
                      if o.get("selected") is not None]
            value = ", ".join(c for c in chosen if c)
        value = value.strip()
        if value:
            self.emit_field(value, self.field_name(el, tag))

    def emit_field(self, value: str, name: str) -> None:
        """A control's value: inline inside a table cell, else on a line of its own."""
        if self.cells:
            self.inline.field(value, name)
            return
        self.flush()
        self.b.newline()
        self.b.add_block("form_field", value, name=name)
        self.b.add("\n")

    def label_of(self, el) -> str:
        """Text of the ``<label>`` of ``el`` (by ``for`` or by nesting), or ''."""
        ident = el.get("id")
        if ident and self.labels.get(ident):
            return self.labels[ident]
        for label in el.iterancestors("label"):
            name = _label_name(_plain(label))
            if name:
                return name
        return ""

    def group_name(self, el) -> str:
        """Name of a radio group: its fieldset's legend, else the ``name`` attribute."""
        for fieldset in el.iterancestors("fieldset"):
            legend = fieldset.find("legend")
            if legend is not None and _plain(legend):
                return _label_name(_plain(legend))
        return el.get("name") or el.get("id") or "radio"

    def field_name(self, el, tag: str) -> str:
        """Name of a form control: its label, aria-labelledby, aria-label, name or id."""
        ident = el.get("id")
        label = self.label_of(el)
        if label:
            return label
        refs = [self.by_id.get(i) for i in (el.get("aria-labelledby") or "").split()]
        named = " ".join(_plain(r) for r in refs if r is not None).strip()
        return named or el.get("aria-label") or el.get("name") or ident or tag

    def cell(self, el, table: int, row: int, col: int) -> None:
        self.flush()
        if self.cells and self.cells[-1][0]:
            self.b.add("\n")
            self.cells[-1][0] = False
        self.b.newline()
        start = self.b.pos
        self.cells.append([False])
        self.children(el)
        self.flush()
        self.cells.pop()
        first, end = self.b.trimmed(start)
        self.b.block("cell", first, end, table=table, row=row, col=col)
        if not self.b.ends_with_newline() or self.b.pos == start:
            self.b.add("\n")

    def table(self, el) -> None:
        self.flush()
        index = self.tables
        self.tables += 1
        for caption in el.findall("caption"):
            self.walk(caption)
        taken: set[tuple[int, int]] = set()  # grid slots covered by a rowspan from above
        rows = list(_rows(el))
        for r, tr in enumerate(rows):
            c = 0
            for td in tr:
                if not isinstance(td.tag, str) or td.tag.lower() not in ("td", "th"):
                    continue
                while (r, c) in taken:
                    c += 1
                colspan = _span(td.get("colspan"))
                rowspan = min(_span(td.get("rowspan")), len(rows) - r)
                if len(taken) + (rowspan - 1) * colspan <= _MAX_SPAN_SLOTS:
                    taken.update((r + dr, c + dc) for dr in range(1, rowspan)
                                 for dc in range(colspan))
                self.cell(td, index, r, c)
                c += colspan
        if self.cells:
            self.cells[-1][0] = False

    def dl(self, el) -> None:
        self.flush()
        index = self.tables
        self.tables += 1
        row, col = -1, 0
        for item in _dl_items(el):
            if item.tag == "dt":
                row, col = row + 1, 0
            else:
                row, col = max(row, 0), max(col + 1, 1)
            self.cell(item, index, row, col)
            if item.tag == "dt":
                col = 0
        if self.cells:
            self.cells[-1][0] = False


def _span(value: str | None) -> int:
    return min(int(value), 1000) if value and value.strip().isdigit() and int(value) > 0 else 1


def _rows(table) -> Iterator:
    for child in table:
        tag = child.tag.lower() if isinstance(child.tag, str) else ""
        if tag == "tr":
            yield child
        elif tag in ("thead", "tbody", "tfoot"):
            yield from (tr for tr in child if isinstance(tr.tag, str) and tr.tag.lower() == "tr")


def _dl_items(dl) -> Iterator:
    for child in dl:
        tag = child.tag.lower() if isinstance(child.tag, str) else ""
        if tag in ("dt", "dd"):
            yield child
        elif tag == "div":
            yield from _dl_items(child)


def read_html(data: bytes, *, display: str, limits: Limits, fmt: str,
              metadata: dict[str, str]) -> list[Document]:
    """Read an HTML file into one Document."""
    from lxml import etree

    declared = _META_CHARSET.search(data[:4096])
    text, encoding = decode(data, display,
                            declared=declared.group(1).decode("ascii") if declared else None)
    if _ENTITY_DECL.search(text):
        raise IngestError(display, "DTD internal subset or entity declaration refused "
                                   "(entity expansion risk)")
    if _prescan_depth(text) > limits.max_nesting:
        raise IngestError(display, f"HTML nested deeper than {limits.max_nesting} elements")
    # plain lxml elements (not lxml.html's classes): the same libxml2 parser, faster to walk
    parser = etree.HTMLParser(no_network=True, huge_tree=False, remove_comments=True,
                              remove_pis=True)
    text = _XML_DECL.sub("", text, count=1)
    if not text.strip():
        raise IngestError(display, "empty file")
    try:
        root = etree.fromstring(text, parser=parser)
    except (etree.ParserError, etree.XMLSyntaxError, ValueError) as exc:
        raise IngestError(display, f"cannot parse HTML ({describe(exc)})") from exc
    if root is None:
        raise IngestError(display, "no HTML content")
    meta = dict(metadata, encoding=encoding)
    title = root.find(".//title")
    if title is not None and _clean("".join(title.itertext())):
        meta["title"] = _clean("".join(title.itertext()))
    for tag in root.iter("meta"):
        if (tag.get("name") or "").lower() == "author" and tag.get("content"):
            meta["author"] = _clean(tag.get("content"))
    builder = TextBuilder(display, limits.max_text_chars)
    walker = _Walker(builder, root, limits.max_nesting)
    body = root.find("body")
    walker.walk(body if body is not None else root)
    walker.flush()
    return [builder.build(display, fmt, meta)]
