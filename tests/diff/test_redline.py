"""Alignment and redline: each edit reported once, by number; accept/reject give both drafts."""

from __future__ import annotations

import zipfile

import pytest
from docx import Document
from lxml import etree

from tests.diff.sections import section_ends, with_section_breaks
from tests.support.synth import write_docx
from wcodoc.diff import compare_files, redline
from wcodoc.diff.align import Moved, sides
from wcodoc.diff.extract import read_draft
from wcodoc.diff.redline import build_redline, check_redline
from wcodoc.diff.report import render_json
from wcodoc.errors import WcodocError
from wcodoc.ooxml.package import FIXED_TIME, entry_order
from wcodoc.ooxml.revisions import accept_all, reject_all

NS = {"w": "http://schemas.openxmlformats.org/wordprocessingml/2006/main"}
WORDS_TEXT = (
    "customs blockchain pilot risk border data trade revenue security drones biometrics cloud "
    "partners members study guidance capacity innovation platform exchange ledger parcels "
    "sellers couriers marketplaces invoices origin tariffs valuation audit transit ports "
    "airports rail containers scanners sensors analytics models training outreach webinars"
)
WORDS = WORDS_TEXT.split()
BASE = [
    ("cover:reference", "PC0685Ea"),
    ("cover:issued", "Brussels, 7 March 2022."),
    ("heading", "Introduction"),
    *[
        ("para", f"{' '.join(WORDS[k * 3 : k * 3 + 6])} talks about topic {k} in some **detail** here.")
        for k in range(1, 13)
    ],
]


def _compare(tmp_path, old_items, new_items):
    old = write_docx(tmp_path / "old.docx", old_items)
    new = write_docx(tmp_path / "new.docx", new_items)
    return compare_files(old, new)


def _changes(comparison):
    out = []
    for c in comparison.alignment.changes:
        old, new = sides(c)
        out.append((c.kind, c.block.block, old and old.number, new and new.number))
    return out


def test_renumbering_alone_is_no_change(tmp_path):
    typed_old = [("typed", f"{k}. Typed paragraph {k}.") for k in range(1, 5)]
    typed_new = [("typed", f"{k + 1}. Typed paragraph {k}.") for k in range(1, 5)]
    comparison = _compare(tmp_path, BASE + typed_old, BASE + typed_new)
    assert _changes(comparison) == []


def test_inserted_paragraph_reported_once_by_new_number(tmp_path):
    new = [*BASE[:8], ("para", "A brand new paragraph."), *BASE[8:]]
    comparison = _compare(tmp_path, BASE, new)
    assert _changes(comparison) == [("inserted", "paragraph", None, "6")]
    assert comparison.alignment.changes[0].new.after == "paragraph 5"


def test_modified_with_word_diff(tmp_path):
    new = list(BASE)
    new[5] = ("para", new[5][1].replace("topic", "subject"))
    comparison = _compare(tmp_path, BASE, new)
    (change,) = comparison.alignment.changes
    assert (change.kind, change.old.number, change.new.number) == ("modified", "3", "3")
    assert ("delete", "topic") in change.words and ("insert", "subject") in change.words


def test_deleted_and_moved_and_moved_edited(tmp_path):
    new = list(BASE)
    moved = new.pop(4)  # paragraph 2 → end
    edited = new.pop(8)  # paragraph 7 (old) → start, edited
    del new[3]  # paragraph 1 deleted
    new.insert(3, (edited[0], edited[1].replace("topic", "theme")))
    new.append(moved)
    comparison = _compare(tmp_path, BASE, new)
    assert sorted(_changes(comparison)) == sorted(
        [
            ("deleted", "paragraph", "1", None),
            ("moved", "paragraph", "7", "1"),
            ("moved", "paragraph", "2", "11"),
        ]
    )
    edited_change = next(
        c for c in comparison.alignment.changes if isinstance(c, Moved) and c.old.number == "7"
    )
    assert ("insert", "theme") in edited_change.words


