"""Redline: native moves with visible edits, formatting marks, existing changes left pending."""

from __future__ import annotations

import json

import pytest
from lxml import etree

from tests.support.synth import write_docx
from wcodoc.diff import compare_files
from wcodoc.diff.extract import read_draft
from wcodoc.diff.formatting import word_flags
from wcodoc.diff.redline import build_redline, check_redline
from wcodoc.diff.report import render_json, render_text
from wcodoc.errors import WcodocError
from wcodoc.ooxml import W_BODY
from wcodoc.ooxml.revisions import accept_all, reject_all

NS = {"w": "http://schemas.openxmlformats.org/wordprocessingml/2006/main"}
TOPICS = ["customs", "border", "data", "trade", "revenue"]
BASE = [
    ("cover:reference", "PC0685Ea"),
    ("heading", "Introduction"),
    *[
        ("para", f"Paragraph {k} on {TOPICS[k % 5]} talks about topic {k} in some **detail** here.")
        for k in range(1, 9)
    ],
]


def _redline(tmp_path, new_items, *, ignore_formatting=False):
    old = write_docx(tmp_path / "old.docx", BASE)
    new = write_docx(tmp_path / "new.docx", new_items)
    comparison = compare_files(old, new, ignore_formatting=ignore_formatting)
    result = build_redline(
        comparison.old, comparison.new, comparison.alignment, author="w", ignore_formatting=ignore_formatting
    )
    return comparison, result.root


def _reading(draft, root):
    return [(b.text, word_flags(b.element, b.typed_prefix)) for b in draft.reader.read(root.find(W_BODY))]


def _moved_and_edited():
    new = list(BASE)
    moved = new.pop(3)  # paragraph 2 → after paragraph 7, with one word replaced, one added
    edited = moved[1].replace("topic 2", "subject 2").replace("talks", "talks mostly")
    new.insert(8, (moved[0], edited))
    return new


def test_moved_paragraph_is_a_native_move_with_its_edits_visible(tmp_path):
    comparison, root = _redline(tmp_path, _moved_and_edited())
    [change] = comparison.alignment.changes
    assert (change.kind, change.old.number, change.new.number) == ("moved", "2", "7")
    x = lambda path: root.xpath(path, namespaces=NS)  # noqa: E731
    assert x("//w:moveFromRangeStart/@w:name") == x("//w:moveToRangeStart/@w:name") != []
    assert x("count(//w:pPr/w:rPr/w:moveFrom)") == x("count(//w:pPr/w:rPr/w:moveTo)") == 1
    assert x("count(//w:moveFromRangeEnd)") == x("count(//w:moveToRangeEnd)") == 1
    # Inserted words sit inside the moved text; the replaced word is deleted at the old place.
    assert [t.strip() for t in x("//w:moveTo//w:ins//w:t/text()")] == ["mostly", "subject"]
    assert x("//w:p[w:pPr/w:rPr/w:moveFrom]/w:del//w:delText/text()") == ["topic"]
    assert "Paragraph 2 on data talks" in "".join(x("//w:moveFrom//w:t/text()"))
    assert x("count(//w:moveTo//w:del)") == 0  # LibreOffice 7.4 would show it as plain text
    assert x("count(//w:ins | //w:del)") == 3  # the edits; the move itself is neither
    new, old = read_draft(tmp_path / "new.docx"), read_draft(tmp_path / "old.docx")
    assert _reading(new, accept_all(root)) == _reading(new, new.root)
    assert _reading(new, reject_all(root)) == _reading(old, old.root)


def test_moved_unchanged_paragraph_has_no_edit_marks(tmp_path):
    new = list(BASE)
    new.append(new.pop(2))
    _, root = _redline(tmp_path, new)
    assert root.xpath("count(//w:ins[not(parent::w:rPr)] | //w:del | //w:rPrChange)", namespaces=NS) == 0
    # Moved to the very end: the mark before it is the inserted one, the final mark stays.
    marked = root.xpath("//w:p[w:pPr/w:rPr/w:ins]", namespaces=NS)
    assert [p.getnext() for p in marked] == root.xpath("//w:body/w:p[last()]", namespaces=NS)
    assert root.xpath("count(//w:moveFrom/w:r) + count(//w:moveTo/w:r)", namespaces=NS) >= 2


