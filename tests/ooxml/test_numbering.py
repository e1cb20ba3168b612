"""The numbers Word would show, counted from short inline ``styles.xml``/``numbering.xml`` fixtures.

``lvl(0, "decimal")`` and ``p("text", style=..., num=..., ilvl=...)`` write the few elements a
case needs; :func:`numbers` reads a body with :class:`BlockReader` as ``wcodoc diff`` does and
returns each paragraph's (kind, number).
"""

from __future__ import annotations

import pytest

from tests.support.wml import xml
from wcodoc.diff.extract import BlockReader
from wcodoc.ooxml.numbering import Level, Numbering
from wcodoc.ooxml.styles import MAX_STYLE_DEPTH, Style, read_styles


def lvl(ilvl: int, fmt: str | None = "decimal", *, start: int | None = 1, restart: int | None = None) -> str:
    parts = [f'<w:start w:val="{start}"/>' if start is not None else ""]
    parts.append(f'<w:numFmt w:val="{fmt}"/>' if fmt is not None else "")
    parts.append(f'<w:lvlRestart w:val="{restart}"/>' if restart is not None else "")
    return f'<w:lvl w:ilvl="{ilvl}">{"".join(parts)}</w:lvl>'


def abstract(aid: str, *levels: str) -> str:
    return f'<w:abstractNum w:abstractNumId="{aid}">{"".join(levels)}</w:abstractNum>'


def num(nid: str, aid: str, **start_overrides: int) -> str:
    overrides = "".join(
        f'<w:lvlOverride w:ilvl="{k[1:]}"><w:startOverride w:val="{v}"/></w:lvlOverride>'
        for k, v in start_overrides.items()
    )
    return f'<w:num w:numId="{nid}"><w:abstractNumId w:val="{aid}"/>{overrides}</w:num>'


def numbering(*children: str) -> Numbering:
    return Numbering.read(xml(f"<w:numbering>{''.join(children)}</w:numbering>"))


def style(
    sid: str,
    *,
    based_on: str | None = None,
    num_id: str | None = None,
    ilvl: int | None = None,
    name: str | None = None,
    kind: str = "paragraph",
    default: bool = False,
) -> str:
    default_attr = ' w:default="1"' if default else ""
    parent = f'<w:basedOn w:val="{based_on}"/>' if based_on else ""
    return (
        f'<w:style w:type="{kind}" w:styleId="{sid}"{default_attr}><w:name w:val="{name or sid}"/>'
        f"{parent}<w:pPr>{num_pr(num_id, ilvl)}</w:pPr></w:style>"
    )


def num_pr(num_id: str | None, ilvl: int | None) -> str:
    if num_id is None and ilvl is None:
        return ""
    level = f'<w:ilvl w:val="{ilvl}"/>' if ilvl is not None else ""
    list_id = f'<w:numId w:val="{num_id}"/>' if num_id is not None else ""
    return f"<w:numPr>{level}{list_id}</w:numPr>"


def p(text: str, *, style: str | None = None, num: str | None = None, ilvl: int | None = None) -> str:
    pstyle = f'<w:pStyle w:val="{style}"/>' if style else ""
    return f"<w:p><w:pPr>{pstyle}{num_pr(num, ilvl)}</w:pPr><w:r><w:t>{text}</w:t></w:r></w:p>"


# One multilevel list (1. / a. / i.), Roman headings and bullets, as wcodoc's template has them.
LISTS = (
    abstract("1", lvl(0, "decimal"), lvl(1, "lowerLetter"), lvl(2, "lowerRoman")),
    abstract("2", lvl(0, "upperRoman")),
    abstract("3", lvl(0, "bullet"), lvl(1, "none")),
    num("1", "1"),
    num("2", "2"),
    num("3", "3"),
)
STYLES = (
    style("Normal", default=True),
    style("Heading1", name="heading 1", based_on="Normal", num_id="2", ilvl=0),
    style("Para", name="Numbered Paragraph", based_on="Normal", num_id="1", ilvl=0),
    style("Sub", name="Sub-item", based_on="Para", ilvl=1),
    style("Bullet", name="Bullet", based_on="Normal", num_id="3", ilvl=0),
)


def numbers(*paragraphs: str, styles: tuple[str, ...] = STYLES, lists: tuple[str, ...] = LISTS):
    """(kind, number) of each paragraph of a body, as the diff's extraction reads them."""
    reader = BlockReader(read_styles(xml(f"<w:styles>{''.join(styles)}</w:styles>")), numbering(*lists))
    blocks = reader.read(xml(f"<w:body>{''.join(paragraphs)}</w:body>"))
    return [(b.block, b.number) for b in blocks]


# --- formats -------------------------------------------------------------------------------------


