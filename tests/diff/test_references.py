"""Cross-references of the redline find their bookmarks on both sides, and show one value.

A ``REF`` field shows the number of the paragraph its bookmark starts in; LibreOffice
recomputes it after *Reject All*, and prints "Error: Reference source not found" for a
bookmark lost on that side. The self-check must notice each way of losing one.
"""

from __future__ import annotations

import importlib
import zipfile

import pytest
from lxml import etree

from tests.diff.samples import move_paragraph, sample_copy
from wcodoc.build import build_project
from wcodoc.diff import compare_files, redline
from wcodoc.diff.redline import build_redline
from wcodoc.errors import WcodocError
from wcodoc.ooxml.revisions import accept_all, reject_all

REDLINE = importlib.import_module("wcodoc.diff.redline")  # the package, not diff's redline()
W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
NS = {"w": W}


def _w(tag: str) -> str:
    return f"{{{W}}}{tag}"


@pytest.fixture(scope="module")
def moved_label(tmp_path_factory):
    """The sample, and a copy where paragraph 6 (``par:objective``, cited by paragraph 12)
    moved to the last chapter: its number changes, and so does the reference to it."""
    folder = tmp_path_factory.mktemp("moved-label")
    old = build_project(sample_copy(folder / "old"), folder / "old-build", ("docx",)).outputs["docx"]
    new = sample_copy(folder / "new")
    move_paragraph(new, "[]{#par:objective}", "04-way-forward.md", "Delegates are invited")
    return old, build_project(new, folder / "new-build", ("docx",)).outputs["docx"]


def _build(old, new):
    comparison = compare_files(old, new)
    return build_redline(comparison.old, comparison.new, comparison.alignment, author="A")


def _targets(root: etree._Element) -> dict[str, list[str]]:
    """The bookmarks of each REF field (by paragraph text), and the bookmarks present."""
    fields = [" ".join(t.text.split()[:2]) for t in root.iter(_w("instrText")) if "REF" in t.text]
    names = [b.get(_w("name")) for b in root.iter(_w("bookmarkStart"))]
    return {"fields": fields, "bookmarks": names}


def test_old_place_of_a_moved_labelled_paragraph_keeps_a_bookmark_for_rejecting(moved_label):
    old, new = moved_label
    root = _build(old, new).root
    rejected, accepted = reject_all(root, from_id=1), accept_all(root)
    # Rejecting: the old reference points at the old place, under a hidden alias …
    assert "REF _Was1" in _targets(rejected)["fields"] and "_Was1" in _targets(rejected)["bookmarks"]
    moved_from = next(p for p in rejected.iter(_w("p")) if "Given the number" in "".join(p.itertext()))
    assert "_Was1" in [b.get(_w("name")) for b in moved_from.iter(_w("bookmarkStart"))]
    # … accepting: the new reference points at the new place, under its own name.
    assert (
        "REF par_objective" in _targets(accepted)["fields"]
        and "REF _Was1" not in _targets(accepted)["fields"]
    )


def test_check_refuses_a_redline_that_loses_the_old_bookmark_when_rejecting(moved_label, monkeypatch):
    monkeypatch.setattr(REDLINE, "place_old_targets", lambda old, shown, root, stamp: {})
    with pytest.raises(WcodocError, match=r"rejecting all changes .* loses the bookmark 'par_objective'"):
        _build(*moved_label)


