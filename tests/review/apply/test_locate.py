"""The Markdown sources read through pandoc, block by block, as the DOCX shows them; each
character traced to its place in the file (no grammar of our own)."""

from __future__ import annotations

import textwrap
from pathlib import Path

from wcodoc.review.apply.locate import REFERENCE, read_source

TEXT = textwrap.dedent(
    """\
    # Results {#sec:results}

    Pilots used `risk*score`, <https://www.wcoomd.org>, the [guide][g] and [the [revised] text](u).[^fw]

    []{#par:aim}The [SAFE]{.smallcaps} *Framework* applies, see @sec:results^[An *inline* note.].

    a. first point;
    b. second point.

    | Region | Pilots |
    |--------|--------|
    | Europe | 5      |

    | First line
    | second line

    [g]: https://example.org/guide
    [^fw]: Adopted in June 2005.
    """
)


def _read():
    return read_source(Path("chapter.md"), TEXT)


def test_blocks_read_as_the_docx_shows_them():
    file = _read()
    assert [(b.kind, b.shown) for b in file.blocks] == [
        ("heading", "Results"),
        ("text", "Pilots used risk*score, https://www.wcoomd.org, the guide and the [revised] text."),
        ("text", "The SAFE Framework applies, see \u27e8sec_results\u27e9."),
        ("item", "first point;"),
        ("item", "second point."),
        ("table", "Region | Pilots / Europe | 5"),
        ("text", "First line second line"),
    ]
    assert file.blocks[0].labels == ("sec:results",)
    assert file.blocks[2].labels == ("par:aim",)
    assert [n.chars for n in file.blocks[1].notes] == ["Adopted in June 2005."]
    assert [n.chars for n in file.blocks[2].notes] == ["An inline note."]


def test_each_character_points_at_its_place_a_reference_nowhere():
    file = _read()
    for block in file.blocks:
        if block.kind == "table":
            continue
        where = file.where(block)
        for char, container, at in zip(block.text.chars, block.text.containers, where, strict=True):
            if container == REFERENCE:
                assert at is None
            elif at is not None:
                assert TEXT[at] == char.replace("\u2019", "'")
    pilots = file.blocks[1]
    where = file.where(pilots)
    assert TEXT[where[pilots.text.chars.index("guide")] - 1] == "["  # the reference link's text


def test_footnotes_defined_apart_and_inline_are_found():
    file = _read()
    defined = file.note_where(file.blocks[1], 0)
    assert TEXT[defined[0] : defined[-1] + 1] == "Adopted in June 2005."
    inline = file.note_where(file.blocks[2], 0)
    assert TEXT[inline[0] : inline[-1] + 1] == "An *inline* note."


def test_table_cells_point_into_their_rows():
    file = _read()
    table = file.blocks[5]
    cells = file.cells_where(table)
    assert TEXT[cells[1][0][0] : cells[1][0][-1] + 1] == "Europe"
    assert TEXT[cells[1][1][0]] == "5"
