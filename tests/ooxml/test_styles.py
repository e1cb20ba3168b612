"""Style ids by name, matched without regard to case as Word matches them."""

from __future__ import annotations

from lxml import etree

from tests.support.wml import xml
from wcodoc.ooxml import W_NS
from wcodoc.ooxml.styles import named_style, read_styles

STYLES_XML = (
    f'<w:styles xmlns:w="{W_NS}">'
    '<w:style w:type="paragraph" w:styleId="Heading1"><w:name w:val="heading 1"/></w:style>'
    '<w:style w:type="paragraph" w:styleId="FooterNotice"><w:name w:val="Footer Notice"/></w:style>'
    '<w:style w:type="paragraph" w:styleId="Nameless"/>'
    "</w:styles>"
)


def test_style_names_match_without_regard_to_case():
    ids = read_styles(etree.fromstring(STYLES_XML)).ids
    assert ids["Heading 1"] == ids["HEADING 1"] == "Heading1"
    assert ids.get("footer notice") == "FooterNotice"
    assert "Nameless" not in ids and len(ids) == 2


def test_no_styles_part_means_no_ids():
    assert dict(read_styles(None).ids) == {}


def test_a_paragraph_names_its_style_or_has_the_default_one():
    styles = read_styles(
        etree.fromstring(STYLES_XML.replace('w:styleId="Nameless"', 'w:styleId="Nameless" w:default="1"'))
    )
    named = xml('<w:p><w:pPr><w:pStyle w:val="Heading1"/></w:pPr></w:p>')
    unnamed, valueless = xml("<w:p><w:pPr/></w:p>"), xml("<w:p><w:pPr><w:pStyle/></w:pPr></w:p>")
    assert [named_style(p) for p in (named, unnamed, valueless)] == ["Heading1", None, ""]
    assert [styles.style_id(p) for p in (named, unnamed, valueless)] == ["Heading1", "Nameless", None]
    assert [styles.name_of(p) for p in (named, unnamed, valueless)] == ["heading 1", "nameless", ""]
