"""What a paragraph holds besides its text: pictures, text boxes, charts, SmartArt, other
drawings, embedded objects and equations.

Elements (ECMA-376 Part 1):

- ``w:r/w:drawing`` (§17.3.3.9): ``wp:inline`` or ``wp:anchor`` holding ``wp:extent cx cy``
  (EMU), ``wp:docPr descr`` (the alternative text) and ``a:graphic/a:graphicData``, whose
  ``uri`` says what it shows: a picture (``pic:pic``, its image named by ``a:blip r:embed``,
  or ``r:link`` for a linked one), a chart (``c:chart r:id`` → a chart part), SmartArt
  (``dgm:relIds r:dm`` → its data part), a shape (``wps:wsp``), its text in
  ``wps:txbx/w:txbxContent`` (a text box), or a group or canvas of them.
- ``w:r/mc:AlternateContent``: Word writes a DrawingML text box in ``mc:Choice`` and a VML copy
  of it in ``mc:Fallback``; only the choice counts.
- ``w:r/w:pict`` (§17.3.3.21): VML; ``v:textbox/w:txbxContent`` is a text box,
  ``v:imagedata r:id`` a picture.
- ``w:r/w:object`` (§17.3.3.19): an embedded object (``o:OLEObject r:id``) and its picture.
- ``m:oMathPara``/``m:oMath`` (§22.1) directly in a paragraph: an equation.

A text box's paragraphs are paragraphs of their own (they never count in the text of the
paragraph that anchors the box, see :mod:`wcodoc.ooxml.text`). Comparing the content of
pictures, charts and SmartArt needs the parts they name: :func:`related_parts` reads
them once.
"""

from __future__ import annotations

import hashlib
import posixpath
import re
from dataclasses import dataclass

from lxml import etree

from wcodoc.ooxml import R_NS, W_DEL, W_MOVE_FROM, W_P, W_R, qn
from wcodoc.ooxml.safe import DOCUMENT_PART, Package
from wcodoc.ooxml.text import below

WP_NS = "http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing"
A_NS = "http://schemas.openxmlformats.org/drawingml/2006/main"
M_NS = "http://schemas.openxmlformats.org/officeDocument/2006/math"
MC_NS = "http://schemas.openxmlformats.org/markup-compatibility/2006"
V_NS = "urn:schemas-microsoft-com:vml"
O_NS = "urn:schemas-microsoft-com:office:office"
RELS_NS = "http://schemas.openxmlformats.org/package/2006/relationships"
DOCUMENT_RELS = "word/_rels/document.xml.rels"

W_DRAWING, W_PICT, W_OBJECT, W_TXBX = qn("w:drawing"), qn("w:pict"), qn("w:object"), qn("w:txbxContent")
M_OMATH, M_OMATH_PARA, M_T = f"{{{M_NS}}}oMath", f"{{{M_NS}}}oMathPara", f"{{{M_NS}}}t"
MC_FALLBACK, MC_ALTERNATE = f"{{{MC_NS}}}Fallback", f"{{{MC_NS}}}AlternateContent"
A_GRAPHIC_DATA, A_T = f"{{{A_NS}}}graphicData", f"{{{A_NS}}}t"
WP_EXTENT, WP_DOC_PR = f"{{{WP_NS}}}extent", f"{{{WP_NS}}}docPr"
V_IMAGEDATA, V_SHAPE = f"{{{V_NS}}}imagedata", f"{{{V_NS}}}shape"
O_OLE = f"{{{O_NS}}}OLEObject"
EMBEDDED_TAGS = (W_DRAWING, W_PICT, W_OBJECT, M_OMATH_PARA, M_OMATH)
"""The elements that hold embedded content."""
NOT_CURRENT = frozenset({W_DEL, W_MOVE_FROM, MC_FALLBACK})
"""Content below these is not what the paragraph shows now (deleted, moved away, the VML
copy of a drawing)."""
GRAPHIC_KINDS = {
    "http://schemas.openxmlformats.org/drawingml/2006/picture": "picture",
    "http://schemas.openxmlformats.org/drawingml/2006/chart": "chart",
    "http://schemas.openxmlformats.org/drawingml/2006/diagram": "smartart",
}
EMU_PER_MM = 36_000
VML_SIZE = re.compile(r"(width|height)\s*:\s*([\d.]+)\s*(pt|in|cm|mm|px)?", re.IGNORECASE)
VML_MM = {"pt": 25.4 / 72, "in": 25.4, "cm": 10.0, "mm": 1.0, "px": 25.4 / 96, None: 25.4 / 72}


@dataclass(frozen=True)
class Embedded:
    """One piece of embedded content of a paragraph."""

    kind: str
    """``picture``, ``textbox``, ``chart``, ``smartart``, ``equation``, ``shape`` or ``object``."""
    element: etree._Element
    """The ``w:drawing``, ``w:pict``, ``w:object``, ``m:oMath`` or ``m:oMathPara``."""

    @property
    def anchor(self) -> etree._Element:
        """What a revision mark wraps: the run holding a drawing (an equation is its own)."""
        parent = self.element.getparent()
        while parent is not None and parent.tag != W_R and parent.tag != W_P:
            parent = parent.getparent()
        return parent if parent is not None and parent.tag == W_R else self.element