def test_cover_change_names_its_field(tmp_path):
    new = list(BASE)
    new[1] = ("cover:issued", "Brussels, 14 March 2022.")
    comparison = _compare(tmp_path, BASE, new)
    import json

    data = json.loads(render_json(comparison.old, comparison.new, comparison.alignment.changes))
    assert data["old"] == {"symbol": "PC0685Ea"}
    assert data["changes"] == [
        {
            "kind": "modified",
            "block": "cover",
            "old_number": None,
            "new_number": None,
            "old_text": "Brussels, 7 March 2022.",
            "new_text": "Brussels, 14 March 2022.",
            "old_location": "cover (issued)",
            "new_location": "cover (issued)",
            "field": "issued",
        }
    ]


def _texts(root):
    return [
        "".join(t.text or "" for t in p.iter("{{{}}}t".format(NS["w"])))
        for p in root.iter("{{{}}}p".format(NS["w"]))
    ]


def test_redline_marks_keep_formatting_and_accept_reject(tmp_path):
    new = list(BASE)
    new[6] = ("para", new[6][1].replace("in some **detail", "in much **more detail"))
    del new[9]
    new.insert(4, ("para", "Inserted **bold** words."))
    new[1] = ("cover:issued", "Brussels, 14 March 2022.")
    comparison = _compare(tmp_path, BASE, new)
    out = tmp_path / "red.docx"
    marks = redline(comparison, out, author="Secretariat")
    with zipfile.ZipFile(out) as zf:
        root = etree.fromstring(zf.read("word/document.xml"))
    inserted = root.xpath("//w:ins/w:r/w:t/text()", namespaces=NS)
    deleted = root.xpath("//w:del/w:r/w:delText/text()", namespaces=NS)
    assert "14" in inserted and "7" in deleted
    assert root.xpath("//w:ins/w:r[w:rPr/w:b]/w:t/text()", namespaces=NS)[:2] == ["bold", "more"]
    assert root.xpath("count(//w:pPr/w:rPr/w:ins)", namespaces=NS) == 1
    assert root.xpath("count(//w:pPr/w:rPr/w:del)", namespaces=NS) == 1
    assert {a for a in root.xpath("//w:ins/@w:author | //w:del/@w:author", namespaces=NS)} == {"Secretariat"}
    ids = root.xpath("//w:ins/@w:id | //w:del/@w:id", namespaces=NS)
    assert len(ids) == len(set(ids)) == marks
    # Dated with the new draft's own date; the synthetic draft has none (test_reproducible.py).
    assert root.xpath("//w:ins/@w:date", namespaces=NS) == []
    old_root, new_root = read_draft(tmp_path / "old.docx").root, read_draft(tmp_path / "new.docx").root
    assert [t for t in _texts(accept_all(root)) if t] == [t for t in _texts(new_root) if t]
    assert [t for t in _texts(reject_all(root)) if t] == [t for t in _texts(old_root) if t]
    assert len(Document(str(out)).paragraphs) > 10  # python-docx opens it


def test_redline_package_is_written_as_a_build_is(tmp_path):
    """Fixed entry times and the stable entry order, whatever the new draft's own zip holds."""
    comparison = _compare(tmp_path, BASE, [*BASE, ("para", "extra")])
    redline(comparison, tmp_path / "red.docx", author="A")
    with zipfile.ZipFile(tmp_path / "red.docx") as zf:
        infos = zf.infolist()
    assert {i.date_time for i in infos} == {FIXED_TIME}
    assert [i.filename for i in infos] == entry_order([i.filename for i in infos])


