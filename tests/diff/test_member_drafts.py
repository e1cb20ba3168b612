"""Drafts Members return: their own tracked changes and comments, compared and redlined.

Policy (docs/diff.md): a draft holding tracked changes is compared with them accepted; the
redline holds wcodoc's marks only, checked both ways, and the report says so.
"""

from __future__ import annotations

import json
import re
import zipfile
from pathlib import Path

import pytest
from lxml import etree

from tests.support.synth import document_xml, write_docx
from tests.support.system_python import has_uno, run_script, text_lines
from wcodoc.cli import main
from wcodoc.diff import compare_files, redline
from wcodoc.diff.align import sides
from wcodoc.diff.report import render
from wcodoc.ooxml.revisions import accept_all, reject_all

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
NS = {"w": W}
STAMP = {f"{{{W}}}author": "Korea Customs", f"{{{W}}}date": "2022-03-10T09:00:00Z"}
OLD = [
    ("cover:reference", "PC0685Ea"),
    ("heading", "Introduction"),
    ("para", "Customs administrations met to study the pilot in some detail here."),
    ("para", "Members agreed that the platform should exchange risk information."),
    ("para", "This paragraph is deleted by the Member with tracking on."),
    ("heading", "Updates provided"),
    ("para", "Capacity building remains a priority for the secretariat."),
    ("table", "No. | Title / 1 | Shared ledger for e-commerce export clearance"),
    ("para", "The committee recommends further guidance on revenue security."),
]


def _w(tag: str) -> str:
    return f"{{{W}}}{tag}"


def _revision(tag: str, rid: int) -> etree._Element:
    el = etree.Element(_w(tag), {_w("id"): str(rid), **STAMP})
    return el


def _paragraph(body: etree._Element, text: str) -> etree._Element:
    return next(p for p in body.iter(_w("p")) if text in "".join(p.itertext()))


def _delete_paragraph(p: etree._Element, rid: int) -> None:
    """Track the deletion of ``p``: its runs in ``w:del``, its mark deleted."""
    deletion = _revision("del", rid)
    for run in p.findall(_w("r")):
        for t in run.iter(_w("t")):
            t.tag = _w("delText")
        deletion.append(run)
    p.append(deletion)
    rpr = etree.SubElement(p.find(_w("pPr")), _w("rPr"))
    rpr.append(_revision("del", rid + 1))


def _replace_words(p: etree._Element, old: str, new: str, rid: int) -> None:
    """Track replacing ``old`` by ``new`` in the single run of ``p``."""
    run = p.find(_w("r"))
    text = run.find(_w("t")).text
    before, after = text.split(old, 1)
    run.find(_w("t")).text = before
    run.find(_w("t")).set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
    deletion, insertion = _revision("del", rid), _revision("ins", rid + 1)
    etree.SubElement(etree.SubElement(deletion, _w("r")), _w("delText")).text = old
    etree.SubElement(etree.SubElement(insertion, _w("r")), _w("t")).text = new
    tail = etree.Element(_w("r"))
    t = etree.SubElement(tail, _w("t"))
    t.text = after
    t.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
    run.addnext(deletion)
    deletion.addnext(insertion)
    insertion.addnext(tail)


def _member_draft(tmp_path, edit) -> tuple:
    old = write_docx(tmp_path / "old.docx", OLD)
    root = etree.fromstring(document_xml(OLD).encode())
    edit(root.find(_w("body")))
    new = write_docx(tmp_path / "new.docx", [], document=etree.tostring(root, encoding="unicode"))
    return old, new


def _summary(comparison) -> list[tuple]:
    out = []
    for change in comparison.alignment.changes:
        old, new = sides(change)
        out.append((change.kind, change.block.block, old and old.number, new and new.number))
    return out


def _texts(root: etree._Element) -> list[str]:
    return ["".join(p.xpath(".//w:t/text()", namespaces=NS)) for p in root.iter(_w("p"))]


def test_tracked_deletion_does_not_count_and_heading_after_it_stays(tmp_path):
    def edit(body):
        _delete_paragraph(_paragraph(body, "deleted by the Member"), 100)
        _replace_words(_paragraph(body, "Capacity building"), "a priority", "the first priority", 102)

    old, new = _member_draft(tmp_path, edit)
    comparison = compare_files(old, new)
    # Paragraph 4 of the old draft is gone; "Capacity building" was 4 and is 3 once accepted.
    assert _summary(comparison) == [("deleted", "paragraph", "3", None), ("modified", "paragraph", "4", "3")]
    red = tmp_path / "red.docx"
    redline(comparison, red)  # checked both ways before it is written
    root = etree.fromstring(zipfile.ZipFile(red).read("word/document.xml"))
    assert root.xpath("count(//*[@w:author='Korea Customs'])", namespaces=NS) == 0
    assert "Capacity building remains the first priority for the secretariat." in _texts(accept_all(root))
    assert "This paragraph is deleted by the Member with tracking on." in _texts(reject_all(root))