def _bolded(items, index, word):
    items = list(items)
    kind, text = items[index]
    items[index] = (kind, text.replace(f" {word} ", f" **{word}** ", 1))
    return items


def test_word_made_bold_is_a_formatting_change(tmp_path):
    comparison, root = _redline(tmp_path, _bolded(BASE, 4, "talks"))
    [change] = comparison.alignment.changes
    assert (change.kind, change.pieces) == ("formatted", ("talks",))
    run = root.xpath("//w:r[w:rPr/w:rPrChange]", namespaces=NS)
    assert ["".join(r.xpath("w:t/text()", namespaces=NS)) for r in run] == ["talks"]
    assert run[0].xpath("w:rPr/w:b and not(w:rPr/w:rPrChange/w:rPr/*)", namespaces=NS)
    rejected = reject_all(root)
    assert not rejected.xpath("//w:r[w:t='talks']/w:rPr/w:b", namespaces=NS)
    assert accept_all(root).xpath("//w:r[w:t='talks']/w:rPr/w:b", namespaces=NS)
    assert "paragraph 3: formatting changed" in render_text(
        comparison.old, comparison.new, comparison.alignment.changes
    )
    data = json.loads(render_json(comparison.old, comparison.new, comparison.alignment.changes))
    assert data["changes"][0]["kind"] == "modified" and data["changes"][0]["formatting_only"]


def test_italic_turned_underline_keeps_old_formatting_in_the_mark(tmp_path):
    ns = NS["w"]
    para = (
        '<w:p><w:pPr><w:pStyle w:val="NumberedParagraph"/></w:pPr><w:r><w:t xml:space='
        '"preserve">Some </w:t></w:r><w:r><w:rPr>{}</w:rPr><w:t>marked</w:t></w:r><w:r><w:t '
        'xml:space="preserve"> words here.</w:t></w:r></w:p>'
    )
    for name, rpr in (("old", "<w:i/><w:lang w:val='fr-FR'/>"), ("new", "<w:u w:val='single'/>")):
        document = f'<w:document xmlns:w="{ns}"><w:body>{para.format(rpr)}</w:body></w:document>'
        write_docx(tmp_path / f"{name}.docx", [], document=document)
    comparison = compare_files(tmp_path / "old.docx", tmp_path / "new.docx")
    result = build_redline(comparison.old, comparison.new, comparison.alignment, author="w")
    old_rpr = result.root.xpath("//w:rPrChange/w:rPr", namespaces=NS)
    assert [etree.QName(c).localname for c in old_rpr[0]] == ["i", "lang"]


def test_language_alone_is_no_formatting_change(tmp_path):
    ns = NS["w"]
    para = (
        '<w:p><w:pPr><w:pStyle w:val="NumberedParagraph"/></w:pPr><w:r><w:rPr>{}</w:rPr>'
        "<w:t>Same words.</w:t></w:r></w:p>"
    )
    for name, rpr in (("old", "<w:lang w:val='fr-FR'/><w:b w:val='0'/>"), ("new", "<w:noProof/>")):
        document = f'<w:document xmlns:w="{ns}"><w:body>{para.format(rpr)}</w:body></w:document>'
        write_docx(tmp_path / f"{name}.docx", [], document=document)
    assert compare_files(tmp_path / "old.docx", tmp_path / "new.docx").alignment.changes == []


def test_ignore_formatting_drops_formatting_marks_and_reports(tmp_path, capsys):
    new = _bolded(BASE, 4, "talks")
    new[5] = (new[5][0], new[5][1].replace("topic", "**theme**"))
    comparison, root = _redline(tmp_path, new, ignore_formatting=True)
    assert [c.kind for c in comparison.alignment.changes] == ["modified"]
    assert root.xpath("count(//w:rPrChange)", namespaces=NS) == 0
    from wcodoc.cli import main

    args = [str(tmp_path / "old.docx"), str(tmp_path / "new.docx")]
    for flags, expected in (([], "1 modified, 1 formatted"), (["--ignore-formatting"], "1 modified\n")):
        with pytest.raises(SystemExit) as info:
            main(["diff", *flags, *args])
        out = capsys.readouterr().out
        assert info.value.code == 0 and expected in out


