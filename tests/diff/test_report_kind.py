"""``wcodoc diff`` on session reports: the generated table of agenda items is no edit when only
the numbering moved, and a lettered sub-item heading is read as a heading of its item."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.conftest import docx_xml
from tests.support.report import INSERTED, OPENING, build_before_and_after, report_project
from wcodoc.build import build_project
from wcodoc.cli import main


def diff_json(old: Path, new: Path, capsys) -> list[dict]:
    """The changes ``wcodoc diff OLD NEW --format json`` reports."""
    with pytest.raises(SystemExit):
        main(["diff", str(old), str(new), "--format", "json"])
    return json.loads(capsys.readouterr().out)["changes"]


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> tuple[Path, Path]:
    return build_before_and_after(report_project(tmp_path_factory.mktemp("report") / "report"))


def test_a_paragraph_inserted_is_the_one_change_though_every_later_range_moved(built, capsys):
    changes = diff_json(built[0] / "PC0700Ea.docx", built[1] / "PC0700Ea.docx", capsys)
    assert [(c["kind"], c["block"], c["new_number"], c["new_text"]) for c in changes] == [
        ("inserted", "paragraph", "4", INSERTED)
    ]


def test_the_redline_marks_the_paragraph_and_the_numbers_renumbering_changed(built, tmp_path, capsys):
    """As for every cross-reference: a range's number that renumbering changed is marked (old
    value deleted, new one inserted), so that rejecting every change shows the old table."""
    redline = tmp_path / "redline.docx"
    with pytest.raises(SystemExit):
        main(["diff", str(built[0] / "PC0700Ea.docx"), str(built[1] / "PC0700Ea.docx"), "-o", str(redline)])
    capsys.readouterr()
    body = docx_xml(redline).find("{*}body")
    table = body.findall(".//{*}tbl")[1]

    def marked(tag: str, within) -> list[str]:
        return ["".join(t.text for t in mark.iter("{*}t", "{*}delText")) for mark in within.iter(tag)]

    assert marked("{*}ins", table) == ["7", "5", "6", "7", "8", "10", "11"]
    assert marked("{*}del", table) == ["6", "4", "5", "6", "7", "9", "10"]
    assert [text for text in marked("{*}ins", body) if text][-2:] == [INSERTED, "8"]


def test_a_sub_item_inserted_is_a_heading_of_its_item_and_the_table_gains_a_row(tmp_path, capsys):
    root = report_project(tmp_path / "report")
    old = build_project(root, tmp_path / "old", ("docx",)).outputs["docx"]
    chapter = root / "chapters" / "01-opening.md"
    opening = OPENING.replace(
        "## Activities", "## Opening remarks\n\nThe Chair opened the item.\n\n## Activities"
    )
    chapter.write_text(opening, encoding="utf-8")
    new = build_project(root, tmp_path / "new", ("docx",)).outputs["docx"]
    changes = diff_json(old, new, capsys)
    assert [(c["kind"], c["block"], c["new_number"]) for c in changes] == [
        ("modified", "table", None),
        ("inserted", "heading", "II.a"),
        ("inserted", "paragraph", "3"),
    ]
    assert "a. | Opening remarks | 3 / b. | Activities of the Secretariat | 4 - 5" in changes[0]["new_text"]
