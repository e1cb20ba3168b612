"""``wcodoc review collect``: Members' returned copies compiled by the base's paragraph numbers.

The base is a project built by wcodoc; returned copies are made from it with tracked changes
by named authors, comments with replies and untracked edits (``tests/support/member_copy.py``),
and once in LibreOffice itself (``tests/support/lo_edit.py``).
"""

from __future__ import annotations

import csv
import io
import json
import os
import zipfile
from pathlib import Path

import pytest
from lxml import etree

from tests.conftest import MINIMAL_YAML, write_project
from tests.support.member_copy import MemberCopy
from tests.support.system_python import has_uno, run_script
from wcodoc.build import build_project
from wcodoc.cli import main
from wcodoc.errors import WcodocError
from wcodoc.render.html5.page import STYLESHEET
from wcodoc.review.collect import collect_review

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
NS = {"w": W}
CHAPTER = """\
# Introduction

Customs administrations met to study the pilot in some detail.

Members agreed that the platform should *exchange* risk information, see @par:later.

a. first point on data quality;
b. second point on border clearance.

# Updates

[]{#par:later}Capacity building remains a priority for the Secretariat.

- a bullet about guidance
- another bullet about innovation

The committee recommends further guidance on revenue security.^[See the Revenue Package.]
"""
USE_CASE = """\
---
id: kr-export
title: Blockchain platform for e-commerce export clearance
member: Korea
region: asia-pacific
technologies: [blockchain]
status: pilot
year: 2021
---
## Background

Exporters file declarations through a shared ledger.

## Solution

A shared platform.

## Benefits

Clearance takes minutes rather than days.

## Challenges and lessons learnt

None so far.
"""
TITLE = "FUTURE OF CUSTOMS"
P1 = "Customs administrations met to study the pilot in some detail."
P3 = "Capacity building remains a priority for the Secretariat."
P4 = "The committee recommends further guidance on revenue security."


@pytest.fixture(scope="module")
def base(tmp_path_factory) -> Path:
    """PC0685Ea built from a small project (cover, sections, sub-items, bullets, a use case)."""
    root = tmp_path_factory.mktemp("review")
    project = write_project(
        root / "project",
        {
            "document.yaml": MINIMAL_YAML,
            "chapters/01-intro.md": CHAPTER,
            "annexes/use-cases/01-kr.md": USE_CASE,
        },
    )
    result = build_project(project, root / "out", formats=("docx",))
    return Path(result.outputs["docx"])


def korea(base: Path, path: Path) -> Path:
    """Korea's return: tracked changes by two authors, an untracked edit, a comment thread."""
    copy = MemberCopy(base)
    copy.replace("Customs administrations met", "in some detail", "in great detail", "Korea Customs")
    copy.replace("Capacity building remains", "a priority", "the first priority", "Korea Legal Office")
    copy.insert_paragraph("The committee recommends", "A new paragraph proposed by Korea.", "Korea Customs")
    copy.delete_paragraph("second point on border", "Korea Customs")
    copy.replace(TITLE, "FUTURE", "PRESENT", "Korea Customs")
    copy.replace("Clearance takes minutes", "minutes", "seconds", "Korea Customs")
    copy.untracked("The committee recommends", "revenue security", "revenue and security")
    copy.comment("Members agreed", "Korea Customs", "Korea supports this.", (("WCO Secretariat", "Noted."),))
    copy.saved_by("Korea IT Desk")
    return copy.save(path)


def brazil(base: Path, path: Path) -> Path:
    """Brazil's return: other wording for paragraph 1, and a comment on it."""
    copy = MemberCopy(base)
    copy.replace("Customs administrations met", "in some detail", "briefly", "Brazil Customs")
    copy.comment("Customs administrations met", "Brazil Customs", "Detail is not needed here.")
    return copy.save(path)


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


# --- bad returns ---------------------------------------------------------------------------------


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
    main_out = _run_cli(["review", "collect", str(base), str(other), "--force"], capsys)
    assert json.loads(main_out)["entries"][0]["paragraph"] == "cover:reference"


# --- the command and its formats ------------------------------------------------------------------


def _run_cli(args: list[str], capsys) -> str:
    with pytest.raises(SystemExit) as exit_info:
        main(args)
    captured = capsys.readouterr()
    assert exit_info.value.code == 0, captured.err
    return captured.out


