"""Generate the house-style Word template ``wcodoc/templates/reference.docx``.

``python -m wcodoc.render.template`` rewrites the file from pandoc's own default template, so the
template is reproducible and reviewable as code: page set-up, typography, every paragraph
style the pipeline assigns (see ``docs/dev/architecture.md``) and Word-native numbering
attached to the styles. Numbering ids stay below 990/1000 because pandoc silently drops
definitions in its own reserved range.
"""

from __future__ import annotations

import io
import sys
import zipfile
from dataclasses import dataclass
from pathlib import Path

from lxml import etree

from wcodoc.fsutil import atomic_output
from wcodoc.load.housestyle import BUILTIN_DIR, REFERENCE_DOCX
from wcodoc.ooxml import W_NS, qn
from wcodoc.ooxml.package import Parts, parse_xml, serialize_xml, write_package
from wcodoc.parse.pandoc import run_pandoc

FONT = "Times New Roman"
BODY_SIZE = 24
"""Half-points: 12 pt."""
NOTE_SIZE = 16
SPACE_AFTER = 240
"""Twips after each paragraph (12 pt): single spacing with a blank line's gap."""
STEP = 567
"""One indentation step in twips (1 cm)."""
PAGE = {"w": "11906", "h": "16838"}
"""A4 in twips."""
MARGIN = "1417"
"""2.5 cm in twips."""
TEXT_WIDTH = int(PAGE["w"]) - 2 * int(MARGIN)

HEADING_NUM = 10
PARAGRAPH_NUM = 11
BULLET_NUM = 12
SUMMARY_BULLET_NUM = 13
NESTED_BULLET_NUM = 14
"""Its own list: LibreOffice attaches a list to one paragraph style only, so two styles on
numId 12 would leave one of them without its dash."""


@dataclass(frozen=True)
class Style:
    """One paragraph style: its name (what pandoc matches), formatting as WordprocessingML."""

    name: str
    ppr: str = ""
    rpr: str = ""
    based_on: str = "Normal"
    num_id: int | None = None
    level: int = 0
    next_style: str | None = None

    @property
    def style_id(self) -> str:
        return "".join(ch for ch in self.name.title() if ch.isalnum())


def _spacing(before: int = 0, after: int = SPACE_AFTER) -> str:
    return f'<w:spacing w:before="{before}" w:after="{after}" w:line="240" w:lineRule="auto"/>'


def _ind(left: int, hanging: int = 0) -> str:
    return f'<w:ind w:left="{left}" w:hanging="{hanging}"/>' if hanging else f'<w:ind w:left="{left}"/>'


CENTRE = '<w:jc w:val="center"/>'
RIGHT = '<w:jc w:val="right"/>'
JUSTIFY = '<w:jc w:val="both"/>'
KEEP = "<w:keepNext/><w:keepLines/>"
BOLD = "<w:b/><w:bCs/>"
CAPS = "<w:caps/>"
TIGHT = _spacing(0, 0)


def _size(half_points: int) -> str:
    return f'<w:sz w:val="{half_points}"/><w:szCs w:val="{half_points}"/>'


