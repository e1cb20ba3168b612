"""The finish step: what pandoc cannot write, added to its DOCX, then a deterministic zip.

One A4 section with a different first page: the first page has no header and a footer with
a short rule and the printing and copyright notices; later pages carry the symbol without its
version letter and the page number. The header text is written literally, not as a
``DOCPROPERTY`` field, because LibreOffice prints a field's stale cached value. Document
properties take their dates from the date of issue, never from the clock, so the same sources
give the same bytes.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from pathlib import Path

from lxml import etree

from wcodoc.kinds import PageText, kind_of
from wcodoc.load.housestyle import HouseStyle
from wcodoc.load.metadata import DocumentMeta
from wcodoc.ooxml import detach, qn, required
from wcodoc.ooxml.elements import fld, insert_in_order, p, part, ppr, r, reference, w
from wcodoc.ooxml.package import (
    Parts,
    add_override,
    add_relationship,
    core_part,
    parse_xml,
    read_package,
    save_package,
    serialize_xml,
)
from wcodoc.ooxml.styles import STYLES_PART, read_styles
from wcodoc.ooxml.tables import keep_rows_together
from wcodoc.render.docx.annexpages import ANNEX_HEADER_PART, annex_numeral, split_annex_sections
from wcodoc.render.docx.template import PAGE
from wcodoc.styles import FOOTER_NOTICE, HEADER

LANGUAGE_TAGS = {"en": "en-GB", "fr": "fr-FR"}
CT_WML = "application/vnd.openxmlformats-officedocument.wordprocessingml."

HEADER_PART = "wcodocHeader"
"""Name of the header part of later pages (and of its relationship id, ``rIdwcodocHeader``)."""
FIRST_HEADER_PART = "wcodocFirstHeader"
FIRST_FOOTER_PART = "wcodocFirstFooter"
PARTS = ((HEADER_PART, "header"), (FIRST_HEADER_PART, "header"), (FIRST_FOOTER_PART, "footer"))
"""The header and footer parts wcodoc adds, with their kind."""
RULE_INDENT = 6000
"""Right indent (twips) that shortens the footer's rule to a few centimetres."""


def _r(text: str) -> etree._Element:
    """A run of ``text``; an empty text is an empty ``w:t`` element (``<w:t …/>``), as ever."""
    run = r(text)
    run[-1].text = text or None
    return run


def _part(kind: str, paragraphs: list[etree._Element]) -> bytes:
    """A header (``hdr``) or footer (``ftr``) part holding ``paragraphs``."""
    return serialize_xml(part(kind, *paragraphs))


def header_part(text: PageText, ids: Mapping[str, str], prefix: str = "") -> bytes:
    """Later pages: the page number centred, the short symbol on the right (Header's tab stops).

    ``prefix`` precedes the page number: ``I/`` in annex I when annexes number their pages.
    """
    number = [_r(prefix)] if prefix else []
    content = [r(w("tab")), *number, *fld("PAGE", "1"), _r("."), r(w("tab")), _r(text.header)]
    return _part("hdr", [p(ppr(style=HEADER.id_in(ids)), *content)])


def first_footer_part(text: PageText, ids: Mapping[str, str]) -> bytes:
    """Page 1: a short rule, then the notices in small type."""
    notice = FOOTER_NOTICE.id_in(ids)
    rule = ppr(
        w("pBdr", w("bottom", val="single", sz=6, space=1, color="000000")),
        w("spacing", before=0, after=120, line=120, lineRule="exact"),
        w("ind", right=RULE_INDENT),
        style=notice,
    )
    notices = [p(ppr(style=notice), _r(line)) for line in text.footer_notice]
    return _part("ftr", [p(rule), *notices])


def empty_header_part(ids: Mapping[str, str]) -> bytes:
    """Page 1 has no header; an explicit empty one keeps every reader from reusing the default."""
    return _part("hdr", [p(ppr(style=HEADER.id_in(ids)))])


def set_section(document: etree._Element) -> None:
    """One A4 section, different first page, with the wcodoc header and footer references."""
    body = required(document, "w:body")  # pandoc always writes one
    for inner in body.findall(f".//{qn('w:pPr')}/{qn('w:sectPr')}"):
        detach(inner)
    sect = body.find(qn("w:sectPr"))
    if sect is None:
        insert_in_order(body, sect := w("sectPr"))
    for tag in ("w:headerReference", "w:footerReference", "w:titlePg"):
        for el in sect.findall(qn(tag)):
            sect.remove(el)
    for added in (
        reference("headerReference", "default", f"rId{HEADER_PART}"),
        reference("headerReference", "first", f"rId{FIRST_HEADER_PART}"),
        reference("footerReference", "first", f"rId{FIRST_FOOTER_PART}"),
        w("titlePg"),
    ):
        insert_in_order(sect, added)
    size = sect.find(qn("w:pgSz"))
    if size is None:
        insert_in_order(sect, size := w("pgSz"))
    size.attrib.clear()  # pandoc's own, in place (and its layout with it)
    size.set(qn("w:w"), PAGE["w"])
    size.set(qn("w:h"), PAGE["h"])


def add_relationships(rels: etree._Element, parts: Sequence[tuple[str, str]] = PARTS) -> None:
    """Relationships from the document to the header and footer ``parts`` wcodoc adds."""
    for rel in list(rels):
        if rel.get("Id", "").startswith("rIdwcodoc"):
            rels.remove(rel)
    for rid, kind in parts:
        add_relationship(rels, f"rId{rid}", kind, f"{rid}.xml")


