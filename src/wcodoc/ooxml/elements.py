"""Builders of WordprocessingML elements, named after the elements they make.

``p(ppr(w("jc", val="center"), style="Heading1"), r("Text"))`` reads as the XML it makes:
children are given positionally (``None`` is left out, a string in a run is its text), the
``w:`` attributes as keywords, in the order written. Where the schema fixes the order of an
element's children (``w:pPr``, ``w:rPr``, ``w:sectPr`` …), :data:`SEQUENCES` declares it once:
a builder puts the children in that order whatever order they come in, and
:func:`insert_in_order` adds one child to an existing element at its place. :func:`raw` gives
the text of elements for pandoc's raw OpenXML, which wants no namespace declarations.

A module whose code calls its paragraphs ``p`` imports the module instead:
``from wcodoc.ooxml import elements as E`` and ``E.p(...)``.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable

from lxml import etree

from wcodoc.ooxml import NSMAP, R_NS, W_NS, qn, tag_of

XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"
Child = etree._Element | None
Value = str | int

SEQUENCES: dict[str, tuple[str, ...]] = {
    # Content: properties first, the content ("*") after them in the order given.
    "p": ("pPr", "*"),
    "r": ("rPr", "*"),
    "tbl": ("tblPr", "tblGrid", "*"),
    "tr": ("tblPrEx", "trPr", "*"),
    "tc": ("tcPr", "*"),
    "body": ("*", "sectPr"),
    # Properties (ECMA-376 Part 1, §17.3.1.26 CT_PPr, §17.3.2.28 CT_RPr, §17.6.17 CT_SectPr …);
    # a|b: either, in any order.
    "pPr": (
        "pStyle", "keepNext", "keepLines", "pageBreakBefore", "framePr", "widowControl", "numPr",
        "suppressLineNumbers", "pBdr", "shd", "tabs", "suppressAutoHyphens", "kinsoku", "wordWrap",
        "overflowPunct", "topLinePunct", "autoSpaceDE", "autoSpaceDN", "bidi", "adjustRightInd",
        "snapToGrid", "spacing", "ind", "contextualSpacing", "mirrorIndents", "suppressOverlap", "jc",
        "textDirection", "textAlignment", "textboxTightWrap", "outlineLvl", "divId", "cnfStyle",
        "rPr", "sectPr", "pPrChange",
    ),
    "rPr": (
        "ins", "del", "moveFrom", "moveTo", "rStyle", "rFonts", "b", "bCs", "i", "iCs", "caps",
        "smallCaps", "strike", "dstrike", "outline", "shadow", "emboss", "imprint", "noProof",
        "snapToGrid", "vanish", "webHidden", "color", "spacing", "w", "kern", "position", "sz",
        "szCs", "highlight", "u", "effect", "bdr", "shd", "fitText", "vertAlign", "rtl", "cs", "em",
        "lang", "eastAsianLayout", "specVanish", "oMath", "rPrChange",
    ),
    "sectPr": (
        "headerReference|footerReference", "footnotePr", "endnotePr", "type", "pgSz", "pgMar",
        "paperSrc", "pgBorders", "lnNumType", "pgNumType", "cols", "formProt", "vAlign",
        "noEndnote", "titlePg", "textDirection", "bidi", "rtlGutter", "docGrid", "printerSettings",
        "sectPrChange",
    ),
    "tblPr": (
        "tblStyle", "tblpPr", "tblOverlap", "bidiVisual", "tblStyleRowBandSize",
        "tblStyleColBandSize", "tblW", "jc", "tblCellSpacing", "tblInd", "tblBorders", "shd",
        "tblLayout", "tblCellMar", "tblLook", "tblCaption", "tblDescription", "tblPrChange",
    ),
    "tblBorders": ("top", "left|start", "bottom", "right|end", "insideH", "insideV"),
    "pBdr": ("top", "left", "bottom", "right", "between", "bar"),
    "trPr": (
        "cnfStyle|divId|gridBefore|gridAfter|wBefore|wAfter|cantSplit|trHeight|tblHeader"
        "|tblCellSpacing|jc|hidden",
        "ins|del",
        "trPrChange",
    ),
    "tcPr": (
        "cnfStyle", "tcW", "gridSpan", "hMerge", "vMerge", "tcBorders", "shd", "noWrap", "tcMar",
        "textDirection", "tcFitText", "vAlign", "hideMark", "headers", "cellIns", "cellDel",
        "cellMerge", "tcPrChange",
    ),
    "numPr": ("ilvl", "numId", "numberingChange", "ins"),
    "style": (
        "name", "aliases", "basedOn", "next", "link", "autoRedefine", "hidden", "uiPriority",
        "semiHidden", "unhideWhenUsed", "qFormat", "locked", "personal", "personalCompose",
        "personalReply", "rsid", "pPr", "rPr", "tblPr", "trPr", "tcPr", "tblStylePr",
    ),
    "abstractNum": ("nsid", "multiLevelType", "tmpl", "name", "styleLink", "numStyleLink", "lvl"),
    "lvl": (
        "start", "numFmt", "lvlRestart", "pStyle", "isLgl", "suff", "lvlText", "lvlPicBulletId",
        "legacy", "lvlJc", "pPr", "rPr",
    ),
    "num": ("abstractNumId", "lvlOverride"),
}  # fmt: skip
"""The order of an element's children, by element (local names in the ``w:`` namespace)."""


