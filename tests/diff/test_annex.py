"""The annex compared without noise: renumbered use cases and overview rows are no change,
an added use case is one change, a line that repeats the reference folds into its change."""

from __future__ import annotations

import zipfile

import pytest
from lxml import etree

from tests.support.synth import write_docx
from wcodoc.diff import compare_files, redline
from wcodoc.diff.report import headline, render
from wcodoc.errors import WcodocError
from wcodoc.ooxml.revisions import accept_all, reject_all

NS = {"w": "http://schemas.openxmlformats.org/wordprocessingml/2006/main"}
CASES = [
    ("Shared ledger for export clearance", "Korea"),
    ("Cargo tracking with sensors", "Kenya"),
    ("Drones over remote borders", "Morocco"),
    ("Scan image analysis", "Netherlands"),
]
NEW_CASE = ("Risk scoring of declarations", "Côte d'Ivoire")


def _draft(reference: str, cases: list[tuple[str, str]]) -> list[tuple[str, str]]:
    rows = " / ".join(f"{k} | {title} | {member}" for k, (title, member) in enumerate(cases, start=1))
    items = [
        ("cover:reference", reference),
        ("heading", "Introduction"),
        ("para", "The annex lists use cases."),
    ]
    items += [("annexheading", f"Annex to Doc. {reference}"), ("table", f"No. | Title | Member / {rows}")]
    for k, (title, member) in enumerate(cases, start=1):
        items += [
            ("usecase", f"Use case {k}: {title}"),
            ("annex", f"{member} tested {title.lower()} in a pilot."),
            ("annex", f"The pilot of {member} showed clear benefits for traders."),
        ]
    return items


def _compare(tmp_path, old_items, new_items):
    return compare_files(
        write_docx(tmp_path / "old.docx", old_items), write_docx(tmp_path / "new.docx", new_items)
    )


def test_an_added_use_case_is_one_change_and_renumbering_none(tmp_path):
    new_cases = [*CASES[:2], NEW_CASE, *CASES[2:]]
    comparison = _compare(tmp_path, _draft("PC0685Ea", CASES), _draft("PC0685Ea", new_cases))
    assert [headline(c) for c in comparison.alignment.changes] == [
        "table after paragraph 1: modified",
        "use case 3: inserted after use case 2",
    ]
    text = render("text", comparison.old, comparison.new, comparison.alignment)
    assert "Use case 3: Risk scoring of declarations (with its 2 paragraphs)" in text


def test_overview_table_gets_one_inserted_row_and_renumbered_rows_only_their_number(tmp_path):
    new_cases = [*CASES[:2], NEW_CASE, *CASES[2:]]
    comparison = _compare(tmp_path, _draft("PC0685Ea", CASES), _draft("PC0685Ea", new_cases))
    red = tmp_path / "red.docx"
    redline(comparison, red)
    root = etree.fromstring(zipfile.ZipFile(red).read("word/document.xml"))
    table = root.find(".//w:tbl", NS)
    inserted = table.xpath("w:tr[w:trPr/w:ins]", namespaces=NS)
    assert ["".join(tr.xpath(".//w:t/text()", namespaces=NS)) for tr in inserted] == [
        "3Risk scoring of declarationsCôte d'Ivoire"
    ]
    assert table.xpath(".//w:del//w:delText/text()", namespaces=NS) == ["3", "4"]
    headings = [p for p in root.iter(f"{{{NS['w']}}}p") if "Use case" in "".join(p.itertext())]
    assert len(headings) == 5

    def texts(tree):
        return ["".join(p.xpath(".//w:t/text()", namespaces=NS)) for p in tree.iter(f"{{{NS['w']}}}p")]

    assert "Use case 5: Scan image analysis" in texts(accept_all(root))
    assert "Use case 4: Scan image analysis" in texts(reject_all(root))


def test_the_annex_line_that_repeats_the_reference_folds_into_its_change(tmp_path):
    comparison = _compare(tmp_path, _draft("PC0685Ea", CASES), _draft("PC0685Eb", CASES))
    assert [headline(c) for c in comparison.alignment.changes] == [
        "cover (reference): modified, also in annex after paragraph 1"
    ]


def test_alt_chunk_content_is_refused_with_a_clear_error(tmp_path):
    w = NS["w"]
    r = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
    body = f'<w:altChunk xmlns:r="{r}" r:id="rId9"/>'
    write_docx(
        tmp_path / "new.docx", [], document=f'<w:document xmlns:w="{w}"><w:body>{body}</w:body></w:document>'
    )
    write_docx(tmp_path / "old.docx", [("para", "Text.")])
    with pytest.raises(WcodocError, match="altChunk"):
        compare_files(tmp_path / "old.docx", tmp_path / "new.docx")
