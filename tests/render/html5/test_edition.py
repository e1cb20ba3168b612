"""The HTML edition against the DOCX built from the same sources, in the same build.

The sample document and the English and French publication projects (tables, figures,
footnotes, French typography) are each built once with the DOCX and the HTML edition
(``tests/conftest.py``). The DOCX is read as the diff reads a draft (its numbers counted from
Word's lists, its cross-references from its ``REF`` fields); the page with lxml.html.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path
from urllib.parse import unquote

import lxml.html
import pytest
from lxml import etree

from tests.conftest import ROOT, W, docx_xml
from wcodoc.build import build_project
from wcodoc.diff.extract import normalize, read_draft
from wcodoc.kinds import KINDS
from wcodoc.kinds.working_document import WorkingDocument
from wcodoc.ooxml.text import walk
from wcodoc.styles import COVER_TITLE
from wcodoc.transform.pandocast import CUSTOM_STYLE
from wcodoc.transform.targets import anchor
from wcodoc.transform.typography import NBSP, NNBSP

NUMBERED = {"heading": "sec", "paragraph": "par", "sub-item": "par", "annex": "uc"}
"""Kind of a numbered block of the DOCX (as the diff reads it) → its label prefix."""


@pytest.fixture(params=["sample", "english", "french"], scope="module")
def built(request, sample_build, english_publication, french_publication):
    builds = {"sample": sample_build, "english": english_publication, "french": french_publication}
    return builds[request.param]


def page_of(result) -> etree._Element:
    return lxml.html.parse(str(result.outputs["html"])).getroot()


def text_of(element: etree._Element, *, skip: str = ".//a[@class='footnote-ref']") -> str:
    """The visible text of ``element``, footnote marks left out, spaces collapsed."""
    copy = lxml.html.fromstring(lxml.html.tostring(element))
    for mark in copy.xpath(skip):
        mark.drop_tree()
    return normalize(copy.text_content())


# --- numbers and anchors ---------------------------------------------------------------------


def docx_targets(docx: Path) -> list[tuple[str, str, str]]:
    """(anchor, number, text) of each numbered block of the DOCX, in order."""
    return [
        (anchor(NUMBERED[b.block], b.number), b.number, normalize(b.text))
        for b in read_draft(docx).blocks
        if b.block in NUMBERED and b.number
    ]


def html_targets(page: etree._Element) -> list[tuple[str, str, str]]:
    """(anchor, number, text) of each numbered target of the page, in order; a number as the
    DOCX's reader gives it (``9.b`` for the sub-item that prints ``b.``)."""
    found = []
    paragraph = ""
    for element in page.xpath("//main//*[a[@class='num']][@id]"):
        (number_link,) = element.xpath("a[@class='num']")
        printed = number_link.text_content()
        assert number_link.get("href") == "#" + element.get("id")
        if element.tag == "div":
            number = printed.rstrip(".")
            if "sub-item" in element.get("class", "").split():
                number = f"{paragraph}.{number}"
            else:
                paragraph = number
            text = text_of(element, skip=".//a[@class='num' or @class='footnote-ref']")
            found.append((element.get("id"), number, text))
        elif element.get("id").startswith("sec-"):
            text = text_of(element).removeprefix(printed).strip()
            found.append((element.get("id"), printed.rstrip("."), text))
        elif element.get("id").startswith("uc-"):
            found.append((element.get("id"), printed, text_of(element)))
    return found


def test_every_numbered_paragraph_section_and_use_case_has_the_docx_number_and_anchor(built):
    expected = docx_targets(built.outputs["docx"])
    assert len(expected) >= 5
    assert html_targets(page_of(built)) == expected


def test_a_sub_item_prints_its_letter_as_word_does_and_is_anchored_p9b(sample_build):
    page = page_of(sample_build)
    (sub_item,) = page.xpath("//div[@id='p9b']")
    assert sub_item.xpath("a[@class='num']")[0].text == "b."
    assert page.xpath("//div[@id='p12']/a[@class='num']")[0].text == "12."
    assert page.xpath("//h2[@id='sec-III']/a[@class='num']")[0].text == "III."


@pytest.fixture(scope="module")
def french_sample(tmp_path_factory):
    """The sample document as a French one (``PC0685Fa``): its sources, French typography."""
    root = tmp_path_factory.mktemp("french-sample")
    for name in ("chapters", "annexes"):
        shutil.copytree(ROOT / name, root / name)
    yaml = (ROOT / "document.yaml").read_text(encoding="utf-8")
    (root / "document.yaml").write_text(yaml.replace("PC0685Ea", "PC0685Fa"), encoding="utf-8")
    return build_project(root, None, ("docx", "html"))


