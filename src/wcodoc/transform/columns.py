"""Column widths of tables, from their content, as an editor would set them.

pandoc gives a table relative widths only where the Markdown sets them (a pipe table whose
lines are long, a grid table); otherwise every column gets the same share, which makes a
number column as wide as a title column. Here a table without widths gets them measured:
each column at least as wide as its longest word (so no word is broken: header words always,
body words up to :data:`LONGEST_WORD` of the line), and the space left shared in proportion
to how much more each column's longest cell text needs. A table whose author set widths keeps
them, widened only where a header word would not fit.

Widths are counted in ems of the body font (12 pt Times New Roman, whose advance widths
:data:`EMS` approximates by class of character) and given to the writers as shares of the text
width, as pandoc's ``ColWidth`` is.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from wcodoc.transform import pandocast
from wcodoc.transform.pandocast import Node

LINE = 37.8
"""The text width of an A4 page with 2.5 cm margins, in ems of 12 pt type (453.6 pt)."""
CELL_PADDING = 1.0
"""The left and right padding of a cell (0.9 em) and a little room for rounding."""
LONGEST_WORD = 0.4
"""The share of the line beyond which a body cell's word may break (a long address)."""
EMS = {
    **dict.fromkeys(" .,", 0.25),
    **dict.fromkeys("ijlt:;/", 0.278),
    **dict.fromkeys("frI-'’()", 0.333),
    **dict.fromkeys("sJ", 0.389),
    **dict.fromkeys("aceEzLTZ", 0.444),
    **dict.fromkeys("FPS", 0.556),
    **dict.fromkeys("BCR", 0.667),
    **dict.fromkeys("wADGHKNOQUVXY", 0.722),
    "m": 0.778,
    "M": 0.889,
    "W": 0.944,
}
"""Advance widths of Times New Roman (and its metric twin Liberation Serif) in ems, by
character; any other character counts half an em (digits, most lower-case letters)."""
OTHER = 0.5


def size_columns(floats: list[Node]) -> None:
    """Give each table among ``floats`` (:func:`wcodoc.transform.floats.find_floats`) column
    widths: measured where it has none, its author's widened for its header words where it has."""
    for node in floats:
        if node["t"] == "Table":
            _size(node)


def _size(table: Node) -> None:
    _attr, _caption, colspecs, head, bodies, foot = table["c"]
    header = _columns(head[1], len(colspecs))
    body = _columns([*(row for b in bodies for row in [*b[2], *b[3]]), *foot[1]], len(colspecs))
    floors = [
        max(_longest_word(h), min(_longest_word(b), LONGEST_WORD * LINE)) + CELL_PADDING
        for h, b in zip(header, body, strict=True)
    ]
    given = [spec[1].get("c") if spec[1]["t"] == "ColWidth" else None for spec in colspecs]
    if all(share is not None for share in given):
        header_floors = [_longest_word(h) + CELL_PADDING for h in header]
        shares = widened([float(s) for s in given if s is not None], header_floors)
    else:
        wants = [
            max(_text_width(t) for t in [*h, *b, ""]) + CELL_PADDING
            for h, b in zip(header, body, strict=True)
        ]
        shares = measured(floors, wants)
    for spec, share in zip(colspecs, shares, strict=True):
        spec[1] = {"t": "ColWidth", "c": round(share, 4)}


def measured(floors: Sequence[float], wants: Sequence[float]) -> list[float]:
    """Shares of the line for columns needing at least ``floors`` and at most ``wants``
    characters: everything they want if it fits, else the floors and the rest of the line
    shared by what each wants beyond its floor (the floors alone if they overflow)."""
    wants = [max(w, f) for w, f in zip(wants, floors, strict=True)]
    if sum(wants) <= LINE:
        return [w / sum(wants) for w in wants]
    spare = LINE - sum(floors)
    if spare <= 0:
        return [f / sum(floors) for f in floors]
    beyond = [w - f for w, f in zip(wants, floors, strict=True)]
    return [(f + spare * b / sum(beyond)) / LINE for f, b in zip(floors, beyond, strict=True)]


def widened(shares: Sequence[float], floors: Sequence[float]) -> list[float]:
    """The author's ``shares``, each raised to its floor (characters), the others narrowed in
    proportion to keep the total."""
    total = sum(shares) or 1.0
    need = [f / LINE * total for f in floors]
    short = [max(n - s, 0.0) for s, n in zip(shares, need, strict=True)]
    if not any(short):
        return list(shares)
    room = [max(s - n, 0.0) for s, n in zip(shares, need, strict=True)]
    taken = min(sum(short), sum(room))
    return [
        s + d if d else s - (taken * r / sum(room) if sum(room) else 0.0)
        for s, d, r in zip(shares, short, room, strict=True)
    ]


def _columns(rows: list[Any], count: int) -> list[list[str]]:
    """The text of each column's cells (a cell spanning columns is left out: it fits anyway)."""
    columns: list[list[str]] = [[] for _ in range(count)]
    for row in rows:
        place = 0
        for cell in row[1]:
            _attr, _align, _rows, span, blocks = cell
            if span == 1 and place < count:
                columns[place].append(pandocast.stringify(blocks))
            place += span
    return columns


def _text_width(text: str) -> float:
    return sum(EMS.get(ch, OTHER) for ch in text)


def _longest_word(texts: list[str]) -> float:
    return max((_text_width(word) for text in texts for word in text.split()), default=0.0)
