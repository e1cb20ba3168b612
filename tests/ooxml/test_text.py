"""The text a paragraph shows, and where its characters sit, on short inline paragraphs."""

from __future__ import annotations

from lxml import etree

from tests.support.wml import xml
from wcodoc.ooxml import W_NS
from wcodoc.ooxml.text import offset_of, raw_text, walk

NS = {"w": W_NS}


def paragraph(inner: str) -> etree._Element:
    return xml(f"<w:p>{inner}</w:p>")


def test_text_leaves_out_deleted_words_and_text_boxes():
    p = paragraph(
        "<w:r><w:t>one </w:t></w:r><w:del><w:r><w:delText>gone </w:delText></w:r></w:del>"
        "<w:r><w:txbxContent><w:p><w:r><w:t>box</w:t></w:r></w:p></w:txbxContent><w:t>two</w:t><w:tab/></w:r>"
    )
    assert raw_text(p) == "one two\t"
    assert offset_of(p, p.findall(".//w:t", NS)[-1]) == 4


def test_walk_names_the_bookmark_a_cross_reference_shows():
    p = paragraph(
        '<w:r><w:t xml:space="preserve">See </w:t></w:r>'
        '<w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText> REF par_x \\h </w:instrText></w:r>'
        '<w:r><w:fldChar w:fldCharType="separate"/></w:r><w:r><w:t>7</w:t></w:r>'
        '<w:r><w:fldChar w:fldCharType="end"/></w:r>'
    )
    assert [(text, target) for _, text, target in walk(p)] == [("See ", None), ("7", "par_x")]


def test_walk_names_the_bookmark_of_a_cross_reference_that_shows_nothing():
    # LibreOffice empties a reference whose bookmark it lost: it is still a reference to it.
    p = paragraph(
        '<w:r><w:t xml:space="preserve">See </w:t></w:r>'
        '<w:r><w:fldChar w:fldCharType="begin"/></w:r>'
        "<w:r><w:instrText> REF sec_x \\n \\h </w:instrText></w:r>"
        '<w:r><w:fldChar w:fldCharType="separate"/></w:r><w:r/>'
        '<w:r><w:fldChar w:fldCharType="end"/></w:r><w:r><w:t>.</w:t></w:r>'
    )
    assert [(text, target) for _, text, target in walk(p)] == [("See ", None), ("", "sec_x"), (".", None)]
    assert raw_text(p) == "See ."


def _ref(bookmark: str, shown: str) -> str:
    return (
        '<w:r><w:fldChar w:fldCharType="begin"/></w:r>'
        f"<w:r><w:instrText> {bookmark} </w:instrText></w:r>"
        f'<w:r><w:fldChar w:fldCharType="separate"/></w:r><w:r><w:t>{shown}</w:t></w:r>'
        '<w:r><w:fldChar w:fldCharType="end"/></w:r>'
    )


def test_walk_names_the_innermost_reference_around_each_character():
    p = paragraph(
        '<w:fldSimple w:instr=" REF par_a \\h "><w:r><w:t>1</w:t></w:r>'
        + _ref("PAGE", "4")
        + _ref("REF par_b", "2")
        + '<w:fldSimple w:instr=" NUMPAGES "><w:r><w:t>9</w:t></w:r></w:fldSimple></w:fldSimple>'
        "<w:hyperlink><w:r><w:t>x</w:t></w:r><w:del><w:r><w:t>hidden</w:t></w:r></w:del></w:hyperlink>"
        '<w:r><mc:AlternateContent xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006">'
        "<mc:Choice><w:t>y</w:t></mc:Choice><mc:Fallback><w:t>y</w:t></mc:Fallback></mc:AlternateContent></w:r>"
    )
    assert [(text, target) for _, text, target in walk(p)] == [
        ("1", "par_a"),
        ("4", "par_a"),  # a field that is no reference, inside one
        ("2", "par_b"),
        ("9", "par_a"),
        ("x", None),
        ("y", None),
    ]