def test_english_and_french_editions_share_their_anchors(sample_build, french_sample):
    def ids(result):
        return [i for i in page_of(result).xpath("//main//@id") if not i.startswith("fn")]

    english = ids(sample_build)
    assert {"sec-I", "sec-V", "p1", "p9b", "p12", "annex", "uc-1", "uc-10"} <= set(english)
    assert page_of(french_sample).get("lang") == "fr"
    assert ids(french_sample) == english
    assert html_targets(page_of(french_sample)) == docx_targets(french_sample.outputs["docx"])


# --- cross-references ------------------------------------------------------------------------


def docx_references(docx: Path) -> list[tuple[str, str]]:
    """(label prefix, shown text) of each ``REF`` field of the DOCX body, in order."""
    found: list[tuple[str, str]] = []
    for p in docx_xml(docx).iter(f"{{{W}}}p"):
        last = None
        for _node, text, ref in walk(p):
            if ref is None:
                last = None
            elif ref == last:
                found[-1] = (found[-1][0], found[-1][1] + text)
            else:
                found.append((ref.split("_", 1)[0], text))
                last = ref
    return found


def test_cross_references_are_links_with_the_docx_text_to_the_anchor_of_that_number(built):
    page = page_of(built)
    links = page.xpath("//main//a[@class='xref']")
    expected = docx_references(built.outputs["docx"])
    assert expected, "the projects refer to paragraphs, sections, use cases, tables and figures"
    assert [link.text_content() for link in links] == [text for _, text in expected]
    for link, (prefix, text) in zip(links, expected, strict=True):
        assert link.get("href") == "#" + anchor(prefix, text)
        assert page.xpath(f"//main//*[@id='{anchor(prefix, text)}']"), link.get("href")


# --- footnotes ---------------------------------------------------------------------------------


def test_footnotes_link_both_ways_one_for_each_of_the_docx(built):
    notes = docx_xml(built.outputs["docx"], "word/footnotes.xml")
    count = len(notes.xpath("w:footnote[not(@w:type)]", namespaces={"w": W}))
    page = page_of(built)
    marks = page.xpath("//main//a[@class='footnote-ref']")
    assert len(marks) == count
    assert count or built.project.meta.symbol.serial == 685  # the publication projects have notes
    for mark in marks:
        (note,) = page.xpath(f"//*[@id='{mark.get('href')[1:]}']")
        (back,) = note.xpath(".//a[@class='footnote-back']")
        assert back.get("href") == "#" + mark.get("id")


# --- the page and its cover ------------------------------------------------------------------


def test_the_page_is_in_the_documents_language_titled_by_its_symbol_headed_by_its_title(built):
    page = page_of(built)
    meta = built.project.meta
    assert page.get("lang") == meta.locale
    assert page.findtext("head/title") == str(meta.symbol)
    (h1,) = page.xpath("//h1")
    cover = {b.field: b.text for b in read_draft(built.outputs["docx"]).blocks if b.block == "cover"}
    assert normalize(h1.text_content()) == normalize(cover["title"])
    assert not page.xpath("//script") and not page.xpath("//link")


def test_the_cover_is_the_docx_cover_as_text_without_numbers_or_anchors(built):
    page = page_of(built)
    (cover,) = page.xpath("//body/header[@class='cover']")
    text = normalize(cover.text_content())
    position = 0
    for block in read_draft(built.outputs["docx"]).blocks:
        if block.block == "cover" and block.field != "separator":
            found = text.find(normalize(block.text), position)
            assert found >= 0, (block.field, block.text, text[position:])
            position = found
    assert not cover.xpath(".//*[@id]") and not cover.xpath(".//a[@class='num']")


def test_the_contents_list_every_section_annex_and_use_case_by_its_heading(built):
    page = page_of(built)
    (nav,) = page.xpath("//body/nav[@class='contents']")
    entries = [(a.get("href")[1:], normalize(a.text_content())) for a in nav.xpath(".//a")]
    headings = [(h.get("id"), text_of(h)) for h in page.xpath("//main/*[self::h2 or self::h3][@id]")]
    assert entries == headings
    assert [i for i, _ in entries if i.startswith("sec-")] == [
        i for i, _, _ in docx_targets(built.outputs["docx"]) if i.startswith("sec-")
    ]


# --- tables, figures, pictures ---------------------------------------------------------------


def docx_captions(docx: Path) -> list[str]:
    return [b.text for b in read_draft(docx).blocks if re.match(r"^(Table|Tableau|Figure) \d", b.text)]


