"""Where each block of a Markdown source stands (pandoc's CommonMark source positions, lined
up with pandoc Markdown's reading)."""

from __future__ import annotations

import textwrap

import pytest

from wcodoc.parse.pandoc import markdown_to_ast
from wcodoc.parse.positions import Place, find_in, places, read_positions

TEXT = textwrap.dedent(
    """\
    % A title block
    % Someone

    # Introduction {#sec:intro}

    []{#par:aim} The aim, with a note.[^a] See \\@doe99 here.

    a. first item
    b. second item
       continued

    Simple table:

      N   Name
     ---  -----
      1   One

    | a line block
    | second line

    Another paragraph citing @doe99 and `@doe99` in code.

    ::: unnumbered
    An unnumbered paragraph.

    - bullet one
    - bullet two
    :::

    > quoted text
    > more

    [^a]: The note text.

    Final paragraph.
    """
)


@pytest.fixture(scope="module")
def read() -> tuple[list[dict], list[Place]]:
    blocks = markdown_to_ast(TEXT)["blocks"]
    return blocks, places(TEXT, blocks)


def _first_line(place: Place) -> str:
    return TEXT.splitlines()[place.start - 1]


def test_every_block_gets_the_lines_it_was_read_from(read):
    blocks, found = read
    assert [(b["t"], p.start, p.end) for b, p in zip(blocks, found, strict=True)] == [
        ("Header", 4, 4),
        ("Para", 6, 6),
        ("OrderedList", 8, 10),
        ("Para", 12, 12),
        ("Table", 14, 16),
        ("LineBlock", 18, 19),
        ("Para", 21, 21),
        ("Div", 23, 28),
        ("BlockQuote", 30, 31),
        ("Para", 35, 35),
    ]


def test_blocks_only_pandoc_markdown_knows_are_placed_between_their_neighbours(read):
    blocks, found = read
    kinds = {b["t"]: p for b, p in zip(blocks, found, strict=True)}
    assert not kinds["Table"].exact and not kinds["LineBlock"].exact
    assert kinds["Para"].exact and kinds["OrderedList"].exact


def test_list_items_and_the_blocks_of_a_div_have_places_of_their_own(read):
    _blocks, found = read
    items = found[2].children
    assert [(p.start, p.end) for p in items if p] == [(8, 8), (9, 10)]
    div = found[7].children
    assert _first_line(div[0]) == "An unnumbered paragraph."
    bullets = div[1]
    assert bullets is not None and [(p.start, p.end) for p in bullets.children if p] == [(26, 26), (27, 27)]


def test_a_needle_escaped_or_in_code_is_not_found():
    whole = Place(1, len(TEXT.splitlines()))
    assert find_in(TEXT, whole, "@doe99") == 21
    assert find_in(TEXT, Place(6, 6), "@doe99") is None


def test_a_file_without_blocks_has_no_places():
    assert places("", []) == []


def test_the_same_words_twice_are_told_apart_by_order():
    text = "Same words.\n\nOther.\n\nSame words.\n"
    blocks = markdown_to_ast(text)["blocks"]
    assert [p.start for p in places(text, blocks)] == [1, 3, 5]


def test_the_characters_shown_as_text_point_at_their_place():
    text = "A *b* \\*c\\* &amp; don't\té [link](https://x.org) and[^n].\n\n[^n]: The note.\n"
    shown = read_positions(text, markdown_to_ast(text)["blocks"]).shown
    own = [(c, n) for c, n in zip(shown.chars, shown.notes, strict=True)]
    assert "".join(c for c, n in own if n < 0) == "A b *c* & don’t é link and."
    assert "".join(c for c, n in own if n == 0) == "The note."
    for offset, char in zip(shown.offsets, shown.chars, strict=True):
        # a blank stands for its run (a tab here), the entity &amp; at its first character
        assert text[offset] == {"’": "'"}.get(char, char) or (char == " " and text[offset].isspace())
    assert "https" not in "".join(shown.chars)  # a link's target is markup
    assert shown.between(0, text.index("\n")) == [k for k, (_, n) in enumerate(own) if n < 0]
