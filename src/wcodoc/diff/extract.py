"""Extract a draft's structure: cover fields, headings, numbered paragraphs, tables, annex.

The XML is read directly (python-docx skips runs inside ``w:ins``): text is the *current*
view of the document, with insertions kept and deletions dropped, so a draft that already
carries tracked changes compares as Word shows it with changes accepted.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from lxml import etree

from wcodoc.diff.numbering import MAX_STYLE_DEPTH, Numbering, Style, read_styles
from wcodoc.errors import WcodocError
from wcodoc.ooxml import qn, tag_of
from wcodoc.ooxml.numfmt import BULLET_FORMATS, format_value
from wcodoc.ooxml.safe import DOCUMENT_PART, open_docx
from wcodoc.styles import (
    ANNEX_HEADING,
    ANNEX_TEXT,
    ANNEX_TITLE,
    COVER_AGENDA_ITEM,
    COVER_COMMITTEE,
    COVER_DATES,
    COVER_ISSUED,
    COVER_LETTERHEAD,
    COVER_MEETING,
    COVER_SEPARATOR,
    COVER_SESSIONS,
    COVER_SUBTITLE,
    COVER_SYMBOL,
    COVER_TITLE,
    SUMMARY_BULLET,
    SUMMARY_HEADING,
    SUMMARY_LABEL,
    SUMMARY_TEXT,
    USE_CASE_HEADING,
    USE_CASE_META,
    ParagraphStyle,
)

W_P, W_TBL, W_TR, W_TC = qn("w:p"), qn("w:tbl"), qn("w:tr"), qn("w:tc")
W_R, W_T, W_TAB, W_BR, W_CR = qn("w:r"), qn("w:t"), qn("w:tab"), qn("w:br"), qn("w:cr")
W_NBH = qn("w:noBreakHyphen")
W_PPR, W_RPR, W_BODY = qn("w:pPr"), qn("w:rPr"), qn("w:body")
W_INS, W_DEL = qn("w:ins"), qn("w:del")
W_MOVE_FROM, W_MOVE_TO = qn("w:moveFrom"), qn("w:moveTo")
W_SDT, W_SDT_CONTENT, W_CUSTOM_XML = qn("w:sdt"), qn("w:sdtContent"), qn("w:customXml")
W_TXBX = qn("w:txbxContent")
MC_FALLBACK = "{http://schemas.openxmlformats.org/markup-compatibility/2006}Fallback"

TEXT_NODES = {W_T: None, W_TAB: "\t", W_BR: "\n", W_CR: "\n", W_NBH: "\u2011"}
"""Elements that show characters, and the character each stands for (``None``: its text)."""
HIDDEN_ANCESTORS = frozenset({W_DEL, W_MOVE_FROM, W_PPR, W_RPR, W_TXBX, MC_FALLBACK})
"""Text below these is not part of the paragraph's current text."""


def _key(style: ParagraphStyle) -> str:
    """How :meth:`BlockReader.style_name` spells a style: its name in lower case."""
    return style.name.lower()


COVER_FIELDS = {
    _key(COVER_SYMBOL): "reference",
    _key(COVER_COMMITTEE): "reference",
    _key(COVER_ISSUED): "issued",
    _key(COVER_TITLE): "title",
    _key(COVER_SUBTITLE): "subtitle",
    _key(COVER_AGENDA_ITEM): "agenda_item",
    _key(COVER_MEETING): "meeting",
    _key(COVER_SESSIONS): "sessions",
    _key(COVER_DATES): "dates",
    _key(COVER_LETTERHEAD): "letterhead",
    _key(COVER_SEPARATOR): "separator",
    _key(SUMMARY_HEADING): "summary",
    _key(SUMMARY_LABEL): "summary",
}
"""Cover paragraph style → the ``document.yaml`` key the text comes from."""
SUMMARY_STYLES = frozenset({_key(SUMMARY_TEXT), _key(SUMMARY_BULLET)})
"""Summary paragraphs: ``summary.purpose`` or ``summary.action`` by the label before them."""
ANNEX_STYLES = frozenset(
    _key(s) for s in (ANNEX_HEADING, ANNEX_TITLE, USE_CASE_HEADING, USE_CASE_META, ANNEX_TEXT)
)
TYPED_NUMBER = re.compile(r"^\s*(?:(?P<par>\d{1,4})|(?P<sub>[a-z]{1,2})|(?P<roman>[IVXLC]{1,7}))[.)]\s+")
USE_CASE_NUMBER = re.compile(r"(\d+)")


