"""Accepting and rejecting tracked changes on short inline XML, and the element helpers."""

from __future__ import annotations

import pytest
from lxml import etree

from wcodoc.errors import WcodocError
from wcodoc.ooxml import W_NS, detach, parent_of, qn, required, tag_of
from wcodoc.ooxml.revisions import accept_all, reject_all


def document(body: str) -> etree._Element:
    return etree.fromstring(f'<w:document xmlns:w="{W_NS}"><w:body>{body}</w:body></w:document>')


def texts(root: etree._Element) -> list[str]:
    return [t.text or "" for t in root.iter(qn("w:t"))]


ROW = "<w:tr><w:trPr>{marks}</w:trPr><w:tc><w:p><w:r><w:t>{text}</w:t></w:r></w:p></w:tc></w:tr>"


def test_rejecting_a_row_marked_inserted_twice_removes_it_once():
    marks = '<w:ins w:id="1" w:author="a" w:date="2024-01-01T00:00:00Z"/>' * 2
    root = document(
        f"<w:tbl>{ROW.format(marks=marks, text='new')}{ROW.format(marks='', text='kept')}</w:tbl>"
    )
    assert texts(reject_all(root)) == ["kept"]
    assert texts(accept_all(root)) == ["new", "kept"]


def test_detach_leaves_an_element_without_parent_alone():
    root = document("<w:p/>")
    p = required(root, "w:body/w:p")
    detach(p)
    detach(p)
    assert p.getparent() is None and len(required(root, "w:body")) == 0


def test_required_and_parent_of_say_what_is_missing():
    root = document("")
    with pytest.raises(WcodocError, match="no w:body/w:p"):
        required(root, "w:body/w:p")
    with pytest.raises(WcodocError, match="no parent"):
        parent_of(root)


def test_tag_of_is_a_string_whatever_the_tag_was_set_to():
    el = etree.Element(qn("w:p"))
    assert tag_of(el) == qn("w:p")
    el.tag = etree.QName(W_NS, "r")
    assert tag_of(el) == qn("w:r")
    el.tag = qn("w:t").encode()
    assert tag_of(el) == qn("w:t")
