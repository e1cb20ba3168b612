"""The neutral nodes lowered for HTML: numbers as links to their anchors, references as links,
styles as HTML's own structure; the neutral AST untouched."""

from __future__ import annotations

import copy
from pathlib import Path

from wcodoc.render.html5.lower import css_class, group_bullets, lower_blocks, lower_edition, titled
from wcodoc.styles import (
    ANNEX_HEADING,
    ANNEX_TITLE,
    BULLET,
    BULLET_2,
    COVER_SEPARATOR,
    COVER_SYMBOL,
    COVER_TITLE,
    NUMBERED_PARAGRAPH,
    SUB_ITEM,
    TABLE_TEXT,
)
from wcodoc.transform import nodes, pandocast
from wcodoc.transform.floats import caption_inlines
from wcodoc.transform.targets import Label


def _paragraph(style: str, number: str, anchor: str, inlines: list) -> dict:
    return nodes.numbered(pandocast.styled([pandocast.para(inlines)], style), number, anchor)


def _styled(style: str, text: str) -> dict:
    return pandocast.styled([pandocast.para(pandocast.text(text))], style)


def _link(node: dict) -> tuple[list[str], str, str]:
    """(classes, text, href) of a Link."""
    attr, inlines, (href, _title) = node["c"]
    return attr[1], pandocast.stringify(inlines), href


def _captioned(label: str) -> dict:
    cell = [pandocast.styled([pandocast.para(pandocast.text("x"))], TABLE_TEXT.name)]
    table = pandocast.table([[cell]], (1.0,), header=[[pandocast.plain(pandocast.text("Head"))]])
    table["c"][1] = [None, [pandocast.plain(caption_inlines("Table {number}: {caption}", "1", label, []))]]
    return nodes.space_after(nodes.numbered(table, "1", "tbl-1"))


NEUTRAL = [
    nodes.numbered(pandocast.header(1, pandocast.text("Intro")), "III", "sec-III", label="sec:intro"),
    _paragraph(
        NUMBERED_PARAGRAPH.name, "12", "p12", [nodes.label_mark("par:aim"), *pandocast.text("The aim.")]
    ),
    _paragraph(
        SUB_ITEM.name,
        "12.b",
        "p12b",
        [*pandocast.text("See"), {"t": "Space"}, nodes.xref(Label("par:aim", "12", Path("a.md")))],
    ),
    pandocast.header(2, pandocast.text("A sub-heading")),
    _captioned("tbl:vocab"),
]


def test_each_neutral_node_becomes_what_the_page_shows():
    neutral = copy.deepcopy(NEUTRAL)
    section, paragraph, sub_item, sub_heading, table = lower_blocks(neutral)
    assert neutral == NEUTRAL  # the DOCX writer may read the document after this one
    # A section: one level down (<h1> is the title), its numeral a link to its anchor.
    level, attr, inlines = section["c"]
    assert (level, attr) == (2, ["sec-III", [], []])
    assert _link(inlines[0]) == (["num"], "III.", "#sec-III")
    assert pandocast.stringify(inlines[1:]) == " Intro"
    # A paragraph: its number as Word prints it, before its text; the empty label mark gone.
    attr, (number, para) = paragraph["c"]
    assert attr == ["p12", ["numbered", "numbered-paragraph"], []]
    assert _link(number["c"][0]) == (["num"], "12.", "#p12")
    assert para == pandocast.para(pandocast.text("The aim."))
    # A sub-item prints its letter; a cross-reference is a link with the DOCX's text.
    attr, (number, para) = sub_item["c"]
    assert attr == ["p12b", ["numbered", "sub-item"], []]
    assert _link(number["c"][0]) == (["num"], "b.", "#p12b")
    assert _link(para["c"][-1]) == (["xref"], "12", "#p12")
    assert sub_heading["c"][0] == 3
    # A table: anchored, its caption's number a link, header cells scoped, cells plain text.
    attr, (_short, (caption,)), _specs, head, bodies, _foot = table["c"]
    assert attr == ["tbl-1", [], []]
    assert [n["t"] for n in caption["c"]][:3] == ["Str", "Space", "Link"]
    assert _link(caption["c"][2]) == (["num"], "1", "#tbl-1")
    assert head[1][0][1][0][0] == ["", [], [["scope", "col"]]]
    assert bodies[0][3][0][1][0][4] == [pandocast.plain(pandocast.text("x"))]


