"""The PDF of a redline prints wcodoc's numbers: LibreOffice's own recount is left out."""

from __future__ import annotations

import re
import shutil
import zipfile
from pathlib import Path

import pikepdf
import pytest
from lxml import etree

from tests.conftest import pdf_text
from tests.diff.samples import eleven_edits, sample_copy
from tests.support.synth import write_docx
from wcodoc.build import build_project
from wcodoc.cli import main
from wcodoc.diff import compare_files, redline
from wcodoc.diff.align import OldOnly

NS = {"w": "http://schemas.openxmlformats.org/wordprocessingml/2006/main"}
OLD = [
    ("heading", "Introduction"),
    ("para", "First paragraph stays as it is."),
    ("para", "Second paragraph has examined words."),
    ("para", "Third paragraph is deleted in the new draft."),
    ("para", "Fourth paragraph follows the deleted one."),
    ("heading", "Updates"),
    ("para", "Fifth paragraph closes the draft."),
]
NEW = [
    ("heading", "Introduction"),
    ("para", "First paragraph stays as it is."),
    ("para", "Second paragraph has reviewed words."),
    ("para", "Fourth paragraph follows the deleted one."),
    ("heading", "Updates"),
    ("para", "Fifth paragraph closes the draft."),
]


def _paragraphs(path):
    root = etree.fromstring(zipfile.ZipFile(path).read("word/document.xml"))
    out = []
    for p in root.iter(f"{{{NS['w']}}}p"):
        num = p.xpath("string(w:pPr/w:numPr/w:numId/@w:val)", namespaces=NS)
        shown = "".join(p.xpath(".//w:t/text() | .//w:delText/text()", namespaces=NS))
        out.append((num, shown))
    return out


def test_printable_copy_writes_the_numbers_as_text(tmp_path):
    comparison = compare_files(write_docx(tmp_path / "o.docx", OLD), write_docx(tmp_path / "n.docx", NEW))
    red, printable = tmp_path / "red.docx", tmp_path / "print.docx"
    redline(comparison, red, printable=printable)
    assert all(num == "" for num, _ in _paragraphs(red))  # the redline keeps its style numbering
    assert _paragraphs(printable) == [
        ("0", "I.Introduction"),
        ("0", "1.First paragraph stays as it is."),
        ("0", "2.Second paragraph has examinedreviewed words."),
        ("0", "3.Third paragraph is deleted in the new draft."),  # its old number, struck
        ("0", "3.Fourth paragraph follows the deleted one."),
        ("0", "II.Updates"),
        ("0", "4.Fifth paragraph closes the draft."),
    ]
    root = etree.fromstring(zipfile.ZipFile(printable).read("word/document.xml"))
    assert "3." in root.xpath("//w:del//w:delText/text()", namespaces=NS)
    # The draft has no header: the line heads every page in one of its own, not in the text.
    assert root.xpath("//w:body/w:sectPr/w:headerReference/@w:type", namespaces=NS) == ["default"]
    header = etree.fromstring(zipfile.ZipFile(printable).read("word/wcodocStamp.xml"))
    assert header.xpath("//w:t/text()", namespaces=NS) == ["Changes from o to n"]


@pytest.mark.libreoffice
@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="needs pdftotext")
def test_redline_pdf_prints_the_new_numbers(tmp_path, capsys):
    old, new = write_docx(tmp_path / "o.docx", OLD), write_docx(tmp_path / "n.docx", NEW)
    red = tmp_path / "red.docx"
    with pytest.raises(SystemExit) as exit_info:
        main(["diff", str(old), str(new), "-o", str(red), "--pdf"])
    assert exit_info.value.code == 0, capsys.readouterr().err
    lines = [
        " ".join(line.split()) for line in pdf_text(red.with_suffix(".pdf")).splitlines() if line.strip()
    ]
    assert lines[0] == "Changes from o to n"
    assert [line.split(" ", 1)[0] for line in lines[1:]] == ["I.", "1.", "2.", "3.", "3.", "II.", "4."]
    assert not any("[" in line for line in lines)


def test_every_header_of_the_printed_redline_names_both_drafts(tmp_path):
    old = write_docx(tmp_path / "PC0685Fa.docx", OLD)
    new = write_docx(tmp_path / "PC0685Fb.docx", NEW)
    header = f'<w:hdr xmlns:w="{NS["w"]}"><w:p><w:r><w:t>PC0685F</w:t></w:r></w:p></w:hdr>'
    with zipfile.ZipFile(new, "a") as zf:
        zf.writestr("word/header1.xml", header)
    comparison = compare_files(old, new)
    redline(comparison, tmp_path / "red.docx", printable=tmp_path / "print.docx")
    printed = etree.fromstring(zipfile.ZipFile(tmp_path / "print.docx").read("word/header1.xml"))
    assert printed.xpath("//w:t/text()", namespaces=NS) == ["PC0685F", "Modifications de PC0685Fa à PC0685Fb"]
    assert _paragraphs(tmp_path / "print.docx")[0] == ("0", "I.Introduction")
    plain = etree.fromstring(zipfile.ZipFile(tmp_path / "red.docx").read("word/header1.xml"))
    assert plain.xpath("//w:t/text()", namespaces=NS) == ["PC0685F"]  # the redline DOCX is untouched


# --- the repository's sample, printed as delegates get it ---------------------------------------

