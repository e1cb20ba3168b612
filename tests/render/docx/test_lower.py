"""The neutral nodes lowered for Word: bookmarks, REF fields, spacers; the neutral AST untouched."""

from __future__ import annotations

import copy
from collections import Counter
from pathlib import Path

import pytest

from tests.render.docx.test_parts import RICH
from wcodoc.build import assemble_parts
from wcodoc.errors import WcodocError
from wcodoc.load.project import load_project
from wcodoc.ooxml import spacer_paragraph
from wcodoc.ooxml.fields import MAX_BOOKMARK, bookmark_name, ref_field
from wcodoc.render.docx import lower
from wcodoc.render.docx.lower import Lowering
from wcodoc.styles import NUMBERED_PARAGRAPH, SUB_ITEM
from wcodoc.transform import nodes, pandocast
from wcodoc.transform.targets import Label
from wcodoc.transform.usecases import LABEL_PREFIX, MAX_ID


def _label(key: str, number: str) -> Label:
    return Label(key, number, Path("chapters/01.md"), 1)


def _paragraph(style: str, number: str, anchor: str, inlines: list) -> dict:
    return nodes.numbered(pandocast.styled([pandocast.para(inlines)], style), number, anchor)


NEUTRAL = [
    nodes.numbered(pandocast.header(1, pandocast.text("Intro")), "II", "sec-II", label="sec:intro"),
    nodes.numbered(pandocast.header(1, pandocast.text("Plain")), "III", "sec-III"),
    _paragraph(
        NUMBERED_PARAGRAPH.name, "12", "p12", [nodes.label_mark("par:aim"), *pandocast.text("The aim.")]
    ),
    _paragraph(
        SUB_ITEM.name,
        "12.b",
        "p12b",
        [*pandocast.text("See"), {"t": "Space"}, nodes.xref(_label("par:aim", "12"))],
    ),
    pandocast.para([nodes.xref(_label("tbl:t", "1")), {"t": "Space"}, nodes.xref(_label("sec:intro", "II"))]),
    nodes.space_after(
        nodes.numbered(pandocast.table([[[pandocast.plain(pandocast.text("x"))]]], (1.0,)), "1", "tbl-1")
    ),
]


def test_each_neutral_node_becomes_what_word_needs():
    neutral = copy.deepcopy(NEUTRAL)
    lowered = Lowering().part(neutral)
    assert neutral == NEUTRAL  # another writer may read the document after this one
    section, plain, paragraph, sub_item, refs, table, spacer = lowered
    # The bookmark around the heading's text, not its identifier (a bookmark over the section).
    heading = [pandocast.span(pandocast.text("Intro"), identifier="sec_intro")]
    assert section["c"][1:] == [["", [], []], heading]
    assert plain["c"][1] == ["", [], []]
    assert paragraph["c"][0] == ["", [], [["custom-style", NUMBERED_PARAGRAPH.name]]]
    assert paragraph["c"][1][0]["c"][0] == pandocast.span([], identifier="par_aim")
    assert sub_item["c"][0] == ["", [], [["custom-style", SUB_ITEM.name]]]
    assert sub_item["c"][1][0]["c"][-1] == lower.raw_inline(ref_field("par_aim", "12"))
    assert refs["c"][0] == lower.raw_inline(ref_field("tbl_t", "1", number=False))
    assert refs["c"][2] == lower.raw_inline(ref_field("sec_intro", "II"))
    assert table["t"] == "Table" and table["c"][0] == ["", [], []]
    assert spacer == lower.raw_block(spacer_paragraph())


def test_the_number_of_a_use_case_or_caption_is_bookmarked():
    mark = nodes.label_mark("uc:kr-export", [{"t": "Str", "c": "3"}])
    assert Lowering().part([pandocast.para([mark])]) == [
        pandocast.para([pandocast.span([{"t": "Str", "c": "3"}], identifier="uc_kr_export")])
    ]


def test_two_labels_with_one_bookmark_are_refused(monkeypatch):
    monkeypatch.setattr(lower, "bookmark_name", lambda key: "Same")
    lowering = Lowering()
    lowering.part([pandocast.para([nodes.label_mark("par:a")])])
    with pytest.raises(WcodocError, match="labels 'par:a' and 'par:b' give the same Word bookmark"):
        lowering.part([pandocast.para([nodes.label_mark("par:b")])])


def test_the_longest_use_case_id_keeps_a_readable_bookmark():
    longest = LABEL_PREFIX + "a" * MAX_ID
    assert bookmark_name(longest) == "uc_" + "a" * MAX_ID and len(bookmark_name(longest)) == MAX_BOOKMARK


def _neutral_nodes(value) -> list:
    found = []

    def visit(node):
        attr = nodes.attr_of(node)
        if set(attr[1]) & {nodes.XREF, nodes.LABEL, nodes.SPACE_AFTER} or nodes.attribute(attr, nodes.NUMBER):
            found.append(node)

    pandocast.walk(value, visit, only=("Span", "Div", "Header", "Table", "Figure"))
    return found


def _raw(value) -> list:
    found: list = []
    pandocast.walk(value, found.append, only=("RawInline", "RawBlock"))
    return found


def test_the_transforms_write_no_word_xml_the_lowering_leaves_nothing_neutral(make_project):
    assembled = assemble_parts(load_project(make_project(RICH)), use_cache=False)
    assert not assembled.problems.errors
    assert not _raw(assembled.document)
    kinds = Counter(
        next((c for c in nodes.attr_of(n)[1] if c in (nodes.XREF, nodes.LABEL)), n["t"])
        for n in _neutral_nodes(assembled.document)
    )
    # RICH: 3 sections (one labelled), 4 paragraphs, 2 sub-items and 2 use cases, a captioned
    # table and 2 figures; 5 label marks (2 paragraphs, a table, 2 use cases), 7 references.
    assert kinds == {"Header": 3, "Div": 8, "Table": 1, "Figure": 2, nodes.LABEL: 5, nodes.XREF: 7}
    lowering = Lowering()
    lowered = [lowering.part(part) for part in assembled.parts]
    assert not _neutral_nodes(lowered)
    assert len(_raw(lowered)) == 7 + 1  # the references, a spacer after the table
