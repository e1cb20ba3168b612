"""The finish step: one A4 section, first-page footer, later-page header, properties, bytes."""

from __future__ import annotations

import subprocess
import time
import zipfile
from datetime import date
from pathlib import Path

import pytest

from tests.conftest import NS, W, docx_xml, pdf_text
from wcodoc.kinds import kind_of
from wcodoc.load.housestyle import HouseStyle
from wcodoc.load.metadata import DateRange, DocumentMeta, Summary
from wcodoc.load.symbol import DocumentSymbol
from wcodoc.parse.pandoc import ast_to_docx, markdown_to_ast
from wcodoc.render.docx.finish import finish_docx
from wcodoc.transform.cover import end_mark_blocks
from wcodoc.transform.numbering import pandocast

STYLE = HouseStyle()
R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"


def make_meta(symbol: str = "PC0685Ea", **changes) -> DocumentMeta:
    values = dict(
        symbol=DocumentSymbol.parse(symbol),
        title="Future of Customs",
        issued=date(2022, 3, 7),
        subtitle="A test subtitle",
        meeting="hybrid",
        sessions=(235, 236),
        dates=DateRange(date(2022, 4, 25), date(2022, 4, 29)),
        agenda_item="V",
        summary=Summary(
            purpose="First purpose paragraph.\n\nSecond purpose paragraph.",
            action="The PTC is invited to:\n\n- take note;\n- endorse the report.",
        ),
    )
    values.update(changes)
    return DocumentMeta(**values)


def build(meta: DocumentMeta, folder: Path, body_paragraphs: int = 30) -> Path:
    """Cover, a body long enough for two pages, end mark: written by pandoc, then finished."""
    body = [pandocast.header(1, pandocast.text("Introduction"))]
    body += [
        pandocast.styled(
            [pandocast.para(pandocast.text(f"Paragraph {n} of the body text. " * 6))], "Numbered Paragraph"
        )
        for n in range(body_paragraphs)
    ]
    blocks = kind_of(meta).cover(meta, STYLE) + body + end_mark_blocks(STYLE, meta.locale)
    api = markdown_to_ast("x")["pandoc-api-version"]
    raw = folder / "raw.docx"
    ast_to_docx(pandocast.document(blocks, api), raw, reference_docx=STYLE.reference_docx)
    out = folder / f"{meta.symbol}.docx"
    finish_docx(raw, out, meta, STYLE)
    return out


def to_pdf(docx: Path, folder: Path) -> Path:
    """LibreOffice with a private profile, so parallel test runs do not share one."""
    profile = folder / "lo-profile"
    subprocess.run(
        [
            "soffice",
            f"-env:UserInstallation={profile.as_uri()}",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(folder),
            str(docx),
        ],
        check=True,
        capture_output=True,
        timeout=180,
    )
    return folder / f"{docx.stem}.pdf"


@pytest.fixture(scope="module")
def finished(tmp_path_factory) -> Path:
    return build(make_meta(), tmp_path_factory.mktemp("finish"))


def part(docx: Path, name: str):
    return docx_xml(docx, name)


def rel_target(docx: Path, rid: str) -> str:
    rels = part(docx, "word/_rels/document.xml.rels")
    rel = rels.find(
        f"{{http://schemas.openxmlformats.org/package/2006/relationships}}Relationship[@Id='{rid}']"
    )
    return "word/" + rel.get("Target")


def section(docx: Path):
    body = part(docx, "word/document.xml").find("w:body", NS)
    assert body.findall(".//w:pPr/w:sectPr", NS) == []
    return body.find("w:sectPr", NS)


def reference(docx: Path, tag: str, kind: str) -> str:
    ref = section(docx).find(f"w:{tag}[@w:type='{kind}']", NS)
    return rel_target(docx, ref.get(f"{{{R}}}id"))


def text_of(element) -> str:
    return "".join(t.text or "" for t in element.iter(f"{{{W}}}t"))


def test_one_a4_section_with_a_different_first_page(finished):
    sect = section(finished)
    assert sect.find("w:titlePg", NS) is not None
    size = sect.find("w:pgSz", NS)
    assert (size.get(f"{{{W}}}w"), size.get(f"{{{W}}}h")) == ("11906", "16838")