def test_each_level_shows_its_format():
    lists = (
        abstract(
            "1", lvl(0, "upperRoman"), lvl(1, "upperLetter"), lvl(2, "decimalZero"), lvl(3, "lowerRoman")
        ),
        num("1", "1"),
    )
    body = [p(f"h{k}", num="1") for k in range(14)]
    body += [p("A", num="1", ilvl=1), p("B", num="1", ilvl=1), p("01", num="1", ilvl=2)]
    body += [p(f"r{k}", num="1", ilvl=3) for k in range(9)]
    got = [number for _, number in numbers(*body, lists=lists)]
    assert got[:14] == [
        "I",
        "II",
        "III",
        "IV",
        "V",
        "VI",
        "VII",
        "VIII",
        "IX",
        "X",
        "XI",
        "XII",
        "XIII",
        "XIV",
    ]
    assert got[14:17] == ["XIV.A", "XIV.B", "XIV.B.01"]
    assert got[-1] == "XIV.B.01.ix"


def test_letters_repeat_after_z_as_word_does():
    lists = (abstract("1", lvl(0, "lowerLetter")), num("1", "1"))
    got = [number for _, number in numbers(*(p(f"x{k}", num="1") for k in range(54)), lists=lists)]
    assert (got[0], got[25], got[26], got[27], got[52], got[53]) == ("a", "z", "aa", "bb", "aaa", "bbb")


@pytest.mark.parametrize("fmt", ["decimal", "ordinal", "cardinalText", None])
def test_decimal_and_unknown_formats_show_digits(fmt):
    lists = (abstract("1", lvl(0, fmt, start=7)), num("1", "1"))
    assert numbers(p("x", num="1"), lists=lists) == [("paragraph", "7")]


# --- reading numbering.xml and styles.xml --------------------------------------------------------


def test_levels_read_with_their_defaults():
    lists = numbering(
        abstract(
            "5",
            lvl(0, None, start=None),
            lvl(1, "lowerLetter", start=3, restart=0),
            lvl(2, "bullet", restart=1),
        ),
        num("8", "5", i1=10),
    )
    assert lists.abstract == {
        "5": {
            0: Level(start=1, fmt="decimal", restart=None),
            1: Level(start=3, fmt="lowerLetter", restart=0),
            2: Level(start=1, fmt="bullet", restart=1),
        }
    }
    assert lists.nums == {"8": ("5", {1: 10})}
    assert lists.level("8", 1) == Level(start=3, fmt="lowerLetter", restart=0)
    assert lists.level("8", 4) is None
    assert lists.level("9", 0) is None


def test_garbled_numbers_fall_back_instead_of_failing():
    lists = numbering(
        '<w:abstractNum w:abstractNumId="1"><w:lvl w:ilvl="x"><w:start w:val="one"/></w:lvl></w:abstractNum>',
        num("1", "1"),
    )
    assert lists.abstract == {"1": {0: Level(start=1, fmt="decimal")}}
    assert lists.count("1", 0) == [(1, "decimal")]


def test_no_numbering_part_numbers_nothing():
    lists = Numbering.read(None)
    assert (lists.abstract, lists.nums) == ({}, {})
    assert lists.count("1", 0) is None


def test_styles_read_paragraph_styles_only():
    read = read_styles(
        xml(
            "<w:styles>"
            + style("Normal", default=True)
            + style("Strong", kind="character")
            + style("Grid", kind="table")
            + style("Para", name="Numbered Paragraph", based_on="Normal", num_id="11", ilvl=0)
            + style("Sub", based_on="Para", ilvl=1)
            + '<w:style w:styleId="NoType"><w:pPr><w:numPr><w:ilvl w:val="x"/></w:numPr></w:pPr></w:style>'
            + "</w:styles>"
        )
    )
    assert read.default == "Normal"
    assert read.paragraphs == {
        "Normal": Style("Normal", None, None, None),
        "Para": Style("Numbered Paragraph", "Normal", "11", 0),
        "Sub": Style("Sub", "Para", None, 1),
        "NoType": Style("NoType", None, None, None),
    }
    assert (read_styles(None).paragraphs, read_styles(None).default) == ({}, None)


# --- counting -------------------------------------------------------------------------------------


def test_decimal_letters_and_roman_levels_count_and_join():
    assert numbers(
        p("one", style="Para"),
        p("one a", style="Sub"),
        p("one b", style="Sub"),
        p("one b i", num="1", ilvl=2),
        p("one b ii", num="1", ilvl=2),
        p("two", style="Para"),
    ) == [
        ("paragraph", "1"),
        ("sub-item", "1.a"),
        ("sub-item", "1.b"),
        ("sub-item", "1.b.i"),
        ("sub-item", "1.b.ii"),
        ("paragraph", "2"),
    ]


