"""Lower the transform's format-neutral nodes (:mod:`wcodoc.transform.nodes`) into what pandoc's
HTML writer needs for the edition.

- a numbered target keeps its anchor (``p12``, ``p9b``, ``sec-III``, ``uc-3``, ``tbl-1``,
  ``fig-1``) as its identifier and shows its number as a link to it: before the text of a
  numbered paragraph or sub-item, as Word prints it from the styles (``12.``, ``b.``), at the
  start of a section heading (``III.``), and on the number a use-case heading or a caption
  already holds;
- a cross-reference becomes a link to its target's anchor, with the very text the DOCX prints;
- a label mark goes: the target carries the anchor;
- a paragraph style becomes HTML's own structure where it has one: headings (the cover's title
  is the page's ``<h1>``, so every heading of the body goes one level down), bullets grouped
  into lists, the cover's layout table as two columns, its separator a rule; any other style
  becomes a class named after it (``Cover Symbol`` → ``cover-symbol``);
- header cells get their ``scope``.

The lowering knows styles, never a kind: whatever a kind puts on its cover comes out as text.
The neutral document is left as it is (the DOCX writer may read it after this one).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from wcodoc.numerals import roman
from wcodoc.styles import (
    ANNEX_HEADING,
    ANNEX_TITLE,
    BODY_TEXT,
    BULLET,
    BULLET_2,
    COVER_SEPARATOR,
    COVER_TITLE,
    FIRST_PARAGRAPH,
    SUMMARY_BULLET,
    SUMMARY_HEADING,
    SUMMARY_LABEL,
    TABLE_TEXT,
    USE_CASE_HEADING,
    ParagraphStyle,
)
from wcodoc.transform import nodes, pandocast
from wcodoc.transform.pandocast import CUSTOM_STYLE, Attr, Node
from wcodoc.transform.typography import NBSP


def _by_name(table: dict[ParagraphStyle, int]) -> dict[str, int]:
    # Word, and so every reader of style names in wcodoc, ignores their case.
    return {style.name.lower(): value for style, value in table.items()}


HEADING_LEVELS = _by_name(
    {COVER_TITLE: 1, SUMMARY_HEADING: 2, ANNEX_TITLE: 2, SUMMARY_LABEL: 3, USE_CASE_HEADING: 3}
)
"""Paragraph styles that are headings in HTML, and their level (``<h1>`` is the title)."""
BULLET_DEPTHS = _by_name({BULLET: 1, BULLET_2: 2, SUMMARY_BULLET: 1})
"""Paragraph styles of list items (Word bullets them through the style), and their depth."""
PLAIN_STYLES = frozenset(s.name.lower() for s in (BODY_TEXT, FIRST_PARAGRAPH))
"""Paragraph styles that need nothing in HTML: a plain paragraph."""
RULE_STYLES = frozenset({COVER_SEPARATOR.name.lower()})
"""Paragraph styles whose text only draws a line: HTML's ``<hr>``."""

NUMBER_CLASS = "num"
"""Class of the link that shows a target's number (and offers the link to it)."""
XREF_CLASS = "xref"
NUMBERED_CLASS = "numbered"
_TARGET_NUMBER = "target-number"
"""Class of a label mark's printed number until its target makes it the number link."""
_BULLET = "wcodoc-bullet"
"""Class of a list item until :func:`group_bullets` puts it into its list."""
_DEPTH = "depth"


def css_class(style: str) -> str:
    """The class a paragraph style becomes: ``Cover Symbol`` → ``cover-symbol``."""
    return re.sub(r"[^a-z0-9]+", "-", style.lower()).strip("-")


def printed_number(number: str) -> str:
    """What Word prints before a numbered paragraph, sub-item or section: ``12.``, ``b.``, ``III.``."""
    return number.rsplit(".", 1)[-1] + "."


def number_link(anchor: str, inlines: list[Node]) -> Node:
    """The number of the target ``anchor`` (``inlines``) as a link to it."""
    return {"t": "Link", "c": [["", [NUMBER_CLASS], []], inlines, ["#" + anchor, ""]]}


@dataclass
class Heading:
    """A heading of the edition that the table of contents lists."""

    anchor: str
    level: int
    inlines: list[Node]


@dataclass
class Lowered:
    """The edition in pandoc blocks: the cover, the body (sections and annexes)."""

    cover: list[Node]
    body: list[Node]
    headings: list[Heading] = field(default_factory=list)
    """The numbered sections, annexes and use cases, in order, for the table of contents."""


