"""Row properties of tables (``w:trPr``): what pandoc's writer does not set.

``w:cantSplit`` keeps a row's text on one page (a row never breaks across pages);
``w:tblHeader`` repeats a row at the top of every page the table spans (pandoc sets it on
header rows already). In ``w:trPr`` the schema allows its children in any order.
"""

from __future__ import annotations

from lxml import etree

from wcodoc.ooxml import qn

TRUE_VALUES = {"true", "1", "on"}
"""The spellings of *on* in ``ST_OnOff``."""


def row_properties(tr: etree._Element) -> etree._Element:
    """The ``w:trPr`` of row ``tr``, created in its place (after ``w:tblPrEx``) when missing."""
    trpr = tr.find(qn("w:trPr"))
    if trpr is None:
        trpr = etree.Element(qn("w:trPr"))
        first = tr[0] if len(tr) else None
        if first is not None and first.tag == qn("w:tblPrEx"):
            first.addnext(trpr)
        else:
            tr.insert(0, trpr)
    return trpr


def keep_rows_together(root: etree._Element) -> None:
    """Mark every table row below ``root`` ``w:cantSplit``: no row breaks across pages.

    The mark is written bare, which means *on* to every reader; a row already marked with an
    explicit true value (LibreOffice writes ``w:val="true"``) loses the value, since
    openxml-audit refuses ``true`` although ISO 29500 and Word accept it.
    """
    for tr in root.iter(qn("w:tr")):
        trpr = row_properties(tr)
        mark = trpr.find(qn("w:cantSplit"))
        if mark is None:
            trpr.insert(0, etree.Element(qn("w:cantSplit")))
        elif mark.get(qn("w:val")) in TRUE_VALUES:
            del mark.attrib[qn("w:val")]