def test_heading_restyled_by_libreoffice_after_a_deleted_paragraph_is_no_change(tmp_path):
    """LibreOffice gives the heading the deleted paragraph's style and keeps its Roman list."""

    def edit(body):
        _delete_paragraph(_paragraph(body, "deleted by the Member"), 100)
        heading = _paragraph(body, "Updates provided")
        ppr = heading.find(_w("pPr"))
        ppr.find(_w("pStyle")).set(_w("val"), "NumberedParagraph")
        num = etree.SubElement(ppr, _w("numPr"))
        etree.SubElement(num, _w("ilvl")).set(_w("val"), "0")
        etree.SubElement(num, _w("numId")).set(_w("val"), "10")

    comparison = compare_files(*_member_draft(tmp_path, edit))
    assert _summary(comparison) == [("deleted", "paragraph", "3", None)]


def test_tracked_table_cell_change_gives_a_checked_redline(tmp_path):
    def edit(body):
        cell = _paragraph(body, "Shared ledger")
        _replace_words(cell, "e-commerce export", "export", 100)

    old, new = _member_draft(tmp_path, edit)
    comparison = compare_files(old, new)
    assert _summary(comparison) == [("modified", "table", None, None)]
    assert redline(comparison, tmp_path / "red.docx") > 0


def test_report_says_the_pending_changes_were_accepted(tmp_path):
    def edit(body):
        _replace_words(_paragraph(body, "Members agreed"), "risk", "trade", 100)

    comparison = compare_files(*_member_draft(tmp_path, edit))
    text = render("text", comparison.old, comparison.new, comparison.alignment)
    assert "holds 2 tracked changes by Korea Customs: compared with them accepted" in text
    data = json.loads(render("json", comparison.old, comparison.new, comparison.alignment))
    assert data["new"]["tracked_changes"] == {"count": 2, "authors": ["Korea Customs"]}
    assert "tracked_changes" not in data["old"]


COMMENTS = (
    f'<w:comments xmlns:w="{W}"><w:comment w:id="7" w:author="Korea Customs" '
    'w:date="2022-03-10T09:00:00Z"><w:p><w:r><w:t>Korea supports</w:t></w:r></w:p>'
    "<w:p><w:r><w:t>this approach.</w:t></w:r></w:p></w:comment></w:comments>"
)


def _commented(tmp_path):
    old = write_docx(tmp_path / "old.docx", OLD)
    root = etree.fromstring(document_xml(OLD).encode())
    p = _paragraph(root, "Members agreed")
    p.find(_w("pPr")).addnext(etree.Element(_w("commentRangeStart"), {_w("id"): "7"}))
    p.append(etree.Element(_w("commentRangeEnd"), {_w("id"): "7"}))
    ref = etree.SubElement(p, _w("r"))
    etree.SubElement(ref, _w("commentReference")).set(_w("id"), "7")
    new = write_docx(tmp_path / "new.docx", [], document=etree.tostring(root, encoding="unicode"))
    with zipfile.ZipFile(new, "a") as zf:
        zf.writestr("word/comments.xml", COMMENTS)
    return old, new


@pytest.mark.parametrize("fmt", ["text", "markdown", "html", "json"])
def test_comment_only_draft_reports_the_comment(tmp_path, fmt):
    comparison = compare_files(*_commented(tmp_path))
    assert comparison.alignment.changes == [] and comparison.changed
    out = render(fmt, comparison.old, comparison.new, comparison.alignment)
    if fmt == "json":
        assert json.loads(out)["comments"] == [
            {
                "author": "Korea Customs",
                "date": "2022-03-10T09:00:00Z",
                "block": "paragraph",
                "number": "2",
                "paragraph": "paragraph 2",
                "text": "Korea supports this approach.",
            }
        ]
        return
    assert "no text changes, 1 comment" in out
    assert "comment by Korea Customs on paragraph 2" in out
    assert "Korea supports this approach." in out


def test_comment_already_in_the_old_draft_is_not_reported(tmp_path):
    _, new = _commented(tmp_path)
    comparison = compare_files(new, new)
    assert not comparison.changed
    assert "no changes" in render("text", comparison.old, comparison.new, comparison.alignment)


def test_internal_error_of_diff_exits_2(tmp_path, monkeypatch, capsys):
    old = write_docx(tmp_path / "old.docx", OLD)

    def broken(*args, **kwargs):
        raise ValueError("not enough values to unpack")

    monkeypatch.setattr("wcodoc.commands.diff.compare_files", broken)
    monkeypatch.delenv("WCODOC_DEBUG", raising=False)
    with pytest.raises(SystemExit) as exit_info:
        main(["diff", str(old), str(old)])
    assert exit_info.value.code == 2
    assert "internal error: ValueError" in capsys.readouterr().err


