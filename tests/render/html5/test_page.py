"""The one HTML page template: a self-contained, escaped page with the shared stylesheet."""

from __future__ import annotations

from html.parser import HTMLParser

from wcodoc.render.html5.page import STYLESHEET, page


class _Outline(HTMLParser):
    """The tags of a page in order, with the text of its title and heading."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[str] = []
        self.attrs: dict[str, dict[str, str | None]] = {}
        self.texts: dict[str, str] = {}

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        self.attrs.setdefault(tag, dict(attrs))

    def handle_data(self, data: str) -> None:
        if self.tags:
            self.texts[self.tags[-1]] = self.texts.get(self.tags[-1], "") + data


def test_a_page_is_one_self_contained_document_with_its_title_escaped():
    text = page("Changes from <A> & B", "<p>body</p>", lang="fr")
    assert text.startswith("<!DOCTYPE html>\n") and text.endswith("</html>\n")
    outline = _Outline()
    outline.feed(text)
    assert outline.tags == ["html", "head", "meta", "meta", "title", "style", "body", "h1", "p"]
    assert outline.attrs["html"] == {"lang": "fr"} and outline.attrs["meta"] == {"charset": "utf-8"}
    assert outline.texts["title"] == outline.texts["h1"] == "Changes from <A> & B"
    assert outline.texts["style"] == STYLESHEET
    assert "http" not in text and "<script" not in text and "<link" not in text


def test_a_page_whose_body_holds_its_own_heading_gets_none_from_the_template():
    text = page("PC0685Ea", "<header><h1>Future of Customs</h1></header>", heading=False)
    outline = _Outline()
    outline.feed(text)
    assert outline.tags == ["html", "head", "meta", "meta", "title", "style", "body", "header", "h1"]
    assert outline.texts["title"] == "PC0685Ea" and outline.texts["h1"].strip() == "Future of Customs"
