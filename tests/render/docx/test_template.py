"""The house-style template: styles, Word-native numbering, page set-up, reproducibility."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

import pytest
from lxml import etree

from tests.conftest import NS, W, docx_xml, paragraphs, pdf_text
from wcodoc.load.housestyle import HouseStyle
from wcodoc.parse.pandoc import ast_to_docx, markdown_to_ast, run_pandoc
from wcodoc.render.docx.template import build_reference
from wcodoc.transform.numbering import pandocast

REFERENCE = HouseStyle().reference_docx
ARCHITECTURE = Path(__file__).resolve().parents[3] / "docs" / "dev" / "architecture.md"


def style_names_in_architecture() -> list[str]:
    """Every backquoted style name in the style table of the architecture notes."""
    table = ARCHITECTURE.read_text(encoding="utf-8").split("| style name |")[1].split("\n\n")[0]
    names = []
    for row in table.splitlines()[2:]:
        names += re.findall(r"`([^`]+)`", row.split("|")[1])
    return names


def style_by_name(styles: etree._Element, name: str) -> etree._Element | None:
    for style in styles.iterfind("w:style", NS):
        if style.find("w:name", NS).get(f"{{{W}}}val").lower() == name.lower():
            return style
    return None


def num_pr(style: etree._Element) -> tuple[str, str] | None:
    pr = style.find("w:pPr/w:numPr", NS)
    if pr is None:
        return None
    return pr.find("w:numId", NS).get(f"{{{W}}}val"), pr.find("w:ilvl", NS).get(f"{{{W}}}val")


def level(numbering: etree._Element, num_id: str, ilvl: str) -> tuple[str, str]:
    abstract_id = numbering.find(f"w:num[@w:numId='{num_id}']/w:abstractNumId", NS).get(f"{{{W}}}val")
    lvl = numbering.find(f"w:abstractNum[@w:abstractNumId='{abstract_id}']/w:lvl[@w:ilvl='{ilvl}']", NS)
    return lvl.find("w:numFmt", NS).get(f"{{{W}}}val"), lvl.find("w:lvlText", NS).get(f"{{{W}}}val")


@pytest.fixture(scope="module")
def styles():
    return docx_xml(REFERENCE, "word/styles.xml")


@pytest.fixture(scope="module")
def numbering():
    return docx_xml(REFERENCE, "word/numbering.xml")


def test_every_style_of_the_architecture_is_defined(styles):
    names = style_names_in_architecture()
    assert "Numbered Paragraph" in names and "Summary Bullet" in names
    missing = [n for n in names if style_by_name(styles, n) is None]
    assert missing == []


@pytest.mark.parametrize(
    ("style", "ilvl", "fmt", "text"),
    [
        ("Heading 1", "0", "upperRoman", "%1."),
        ("Numbered Paragraph", "0", "decimal", "%1."),
        ("Sub-item", "1", "lowerLetter", "%2."),
        ("Bullet", "0", "bullet", "-"),
        ("Summary Bullet", "0", "bullet", "-"),
    ],
)
def test_styles_carry_their_numbering(styles, numbering, style, ilvl, fmt, text):
    num_id, got_ilvl = num_pr(style_by_name(styles, style))
    assert got_ilvl == ilvl
    assert int(num_id) < 1000
    assert level(numbering, num_id, ilvl) == (fmt, text)


def test_paragraph_numbers_and_sub_items_share_one_list(styles):
    assert num_pr(style_by_name(styles, "Numbered Paragraph"))[0] == "11"
    assert num_pr(style_by_name(styles, "Sub-item"))[0] == "11"
    assert num_pr(style_by_name(styles, "Heading 1"))[0] == "10"


def test_house_typography(styles):
    fonts = styles.find("w:docDefaults/w:rPrDefault/w:rPr/w:rFonts", NS)
    assert fonts.get(f"{{{W}}}ascii") == "Times New Roman"
    assert styles.find("w:docDefaults/w:rPrDefault/w:rPr/w:sz", NS).get(f"{{{W}}}val") == "24"
    heading = style_by_name(styles, "Heading 1")
    assert heading.find("w:rPr/w:b", NS) is not None
    assert heading.find(".//w:color", NS) is None and heading.find(".//w:rFonts", NS) is None


def test_a4_with_house_margins():
    sect = docx_xml(REFERENCE).find("w:body/w:sectPr", NS)
    size = sect.find("w:pgSz", NS)
    assert (size.get(f"{{{W}}}w"), size.get(f"{{{W}}}h")) == ("11906", "16838")
    assert sect.find("w:pgMar", NS).get(f"{{{W}}}left") == "1417"


def test_committed_template_is_what_the_generator_makes(tmp_path):
    default = run_pandoc(["--print-default-data-file", "reference.docx"])
    parts = build_reference(default)
    with zipfile.ZipFile(REFERENCE) as zf:
        committed = {n: zf.read(n) for n in zf.namelist()}
    assert committed == parts


def body_with_numbering() -> list:
    blocks = []
    for section in ("One", "Two"):
        blocks.append(pandocast.header(1, pandocast.text(f"Section {section}")))
        for n in range(2):
            blocks.append(
                pandocast.styled(
                    [pandocast.para(pandocast.text(f"Paragraph {section} {n}"))], "Numbered Paragraph"
                )
            )
            blocks.append(
                pandocast.styled(
                    [pandocast.para(pandocast.text(f"Item {section} {n} {i}")) for i in range(2)], "Sub-item"
                )
            )
    return blocks


@pytest.fixture(scope="module")
def numbered_docx(tmp_path_factory):
    out = tmp_path_factory.mktemp("numbered") / "numbered.docx"
    api = markdown_to_ast("x")["pandoc-api-version"]
    ast_to_docx(pandocast.document(body_with_numbering(), api), out, reference_docx=REFERENCE)
    return out


def test_pandoc_keeps_the_numbering_definitions(numbered_docx):
    numbering = docx_xml(numbered_docx, "word/numbering.xml")
    assert level(numbering, "10", "0") == ("upperRoman", "%1.")
    assert level(numbering, "11", "0") == ("decimal", "%1.")
    assert level(numbering, "11", "1") == ("lowerLetter", "%2.")
    styles = [s for s, _ in paragraphs(docx_xml(numbered_docx))]
    assert styles.count("NumberedParagraph") == 4 and styles.count("Heading1") == 2


@pytest.mark.libreoffice
def test_libreoffice_numbers_continuously_and_restarts_letters(numbered_docx, tmp_path):
    from tests.render.docx.test_finish import to_pdf

    text = pdf_text(to_pdf(numbered_docx, tmp_path))
    lines = [line.split() for line in text.splitlines() if line.strip()]
    markers = [words[0] for words in lines]
    assert markers == ["I.", "1.", "a.", "b.", "2.", "a.", "b.", "II.", "3.", "a.", "b.", "4.", "a.", "b."]
