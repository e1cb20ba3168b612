"""``wcodoc review collect``: every change and comment of the returned copies, keyed by the base's
paragraph numbers and by Member; bad returns named in one line."""

from __future__ import annotations

import json
import os
import zipfile
from pathlib import Path

import pytest

from tests.conftest import W
from tests.review.copies import P1, P3, P4, TITLE, brazil, korea, run_cli, texts
from tests.support.member_copy import MemberCopy
from tests.support.system_python import has_uno, run_script
from wcodoc.cli import main
from wcodoc.errors import WcodocError
from wcodoc.review.collect import collect_review


def _entries(compilation) -> list[tuple]:
    return [(e.paragraph, e.member, e.kind, e.old_text, e.new_text, e.comment) for e in compilation.entries]


def test_every_change_and_comment_keyed_by_base_paragraph_and_member(base, tmp_path):
    compilation = collect_review(base, [korea(base, tmp_path / "korea.docx")])
    assert compilation.base == "PC0685Ea"
    assert {e.file for e in compilation.entries} == {"korea.docx"}
    assert _entries(compilation) == [
        ("cover:title", "Korea Customs", "change", TITLE, "PRESENT OF CUSTOMS", None),
        ("1", "Korea Customs", "change", P1, P1.replace("some", "great"), None),
        (
            "2",
            "Korea Customs",
            "comment",
            "Members agreed that the platform should exchange risk information, see 3.",
            None,
            "Korea supports this.\nReply by WCO Secretariat: Noted.",
        ),
        ("2.b", "Korea Customs", "change", "second point on border clearance.", "", None),
        ("3", "Korea Legal Office", "change", P3, P3.replace("a priority", "the first priority"), None),
        # the untracked edit: the file's lastModifiedBy
        ("4", "Korea IT Desk", "change", P4, P4.replace("revenue", "revenue and"), None),
        ("after 4", "Korea Customs", "change", "", "A new paragraph proposed by Korea.", None),
        (
            "uc 1",
            "Korea Customs",
            "change",
            "Clearance takes minutes rather than days.",
            "Clearance takes seconds rather than days.",
            None,
        ),
    ]


def test_two_members_proposing_different_wording_are_both_listed_by_member(base, tmp_path):
    files = [korea(base, tmp_path / "korea.docx"), brazil(base, tmp_path / "brazil.docx")]
    compilation = collect_review(base, files)
    on_1 = [(e.member, e.file, e.kind, e.new_text) for e in compilation.entries if e.paragraph == "1"]
    assert on_1 == [
        ("Brazil Customs", "brazil.docx", "change", P1.replace("in some detail", "briefly")),
        ("Brazil Customs", "brazil.docx", "comment", None),
        ("Korea Customs", "korea.docx", "change", P1.replace("some", "great")),
    ]
    keys = [e.paragraph for e in compilation.entries]
    assert keys[: keys.index("2")] == ["cover:title", "1", "1", "1"]  # by paragraph, then Member


def test_untracked_edits_are_the_named_member_s_else_the_file_s(base, tmp_path):
    copy = MemberCopy(base)
    copy.untracked("Capacity building", "a priority", "a high priority")
    plain = copy.save(tmp_path / "japan.docx")
    # Nobody re-saved it (lastModifiedBy is still the base's): the file name.
    assert [e.member for e in collect_review(base, [plain]).entries] == ["japan"]
    named = collect_review(base, [plain], members={"japan.docx": "Japan Customs"})
    assert [(e.paragraph, e.member) for e in named.entries] == [("3", "Japan Customs")]


def test_member_s_tracked_and_untracked_edits_of_one_paragraph_are_one_entry(base, tmp_path):
    copy = MemberCopy(base)
    copy.untracked("Capacity building", "Capacity", "Institutional capacity")
    copy.replace("building remains", "a priority", "key", "Korea Customs")
    copy.replace("The committee recommends", "revenue security", "security", "Korea Legal Office")
    copy.saved_by("Korea Customs")
    compilation = collect_review(base, [copy.save(tmp_path / "korea.docx")])
    both = "Institutional capacity building remains key for the Secretariat."
    assert _entries(compilation) == [
        ("3", "Korea Customs", "change", P3, both, None),
        ("4", "Korea Legal Office", "change", P4, P4.replace("revenue security", "security"), None),
    ]


