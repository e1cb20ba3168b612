"""Generate the house-style Word template ``wcodoc/templates/reference.docx``.

``python -m wcodoc.render.docx.template`` rewrites the file from pandoc's own default template, so the
template is reproducible and reviewable as code: page set-up, typography, every paragraph
style the pipeline assigns (see ``docs/dev/architecture.md``) and Word-native numbering
attached to the styles. Numbering ids stay below 990/1000 because pandoc silently drops
definitions in its own reserved range.
"""

from __future__ import annotations

import copy
import io
import sys
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from lxml import etree

from wcodoc.load.housestyle import BUILTIN_DIR, REFERENCE_DOCX
from wcodoc.ooxml import detach, qn, required
from wcodoc.ooxml.elements import p, ppr, r, rpr, t, w
from wcodoc.ooxml.numbering import NUMBERING_PART
from wcodoc.ooxml.package import Parts, parse_xml, read_package, save_package, serialize_xml
from wcodoc.ooxml.splice import DOCUMENT_RELS, FOOTNOTES, FOOTNOTES_RELS
from wcodoc.ooxml.styles import STYLES_PART, read_styles
from wcodoc.parse.pandoc import run_pandoc
from wcodoc.styles import (
    ANNEX_HEADING,
    ANNEX_TEXT,
    ANNEX_TITLE,
    BODY_TEXT,
    BULLET,
    BULLET_2,
    CAPTIONED_FIGURE,
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
    END_MARK,
    FIGURE,
    FIRST_PARAGRAPH,
    FOOTER,
    FOOTER_NOTICE,
    HEADER,
    HEADING_1,
    HEADING_2,
    HEADING_3,
    IMAGE_CAPTION,
    NORMAL,
    NUMBERED_PARAGRAPH,
    SUB_ITEM,
    SUMMARY_BULLET,
    SUMMARY_HEADING,
    SUMMARY_LABEL,
    SUMMARY_TEXT,
    TABLE_CAPTION,
    TABLE_TEXT,
    USE_CASE_HEADING,
    USE_CASE_META,
    ParagraphStyle,
)

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
HEADER_DISTANCE = 709
"""The header's distance from the top edge (1.25 cm)."""
FOOTER_DISTANCE = 425
"""The footer's distance from the bottom edge (0.75 cm). Only the first page has a footer, the
notices; lower than the header's, so that they fit in the bottom margin instead of taking the
room a footnote of paragraph 1 needs to stay, with section I, on the cover page."""

HEADING_NUM = 10
PARAGRAPH_NUM = 11
BULLET_NUM = 12
SUMMARY_BULLET_NUM = 13
NESTED_BULLET_NUM = 14
"""Its own list: LibreOffice attaches a list to one paragraph style only, so two styles on
numId 12 would leave one of them without its dash."""


@dataclass(frozen=True)
class Style:
    """The formatting of one house style (named in :mod:`wcodoc.styles`) as WordprocessingML."""

    style: ParagraphStyle
    ppr: tuple[etree._Element, ...] = ()
    """Paragraph properties (in any order: :func:`style_element` puts them in the schema's)."""
    rpr: tuple[etree._Element, ...] = ()
    based_on: ParagraphStyle = NORMAL
    num_id: int | None = None
    level: int = 0
    next_style: ParagraphStyle | None = None

    @property
    def name(self) -> str:
        """The style's name: what pandoc matches and Word shows."""
        return self.style.name

    def id_in(self, ids: Mapping[str, str]) -> str:
        """Its ``w:styleId`` (see :meth:`ParagraphStyle.id_in`)."""
        return self.style.id_in(ids)


def _spacing(before: int = 0, after: int = SPACE_AFTER) -> etree._Element:
    return w("spacing", before=before, after=after, line=240, lineRule="auto")


def _ind(left: int, hanging: int = 0) -> etree._Element:
    return w("ind", left=left, hanging=hanging) if hanging else w("ind", left=left)


def _outline(level: int) -> etree._Element:
    return w("outlineLvl", val=level)


def _size(half_points: int) -> tuple[etree._Element, ...]:
    return (w("sz", val=half_points), w("szCs", val=half_points))