@functools.cache
def _ranks(parent: str) -> dict[str, int] | None:
    """Clark-notation child tag → its place among the children of ``parent``."""
    sequence = SEQUENCES.get(etree.QName(parent).localname) if parent.startswith(f"{{{W_NS}}}") else None
    if sequence is None:
        return None
    return {
        "*" if name == "*" else qn(f"w:{name}"): k
        for k, names in enumerate(sequence)
        for name in names.split("|")
    }


def _rank(ranks: dict[str, int], child: etree._Element) -> int | None:
    """Where ``child`` goes: its own place, else the content's (``*``), else none (unknown)."""
    if not isinstance(child.tag, str):  # a comment or processing instruction: where it is
        return None
    return ranks.get(tag_of(child), ranks.get("*"))


def insert_in_order(parent: etree._Element, child: etree._Element) -> None:
    """Put ``child`` into ``parent`` where the schema's order of ``parent``'s children puts it:
    before the first child that must follow it, else last. Children the order does not know
    (an extension) neither hold it back nor push it forward."""
    ranks = _ranks(tag_of(parent))
    rank = _rank(ranks, child) if ranks else None
    if ranks is not None and rank is not None:
        for other in parent:
            if (place := _rank(ranks, other)) is not None and place > rank:
                other.addprevious(child)
                return
    parent.append(child)


def w(name: str, *children: Child, **attrs: Value) -> etree._Element:
    """The element ``w:name`` with ``children`` (in schema order where :data:`SEQUENCES` has
    one; ``None`` left out) and ``w:`` attributes ``attrs``."""
    tag = qn(f"w:{name}")
    el = etree.Element(tag, {qn(f"w:{key}"): str(value) for key, value in attrs.items()}, nsmap={"w": W_NS})
    given = [c for c in children if c is not None]
    if (ranks := _ranks(tag)) is not None:
        unknown = len(ranks)
        given.sort(key=lambda c: rank if (rank := _rank(ranks, c)) is not None else unknown)
    el.extend(given)
    return el


def t(text: str, *, preserve: bool = True, name: str = "t") -> etree._Element:
    """Text of a run (``w:t``, or ``name``: ``w:instrText`` …); ``preserve`` keeps its spaces at
    the ends (``xml:space``). Characters XML cannot hold are shown (:func:`xml_text`)."""
    el = w(name)
    if preserve:
        el.set(XML_SPACE, "preserve")
    el.text = xml_text(text)
    return el


_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
"""Characters XML 1.0 cannot hold: control characters but tab and line ends, lone surrogates."""


def xml_text(text: str) -> str:
    """``text`` with each character XML cannot hold made visible: a control character as its
    symbol (U+0001 as ``␁``), anything else as U+FFFD. A Member's file name can hold them."""
    return _NOT_XML.sub(lambda m: chr(0x2400 + ord(m[0])) if m[0] < " " else "\ufffd", text)


def r(*content: Child | str) -> etree._Element:
    """A run: its ``w:rPr`` (if given) and content; a string is a ``w:t`` keeping its spaces."""
    return w("r", *(t(c) if isinstance(c, str) else c for c in content))


def rpr(*properties: Child) -> etree._Element:
    """Run properties, in schema order."""
    return w("rPr", *properties)


def ppr(*properties: Child, style: str | None = None) -> etree._Element:
    """Paragraph properties, in schema order; ``style`` is the paragraph style's id."""
    return w("pPr", w("pStyle", val=style) if style is not None else None, *properties)


def p(*content: Child) -> etree._Element:
    """A paragraph: its ``w:pPr`` (if given), then its runs."""
    return w("p", *content)


def tbl(*content: Child) -> etree._Element:
    """A table: ``w:tblPr``, ``w:tblGrid``, then its rows."""
    return w("tbl", *content)


def tr(*content: Child) -> etree._Element:
    """A table row: ``w:trPr`` (if given), then its cells."""
    return w("tr", *content)


def tc(*content: Child) -> etree._Element:
    """A table cell: ``w:tcPr`` (if given), then its paragraphs."""
    return w("tc", *content)


def fld(instruction: str, cached: str) -> list[etree._Element]:
    """A field as Word writes one: the runs begin, instruction, separate, ``cached`` (what is
    shown until the field is updated) and end."""
    return [
        r(w("fldChar", fldCharType="begin")),
        r(t(f" {instruction} ", name="instrText")),
        r(w("fldChar", fldCharType="separate")),
        r(cached),
        r(w("fldChar", fldCharType="end")),
    ]


def reference(name: str, kind: str, rid: str) -> etree._Element:
    """A ``w:headerReference`` or ``w:footerReference`` (``name``) of type ``kind``
    (``default``, ``first`` …) to the part of relationship ``rid``."""
    return etree.Element(qn(f"w:{name}"), {qn("w:type"): kind, f"{{{R_NS}}}id": rid}, nsmap=NSMAP)


def part(name: str, *children: Child) -> etree._Element:
    """The root of a part (``w:hdr``, ``w:ftr``, ``w:document`` …), declaring ``w:`` and ``r:``."""
    root = etree.Element(qn(f"w:{name}"), nsmap=NSMAP)
    root.extend(c for c in children if c is not None)
    return root


def raw(elements: Iterable[etree._Element]) -> str:
    """The XML text of ``elements`` as pandoc's raw OpenXML wants it: ``w:`` prefixes, no
    namespace declaration (the document pandoc writes declares them)."""
    declaration = f' xmlns:w="{W_NS}"'
    return "".join(etree.tostring(el, encoding="unicode").replace(declaration, "", 1) for el in elements)