def lower_edition(parts: list[list[Node]]) -> Lowered:
    """The parts of the assembled document lowered for HTML: the cover (the first part, when it
    holds no numbered target) apart from the rest."""
    cover: list[Node] = []
    if parts and not any(_is_numbered(block) for block in parts[0]):
        cover, parts = parts[0], parts[1:]
    annexes = [part for part in parts if _is_annex(part)]
    several = len(annexes) > 1
    annex_ids = iter(f"annex-{roman(n)}" if several else "annex" for n in range(1, len(annexes) + 1))
    body: list[Node] = []
    for part in parts:
        body.extend(_annex(part, next(annex_ids)) if _is_annex(part) else lower_blocks(part))
    return Lowered(_cover(cover), body, list(_headings(body)))


def titled(cover: list[Node], title: str) -> list[Node]:
    """``cover`` with an ``<h1>``: its ``Cover Title`` paragraph; else the paragraph that prints
    the kind's ``title`` (whatever its style); else ``title`` itself, first."""
    if any(block["t"] == "Header" and block["c"][0] == 1 for block in cover):
        return cover
    wanted = " ".join(title.split()).casefold()
    for k, block in enumerate(cover):
        if block["t"] == "Div" and " ".join(pandocast.stringify(block).split()).casefold() == wanted:
            return [*cover[:k], _header(1, block["c"][0], _inlines(block["c"][1])), *cover[k + 1 :]]
    return [pandocast.header(1, pandocast.text(title)), *cover]


def lower_blocks(blocks: list[Node]) -> list[Node]:
    """Blocks lowered for HTML (a new list: ``blocks`` and their nodes are not changed)."""
    lowered = pandocast.rewritten(blocks, _lower, only=("Span", "Div", "Header", "Table", "Figure"))
    return group_bullets(lowered)


def _cover(blocks: list[Node]) -> list[Node]:
    """The cover lowered; its layout tables as columns of text (not data)."""
    return [_columns(block) if block["t"] == "Table" else block for block in lower_blocks(blocks)]


def _annex(blocks: list[Node], identifier: str) -> list[Node]:
    """An annex lowered, its title (else its ``Annex to Doc.`` line) a heading with ``identifier``."""
    lowered = lower_blocks(blocks)
    title = next((i for i, b in enumerate(lowered) if _has_class(b, css_class(ANNEX_TITLE.name))), None)
    if title is None:
        heading = lowered[0]
        lowered[0] = _header(2, ["", [css_class(ANNEX_HEADING.name)], []], _inlines(heading["c"][1]))
        title = 0
    level, (_id, classes, attributes), inlines = lowered[title]["c"]
    lowered[title] = {"t": "Header", "c": [level, [identifier, classes, attributes], inlines]}
    return lowered


def _is_numbered(block: Node) -> bool:
    return block["t"] in ("Header", "Div") and nodes.attribute(nodes.attr_of(block), nodes.NUMBER) is not None


def _is_annex(blocks: list[Node]) -> bool:
    return bool(blocks) and _style(blocks[0]) == ANNEX_HEADING.name.lower()


def _style(block: Node) -> str | None:
    if block["t"] != "Div":
        return None
    style = nodes.attribute(block["c"][0], CUSTOM_STYLE)
    return style.lower() if style is not None else None


def _has_class(block: Node, name: str) -> bool:
    return block["t"] in ("Header", "Div") and name in nodes.attr_of(block)[1]


# --- one node at a time --------------------------------------------------------------------------


def _lower(node: Node) -> Node | list[Node] | None:
    kind = node["t"]
    if kind == "Span":
        return _span(node)
    if kind == "Div":
        return _div(node)
    if kind == "Header":
        return _section_heading(node)
    return _float(node)


def _span(node: Node) -> Node | list[Node] | None:
    attr, inlines = node["c"]
    classes = attr[1]
    if nodes.XREF in classes:
        anchor = nodes.attribute(attr, nodes.ANCHOR) or ""
        return {"t": "Link", "c": [["", [XREF_CLASS], []], inlines, ["#" + anchor, ""]]}
    if nodes.LABEL in classes:
        return pandocast.span(inlines, classes=[_TARGET_NUMBER]) if inlines else []
    return None