CENTRE = w("jc", val="center")
LEFT = w("jc", val="left")
RIGHT = w("jc", val="right")
JUSTIFY = w("jc", val="both")
KEEP = (w("keepNext"), w("keepLines"))
BOLD = (w("b"), w("bCs"))
ITALIC = (w("i"), w("iCs"))
CAPS = w("caps")
TIGHT = _spacing(0, 0)
NO_HYPHENATION = w("suppressAutoHyphens")
CELL_SPACING = _spacing(40, 40)
"""A little air above and below the text of a table cell (2 pt)."""


STYLES: tuple[Style, ...] = (
    Style(BODY_TEXT, (_spacing(), JUSTIFY)),
    Style(FIRST_PARAGRAPH, based_on=BODY_TEXT, next_style=BODY_TEXT),
    Style(
        HEADING_1,
        (*KEEP, _spacing(240), _ind(STEP, STEP), _outline(0)),
        BOLD,
        num_id=HEADING_NUM,
        next_style=NUMBERED_PARAGRAPH,
    ),
    Style(HEADING_2, (*KEEP, _spacing(120), _outline(1)), BOLD, next_style=NUMBERED_PARAGRAPH),
    Style(HEADING_3, (*KEEP, _spacing(120), _outline(2)), (*BOLD, *ITALIC), next_style=NUMBERED_PARAGRAPH),
    Style(NUMBERED_PARAGRAPH, (_ind(STEP, STEP),), based_on=BODY_TEXT, num_id=PARAGRAPH_NUM),
    Style(SUB_ITEM, (_ind(2 * STEP, STEP),), based_on=BODY_TEXT, num_id=PARAGRAPH_NUM, level=1),
    Style(BULLET, (_ind(2 * STEP, STEP),), based_on=BODY_TEXT, num_id=BULLET_NUM),
    Style(BULLET_2, (_ind(3 * STEP, STEP),), based_on=BODY_TEXT, num_id=NESTED_BULLET_NUM),
    Style(END_MARK, (*KEEP, _spacing(480, 0), CENTRE)),
    # Table cells: left-aligned (justified cells show wide gaps), never hyphenated.
    Style(TABLE_TEXT, (CELL_SPACING, LEFT, NO_HYPHENATION)),
    # Above its table, kept with it; figures centred, their caption below and kept with them.
    Style(TABLE_CAPTION, (*KEEP, _spacing(120, 120), CENTRE, NO_HYPHENATION)),
    Style(CAPTIONED_FIGURE, (*KEEP, _spacing(120, 120), CENTRE)),
    Style(FIGURE, (_spacing(120, 240), CENTRE)),
    Style(IMAGE_CAPTION, (w("keepLines"), _spacing(0), CENTRE, NO_HYPHENATION)),
    Style(ANNEX_HEADING, (w("pageBreakBefore"), *KEEP, _spacing(0), RIGHT), BOLD),
    Style(ANNEX_TITLE, (*KEEP, _spacing(240, 480), CENTRE), (*BOLD, CAPS)),
    Style(USE_CASE_HEADING, (*KEEP, _spacing(360), _outline(1)), BOLD),
    Style(USE_CASE_META, (*KEEP, _spacing()), ITALIC),
    Style(ANNEX_TEXT, based_on=BODY_TEXT),
    Style(COVER_LETTERHEAD, (TIGHT, CENTRE), _size(20)),
    Style(COVER_COMMITTEE, (_spacing(360, 0),), (*BOLD, CAPS)),
    Style(COVER_MEETING, (_spacing(120, 0),), BOLD),
    Style(COVER_SESSIONS, (_spacing(120, 0),)),
    Style(COVER_DATES, (TIGHT,)),
    Style(COVER_SYMBOL, (_spacing(360, 0), RIGHT), (*BOLD, *_size(28))),
    Style(COVER_ISSUED, (_spacing(120, 0), RIGHT)),
    Style(COVER_TITLE, (*KEEP, _spacing(720, 120), CENTRE), (*BOLD, CAPS)),
    Style(COVER_SUBTITLE, (*KEEP, _spacing(0, 120), CENTRE), BOLD),
    Style(COVER_AGENDA_ITEM, (_spacing(0, 480), CENTRE), BOLD),
    Style(SUMMARY_HEADING, (*KEEP, _spacing(240), CENTRE), BOLD),
    Style(SUMMARY_LABEL, (*KEEP, _spacing(120)), BOLD),
    Style(SUMMARY_TEXT, based_on=BODY_TEXT),
    Style(SUMMARY_BULLET, (_ind(2 * STEP, STEP),), based_on=BODY_TEXT, num_id=SUMMARY_BULLET_NUM),
    Style(COVER_SEPARATOR, (TIGHT, CENTRE)),
    Style(FOOTER_NOTICE, (_spacing(0, 60), JUSTIFY), _size(NOTE_SIZE)),
    Style(
        HEADER,
        (
            TIGHT,
            w("tabs", w("tab", val="center", pos=TEXT_WIDTH // 2), w("tab", val="right", pos=TEXT_WIDTH)),
        ),
    ),
    Style(FOOTER, (TIGHT,)),
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


def _num_pr(style: Style) -> etree._Element | None:
    if style.num_id is None:
        return None
    return w("numPr", w("ilvl", val=style.level), w("numId", val=style.num_id))


def _copies(elements: tuple[etree._Element, ...]) -> list[etree._Element]:
    """Copies of shared property elements (an element has one parent)."""
    return [copy.deepcopy(el) for el in elements]


def style_element(style: Style, ids: Mapping[str, str]) -> etree._Element:
    """The ``w:style`` element of ``style``; ``ids`` maps the existing styles' names to ids."""
    return w(
        "style",
        w("name", val=style.name),
        w("basedOn", val=style.based_on.id_in(ids)),
        w("next", val=style.next_style.id_in(ids)) if style.next_style else None,
        w("qFormat"),
        ppr(_num_pr(style), *_copies(style.ppr)),
        rpr(*_copies(style.rpr)),
        type="paragraph",
        customStyle="1",
        styleId=style.id_in(ids),
    )


def _abstract_num(num_id: int, levels: tuple[Level, ...]) -> etree._Element:
    kind = "multilevel" if len(levels) > 1 else "singleLevel"
    # A fixed nsid: Word wants one per list, and a random one would break reproducibility.
    return w(
        "abstractNum",
        w("nsid", val=f"5743{num_id:04X}"),
        w("multiLevelType", val=kind),
        *(_level(i, lvl) for i, lvl in enumerate(levels)),
        abstractNumId=num_id,
    )


def _level(ilvl: int, level: Level) -> etree._Element:
    return w(
        "lvl",
        w("start", val=1),
        w("numFmt", val=level.fmt),
        w("lvlText", val=level.text),
        w("lvlJc", val="left"),
        ppr(w("tabs", w("tab", val="num", pos=level.left)), w("ind", left=level.left, hanging=level.hanging)),
        ilvl=ilvl,
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
        root.append(w("num", w("abstractNumId", val=num_id), numId=num_id))


def patch_styles(root: etree._Element) -> None:
    """House typography on pandoc's styles, then every house style (replacing namesakes)."""
    _set_defaults(root)
    _strip_theme_look(root)
    _drop_missing_bases(root)
    existing = read_styles(root).ids
    for style in STYLES:
        new = style_element(style, existing)
        old = root.find(f'{qn("w:style")}[@{qn("w:styleId")}="{style.id_in(existing)}"]')
        if old is not None:
            # Keep Word's built-in name (``heading 1``) so Word treats it as its heading.
            old_name = old.find(qn("w:name"))
            if old_name is not None and (builtin := old_name.get(qn("w:val"))) is not None:
                required(new, "w:name").set(qn("w:val"), builtin)
            new.attrib.pop(qn("w:customStyle"), None)
            old.addprevious(new)
            root.remove(old)
        else:
            root.append(new)


def _set_defaults(root: etree._Element) -> None:
    required(root, "w:docDefaults/w:rPrDefault/w:rPr")[:] = [
        w("rFonts", ascii=FONT, hAnsi=FONT, eastAsia=FONT, cs=FONT),
        w("color", val="000000"),
        *_size(BODY_SIZE),
        w("lang", val="en-GB", eastAsia="en-GB", bidi="ar-SA"),
    ]
    required(root, "w:docDefaults/w:pPrDefault/w:pPr")[:] = [_spacing()]


def _drop_missing_bases(root: etree._Element) -> None:
    """Drop a ``w:basedOn`` naming no style of the part: pandoc's ``Table`` names Word's
    ``TableNormal``, which its template lacks, and validators reject the dangling link."""
    present = {style.get(qn("w:styleId")) for style in root.iter(qn("w:style"))}
    for based_on in root.iter(qn("w:basedOn")):
        if based_on.get(qn("w:val")) not in present:
            detach(based_on)


def _strip_theme_look(root: etree._Element) -> None:
    """Drop pandoc's theme fonts and colours (blue headings) so styles inherit the defaults."""
    for style in root.iter(qn("w:style")):
        keep_colour = style.get(qn("w:styleId")) == "Hyperlink"
        for tag in ("w:rFonts", "w:color") if not keep_colour else ("w:rFonts",):
            for el in style.iter(qn(tag)):
                detach(el)


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
    """A4 portrait with the house margins; footnotes numbered on through the whole document
    (``eachSect`` would restart them at every ``#`` section in LibreOffice, which reads it as
    per chapter)."""
    m = MARGIN
    return w(
        "sectPr",
        w("footnotePr", w("numRestart", val="continuous")),
        w("pgSz", w=PAGE["w"], h=PAGE["h"]),
        w(
            "pgMar",
            top=m,
            right=m,
            bottom=m,
            left=m,
            header=HEADER_DISTANCE,
            footer=FOOTER_DISTANCE,
            gutter=0,
        ),
    )


def patch_document(root: etree._Element, ids: Mapping[str, str]) -> None:
    """A specimen of every house style (for people opening the template), then the section."""
    body = required(root, "w:body")
    body[:] = [p(ppr(style=s.id_in(ids)), r(t(s.name, preserve=False))) for s in STYLES]
    body.append(section_properties())


def drop_samples(parts: Parts) -> None:
    """Remove what pandoc's template holds only as a specimen: its sample footnote and the
    ``http://example.com`` hyperlink relationship it points at. A document made on the template
    without pandoc (the review compilation) would otherwise carry them, unreferenced."""
    notes = parse_xml(parts[FOOTNOTES])
    for note in notes.findall(qn("w:footnote")):
        if note.get(qn("w:type")) is None:  # separators have a type; the specimen has none
            notes.remove(note)
    parts[FOOTNOTES] = serialize_xml(notes)
    for rels_part in (DOCUMENT_RELS, FOOTNOTES_RELS):
        if rels_part in parts:
            rels = parse_xml(parts[rels_part])
            for rel in rels:
                if rel.get("TargetMode") == "External":
                    rels.remove(rel)
            parts[rels_part] = serialize_xml(rels)


def build_reference(pandoc_default: bytes) -> Parts:
    """The house-style template's parts, derived from pandoc's default ``reference.docx``."""
    parts = read_package(io.BytesIO(pandoc_default))
    styles = parse_xml(parts[STYLES_PART])
    patch_styles(styles)
    ids = read_styles(styles).ids
    numbering = parse_xml(parts[NUMBERING_PART])
    patch_numbering(numbering)
    settings = parse_xml(parts["word/settings.xml"])
    patch_settings(settings)
    document = parse_xml(parts["word/document.xml"])
    patch_document(document, ids)
    parts[STYLES_PART] = serialize_xml(styles)
    parts[NUMBERING_PART] = serialize_xml(numbering)
    parts["word/settings.xml"] = serialize_xml(settings)
    parts["word/document.xml"] = serialize_xml(document)
    drop_samples(parts)
    return parts


def write_reference(path: Path = BUILTIN_DIR / REFERENCE_DOCX) -> Path:
    """Regenerate the template at ``path`` (the built-in one by default)."""
    default = run_pandoc(["--print-default-data-file", "reference.docx"])
    save_package(build_reference(default), path)
    return path


if __name__ == "__main__":
    write_reference(Path(sys.argv[1]) if len(sys.argv) > 1 else BUILTIN_DIR / REFERENCE_DOCX)
