"""The one DOCX writer and the package-level parts: fixed bytes for the same parts."""

from __future__ import annotations

import zipfile

from lxml import etree

from wcodoc.ooxml.package import FIXED_TIME, core_part, read_package, save_package


def test_the_same_parts_give_the_same_bytes_in_a_fixed_order(tmp_path):
    parts = {"word/document.xml": b"<d/>", "_rels/.rels": b"<r/>", "[Content_Types].xml": b"<t/>"}
    save_package(parts, tmp_path / "a.docx")
    save_package(dict(reversed(parts.items())), tmp_path / "b.docx")
    assert (tmp_path / "a.docx").read_bytes() == (tmp_path / "b.docx").read_bytes()
    with zipfile.ZipFile(tmp_path / "a.docx") as zf:
        infos = zf.infolist()
    assert [i.filename for i in infos] == ["[Content_Types].xml", "_rels/.rels", "word/document.xml"]
    assert {i.date_time for i in infos} == {FIXED_TIME}
    assert read_package(tmp_path / "a.docx") == parts


def test_core_properties_leave_an_empty_value_an_empty_element():
    root = etree.fromstring(core_part({"dc:title": "A & B", "dc:subject": ""}, "2022-03-07T00:00:00Z"))
    ns = {"dc": "http://purl.org/dc/elements/1.1/", "dcterms": "http://purl.org/dc/terms/"}
    assert root.findtext("dc:title", namespaces=ns) == "A & B"
    assert b"<dc:subject/>" in etree.tostring(root)
    assert root.findtext("dcterms:modified", namespaces=ns) == "2022-03-07T00:00:00Z"