# --- a Member's return made in LibreOffice itself ----------------------------------------------

MEMBER_EDITS = [
    {"op": "replace", "find": "examined seven technologies", "with": "reviewed seven technologies"},
    {"op": "insert", "find": "practical point of reference", "text": " for all Members"},
    {"op": "delete", "find": "Wider deployment nonetheless remains possible. "},
    {"op": "delete_paragraph", "find": "Moreover, the WCO has chosen data-driven"},
    {
        "op": "replace",
        "find": "Shared ledger for e-commerce export clearance",
        "with": "Shared ledger for export",
    },
]


@pytest.mark.libreoffice
@pytest.mark.skipif(not has_uno(), reason="needs the system Python with uno")
def test_member_return_edited_in_libreoffice_with_tracking(tmp_path, sample_build):
    old = tmp_path / "PC0685Ea.docx"
    old.write_bytes(Path(sample_build.outputs["docx"]).read_bytes())
    edits = tmp_path / "edits.json"
    edits.write_text(json.dumps(MEMBER_EDITS), encoding="utf-8")
    member = tmp_path / "korea.docx"
    run_script("lo_edit.py", str(old), str(member), "Korea Customs", str(edits))
    assert b"Korea Customs" in zipfile.ZipFile(member).read("word/document.xml")

    comparison = compare_files(old, member)
    assert comparison.new.pending.authors == ("Korea Customs",)
    assert _summary(comparison) == [
        ("modified", "paragraph", "4", "4"),
        ("modified", "paragraph", "5", "5"),
        ("deleted", "paragraph", "8", None),  # the heading after it is no change
        ("modified", "paragraph", "11", "10"),  # 11 before, 10 once the deletion is accepted
        ("modified", "table", None, None),
    ]
    red = tmp_path / "red.docx"
    redline(comparison, red, printable=tmp_path / "print.docx")
    # LibreOffice restyled heading III (after the deleted paragraph 8) as body text; the
    # printed redline shows it as a heading.
    assert _style(_paragraph(_body(member), "Updates provided")) != "Heading1"
    assert _style(_paragraph(_body(tmp_path / "print.docx"), "Updates provided")) == "Heading1"
    for name, docx in (("red", red), ("member", member), ("old", old)):
        (tmp_path / name).mkdir()
        run_script("lo_revisions.py", str(docx), str(tmp_path / name))
    accepted = text_lines(tmp_path / "red" / "accepted.txt")
    # The Member's copy shows the cross-reference values LibreOffice cached before the
    # deletion; LibreOffice may recompute the redline's after accepting: values left aside.
    assert _values_blanked(accepted) == _values_blanked(text_lines(tmp_path / "member" / "accepted.txt"))
    assert "Moreover, the WCO has chosen" not in " ".join(accepted)
    # Rejecting gives the old draft, list numbers and cross-reference values included: the
    # bookmark of section II, which LibreOffice split around the deleted paragraph, is whole
    # again on both sides (no "Error: Reference source not found").
    rejected = (tmp_path / "red" / "rejected.txt").read_text(encoding="utf-8-sig")
    assert rejected == (tmp_path / "old" / "accepted.txt").read_text(encoding="utf-8-sig")
    assert "Section II, the 2022 edition" in " ".join(accepted)
    # Heading III keeps the old draft's style both ways (LibreOffice's own copy does not).
    for side in ("accepted", "rejected"):
        styles = (tmp_path / "red" / f"{side}-styles.txt").read_text(encoding="utf-8").splitlines()
        assert "Heading 1\tUpdates provided" in styles, side


def _values_blanked(lines: list[str]) -> list[str]:
    """``lines`` with the value of each cross-reference of the sample left out."""
    value = re.compile(r"(Section|paragraph) (?:Error: Reference source not found|[IVXLC\d]+)")
    return [value.sub(r"\1 <ref>", line) for line in lines]


def _open_package(docx: Path) -> tuple[dict[str, bytes], etree._Element]:
    """The parts of ``docx`` and its parsed ``word/document.xml``, to edit as a Member's copy."""
    with zipfile.ZipFile(docx) as zf:
        parts = {name: zf.read(name) for name in zf.namelist()}
    return parts, etree.fromstring(parts["word/document.xml"])


def _save_package(parts: dict[str, bytes], root: etree._Element, path: Path) -> Path:
    parts = {**parts, "word/document.xml": etree.tostring(root, xml_declaration=True, encoding="UTF-8")}
    with zipfile.ZipFile(path, "w") as zf:
        for name, data in parts.items():
            zf.writestr(name, data)
    return path