def test_another_author_s_change_is_measured_from_the_untracked_text(base, tmp_path):
    copy = MemberCopy(base)
    copy.untracked("Capacity building", "Capacity", "Institutional capacity")
    copy.replace("building remains", "a priority", "key", "Korea Legal Office")
    copy.saved_by("Korea Customs")
    compilation = collect_review(base, [copy.save(tmp_path / "korea.docx")])
    untracked = P3.replace("Capacity", "Institutional capacity")
    assert _entries(compilation) == [
        ("3", "Korea Customs", "change", P3, untracked, None),
        ("3", "Korea Legal Office", "change", untracked, untracked.replace("a priority", "key"), None),
    ]


def test_comment_on_a_paragraph_the_member_inserts_belongs_to_the_one_before(base, tmp_path):
    copy = MemberCopy(base)
    copy.insert_paragraph(P3, "A paragraph Korea adds.", "Korea Customs")
    copy.comment("A paragraph Korea adds.", "Korea Customs", "Why we add it.")
    compilation = collect_review(base, [copy.save(tmp_path / "korea.docx")])
    assert [(e.paragraph, e.kind) for e in compilation.entries] == [("3", "comment"), ("after 3", "change")]


def test_a_footnote_change_is_an_edit_of_its_paragraph(base, tmp_path):
    copy = MemberCopy(base)
    copy.replace(
        "Revenue Package", "Revenue Package", "Revenue Package, volume II", "Korea Customs", footnote=True
    )
    compilation = collect_review(base, [copy.save(tmp_path / "korea.docx")])
    assert _entries(compilation) == [
        (
            "4",
            "Korea Customs",
            "change",
            "Footnote 1: See the Revenue Package.",
            "Footnote 1: See the Revenue Package, volume II.",
            None,
        )
    ]


def test_a_tracked_change_without_an_author_is_the_file_s_member(base, tmp_path):
    copy = MemberCopy(base)
    copy.replace("Capacity building remains", "a priority", "key", "")
    compilation = collect_review(base, [copy.save(tmp_path / "chile.docx")], members={"chile.docx": "Chile"})
    assert [(e.paragraph, e.member) for e in compilation.entries] == [("3", "Chile")]


def test_an_unchanged_copy_gives_no_entries(base, tmp_path):
    same = tmp_path / "same.docx"
    same.write_bytes(base.read_bytes())
    assert collect_review(base, [same]).entries == []


def _ole(path: Path, *, encrypted: bool) -> Path:
    stream = "EncryptedPackage" if encrypted else "WordDocument"
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 504 + stream.encode("utf-16-le"))
    return path


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda p: p.write_text("Dear Secretariat, ...") and p, "not a DOCX file (not a zip archive)"),
        (lambda p: _ole(p, encrypted=True), "encrypted with a password"),
        (lambda p: _ole(p, encrypted=False), "a Word 97-2003 document (.doc), not a DOCX"),
        (lambda p: zipfile.ZipFile(p, "w").close() or p, "not a Word document"),
        (lambda p: p.mkdir(), "expected a .docx file, found a folder"),
        (lambda p: None, "file not found"),
    ],
    ids=["text", "encrypted", "doc", "empty-zip", "folder", "missing"],
)
def test_bad_return_is_one_line_naming_the_file(base, tmp_path, capsys, monkeypatch, make, message):
    monkeypatch.chdir(tmp_path)
    make(tmp_path / "canada.docx")
    brazil(base, tmp_path / "brazil.docx")
    with pytest.raises(SystemExit) as exit_info:
        main(["review", "collect", str(base), "brazil.docx", "canada.docx"])
    assert exit_info.value.code == 1
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1
    assert err.startswith("canada.docx: ") and message in err


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads any file")
def test_unreadable_return_names_the_file(base, tmp_path):
    bad = brazil(base, tmp_path / "brazil.docx")
    bad.chmod(0)
    try:
        with pytest.raises(WcodocError, match="cannot read file") as info:
            collect_review(base, [bad])
        assert info.value.path == bad
    finally:
        bad.chmod(0o644)