@dataclass
class Block:
    """One unit of comparison: a paragraph, a table or a cover field, with its number."""

    block: str
    """cover, heading, paragraph, sub-item, bullet, table, annex or other."""
    number: str | None
    """The number Word shows (``7``, ``9.e``, ``II``, use case ``3``), or ``None``."""
    text: str
    """Whitespace-normalized current text, typed paragraph numbers stripped."""
    element: etree._Element = field(repr=False, compare=False)
    field: str | None = None
    """For cover blocks, the ``document.yaml`` key (``issued``, ``title``, …)."""
    after: str | None = None
    """Label of the nearest numbered block before this one (``paragraph 9``)."""
    typed_prefix: int = 0
    """Characters of a typed number (``7. ``) at the start of the raw text."""
    compare: str = ""
    """The text compared: like ``text`` but cross-references name their target, not its number."""

    def __post_init__(self) -> None:
        self.compare = self.compare or self.text

    @property
    def key(self) -> tuple[str, str | None, str]:
        """What must be equal for two blocks to be the same content."""
        return (self.block, self.field, self.compare)

    @property
    def label(self) -> str:
        """How a person names this block: ``paragraph 7``, ``heading II``, ``cover (issued)``."""
        if self.block == "cover":
            return f"cover ({self.field})" if self.field else "cover"
        if self.block == "annex" and self.number:
            return f"use case {self.number}"
        if self.number:
            return f"{self.block} {self.number}"
        return f"{self.block} after {self.after}" if self.after else f"{self.block} at the start"


@dataclass
class Draft:
    """A DOCX read for comparison: its blocks and what is needed to re-read or redline it."""

    path: Path
    symbol: str
    blocks: list[Block]
    root: etree._Element = field(repr=False)
    reader: BlockReader = field(repr=False)


def _is_hidden(node: etree._Element, stop: etree._Element) -> bool:
    parent = node.getparent()
    while parent is not None and parent is not stop:
        if parent.tag in HIDDEN_ANCESTORS:
            return True
        parent = parent.getparent()
    return False


W_FLD_CHAR, W_INSTR, W_FLD_SIMPLE = qn("w:fldChar"), qn("w:instrText"), qn("w:fldSimple")
REF_FIELD = re.compile(r"^\s*REF\s+(\S+)", re.IGNORECASE)


def _walk(p: etree._Element):
    """Visible character nodes of ``p`` with the bookmark of the REF field showing them, if any."""
    fields: list[list] = []  # [instruction, showing result?] of each open complex field
    for node in p.iter(*TEXT_NODES, W_FLD_CHAR, W_INSTR):
        if _is_hidden(node, p):
            continue
        if node.tag == W_FLD_CHAR:
            kind = node.get(qn("w:fldCharType"))
            if kind == "begin":
                fields.append(["", False])
            elif kind == "separate" and fields:
                fields[-1][1] = True
            elif kind == "end" and fields:
                fields.pop()
            continue
        if node.tag == W_INSTR:
            if fields:
                fields[-1][0] += node.text or ""
            continue
        fixed = TEXT_NODES[tag_of(node)]
        text = node.text or "" if fixed is None else fixed
        if text:
            yield node, text, _ref_target(node, p, fields)


def _ref_target(node: etree._Element, p: etree._Element, fields: list[list]) -> str | None:
    for instruction, showing in reversed(fields):
        if showing and (match := REF_FIELD.match(instruction)):
            return match.group(1)
    simple = node.getparent()
    while simple is not None and simple is not p:
        if simple.tag == W_FLD_SIMPLE and (match := REF_FIELD.match(simple.get(qn("w:instr"), ""))):
            return match.group(1)
        simple = simple.getparent()
    return None


def text_nodes(p: etree._Element) -> list[tuple[etree._Element, str]]:
    """The visible character-bearing elements of paragraph ``p`` in order, with their text."""
    return [(node, text) for node, text, _ in _walk(p)]


def raw_text(p: etree._Element) -> str:
    """The current (changes accepted) text of paragraph ``p``, unnormalized."""
    return "".join(text for _, text in text_nodes(p))


def comparable_text(p: etree._Element) -> str:
    """The text of ``p`` with each cross-reference shown as its target, not its number.

    A reference to a paragraph that was renumbered then reads the same in both drafts, so
    renumbering never shows up as an edit of the paragraphs that refer to it.
    """
    out: list[str] = []
    previous = None
    for _, text, target in _walk(p):
        if target is None:
            out.append(text)
        elif target != previous:
            out.append(f"\u27e8{target}\u27e9")
        previous = target
    return "".join(out)