def test_use_case_heading_restyled_by_libreoffice_after_a_deleted_paragraph_is_no_change(
    tmp_path, sample_build
):
    """LibreOffice gives the next use case's heading the deleted paragraph's style (Annex Text);
    the use case's bookmark, which it keeps, still tells the heading."""
    old = sample_build.outputs["docx"]
    parts, root = _open_package(old)
    deleted = _paragraph(root, "motion sickness")
    heading = deleted.getnext()
    assert heading.find(f"{_w('pPr')}/{_w('pStyle')}").get(_w("val")) == "UseCaseHeading"
    _delete_paragraph(deleted, 100)
    heading.find(f"{_w('pPr')}/{_w('pStyle')}").set(_w("val"), "AnnexText")
    new = _save_package(parts, root, tmp_path / "member.docx")

    comparison = compare_files(old, new)
    assert [(kind, block) for kind, block, _, _ in _summary(comparison)] == [("deleted", "annex")]
    printable = tmp_path / "print.docx"
    redline(comparison, tmp_path / "red.docx", printable=printable)  # checked both ways first
    # The printed redline shows the heading as a heading again, unmarked.
    printed = _paragraph(_body(printable), heading_text(heading))
    assert _style(printed) == "UseCaseHeading"
    assert printed.find(f"{_w('pPr')}/{_w('pPrChange')}") is None


def heading_text(p: etree._Element) -> str:
    return "".join(t.text or "" for t in p.iter(_w("t")))[:20]


def _body(docx: Path) -> etree._Element:
    return etree.fromstring(zipfile.ZipFile(docx).read("word/document.xml"))


def _style(p: etree._Element) -> str | None:
    style = p.find(f"{_w('pPr')}/{_w('pStyle')}")
    return style.get(_w("val")) if style is not None else None


def test_section_heading_restyled_by_libreoffice_is_a_heading_again_in_the_redline(tmp_path, sample_build):
    """LibreOffice gives a section heading after a paragraph deleted with tracking that
    paragraph's style and indents and keeps only its Roman numbering: the comparison reads it
    as the heading, and the redline (printed too) gives it back its heading style."""
    old = sample_build.outputs["docx"]
    parts, root = _open_package(old)
    heading = _paragraph(root, "The objective of the update")
    deleted = heading.getprevious()
    while deleted.tag != _w("p"):  # a bookmark may sit between them
        deleted = deleted.getprevious()
    assert _style(heading) == "Heading1" and _style(deleted) == "NumberedParagraph"
    _delete_paragraph(deleted, 100)
    # As LibreOffice writes it: the deleted paragraph's style and indents, the heading list kept.
    heading_num = _heading_num_id(parts)
    ppr = heading.find(_w("pPr"))
    ppr.find(_w("pStyle")).set(_w("val"), "NumberedParagraph")
    num_pr = etree.SubElement(ppr, _w("numPr"))
    etree.SubElement(num_pr, _w("ilvl"), {_w("val"): "0"})
    etree.SubElement(num_pr, _w("numId"), {_w("val"): heading_num})
    etree.SubElement(ppr, _w("ind"), {_w("left"): "567", _w("hanging"): "567"})
    new = _save_package(parts, root, tmp_path / "member.docx")

    comparison = compare_files(old, new)
    assert [(kind, block) for kind, block, _, _ in _summary(comparison)] == [("deleted", "paragraph")]
    printable = tmp_path / "print.docx"
    redline(comparison, tmp_path / "red.docx", printable=printable)
    # The redline gives it back its heading's properties: accepting and rejecting both give
    # a heading (rejecting: the old draft's, which it was) …
    red = _paragraph(_body(tmp_path / "red.docx"), "The objective of the update")
    assert _style(red) == "Heading1" and red.find(f"{_w('pPr')}/{_w('numPr')}") is None
    # … the printed copy shows a heading: its style, its number as text, no indent of a paragraph.
    printed = _paragraph(_body(printable), "The objective of the update")
    assert _style(printed) == "Heading1"
    assert heading_text(printed).startswith("II.")
    untouched = _paragraph(_body(printable), "Updates provided")
    assert etree.tostring(printed.find(_w("pPr"))) == etree.tostring(untouched.find(_w("pPr")))


def _heading_num_id(parts: dict[str, bytes]) -> str:
    """The w:numId that Heading1's style numbers with."""
    styles = etree.fromstring(parts["word/styles.xml"])
    style = next(s for s in styles.iter(_w("style")) if s.get(_w("styleId")) == "Heading1")
    return style.find(f"{_w('pPr')}/{_w('numPr')}/{_w('numId')}").get(_w("val"))