def test_redline_keeps_bookmarks_and_accepts_pending_changes(tmp_path):
    body = (
        '<w:p><w:pPr><w:pStyle w:val="NumberedParagraph"/></w:pPr><w:bookmarkStart w:id="0" '
        'w:name="par_x"/><w:r><w:t xml:space="preserve">Alpha beta </w:t></w:r><w:bookmarkEnd '
        'w:id="0"/><w:ins w:id="5" w:author="Word" w:date="2022-01-01T00:00:00Z"><w:r><w:t>gamma'
        "</w:t></w:r></w:ins></w:p>"
    )
    ns = NS["w"]
    new_doc = f'<w:document xmlns:w="{ns}"><w:body>{body}</w:body></w:document>'
    write_docx(tmp_path / "new.docx", [], document=new_doc)
    write_docx(tmp_path / "old.docx", [("para", "Alpha delta gamma")])
    comparison = compare_files(tmp_path / "old.docx", tmp_path / "new.docx")
    result = build_redline(comparison.old, comparison.new, comparison.alignment, author="w")
    root = result.root
    assert root.xpath("//w:bookmarkStart/@w:name", namespaces=NS) == ["par_x"]
    assert root.xpath("count(//*[@w:author='Word'])", namespaces=NS) == 0  # accepted first
    assert root.xpath("//w:ins[@w:author='w']//w:t/text()", namespaces=NS) == ["beta"]


def test_check_refuses_a_wrong_redline(tmp_path):
    comparison = _compare(tmp_path, BASE, [*BASE, ("para", "extra")])
    result = build_redline(comparison.old, comparison.new, comparison.alignment, author="w")
    for ins in result.root.xpath("//w:ins", namespaces=NS):
        ins.getparent().remove(ins)
    with pytest.raises(WcodocError, match="no redline written"):
        check_redline(comparison.old, comparison.new, result.root, first_id=1)


def test_check_refuses_a_redline_that_loses_a_section_break(tmp_path):
    items = [("heading", "One"), ("para", "First text here."), ("heading", "Two"), ("para", "Second text.")]
    old = with_section_breaks(write_docx(tmp_path / "old.docx", items))
    new = with_section_breaks(write_docx(tmp_path / "new.docx", [*items, ("para", "Added at the end.")]))
    comparison = compare_files(old, new)
    result = build_redline(comparison.old, comparison.new, comparison.alignment, author="w")
    sect = result.root.xpath("//w:p/w:pPr/w:sectPr", namespaces=NS)[0]
    sect.getparent().remove(sect)
    with pytest.raises(WcodocError, match="section breaks expected"):
        check_redline(comparison.old, comparison.new, result.root, first_id=1)


def test_table_row_inserted_and_cell_edited(tmp_path):
    old = [*BASE, ("table", "a | b / c | d")]
    new = [*BASE, ("table", "a | b / x | y / c | e")]
    comparison = _compare(tmp_path, old, new)
    assert _changes(comparison) == [("modified", "table", None, None)]
    result = build_redline(comparison.old, comparison.new, comparison.alignment, author="w")
    assert result.root.xpath("count(//w:trPr/w:ins)", namespaces=NS) == 1


def _ref_paragraph(number: str) -> str:
    from wcodoc.ooxml.fields import ref_field

    return (
        '<w:p><w:pPr><w:pStyle w:val="NumberedParagraph"/></w:pPr><w:r><w:t xml:space='
        f'"preserve">As set out in paragraph </w:t></w:r>{ref_field("par_goal", number)}</w:p>'
    )


def test_cross_reference_renumbered_is_no_change(tmp_path):
    ns = NS["w"]
    para = '<w:p><w:pPr><w:pStyle w:val="NumberedParagraph"/></w:pPr><w:r><w:t>{}</w:t></w:r></w:p>'
    old_body = para.format("The goal paragraph.") + _ref_paragraph("1")
    new_body = (
        para.format("An inserted paragraph.") + para.format("The goal paragraph.") + _ref_paragraph("2")
    )
    for name, body in (("old", old_body), ("new", new_body)):
        doc = f'<w:document xmlns:w="{ns}"><w:body>{body}</w:body></w:document>'
        write_docx(tmp_path / f"{name}.docx", [], document=doc)
    comparison = compare_files(tmp_path / "old.docx", tmp_path / "new.docx")
    assert _changes(comparison) == [("inserted", "paragraph", None, "1")]
    assert comparison.new.blocks[-1].text == "As set out in paragraph 2"
    build_redline(comparison.old, comparison.new, comparison.alignment, author="w")


