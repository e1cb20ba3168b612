"""The compilation of a round of returns: JSON, CSV, one HTML page, a landscape DOCX."""

from __future__ import annotations

import csv
import io
import json
import zipfile

import pytest
from lxml import etree

from tests.conftest import NS, W
from tests.review.copies import P4, brazil, korea, run_cli
from wcodoc.cli import main
from wcodoc.render.html5.page import STYLESHEET


def test_json_on_stdout_has_the_contract_s_shape(base, tmp_path, capsys):
    files = [str(korea(base, tmp_path / "korea.docx")), str(brazil(base, tmp_path / "brazil.docx"))]
    data = json.loads(
        run_cli(["review", "collect", str(base), *files, "--member", "korea.docx=Korea"], capsys)
    )
    assert set(data) == {"base", "entries"} and data["base"] == "PC0685Ea"
    keys = ["paragraph", "member", "file", "kind", "old_text", "new_text", "comment"]
    assert all(list(entry) == keys for entry in data["entries"])
    assert {"paragraph": "4", "member": "Korea", "file": "korea.docx", "kind": "change", "old_text": P4,
            "new_text": P4.replace("revenue", "revenue and"), "comment": None} in data["entries"]  # fmt: skip


def test_csv_lists_the_entries_under_the_json_keys(base, tmp_path, capsys):
    out = run_cli(
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
    run_cli(["review", "collect", str(base), *files, "-o", str(out)], capsys)
    page = out.read_text(encoding="utf-8")
    assert page.startswith("<!DOCTYPE html>") and "<link" not in page and "<script" not in page
    assert f"<style>{STYLESHEET}</style>" in page  # the page template the diff report uses
    assert "Comments and proposals received on document PC0685Ea" in page
    assert '<td class="par" rowspan="2">paragraph 1</td>' in page
    assert "<del>in some detail</del><ins>briefly</ins>" in page
    assert "Reply by WCO Secretariat: Noted." in page


def test_docx_compilation_is_landscape_with_one_row_per_paragraph_and_member(base, tmp_path, capsys):
    files = [str(korea(base, tmp_path / "korea.docx")), str(brazil(base, tmp_path / "brazil.docx"))]
    out = tmp_path / "round.docx"
    run_cli(["review", "collect", str(base), *files, "-o", str(out)], capsys)
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
        ("paragraph 1", "Brazil Customsbrazil.docx"),
        ("", "Korea Customskorea.docx"),  # the paragraph cell spans both proposals
        ("paragraph 2", "Korea Customskorea.docx"),
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
