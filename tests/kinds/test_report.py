"""The session report (``kind: report``) built by ``wcodoc build``: its cover, its lettered
sub-items and its table of agenda items, in English and French, before and after a paragraph is
inserted (python-docx on the DOCX, pdftotext on the PDF)."""

from __future__ import annotations

import re
from pathlib import Path

import lxml.html
import pytest

from tests.conftest import docx_xml, paragraphs, pdf_text
from tests.render.docx.test_parts import _every_path
from tests.support.report import (
    OPENING,
    REPORT_YAML,
    TABLE,
    TABLE_AFTER,
    build_before_and_after,
    items_table,
    report_project,
    run,
)
from wcodoc.build import build_project
from wcodoc.cli import main
from wcodoc.errors import WcodocError


def pdf_rows(path: Path) -> list[list[str]]:
    """The rows of the table of agenda items on page 1 of the PDF: number, heading, range."""
    rows = []
    for line in pdf_text(path).split("\f")[0].splitlines():
        match = re.fullmatch(r"\s*([IVX]+\.|[a-z]\.)\s{2,}(.+?)\s{2,}(\d+(?:\s*-\s*\d+)?)\s*", line)
        if match:
            rows.append([match[1], match[2], re.sub(r"\s*-\s*", " - ", match[3])])
    return rows


def html_rows(page: Path) -> list[list[str]]:
    """The rows of the HTML edition's table of agenda items (the first table after the cover),
    each cell's text."""
    table = lxml.html.parse(str(page)).xpath("//main//table")[0]
    return [[" ".join(c.text_content().split()) for c in row.xpath("th|td")] for row in table.iter("tr")]


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> tuple[Path, Path]:
    """The report built to DOCX, HTML and PDF, then again with a paragraph inserted in item
    II.a; the two build folders."""
    return build_before_and_after(report_project(tmp_path_factory.mktemp("report") / "report"))


def test_the_table_of_agenda_items_lists_each_item_and_sub_item_with_its_paragraphs(built):
    assert items_table(built[0] / "PC0700Ea.docx") == TABLE


def test_inserting_a_paragraph_in_item_II_renumbers_every_later_range(built):
    after = built[1] / "PC0700Ea.docx"
    assert items_table(after) == TABLE_AFTER
    texts = [text for _, text in paragraphs(docx_xml(after))]
    assert "The Secretariat presented the work programme, which paragraph 8 takes up." in texts


@pytest.mark.libreoffice
def test_the_pdf_prints_the_same_table_before_and_after(built):
    assert pdf_rows(built[0] / "PC0700Ea.pdf") == TABLE[1:]
    assert pdf_rows(built[1] / "PC0700Ea.pdf") == TABLE_AFTER[1:]


def test_the_html_edition_has_the_same_table_before_and_after(built):
    assert html_rows(built[0] / "PC0700Ea.html") == TABLE
    assert html_rows(built[1] / "PC0700Ea.html") == TABLE_AFTER


def test_each_range_of_the_html_table_links_to_the_paragraphs_it_names(built):
    """A range's ends are links to the anchors of the paragraphs they name, whose printed
    numbers are the link texts (after the insertion too)."""
    for folder in built:
        page = lxml.html.parse(str(folder / "PC0700Ea.html"))
        links = page.xpath("//main//table[1]//a[@class='xref']")
        assert links
        for link in links:
            (target,) = page.xpath(f"//*[@id='{link.get('href').removeprefix('#')}']")
            (number,) = target.xpath(".//a[@class='num']")
            assert number.text_content() == f"{link.text_content()}."


