"""Markdown nobody here wrote (issue 25): the project of ``tests/foreign/``, every block and
inline kind pandoc reads, tables of every syntax, footnotes, definition lists, line blocks, raw
HTML, math, citation-like text, title blocks and metadata, built through the real command line.

It builds with no crash; what it leaves out is warned about at its line; ``-j 1``, ``-j 2`` and
``-j 4`` give the same bytes, and so do two different folders; no path of the machine that
built it is in the DOCX.
"""

from __future__ import annotations

import shutil
import zipfile
from pathlib import Path

import pytest
from lxml import etree

from tests.conftest import NS, docx_xml, pdf_text
from tests.test_corpus import run_wcodoc
from tests.workflow.test_usecasefiles import png

FOREIGN = Path(__file__).resolve().parent / "foreign"
DOCX = "PC0700Ea.docx"

RULE = "horizontal rule left out"
TYPED = "becomes numbered paragraphs"
WARNINGS = [
    ("annexes/01-glossary.md", 12, RULE),
    ("annexes/use-cases/01-foreign.md", 14, RULE),
    *(("chapters/01-blocks.md", line, RULE) for line in (5, 22, 32, 39, 44, 51, 59)),
    ("chapters/01-blocks.md", 64, "paragraph starts with a typed number '1.'"),
    ("chapters/01-blocks.md", 65, "paragraph starts with a typed number '2.'"),
    ("chapters/01-blocks.md", 67, f"list numbered i. … {TYPED}"),
    ("chapters/01-blocks.md", 70, f"list numbered (@) … {TYPED}"),
    (
        "chapters/02-inlines.md",
        28,
        "raw html is ignored in the Word output: '<b> </b> <br> <span id=\"x\"> </span>'",
    ),
    (
        "chapters/03-tables.md",
        64,
        "raw html is ignored in the Word output: '<table> <tr> <td> </td> </tr> </table>'",
    ),
    ("chapters/05-title-block.md", 1, "title block ('% …' lines) left out"),
    ("chapters/06-metadata.md", 5, "YAML metadata (title, author, date) left out"),
    ("chapters/07-links.md", 10, "link to '#nowhere' leads nowhere"),
    ("chapters/07-links.md", 10, "link to '#par:aim', a label: write @par:aim to print its number"),
    ("chapters/08-headings.md", 1, "empty section 'Foreword'"),
    ("chapters/08-headings.md", 1, "'#' heading marked unnumbered"),
    ("chapters/08-headings.md", 4, "'#' heading marked unnumbered"),
    ("document.yaml", 9, f"summary.purpose: {RULE}"),
]
"""Every warning, in the order ``check`` prints them: file, line, the start of the message."""


def lay_out(folder: Path) -> Path:
    """A copy of the foreign project in ``folder``, with its picture."""
    shutil.copytree(FOREIGN, folder)
    (folder / "images").mkdir()
    (folder / "images" / "chart.png").write_bytes(png(200, 100))
    return folder


def build(root: Path, out: str, *args: str) -> tuple[Path, str]:
    result = run_wcodoc(["build", "--no-cache", "-o", out, *args], root, timeout=300)
    assert result.returncode == 0, result.stderr
    return root / out / DOCX, result.stderr


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> dict[str, tuple[Path, str]]:
    """The project built in one folder with -j 1, 2 and 4, and in another folder."""
    here = lay_out(tmp_path_factory.mktemp("foreign") / "here")
    there = lay_out(tmp_path_factory.mktemp("elsewhere") / "deeper" / "there")
    return {
        **{f"-j {j}": build(here, f"out-{j}", "--format", "docx", "-j", str(j)) for j in (1, 2, 4)},
        "elsewhere": build(there, "out", "--format", "docx"),
    }


def problems(output: str) -> list[tuple[str, int, str]]:
    out = []
    for line in output.splitlines():
        if line.startswith("warning: "):
            path, number, message = line.removeprefix("warning: ").split(":", 2)
            out.append((path, int(number), message.strip()))
    return out


def test_it_builds_and_warns_about_each_thing_left_out_at_its_line(built):
    _, stderr = built["-j 1"]
    assert "internal error" not in stderr and "Traceback" not in stderr
    found = problems(stderr)
    assert [(path, line) for path, line, _ in found] == [(path, line) for path, line, _ in WARNINGS]
    for (_, _, message), (_, _, start) in zip(found, WARNINGS, strict=True):
        assert message.startswith(start), message


