"""Numbered captions of tables and figures, their tbl:/fig: labels, and the style of cells."""

from __future__ import annotations

from pathlib import Path

from wcodoc.errors import Problems
from wcodoc.load.housestyle import HouseStyle
from wcodoc.parse.pandoc import markdown_to_ast
from wcodoc.parse.reader import Source
from wcodoc.styles import TABLE_TEXT
from wcodoc.transform import pandocast
from wcodoc.transform.floats import find_floats, number_floats, style_table_cells

MARKDOWN = """\
| A | B |
|---|---|
| 1 | 2 |

: First table {#tbl:first}

| C |
|---|
| 3 |

![A chart](chart.png){#fig:chart}

| D |
|---|
| 4 |

Table: Second table
"""


def numbered(markdown: str = MARKDOWN, locale: str = "en"):
    source = Source(Path("chapters/01.md"), markdown, markdown_to_ast(markdown))
    problems = Problems()
    labels = number_floats(find_floats(source.blocks), HouseStyle().terms(locale), [source], problems)
    return source.blocks, labels, problems


def captions(blocks) -> list[str]:
    return [pandocast.stringify(b["c"][1][1]) for b in blocks if b["t"] in ("Table", "Figure")]


def test_captioned_tables_and_figures_are_numbered_each_from_one():
    blocks, labels, problems = numbered()
    assert not problems.errors
    assert captions(blocks) == ["Table 1: First table", "", "Figure 1: A chart", "Table 2: Second table"]
    assert {k: (v.number, v.anchor, v.where()[1]) for k, v in labels.items()} == {
        "tbl:first": ("1", "tbl-1", 5),
        "fig:chart": ("1", "fig-1", 11),
    }


def test_captioned_ones_are_numbered_targets_their_number_in_the_label_mark():
    blocks, _labels, _ = numbered()
    assert [b["c"][0] for b in blocks if b["t"] in ("Table", "Figure")] == [
        ["tbl-1", [], [["number", "1"]]],
        ["", [], []],  # no caption: not numbered, and the author's label is gone
        ["fig-1", [], [["number", "1"]]],
        ["tbl-2", [], [["number", "2"]]],
    ]
    (plain,) = blocks[0]["c"][1][1]
    spans = [n for n in plain["c"] if n["t"] == "Span"]
    assert [(s["c"][0], pandocast.stringify(s)) for s in spans] == [
        (["", ["label"], [["key", "tbl:first"]]], "1")
    ]
    (unlabelled,) = blocks[-1]["c"][1][1]
    assert not [n for n in unlabelled["c"] if n["t"] == "Span"]


def test_french_captions():
    blocks, _labels, _ = numbered(locale="fr")
    assert captions(blocks)[0] == "Tableau 1 : First table"
    assert captions(blocks)[2] == "Figure 1 : A chart"


def test_a_label_with_the_wrong_prefix_is_an_error():
    markdown = "| A |\n|---|\n| 1 |\n\n: Caption {#fig:wrong}\n"
    _blocks, labels, problems = numbered(markdown)
    assert labels == {}
    assert [(p.message, p.line) for p in problems.errors] == [
        ("label 'fig:wrong' on a table: table labels start with 'tbl:'", 5)
    ]


def test_cells_get_table_text_unless_already_styled():
    styled = pandocast.styled([pandocast.para(pandocast.text("kept"))], "Cover Symbol")
    table = pandocast.table([[[pandocast.plain(pandocast.text("x"))], [styled]]], (0.5, 0.5))
    (out,) = style_table_cells([table])
    cells = out["c"][4][0][3][0][1]
    styles = [cell[4][0]["c"][0][2] for cell in cells]
    assert styles == [[["custom-style", TABLE_TEXT.name]], [["custom-style", "Cover Symbol"]]]