def test_check_refuses_a_redline_that_loses_a_formatting_change(tmp_path):
    comparison, root = _redline(tmp_path, _bolded(BASE, 4, "talks"))
    for change in root.xpath("//w:rPrChange", namespaces=NS):
        change.getparent().remove(change)
    with pytest.raises(WcodocError, match=r"rejecting .* formatting of"):
        check_redline(comparison.old, comparison.new, root, first_id=1)


def test_pending_changes_of_the_new_draft_are_compared_accepted(tmp_path):
    """A Member's tracked changes are accepted before comparing: the redline holds wcodoc's
    marks only, and rejecting them all gives the old draft."""
    ns = NS["w"]
    body = (
        '<w:p><w:pPr><w:pStyle w:val="NumberedParagraph"/></w:pPr><w:r><w:t xml:space="preserve">'
        'Alpha beta </w:t></w:r><w:ins w:id="5" w:author="Word" w:date="2022-01-01T00:00:00Z">'
        '<w:r><w:t>gamma</w:t></w:r></w:ins><w:del w:id="6" w:author="Word" w:date='
        '"2022-01-01T00:00:00Z"><w:r><w:delText xml:space="preserve"> omega</w:delText></w:r>'
        "</w:del></w:p>"
    )
    write_docx(
        tmp_path / "new.docx", [], document=f'<w:document xmlns:w="{ns}"><w:body>{body}</w:body></w:document>'
    )
    write_docx(tmp_path / "old.docx", [("para", "Alpha delta gamma")])
    comparison = compare_files(tmp_path / "old.docx", tmp_path / "new.docx")
    result = build_redline(comparison.old, comparison.new, comparison.alignment, author="w")
    assert (comparison.new.pending.count, comparison.new.pending.authors) == (2, ("Word",))
    rejected = reject_all(result.root)
    assert rejected.xpath("count(//*[@w:author='Word'])", namespaces=NS) == 0
    assert "".join(rejected.xpath("//w:t/text()", namespaces=NS)) == "Alpha delta gamma"
    accepted = accept_all(result.root)
    assert "".join(accepted.xpath("//w:t/text()", namespaces=NS)) == "Alpha beta gamma"


BOLD = "<w:b/>"
BOLD_BEFORE = (
    '<w:rPrChange w:id="900" w:author="x" w:date="2024-01-01T00:00:00Z"><w:rPr><w:b/></w:rPr></w:rPrChange>'
)


@pytest.mark.parametrize(("damage", "side"), [(BOLD, "accepting"), (BOLD_BEFORE, "rejecting")])
def test_check_refuses_a_word_made_bold_in_a_paragraph_the_redline_leaves_alone(tmp_path, damage, side):
    # The check skips the word-by-word comparison of paragraphs whose XML is the draft's own:
    # a paragraph changed behind its back must not pass for one of those.
    comparison, root = _redline(tmp_path, _bolded(BASE, 6, "on"))
    untouched = root.xpath("//w:p[not(.//w:rPrChange)][contains(., 'Paragraph 7 on')]", namespaces=NS)[0]
    run = untouched.xpath("w:r[1]", namespaces=NS)[0]
    run.insert(0, etree.fromstring(f'<w:rPr xmlns:w="{NS["w"]}">{damage}</w:rPr>'))
    with pytest.raises(WcodocError, match=rf"{side} .*formatting of 'Paragraph 7 on"):
        check_redline(comparison.old, comparison.new, root, first_id=1)


def test_paragraphs_alike_in_text_but_not_in_formatting_are_not_the_same_xml(tmp_path):
    old = read_draft(write_docx(tmp_path / "old.docx", BASE))
    new = read_draft(write_docx(tmp_path / "new.docx", _bolded(BASE, 4, "talks")))
    same = [a.same_xml(b) for a, b in zip(old.blocks, new.blocks, strict=True)]
    assert same == [True, True, True, True, False, True, True, True, True, True]
    assert old.blocks[4].compare == new.blocks[4].compare