STYLES: tuple[Style, ...] = (
    Style("Body Text", _spacing() + JUSTIFY),
    Style("First Paragraph", based_on="Body Text", next_style="Body Text"),
    Style(
        "Heading 1",
        KEEP + _spacing(240) + _ind(STEP, STEP) + '<w:outlineLvl w:val="0"/>',
        BOLD,
        num_id=HEADING_NUM,
        next_style="Numbered Paragraph",
    ),
    Style(
        "Heading 2", KEEP + _spacing(120) + '<w:outlineLvl w:val="1"/>', BOLD, next_style="Numbered Paragraph"
    ),
    Style(
        "Heading 3",
        KEEP + _spacing(120) + '<w:outlineLvl w:val="2"/>',
        BOLD + "<w:i/><w:iCs/>",
        next_style="Numbered Paragraph",
    ),
    Style("Numbered Paragraph", _ind(STEP, STEP), based_on="Body Text", num_id=PARAGRAPH_NUM),
    Style("Sub-item", _ind(2 * STEP, STEP), based_on="Body Text", num_id=PARAGRAPH_NUM, level=1),
    Style("Bullet", _ind(2 * STEP, STEP), based_on="Body Text", num_id=BULLET_NUM),
    Style("Bullet 2", _ind(3 * STEP, STEP), based_on="Body Text", num_id=NESTED_BULLET_NUM),
    Style("End Mark", KEEP + _spacing(480, 0) + CENTRE),
    Style("Annex Heading", "<w:pageBreakBefore/>" + KEEP + _spacing(0) + RIGHT, BOLD),
    Style("Annex Title", KEEP + _spacing(240, 480) + CENTRE, BOLD + CAPS),
    Style("Use Case Heading", KEEP + _spacing(360) + '<w:outlineLvl w:val="1"/>', BOLD),
    Style("Use Case Meta", KEEP + _spacing(), "<w:i/><w:iCs/>"),
    Style("Annex Text", based_on="Body Text"),
    Style("Cover Letterhead", TIGHT + CENTRE, _size(20)),
    Style("Cover Committee", _spacing(360, 0), BOLD + CAPS),
    Style("Cover Meeting", _spacing(120, 0), BOLD),
    Style("Cover Sessions", _spacing(120, 0)),
    Style("Cover Dates", TIGHT),
    Style("Cover Symbol", _spacing(360, 0) + RIGHT, BOLD + _size(28)),
    Style("Cover Issued", _spacing(120, 0) + RIGHT),
    Style("Cover Title", KEEP + _spacing(720, 120) + CENTRE, BOLD + CAPS),
    Style("Cover Subtitle", KEEP + _spacing(0, 120) + CENTRE, BOLD),
    Style("Cover Agenda Item", _spacing(0, 480) + CENTRE, BOLD),
    Style("Summary Heading", KEEP + _spacing(240) + CENTRE, BOLD),
    Style("Summary Label", KEEP + _spacing(120), BOLD),
    Style("Summary Text", based_on="Body Text"),
    Style("Summary Bullet", _ind(2 * STEP, STEP), based_on="Body Text", num_id=SUMMARY_BULLET_NUM),
    Style("Cover Separator", TIGHT + CENTRE),
    Style("Footer Notice", _spacing(0, 60) + JUSTIFY, _size(NOTE_SIZE)),
    Style(
        "Header",
        TIGHT + f'<w:tabs><w:tab w:val="center" w:pos="{TEXT_WIDTH // 2}"/>'
        f'<w:tab w:val="right" w:pos="{TEXT_WIDTH}"/></w:tabs>',
    ),
    Style("Footer", TIGHT),
)
"""Every paragraph style of the house style; names match ``docs/dev/architecture.md``."""


@dataclass(frozen=True)
class Level:
    """One level of a list definition."""

    fmt: str
    text: str
    left: int
    hanging: int = STEP


LISTS: dict[int, tuple[Level, ...]] = {
    HEADING_NUM: (Level("upperRoman", "%1.", STEP),),
    PARAGRAPH_NUM: (Level("decimal", "%1.", STEP), Level("lowerLetter", "%2.", 2 * STEP)),
    BULLET_NUM: (Level("bullet", "-", 2 * STEP),),
    SUMMARY_BULLET_NUM: (Level("bullet", "-", 2 * STEP),),
    # A list of its own: LibreOffice ties a list to one paragraph style.
    NESTED_BULLET_NUM: (Level("bullet", "–", 3 * STEP),),
}
"""numId (equal to its abstractNumId) → levels. Level 1 restarts after each level-0 item,
Word's default, which gives ``a.``, ``b.`` anew under each numbered paragraph."""


def _fragment(xml: str) -> list[etree._Element]:
    wrapper = etree.fromstring(f'<w:x xmlns:w="{W_NS}">{xml}</w:x>')
    return list(wrapper)


def _element(xml: str) -> etree._Element:
    return _fragment(xml)[0]


def _num_pr(style: Style) -> str:
    if style.num_id is None:
        return ""
    return f'<w:numPr><w:ilvl w:val="{style.level}"/><w:numId w:val="{style.num_id}"/></w:numPr>'


