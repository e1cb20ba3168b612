"""Page numbers afresh in each annex (``annex_page_numbers: per-annex``): ``I/1.``, ``I/2.`` ….

Word numbers pages per section, so each annex becomes a section of its own: the paragraph
before each ``Annex Heading`` ends the previous section (a ``w:sectPr`` in its properties, as
WordprocessingML places section breaks), and the annex's section restarts page numbering
(``w:pgNumType w:start="1"``) under a header of its own that prints the annex's numeral
before the page number. The first section (cover and body) keeps the document's header and
first-page footer.
"""

from __future__ import annotations

import copy
from collections.abc import Mapping

from lxml import etree

from wcodoc.numerals import roman
from wcodoc.ooxml import elements as E
from wcodoc.ooxml import properties, qn, required
from wcodoc.styles import ANNEX_HEADING

ANNEX_HEADER_PART = "wcodocAnnex{n}"
"""Name of annex ``n``'s header part and relationship id (``rIdwcodocAnnex1``)."""


def annex_headings(body: etree._Element, ids: Mapping[str, str]) -> list[etree._Element]:
    """The ``Annex Heading`` paragraphs of ``body``, in order."""
    style = ANNEX_HEADING.id_in(ids)
    return [
        p
        for p in body.findall(qn("w:p"))
        if (s := p.find(f"{qn('w:pPr')}/{qn('w:pStyle')}")) is not None and s.get(qn("w:val")) == style
    ]


def split_annex_sections(document: etree._Element, ids: Mapping[str, str]) -> int:
    """Give every annex a section numbering its pages from 1; return the number of annexes."""
    body = required(document, "w:body")
    final = required(body, "w:sectPr")
    headings = annex_headings(body, ids)
    sections = [copy.deepcopy(final), *(annex_section(final, n) for n in range(1, len(headings) + 1))]
    for heading, ended in zip(headings, sections, strict=False):
        _properties(_section_end(heading)).append(ended)
    if headings:
        body.replace(final, sections[-1])
    return len(headings)


def annex_section(main: etree._Element, number: int) -> etree._Element:
    """Section properties of annex ``number``: the page set-up of ``main``, its own header."""
    sect = copy.deepcopy(main)
    for tag in ("w:headerReference", "w:footerReference", "w:titlePg", "w:pgNumType"):
        for el in sect.findall(qn(tag)):
            sect.remove(el)
    header = "rId" + ANNEX_HEADER_PART.format(n=number)
    E.insert_in_order(sect, E.reference("headerReference", "default", header))
    E.insert_in_order(sect, E.w("pgNumType", start=1))
    return sect


def _section_end(heading: etree._Element) -> etree._Element:
    """The paragraph that ends the section before ``heading`` (an empty one after a table)."""
    previous = heading.getprevious()
    if previous is not None and previous.tag == qn("w:p") and previous.find(f".//{qn('w:sectPr')}") is None:
        return previous
    spacer = E.p()
    heading.addprevious(spacer)
    return spacer


def _properties(p: etree._Element) -> etree._Element:
    ppr = properties(p, qn("w:pPr"))
    return ppr


def annex_numeral(number: int) -> str:
    """What precedes the page number in annex ``number``'s header: ``I/``."""
    return f"{roman(number)}/"