def test_deeper_levels_restart_when_a_shallower_one_is_used():
    assert numbers(
        p("one", style="Para"),
        p("a", style="Sub"),
        p("b", style="Sub"),
        p("two", style="Para"),
        p("a again", style="Sub"),
    ) == [
        ("paragraph", "1"),
        ("sub-item", "1.a"),
        ("sub-item", "1.b"),
        ("paragraph", "2"),
        ("sub-item", "2.a"),
    ]


def test_lvl_restart_zero_never_restarts():
    lists = (abstract("1", lvl(0), lvl(1, "lowerLetter", restart=0)), num("1", "1"))
    assert numbers(
        p("one", num="1", ilvl=0),
        p("a", num="1", ilvl=1),
        p("two", num="1", ilvl=0),
        p("continues", num="1", ilvl=1),
        lists=lists,
    ) == [("paragraph", "1"), ("sub-item", "1.a"), ("paragraph", "2"), ("sub-item", "2.b")]


def test_lvl_restart_names_the_level_that_restarts_it():
    """Level 3 with ``lvlRestart 1`` restarts after level 1 (ilvl 0) only, not after level 2."""
    lists = (abstract("1", lvl(0), lvl(1, "lowerLetter"), lvl(2, "lowerRoman", restart=1)), num("1", "1"))
    assert numbers(
        p("one", num="1", ilvl=0),
        p("a", num="1", ilvl=1),
        p("i", num="1", ilvl=2),
        p("b", num="1", ilvl=1),
        p("ii", num="1", ilvl=2),
        p("two", num="1", ilvl=0),
        p("a", num="1", ilvl=1),
        p("i again", num="1", ilvl=2),
        lists=lists,
    ) == [
        ("paragraph", "1"),
        ("sub-item", "1.a"),
        ("sub-item", "1.a.i"),
        ("sub-item", "1.b"),
        ("sub-item", "1.b.ii"),
        ("paragraph", "2"),
        ("sub-item", "2.a"),
        ("sub-item", "2.a.i"),
    ]


def test_start_value_of_a_level():
    lists = (abstract("1", lvl(0, start=5)), num("1", "1"))
    assert numbers(p("x", num="1"), p("y", num="1"), lists=lists) == [("paragraph", "5"), ("paragraph", "6")]


def test_nums_of_one_abstract_list_share_their_counters():
    lists = (abstract("1", lvl(0)), num("1", "1"), num("2", "1"))
    assert numbers(p("x", num="1"), p("y", num="2"), p("z", num="1"), lists=lists) == [
        ("paragraph", "1"),
        ("paragraph", "2"),
        ("paragraph", "3"),
    ]


def test_start_override_restarts_the_shared_list_once():
    lists = (abstract("1", lvl(0)), num("1", "1"), num("2", "1", i0=1), num("3", "1", i0=10))
    assert numbers(
        p("one", num="1"),
        p("two", num="1"),
        p("restarted", num="2"),
        p("continues", num="2"),
        p("continues in the first num too", num="1"),
        p("jumps", num="3"),
        lists=lists,
    ) == [
        ("paragraph", "1"),
        ("paragraph", "2"),
        ("paragraph", "1"),
        ("paragraph", "2"),
        ("paragraph", "3"),
        ("paragraph", "10"),
    ]


def test_reset_counts_from_the_start_again():
    lists = numbering(abstract("1", lvl(0)), num("1", "1"), num("2", "1", i0=4))
    assert [lists.count("1", 0), lists.count("2", 0)] == [[(1, "decimal")], [(4, "decimal")]]
    lists.reset()
    assert [lists.count("1", 0), lists.count("2", 0)] == [[(1, "decimal")], [(4, "decimal")]]


def test_reader_counts_each_body_from_one():
    """Reading the same body twice (old draft, then its copy) gives the same numbers."""
    reader = BlockReader(read_styles(xml(f"<w:styles>{''.join(STYLES)}</w:styles>")), numbering(*LISTS))
    body = xml(f"<w:body>{p('one', style='Para')}{p('two', style='Para')}</w:body>")
    first = [b.number for b in reader.read(body)]
    assert [b.number for b in reader.read(body)] == first == ["1", "2"]


def test_headings_count_in_roman_apart_from_paragraphs():
    assert numbers(
        p("Introduction", style="Heading1"),
        p("one", style="Para"),
        p("Findings", style="Heading1"),
        p("two", style="Para"),
    ) == [("heading", "I"), ("paragraph", "1"), ("heading", "II"), ("paragraph", "2")]


def test_bullets_and_none_format_have_no_number():
    assert numbers(
        p("dot", style="Bullet"),
        p("dash", style="Bullet", ilvl=1),
        p("one", style="Para"),
    ) == [("bullet", None), ("bullet", None), ("paragraph", "1")]


