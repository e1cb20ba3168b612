"""The working document's cover as written into the DOCX: each field in its named style, with its text."""

from __future__ import annotations

from datetime import date

import pytest

from tests.conftest import NS, W, docx_xml, paragraphs
from tests.render.docx.test_finish import STYLE, build, make_meta
from wcodoc.kinds.working_document import WorkingDocument
from wcodoc.load.metadata import Summary
from wcodoc.transform.numbering import pandocast


@pytest.fixture(scope="module")
def document(tmp_path_factory):
    return docx_xml(build(make_meta(), tmp_path_factory.mktemp("cover"), body_paragraphs=2))


def texts(document, style_id: str) -> list[str]:
    return [text for style, text in paragraphs(document) if style == style_id]


@pytest.mark.parametrize(
    ("style_id", "expected"),
    [
        ("CoverCommittee", ["PERMANENT TECHNICALCOMMITTEE"]),
        ("CoverMeeting", ["(HYBRID MEETING)"]),
        ("CoverSessions", ["235th/236th Sessions"]),
        ("CoverDates", ["25-29 April 2022"]),
        ("CoverSymbol", ["PC0685Ea"]),
        ("CoverIssued", ["Brussels, 7 March 2022."]),
        ("CoverTitle", ["FUTURE OF CUSTOMS"]),
        ("CoverSubtitle", ["- A test subtitle -"]),
        ("CoverAgendaItem", ["(Item V. on the Agenda)"]),
        ("SummaryHeading", ["SUMMARY"]),
        (
            "SummaryLabel",
            ["Purpose of document", "Action required of the Permanent Technical Committee (PTC)"],
        ),
        ("SummaryText", ["First purpose paragraph.", "Second purpose paragraph.", "The PTC is invited to:"]),
        ("SummaryBullet", ["take note;", "endorse the report."]),
        ("CoverSeparator", ["*-*"]),
        ("EndMark", ["**   *"]),
    ],
)
def test_cover_fields_in_their_styles(document, style_id, expected):
    assert texts(document, style_id) == expected


def test_letterhead_comes_first_and_is_bilingual(document):
    styles = paragraphs(document)
    assert [t for _s, t in styles[:2]] == ["WORLD CUSTOMS ORGANIZATION", "ORGANISATION MONDIALE DES DOUANES"]
    assert all(s == "CoverLetterhead" for s, _t in styles[:4])


def test_session_ordinals_are_superscript(document):
    para = next(
        p
        for p in document.iter(f"{{{W}}}p")
        if p.find("w:pPr/w:pStyle[@w:val='CoverSessions']", NS) is not None
    )
    raised = [
        r.find("w:t", NS).text
        for r in para.iterfind("w:r", NS)
        if r.find("w:rPr/w:vertAlign[@w:val='superscript']", NS) is not None
    ]
    assert raised == ["th", "th"]


def test_committee_and_symbol_sit_side_by_side(document):
    row = document.find(".//w:tbl/w:tr", NS)
    cells = row.findall("w:tc", NS)
    assert len(cells) == 2
    left = {p.find("w:pPr/w:pStyle", NS).get(f"{{{W}}}val") for p in cells[0].iterfind("w:p", NS)}
    right = {p.find("w:pPr/w:pStyle", NS).get(f"{{{W}}}val") for p in cells[1].iterfind("w:p", NS)}
    assert left == {"CoverCommittee", "CoverMeeting", "CoverSessions", "CoverDates"}
    assert right == {"CoverSymbol", "CoverIssued"}


def test_optional_lines_are_left_out():
    meta = make_meta(
        meeting="in-person", subtitle=None, agenda_item=None, sessions=(), dates=None, summary=Summary()
    )
    found = {b["c"][0][2][0][1] for b in WorkingDocument().cover(meta, STYLE) if b["t"] == "Div"}
    assert not found & {"Cover Meeting", "Cover Subtitle", "Cover Agenda Item", "Summary Heading"}
    assert {"Cover Title", "Cover Letterhead", "Cover Separator"} <= found


def test_french_cover_labels():
    blocks = WorkingDocument().cover(make_meta("PC0685Fa", issued=date(2022, 3, 7)), STYLE)
    by_style = {}
    for block in blocks:
        if block["t"] == "Div":
            by_style.setdefault(block["c"][0][2][0][1], []).append(pandocast.stringify(block))
    assert by_style["Summary Heading"] == ["RÉSUMÉ"]
    assert by_style["Summary Label"][0] == "Objet du document"