def style_element(style: Style, ids: dict[str, str]) -> etree._Element:
    """The ``w:style`` element of ``style``; ``ids`` maps style names to ids."""
    based = f'<w:basedOn w:val="{ids[style.based_on]}"/>'
    nxt = f'<w:next w:val="{ids[style.next_style]}"/>' if style.next_style else ""
    # Schema order inside w:pPr: keepNext … numPr … spacing, ind … jc … outlineLvl.
    ppr = _order_ppr(_num_pr(style) + style.ppr)
    return _element(
        f'<w:style w:type="paragraph" w:customStyle="1" w:styleId="{ids[style.name]}">'
        f'<w:name w:val="{style.name}"/>{based}{nxt}<w:qFormat/>'
        f"<w:pPr>{ppr}</w:pPr><w:rPr>{style.rpr}</w:rPr></w:style>"
    )


PPR_ORDER = (
    "keepNext",
    "keepLines",
    "pageBreakBefore",
    "numPr",
    "tabs",
    "spacing",
    "ind",
    "jc",
    "outlineLvl",
)


def _order_ppr(xml: str) -> str:
    children = _fragment(xml)
    children.sort(key=lambda el: PPR_ORDER.index(etree.QName(el).localname))
    return "".join(etree.tostring(el, encoding="unicode") for el in children).replace(
        f' xmlns:w="{W_NS}"', ""
    )


def _abstract_num(num_id: int, levels: tuple[Level, ...]) -> etree._Element:
    lvls = "".join(
        f'<w:lvl w:ilvl="{i}"><w:start w:val="1"/><w:numFmt w:val="{lvl.fmt}"/>'
        f'<w:lvlText w:val="{lvl.text}"/><w:lvlJc w:val="left"/>'
        f'<w:pPr><w:tabs><w:tab w:val="num" w:pos="{lvl.left}"/></w:tabs>'
        f'<w:ind w:left="{lvl.left}" w:hanging="{lvl.hanging}"/></w:pPr></w:lvl>'
        for i, lvl in enumerate(levels)
    )
    kind = "multilevel" if len(levels) > 1 else "singleLevel"
    # A fixed nsid: Word wants one per list, and a random one would break reproducibility.
    return _element(
        f'<w:abstractNum w:abstractNumId="{num_id}"><w:nsid w:val="5743{num_id:04X}"/>'
        f'<w:multiLevelType w:val="{kind}"/>{lvls}</w:abstractNum>'
    )


def patch_numbering(root: etree._Element) -> None:
    """Add the house-style lists (abstract definitions before all ``w:num``, as the schema asks)."""
    for old in root:
        if old.get(qn("w:abstractNumId")) in {str(n) for n in LISTS} or old.get(qn("w:numId")) in {
            str(n) for n in LISTS
        }:
            root.remove(old)
    first_num = root.find(qn("w:num"))
    for num_id, levels in sorted(LISTS.items()):
        abstract = _abstract_num(num_id, levels)
        if first_num is not None:
            first_num.addprevious(abstract)
        else:
            root.append(abstract)
    for num_id in sorted(LISTS):
        root.append(_element(f'<w:num w:numId="{num_id}"><w:abstractNumId w:val="{num_id}"/></w:num>'))


def _style_ids(root: etree._Element) -> dict[str, str]:
    ids = {}
    for el in root.iter(qn("w:style")):
        name = el.find(qn("w:name"))
        if name is not None:
            ids[name.get(qn("w:val")).lower()] = el.get(qn("w:styleId"))
    return ids


class _Ids(dict):
    """Style name → id, case-insensitive on names as Word is (``heading 1`` = ``Heading 1``)."""

    def __missing__(self, key: str) -> str:
        return self.get(key.lower()) or Style(key).style_id


def patch_styles(root: etree._Element) -> None:
    """House typography on pandoc's styles, then every house style (replacing namesakes)."""
    _set_defaults(root)
    _strip_theme_look(root)
    existing = _style_ids(root)
    ids = _Ids(existing)
    for style in STYLES:
        ids[style.name] = existing.get(style.name.lower(), style.style_id)
    for style in STYLES:
        new = style_element(style, ids)
        old = root.find(f'{qn("w:style")}[@{qn("w:styleId")}="{ids[style.name]}"]')
        if old is not None:
            # Keep Word's built-in name (``heading 1``) so Word treats it as its heading.
            new.find(qn("w:name")).set(qn("w:val"), old.find(qn("w:name")).get(qn("w:val")))
            new.attrib.pop(qn("w:customStyle"), None)
            old.addprevious(new)
            root.remove(old)
        else:
            root.append(new)


