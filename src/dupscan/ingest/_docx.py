"""DOCX: body paragraphs and tables in document order, via python-docx.

The body XML is walked directly (``w:p``, ``w:tbl``, content controls,
``w:customXml``) so tables keep their place among paragraphs. A paragraph is
one line; its block is a "heading" (level from a ``Heading N`` style or outline
level, 0 for ``Title``) or a "paragraph" (``bold`` when every non-space run is
bold). A table cell is one "cell" block (``table``/``row``/``col``, grid column
of its first grid cell); a cell merged across rows or columns appears once.
Cells of a nested table are blocks of their own inside the outer cell's span.
Text boxes follow the paragraph that anchors them. Content controls still
showing their placeholder prompt ("Click or tap here to enter text.") hold no
entered text and are left out. List numbers are rendered (see ``_numbering``).
Headers, footers and core properties go to ``metadata``, never into the text.

Before python-docx sees the file the zip directory is checked (zip bomb) and
every XML part is refused if it carries a DTD or entity declaration.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterator

from lxml import etree

from dupscan.config import Limits
from dupscan.errors import IngestError
from dupscan.ingest._builder import TextBuilder
from dupscan.ingest._limits import check_xml, check_zip, describe
from dupscan.ingest._numbering import Numbering
from dupscan.ingest._wordml import MC, VAL, Style, Styles, on, outline_level, q
from dupscan.model import Document

__all__ = ["read_docx"]

_P, _TBL, _TR, _TC, _R, _T = q("p"), q("tbl"), q("tr"), q("tc"), q("r"), q("t")
_TXBX, _SDT = q("txbxContent"), q("sdt")
_SAFE_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False,
                               load_dtd=False)
# never text: properties, deletions, moved-away text, field codes, fallback duplicates
_SKIP = {q(t) for t in ("pPr", "rPr", "tblPr", "tblGrid", "trPr", "tcPr", "sectPr", "del",
                        "moveFrom", "instrText", "delText", "delInstrText", "sdtPr",
                        "sdtEndPr", "commentReference", "footnoteReference",
                        "endnoteReference")} | {f"{{{MC}}}Fallback"}
_CHARS = {q("tab"): "\t", q("ptab"): "\t", q("br"): "\n", q("cr"): "\n",
          q("noBreakHyphen"): "-"}
# Wingdings/Symbol code points Word uses for ticked and empty boxes
_SYM_CHECKED = {"F0FE", "F0FD", "F078", "F0FB", "00FE", "00FD"}
_SYM_EMPTY = {"F0A8", "F06F", "F071", "F072", "00A8", "F0A3"}


class _Walker:
    """Writes a document body into a :class:`TextBuilder`."""

    def __init__(self, builder: TextBuilder, styles: Styles, max_nesting: int,
                 numbering: Numbering | None = None) -> None:
        self.b = builder
        self.styles = styles
        self.numbering = numbering
        self.max_nesting = max_nesting
        self.tables = 0
        self.depth = 0

    # -- paragraphs ---------------------------------------------------------
    def _inline(self, el: etree._Element, out: list[str], boxes: list[etree._Element],
                runs: list[bool], bold: bool | None) -> None:
        for child in el:
            tag = child.tag
            if not isinstance(tag, str) or tag in _SKIP:
                continue
            if tag == _T:
                if child.text:
                    out.append(child.text)
                    if child.text.strip():
                        runs.append(bool(bold))
            elif tag in _CHARS:
                out.append(_CHARS[tag])
            elif tag == _TXBX:
                boxes.append(child)
            elif tag == _SDT and _placeholder(child):
                continue
            elif tag == _R:
                rpr = child.find(q("rPr"))
                run_bold = bold
                if rpr is not None:
                    if on(rpr.find(q("vanish"))) or on(rpr.find(q("webHidden"))):
                        continue
                    rstyle = rpr.find(q("rStyle"))
                    if rstyle is not None:
                        style_bold = self.styles.get(rstyle.get(VAL, "")).bold
                        run_bold = style_bold if style_bold is not None else run_bold
                    explicit = on(rpr.find(q("b")))
                    run_bold = explicit if explicit is not None else run_bold
                self._inline(child, out, boxes, runs, run_bold)
            elif tag == q("sym"):
                code = (child.get(q("char")) or "").upper()
                out.append("☒" if code in _SYM_CHECKED else "☐" if code in _SYM_EMPTY else "")
            elif tag == q("fldChar"):
                out.append(_legacy_field(child))
            else:
                self._inline(child, out, boxes, runs, bold)

    def paragraph_text(self, p: etree._Element) -> tuple[str, Style, bool, list[etree._Element]]:
        """Text, style, all-bold flag and text boxes of one ``w:p``."""
        ppr = p.find(q("pPr"))
        sid = self.styles.default_para
        outline = None
        if ppr is not None:
            pstyle = ppr.find(q("pStyle"))
            if pstyle is not None:
                sid = pstyle.get(VAL, sid)
            outline = ppr.find(q("outlineLvl"))
        style = self.styles.get(sid)
        if outline is not None:
            style = Style(style.name, style.bold, outline_level(outline))
        out: list[str] = [self.numbering.label(ppr, sid)] if self.numbering else []
        boxes: list[etree._Element] = []
        runs: list[bool] = []
        self._inline(p, out, boxes, runs, style.bold)
        return "".join(out), style, bool(runs) and all(runs), boxes

    # -- block level --------------------------------------------------------
    def blocks(self, container: etree._Element, cell: list[bool] | None = None) -> None:
        """Write the block-level children of ``container`` (body, cell, text box)."""
        self.depth += 1
        if self.depth > self.max_nesting:
            raise IngestError(self.b.path, f"tables/content controls nested deeper than "
                                           f"{self.max_nesting} levels")
        for child in container:
            tag = child.tag
            if not isinstance(tag, str) or tag in _SKIP:
                continue
            if tag == _P:
                self._paragraph(child, cell)
            elif tag == _TBL:
                if cell is not None and cell[0]:
                    self.b.add("\n")
                self.b.newline()
                self._table(child)
                if cell is not None:
                    cell[0] = False
            elif tag == _SDT and _placeholder(child):
                continue
            else:  # content controls, customXml, inserted runs: look inside
                self.blocks(child, cell)
        self.depth -= 1

    def _paragraph(self, p: etree._Element, cell: list[bool] | None) -> None:
        text, style, bold, boxes = self.paragraph_text(p)
        if cell is not None:
            if cell[0]:
                self.b.add("\n")
            self.b.add(text)
            cell[0] = True
        else:
            start, end = self.b.add(text)
            if text.strip():
                if style.level is not None:
                    self.b.block("heading", start, end, level=style.level, style=style.name,
                                 bold=bold)
                else:
                    self.b.block("paragraph", start, end, style=style.name, bold=bold)
            self.b.add("\n")
        for box in boxes:
            self.blocks(box, cell)

    def _table(self, tbl: etree._Element) -> None:
        index = self.tables
        self.tables += 1
        for r, tr in enumerate(_children(tbl, _TR)):
            col = 0
            before = tr.find(f"{q('trPr')}/{q('gridBefore')}")
            if before is not None and (before.get(VAL) or "").isdigit():
                col = int(before.get(VAL))
            for tc in _children(tr, _TC):
                tcpr = tc.find(q("tcPr"))
                span, merged = 1, False
                if tcpr is not None:
                    grid = tcpr.find(q("gridSpan"))
                    if grid is not None and (grid.get(VAL) or "").isdigit():
                        span = max(1, int(grid.get(VAL)))
                    vmerge = tcpr.find(q("vMerge"))
                    hmerge = tcpr.find(q("hMerge"))
                    merged = any(m is not None and m.get(VAL, "continue") == "continue"
                                 for m in (vmerge, hmerge))
                if not merged:
                    self._cell(tc, index, r, col)
                col += span

    def _cell(self, tc: etree._Element, table: int, row: int, col: int) -> None:
        start = self.b.pos
        state = [False]  # "a paragraph was written, the next one needs a separator"
        self.blocks(tc, state)
        first, end = self.b.trimmed(start)
        self.b.block("cell", first, end, table=table, row=row, col=col)
        if not self.b.ends_with_newline() or self.b.pos == start:
            self.b.add("\n")


def _legacy_field(fld_char: etree._Element) -> str:
    """What a legacy form checkbox or drop-down shows (its text is not in any w:t)."""
    box = fld_char.find(f"{q('ffData')}/{q('checkBox')}")
    if box is not None:
        checked = on(box.find(q("checked")))
        if checked is None:
            checked = on(box.find(q("default")))
        return "☒" if checked else "☐"
    choices = fld_char.find(f"{q('ffData')}/{q('ddList')}")
    if choices is not None:
        entries = [e.get(VAL, "") for e in choices.findall(q("listEntry"))]
        picked = choices.find(q("result"))
        if picked is None:
            picked = choices.find(q("default"))
        index = picked.get(VAL, "0") if picked is not None else "0"
        if index.isdigit() and int(index) < len(entries):
            return entries[int(index)]
    return ""


def _placeholder(sdt: etree._Element) -> bool:
    """Whether a content control shows its placeholder prompt, not entered text."""
    return sdt.find(f"{q('sdtPr')}/{q('showingPlcHdr')}") is not None


def _children(parent: etree._Element, tag: str) -> Iterator[etree._Element]:
    """Children with ``tag``, looking through content controls and customXml."""
    for child in parent:
        if child.tag == tag:
            yield child
        elif child.tag in (q("sdt"), q("sdtContent"), q("customXml")):
            yield from _children(child, tag)


_MAIN_TYPE = b"application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"
# templates and macro-enabled files have the same body; python-docx only opens the plain type
_OTHER_MAIN_TYPES = (
    b"application/vnd.openxmlformats-officedocument.wordprocessingml.template.main+xml",
    b"application/vnd.ms-word.document.macroEnabled.main+xml",
    b"application/vnd.ms-word.template.macroEnabledTemplate.main+xml",
)


def _preflight(data: bytes, display: str, limits: Limits) -> bytes:
    """Check the zip and its XML parts; return the bytes python-docx should open.

    A template (``.dotx``) or macro-enabled file (``.docm``) is returned with its
    main content type rewritten to the plain document type (macros are never run).
    """
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        check_zip(archive, display, limits)
        types = b""
        for info in archive.infolist():
            name = info.filename.lower()
            if name.endswith((".xml", ".rels", ".vml")):
                part = archive.read(info)
                check_xml(part, display, info.filename)
                if info.filename == "[Content_Types].xml":
                    types = part
        if not any(other in types for other in _OTHER_MAIN_TYPES):
            return data
        for other in _OTHER_MAIN_TYPES:
            types = types.replace(other, _MAIN_TYPE)
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as copy:
            for info in archive.infolist():
                body = types if info.filename == "[Content_Types].xml" else archive.read(info)
                copy.writestr(info, body)
        return buffer.getvalue()


def _related_root(document, kind: str) -> etree._Element | None:
    """Root element of the document part related as ``kind`` (e.g. "numbering")."""
    for rel in document.part.rels.values():
        if not rel.is_external and rel.reltype.rsplit("/", 1)[-1] == kind:
            element = getattr(rel.target_part, "element", None)
            if element is None and getattr(rel.target_part, "blob", None):
                element = etree.fromstring(rel.target_part.blob, _SAFE_PARSER)
            return element
    return None


def _part_text(walker: _Walker, element: etree._Element) -> str:
    lines = [walker.paragraph_text(p)[0] for p in element.iter(_P)]
    return "\n".join(line for line in lines if line.strip())


def _metadata(document, walker: _Walker) -> dict[str, str]:
    meta: dict[str, str] = {}
    props = document.core_properties
    for key, value in (("title", props.title), ("author", props.author),
                       ("subject", props.subject), ("last_modified_by", props.last_modified_by),
                       ("created", props.created), ("modified", props.modified)):
        if value:
            meta[key] = value.isoformat() if hasattr(value, "isoformat") else str(value).strip()
    found: dict[str, list[str]] = {"header": [], "footer": []}
    rels = sorted(document.part.rels.values(), key=lambda rel: rel.rId)
    parts = [(rel.reltype.rsplit("/", 1)[-1], rel.target_part) for rel in rels
             if not rel.is_external and rel.reltype.rsplit("/", 1)[-1] in found]
    for kind, part in sorted(parts, key=lambda item: str(item[1].partname)):
        text = _part_text(walker, part.element)
        if text and text not in found[kind]:
            found[kind].append(text)
    for kind, texts in found.items():
        if texts:
            meta[kind] = "\n".join(texts)
    return meta


def read_docx(data: bytes, *, display: str, limits: Limits, fmt: str,
              metadata: dict[str, str]) -> list[Document]:
    """Read a DOCX file into one Document."""
    try:
        data = _preflight(data, display, limits)
    except (zipfile.BadZipFile, EOFError) as exc:
        raise IngestError(display, f"corrupt or truncated DOCX ({describe(exc)})") from exc
    import docx
    from docx.opc.exceptions import PackageNotFoundError

    try:
        document = docx.Document(io.BytesIO(data))
    except (PackageNotFoundError, KeyError, zipfile.BadZipFile, EOFError) as exc:
        raise IngestError(display, f"corrupt or truncated DOCX ({describe(exc)})") from exc
    except ValueError as exc:
        raise IngestError(display, f"not a Word document ({describe(exc)})") from exc
    except etree.XMLSyntaxError as exc:
        raise IngestError(display, f"corrupt DOCX XML ({describe(exc)})") from exc
    builder = TextBuilder(display, limits.max_text_chars)
    styles = Styles(document)
    walker = _Walker(builder, styles, limits.max_nesting,
                     Numbering(_related_root(document, "numbering"), styles.raw))
    if document.element.tag != q("document"):
        raise IngestError(display, "not a Word document (the main part is not a w:document)")
    body = document.element.find(q("body"))
    if body is not None:
        walker.blocks(body)
    meta = {**metadata, **_metadata(document, walker)}
    return [builder.build(display, fmt, meta)]
