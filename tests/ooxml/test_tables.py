"""Row properties: every row kept on one page, the mark spelled as every validator reads it."""

from __future__ import annotations

from tests.support.wml import xml
from wcodoc.ooxml import qn
from wcodoc.ooxml.tables import keep_rows_together


def marks(table) -> list[dict[str, str]]:
    return [dict(mark.attrib) for mark in table.iter(qn("w:cantSplit"))]


def test_every_row_gets_a_bare_mark():
    table = xml("<w:tbl><w:tr><w:tc/></w:tr><w:tr><w:trPr><w:tblHeader/></w:trPr><w:tc/></w:tr></w:tbl>")
    keep_rows_together(table)
    assert marks(table) == [{}, {}]


def test_a_mark_spelled_true_loses_the_value_openxml_audit_refuses():
    table = xml('<w:tbl><w:tr><w:trPr><w:cantSplit w:val="true"/></w:trPr><w:tc/></w:tr></w:tbl>')
    keep_rows_together(table)
    assert marks(table) == [{}]


def test_a_mark_turned_off_stays_off():
    table = xml('<w:tbl><w:tr><w:trPr><w:cantSplit w:val="false"/></w:trPr><w:tc/></w:tr></w:tbl>')
    keep_rows_together(table)
    assert marks(table) == [{qn("w:val"): "false"}]