def test_check_prints_the_warnings_the_build_prints(built, tmp_path):
    root = lay_out(tmp_path / "checked")
    result = run_wcodoc(["check"], root)
    assert result.returncode == 0, result.stdout
    assert result.stdout.splitlines() == [
        line for line in built["-j 1"][1].splitlines() if line.startswith("warning")
    ]


def test_the_same_bytes_whatever_the_jobs_and_the_folder(built):
    digests = {name: docx.read_bytes() for name, (docx, _) in built.items()}
    assert digests["-j 1"] == digests["-j 2"] == digests["-j 4"] == digests["elsewhere"]


def test_no_path_of_the_building_machine_in_the_docx(built):
    docx, _ = built["elsewhere"]
    folder = str(docx.parents[2])
    with zipfile.ZipFile(docx) as package:
        for name in package.namelist():
            text = package.read(name).decode("utf-8", "replace")
            assert folder not in text and "/deeper/" not in text and "chart.png" not in text, name


def test_pictures_are_described_by_their_alt_text(built):
    doc = docx_xml(built["-j 1"][0])
    pic = "{http://schemas.openxmlformats.org/drawingml/2006/picture}cNvPr"
    assert [el.get("descr") for el in doc.iter(pic)] == ["A captioned figure", "chart", ""]


def text_of(doc: etree._Element) -> str:
    return " ".join(
        "".join(t.text or "" for t in p.iter(f"{{{NS['w']}}}t")) for p in doc.iter(f"{{{NS['w']}}}p")
    )


def test_what_is_kept_is_printed(built):
    docx = built["-j 1"][0]
    body = text_of(docx_xml(docx))
    notes = text_of(docx_xml(docx, "word/footnotes.xml"))
    for kept in (
        "with an indented line",  # a line block
        "Definition of the first term.",
        "def hello():",  # code
        "Deeper still, with a rule:",  # nested divs
        "Another example, referred to as (2).",  # example lists: pandoc's own reference
        "HTML cell",  # the text of an HTML table, its tags ignored
        "Its text is kept.",  # a chapter with a title block
        "Text after the metadata. [WCO] stays in brackets here.",  # no link from another chapter
        "@WCO_OMD",  # an escaped @
        "C:\\Users\\me",  # a backslash typed twice
        "bright color",  # a list in a grid table's cell
        "Table 1: A multiline table with a caption",
    ):
        assert kept in body, kept
    for left_out in ("A title block from another tool", "Metadata of another tool", "An Author"):
        assert left_out not in body
    assert "The second paragraph, with a list:" in notes and "code in a note" in notes


def test_links_within_the_document_lead_to_their_heading(built):
    doc = docx_xml(built["-j 1"][0])
    bookmarks = {el.get(f"{{{NS['w']}}}name") for el in doc.iter(f"{{{NS['w']}}}bookmarkStart")}
    anchors = [el.get(f"{{{NS['w']}}}anchor") for el in doc.iter(f"{{{NS['w']}}}hyperlink")]
    assert {"scope", "links"} <= bookmarks
    assert [a for a in anchors if a] == ["scope", "links", "scope", "nowhere", "par:aim"]
    math = doc.findall(".//{http://schemas.openxmlformats.org/officeDocument/2006/math}oMath")
    assert len(math) == 2


@pytest.mark.libreoffice
def test_the_pdf_holds_the_text(built, tmp_path):
    root = lay_out(tmp_path / "pdf")
    result = run_wcodoc(["build", "--format", "pdf"], root, timeout=300)
    assert result.returncode == 0, result.stderr
    text = pdf_text(root / "build" / "PC0700Ea.pdf")
    lines = [" ".join(line.split()) for line in text.splitlines()]
    for kept in ("with an indented line", "Deeper still", "bright color", "Table 1: A multiline table"):
        assert any(kept in line for line in lines), kept
    assert "A line block" in text  # a line ended by a line break is not spread across the page
    # formulas are printed (LibreOffice's Math module, which scripts/system-deps.sh installs)
    assert any(line.startswith("12. Math inline E=mc") for line in lines)