def test_an_unlabelled_caption_gets_its_number_linked_too():
    (table,) = lower_blocks([_captioned("")])
    caption = table["c"][1][1][0]
    assert _link(caption["c"][2]) == (["num"], "1", "#tbl-1")
    assert pandocast.stringify(caption) == "Table 1: "


def test_bullets_become_one_list_the_deeper_ones_nested():
    blocks = [
        _styled(BULLET.name, "one"),
        _styled(BULLET_2.name, "one and a half"),
        _styled(BULLET.name, "two"),
        pandocast.para(pandocast.text("after")),
        _styled(BULLET.name, "again"),
    ]
    first, after, second = lower_blocks(blocks)
    assert first == {
        "t": "BulletList",
        "c": [
            [
                pandocast.plain(pandocast.text("one")),
                {"t": "BulletList", "c": [[pandocast.plain(pandocast.text("one and a half"))]]},
            ],
            [pandocast.plain(pandocast.text("two"))],
        ],
    }
    assert after["t"] == "Para" and second["t"] == "BulletList"
    assert group_bullets([]) == []


def test_the_cover_its_title_the_h1_its_layout_table_columns_its_separator_a_rule():
    layout = pandocast.table([[[_styled(COVER_SYMBOL.name, "PC0685Ea")], []]], (0.5, 0.5))
    cover = [layout, _styled(COVER_TITLE.name, "FUTURE OF CUSTOMS"), _styled(COVER_SEPARATOR.name, "*")]
    lowered = lower_edition([cover, [NEUTRAL[1]]])
    columns, title, rule = lowered.cover
    assert columns["c"][0][1] == ["cover-columns"]
    assert [c["c"][0][1] for c in columns["c"][1]] == [["cover-column"], ["cover-column"]]
    assert columns["c"][1][0]["c"][1][0]["c"][0] == ["", [css_class(COVER_SYMBOL.name)], []]
    assert title == {"t": "Header", "c": [1, ["", ["cover-title"], []], pandocast.text("FUTURE OF CUSTOMS")]}
    assert rule == {"t": "HorizontalRule"}
    assert lowered.body[0]["c"][0][0] == "p12"


def test_a_first_part_with_numbered_targets_is_no_cover():
    lowered = lower_edition([[NEUTRAL[0], NEUTRAL[1]]])
    assert lowered.cover == [] and [h.anchor for h in lowered.headings] == ["sec-III"]


def test_annexes_are_headed_annex_or_annex_i_ii_and_listed_for_the_contents():
    def annex(title: str | None) -> list:
        front = [_styled(ANNEX_HEADING.name, "Annex to Doc. PC0685Ea")]
        return [*front, _styled(ANNEX_TITLE.name, title)] if title else front

    one = lower_edition([[NEUTRAL[0]], annex("Use cases")])
    assert [(h.anchor, h.level) for h in one.headings] == [("sec-III", 2), ("annex", 2)]
    two = lower_edition([[NEUTRAL[0]], annex("Glossary"), annex(None)])
    assert [h.anchor for h in two.headings] == ["sec-III", "annex-I", "annex-II"]
    untitled = two.body[-1]
    assert untitled["c"][:2] == [2, ["annex-II", ["annex-heading"], []]]


def test_the_h1_of_a_cover_without_a_cover_title_is_the_paragraph_printing_the_kinds_title():
    cover = lower_blocks(
        [_styled(COVER_SYMBOL.name, "PC0685Ea"), _styled("Report Title", "REPORT TO THE COUNCIL")]
    )
    symbol, title = titled(cover, "Report to the Council")
    assert symbol == cover[0]
    assert title == {
        "t": "Header",
        "c": [1, ["", ["report-title"], []], pandocast.text("REPORT TO THE COUNCIL")],
    }
    first, *rest = titled(cover, "Something else")
    assert first == pandocast.header(1, pandocast.text("Something else")) and rest == cover
    with_title = lower_blocks([_styled(COVER_TITLE.name, "FUTURE")])
    assert titled(with_title, "Future") is with_title
