"""Publication quality, as a reader sees it: one English and one French project with tables,
figures, quotations and punctuation, built once each, checked in the DOCX XML and the PDF.

French: 1er in every date, no-break spaces before ; : ! ? and inside « », typographic
apostrophes everywhere. Both languages: table rows never split across pages, header rows
repeated, cells left-aligned and never hyphenated, numbered captions, centred figures.
"""

from __future__ import annotations

import re
import shutil
import subprocess

import pytest
from lxml import etree

from tests.conftest import NS, ROOT, W, docx_xml
from tests.support.publication import ROWS
from wcodoc.build import build_project
from wcodoc.transform.typography import NBSP, NNBSP


@pytest.fixture
def french(french_publication):
    return french_publication


@pytest.fixture
def english(english_publication):
    return english_publication


def visible_text(docx) -> str:
    """Every ``w:t`` of the document body, paragraphs separated by newlines."""
    doc = docx_xml(docx)
    return "\n".join("".join(t.text or "" for t in p.iter(f"{{{W}}}t")) for p in doc.iter(f"{{{W}}}p"))


def style_ppr(docx, style_id: str) -> etree._Element:
    styles = docx_xml(docx, "word/styles.xml")
    return styles.find(f"w:style[@w:styleId='{style_id}']/w:pPr", NS)


# --- DOCX -------------------------------------------------------------------------------------


def test_french_dates_write_the_first_of_the_month_1er(french):
    text = visible_text(french.outputs["docx"])
    assert "Bruxelles, le 1er mars 2023." in text
    assert "30 mai - 1er juin 2023" in text
    assert "La réunion du 1er mars 2023 les a examinés." in text  # typed "1 mars 2023"


def test_french_1er_has_its_er_raised(french):
    doc = docx_xml(french.outputs["docx"])
    raised = [
        run
        for run in doc.iter(f"{{{W}}}r")
        if run.findtext("w:t", namespaces=NS) == "er"
        and run.find("w:rPr/w:vertAlign", NS) is not None
        and run.find("w:rPr/w:vertAlign", NS).get(f"{{{W}}}val") == "superscript"
    ]
    assert len(raised) == 3  # the date of issue, the meeting's dates, the date in the text


def test_french_marks_have_no_break_spaces_and_no_ordinary_space(french):
    text = visible_text(french.outputs["docx"])
    assert f"l’étude{NBSP}: elle couvre 25{NBSP}% des Membres{NNBSP}; voir" in text
    assert f"suffisant{NNBSP}? Oui{NNBSP}! Le rapport n°{NBSP}5 pèse 20{NBSP}kg." in text
    assert f"«{NBSP}la douane change{NBSP}» et «{NBSP}la technologie aussi{NBSP}»{NNBSP}; voir" in text
    assert f"Tableau 1{NBSP}: Vocabulaire des technologies" in text
    assert f"Cas d’utilisation 1{NBSP}: L’analyse des risques" in text
    assert "https://www.wcoomd.org" in text
    assert not re.search(r"[ \t][;:!?»]|« ", text), re.findall(r".{12}[ \t][;:!?»].{3}|« .{5}", text)


def test_no_straight_apostrophe_in_visible_text(french, english):
    for result in (french, english):
        text = visible_text(result.outputs["docx"])
        assert "'" not in text, re.findall(r".{15}'.{5}", text)
    assert "Côte d’Ivoire" in visible_text(english.outputs["docx"])
    assert "(Point V de l’ordre du jour)" in visible_text(french.outputs["docx"])


def test_english_spacing_is_left_as_typed(english):
    text = visible_text(english.outputs["docx"])
    assert "it covers 25% of Members; see Table 1 and" in text
    assert NBSP not in text and NNBSP not in text
    assert "Table 1: Vocabulary of technologies" in text
    assert "Figure 1: Declarations processed" in text


def test_rows_never_split_and_header_rows_repeat(french, english):
    for result in (french, english):
        doc = docx_xml(result.outputs["docx"])
        rows = doc.findall(".//w:tr", NS)
        assert rows and all(r.find("w:trPr/w:cantSplit", NS) is not None for r in rows)
        headers = [r for r in rows if r.find("w:trPr/w:tblHeader", NS) is not None]
        assert len(headers) == 3  # the long table, the annex overview, the use case's table


def test_cells_are_left_aligned_and_never_hyphenated(french):
    ppr = style_ppr(french.outputs["docx"], "TableText")
    assert ppr.find("w:jc", NS).get(f"{{{W}}}val") == "left"
    assert ppr.find("w:suppressAutoHyphens", NS) is not None
    doc = docx_xml(french.outputs["docx"])
    cells = doc.findall(".//w:tc/w:p/w:pPr/w:pStyle", NS)
    table_text = [c for c in cells if c.get(f"{{{W}}}val") == "TableText"]
    assert len(table_text) == 2 * (ROWS + 1) + 6 * 2 + 2 * 2


def test_table_and_figure_references_show_their_numbers(french):
    doc = docx_xml(french.outputs["docx"])
    instructions = [i.text.strip() for i in doc.iter(f"{{{W}}}instrText")]
    assert instructions.count(r"REF tbl_vocab \h") == 2
    assert instructions.count(r"REF fig_chart \h") == 2
    names = [b.get(f"{{{W}}}name") for b in doc.iter(f"{{{W}}}bookmarkStart")]
    assert "tbl_vocab" in names and "fig_chart" in names
    assert "tbl:vocab" not in names  # pandoc's own bookmark, with a colon Word refuses