def test_tables_have_header_cells_with_scope_and_numbered_captions(english_publication):
    page = page_of(english_publication)
    headers = page.xpath("//main//th")
    assert headers and all(th.get("scope") == "col" for th in headers)
    (table,) = page.xpath("//table[@id='tbl-1']")
    caption = table.find("caption")
    assert normalize(caption.text_content()) == docx_captions(english_publication.outputs["docx"])[0]
    assert caption.xpath("a[@class='num']/@href") == ["#tbl-1"]


def test_figures_have_alt_text_a_numbered_caption_and_their_picture_beside_the_page(english_publication):
    page = page_of(english_publication)
    (figure,) = page.xpath("//figure[@id='fig-1']")
    image = figure.find("img")
    assert image.get("alt") == "Declarations processed"
    assert (
        normalize(figure.find("figcaption").text_content())
        == docx_captions(english_publication.outputs["docx"])[1]
    )
    html = english_publication.outputs["html"]
    assert image.get("src") == f"{html.stem}_files/chart.png"
    picture = html.parent / unquote(image.get("src"))
    source = english_publication.project.root / "chapters" / "chart.png"
    assert picture.read_bytes() == source.read_bytes()


def test_the_annex_opens_with_its_overview_table_of_use_cases(sample_build):
    page = page_of(sample_build)
    (title,) = page.xpath("//h2[@id='annex']")
    overview = title.getnext()
    assert overview.tag == "table"
    rows = overview.xpath("tbody/tr")
    assert [r.xpath("td")[0].text_content() for r in rows] == [str(n) for n in range(1, 11)]
    assert [th.text_content() for th in overview.xpath("thead/tr/th")][:2] == ["No.", "Title"]
    assert len(page.xpath("//h3[starts-with(@id, 'uc-')]")) == 10


# --- French ------------------------------------------------------------------------------------


def docx_text(docx: Path) -> str:
    return "\n".join(
        "".join(t.text or "" for t in p.iter(f"{{{W}}}t")) for p in docx_xml(docx).iter(f"{{{W}}}p")
    )


@pytest.mark.parametrize(
    "typed",
    [
        f"l’étude{NBSP}: elle couvre 25{NBSP}% des Membres{NNBSP};",
        f"«{NBSP}la douane change{NBSP}»",
        f"suffisent-ils{NNBSP}? Oui.",
        f"Tableau 1{NBSP}: Vocabulaire",
    ],
)
def test_french_typography_is_the_docxs(french_publication, typed):
    assert typed in docx_text(french_publication.outputs["docx"])
    assert typed in page_of(french_publication).xpath("string(//main)")


def test_french_first_of_the_month_is_1er_raised_as_in_the_docx(french_publication):
    page = page_of(french_publication)
    issued = page.xpath("//header//div[@class='cover-issued']")[0]
    assert normalize(issued.text_content()) == "Bruxelles, le 1er mars 2023."
    assert issued.xpath(".//sup/text()") == ["er"]
    assert page.xpath("//div[@id='p3']//sup[not(ancestor::a)]/text()") == ["er"]


# --- the writer --------------------------------------------------------------------------------


def test_the_edition_leaves_the_docx_as_it_is_and_gives_the_same_bytes_each_time(make_project, tmp_path):
    root = make_project({"chapters/01.md": "# A\n\nOne[]{#par:one}.[^n]\n\nSee @par:one.\n\n[^n]: A note.\n"})
    alone = build_project(root, tmp_path / "alone", ("docx",)).outputs["docx"]
    both = build_project(root, tmp_path / "both", ("html", "docx")).outputs
    again = build_project(root, tmp_path / "again", ("docx", "html")).outputs
    assert both["docx"].read_bytes() == alone.read_bytes()
    assert both["html"].read_bytes() == again["html"].read_bytes()


class _Untitled(WorkingDocument):
    """A kind whose cover has no title paragraph (a kind decides what its cover holds)."""

    def cover(self, meta, style, cache=None, checks=None):
        title = COVER_TITLE.name
        return [
            b
            for b in super().cover(meta, style, cache, checks)
            if b["c"][0][2][:1] != [[CUSTOM_STYLE, title]]
        ]

    def title(self, meta, style):
        return f"The kind's title for {meta.symbol}"


def test_a_cover_without_a_title_paragraph_gets_the_kinds_title_as_its_h1(make_project, monkeypatch):
    monkeypatch.setitem(KINDS, "working-document", _Untitled())
    root = make_project({"chapters/01.md": "# A\n\nOne.\n"})
    page = page_of(build_project(root, None, ("html",)))
    assert [normalize(h.text_content()) for h in page.xpath("//h1")] == ["The kind's title for PC0685Ea"]
    assert page.xpath("//header[@class='cover']/h1") and "FUTURE OF CUSTOMS" not in page.xpath(
        "string(//header)"
    )