def test_json_on_stdout_has_the_contract_s_shape(base, tmp_path, capsys):
    files = [str(korea(base, tmp_path / "korea.docx")), str(brazil(base, tmp_path / "brazil.docx"))]
    data = json.loads(
        _run_cli(["review", "collect", str(base), *files, "--member", "korea.docx=Korea"], capsys)
    )
    assert set(data) == {"base", "entries"} and data["base"] == "PC0685Ea"
    keys = ["paragraph", "member", "file", "kind", "old_text", "new_text", "comment"]
    assert all(list(entry) == keys for entry in data["entries"])
    assert {"paragraph": "4", "member": "Korea", "file": "korea.docx", "kind": "change", "old_text": P4,
            "new_text": P4.replace("revenue", "revenue and"), "comment": None} in data["entries"]  # fmt: skip


def test_csv_lists_the_entries_under_the_json_keys(base, tmp_path, capsys):
    out = _run_cli(
        ["review", "collect", str(base), str(brazil(base, tmp_path / "b.docx")), "--format", "csv"], capsys
    )
    rows = list(csv.DictReader(io.StringIO(out)))
    assert [(r["paragraph"], r["member"], r["kind"], r["comment"]) for r in rows] == [
        ("1", "Brazil Customs", "change", ""),
        ("1", "Brazil Customs", "comment", "Detail is not needed here."),
    ]


def test_html_page_shows_conflicting_proposals_side_by_side(base, tmp_path, capsys):
    files = [str(korea(base, tmp_path / "korea.docx")), str(brazil(base, tmp_path / "brazil.docx"))]
    out = tmp_path / "round.html"
    _run_cli(["review", "collect", str(base), *files, "-o", str(out)], capsys)
    page = out.read_text(encoding="utf-8")
    assert page.startswith("<!DOCTYPE html>") and "<link" not in page and "<script" not in page
    assert f"<style>{STYLESHEET}</style>" in page  # the page template the diff report uses
    assert "Comments and proposals received on document PC0685Ea" in page
    assert '<td class="par" rowspan="2">1</td>' in page
    assert "<del>in some detail</del><ins>briefly</ins>" in page
    assert "Reply by WCO Secretariat: Noted." in page


def test_docx_compilation_is_landscape_with_one_row_per_paragraph_and_member(base, tmp_path, capsys):
    files = [str(korea(base, tmp_path / "korea.docx")), str(brazil(base, tmp_path / "brazil.docx"))]
    out = tmp_path / "round.docx"
    _run_cli(["review", "collect", str(base), *files, "-o", str(out)], capsys)
    root = etree.fromstring(zipfile.ZipFile(out).read("word/document.xml"))
    size = root.find(".//w:sectPr/w:pgSz", NS)
    assert size.get(f"{{{W}}}orient") == "landscape" and int(size.get(f"{{{W}}}w")) > int(
        size.get(f"{{{W}}}h")
    )
    first = "".join(root.find(".//w:body/w:p", NS).itertext())
    assert first == "Comments and proposals received on document PC0685Ea"
    rows = root.findall(".//w:tbl/w:tr", NS)
    cells = [["".join(tc.itertext()) for tc in tr.findall("w:tc", NS)] for tr in rows]
    assert cells[0] == ["Paragraph", "Member", "Proposed text", "Comment"]
    assert [(c[0], c[1]) for c in cells[1:5]] == [
        ("cover (title)", "Korea Customskorea.docx"),
        ("1", "Brazil Customsbrazil.docx"),
        ("", "Korea Customskorea.docx"),  # the paragraph cell spans both proposals
        ("2", "Korea Customskorea.docx"),
    ]
    assert cells[2][3] == "Detail is not needed here."
    struck = root.xpath(".//w:r[w:rPr/w:strike]/w:t/text()", namespaces=NS)
    underlined = root.xpath(".//w:r[w:rPr/w:u]/w:t/text()", namespaces=NS)
    assert "in some detail" in struck and "briefly" in underlined
    assert "A new paragraph proposed by Korea." in underlined


def test_docx_format_needs_an_output_file(base, tmp_path, capsys):
    with pytest.raises(SystemExit) as exit_info:
        main(["review", "collect", str(base), str(brazil(base, tmp_path / "b.docx")), "--format", "docx"])
    assert exit_info.value.code == 1
    assert "--format docx needs -o" in capsys.readouterr().err


