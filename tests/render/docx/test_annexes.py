"""Several annexes: Markdown annexes (annexes/*.md) before the use cases, numbered I, II …;
page numbers continuous (the default) or afresh in each annex (I/1., I/2. …)."""

from __future__ import annotations

import subprocess
import zipfile

import pytest

from tests.conftest import NS, W, docx_xml, paragraphs
from wcodoc.build import build_project
from wcodoc.errors import WcodocError
from wcodoc.ooxml import R_NS

GLOSSARY = """\
# Glossary

Terms used in @par:aim.

## General terms

- Ledger: a shared record.
"""

USE_CASE = """\
---
id: kr-export
title: Ledger for export clearance
member: Korea
region: asia-pacific
technologies: [blockchain]
status: pilot
year: 2021
---
## Background

Text.
"""

FILES = {
    "chapters/01.md": "# Introduction\n\n[]{#par:aim} The aim.\n",
    "annexes/use-cases/01-kr.md": USE_CASE,
}


def headings(docx) -> list[tuple[str, str]]:
    return [(s, t) for s, t in paragraphs(docx_xml(docx)) if s in ("AnnexHeading", "AnnexTitle")]


def build(make_project, files, templates: str | None = None, formats=("docx",), name="project"):
    files = dict(files)
    if templates is not None:
        files["templates/labels-en.yaml"] = templates
    return build_project(make_project(files, name=name), None, formats, use_cache=False)


def test_one_annex_keeps_its_plain_heading(make_project):
    result = build(make_project, FILES)
    assert headings(result.outputs["docx"]) == [
        ("AnnexHeading", "Annex to Doc. PC0685Ea"),
        ("AnnexTitle", "Use cases"),
    ]


def test_a_markdown_annex_comes_first_and_annexes_are_numbered(make_project):
    result = build(make_project, {**FILES, "annexes/01-glossary.md": GLOSSARY})
    docx = result.outputs["docx"]
    assert headings(docx) == [
        ("AnnexHeading", "Annex I to Doc. PC0685Ea"),
        ("AnnexTitle", "Glossary"),
        ("AnnexHeading", "Annex II to Doc. PC0685Ea"),
        ("AnnexTitle", "Use cases"),
    ]
    texts = paragraphs(docx_xml(docx))
    assert ("AnnexText", "Terms used in 1.") in texts
    assert ("Heading3", "General terms") in texts
    # Continuous page numbers: one section for the whole document.
    assert len(docx_xml(docx).findall(".//w:sectPr", NS)) == 1


def test_per_annex_page_numbers_give_each_annex_a_section(make_project):
    files = {**FILES, "annexes/01-glossary.md": GLOSSARY}
    result = build(make_project, files, templates="annex_page_numbers: per-annex\n")
    docx = result.outputs["docx"]
    doc = docx_xml(docx)
    sections = doc.findall(".//w:sectPr", NS)
    assert len(sections) == 3
    first, *annexes = sections
    assert first.find("w:titlePg", NS) is not None
    for n, sect in enumerate(annexes, start=1):
        assert sect.find("w:pgNumType", NS).get(f"{{{W}}}start") == "1"
        (ref,) = sect.findall("w:headerReference", NS)
        assert ref.get(f"{{{R_NS}}}id") == f"rIdwcodocAnnex{n}"
    with zipfile.ZipFile(docx) as z:
        header = z.read("word/wcodocAnnex2.xml").decode()
    assert ">II/<" in header and "PAGE" in header


def test_an_unknown_page_numbering_is_a_located_error(make_project):
    with pytest.raises(WcodocError, match=r"annex_page_numbers: unknown value 'per-page'"):
        build(make_project, FILES, templates="annex_page_numbers: per-page\n")


@pytest.mark.libreoffice
def test_pdf_headers_number_pages_per_annex(make_project):
    files = {**FILES, "annexes/01-glossary.md": GLOSSARY}
    result = build(make_project, files, templates="annex_page_numbers: per-annex\n", formats=("pdf",))
    text = subprocess.run(
        ["pdftotext", "-layout", str(result.outputs["pdf"]), "-"], capture_output=True, text=True, check=True
    ).stdout
    pages = text.split("\f")
    assert "I/1." in pages[1] and "Annex I to Doc. PC0685Ea" in pages[1]
    assert "II/1." in pages[2] and "Annex II to Doc. PC0685Ea" in pages[2]
