"""All raw WordprocessingML lives in this package, in helpers named after the elements.

``elements`` (builders: ``p``, ``r``, ``ppr``, ``tbl``, ``fld`` …, the schema's child order
declared once), ``fields`` (REF fields as pandoc's raw OpenXML, bookmarks), ``package``
(reading and writing the DOCX zip deterministically, relationships, content types, core
properties), ``safe`` (hardened parsing of untrusted DOCX parts), ``text`` (the text a
paragraph shows, by offset), ``runs`` (runs split at an offset, tracked changes over a range),
``revisions`` (tracked changes: ``w:ins``, ``w:del``, …, accepted and rejected), ``styles``
(the styles part: ids by name, paragraph styles and their lists), ``numbering`` (list levels
and the numbers Word counts), ``numfmt`` (the numbers of ``w:numFmt`` formats: Roman numerals,
letters), ``tables`` (row properties), ``notes``, ``comments``, ``splice`` (pandoc's packages
cut into fragments and put back together), ``relationships`` (links out of the package, and a
copy without those a reader would fetch). Other layers find and edit elements of the parts
they read by their ``qn("w:…")`` names; they make new ones only with these builders.
"""

from __future__ import annotations

import functools

from lxml import etree

from wcodoc.errors import WcodocError

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
R_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
NSMAP = {"w": W_NS, "r": R_NS}


@functools.cache
def qn(tag: str) -> str:
    """Clark notation for a prefixed name: ``qn('w:p')`` → ``{…/main}p``.

    Cached: the diff asks for the same few names hundreds of thousands of times."""
    prefix, local = tag.split(":")
    return f"{{{NSMAP[prefix]}}}{local}"


# The tags every layer looks for, named once.
W_BODY, W_P, W_R, W_T = qn("w:body"), qn("w:p"), qn("w:r"), qn("w:t")
W_PPR, W_RPR, W_SECT_PR = qn("w:pPr"), qn("w:rPr"), qn("w:sectPr")
W_TBL, W_TR, W_TC = qn("w:tbl"), qn("w:tr"), qn("w:tc")
W_INS, W_DEL, W_MOVE_FROM, W_MOVE_TO = qn("w:ins"), qn("w:del"), qn("w:moveFrom"), qn("w:moveTo")
W_ID = qn("w:id")


def tag_of(el: etree._Element) -> str:
    """The tag of ``el`` in Clark notation, always a ``str``.

    Parsed elements (and those wcodoc makes) have ``str`` tags, but lxml hands back a tag set
    by hand as it was given (``bytes``, a ``QName``).
    """
    tag = el.tag
    if isinstance(tag, str):
        return tag
    if isinstance(tag, bytes | bytearray):
        return tag.decode()
    return tag.text


def val(el: etree._Element | None, default: str | None = None) -> str | None:
    """The ``w:val`` of ``el``; ``default`` when there is no ``el`` or it has no ``w:val``."""
    return default if el is None else el.get(qn("w:val"), default)


def required(parent: etree._Element, path: str) -> etree._Element:
    """The element at ``path`` (prefixed names: ``w:body``, ``w:docDefaults/w:rPrDefault``)
    below ``parent``, for one that is there by construction (pandoc writes it, a check made
    sure of it)."""
    found = parent.find("/".join(qn(step) for step in path.split("/")))
    if found is None:
        raise WcodocError(f"internal error: no {path} in <{etree.QName(parent).localname}>")
    return found


def parent_of(el: etree._Element) -> etree._Element:
    """The parent of ``el``, an element found below another one (so it has a parent)."""
    parent = el.getparent()
    if parent is None:
        raise WcodocError(f"internal error: <{etree.QName(el).localname}> has no parent element")
    return parent


def detach(el: etree._Element) -> None:
    """Take ``el`` out of its parent; nothing to do when it has none (already taken out)."""
    if (parent := el.getparent()) is not None:
        parent.remove(el)


def properties(el: etree._Element, tag: str) -> etree._Element:
    """The properties child ``tag`` of ``el`` (``w:pPr`` of a paragraph, ``w:rPr`` of a run),
    made as its first child when it has none, where the schema puts it."""
    found = el.find(tag)
    if found is None:
        found = etree.Element(tag)
        el.insert(0, found)
    return found


def spacer_paragraph(height_pt: int = 6) -> str:
    """An empty paragraph ``height_pt`` points high, as raw OpenXML.

    Word and LibreOffice put no space below a table (only paragraphs have spacing), so the
    body's next paragraph would touch the table's last rule without one.
    """
    # Written out, not made by ooxml.elements (which builds on this module): pandoc's RawBlock
    # text, the same as elements.raw would give.
    half_points = height_pt * 2
    return (
        f'<w:p><w:pPr><w:spacing w:before="0" w:after="0" w:line="{height_pt * 20}" w:lineRule="exact"/>'
        f'<w:rPr><w:sz w:val="{half_points}"/></w:rPr></w:pPr></w:p>'
    )