def _div(node: Node) -> Node | list[Node] | None:
    attr, blocks = node["c"]
    style = nodes.attribute(attr, CUSTOM_STYLE)
    if style is None:
        return None
    name = style.lower()
    number = nodes.attribute(attr, nodes.NUMBER)
    anchor = attr[0]
    if name in HEADING_LEVELS:
        inlines = _inlines(blocks)
        if number is not None:
            inlines = _link_target_number(inlines, anchor)
        return _header(HEADING_LEVELS[name], [anchor, [css_class(style)], []], inlines)
    if number is not None:
        link = pandocast.plain([number_link(anchor, pandocast.text(printed_number(number)))])
        return {"t": "Div", "c": [[anchor, [NUMBERED_CLASS, css_class(style)], []], [link, *blocks]]}
    if name in BULLET_DEPTHS:
        return {"t": "Div", "c": [["", [_BULLET], [[_DEPTH, str(BULLET_DEPTHS[name])]]], blocks]}
    if name in RULE_STYLES:
        return {"t": "HorizontalRule"}
    if name == TABLE_TEXT.name.lower():
        return _plain(blocks)  # a cell's text, without a paragraph of its own
    if name in PLAIN_STYLES:
        return blocks
    return {"t": "Div", "c": [[anchor, [css_class(style)], []], group_bullets(_spaces_kept(blocks))]}


def _section_heading(node: Node) -> Node:
    """A heading one level down (``<h1>`` is the title); a numbered one starting with its number."""
    level, attr, inlines = node["c"]
    number = nodes.attribute(attr, nodes.NUMBER)
    attributes = [pair for pair in attr[2] if pair[0] not in (nodes.NUMBER, nodes.LABEL)]
    if number is not None:
        inlines = [number_link(attr[0], pandocast.text(printed_number(number))), {"t": "Space"}, *inlines]
    return _header(min(level + 1, 6), [attr[0], attr[1], attributes], inlines)


def _float(node: Node) -> Node | None:
    """A table or figure: its caption's number a link to it, header cells with their scope."""
    attr = nodes.attr_of(node)
    anchor, classes, attributes = attr
    number = nodes.attribute(attr, nodes.NUMBER)
    if node["t"] == "Table":
        node = _scoped(node)
    if number is None and nodes.SPACE_AFTER not in classes:
        return node
    kept = [name for name in classes if name != nodes.SPACE_AFTER]
    node = nodes.with_attr(node, [anchor, kept, [pair for pair in attributes if pair[0] != nodes.NUMBER]])
    if number is not None:
        short, caption = node["c"][1]
        caption = [_with_inlines(block, _link_caption_number(block, anchor, number)) for block in caption]
        node = {"t": node["t"], "c": [node["c"][0], [short, caption], *node["c"][2:]]}
    return node


def _scoped(table: Node) -> Node:
    """``table`` with ``scope`` on its header cells: ``col`` in the head, ``row`` in row heads."""
    attr, caption, colspecs, head, bodies, foot = table["c"]
    head = [head[0], [_row(row, len(row[1])) for row in head[1]]]
    bodies = [
        [b_attr, heads, [_row(r, heads) for r in intro], [_row(r, heads, "row") for r in rows]]
        for b_attr, heads, intro, rows in bodies
    ]
    return {"t": "Table", "c": [attr, caption, colspecs, head, bodies, foot]}


def _row(row: list, header_cells: int, scope: str = "col") -> list:
    attr, cells = row
    return [attr, [_cell(cell, scope) if k < header_cells else cell for k, cell in enumerate(cells)]]


def _cell(cell: list, scope: str) -> list:
    (identifier, classes, attributes), *rest = cell
    kept = [pair for pair in attributes if pair[0] != "scope"]
    return [[identifier, classes, [*kept, ["scope", scope]]], *rest]


# --- pieces ----------------------------------------------------------------------------------


def _spaces_kept(blocks: list[Node]) -> list[Node]:
    """Paragraphs whose words hold runs of spaces (the end mark's spread asterisks, which the
    cover's pieces write as they are) with those spaces kept: HTML would collapse them."""
    return [
        {"t": b["t"], "c": [_kept(n) for n in b["c"]]} if b["t"] in ("Para", "Plain") else b for b in blocks
    ]


def _kept(inline: Node) -> Node:
    if inline["t"] == "Str" and "  " in inline["c"]:
        return {"t": "Str", "c": inline["c"].replace(" ", NBSP)}
    return inline


