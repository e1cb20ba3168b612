"""Extraction: numbers as Word shows them, cover fields, current text of tracked changes."""

from __future__ import annotations

import zipfile

import pytest

from tests.support.synth import document_xml, write_docx
from wcodoc.diff.extract import ReadMemo, read_draft
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


def _rewritten(path, part: str, old: str, new: str):
    """Rewrite ``part`` of the DOCX at ``path``, replacing ``old`` by ``new`` throughout."""
    with zipfile.ZipFile(path) as zf:
        parts = {name: zf.read(name) for name in zf.namelist()}
    text = parts[part].decode()
    assert old in text
    parts[part] = text.replace(old, new)
    return _zip(path, parts)


def test_paragraphs_alike_in_xml_are_numbered_by_their_place(tmp_path):
    # Read once per distinct XML (ReadMemo), each still takes its number, kind and typed number
    # from where it stands: under a numbered heading, after other paragraphs, in the annex.
    items = [("para", "Same words."), ("sub", "same item"), ("para", "Same words."), ("sub", "same item"),
             ("typed", "3. Typed."), ("annexheading", "Annex"), ("typed", "3. Typed.")]  # fmt: skip
    draft = read_draft(write_docx(tmp_path / "a.docx", items), memo=ReadMemo())
    got = [(b.block, b.number, b.text, b.label) for b in draft.blocks]
    assert got == [
        ("paragraph", "1", "Same words.", "paragraph 1"),
        ("sub-item", "1.a", "same item", "sub-item 1.a"),
        ("paragraph", "2", "Same words.", "paragraph 2"),
        ("sub-item", "2.a", "same item", "sub-item 2.a"),
        ("paragraph", "3", "Typed.", "paragraph 3"),
        ("annex", None, "Annex", "annex after paragraph 3"),
        ("annex", None, "3. Typed.", "annex after paragraph 3"),
    ]
    assert draft.blocks[0].same_xml(draft.blocks[2]) and draft.blocks[4].same_xml(draft.blocks[6])


def test_drafts_sharing_a_memo_read_each_paragraph_with_their_own_styles(tmp_path):
    items = [("heading", "Introduction"), ("para", "First paragraph."), ("body", "unnumbered text")]
    # The same paragraphs (the last one naming no style: it has the default one), but b's
    # paragraph style numbers nothing and its default style is a heading's.
    a, b = (write_docx(tmp_path / name, items) for name in ("a.docx", "b.docx"))
    for path in (a, b):
        _rewritten(path, "word/document.xml", '<w:pPr><w:pStyle w:val="BodyText"/></w:pPr>', "")
    _rewritten(b, "word/styles.xml", 'w:numId w:val="11"', 'w:numId w:val="0"')
    _rewritten(b, "word/styles.xml", '<w:name w:val="Normal"/>', '<w:name w:val="heading 3"/>')
    memo = ReadMemo()
    shared = [read_draft(path, memo=memo) for path in (a, b)]
    alone = [read_draft(path) for path in (a, b)]
    assert [(b.block, b.number, b.text) for b in shared[0].blocks] == [
        ("heading", "I", "Introduction"),
        ("paragraph", "1", "First paragraph."),
        ("other", None, "unnumbered text"),
    ]
    assert [(b.block, b.number, b.text) for b in shared[1].blocks] == [
        ("heading", "I", "Introduction"),
        ("other", None, "First paragraph."),
        ("heading", None, "unnumbered text"),
    ]
    for together, apart in zip(shared, alone, strict=True):
        assert [(b.block, b.number, b.compare) for b in together.blocks] == [
            (b.block, b.number, b.compare) for b in apart.blocks
        ]
