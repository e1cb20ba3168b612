"""The format-neutral nodes the transforms leave for the writers: plain pandoc AST, no Word XML.

Numbers and cross-references are computed once, here; each writer lowers these nodes into
its own form (``render/docx/lower.py``: Word bookmarks, ``REF`` fields, a spacer paragraph),
as Sphinx's builders lower its resolved references late. The vocabulary
(``docs/dev/architecture.md``, "AST conventions"):

- *numbered target*: a ``#`` heading, the styled Div of a numbered paragraph, of a sub-item or
  of a use-case heading, a captioned Table or Figure. Its identifier is its stable *anchor*,
  made from the printed number (:func:`wcodoc.transform.targets.anchor`: ``sec-III``, ``p12``,
  ``p9b``, ``uc-3``, ``tbl-1``, ``fig-1``); attribute ``number`` is the number as printed
  (``III``, ``12``, ``9.b``, ``3``, ``1``). A labelled ``#`` heading also carries attribute
  ``label``: its key (``sec:intro``).
- *label mark*: ``Span ("", ["label"], [("key", "par:aim")])`` where a label stands: empty at
  the place the author put it in a paragraph, or around the printed number of a use-case
  heading or a caption.
- *cross-reference*: ``Span ("", ["xref"], [("target", "par:aim"), ("anchor", "p12"),
  ("number", "12"), ("paragraph-number", "true")]) [Str "12"]``: the label it points to, the
  target's anchor, the number as printed, and whether that number is the target paragraph's
  own (``par:``, ``sec:``) rather than the text of its label mark (``uc:``, ``tbl:``, ``fig:``).
- *link target*: ``Span ("scope", [], []) []``, empty, where an internal link ``[…](#scope)``
  leads: the plain identifier the author gave a heading (``## Scope {#scope}``), kept as it is
  (a Word bookmark, an HTML ``id``).
- *space after*: class ``space-after`` on a Table that the next paragraph must not touch.
- *part*: ``Div ("", ["part"], [])``; the document's top-level blocks are parts (the cover,
  each ``#`` section, each annex), the units a writer may write and cache one by one. Parts
  keep their bounds whatever a transform adds inside them.
"""

from __future__ import annotations

from collections.abc import Iterable

from wcodoc.transform import pandocast
from wcodoc.transform.pandocast import Attr, Node
from wcodoc.transform.targets import Label, is_label

NUMBER = "number"
LABEL = "label"
"""Class of a label mark, and the attribute holding a labelled heading's key."""
KEY = "key"
XREF = "xref"
TARGET, ANCHOR, PARAGRAPH_NUMBER = "target", "anchor", "paragraph-number"
"""The attributes of a cross-reference, besides its ``number``."""
SPACE_AFTER = "space-after"
PART = "part"
TRUE, FALSE = "true", "false"


def numbered(node: Node, number: str, anchor: str, label: str = "") -> Node:
    """``node`` (Header, Div, Table or Figure) made a numbered target, in place."""
    attr = attr_of(node)
    attr[0] = anchor
    attr[2] = [*attr[2], [NUMBER, number], *([[LABEL, label]] if label else [])]
    return node


def attr_of(node: Node) -> Attr:
    """The attribute triple of a Header (after its level) or of a Div, Span, Table or Figure."""
    return node["c"][1] if node["t"] == "Header" else node["c"][0]


def with_attr(node: Node, attr: Attr) -> Node:
    """A copy of ``node`` (as :func:`attr_of` takes) with attributes ``attr``; ``node`` unchanged."""
    if node["t"] == "Header":
        level, _attr, inlines = node["c"]
        return {"t": "Header", "c": [level, attr, inlines]}
    return {"t": node["t"], "c": [attr, *node["c"][1:]]}


def attribute(attr: Attr, name: str) -> str | None:
    """The value of key-value attribute ``name`` in ``attr``, or ``None``."""
    return next((value for key, value in attr[2] if key == name), None)


def label_mark(key: str, inlines: Iterable[Node] = ()) -> Node:
    """Where label ``key`` stands: empty in a paragraph, or around a printed number."""
    return {"t": "Span", "c": [["", [LABEL], [[KEY, key]]], list(inlines)]}


def xref(label: Label) -> Node:
    """A cross-reference to ``label``, showing its number."""
    own = label.key.startswith(("par:", "sec:"))
    attributes = [
        [TARGET, label.key],
        [ANCHOR, label.anchor],
        [NUMBER, label.number],
        [PARAGRAPH_NUMBER, TRUE if own else FALSE],
    ]
    return {"t": "Span", "c": [["", [XREF], attributes], [{"t": "Str", "c": label.number}]]}


def link_target(identifier: str) -> Node:
    """Where an internal link ``[…](#identifier)`` leads (see the module's docstring)."""
    return pandocast.span([], identifier)


def led_by_target(identifier: str, inlines: list[Node]) -> list[Node]:
    """A heading's words led by the link target of ``identifier`` when it is a plain one
    (``{#scope}``); as they are when there is none, or a label (``{#sec:intro}``)."""
    if identifier and not is_label(identifier):
        return [link_target(identifier), *inlines]
    return inlines


def space_after(table: Node) -> Node:
    """``table``, marked to be followed by a little space, in place."""
    table["c"][0][1] = [*table["c"][0][1], SPACE_AFTER]
    return table


def part(blocks: list[Node]) -> Node:
    """One part of the document (see the module's docstring)."""
    return pandocast.div(blocks, classes=[PART])


def parts_of(blocks: list[Node]) -> list[list[Node]]:
    """The blocks of each part of a document whose top-level blocks are :func:`part` Divs."""
    return [block["c"][1] for block in blocks]