def test_member_option_needs_file_and_name(base, tmp_path, capsys):
    with pytest.raises(SystemExit) as exit_info:
        main(["review", "collect", str(base), str(brazil(base, tmp_path / "b.docx")), "--member", "Brazil"])
    assert exit_info.value.code == 2
    assert "expected FILE=NAME" in capsys.readouterr().err


def test_base_can_be_the_project_folder(base, tmp_path, capsys):
    project = base.parent.parent / "project"
    out = _run_cli(["review", "collect", str(project), str(brazil(base, tmp_path / "b.docx"))], capsys)
    assert [e["paragraph"] for e in json.loads(out)["entries"]] == ["1", "1"]


# --- a return made in LibreOffice ------------------------------------------------------------------

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


# --- review apply ----------------------------------------------------------------------------------


@pytest.fixture
def project(base, tmp_path) -> Path:
    """A copy of the base's project, for apply to edit."""
    import shutil

    return Path(shutil.copytree(base.parent.parent / "project", tmp_path / "project"))


def _texts(docx: Path) -> list[str]:
    from wcodoc.diff.extract import read_draft

    return [b.text for b in read_draft(docx).blocks]


def test_apply_round_trips_to_the_returned_text_and_keeps_markup(
    base, project, tmp_path, capsys, monkeypatch
):
    copy = MemberCopy(base)
    copy.replace("Customs administrations met", "in some detail", "in great detail", "Korea Customs")
    copy.replace("Members agreed", "risk information", "trade information", "Korea Customs")
    copy.replace("Capacity building remains", "a priority", "the first priority", "Korea Customs")
    copy.replace("Clearance takes minutes", "minutes", "seconds", "Korea Customs")
    copy.delete_paragraph("second point on border", "Korea Customs")
    copy.insert_paragraph(
        "The committee recommends", "A new paragraph on *pilots* by Korea.", "Korea Customs"
    )
    copy.replace("Members agreed", "Members agreed", "Members decided", "Korea Legal Office")
    copy.replace("Updates", "Updates", "Updates received", "Korea Customs")
    returned = copy.save(tmp_path / "korea.docx")
    monkeypatch.chdir(tmp_path)
    out = _run_cli(["review", "apply", "project", "korea.docx", "--member", "Korea Customs"], capsys)
    assert out.splitlines() == [
        "project/chapters/01-intro.md:3: paragraph 1 (Korea Customs)",
        "project/chapters/01-intro.md:5: paragraph 2 (Korea Customs)",
        "project/chapters/01-intro.md:8: paragraph 2.b (Korea Customs)",
        "project/chapters/01-intro.md:10: paragraph II (Korea Customs)",
        "project/chapters/01-intro.md:12: paragraph 3 (Korea Customs)",
        "project/chapters/01-intro.md:19: paragraph after 4 (Korea Customs)",
        "project/annexes/use-cases/01-kr.md:20: paragraph uc 1 (Korea Customs)",
    ]
    chapter = (project / "chapters/01-intro.md").read_text(encoding="utf-8")
    assert "should *exchange* trade information, see @par:later." in chapter
    assert "[]{#par:later}Capacity building remains the first priority" in chapter
    assert "second point" not in chapter and "A new paragraph on \\*pilots\\* by Korea." in chapter
    built = build_project(project, tmp_path / "rebuilt", formats=("docx",)).outputs["docx"]
    from wcodoc.review.collect import _by, read_returned

    expected = [b.text for b in read_returned(returned).view(_by("Korea Customs"))]
    assert _texts(Path(built)) == expected


