"""The self-check refuses a redline that Word and LibreOffice would accept or reject into
something else than the drafts: paragraphs of different styles joined, headings restyled,
cross-reference targets lost. Each case is a wrong redline the check must have caught."""

from __future__ import annotations

import importlib
import zipfile

import pytest
from lxml import etree

from tests.diff.test_libreoffice import JOINS
from tests.support.synth import write_docx
from wcodoc.diff import compare_files, redline
from wcodoc.diff.redline import build_redline
from wcodoc.diff.redline.check import check_headings
from wcodoc.diff.redline.sections import conflicting_joins
from wcodoc.errors import WcodocError
from wcodoc.ooxml.revisions import accept_all, reject_all

REDLINE = importlib.import_module("wcodoc.diff.redline")  # the package, not diff's redline()


def _comparison(tmp_path, case):
    old_items, new_items = JOINS[case]
    return compare_files(
        write_docx(tmp_path / "old.docx", old_items), write_docx(tmp_path / "new.docx", new_items)
    )


def _build(comparison):
    return build_redline(comparison.old, comparison.new, comparison.alignment, author="A")


@pytest.mark.parametrize("case", JOINS)
def test_no_join_of_paragraphs_of_different_styles_is_left(tmp_path, case):
    result = _build(_comparison(tmp_path, case))
    assert conflicting_joins(result.root, first_id=1) == []


def test_check_refuses_a_join_of_paragraphs_of_different_styles(tmp_path, monkeypatch):
    """Without the rule that settles them, the moved paragraph (a word replaced in it) would be
    joined to the heading after it when accepting: the check says so and nothing is written."""
    monkeypatch.setattr(REDLINE, "settle_joins", lambda root, stamp: [])
    comparison = _comparison(tmp_path, "moved away with a word replaced, before a heading")
    with pytest.raises(WcodocError, match="accepting all changes of the redline joins 'Moved paragraph"):
        redline(comparison, tmp_path / "red.docx")
    assert not (tmp_path / "red.docx").exists()


# --- a heading LibreOffice restyled in a Member's copy ------------------------------------------

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
MEMBER_OLD = [
    ("heading", "Introduction"),
    ("para", "Customs administrations met to study the pilot."),
    ("para", "This paragraph is deleted by the Member with tracking on."),
    ("heading", "Updates provided"),
    ("para", "Capacity building remains a priority."),
]


def _w(tag: str) -> str:
    return f"{{{W}}}{tag}"


def restyled_copy(tmp_path):
    """The old draft and a Member's copy of it as LibreOffice saves one: the paragraph before
    heading II deleted with tracking, the heading given that paragraph's style and keeping
    only its Roman numbering (the heading list, numId 10)."""
    old = write_docx(tmp_path / "old.docx", MEMBER_OLD)
    with zipfile.ZipFile(old) as z:
        parts = {name: z.read(name) for name in z.namelist()}
    root = etree.fromstring(parts["word/document.xml"])
    paragraphs = list(root.iter(_w("p")))
    deleted, heading = paragraphs[2], paragraphs[3]
    deletion = etree.SubElement(deleted, _w("del"), {_w("id"): "90", _w("author"): "Korea Customs"})
    for run in deleted.findall(_w("r")):
        for t in run.iter(_w("t")):
            t.tag = _w("delText")
        deletion.append(run)
    rpr = etree.SubElement(deleted.find(_w("pPr")), _w("rPr"))
    etree.SubElement(rpr, _w("del"), {_w("id"): "91", _w("author"): "Korea Customs"})
    ppr = heading.find(_w("pPr"))
    ppr.find(_w("pStyle")).set(_w("val"), "NumberedParagraph")
    num_pr = etree.SubElement(ppr, _w("numPr"))
    etree.SubElement(num_pr, _w("ilvl"), {_w("val"): "0"})
    etree.SubElement(num_pr, _w("numId"), {_w("val"): "10"})
    parts["word/document.xml"] = etree.tostring(root)
    member = tmp_path / "member.docx"
    with zipfile.ZipFile(member, "w") as z:
        for name, data in parts.items():
            z.writestr(name, data)
    return old, member


def test_restyled_heading_is_a_heading_on_both_sides(tmp_path):
    old, member = restyled_copy(tmp_path)
    comparison = compare_files(old, member)
    result = _build(comparison)
    for side in (accept_all(result.root), reject_all(result.root, from_id=1)):
        heading = next(p for p in side.iter(_w("p")) if "Updates provided" in "".join(p.itertext()))
        assert heading.find(f"{_w('pPr')}/{_w('pStyle')}").get(_w("val")) == "Heading1"


def test_check_refuses_a_heading_left_restyled_when_rejecting(tmp_path, monkeypatch):
    """Without the heading's properties given back, accepting every change leaves "Updates
    provided" a numbered paragraph, as LibreOffice restyled it, and rejecting too, where the
    old draft has a Heading 1: the check says so."""
    monkeypatch.setattr(REDLINE, "restore_headings", lambda shown, reader: None)
    old, member = restyled_copy(tmp_path)
    with pytest.raises(
        WcodocError, match=r"all changes .* heading II .* style 'numbered paragraph', not a heading style"
    ):
        _build(compare_files(old, member))


def test_check_refuses_a_heading_restyled_when_rejecting(tmp_path):
    """The redline as it was before headings were given back: rejecting gives the Member's
    restyled paragraph where the old draft has a Heading 1."""
    old, member = restyled_copy(tmp_path)
    comparison = compare_files(old, member)
    result = _build(comparison)
    heading = next(p for p in result.root.iter(_w("p")) if "Updates provided" in "".join(p.itertext()))
    heading.find(f"{_w('pPr')}/{_w('pStyle')}").set(_w("val"), "NumberedParagraph")
    body = reject_all(result.root, from_id=1).find(_w("body"))
    rejected = comparison.new.reader.read(body)
    with pytest.raises(WcodocError, match=r"rejecting .* heading II .* not the old draft's 'heading 1'"):
        check_headings(comparison.old, rejected, comparison.new.reader, accepting=False)
