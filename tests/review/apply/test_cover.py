"""``wcodoc review apply`` on the cover: fields written into document.yaml, its comments, layout,
line ends and byte-order mark kept; the build's own cover lines refused."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.review.copies import COMMENTED_YAML, TITLE, cover_copy, run_cli, texts
from tests.support.member_copy import MemberCopy
from wcodoc.build import build_project
from wcodoc.cli import main


def test_apply_writes_cover_fields_into_document_yaml_keeping_its_other_bytes(
    cover_base, cover_project, tmp_path, capsys, monkeypatch
):
    returned = cover_copy(cover_base, tmp_path / "korea.docx")
    monkeypatch.chdir(tmp_path)
    out = run_cli(["review", "apply", "project", "korea.docx"], capsys)
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
    assert texts(Path(built)) == expected


def test_apply_dry_run_shows_document_yaml_as_a_diff_and_writes_nothing(
    cover_base, cover_project, tmp_path, capsys, monkeypatch
):
    cover_copy(cover_base, tmp_path / "korea.docx")
    monkeypatch.chdir(tmp_path)
    main_out = run_cli(["review", "apply", "project", "korea.docx", "--dry-run"], capsys)
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
    assert "paragraph cover:issued (Korea Customs): this cover line is written by the build from place" in err
    assert "paragraph cover:dates (Korea Customs): this cover line is written by the build from dates" in err
    assert (
        "project/document.yaml:11: paragraph cover:agenda_item (Korea Customs): only the agenda_item" in err
    )
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
    err = capsys.readouterr().err
    assert "document.yaml:9: paragraph cover:title (Korea Customs): changed since PC0685Ea was sent" in err
    assert "    now:      FUTURES OF CUSTOMS\n    proposed: PRESENT OF CUSTOMS\n" in err
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
    from wcodoc.review.apply.cover import _word_edit

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
    out = run_cli(["review", "apply", "project", "korea.docx"], capsys)
    assert out.splitlines() == [
        "project/document.yaml:9: paragraph cover:title (Korea Customs)",
        "project/document.yaml:21: paragraph after cover:summary.purpose (Korea Customs)",
        "project/document.yaml:21: paragraph cover:summary.action (Korea Customs)",
    ]
    expected = (
        COMMENTED_YAML.replace("Future of", "Present of")
        .replace("    The PTC is invited to:\n\n", "")
        .replace("the survey.\n", "the survey.\n\n    A third paragraph.\n")
    )
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
    assert (
        "paragraph cover:title (Brazil Customs): Korea Customs in this copy changes the same sentence; "
        "choose one with --member or --paragraph" in captured.err
    )
    written = (cover_project / "document.yaml").read_text(encoding="utf-8")
    assert written in (
        COMMENTED_YAML.replace("Future of Customs", "Present of Customs"),
        COMMENTED_YAML.replace("Future of Customs", "Future of Trade"),
    )


def test_a_deleted_summary_paragraph_is_removed_from_its_literal_block(
    cover_base, cover_project, tmp_path, capsys, monkeypatch
):
    copy = MemberCopy(cover_base)
    copy.delete_paragraph("The draft draws on", "Korea Customs")
    copy.save(tmp_path / "korea.docx")
    monkeypatch.chdir(tmp_path)
    out = run_cli(["review", "apply", "project", "korea.docx"], capsys)
    assert out.splitlines() == ["project/document.yaml:19: paragraph cover:summary.purpose (Korea Customs)"]
    assert (cover_project / "document.yaml").read_text(encoding="utf-8") == COMMENTED_YAML.replace(
        "    June 2019 Sessions as a living tool.\n\n    The draft draws on the replies to the survey.\n",
        "    June 2019 Sessions as a living tool.\n",
    )