def test_copy_of_another_document_is_refused_unless_forced(base, tmp_path, capsys):
    copy = MemberCopy(base)
    copy.untracked("PC0685Ea", "PC0685Ea", "PC0701Ea")
    other = copy.save(tmp_path / "other.docx")
    with pytest.raises(SystemExit) as exit_info:
        main(["review", "collect", str(base), str(other)])
    assert exit_info.value.code == 1
    err = capsys.readouterr().err
    assert "other.docx: a copy of PC0701Ea, not of PC0685Ea" in err and "--force" in err
    main_out = run_cli(["review", "collect", str(base), str(other), "--force"], capsys)
    assert json.loads(main_out)["entries"][0]["paragraph"] == "cover:reference"


def test_member_option_needs_file_and_name(base, tmp_path, capsys):
    with pytest.raises(SystemExit) as exit_info:
        main(["review", "collect", str(base), str(brazil(base, tmp_path / "b.docx")), "--member", "Brazil"])
    assert exit_info.value.code == 2
    assert "expected FILE=NAME" in capsys.readouterr().err


def test_base_can_be_the_project_folder(base, tmp_path, capsys):
    project = base.parent.parent / "project"
    out = run_cli(["review", "collect", str(project), str(brazil(base, tmp_path / "b.docx"))], capsys)
    assert [e["paragraph"] for e in json.loads(out)["entries"]] == ["1", "1"]


LO_EDITS = [
    {"op": "replace", "find": "in some detail", "with": "in great detail"},
    {"op": "replace", "find": TITLE, "with": "THE " + TITLE},
    {"op": "insert", "find": "shared ledger", "text": " run by Customs"},
    {"op": "delete_paragraph", "find": "second point on border"},
    {"op": "replace", "find": "revenue security", "with": "revenue and security", "track": False},
]


@pytest.mark.libreoffice
@pytest.mark.skipif(not has_uno(), reason="needs the system Python with uno")
def test_return_edited_in_libreoffice_with_a_comment_thread_added(base, tmp_path):
    edits = tmp_path / "edits.json"
    edits.write_text(json.dumps(LO_EDITS), encoding="utf-8")
    saved = tmp_path / "saved.docx"
    run_script("lo_edit.py", str(base), str(saved), "Korea Customs", str(edits))
    copy = MemberCopy(saved)  # LibreOffice 7.4 cannot save comments made through UNO
    copy.comment("Members agreed", "Korea Customs", "Korea supports this.", (("Japan Customs", "So do we."),))
    returned = copy.save(tmp_path / "korea.docx")
    compilation = collect_review(base, [returned], members={"korea.docx": "Korea (untracked)"})
    assert [(e.paragraph, e.member, e.kind) for e in compilation.entries] == [
        ("cover:title", "Korea Customs", "change"),
        ("1", "Korea Customs", "change"),
        ("2", "Korea Customs", "comment"),
        ("2.b", "Korea Customs", "change"),
        ("4", "Korea (untracked)", "change"),
        ("uc 1", "Korea Customs", "change"),
    ]
    by_key = {e.paragraph: e for e in compilation.entries}
    assert by_key["cover:title"].new_text == "THE " + TITLE
    assert by_key["4"].new_text == P4.replace("revenue", "revenue and")
    assert by_key["uc 1"].new_text == "Exporters file declarations through a shared ledger run by Customs."
    assert by_key["2"].comment == "Korea supports this.\nReply by Japan Customs: So do we."
    # Without --member the untracked edit is LibreOffice's user's, who also tracked the rest.
    merged = collect_review(base, [returned])
    assert {e.member for e in merged.entries} == {"Korea Customs"}
    assert [e.paragraph for e in merged.entries] == ["cover:title", "1", "2", "2.b", "4", "uc 1"]


