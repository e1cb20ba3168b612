"""``wcodoc review apply`` on the Markdown sources: changes made word by word, markup kept,
what cannot be applied safely refused with its reason."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import MINIMAL_YAML
from tests.review.copies import TITLE, run_cli, texts
from tests.support.member_copy import MemberCopy
from wcodoc.build import build_project
from wcodoc.cli import main


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
    out = run_cli(["review", "apply", "project", "korea.docx", "--member", "Korea Customs"], capsys)
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
    assert texts(Path(built)) == expected


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
    run_cli(["review", "apply", "project", "korea.docx"], capsys)
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
    assert "project/chapters/01-intro.md:5: paragraph 2 (Korea Customs): the change straddles markup" in err
    assert chapter.read_text(encoding="utf-8") == before

    labelled = MemberCopy(base)
    labelled.delete_paragraph("Capacity building remains", "Korea Customs")
    labelled.save(returned)
    with pytest.raises(SystemExit):
        main(["review", "apply", "project", "korea.docx"])
    assert "01-intro.md:12: paragraph 3 (Korea Customs): it holds a label" in capsys.readouterr().err
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
    brazil_copy.save(tmp_path / "Brazil comments.docx")  # as Members name them
    monkeypatch.chdir(tmp_path)
    run_cli(["review", "apply", "project", "korea.docx"], capsys)
    with pytest.raises(SystemExit) as exit_info:
        main(["review", "apply", "project", "Brazil comments.docx", "--base", str(base)])
    captured = capsys.readouterr()
    assert exit_info.value.code == 1
    assert captured.out.splitlines() == ["project/chapters/01-intro.md:12: paragraph 3 (Brazil comments)"]
    assert captured.err.splitlines() == [
        f"Brazil comments.docx: a copy of PC0685Ea (--base {base})",
        "project/chapters/01-intro.md:3: paragraph 1 (Brazil Customs): changed since PC0685Ea was sent, "
        "and the copy changes the same sentence; not applied",
        "    now:      Customs administrations met to study the pilot in great detail.",
        "    proposed: Customs administrations met to study the pilot briefly.",
        "    to take the proposal: wcodoc review apply PROJECT 'Brazil comments.docx' --paragraph '1'",
    ]
    chapter = (project / "chapters/01-intro.md").read_text(encoding="utf-8")
    assert "in great detail" in chapter and "remains a high priority" in chapter


def _tracked_and_untracked(base: Path, path: Path) -> Path:
    """Korea Customs' tracked change to paragraph 1, an edit of paragraph 4 without tracking,
    the file saved by the Korea IT Desk."""
    copy = MemberCopy(base)
    copy.replace("Customs administrations met", "in some detail", "in great detail", "Korea Customs")
    copy.untracked("The committee recommends", "revenue security", "revenue protection")
    copy.saved_by("Korea IT Desk")
    return copy.save(path)


def test_member_file_equals_name_credits_the_edits_made_without_tracking(
    base, project, tmp_path, capsys, monkeypatch
):
    _tracked_and_untracked(base, tmp_path / "korea.docx")
    monkeypatch.chdir(tmp_path)
    credited = ["--member", "korea.docx=Korea Customs Service", "--base", str(base)]
    out = run_cli(["review", "apply", "project", "korea.docx", *credited], capsys)
    assert out.splitlines() == [
        "project/chapters/01-intro.md:3: paragraph 1 (Korea Customs)",
        "project/chapters/01-intro.md:17: paragraph 4 (Korea Customs Service)",
    ]
    chapter = (project / "chapters/01-intro.md").read_text(encoding="utf-8")
    assert "in great detail" in chapter and "revenue protection" in chapter


def test_member_name_applies_that_member_s_changes_only(base, project, tmp_path, capsys, monkeypatch):
    _tracked_and_untracked(base, tmp_path / "korea.docx")
    monkeypatch.chdir(tmp_path)
    out = run_cli(
        ["review", "apply", "project", "korea.docx", "--member", "Korea IT Desk", "--base", str(base)], capsys
    )
    assert out.splitlines() == ["project/chapters/01-intro.md:17: paragraph 4 (Korea IT Desk)"]