def normalize(text: str) -> str:
    """Collapse whitespace, so that spacing differences are never reported as edits."""
    return " ".join(text.split())


def mark_deleted(p: etree._Element) -> bool:
    """Whether the paragraph mark of ``p`` is a tracked deletion."""
    return p.find(f"{W_PPR}/{W_RPR}/{W_DEL}") is not None


def body_elements(container: etree._Element) -> list[etree._Element]:
    """Paragraphs and tables of a body or cell, looking through content controls."""
    out = []
    for child in container:
        if child.tag in (W_P, W_TBL):
            out.append(child)
        elif child.tag in (W_SDT, W_CUSTOM_XML, W_INS, W_MOVE_TO):
            inner = child.find(W_SDT_CONTENT) if child.tag == W_SDT else child
            if inner is not None:
                out.extend(body_elements(inner))
    return out


def table_paragraphs(tbl: etree._Element) -> list[etree._Element]:
    """Every paragraph inside a table, nested tables included, in reading order."""
    return [p for p in tbl.iter(W_P) if not _is_hidden(p, tbl)]


def table_text(tbl: etree._Element) -> str:
    """A table as one comparable string: cells joined by `` | ``, rows by `` / ``."""
    rows = []
    for tr in tbl.iter(W_TR):
        if tr.find(f"{qn('w:trPr')}/{W_DEL}") is not None:
            continue
        cells = [
            normalize(" ".join(raw_text(p) for p in tc.iter(W_P) if not mark_deleted(p)))
            for tc in tr.iterchildren(W_TC)
        ]
        rows.append(" | ".join(cells))
    return " / ".join(rows)