PRINTED_NUMBER = re.compile(r"^\s*((?:\d{1,3}|[IVXLC]+|[a-z])\.)\s")
PAGE_HEADER = re.compile(r"^\s*\d+\.\s+[A-Z]{2}\d{4}")
"""The header of a page after the first: its number, then the document's symbol."""


def _pages(pdf: Path) -> list[str]:
    return pdf_text(pdf).split("\f")[:-1]


def _printed_numbers(pdf: Path, stamp: str) -> list[str]:
    """The list numbers that start the lines of ``pdf`` (the stamp line left out)."""
    lines = (
        line
        for page in _pages(pdf)
        for line in page.splitlines()
        if stamp not in line and not PAGE_HEADER.match(line)
    )
    return [m.group(1) for line in lines if (m := PRINTED_NUMBER.match(line))]


@pytest.mark.libreoffice
@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="needs pdftotext")
def test_printed_redline_of_the_sample_is_laid_out_and_numbered_like_the_draft(tmp_path, capsys):
    """A word changed in the French sample: the redline PDF has the clean draft's pages (within
    a page or two: the changed word takes room) and its numbers, the stamp on every page, and
    the same bytes when made again."""
    old = sample_copy(tmp_path / "old", "PC0685Fa")
    new = sample_copy(tmp_path / "new", "PC0685Fb")
    chapter = new / "chapters" / "02-objective.md"
    chapter.write_text(
        chapter.read_text(encoding="utf-8").replace("within the larger effort", "within the wider effort"),
        encoding="utf-8",
    )
    clean = build_project(new, new / "build", ("docx", "pdf")).outputs
    redlines = []
    for name in ("red", "again"):
        red = tmp_path / f"{name}.docx"
        with pytest.raises(SystemExit) as exit_info:
            main(["diff", str(old), str(clean["docx"]), "-o", str(red), "--pdf", "--author", "A"])
        assert exit_info.value.code == 0, capsys.readouterr().err
        redlines.append(red)
    stamp = "Modifications de PC0685Fa à PC0685Fb"
    printed = redlines[0].with_suffix(".pdf")
    clean_pages, printed_pages = _pages(clean["pdf"]), _pages(printed)
    assert len(clean_pages) <= len(printed_pages) <= len(clean_pages) + 2
    assert all(stamp in page for page in printed_pages)
    assert _printed_numbers(printed, stamp) == _printed_numbers(clean["pdf"], stamp)
    assert "wider" in pdf_text(printed)
    for red, again in [(redlines[0], redlines[1]), (printed, redlines[1].with_suffix(".pdf"))]:
        assert red.read_bytes() == again.read_bytes(), red.name
    with pikepdf.open(printed) as pdf:  # finished like a build's PDF: dated with the draft
        assert str(pdf.docinfo["/CreationDate"]) == "D:20220307120000Z"
        assert pdf.open_metadata()["xmp:ModifyDate"] == "2022-03-07T12:00:00Z"


def test_printed_redline_restores_only_headings(tmp_path, sample_build):
    """The annex's paragraphs keep their own properties in the printed copy; the annex
    heading's (a page break before, bold, right-aligned) are never given to them."""
    old = sample_build.outputs["docx"]
    comparison = compare_files(old, old)
    redline(comparison, tmp_path / "red.docx", printable=tmp_path / "print.docx")
    assert _styles(tmp_path / "print.docx") == _styles(old)


def _styles(docx: Path) -> list[str]:
    """The properties of each body paragraph of ``docx``, numbering left out."""
    root = etree.fromstring(zipfile.ZipFile(docx).read("word/document.xml"))
    out = []
    for p in root.iter(f"{{{NS['w']}}}p"):
        ppr = p.find("w:pPr", NS)
        kept = [c for c in ppr if etree.QName(c).localname not in NUMBERING] if ppr is not None else []
        out.append(b"".join(etree.tostring(c) for c in kept).decode())
    return out


NUMBERING = ("numPr", "ind")
"""What the printed copy changes in a numbered paragraph: its number becomes text."""


@pytest.mark.libreoffice
@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="needs pdftotext")
def test_printed_redline_of_eleven_edits_is_laid_out_and_numbered_like_the_draft(tmp_path, sample_build):
    """Eleven typical edits of the sample (inserted, deleted, moved and edited paragraphs, a
    sub-item, a heading, a bullet, the annex, the cover, a word made bold): the printed
    redline has about the clean draft's pages, and prints the new draft's numbers in its
    order, each deleted or moved-away paragraph's old number among them."""
    new = sample_copy(tmp_path / "new")
    eleven_edits(new)
    clean = build_project(new, new / "build", ("docx", "pdf")).outputs
    comparison = compare_files(sample_build.outputs["docx"], clean["docx"])
    gone = [comparison.old.blocks[s.old].number for s in comparison.alignment.steps if isinstance(s, OldOnly)]
    printed = tmp_path / "red.pdf"
    redline(comparison, tmp_path / "red.docx", pdf=printed)
    stamp = "Changes from PC0685Ea to PC0685Ea"
    assert len(_pages(clean["pdf"])) <= len(_pages(printed)) <= len(_pages(clean["pdf"])) + 2
    numbers, expected = _printed_numbers(printed, stamp), _printed_numbers(clean["pdf"], stamp)
    for number in gone:  # a paragraph shown deleted prints its old number, struck through
        numbers.remove(f"{number}.")
    assert numbers == expected
    assert "[" not in pdf_text(printed)