def _header(level: int, attr: Attr, inlines: list[Node]) -> Node:
    return {"t": "Header", "c": [level, attr, inlines]}


def _inlines(blocks: list[Node]) -> list[Node]:
    """The text of a styled Div's paragraphs, one line each."""
    out: list[Node] = []
    for block in blocks:
        if block["t"] in ("Para", "Plain"):
            out.extend([{"t": "LineBreak"}, *block["c"]] if out else block["c"])
    return out


def _link_target_number(inlines: list[Node], anchor: str) -> list[Node]:
    """``inlines`` with the label mark's number (:data:`_TARGET_NUMBER`) made the number link."""
    return [number_link(anchor, n["c"][1]) if _is_target_number(n) else n for n in inlines]


def _is_target_number(inline: Node) -> bool:
    return inline["t"] == "Span" and _TARGET_NUMBER in inline["c"][0][1]


def _link_caption_number(block: Node, anchor: str, number: str) -> list[Node]:
    """A caption's inlines, its number a link to the table or figure.

    The number is in a label mark when the table or figure is labelled, else the first word
    that is the number (French spacing may have joined the colon to it: ``1 :``).
    """
    inlines = block["c"] if block["t"] in ("Plain", "Para") else []
    if any(_is_target_number(n) for n in inlines):
        return _link_target_number(inlines, anchor)
    for k, n in enumerate(inlines):
        if n["t"] == "Str" and (n["c"] == number or re.match(rf"{re.escape(number)}(?!\w)", n["c"])):
            rest = n["c"][len(number) :]
            tail = [{"t": "Str", "c": rest}] if rest else []
            link = number_link(anchor, [{"t": "Str", "c": number}])
            return [*inlines[:k], link, *tail, *inlines[k + 1 :]]
    return inlines


def _with_inlines(block: Node, inlines: list[Node]) -> Node:
    return {"t": block["t"], "c": inlines} if block["t"] in ("Plain", "Para") else block


def _columns(table: Node) -> Node:
    """A layout table (the cover's) as a row of columns: text side by side, not data."""
    _attr, _caption, _colspecs, head, bodies, _foot = table["c"]
    rows = [*head[1], *(row for body in bodies for row in body[3])]
    columns = [pandocast.div(cell[4], classes=["cover-column"]) for row in rows for cell in row[1]]
    return pandocast.div(columns, classes=["cover-columns"])


# --- lists --------------------------------------------------------------------------------------


def group_bullets(blocks: list[Node]) -> list[Node]:
    """Consecutive list items (bullet-styled paragraphs) as one list, deeper ones nested."""
    out: list[Node] = []
    run: list[tuple[int, list[Node]]] = []
    for block in [*blocks, None]:
        depth = _bullet_depth(block) if block is not None else None
        if depth is not None:
            assert block is not None
            run.append((depth, block["c"][1]))
            continue
        if run:
            out.append(_bullet_list(run))
            run = []
        if block is not None:
            out.append(block)
    return out


def _bullet_depth(block: Node) -> int | None:
    if block["t"] != "Div" or _BULLET not in block["c"][0][1]:
        return None
    return int(nodes.attribute(block["c"][0], _DEPTH) or 1)


def _bullet_list(run: list[tuple[int, list[Node]]]) -> Node:
    """One ``BulletList`` of ``run`` (depth, blocks); an item deeper than the one before it
    goes into a list nested in that one."""
    items: list[list[Node]] = []
    k = 0
    while k < len(run):
        depth, blocks = run[k]
        k += 1
        nested = []
        while k < len(run) and run[k][0] > depth:
            nested.append(run[k])
            k += 1
        items.append([*_plain(blocks), *([_bullet_list(nested)] if nested else [])])
    return {"t": "BulletList", "c": items}


def _plain(blocks: list[Node]) -> list[Node]:
    # A tight list, as pandoc writes one from Markdown: no <p> inside each <li>.
    return [pandocast.plain(b["c"]) if b["t"] == "Para" else b for b in blocks]


# --- the table of contents -------------------------------------------------------------------


def _headings(blocks: Iterable[Node]) -> Iterator[Heading]:
    """The headings with an anchor at the top of ``blocks``: sections, annexes, use cases."""
    for block in blocks:
        if block["t"] == "Header" and block["c"][1][0]:
            level, attr, inlines = block["c"]
            yield Heading(attr[0], level, inlines)