def _set_defaults(root: etree._Element) -> None:
    defaults = root.find(qn("w:docDefaults"))
    rpr = defaults.find(f"{qn('w:rPrDefault')}/{qn('w:rPr')}")
    rpr[:] = _fragment(
        f'<w:rFonts w:ascii="{FONT}" w:hAnsi="{FONT}" w:eastAsia="{FONT}" w:cs="{FONT}"/>'
        f'<w:color w:val="000000"/>{_size(BODY_SIZE)}'
        '<w:lang w:val="en-GB" w:eastAsia="en-GB" w:bidi="ar-SA"/>'
    )
    ppr = defaults.find(f"{qn('w:pPrDefault')}/{qn('w:pPr')}")
    ppr[:] = _fragment(_spacing())


def _strip_theme_look(root: etree._Element) -> None:
    """Drop pandoc's theme fonts and colours (blue headings) so styles inherit the defaults."""
    for style in root.iter(qn("w:style")):
        keep_colour = style.get(qn("w:styleId")) == "Hyperlink"
        for tag in ("w:rFonts", "w:color") if not keep_colour else ("w:rFonts",):
            for el in style.iter(qn(tag)):
                el.getparent().remove(el)


def patch_settings(root: etree._Element) -> None:
    """Tab stops of one indentation step; no revision-session ids; British English theme."""
    for rsids in root.findall(qn("w:rsids")):
        root.remove(rsids)
    tab = root.find(qn("w:defaultTabStop"))
    if tab is not None:
        tab.set(qn("w:val"), str(STEP))
    lang = root.find(qn("w:themeFontLang"))
    if lang is not None:
        lang.set(qn("w:val"), "en-GB")


def section_properties() -> etree._Element:
    """A4 portrait with the house margins."""
    m = MARGIN
    return _element(
        f'<w:sectPr><w:footnotePr><w:numRestart w:val="eachSect"/></w:footnotePr>'
        f'<w:pgSz w:w="{PAGE["w"]}" w:h="{PAGE["h"]}"/>'
        f'<w:pgMar w:top="{m}" w:right="{m}" w:bottom="{m}" w:left="{m}" w:header="709" '
        f'w:footer="709" w:gutter="0"/></w:sectPr>'
    )


def patch_document(root: etree._Element, ids: dict[str, str]) -> None:
    """A specimen of every house style (for people opening the template), then the section."""
    body = root.find(qn("w:body"))
    body[:] = [
        _element(f'<w:p><w:pPr><w:pStyle w:val="{ids[s.name]}"/></w:pPr><w:r><w:t>{s.name}</w:t></w:r></w:p>')
        for s in STYLES
    ]
    body.append(section_properties())


def build_reference(pandoc_default: bytes) -> Parts:
    """The house-style template's parts, derived from pandoc's default ``reference.docx``."""
    with zipfile.ZipFile(io.BytesIO(pandoc_default)) as zf:
        parts = {n: zf.read(n) for n in zf.namelist() if not n.endswith("/")}
    styles = parse_xml(parts["word/styles.xml"])
    patch_styles(styles)
    ids = _Ids(_style_ids(styles))
    numbering = parse_xml(parts["word/numbering.xml"])
    patch_numbering(numbering)
    settings = parse_xml(parts["word/settings.xml"])
    patch_settings(settings)
    document = parse_xml(parts["word/document.xml"])
    patch_document(document, ids)
    parts["word/styles.xml"] = serialize_xml(styles)
    parts["word/numbering.xml"] = serialize_xml(numbering)
    parts["word/settings.xml"] = serialize_xml(settings)
    parts["word/document.xml"] = serialize_xml(document)
    return parts


def write_reference(path: Path = BUILTIN_DIR / REFERENCE_DOCX) -> Path:
    """Regenerate the template at ``path`` (the built-in one by default)."""
    default = run_pandoc(["--print-default-data-file", "reference.docx"])
    with atomic_output(path) as tmp:
        write_package(build_reference(default), tmp)
    return path


if __name__ == "__main__":
    write_reference(Path(sys.argv[1]) if len(sys.argv) > 1 else BUILTIN_DIR / REFERENCE_DOCX)