def test_later_pages_show_short_symbol_and_page_field(finished):
    header = part(finished, reference(finished, "headerReference", "default"))
    assert "PC0685E" in text_of(header) and "PC0685Ea" not in text_of(header)
    instructions = [i.text.strip() for i in header.iter(f"{{{W}}}instrText")]
    assert instructions == ["PAGE"]
    assert "DOCPROPERTY" not in "".join(instructions)


def test_first_page_has_no_header_and_the_notice_footer(finished):
    first_header = part(finished, reference(finished, "headerReference", "first"))
    assert text_of(first_header) == ""
    footer = part(finished, reference(finished, "footerReference", "first"))
    styles = {p.find("w:pPr/w:pStyle", NS).get(f"{{{W}}}val") for p in footer.iterfind("w:p", NS)}
    assert styles == {"FooterNotice"}
    assert "Copyright © 2022 World Customs Organization" in text_of(footer)
    assert footer.find("w:p/w:pPr/w:pBdr/w:bottom", NS) is not None  # the short rule


def test_core_properties_come_from_the_metadata(finished):
    core = part(finished, "docProps/core.xml")
    dc = "{http://purl.org/dc/elements/1.1/}"
    terms = "{http://purl.org/dc/terms/}"
    assert core.find(f"{dc}title").text == "Future of Customs"
    assert core.find(f"{dc}subject").text == "A test subtitle"
    assert core.find(f"{dc}creator").text == "World Customs Organization"
    assert core.find(f"{terms}created").text == "2022-03-07T00:00:00Z"
    assert core.find(f"{terms}modified").text == "2022-03-07T00:00:00Z"


def test_language_follows_the_symbol(finished, tmp_path):
    lang = "w:docDefaults/w:rPrDefault/w:rPr/w:lang"
    assert part(finished, "word/styles.xml").find(lang, NS).get(f"{{{W}}}val") == "en-GB"
    french = build(make_meta("PC0685Fa"), tmp_path, body_paragraphs=1)
    assert part(french, "word/styles.xml").find(lang, NS).get(f"{{{W}}}val") == "fr-FR"
    assert text_of(part(french, reference(french, "headerReference", "default"))).endswith("PC0685F")


def test_a_line_ended_by_a_line_break_is_not_stretched(finished):
    settings = docx_xml(finished, "word/settings.xml")
    (compat,) = settings.findall("w:compat", NS)
    assert [child.tag for child in compat] == [f"{{{W}}}doNotExpandShiftReturn"]
    names = [el.tag.split("}")[1] for el in settings]
    assert names.index("compat") < names.index("themeFontLang")  # the schema's order


def test_same_inputs_give_the_same_bytes(tmp_path):
    first = build(make_meta(), tmp_path / "one", body_paragraphs=3)
    time.sleep(1.1)  # pandoc stamps its output with the clock; the finish step must not
    second = build(make_meta(), tmp_path / "two", body_paragraphs=3)
    assert first.read_bytes() == second.read_bytes()
    with zipfile.ZipFile(first) as zf:
        names = zf.namelist()
        assert names[0] == "[Content_Types].xml"
        assert {info.date_time for info in zf.infolist()} == {(1980, 1, 1, 0, 0, 0)}


def test_failed_finish_leaves_no_output(tmp_path):
    from wcodoc.errors import WcodocError

    bad = tmp_path / "bad.docx"
    bad.write_text("not a zip")
    with pytest.raises(WcodocError, match="not a Word file"):
        finish_docx(bad, tmp_path / "out.docx", make_meta(), STYLE)
    assert not (tmp_path / "out.docx").exists()


@pytest.mark.libreoffice
def test_rendered_pages(finished, tmp_path):
    pages = pdf_text(to_pdf(finished, tmp_path)).split("\f")
    assert len([p for p in pages if p.strip()]) >= 2
    assert pages[0].strip().splitlines()[0].split() == ["WORLD", "CUSTOMS", "ORGANIZATION"]
    assert "Copyright © 2022 World Customs Organization" in pages[0]
    first_line = pages[1].strip().splitlines()[0].split()
    assert first_line == ["2.", "PC0685E"]
