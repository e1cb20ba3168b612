"""The finished PDF (``pdf/finish.py``, ``xmp.py``, ``tagging.py``), read back with pikepdf:
metadata a PDF/A reader accepts and that agrees with the document information, and the
tagging corrections PDF/UA needs. The validators' own verdicts are in tests/test_validators.py.
"""

from __future__ import annotations

import pikepdf
import pytest
from lxml import etree

from wcodoc.pdf.xmp import NAMESPACES, RDF

pytestmark = pytest.mark.libreoffice


def xmp(pdf: pikepdf.Pdf) -> etree._Element:
    return etree.fromstring(pdf.Root.Metadata.read_bytes())


def elements(pdf: pikepdf.Pdf) -> list:
    found = []

    def walk(node):
        kids = node.get("/K")
        for kid in (kids if isinstance(kids, pikepdf.Array) else [kids]) if kids is not None else []:
            if isinstance(kid, pikepdf.Dictionary) and "/S" in kid:
                found.append(kid)
                walk(kid)

    walk(pdf.Root.StructTreeRoot)
    return found


def below(element) -> list[str]:
    kids = element.get("/K")
    kids = kids if isinstance(kids, pikepdf.Array) else [kids]
    return [str(k.S) for k in kids if isinstance(k, pikepdf.Dictionary) and "/S" in k] + [
        s for k in kids if isinstance(k, pikepdf.Dictionary) and "/S" in k for s in below(k)
    ]


def test_the_xmp_title_is_the_document_informations_and_namespaces_sit_on_descriptions(french_publication):
    with pikepdf.open(french_publication.outputs["pdf"]) as pdf:
        packet = xmp(pdf)
        title = packet.find(f".//{{{NAMESPACES['dc']}}}title//{{{RDF}}}li")
        assert title.text == str(pdf.docinfo.Title) == "L'avenir de la douane"
        for description in packet.iter(f"{{{RDF}}}Description"):
            for prop in description:
                assert etree.QName(prop).namespace in description.nsmap.values()
                assert not set(prop.nsmap.items()) - set(description.nsmap.items())
        assert packet.findtext(f".//{{{NAMESPACES['pdfuaid']}}}part") == "1"
        assert packet.findtext(f".//{{{NAMESPACES['pdfaid']}}}part") == "2"


def test_tab_order_is_the_name_s_on_every_page_with_links(english_publication):
    with pikepdf.open(english_publication.outputs["pdf"]) as pdf:
        linked = [page for page in pdf.pages if "/Annots" in page.obj]
        assert linked and all(page.obj.Tabs == pikepdf.Name.S for page in linked)


def test_the_cover_grid_is_not_a_table_and_data_tables_still_are(english_publication):
    with pikepdf.open(english_publication.outputs["pdf"]) as pdf:
        tables = [below(e) for e in elements(pdf) if e.S == "/Table"]
        assert tables and all("/Table Text" in inside for inside in tables)
        assert not any("/Cover Symbol" in inside for inside in tables)


def test_the_first_page_notices_are_content_and_notes_have_ids(english_publication):
    with pikepdf.open(english_publication.outputs["pdf"]) as pdf:
        first = pdf.pages[0]
        content = pikepdf.unparse_content_stream(pikepdf.parse_content_stream(first)).decode("latin-1")
        document = elements(pdf)[0]
        on_first = [
            e for e in pikepdf.Array(document.K) if str(e.S) == "/P" and e.Pg.objgen == first.obj.objgen
        ]
        assert len(on_first) == 2  # two notices, each a paragraph of its own
        assert content.count("/P <<") >= 2
        ids = [bytes(e.ID) for e in elements(pdf) if e.S == "/Note"]
        assert len(ids) == 2 and len(set(ids)) == 2


def test_every_drawn_path_is_inside_marked_content(english_publication):
    """LibreOffice draws the rule above the first page's notices outside any marked content;
    finished, it is an artifact, as is every other path."""
    with pikepdf.open(english_publication.outputs["pdf"]) as pdf:
        outside = []
        for number, page in enumerate(pdf.pages, start=1):
            depth = 0
            for instruction in pikepdf.parse_content_stream(page):
                op = str(instruction.operator)
                if op in {"m", "re"} and depth == 0:
                    outside.append(number)
                depth += {"BMC": 1, "BDC": 1, "EMC": -1}.get(op, 0)
        assert outside == []
