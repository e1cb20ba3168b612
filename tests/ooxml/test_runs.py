"""Runs split at character offsets and tracked changes over ranges, on short inline paragraphs."""

from __future__ import annotations

from lxml import etree

from tests.support.wml import xml
from wcodoc.ooxml import W_NS
from wcodoc.ooxml.revisions import Stamp, accept_all, reject_all
from wcodoc.ooxml.runs import deleted_runs, insert_deleted, mark_inserted_range, split_at
from wcodoc.ooxml.text import raw_text

NS = {"w": W_NS}


def paragraph(inner: str) -> etree._Element:
    return xml(f"<w:p>{inner}</w:p>")


def stamp() -> Stamp:
    return Stamp("A", "2024-01-01T00:00:00Z", 100)


def texts(p: etree._Element, path: str) -> list[str]:
    return [t.text or "" for t in p.iterfind(path, NS)]


def test_split_at_cuts_a_run_in_two_keeping_its_formatting():
    p = paragraph("<w:r><w:rPr><w:b/></w:rPr><w:t>Hello</w:t></w:r>")
    second = split_at(p, 3)
    assert texts(p, "w:r/w:t") == ["Hel", "lo"]
    assert len(p.findall("w:r/w:rPr/w:b", NS)) == 2
    assert second is p.findall("w:r", NS)[1]
    assert split_at(p, 5) is None  # the end: no run starts there


def test_a_range_marked_inserted_is_gone_when_rejected():
    p = paragraph('<w:r><w:t xml:space="preserve">keep new keep</w:t></w:r>')
    mark_inserted_range(p, 5, 9, stamp())
    assert texts(p, "w:ins/w:r/w:t") == ["new "]
    assert raw_text(reject_all(p)) == "keep keep"
    assert raw_text(accept_all(p)) == "keep new keep"


def test_deleted_text_goes_outside_an_insertion_it_falls_in():
    """A deletion at an offset inside a ``w:ins`` splits it: no ``w:del`` inside ``w:ins``."""
    old = paragraph("<w:r><w:rPr><w:i/></w:rPr><w:t>old</w:t></w:r>")
    p = paragraph(
        '<w:ins w:id="1" w:author="B" w:date="2023-01-01T00:00:00Z"><w:r><w:t>abcdef</w:t></w:r></w:ins>'
    )
    insert_deleted(p, 3, deleted_runs(old, 0, 3), stamp())
    assert [etree.QName(el).localname for el in p] == ["ins", "del", "ins"]
    assert p[2].get(f"{{{W_NS}}}author") == "B"
    assert texts(p, "w:del/w:r/w:delText") == ["old"] and p.find("w:del/w:r/w:rPr/w:i", NS) is not None
    assert raw_text(accept_all(p)) == "abcdef"