def test_each_end_of_a_range_is_a_reference_to_the_paragraph_it_names(built):
    table = docx_xml(built[0] / "PC0700Ea.docx").findall(".//{*}tbl")[1]
    fields = [" ".join(t.text.split()) for t in table.iter("{*}instrText")]
    assert fields[:3] == [
        r"REF par_agenda_1_first \n \t \h",
        r"REF par_agenda_1_last \n \t \h",
        r"REF par_agenda_2_first \n \t \h",
    ]
    body = docx_xml(built[0] / "PC0700Ea.docx").find("{*}body")
    marked = {
        start.get(f"{{{body.nsmap['w']}}}name"): "".join(t.text for t in start.getparent().iter("{*}t"))
        for start in body.iter("{*}bookmarkStart")
        if start.get(f"{{{body.nsmap['w']}}}name", "").startswith("par_agenda_2b")
    }
    assert marked == {
        "par_agenda_2b_first": "The Secretariat presented the work programme, which paragraph 7 takes up.",
        "par_agenda_2b_last": "The Committee endorsed it.",
    }


def test_the_cover_has_the_title_made_from_the_sessions_and_the_dates_under_it(built):
    found = paragraphs(docx_xml(built[0] / "PC0700Ea.docx"))
    styles = {style for style, _ in found}
    assert (
        "CoverTitle",
        "REPORT TO THE CUSTOMS CO-OPERATION COUNCIL ON THE 235TH/236TH SESSIONS OF THE PERMANENT "
        "TECHNICAL COMMITTEE",
    ) in found
    assert ("CoverSubtitle", "(22 - 26 April 2024)") in found
    assert ("CoverDates", "22-26 April 2024") in found  # the block beside the symbol, as ever
    assert not styles & {"CoverAgendaItem", "SummaryHeading", "SummaryLabel", "SummaryText"}
    core = docx_xml(built[0] / "PC0700Ea.docx", "docProps/core.xml")
    assert core.findtext("{*}title") == (
        "Report to the Customs Co-operation Council on the 235th/236th Sessions of the Permanent "
        "Technical Committee"
    )


def test_sub_items_are_lettered_under_their_item_and_the_table_comes_before_paragraph_1(built):
    found = paragraphs(docx_xml(built[0] / "PC0700Ea.docx"))
    headings = [text for style, text in found if style.startswith("Heading")]
    assert headings == [
        "Adoption of the agenda and of the summary record",
        "Reports of the Secretariat",
        "a. Activities of the Secretariat",
        "b. Work programme",
        "Technology and innovation",
        "Other business",
    ]
    table_cells = [text for style, text in found if style == "TableText"]
    first_paragraph = next(i for i, (style, _) in enumerate(found) if style == "NumberedParagraph")
    assert max(i for i, (style, _) in enumerate(found) if style == "TableText") < first_paragraph
    assert "Documents PC0701 and PC0702." not in table_cells  # the heading's footnote stays in the body


@pytest.mark.libreoffice
def test_the_pdf_shows_the_lettered_sub_items_in_the_body(built):
    text = " ".join(pdf_text(built[0] / "PC0700Ea.pdf").split())
    assert "II. Reports of the Secretariat a. Activities of the Secretariat 3. The Secretariat" in text


def test_a_french_report_in_the_house_styles_french_words(tmp_path):
    yaml = REPORT_YAML.replace("PC0700Ea", "PC0700Fa")
    opening = OPENING.replace("# Reports of the Secretariat", "# Rapports du Secrétariat")
    root = report_project(tmp_path / "rapport", yaml, opening)
    out = build_project(root, None, ("docx",)).outputs["docx"]
    found = paragraphs(docx_xml(out))
    assert ("CoverTitle", "RAPPORT DES 235ÈME/236ÈME SESSIONS DU COMITÉ TECHNIQUE PERMANENT") in found
    assert ("CoverSubtitle", "(22-26 avril 2024)") in found
    table = items_table(out)
    assert table[0] == ["N°", "Point de l’ordre du jour", "Paragraphes"]
    assert table[2] == ["II.", "Rapports du Secrétariat", "3 - 6"]


