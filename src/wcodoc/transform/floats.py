"""Tables and figures: numbered captions, ``tbl:``/``fig:`` labels, and the text of table cells.

A table or figure whose source gives a caption is numbered in document order (tables and
figures each from 1, body then annex), its caption written from the house-style term
(``Table {number}: {caption}``, ``Tableau {number} : {caption}``) with the number in a label
mark, so that ``@tbl:label`` / ``@fig:label`` resolve like ``@uc:`` references, to the
number; the table or figure is a numbered target (``tbl-1``, :mod:`wcodoc.transform.nodes`).
pandoc Markdown gives the label as
``: Caption {#tbl:label}`` under a table and ``![Caption](file.png){#fig:label}`` for a
figure. Without a caption nothing is numbered.

Cell paragraphs are styled ``Table Text`` (left-aligned, never hyphenated); a cell that
already has a style (the cover's layout table) keeps it.
"""

from __future__ import annotations

import string
from collections.abc import Callable, Mapping
from typing import Any

from wcodoc.errors import Problems
from wcodoc.parse.reader import Source, locate
from wcodoc.styles import TABLE_TEXT
from wcodoc.transform import nodes, pandocast
from wcodoc.transform.pandocast import Node
from wcodoc.transform.targets import Label, Place, anchor

KINDS = {"Table": ("tbl", "table_caption"), "Figure": ("fig", "figure_caption")}
"""Node type → its label prefix and the term of its caption."""


def find_floats(blocks: list[Node]) -> list[Node]:
    """The tables and figures under ``blocks``, nested ones included, in the order pandoc writes
    them: one walk serves both :func:`number_floats` and :func:`style_table_cells`."""
    # walk's order is bottom-up: a table inside a figure comes before it, as pandoc writes them.
    return floats_among(pandocast.find_all(blocks, KINDS))


def floats_among(found: pandocast.Found) -> list[Node]:
    """The tables and figures of ``found`` (:func:`pandocast.find_all` of several kinds)."""
    return [node for node, _ in found if node["t"] in KINDS]


def number_floats(
    floats: list[Node], terms: Mapping[str, Any], sources: list[Source], problems: Problems
) -> dict[str, Label]:
    """Number the captioned ones of ``floats`` (:func:`find_floats`, in place); return their labels."""
    counts = dict.fromkeys(KINDS, 0)
    labels: dict[str, Label] = {}
    for node in floats:
        kind = node["t"]
        prefix, term = KINDS[kind]
        identifier = node["c"][0][0]
        node["c"][0][0] = ""  # the author's label, not an anchor: its number gets one
        caption = _caption_inlines(node)
        if not caption:
            if identifier:
                path, line = locate(node, sources, "#" + identifier)
                problems.error(
                    f"label {identifier!r} on a {kind.lower()} without a caption: "
                    "only captioned tables and figures are numbered",
                    path,
                    line,
                    code="label",
                )
            continue
        counts[kind] += 1
        number = str(counts[kind])
        nodes.numbered(node, number, anchor(prefix, number))
        key = ""
        if identifier:
            where = _origin(node, identifier, sources)
            if not identifier.startswith(prefix + ":"):
                problems.error(
                    f"label {identifier!r} on a {kind.lower()}: {kind.lower()} labels start with '{prefix}:'",
                    *where(),
                    code="label",
                )
            elif identifier in labels:
                problems.error(f"duplicate label {identifier!r}", *where(), code="label")
            else:
                key = identifier
                labels[identifier] = Label(identifier, number, origin=where)
        # The caption's own list, filled again: a citation in it, found before the floats were
        # numbered (build.assemble_parts), is then still found in the list that holds it.
        caption[:] = caption_inlines(str(terms[term]), number, key, list(caption))
        _set_caption(node, caption)
    return labels


def _origin(node: Node, identifier: str, sources: list[Source]) -> Callable[[], Place]:
    """Where ``node``, labelled ``identifier``, stands: looked up when a message needs it."""
    return lambda: locate(node, sources, "#" + identifier)


def _caption_inlines(node: Node) -> list[Node]:
    """The caption's text as inlines (the very list of its first paragraph), or ``[]``
    without a caption."""
    _short, caption_blocks = node["c"][1]
    for block in caption_blocks:
        if block["t"] in ("Plain", "Para") and block["c"]:
            return block["c"]
    return []


def _set_caption(node: Node, inlines: list[Node]) -> None:
    node["c"][1] = [None, [pandocast.plain(inlines)]]


def caption_inlines(pattern: str, number: str, label: str, caption: list[Node]) -> list[Node]:
    """``pattern`` (``Table {number}: {caption}``), the number in the mark of ``label`` if any."""
    number_node: Node = {"t": "Str", "c": number}
    if label:
        number_node = nodes.label_mark(label, [number_node])
    out: list[Node] = []
    for literal, name, _spec, _conv in string.Formatter().parse(pattern):
        if literal:
            out.extend(pandocast.text(literal))
        if name == "number":
            out.append(number_node)
        elif name == "caption":
            out.extend(caption)
    return out


def style_table_cells(floats: list[Node]) -> list[Node]:
    """Give every unstyled cell paragraph of the tables among ``floats`` ``Table Text``.

    ``floats`` as :func:`find_floats` gives them (nested tables are in the list themselves).
    """
    for node in floats:
        if node["t"] != "Table":
            continue
        _attr, _caption, _colspecs, head, bodies, foot = node["c"]
        rows = [*head[1], *(row for body in bodies for row in [*body[2], *body[3]]), *foot[1]]
        for row in rows:
            _style_row(row, TABLE_TEXT.name)
    return floats


def _style_row(row: list[Any], style: str) -> None:
    for cell in row[1]:
        cell[4] = [
            pandocast.styled([pandocast.para(b["c"])], style) if b["t"] in ("Para", "Plain") else b
            for b in cell[4]
        ]
