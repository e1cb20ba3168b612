"""The line of one node of a source's AST (``positions.line_of``, ``Source.line_at``): found by
the very object and pandoc's source positions, never by searching the file for its words."""

from __future__ import annotations

import re
import textwrap
from pathlib import Path
from typing import Any

from wcodoc.parse.pandoc import markdown_to_ast
from wcodoc.parse.positions import line_of, place_of, places
from wcodoc.parse.reader import Source, locate

TEXT = textwrap.dedent(
    """\
    # Same words

    Same words, see \\@doe99 and `@doe99`.

    Same words, see @doe99 and @other, then @doe99 again
    on the next line.

    - A bullet
      - A nested bullet

        * * *

    Term
    :   A definition.

        ---

        A second rule below.

        ---

    ::: unnumbered
    > A quotation citing @doe99 in a div.
    :::

    Mail info@doe99.org, then a note.[^n] And cite @doe99.

    <table><tr><td>one line of HTML</td></tr></table>

    [^n]: The note.

        It cites @doe99 too.
    """
)


def source() -> Source:
    return Source(Path("chapter.md"), TEXT, markdown_to_ast(TEXT))


def nodes(tree: Any, kind: str) -> list[dict]:
    """Every node of ``kind`` under ``tree``, in reading order."""
    out: list[dict] = []
    if isinstance(tree, dict):
        if tree.get("t") == kind:
            out.append(tree)
        for value in tree.values():
            out.extend(nodes(value, kind))
    elif isinstance(tree, list):
        for item in tree:
            out.extend(nodes(item, kind))
    return out


def citations(tree: Any) -> list[dict]:
    return [c for cite in nodes(tree, "Cite") for c in cite["c"][0]]


def test_the_same_words_are_told_apart_by_the_node_itself():
    chapter = source()
    first, second = (b for b in chapter.blocks[1:3])
    assert (chapter.line_at(first, "Same words"), chapter.line_at(second, "Same words")) == (3, 5)


def test_a_citation_is_found_where_it_stands_not_where_its_text_stands_first():
    chapter = source()
    cited = [c for c in citations(chapter.blocks) if c["citationId"] == "doe99"]
    lines = [
        chapter.line_at(c, "@doe99", same=lambda n: n.get("citationId") == "doe99", word_start=True)
        for c in cited
    ]
    # line 3 escapes it and holds it in code; line 26 has it in an e-mail address first;
    # the note (line 32) is read where it is called
    assert lines == [5, 5, 23, 32, 26]


def test_rules_are_found_by_their_rank_in_their_block():
    chapter = source()
    rule = re.compile(r"^[ \t>:]*([-*_])(?:[ \t]*\1){2,}[ \t]*$")
    assert [chapter.line_at(r, rule) for r in nodes(chapter.blocks, "HorizontalRule")] == [11, 16, 20]


def test_blocks_commonmark_reads_as_one_share_its_lines():
    chapter = source()
    raw = nodes(chapter.blocks, "RawBlock")
    assert len(raw) > 1 and {chapter.line_at(r, r["c"][1]) for r in raw} == {28}


def test_a_node_outside_the_blocks_has_no_place():
    chapter = source()
    stranger = {"t": "Str", "c": "Same"}
    assert chapter.line_at(stranger, "Same") is None and not chapter.holds(stranger)
    assert place_of(TEXT, chapter.blocks, places(TEXT, chapter.blocks), stranger) is None


def test_locate_names_the_source_that_holds_the_node():
    one, two = source(), Source(Path("other.md"), TEXT, markdown_to_ast(TEXT))
    target = citations(two.blocks)[0]
    assert locate(target, [one, two], "@doe99", word_start=True) == (Path("other.md"), 5)
    assert locate({"t": "Space"}, [one, two]) == (None, None)


def test_without_a_needle_the_line_is_the_first_of_the_block():
    chapter = source()
    found = places(TEXT, chapter.blocks)
    bullets = chapter.blocks[3]
    assert line_of(TEXT, chapter.blocks, found, bullets) == 8


def test_a_build_without_a_problem_asks_for_no_position(make_project, monkeypatch):
    """Positions cost one more pandoc call a file: looked up for messages only, never on the way
    of a clean build full of labels, references, captions, pictures and links."""
    from tests.workflow.test_usecasefiles import png
    from wcodoc.build import build_project

    chapter = (
        "# Aims {#sec:aims}\n\n[]{#par:aim} The aim, see @sec:aims and [the scope](#scope).\n\n"
        "## Scope {#scope}\n\nAs @par:aim says.\n\n![A chart](chart.png){#fig:chart}\n\n"
        "  A   B\n  --- ---\n  1   2\n\n: Numbers {#tbl:numbers}\n\nSee @tbl:numbers and @fig:chart.\n"
    )
    root = make_project({"chapters/01.md": chapter, "chapters/chart.png": png()})

    def refused(*_args: object) -> list:
        raise AssertionError("positions were read for a build with nothing to report")

    monkeypatch.setattr("wcodoc.parse.reader.places", refused)
    result = build_project(root, root / "out", ("docx",), use_cache=False)
    assert result.warnings == [] and result.outputs["docx"].is_file()