def _saved_twice(base: Path, tmp_path: Path, first: dict, second: dict) -> Path:
    """``base`` edited in LibreOffice by Korea and saved; the copy opened, edited and saved again."""
    once, twice = tmp_path / "once.docx", tmp_path / "korea.docx"
    for source, target, edit in ((base, once, first), (once, twice, second)):
        edits = tmp_path / "edits.json"
        edits.write_text(json.dumps([edit]), encoding="utf-8")
        run_script("lo_edit.py", str(source), str(target), "Korea Customs", str(edits))
    return twice


def _as_built_before(docx: Path, path: Path) -> Path:
    """``docx`` with each section's bookmark spanning the section, as builds wrote it before."""
    copy = MemberCopy(docx)
    heading_style = f"{{{W}}}pStyle[@{{{W}}}val='Heading1']"
    for start in copy.body.findall(f".//{{{W}}}bookmarkStart"):
        if not start.get(f"{{{W}}}name").startswith("sec_"):
            continue
        heading = start.getparent()
        end = heading.find(f"{{{W}}}bookmarkEnd[@{{{W}}}id='{start.get(f'{{{W}}}id')}']")
        last = heading
        for block in heading.itersiblings():
            if block.tag == f"{{{W}}}sectPr" or block.find(f"{{{W}}}pPr/{heading_style}") is not None:
                break
            last = block
        heading.addprevious(start)
        last.addnext(end)
    return copy.save(path)


DETAIL = {"op": "replace", "find": "in some detail", "with": "in great detail"}
SUGGESTS = {"op": "replace", "find": "recommends", "with": "suggests"}
P3_SECTIONS = "Capacity building remains a priority for the Secretariat, as Section III explains."
P4_SECTIONS = "The committee recommends further guidance, as Section III explains."


@pytest.mark.libreoffice
@pytest.mark.skipif(not has_uno(), reason="needs the system Python with uno")
def test_a_copy_saved_twice_by_libreoffice_keeps_its_section_references(sections_base, tmp_path):
    returned = _saved_twice(sections_base, tmp_path, DETAIL, SUGGESTS)
    # LibreOffice kept each section's bookmark on its heading: its references print the numerals.
    assert P3_SECTIONS in texts(returned)
    compilation = collect_review(sections_base, [returned])
    assert [(e.paragraph, e.new_text) for e in compilation.entries] == [
        ("1", P1.replace("some", "great")),
        ("4", P4_SECTIONS.replace("recommends", "suggests")),
    ]


@pytest.mark.libreoffice
@pytest.mark.skipif(not has_uno(), reason="needs the system Python with uno")
def test_a_copy_of_an_earlier_build_saved_twice_proposes_no_reference_change(sections_base, tmp_path, capsys):
    earlier = _as_built_before(sections_base, tmp_path / "earlier.docx")
    returned = _saved_twice(earlier, tmp_path, DETAIL, SUGGESTS)
    # LibreOffice moved the bookmark spanning section III to the end mark and updated the
    # references from there: they print nothing.
    assert P3_SECTIONS.replace(" III", "") in texts(returned)
    compilation = collect_review(earlier, [returned])
    assert [(e.paragraph, e.old_text, e.new_text) for e in compilation.entries] == [
        ("1", P1, P1.replace("some", "great")),
        ("4", P4_SECTIONS, P4_SECTIONS.replace("recommends", "suggests")),  # the numeral as sent
    ]
    # The diff compares references by their target too.
    diff = json.loads(run_cli(["diff", str(earlier), str(returned), "--format", "json"], capsys))
    assert [(c["kind"], c["new_number"]) for c in diff["changes"]] == [("modified", "1"), ("modified", "4")]