def test_renumbered_cross_reference_shows_its_old_value_when_rejected(tmp_path):
    ns = NS["w"]
    para = '<w:p><w:pPr><w:pStyle w:val="NumberedParagraph"/></w:pPr><w:r><w:t>{}</w:t></w:r></w:p>'
    old_body = para.format("The goal paragraph.") + _ref_paragraph("1")
    new_body = (
        para.format("An inserted paragraph.") + para.format("The goal paragraph.") + _ref_paragraph("2")
    )
    for name, body in (("old", old_body), ("new", new_body)):
        doc = f'<w:document xmlns:w="{ns}"><w:body>{body}</w:body></w:document>'
        write_docx(tmp_path / f"{name}.docx", [], document=doc)
    comparison = compare_files(tmp_path / "old.docx", tmp_path / "new.docx")
    result = build_redline(comparison.old, comparison.new, comparison.alignment, author="w")

    def last_text(root):
        return "".join(list(root.iter(f"{{{ns}}}p"))[-1].xpath(".//w:t/text()", namespaces=NS))

    assert last_text(accept_all(result.root)) == "As set out in paragraph 2"
    assert last_text(reject_all(result.root)) == "As set out in paragraph 1"


def _redline_root(tmp_path, old, new):
    out = tmp_path / "red.docx"
    redline(compare_files(old, new), out)
    with zipfile.ZipFile(out) as zf:
        return etree.fromstring(zf.read("word/document.xml"))


def _style_and_text(p):
    style = p.xpath("w:pPr/w:pStyle/@w:val", namespaces=NS)
    return (style[0] if style else None, "".join(p.xpath(".//w:t/text()", namespaces=NS)))


def test_paragraph_added_at_the_end_marks_the_mark_before_it(tmp_path):
    """As Word marks a paragraph typed after the last one: the mark before it is the inserted
    one, the final mark (which LibreOffice cannot take away) stays and records, in a
    ``w:pPrChange``, the style that rejecting gives back to the paragraph before."""
    closing = ("body", "Closing remarks of the secretariat, not numbered.")
    old = write_docx(tmp_path / "old.docx", BASE)
    new = write_docx(tmp_path / "new.docx", [*BASE, closing])
    root = _redline_root(tmp_path, old, new)
    [last] = root.xpath("//w:body/w:p[last()]", namespaces=NS)
    assert last.xpath("w:pPr/w:rPr/*", namespaces=NS) == []
    assert root.xpath("//w:p[w:pPr/w:rPr/w:ins]", namespaces=NS) == [last.getprevious()]
    assert last.xpath("w:pPr/w:pPrChange/w:pPr/w:pStyle/@w:val", namespaces=NS) == ["NumberedParagraph"]
    rejected = reject_all(root).xpath("//w:body/w:p[last()]", namespaces=NS)[0]
    assert _style_and_text(rejected) == ("NumberedParagraph", BASE[-1][1].replace("**", ""))
    accepted = accept_all(root).xpath("//w:body/w:p[last()]", namespaces=NS)[0]
    assert _style_and_text(accepted) == ("BodyText", closing[1])


def test_paragraph_deleted_at_a_section_end_keeps_it_in_its_section(tmp_path):
    """The section break moves to the deleted paragraph, which ended the section in the old
    draft, and the mark before it is the deleted one: rejecting gives the old sections back,
    accepting the new ones."""
    chapter = [("heading", "Chapter two"), ("para", "Zeta paragraph closes the draft.")]
    old = with_section_breaks(write_docx(tmp_path / "old.docx", [*BASE, *chapter]))
    new = with_section_breaks(write_docx(tmp_path / "new.docx", [*BASE[:-1], *chapter]))
    root = _redline_root(tmp_path, old, new)
    plain = [text.replace("**", "") for _, text in BASE]
    # Sections end before "Introduction" (after the cover) and before "Chapter two".
    assert section_ends(root)[1:] == [plain[-1]]
    assert section_ends(accept_all(root))[1:] == [plain[-2]]
    assert section_ends(reject_all(root))[1:] == [plain[-1]]
