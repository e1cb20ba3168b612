"""Element builders: the XML they make, children in the schema's order, raw text for pandoc."""

from __future__ import annotations

from lxml import etree

from wcodoc.ooxml import W_NS, spacer_paragraph
from wcodoc.ooxml.elements import fld, insert_in_order, p, part, ppr, r, raw, rpr, t, w, xml_text
from wcodoc.ooxml.fields import ref_field


def names(el: etree._Element) -> list[str]:
    return [etree.QName(child).localname for child in el]


def test_a_paragraph_reads_as_the_xml_it_makes():
    made = p(ppr(w("jc", val="center"), style="Title"), r(rpr(w("b")), "A & B"), r(w("tab")))
    assert raw([made]) == (
        '<w:p><w:pPr><w:pStyle w:val="Title"/><w:jc w:val="center"/></w:pPr>'
        '<w:r><w:rPr><w:b/></w:rPr><w:t xml:space="preserve">A &amp; B</w:t></w:r><w:r><w:tab/></w:r></w:p>'
    )


def test_properties_come_out_in_schema_order_whatever_order_they_are_given_in():
    made = ppr(w("jc", val="left"), w("ind", left=567), w("numPr"), w("keepNext"), style="Body")
    assert names(made) == ["pStyle", "keepNext", "numPr", "ind", "jc"]
    assert names(rpr(w("u", val="single"), w("color", val="C00000"), w("b"))) == ["b", "color", "u"]
    assert names(p(r("x"), ppr(), r("y"))) == ["pPr", "r", "r"]  # content keeps its order
    assert names(w("sectPr", w("titlePg"), w("pgSz"), w("footerReference"), w("headerReference"))) == [
        "footerReference",
        "headerReference",
        "pgSz",
        "titlePg",
    ]


def test_one_child_inserted_at_its_place():
    existing = ppr(w("keepNext"), w("ind", left=0), w("jc", val="both"), style="S")
    insert_in_order(existing, w("numPr"))
    insert_in_order(existing, w("sectPr"))
    assert names(existing) == ["pStyle", "keepNext", "numPr", "ind", "jc", "sectPr"]
    run = r("text")
    insert_in_order(run, rpr())
    assert names(run) == ["rPr", "t"]


def test_children_the_order_does_not_know_stay_where_they_are():
    """An extension element neither holds a known child back nor pushes it forward."""
    existing = ppr(w("spacing"), w("jc"))
    existing.insert(1, etree.Element("{urn:x}extension"))
    insert_in_order(existing, w("ind"))
    assert names(existing) == ["spacing", "extension", "ind", "jc"]


def test_raw_text_has_no_namespace_declaration_and_text_is_escaped():
    runs = fld("REF a_b \\h", "<7>")
    assert raw(runs) == (
        '<w:r><w:fldChar w:fldCharType="begin"/></w:r>'
        '<w:r><w:instrText xml:space="preserve"> REF a_b \\h </w:instrText></w:r>'
        '<w:r><w:fldChar w:fldCharType="separate"/></w:r>'
        '<w:r><w:t xml:space="preserve">&lt;7&gt;</w:t></w:r>'
        '<w:r><w:fldChar w:fldCharType="end"/></w:r>'
    )
    assert ref_field("par_x", "7", number=False) == raw(fld("REF par_x \\h", "7"))


def test_a_part_declares_both_namespaces_and_text_may_keep_its_spaces_or_not():
    header = part("hdr", p(r(t("x", preserve=False))))
    assert header.nsmap == {
        "w": W_NS,
        "r": "http://schemas.openxmlformats.org/officeDocument/2006/relationships",
    }
    assert etree.tostring(header).count(b"xmlns:w=") == 1
    assert header.find(f".//{{{W_NS}}}t").attrib == {}


def test_an_element_inserted_leaves_the_whitespace_of_a_pretty_printed_part_where_it_was():
    sect = etree.fromstring(f'<w:sectPr xmlns:w="{W_NS}">\n <w:pgMar/>\n <w:titlePg/>\n</w:sectPr>')
    insert_in_order(sect, w("pgNumType", start=1))
    insert_in_order(sect, w("docGrid"))
    assert raw([sect]) == (
        '<w:sectPr>\n <w:pgMar/>\n <w:pgNumType w:start="1"/><w:titlePg/>\n<w:docGrid/></w:sectPr>'
    )


def test_the_spacer_written_out_is_what_the_builders_make():
    made = p(ppr(w("spacing", before=0, after=0, line=120, lineRule="exact"), w("rPr", w("sz", val=12))))
    assert spacer_paragraph(6) == raw([made])


def test_text_xml_cannot_hold_is_shown_not_refused():
    run = r("a\x01b\x1fc\udce9d\tz")
    assert run[0].text == "a\u2401b\u241fc\ufffdd\tz"
    assert xml_text("plain: tab\t, line\n") == "plain: tab\t, line\n"