def embedded(p: etree._Element) -> list[Embedded]:
    """The embedded content paragraph ``p`` shows now, in order: not what is deleted or moved
    away, not a fallback copy, not what a text box of ``p`` holds (its own paragraphs'), and
    an equation once (an ``m:oMath`` inside an ``m:oMathPara`` is part of it)."""
    found = []
    for el in p.iter(*EMBEDDED_TAGS):
        if below(el, p, (*NOT_CURRENT, W_TXBX, *EMBEDDED_TAGS)):
            continue
        found.append(Embedded(kind_of(el), el))
    return found


def kind_of(el: etree._Element) -> str:
    """What an embedded element shows (see :class:`Embedded`)."""
    if el.tag in (M_OMATH, M_OMATH_PARA):
        return "equation"
    if el.tag == W_OBJECT:
        return "object"
    if textbox_content(el) is not None:
        return "textbox"
    data = next((d for d in el.iter(A_GRAPHIC_DATA) if not below(d, el, NOT_CURRENT)), None)
    if data is not None:
        return GRAPHIC_KINDS.get(data.get("uri", ""), "shape")
    return "picture" if next(el.iter(V_IMAGEDATA), None) is not None else "shape"


def textbox_content(el: etree._Element) -> etree._Element | None:
    """The ``w:txbxContent`` of a drawing (its DrawingML one, not the VML fallback's)."""
    return next((t for t in el.iter(W_TXBX) if not below(t, el, NOT_CURRENT)), None)


def textbox_paragraphs(el: etree._Element) -> list[etree._Element]:
    """The paragraphs of a text box (``el``: the drawing holding it), nested boxes left out."""
    content = textbox_content(el)
    if content is None:
        return []
    return [p for p in content.iter(W_P) if not below(p, content, (W_TXBX,))]


WP_ANCHOR = f"{{{WP_NS}}}anchor"
FLOATING_VML = re.compile(r"position\s*:\s*absolute", re.IGNORECASE)


def is_floating(el: etree._Element) -> bool:
    """Whether a drawing floats (``wp:anchor``, VML ``position:absolute``) rather than sits in
    the text like a character."""
    if next((a for a in el.iter(WP_ANCHOR) if not below(a, el, NOT_CURRENT)), None) is not None:
        return True
    return any(FLOATING_VML.search(shape.get("style", "")) for shape in el.iter(V_SHAPE))


def starts_with_floating(p: etree._Element) -> bool:
    """Whether the first thing paragraph ``p`` holds is a floating drawing: LibreOffice drops
    such a drawing when accepting or rejecting joins the paragraph before into ``p``."""
    for run in p.iter(W_R):
        if below(run, p, (W_TXBX, *NOT_CURRENT)):
            continue
        content = [c for c in run if c.tag != qn("w:rPr")]
        if not content:
            continue
        first = embedded(run)
        return (
            bool(first)
            and first[0].kind != "equation"
            and is_floating(first[0].element)
            and (content[0].tag in (W_DRAWING, W_PICT, MC_ALTERNATE))
        )
    return False


def max_drawing_id(root: etree._Element) -> int:
    """The largest id of a drawing (``wp:docPr``) in ``root`` (0 if none): Word wants them unique."""
    ids = (el.get("id", "") for el in root.iter(WP_DOC_PR))
    return max((int(i) for i in ids if i.isdigit()), default=0)


def without_fallback(el: etree._Element) -> None:
    """Drop the VML copy (``mc:Fallback``) of the drawings in ``el``: once the text of a text
    box is marked, a stale copy beside it would show the other text to older readers."""
    for fallback in list(el.iter(MC_FALLBACK)):
        parent = fallback.getparent()
        if parent is not None:
            parent.remove(fallback)


def math_text(el: etree._Element) -> str:
    """The characters of an equation, in order."""
    return "".join(t.text or "" for t in el.iter(M_T))


def relationship_ids(el: etree._Element) -> list[str]:
    """The relationship ids ``el`` names (``r:embed``, ``r:link``, ``r:id``, ``r:dm`` …),
    its fallback's left out, each once, in order."""
    found: dict[str, None] = {}
    for node in el.iter():
        if not isinstance(node.tag, str) or below(node, el, NOT_CURRENT):
            continue
        for name, value in node.attrib.items():
            if name.startswith(f"{{{R_NS}}}"):
                found.setdefault(value)
    return list(found)