def add_content_types(types: etree._Element, parts: Sequence[tuple[str, str]] = PARTS) -> None:
    """The content types of the header and footer ``parts`` wcodoc adds."""
    for rid, kind in parts:
        add_override(types, f"/word/{rid}.xml", f"{CT_WML}{kind}+xml")


def set_language(styles: etree._Element, settings: etree._Element, tag: str) -> None:
    """The document's language on the default run properties (spelling, hyphenation)."""
    rpr = styles.find(f"{qn('w:docDefaults')}/{qn('w:rPrDefault')}/{qn('w:rPr')}")
    if rpr is not None:
        lang = rpr.find(qn("w:lang"))
        if lang is None:
            insert_in_order(rpr, lang := w("lang"))
        lang.set(qn("w:val"), tag)
    theme_lang = settings.find(qn("w:themeFontLang"))
    if theme_lang is not None:
        theme_lang.set(qn("w:val"), tag)


def keep_broken_lines_unstretched(settings: etree._Element) -> None:
    """A line ended by a line break (a line block's, an address typed line by line) keeps
    its word spacing in a justified paragraph: Word and LibreOffice would stretch it across
    the whole width. ``w:compat`` stands before the settings that pandoc writes after it."""
    if settings.find(qn("w:compat")) is not None:
        return
    compat = w("compat", w("doNotExpandShiftReturn"))
    after = next((el for el in settings if el.tag in _AFTER_COMPAT), None)
    if after is not None:
        after.addprevious(compat)
    else:
        settings.append(compat)


_AFTER_COMPAT = frozenset(
    qn(f"w:{name}")
    for name in (
        "docVars", "rsids", "mathPr", "attachedSchema", "themeFontLang", "clrSchemeMapping",
        "doNotIncludeSubdocsInStats", "doNotAutoCompressPictures", "forceUpgrade", "captions",
        "readModeInkLockDown", "smartTagType", "schemaLibrary", "shapeDefaults",
        "doNotEmbedSmartTags", "decimalSymbol", "listSeparator",
    )
)  # fmt: skip
"""The children of ``w:settings`` that the schema puts after ``w:compat``."""


def core_properties(meta: DocumentMeta, tag: str, title: str) -> bytes:
    """Title, subject, author, language and dates (the date of issue) of the document."""
    stamp = dt.datetime.combine(meta.issued, dt.time()).strftime("%Y-%m-%dT%H:%M:%SZ")
    values = {
        "dc:title": title,
        "dc:subject": meta.subtitle or "",
        "dc:creator": meta.author,
        "cp:keywords": str(meta.symbol),
        "dc:language": tag,
        "cp:lastModifiedBy": meta.author,
    }
    return core_part(values, stamp)


def finish_parts(parts: Parts, meta: DocumentMeta, style: HouseStyle) -> Parts:
    """The finished package parts from pandoc's."""
    kind = kind_of(meta)
    text = kind.page_text(meta, style)
    tag = LANGUAGE_TAGS.get(meta.locale, meta.locale)
    styles = parse_xml(parts[STYLES_PART])
    settings = parse_xml(parts["word/settings.xml"])
    document = parse_xml(parts["word/document.xml"])
    rels = parse_xml(parts["word/_rels/document.xml.rels"])
    types = parse_xml(parts["[Content_Types].xml"])
    ids = read_styles(styles).ids

    set_section(document)
    keep_rows_together(document)
    annexes = 0
    if style.terms(meta.locale)["annex_page_numbers"] == "per-annex":
        annexes = split_annex_sections(document, ids)
    annex_headers = {ANNEX_HEADER_PART.format(n=n): annex_numeral(n) for n in range(1, annexes + 1)}
    parts_added = [*PARTS, *((name, "header") for name in annex_headers)]
    add_relationships(rels, parts_added)
    add_content_types(types, parts_added)
    set_language(styles, settings, tag)
    keep_broken_lines_unstretched(settings)

    out = dict(parts)
    out.update(
        {
            STYLES_PART: serialize_xml(styles),
            "word/settings.xml": serialize_xml(settings),
            "word/document.xml": serialize_xml(document),
            "word/_rels/document.xml.rels": serialize_xml(rels),
            "[Content_Types].xml": serialize_xml(types),
            f"word/{HEADER_PART}.xml": header_part(text, ids),
            f"word/{FIRST_HEADER_PART}.xml": empty_header_part(ids),
            f"word/{FIRST_FOOTER_PART}.xml": first_footer_part(text, ids),
            "docProps/core.xml": core_properties(meta, tag, kind.title(meta, style)),
            **{f"word/{name}.xml": header_part(text, ids, prefix) for name, prefix in annex_headers.items()},
        }
    )
    return out


def finish_docx(src: Path, dst: Path, meta: DocumentMeta, style: HouseStyle) -> None:
    """Finish pandoc's DOCX ``src`` into ``dst`` (written atomically, byte-reproducible)."""
    finish_package(read_package(src), dst, meta, style)


def finish_package(parts: Parts, dst: Path, meta: DocumentMeta, style: HouseStyle) -> None:
    """Finish the package ``parts`` (pandoc's, or spliced) into ``dst``, as :func:`finish_docx`."""
    save_package(finish_parts(parts, meta, style), dst)
