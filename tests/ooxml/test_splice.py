"""Splicing bodies that pandoc wrote separately: whatever the calls, one package, ids unique."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from lxml import etree

import wcodoc
from tests.test_build import PNG_1PX
from wcodoc.ooxml.package import write_package
from wcodoc.parse.pandoc import markdown_to_ast
from wcodoc.render.docx.parts import PartCache, splice_parts, write_parts

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
NS = {"w": W}
REFERENCE = Path(wcodoc.__file__).parent / "templates" / "reference.docx"

PARTS = [
    "# One\n\n1. first\n2. second\n\nText[^a] with ![dot]({png}).\n\n[^a]: A note, [link](https://example.org/a).\n",
    "# Two {{#sec-two}}\n\n```python\nx = 1\n```\n\n3. third\n4. fourth\n\n"
    "[]{{#mark}}Marked.[^b]\n\n[^b]: Note b.\n",
    "# Three\n\n- bullet\n\n![again]({png})\n\n"
    "A [link](https://example.org/c) and a note.[^c]\n\n[^c]: Note c.\n",
]


@pytest.fixture
def parts(tmp_path):
    png = tmp_path / "dot.png"
    png.write_bytes(PNG_1PX)
    asts = [markdown_to_ast(text.format(png=png)) for text in PARTS]
    return [ast["blocks"] for ast in asts], asts[0]["pandoc-api-version"]


def _package(parts, api, jobs):
    written = write_parts(parts, api, reference_docx=REFERENCE, epoch=0, cache=PartCache(None), jobs=jobs)
    return splice_parts(written)


def _bytes(package) -> bytes:
    buffer = io.BytesIO()
    write_package(package, buffer)
    return buffer.getvalue()


def test_one_call_or_one_call_a_part_give_the_same_package(parts):
    blocks, api = parts
    assert (
        _bytes(_package(blocks, api, 1))
        == _bytes(_package(blocks, api, 3))
        == _bytes(_package(blocks, api, 2))
    )


def test_lists_styles_notes_and_media_resolve(parts):
    blocks, api = parts
    package = _package(blocks, api, 2)
    doc = etree.fromstring(package["word/document.xml"])
    numbering = etree.fromstring(package["word/numbering.xml"])
    nums = {n.get(f"{{{W}}}numId"): n for n in numbering.findall("w:num", NS)}
    abstracts = {a.get(f"{{{W}}}abstractNumId") for a in numbering.findall("w:abstractNum", NS)}
    used = {el.get(f"{{{W}}}val") for el in doc.iter(f"{{{W}}}numId")}
    assert len(used) >= 3  # two ordered lists and a bullet list, each its own instance
    assert used <= set(nums)
    assert all(nums[n].find("w:abstractNumId", NS).get(f"{{{W}}}val") in abstracts for n in used)
    order = [etree.QName(el).localname for el in numbering if isinstance(el.tag, str)]
    assert "abstractNum" not in order[order.index("num") :]  # the schema's order
    styles = etree.fromstring(package["word/styles.xml"])
    defined = {s.get(f"{{{W}}}styleId") for s in styles.findall("w:style", NS)}
    refs = {el.get(f"{{{W}}}val") for el in doc.iter(f"{{{W}}}pStyle", f"{{{W}}}rStyle")}
    assert refs <= defined  # the highlighted code's token styles came along
    notes = etree.fromstring(package["word/footnotes.xml"])
    ids = [n.get(f"{{{W}}}id") for n in notes.findall("w:footnote", NS) if n.get(f"{{{W}}}type") is None]
    refs_ = [el.get(f"{{{W}}}id") for el in doc.iter(f"{{{W}}}footnoteReference")]
    assert refs_ == ids == ["1", "2", "3"]
    bookmarks = [el.get(f"{{{W}}}id") for el in doc.iter(f"{{{W}}}bookmarkStart")]
    assert len(bookmarks) == len(set(bookmarks)) >= 2
    rels = etree.fromstring(package["word/_rels/document.xml.rels"])
    targets = {rel.get("Id"): rel.get("Target") for rel in rels}
    images = [el.get(f"{{{R}}}embed") for el in doc.iter() if el.get(f"{{{R}}}embed")]
    assert len(images) == 2 and len(set(images)) == 2
    assert all(f"word/{targets[rid]}" in package for rid in images)
    assert not [name for name in package if name.startswith("word/media/rId")]  # pandoc's names are gone