def size_mm(el: etree._Element) -> tuple[int, int] | None:
    """Width and height in whole millimetres: close enough that a copy re-saved by another
    editor (LibreOffice rounds sizes to 1/100 mm) keeps its size, and a picture resized does not."""
    extent = next(el.iter(WP_EXTENT), None)
    if extent is not None:
        try:
            cx, cy = int(extent.get("cx", "0")), int(extent.get("cy", "0"))
        except ValueError:
            return None
        return round(cx / EMU_PER_MM), round(cy / EMU_PER_MM)
    shape = next(el.iter(V_SHAPE), None)
    if shape is None:
        return None
    sizes = {m.group(1).lower(): float(m.group(2)) * VML_MM[m.group(3) and m.group(3).lower()]
             for m in VML_SIZE.finditer(shape.get("style", ""))}  # fmt: skip
    return round(sizes.get("width", 0)), round(sizes.get("height", 0))


def alt_text(el: etree._Element) -> str:
    """The alternative text of a drawing (``wp:docPr descr``, else its title; VML ``alt``)."""
    doc_pr = next(el.iter(WP_DOC_PR), None)
    if doc_pr is not None:
        return " ".join((doc_pr.get("descr") or doc_pr.get("title") or "").split())
    shape = next(el.iter(V_SHAPE), None)
    return " ".join((shape.get("alt", "") if shape is not None else "").split())


def ole_program(el: etree._Element) -> str:
    """The program an embedded object belongs to (``o:OLEObject ProgID``), if named."""
    ole = next(el.iter(O_OLE), None)
    return ole.get("ProgID", "") if ole is not None else ""


# --- the parts embedded content names ---------------------------------------------------------


def rels_name(part: str) -> str:
    """The relationships part of ``part``: ``word/document.xml`` → ``word/_rels/document.xml.rels``."""
    folder, name = posixpath.split(part)
    return posixpath.join(folder, "_rels", f"{name}.rels")


def target_name(part: str, target: str) -> str:
    """The package name of a relationship ``target`` of ``part`` (relative to its folder)."""
    if target.startswith("/"):
        return target.lstrip("/")
    return posixpath.normpath(posixpath.join(posixpath.dirname(part), target))


@dataclass(frozen=True)
class Relationship:
    """One relationship of a part: its type, target (a part name, or an address) and mode."""

    uri: str
    """The type's URI (``http://…/relationships/image``)."""
    target: str
    external: bool

    @property
    def kind(self) -> str:
        """The end of the type's URI: ``image``, ``chart``, ``diagramData`` …"""
        return self.uri.rsplit("/", 1)[-1]


def relationships(package: Package, part: str) -> dict[str, Relationship]:
    """The relationships of ``part`` by id (none when it has no relationships part)."""
    name = rels_name(part)
    if not package.has(name):
        return {}
    found = {}
    for rel in package.xml(name).iter(f"{{{RELS_NS}}}Relationship"):
        rid, target = rel.get("Id"), rel.get("Target", "")
        if rid:
            external = rel.get("TargetMode") == "External"
            found[rid] = Relationship(
                rel.get("Type", ""), target if external else target_name(part, target), external
            )
    return found


C_NS = "http://schemas.openxmlformats.org/drawingml/2006/chart"
SHOWN = {
    "chart": etree.XPath("//c:val//c:v", namespaces={"c": C_NS}),
    "diagramData": etree.XPath("//a:t", namespaces={"a": A_NS}),
}
"""What a chart or SmartArt shows that identifies it: a chart's values (not its series names
or categories, which LibreOffice adds when it saves a chart that had none), the text of
SmartArt. Their bytes change whenever an editor saves them."""
SIGNED = frozenset({"image", "chart", "diagramData", "oleObject", "package"})
"""Relationship types whose targets identify embedded content."""


@dataclass(frozen=True)
class Related:
    """What identifies the content of a part that embedded content names."""

    signature: str
    """A linked file's address; else a SHA-256 digest of what a chart or SmartArt shows
    (:data:`SHOWN`), or of any other part's bytes."""
    shown: tuple[str, ...] = ()
    """The values a chart shows, the text of SmartArt."""


def related_part(package: Package, rel: Relationship) -> Related:
    """The :class:`Related` of the target of ``rel``."""
    if rel.external:
        return Related(f"link {rel.target}")
    if not package.has(rel.target):
        return Related(f"missing {rel.target}")
    if rel.kind in SHOWN:
        shown = tuple(t.text or "" for t in SHOWN[rel.kind](package.xml(rel.target)))
        return Related(
            hashlib.sha256("\u241f".join(shown).encode()).hexdigest(), tuple(t for t in shown if t)
        )
    return Related(hashlib.sha256(package.read(rel.target)).hexdigest())


def identifies(rel: Relationship) -> bool:
    """Whether the target of ``rel`` tells embedded content apart (an image, a chart …; not
    the layout or colours of SmartArt, which follow from its data)."""
    return rel.kind in SIGNED or rel.external


def related_parts(package: Package, part: str = DOCUMENT_PART) -> dict[str, Related]:
    """What identifies each part that embedded content of ``part`` can name, by relationship id."""
    return {
        rid: related_part(package, rel)
        for rid, rel in relationships(package, part).items()
        if identifies(rel)
    }
