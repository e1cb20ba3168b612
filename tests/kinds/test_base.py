"""What every kind shares unless it says otherwise: the house's header and footer text."""

from __future__ import annotations

from datetime import date

from tests.render.docx.test_finish import STYLE, make_meta
from wcodoc.kinds import kind_of


def test_later_pages_carry_the_symbol_without_its_version():
    assert kind_of(make_meta()).page_text(make_meta(), STYLE).header == "PC0685E"
    french = make_meta("PC0685Fa")
    assert kind_of(french).page_text(french, STYLE).header == "PC0685F"


def test_first_page_notice_follows_the_year_of_issue():
    meta = make_meta(issued=date(2024, 1, 9))
    notices = kind_of(meta).page_text(meta, STYLE).footer_notice
    assert any("Copyright © 2024 World Customs Organization" in n for n in notices)


def test_the_title_of_the_properties_is_the_documents():
    meta = make_meta()
    assert kind_of(meta).title(meta, STYLE) == "Future of Customs"