def test_figures_are_centred_with_alt_text(french):
    docx = french.outputs["docx"]
    for style in ("CaptionedFigure", "ImageCaption", "TableCaption"):
        assert style_ppr(docx, style).find("w:jc", NS).get(f"{{{W}}}val") == "center"
    doc = docx_xml(docx)
    descr = [
        el.get("descr")
        for el in doc.iter("{http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing}docPr")
    ]
    assert descr == ["Évolution des déclarations"]


def test_a_table_in_a_use_case_is_followed_by_space(french):
    doc = docx_xml(french.outputs["docx"])
    last_table = doc.findall(".//w:body/w:tbl", NS)[-1]
    spacer = last_table.getnext()
    assert spacer.find("w:pPr/w:spacing", NS).get(f"{{{W}}}line") == "120"


# --- PDF --------------------------------------------------------------------------------------


def pdf_pages(pdf) -> list[str]:
    raw = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    return raw.split("\f")


@pytest.mark.libreoffice
def test_french_pdf_reads_as_typeset(french):
    pages = pdf_pages(french.outputs["pdf"])
    text = "\n".join(pages)
    assert "Bruxelles, le 1er mars 2023." in text and "1er juin 2023" in text
    assert "Tableau 1 : Vocabulaire des technologies" in text
    assert "Figure 1 : Évolution des déclarations" in text
    assert "'" not in text
    # The figure's alt text reaches the tagged PDF (UTF-16 hex string of "Évolution").
    assert b"/Alt <feff00c90076006f006c007500740069006f006e" in french.outputs["pdf"].read_bytes()
    # No line begins with a mark that belongs to the word before it.
    assert not [line for line in text.splitlines() if line[:1] and line[0] in ";:!?»"]
    # Vocabulary words are whole: nothing hyphenated or broken inside a cell.
    assert text.count("Mégadonnées") >= ROWS + 1
    # The long table runs over a page: its header row is repeated, no row is cut in two.
    assert sum("Terme" in page and "Définition" in page for page in pages) >= 2
    for n in range(1, ROWS + 1):
        holding = [i for i, page in enumerate(pages) if f"Ligne numéro {n} " in page]
        assert len(set(holding)) == 1, f"row {n} is split over pages {holding}"


@pytest.mark.libreoffice
def test_english_pdf_fonts_are_embedded_and_rows_whole(english):
    pdf = english.outputs["pdf"]
    fonts = subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True, check=True).stdout
    rows = fonts.splitlines()[2:]
    assert rows and all(line.split()[-5] == "yes" for line in rows), fonts
    pages = pdf_pages(pdf)
    assert sum("Term" in page and "Definition" in page for page in pages) >= 2
    for n in range(1, ROWS + 1):
        assert len({i for i, page in enumerate(pages) if f"Row numéro {n} " in page}) == 1


def test_footnotes_number_on_through_the_sections_in_word(english):
    settings = docx_xml(english.outputs["docx"]).find(".//w:body/w:sectPr/w:footnotePr/w:numRestart", NS)
    assert settings.get(f"{{{W}}}val") == "continuous"


@pytest.mark.libreoffice
def test_footnotes_number_on_through_the_sections_in_the_pdf(english, french):
    """One footnote under each of two ``#`` sections: 1 and 2, never 1 twice (LibreOffice
    restarted them per section when the DOCX said ``eachSect``)."""
    for result, first, second in (
        (english, "The first edition dates from 2019.", "A note in the second section."),
        (french, "La première édition date de 2019.", "Une note dans la deuxième section."),
    ):
        text = " ".join(" ".join(pdf_pages(result.outputs["pdf"])).split())
        assert f"1 {first}" in text and f"2 {second}" in text, text[-600:]


THREE_LINES = (
    "The WCO issued its Study Report on Disruptive Technologies for the first time in 2019. Its aim "
    "was to help the Customs community understand emerging technologies and what they might offer, "
    "by giving concrete examples and use cases.[^first]\n\n"
    "[^first]: The first edition was presented to the Council in June 2019, and it has been "
    "consulted by many administrations since then, in all regions of the WCO.\n"
)


@pytest.mark.libreoffice
def test_a_footnote_in_paragraph_1_keeps_section_i_on_the_cover(tmp_path):
    """The sample's full cover, then a paragraph 1 of three lines (which cannot be split) with a
    two-line note: the note and the first page's notices both need the page foot."""
    project = tmp_path / "sample"
    shutil.copytree(ROOT, project, ignore=shutil.ignore_patterns("build", ".*", "src", "tests", "docs"))
    chapter = project / "chapters" / "01-introduction.md"
    head, _first, rest = chapter.read_text(encoding="utf-8").split("\n\n", 2)
    chapter.write_text(f"{head}\n\n{THREE_LINES}\n{rest}", encoding="utf-8")
    pdf = build_project(project, project / "build", ("docx", "pdf"), use_cache=False).outputs["pdf"]
    first_page = " ".join(pdf_pages(pdf)[0].split())
    assert "I. Introduction" in first_page and "1. The WCO issued" in first_page
    assert "1 The first edition was presented" in first_page
