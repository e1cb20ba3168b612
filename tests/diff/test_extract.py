"""Extraction: numbers as Word shows them, cover fields, current text of tracked changes."""

from __future__ import annotations

import zipfile

import pytest

from tests.support.synth import document_xml, write_docx
from wcodoc.diff.extract import read_draft
from wcodoc.errors import WcodocError
from wcodoc.ooxml import W_NS

ITEMS = [
    ("cover:reference", "PC0685Ea"),
    ("cover:issued", "Brussels, 7 March 2022."),
    ("heading", "Introduction"),
    ("para", "First paragraph."),
    ("sub", "first item"),
    ("sub", "second item"),
    ("heading", "Objective"),
    ("para", "Second paragraph continues the count."),
    ("sub", "restarted item"),
    ("bullet", "a bullet"),
    ("body", "unnumbered text"),
    ("typed", "7. A typed number is stripped"),
    ("table", "a | b / c | d"),
]


def test_numbers_cover_and_kinds(tmp_path):
    draft = read_draft(write_docx(tmp_path / "a.docx", ITEMS))
    got = [(b.block, b.number, b.field, b.text) for b in draft.blocks]
    assert got == [
        ("cover", None, "reference", "PC0685Ea"),
        ("cover", None, "issued", "Brussels, 7 March 2022."),
        ("heading", "I", None, "Introduction"),
        ("paragraph", "1", None, "First paragraph."),
        ("sub-item", "1.a", None, "first item"),
        ("sub-item", "1.b", None, "second item"),
        ("heading", "II", None, "Objective"),
        ("paragraph", "2", None, "Second paragraph continues the count."),
        ("sub-item", "2.a", None, "restarted item"),
        ("bullet", None, None, "a bullet"),
        ("other", None, None, "unnumbered text"),
        ("paragraph", "7", None, "A typed number is stripped"),
        ("table", None, None, "a | b / c | d"),
    ]
    assert draft.symbol == "PC0685Ea"
    assert draft.blocks[9].label == "bullet after sub-item 2.a"


def test_direct_numpr_and_start_override(tmp_path):
    body = (
        '<w:p><w:pPr><w:numPr><w:ilvl w:val="0"/><w:numId w:val="11"/></w:numPr></w:pPr>'
        "<w:r><w:t>direct</w:t></w:r></w:p>"
        '<w:p><w:pPr><w:pStyle w:val="NumberedParagraph"/><w:numPr><w:numId w:val="0"/></w:numPr>'
        "</w:pPr><w:r><w:t>switched off</w:t></w:r></w:p>"
        '<w:p><w:pPr><w:pStyle w:val="NumberedParagraph"/></w:pPr><w:r><w:t>styled</w:t></w:r></w:p>'
    )
    doc = f'<w:document xmlns:w="{W_NS}"><w:body>{body}</w:body></w:document>'
    draft = read_draft(write_docx(tmp_path / "a.docx", [], document=doc))
    assert [(b.block, b.number) for b in draft.blocks] == [
        ("paragraph", "1"),
        ("other", None),
        ("paragraph", "2"),
    ]


def test_text_includes_insertions_not_deletions(tmp_path):
    body = (
        '<w:p><w:pPr><w:pStyle w:val="NumberedParagraph"/></w:pPr>'
        '<w:r><w:t xml:space="preserve">kept </w:t></w:r>'
        '<w:ins w:id="1" w:author="x" w:date="2022-01-01T00:00:00Z"><w:r><w:t>added</w:t></w:r></w:ins>'
        '<w:del w:id="2" w:author="x" w:date="2022-01-01T00:00:00Z"><w:r><w:delText>gone</w:delText>'
        "</w:r></w:del></w:p>"
    )
    doc = f'<w:document xmlns:w="{W_NS}"><w:body>{body}</w:body></w:document>'
    draft = read_draft(write_docx(tmp_path / "a.docx", [], document=doc))
    assert [b.text for b in draft.blocks] == ["kept added"]


def _zip(path, parts: dict[str, bytes | str]):
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in parts.items():
            zf.writestr(name, data)
    return path


@pytest.mark.parametrize(
    ("name", "make", "message"),
    [
        ("plain.docx", lambda p: p.write_text("hello"), "not a zip archive"),
        ("empty.docx", lambda p: _zip(p, {"a.txt": "x"}), "no word/document.xml"),
        (
            "dtd.docx",
            lambda p: _zip(
                p,
                {
                    "word/document.xml": '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a '
                    '"b">]><w:document xmlns:w="' + W_NS + '">&a;</w:document>'
                },
            ),
            "DTD or entity",
        ),
        (
            "bomb.docx",
            lambda p: _zip(p, {"word/document.xml": b"<a>" + b" " * 150_000_000 + b"</a>"}),
            "zip bomb",
        ),
        (
            "broken.docx",
            lambda p: _zip(p, {"word/document.xml": "<w:document><w:body>"}),
            "not well-formed",
        ),
    ],
)
def test_hostile_or_broken_packages_are_refused(tmp_path, name, make, message):
    path = tmp_path / name
    make(path)
    with pytest.raises(WcodocError, match=message) as info:
        read_draft(path)
    assert str(path) in str(info.value)


def test_document_xml_helper_is_parseable(tmp_path):
    assert "<w:body>" in document_xml([("para", "x")])