class BlockReader:
    """Turns a document body into blocks, using the document's styles and numbering."""

    def __init__(self, styles: dict[str, Style], default_style: str | None, numbering: Numbering):
        self.styles = styles
        self.default_style = default_style
        self.numbering = numbering

    def style_name(self, p: etree._Element) -> str:
        """Lower-case name of the paragraph style of ``p``."""
        sid = self._style_id(p)
        style = self.styles.get(sid) if sid else None
        return (style.name if style else sid or "").lower()

    def _style_id(self, p: etree._Element) -> str | None:
        ppr = p.find(W_PPR)
        pstyle = ppr.find(qn("w:pStyle")) if ppr is not None else None
        return pstyle.get(qn("w:val")) if pstyle is not None else self.default_style

    def num_pr(self, p: etree._Element) -> tuple[str, int] | None:
        """(numId, ilvl) from the paragraph, else from its style chain; ``None`` if unnumbered."""
        num_id = ilvl = None
        direct = p.find(f"{W_PPR}/{qn('w:numPr')}")
        if direct is not None:
            id_el, lvl_el = direct.find(qn("w:numId")), direct.find(qn("w:ilvl"))
            num_id = id_el.get(qn("w:val")) if id_el is not None else None
            ilvl = int(lvl_el.get(qn("w:val"), "0")) if lvl_el is not None else None
        sid = self._style_id(p)
        for _ in range(MAX_STYLE_DEPTH):
            if (num_id is not None and ilvl is not None) or sid is None:
                break
            style = self.styles.get(sid)
            if style is None:
                break
            num_id = num_id if num_id is not None else style.num_id
            ilvl = ilvl if ilvl is not None else style.ilvl
            sid = style.based_on
        if num_id in (None, "0"):
            return None
        return num_id, ilvl or 0

    def read(self, body: etree._Element) -> list[Block]:
        """All blocks of ``body`` in document order (numbers counted from the start)."""
        self.numbering.reset()
        state = _State()
        blocks: list[Block] = []
        for el in body_elements(body):
            if el.tag == W_TBL:
                blocks.extend(self._table(el, state))
            else:
                block = self._paragraph(el, state)
                if block is not None:
                    blocks.append(block)
        return blocks

    def _table(self, tbl: etree._Element, state: _State) -> list[Block]:
        paragraphs = table_paragraphs(tbl)
        # A cover laid out in a table is still a cover: its fields are compared one by one.
        if any(self.style_name(p) in COVER_FIELDS or self.style_name(p) in SUMMARY_STYLES
               for p in paragraphs):  # fmt: skip
            blocks = [self._paragraph(p, state) for p in paragraphs]
            return [b for b in blocks if b is not None]
        text = table_text(tbl)
        if not text.strip(" |/"):
            return []
        return [Block("table", None, text, tbl, after=state.last)]

    def _paragraph(self, p: etree._Element, state: _State) -> Block | None:
        raw = raw_text(p)
        text = normalize(raw)
        style = self.style_name(p)
        numbered = self._number(p, style)
        if not text or (mark_deleted(p) and not text):
            return None
        if style == _key(SUMMARY_LABEL):
            state.summary = "summary.purpose" if state.summary is None else "summary.action"
        if style in COVER_FIELDS:
            return Block("cover", None, text, p, field=COVER_FIELDS[style], after=state.last)
        if style in SUMMARY_STYLES:
            return Block("cover", None, text, p, field=state.summary or "summary", after=state.last)
        if style == _key(ANNEX_HEADING):
            state.in_annex = True
        if style == _key(USE_CASE_HEADING):
            match = USE_CASE_NUMBER.search(text)
            block = Block("annex", match.group(1) if match else None, text, p, after=state.last)
            state.last = block.label
            return block
        kind, number = numbered if numbered else self._unnumbered(style, state)
        prefix = 0
        if number is None and kind in ("paragraph", "sub-item", "heading", "other"):
            kind, number, prefix, text = self._typed(kind, text, raw, state)
        compare = normalize(comparable_text(p)[prefix:]) if prefix else normalize(comparable_text(p))
        block = Block(kind, number, text, p, after=state.last, typed_prefix=prefix, compare=compare)
        if kind == "paragraph" and number is not None:
            state.paragraph = number
        if number is not None:
            state.last = block.label
        return block

    def _number(self, p: etree._Element, style: str) -> tuple[str, str | None] | None:
        num_pr = self.num_pr(p)
        if num_pr is None:
            return None
        values = self.numbering.count(*num_pr)
        if values is None:
            return None
        fmt = values[-1][1]
        if fmt in BULLET_FORMATS:
            return ("bullet", None)
        number = ".".join(format_value(v, f) for v, f in values)
        if style.startswith("heading"):
            return ("heading", number)
        return ("paragraph" if len(values) == 1 else "sub-item", number)

    @staticmethod
    def _unnumbered(style: str, state: _State) -> tuple[str, str | None]:
        if style.startswith("heading") or style == "title":
            return ("annex" if state.in_annex else "heading", None)
        if "bullet" in style or "list" in style:
            return ("bullet", None)
        if state.in_annex or style in ANNEX_STYLES:
            return ("annex", None)
        return ("other", None)

    @staticmethod
    def _typed(kind: str, text: str, raw: str, state: _State) -> tuple[str, str | None, int, str]:
        """Strip a number typed by hand (``7. Text``) and use it as the block's number."""
        match = TYPED_NUMBER.match(raw)
        if match is None or state.in_annex:
            return kind, None, 0, text
        if match["par"]:
            kind, number = ("paragraph", match["par"])
        elif match["sub"]:
            kind, number = ("sub-item", f"{state.paragraph}.{match['sub']}")
        else:
            kind, number = ("heading", match["roman"])
        return kind, number, match.end(), normalize(raw[match.end() :])


@dataclass
class _State:
    last: str | None = None
    summary: str | None = None
    in_annex: bool = False
    paragraph: str = "0"


def _optional_xml(package, name: str) -> etree._Element | None:
    return package.xml(name) if package.has(name) else None


def read_draft(path: Path | str, *, label: str | None = None) -> Draft:
    """Open the DOCX at ``path`` safely and extract its blocks."""
    path = Path(path)
    with open_docx(path) as package:
        root = package.xml(DOCUMENT_PART)
        styles, default = read_styles(_optional_xml(package, "word/styles.xml"))
        numbering = Numbering.read(_optional_xml(package, "word/numbering.xml"))
    reader = BlockReader(styles, default, numbering)
    body = root.find(W_BODY)
    if body is None:
        raise WcodocError("not a Word document: word/document.xml has no body", path)
    blocks = reader.read(body)
    symbol = next((b.text for b in blocks if b.block == "cover" and b.field == "reference"
                   and not _is_committee(reader, b)), None)  # fmt: skip
    return Draft(path, symbol or label or path.stem, blocks, root, reader)


def _is_committee(reader: BlockReader, block: Block) -> bool:
    return reader.style_name(block.element) == _key(COVER_COMMITTEE)