def test_an_item_without_paragraphs_has_no_range_and_one_paragraph_a_single_number(tmp_path):
    chapters = "# Opening\n\nThe Chair opened the sessions.\n\n# Closing\n\n## Nothing said\n"
    root = report_project(tmp_path / "short", opening=chapters)
    (root / "chapters" / "02-rest.md").unlink()
    table = items_table(build_project(root, None, ("docx",)).outputs["docx"])
    assert table[1:] == [["I.", "Opening", "1"], ["II.", "Closing", ""], ["a.", "Nothing said", ""]]


def test_a_label_spelled_as_one_the_report_makes_is_refused_where_it_is(tmp_path):
    opening = OPENING.replace(
        "The Committee endorsed it.", "[]{#par:agenda-2-last} The Committee endorsed it."
    )
    root = report_project(tmp_path / "clash", opening=opening)
    with pytest.raises(WcodocError) as info:
        build_project(root, None, ("docx",))
    problem = info.value
    assert (Path(problem.path).name, problem.line) == ("01-opening.md", 22)
    assert "label 'par:agenda-2-last': a report labels the ends" in problem.message


def test_the_cover_keys_of_a_working_document_are_refused_in_a_report(tmp_path, capsys):
    root = report_project(tmp_path / "keys", REPORT_YAML + "title: Report\nsummary: {purpose: x}\n")
    with pytest.raises(SystemExit) as exit_info:
        main(["check", str(root)])
    assert exit_info.value.code != 0
    out = capsys.readouterr().out
    assert "document.yaml:7: unknown key 'title' in a document of kind 'report'" in out
    assert "document.yaml:8: unknown key 'summary' in a document of kind 'report'" in out


def test_the_report_skeleton_of_wcodoc_new_builds_and_lists_its_item(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    run(["new", "skeleton", "--kind", "report", "--reference", "PC0710Ea", "--issued", "2024-05-02"])
    yaml = (tmp_path / "skeleton" / "document.yaml").read_text(encoding="utf-8")
    assert "kind: report\n" in yaml and not re.search("^(title|agenda_item|summary):", yaml, re.MULTILINE)
    with pytest.raises(WcodocError, match="missing required key 'sessions'"):
        build_project(tmp_path / "skeleton", None, ("docx",))
    (tmp_path / "skeleton" / "document.yaml").write_text(
        yaml + "sessions: [42]\ndates: 2024-06-03\n", encoding="utf-8"
    )
    out = build_project(tmp_path / "skeleton", None, ("docx",)).outputs["docx"]
    found = paragraphs(docx_xml(out))
    assert (
        "CoverTitle",
        "REPORT TO THE CUSTOMS CO-OPERATION COUNCIL ON THE 42ND SESSION OF THE PERMANENT TECHNICAL COMMITTEE",
    ) in found
    assert items_table(out)[1] == ["I.", "Adoption of the agenda", "1"]


def test_a_report_takes_no_title(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    with pytest.raises(SystemExit) as exit_info:
        main(["new", "x", "--kind", "report", "--title", "Report", "--reference", "PC0710Ea"])
    assert exit_info.value.code != 0
    assert "a report takes no --title or --item" in capsys.readouterr().err
    assert not (tmp_path / "x").exists()


def test_a_report_builds_the_same_bytes_whatever_the_path_and_after_an_edit(tmp_path):
    root = report_project(tmp_path / "paths")
    outputs = _every_path(root, tmp_path)
    assert len(set(outputs.values())) == 1, {name: hash(data) for name, data in outputs.items()}
    # A paragraph inserted in item III (the second chapter) moves ranges printed in the first.
    rest = root / "chapters" / "02-rest.md"
    rest.write_text(rest.read_text().replace("a pilot.\n", "a pilot.\n\nAnother pilot.\n"))
    incremental = build_project(root, tmp_path / "incremental", ("docx",)).outputs["docx"]
    assert items_table(incremental)[5:] == [
        ["III.", "Technology and innovation", "7 - 10"],
        ["IV.", "Other business", "11"],
    ]
    uncached = build_project(root, tmp_path / "uncached", ("docx",), use_cache=False).outputs["docx"]
    assert incremental.read_bytes() == uncached.read_bytes()