def test_apply_refuses_a_change_across_markup_and_writes_nothing_of_it(
    base, project, tmp_path, capsys, monkeypatch
):
    copy = MemberCopy(base)
    copy.replace("Members agreed", "should", "must", "Korea Customs")
    copy.replace("Members agreed", "exchange", "share", "Korea Customs")  # inside *…*: fine
    returned = copy.save(tmp_path / "korea.docx")
    chapter = project / "chapters/01-intro.md"
    before = chapter.read_text(encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    _run_cli(["review", "apply", "project", "korea.docx"], capsys)
    assert "platform must *share* risk information" in chapter.read_text(encoding="utf-8")

    chapter.write_text(before, encoding="utf-8")
    other = MemberCopy(base)
    other.replace("Members agreed", "should", "", "Korea Customs")  # "should exchange" → "exchanges"
    other.replace("Members agreed", "exchange", "exchanges", "Korea Customs")
    other.save(returned)
    with pytest.raises(SystemExit) as exit_info:
        main(["review", "apply", "project", "korea.docx"])
    assert exit_info.value.code == 1
    err = capsys.readouterr().err
    assert "project/chapters/01-intro.md:5: paragraph 2: the change straddles markup" in err
    assert chapter.read_text(encoding="utf-8") == before

    labelled = MemberCopy(base)
    labelled.delete_paragraph("Capacity building remains", "Korea Customs")
    labelled.save(returned)
    with pytest.raises(SystemExit):
        main(["review", "apply", "project", "korea.docx"])
    assert "01-intro.md:12: paragraph 3: it holds a label" in capsys.readouterr().err
    assert chapter.read_text(encoding="utf-8") == before


def test_apply_dry_run_prints_a_diff_and_writes_nothing(base, project, tmp_path, capsys, monkeypatch):
    copy = MemberCopy(base)
    copy.replace("Customs administrations met", "in some detail", "in great detail", "Korea Customs")
    copy.replace(TITLE, "FUTURE", "PRESENT", "Korea Customs")
    copy.save(tmp_path / "korea.docx")
    before = {p: p.read_bytes() for p in project.rglob("*.md")}
    monkeypatch.chdir(tmp_path)
    with pytest.raises(SystemExit) as exit_info:
        main(["review", "apply", "project", "korea.docx", "--dry-run"])
    captured = capsys.readouterr()
    assert exit_info.value.code == 0
    assert "-Customs administrations met to study the pilot in some detail." in captured.out
    assert "+Customs administrations met to study the pilot in great detail." in captured.out
    assert "-title: Future of Customs\n+title: Present of Customs\n" in captured.out
    assert "project/document.yaml:2: paragraph cover:title (Korea Customs)" in captured.err
    assert {p: p.read_bytes() for p in project.rglob("*.md")} == before
    assert (project / "document.yaml").read_text(encoding="utf-8") == MINIMAL_YAML


def test_second_copy_applied_against_the_base_sent_refuses_the_conflicting_paragraph(
    base, project, tmp_path, capsys, monkeypatch
):
    korea_copy = MemberCopy(base)
    korea_copy.replace("Customs administrations met", "in some detail", "in great detail", "Korea Customs")
    korea_copy.save(tmp_path / "korea.docx")
    brazil_copy = MemberCopy(base)
    brazil_copy.replace("Customs administrations met", "in some detail", "briefly", "Brazil Customs")
    brazil_copy.untracked("Capacity building remains", "a priority", "a high priority")
    brazil_copy.save(tmp_path / "brazil.docx")
    monkeypatch.chdir(tmp_path)
    _run_cli(["review", "apply", "project", "korea.docx"], capsys)
    with pytest.raises(SystemExit) as exit_info:
        main(["review", "apply", "project", "brazil.docx", "--base", str(base)])
    captured = capsys.readouterr()
    assert exit_info.value.code == 1
    assert captured.out.splitlines() == ["project/chapters/01-intro.md:12: paragraph 3 (brazil)"]
    assert "paragraph 1: its text in the base is not found in the sources" in captured.err
    chapter = (project / "chapters/01-intro.md").read_text(encoding="utf-8")
    assert "in great detail" in chapter and "remains a high priority" in chapter


# --- review apply: cover fields (document.yaml) ------------------------------------------------

COMMENTED_YAML = """\
# Working document; the cover is made from the keys below.
reference: PC0685Ea   # the symbol
meeting: hybrid
sessions: [235, 236]
dates: {from: 2022-04-25, to: 2022-04-29}
issued: 2022-03-07

# Printed in capitals; type it in normal case.
title: Future of Customs
subtitle: "WCO/WTO Study Report"
agenda_item: V

summary:
  # Both parts are Markdown.
  purpose: |
    Council adopted the *Study Report* at its
    June 2019 Sessions as a living tool.

    The draft draws on the replies to the survey.
  action: |
    The PTC is invited to:

    - take note.
"""


@pytest.fixture(scope="module")
def cover_base(tmp_path_factory) -> Path:
    """A build whose document.yaml has comments, a quoted subtitle and a two-paragraph purpose."""
    root = tmp_path_factory.mktemp("cover")
    project = write_project(
        root / "project", {"document.yaml": COMMENTED_YAML, "chapters/01-intro.md": CHAPTER}
    )
    return Path(build_project(project, root / "out", formats=("docx",)).outputs["docx"])


@pytest.fixture
def cover_project(cover_base, tmp_path) -> Path:
    import shutil

    return Path(shutil.copytree(cover_base.parent.parent / "project", tmp_path / "project"))


def _cover_copy(cover_base: Path, path: Path) -> Path:
    copy = MemberCopy(cover_base)
    copy.replace(TITLE, "FUTURE", "THE WTO PRESENT", "Korea Customs")
    copy.replace("OF CUSTOMS", "CUSTOMS", "CUSTOMS AND TRADE", "Korea Customs")
    copy.replace("Council adopted the Study Report", "living tool", "living reference", "Korea Customs")
    copy.replace("The draft draws on", "the survey", "the 2021 survey", "Korea Customs")
    copy.replace("WCO/WTO Study Report", "Report", "Paper", "Korea Customs")
    copy.replace("(Item V.", "V", "VI", "Korea Customs")
    return copy.save(path)


def test_apply_writes_cover_fields_into_document_yaml_keeping_its_other_bytes(
    cover_base, cover_project, tmp_path, capsys, monkeypatch
):
    returned = _cover_copy(cover_base, tmp_path / "korea.docx")
    monkeypatch.chdir(tmp_path)
    out = _run_cli(["review", "apply", "project", "korea.docx"], capsys)
    assert out.splitlines() == [
        "project/document.yaml:9: paragraph cover:title (Korea Customs)",
        "project/document.yaml:10: paragraph cover:subtitle (Korea Customs)",
        "project/document.yaml:11: paragraph cover:agenda_item (Korea Customs)",
        "project/document.yaml:16: paragraph cover:summary.purpose (Korea Customs)",
    ]
    written = (cover_project / "document.yaml").read_text(encoding="utf-8")
    assert written == (
        COMMENTED_YAML.replace("title: Future of Customs", "title: The WTO Present of Customs and Trade")
        .replace('"WCO/WTO Study Report"', '"WCO/WTO Study Paper"')
        .replace("agenda_item: V", "agenda_item: VI")
        .replace("as a living tool.", "as a living reference.")
        .replace("the replies to the survey.", "the replies to the 2021 survey.")
    )
    built = build_project(cover_project, tmp_path / "rebuilt", formats=("docx",)).outputs["docx"]
    from wcodoc.review.collect import _by, read_returned

    expected = [b.text for b in read_returned(returned).view(_by("Korea Customs"))]
    assert _texts(Path(built)) == expected


def test_apply_dry_run_shows_document_yaml_as_a_diff_and_writes_nothing(
    cover_base, cover_project, tmp_path, capsys, monkeypatch
):
    _cover_copy(cover_base, tmp_path / "korea.docx")
    monkeypatch.chdir(tmp_path)
    main_out = _run_cli(["review", "apply", "project", "korea.docx", "--dry-run"], capsys)
    assert main_out.startswith("--- a/document.yaml\n+++ b/document.yaml\n")
    assert "\n-title: Future of Customs\n" in main_out
    assert "\n+title: The WTO Present of Customs and Trade\n" in main_out
    assert (
        "-    June 2019 Sessions as a living tool.\n+    June 2019 Sessions as a living reference."
        in main_out
    )
    assert (cover_project / "document.yaml").read_text(encoding="utf-8") == COMMENTED_YAML


def test_apply_refuses_computed_cover_lines_and_leaves_document_yaml_alone(
    cover_base, cover_project, tmp_path, capsys, monkeypatch
):
    copy = MemberCopy(cover_base)
    copy.replace("Brussels, 7 March", "7", "8", "Korea Customs")
    copy.replace("25-29 April", "25", "26", "Korea Customs")
    copy.replace("(Item V.", "on the Agenda", "of the Agenda", "Korea Customs")
    copy.save(tmp_path / "korea.docx")
    monkeypatch.chdir(tmp_path)
    with pytest.raises(SystemExit) as exit_info:
        main(["review", "apply", "project", "korea.docx"])
    assert exit_info.value.code == 1
    err = capsys.readouterr().err
    assert "paragraph cover:issued: this cover line is written by the build from place and issued" in err
    assert "paragraph cover:dates: this cover line is written by the build from dates" in err
    assert "project/document.yaml:11: paragraph cover:agenda_item: only the agenda_item inside" in err
    assert (cover_project / "document.yaml").read_text(encoding="utf-8") == COMMENTED_YAML


def test_apply_refuses_a_title_changed_in_document_yaml_since(
    cover_base, cover_project, tmp_path, capsys, monkeypatch
):
    document = cover_project / "document.yaml"
    document.write_text(COMMENTED_YAML.replace("Future of", "Futures of"), encoding="utf-8")
    copy = MemberCopy(cover_base)
    copy.replace(TITLE, "FUTURE", "PRESENT", "Korea Customs")
    copy.save(tmp_path / "korea.docx")
    monkeypatch.chdir(tmp_path)
    with pytest.raises(SystemExit):
        main(["review", "apply", "project", "korea.docx", "--base", str(cover_base)])
    assert (
        "document.yaml:9: paragraph cover:title: its text in the base is not title" in capsys.readouterr().err
    )
    assert "Futures of Customs" in document.read_text(encoding="utf-8")


@pytest.mark.parametrize(
    ("source", "new", "expected"),
    [
        ("Future of Customs", "PRESENT OF CUSTOMS", "Present of Customs"),  # first word: capital
        ("Future of Customs", "FUTURE OF CUSTOMS AND TRADE", "Future of Customs and Trade"),  # title case
        ("Future of customs", "FUTURE OF CUSTOMS AND TRADE", "Future of customs and trade"),  # sentence case
        ("Future of Customs", "FUTURE OF CUSTOMS IN THE WTO", "Future of Customs in the WTO"),  # known
        ("Future of Customs", "FUTURE OF e-Commerce", "Future of e-Commerce"),  # typed: kept
        ("Future of Customs", "CUSTOMS OF FUTURE", "Customs of Future"),  # the title's own words
        ("The Members' view", "THE MEMBERS\u2019 NEW VIEW", "The Members' new view"),  # typography
    ],
)
def test_a_proposed_title_in_capitals_takes_the_source_s_casing(source, new, expected):
    from wcodoc.review.cover import _word_edit

    old = source.upper().replace("'", "\u2019")
    known = {"WTO": "WTO", "CUSTOMS": "Customs", "FUTURE": "Future"}
    assert _word_edit(source, old, new, title=True, known=known) == expected
    assert _word_edit("Something else", old, new, title=True) is None


def test_apply_keeps_document_yaml_s_line_ends_and_byte_order_mark(
    cover_base, cover_project, tmp_path, capsys, monkeypatch
):
    def windows(text: str) -> bytes:
        return b"\xef\xbb\xbf" + text.replace("\n", "\r\n").encode("utf-8")

    document = cover_project / "document.yaml"
    document.write_bytes(windows(COMMENTED_YAML))
    copy = MemberCopy(cover_base)
    copy.replace(TITLE, "FUTURE", "PRESENT", "Korea Customs")
    copy.delete_paragraph("The PTC is invited", "Korea Customs")
    copy.insert_paragraph("The draft draws on", "A third paragraph.", "Korea Customs")
    copy.save(tmp_path / "korea.docx")
    monkeypatch.chdir(tmp_path)
    with pytest.raises(SystemExit) as exit_info:
        main(["review", "apply", "project", "korea.docx"])
    assert exit_info.value.code == 1
    captured = capsys.readouterr()
    assert captured.out.splitlines() == [
        "project/document.yaml:9: paragraph cover:title (Korea Customs)",
        "project/document.yaml:21: paragraph cover:summary.action (Korea Customs)",
    ]
    assert (
        "project/document.yaml:16: paragraph after cover:summary.purpose: a paragraph added" in captured.err
    )
    expected = COMMENTED_YAML.replace("Future of", "Present of").replace("    The PTC is invited to:\n\n", "")
    assert document.read_bytes() == windows(expected)


def test_two_members_changing_the_title_conflict_and_the_first_is_kept(
    cover_base, cover_project, tmp_path, capsys, monkeypatch
):
    copy = MemberCopy(cover_base)
    copy.replace(TITLE, "FUTURE", "PRESENT", "Korea Customs")
    copy.replace("OF CUSTOMS", "CUSTOMS", "TRADE", "Brazil Customs")
    copy.save(tmp_path / "both.docx")
    monkeypatch.chdir(tmp_path)
    with pytest.raises(SystemExit):
        main(["review", "apply", "project", "both.docx"])
    captured = capsys.readouterr()
    assert len(captured.out.splitlines()) == 1
    assert "paragraph cover:title: another change of this copy already changed it" in captured.err
    written = (cover_project / "document.yaml").read_text(encoding="utf-8")
    assert written in (
        COMMENTED_YAML.replace("Future of Customs", "Present of Customs"),
        COMMENTED_YAML.replace("Future of Customs", "Future of Trade"),
    )