@pytest.mark.parametrize(
    "paragraph",
    [
        pytest.param(p("unknown num", num="99"), id="num-not-defined"),
        pytest.param(p("unknown level", num="2", ilvl=3), id="level-not-defined"),
        pytest.param(p("switched off", style="Para", num="0"), id="numId-0"),
    ],
)
def test_paragraphs_whose_list_is_missing_or_off_are_unnumbered(paragraph):
    assert numbers(paragraph) == [("other", None)]


def test_num_pointing_to_a_missing_abstract_list_is_unnumbered():
    assert numbers(p("x", num="1"), lists=(num("1", "404"),)) == [("other", None)]


# --- numPr from the paragraph and its style chain -------------------------------------------------


def test_numpr_is_inherited_through_based_on():
    styles = (*STYLES, style("Child", based_on="Para"), style("Grandchild", based_on="Child"))
    assert numbers(p("x", style="Grandchild"), p("y", style="Child"), styles=styles) == [
        ("paragraph", "1"),
        ("paragraph", "2"),
    ]


def test_direct_ilvl_with_the_styles_num_id():
    assert numbers(p("one", style="Para"), p("a", style="Para", ilvl=1)) == [
        ("paragraph", "1"),
        ("sub-item", "1.a"),
    ]


def test_direct_num_id_with_the_styles_ilvl():
    lists = (*LISTS, abstract("4", lvl(0), lvl(1, "upperLetter")), num("4", "4"))
    assert numbers(p("one", num="4"), p("A", style="Sub", num="4"), lists=lists) == [
        ("paragraph", "1"),
        ("sub-item", "1.A"),
    ]


def test_style_with_num_id_zero_switches_off_its_parents_list():
    styles = (*STYLES, style("Plain", based_on="Para", num_id="0"))
    assert numbers(p("x", style="Plain"), styles=styles) == [("other", None)]


def chain(length: int) -> tuple[str, ...]:
    """Styles S0 → S1 → … → S{length-1}; only the last one carries the list."""
    links = [style(f"S{k}", based_on=f"S{k + 1}") for k in range(length - 1)]
    return (*links, style(f"S{length - 1}", num_id="1", ilvl=0))


def test_style_chain_is_followed_up_to_the_depth_limit():
    assert MAX_STYLE_DEPTH == 20
    assert numbers(p("x", style="S0"), styles=chain(MAX_STYLE_DEPTH)) == [("paragraph", "1")]


def test_style_chain_beyond_the_depth_limit_is_not_followed():
    assert numbers(p("x", style="S0"), styles=chain(MAX_STYLE_DEPTH + 1)) == [("other", None)]


def test_based_on_cycle_ends():
    styles = (style("A", based_on="B"), style("B", based_on="A"))
    assert numbers(p("x", style="A"), styles=styles) == [("other", None)]


def test_paragraph_without_style_uses_the_default_style():
    styles = (style("Listed", default=True, num_id="1", ilvl=0),)
    assert numbers(p("x"), p("y"), styles=styles) == [("paragraph", "1"), ("paragraph", "2")]


def test_definitions_without_their_id_are_left_out():
    """A style, list or list instance missing its own id can be named by nothing: no entry."""
    styles = xml(
        '<w:styles><w:style w:type="paragraph" w:default="1"><w:name w:val="Nameless"/></w:style>'
        '<w:style w:type="paragraph" w:styleId="A"/></w:styles>'
    )
    read = read_styles(styles)
    assert (read.paragraphs, read.default) == ({"A": Style("A", None, None, None)}, None)
    numbering = Numbering.read(
        xml(
            f"<w:numbering><w:abstractNum>{lvl(0)}</w:abstractNum>{abstract('1', lvl(0))}"
            '<w:num><w:abstractNumId w:val="1"/></w:num><w:num w:numId="2"/>'
            f"{num('3', '1')}</w:numbering>"
        )
    )
    assert list(numbering.abstract) == ["1"] and list(numbering.nums) == ["3"]


def test_a_styles_list_does_not_keep_what_one_of_its_paragraphs_set():
    # The list a style chain gives is worked out once per style: a paragraph's own numId or
    # ilvl, read first, must not stick to the style for the paragraphs after it.
    lists = (*LISTS, abstract("4", lvl(0), lvl(1, "upperLetter")), num("4", "4"))
    got = numbers(p("A", style="Sub", num="4"), p("one", style="Para"), p("a", style="Sub"),
                  p("two", style="Sub", ilvl=0), lists=lists)  # fmt: skip
    assert got == [("sub-item", "1.A"), ("paragraph", "1"), ("sub-item", "1.a"), ("paragraph", "2")]