def test_a_reference_whose_value_changed_is_two_fields_old_deleted_new_inserted(moved_label, tmp_path):
    """LibreOffice keeps a field's result as one string: with "6" deleted and "10" inserted
    inside it, *Accept All* showed "610". Each value gets a field of its own."""
    red = tmp_path / "red.docx"
    redline(compare_files(*moved_label), red)
    root = etree.fromstring(zipfile.ZipFile(red).read("word/document.xml"))
    for change in root.xpath("//w:ins | //w:del", namespaces=NS):
        inside = change.xpath(
            "count(preceding-sibling::w:r[w:fldChar/@w:fldCharType='begin'])"
            " - count(preceding-sibling::w:r[w:fldChar/@w:fldCharType='end'])",
            namespaces=NS,
        )
        assert inside == 0, "a revision inside a field's result"
    cited = root.xpath("//w:p[contains(., 'aims set out in paragraph')]", namespaces=NS)[0]
    assert cited.xpath(".//w:del//w:delInstrText/text()", namespaces=NS)[0].split()[:2] == ["REF", "_Was1"]
    assert cited.xpath(".//w:del//w:delText/text()", namespaces=NS)[-1] == "6"
    assert cited.xpath(".//w:ins//w:instrText/text()", namespaces=NS)[0].split()[:2] == [
        "REF",
        "par_objective",
    ]
    assert cited.xpath(".//w:ins//w:t/text()", namespaces=NS)[-1] == "10"


def _split_by_libreoffice(old, path):
    """A copy of ``old`` as LibreOffice saves a Member's deletion with tracking of the last
    paragraph of section II, in a draft built when a section's bookmark spanned the whole
    section (builds now keep it on the heading): the bookmark ends in the deleted text, so
    LibreOffice writes it as a start without an end and a second start and end around the
    deleted text."""
    with zipfile.ZipFile(old) as z:
        parts = {name: z.read(name) for name in z.namelist()}
    root = etree.fromstring(parts["word/document.xml"])
    start = root.xpath("//w:bookmarkStart[@w:name='sec_objective']", namespaces=NS)[0]
    end = root.xpath(f"//w:bookmarkEnd[@w:id='{start.get(_w('id'))}']", namespaces=NS)[0]
    end.getparent().remove(end)
    heading = start.getparent()
    last = heading.getnext()  # the section's last paragraph: the one before the next heading
    while last.getnext() is not None and not last.getnext().xpath(
        "w:pPr/w:pStyle[@w:val='Heading1']", namespaces=NS
    ):
        last = last.getnext()
    deletion = etree.SubElement(last, _w("del"), {_w("id"): "900", _w("author"): "Korea Customs"})
    etree.SubElement(deletion, _w("bookmarkStart"), {_w("id"): "901", _w("name"): "sec_objective"})
    for run in last.findall(_w("r")):
        for t in run.iter(_w("t")):
            t.tag = _w("delText")
        deletion.append(run)
    etree.SubElement(last, _w("bookmarkEnd"), {_w("id"): "901"})
    mark = etree.SubElement(last.find(_w("pPr")), _w("rPr"))
    etree.SubElement(mark, _w("del"), {_w("id"): "902", _w("author"): "Korea Customs"})
    parts["word/document.xml"] = etree.tostring(root)
    with zipfile.ZipFile(path, "w") as z:
        for name, data in parts.items():
            z.writestr(name, data)
    return path


def test_a_bookmark_split_by_libreoffice_is_whole_again(moved_label, tmp_path):
    old = moved_label[0]
    root = _build(old, _split_by_libreoffice(old, tmp_path / "member.docx")).root
    for side in (accept_all(root), reject_all(root, from_id=1)):
        starts = side.xpath("//w:bookmarkStart[@w:name='sec_objective']", namespaces=NS)
        assert len(starts) == 1
        assert side.xpath(f"count(//w:bookmarkEnd[@w:id='{starts[0].get(_w('id'))}'])", namespaces=NS) == 1


def test_check_refuses_a_redline_whose_bookmark_lost_its_end(moved_label, tmp_path, monkeypatch):
    monkeypatch.setattr(REDLINE, "pair_bookmarks", lambda root: None)
    old = moved_label[0]
    with pytest.raises(WcodocError, match=r"accepting all changes .* loses the bookmark 'sec_objective'"):
        _build(old, _split_by_libreoffice(old, tmp_path / "member.docx"))
