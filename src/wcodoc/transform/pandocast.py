"""Small constructors and a walker for pandoc's JSON AST (plain dicts and lists).

Transforms build and rewrite nodes with these helpers rather than spelling out
``{"t": ..., "c": ...}`` by hand. ``walk`` follows panflute's contract: the function returns
``None`` to keep a node, a node to replace it, or a list (possibly empty) to splice in.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import Any

Node = dict[str, Any]
Attr = list[Any]

CUSTOM_STYLE = "custom-style"
_WORDS = re.compile(r"(\s+)")


def attr(identifier: str = "", classes: Iterable[str] = (), **attributes: str) -> Attr:
    """An attribute triple ``[id, classes, [[key, value], ...]]``."""
    return [identifier, list(classes), [[k.replace("_", "-"), v] for k, v in attributes.items()]]


def text(value: str) -> list[Node]:
    """Inlines for plain text: words as ``Str``, whitespace as ``Space``."""
    out: list[Node] = []
    for piece in _WORDS.split(value):
        if not piece:
            continue
        out.append({"t": "Space"} if piece.isspace() else {"t": "Str", "c": piece})
    return out


def para(inlines: list[Node]) -> Node:
    return {"t": "Para", "c": inlines}


def plain(inlines: list[Node]) -> Node:
    return {"t": "Plain", "c": inlines}


def header(level: int, inlines: list[Node], identifier: str = "", classes: Iterable[str] = ()) -> Node:
    return {"t": "Header", "c": [level, attr(identifier, classes), inlines]}


def styled(blocks: list[Node], style: str) -> Node:
    """Blocks in a Div whose ``custom-style`` makes pandoc use Word paragraph style ``style``."""
    return {"t": "Div", "c": [["", [], [[CUSTOM_STYLE, style]]], blocks]}


def span(inlines: list[Node], identifier: str = "", classes: Iterable[str] = ()) -> Node:
    """A Span; with an ``identifier`` pandoc writes a Word bookmark of that name around it."""
    return {"t": "Span", "c": [attr(identifier, classes), inlines]}


def div(blocks: list[Node], classes: Iterable[str] = ()) -> Node:
    return {"t": "Div", "c": [attr("", classes), blocks]}


def strong(inlines: list[Node]) -> Node:
    return {"t": "Strong", "c": inlines}


def emph(inlines: list[Node]) -> Node:
    return {"t": "Emph", "c": inlines}


def superscript(inlines: list[Node]) -> Node:
    return {"t": "Superscript", "c": inlines}


def table(
    rows: Sequence[Sequence[list[Node]]],
    widths: Sequence[float] | int,
    *,
    header: Sequence[list[Node]] | None = None,
    align: str = "AlignDefault",
) -> Node:
    """A pandoc Table; each cell is a list of blocks, ``widths`` are shares of the text width,
    or the number of columns, whose widths are then measured from their content
    (:mod:`wcodoc.transform.columns`).

    With ``header``, pandoc marks that row ``w:tblHeader``, so Word repeats it on every page.
    """
    shares: Sequence[float | None] = [None] * widths if isinstance(widths, int) else widths
    colspecs = [
        [{"t": align}, {"t": "ColWidthDefault"} if share is None else {"t": "ColWidth", "c": share}]
        for share in shares
    ]
    head = [attr(), [_row(header)] if header is not None else []]
    body = [attr(), 0, [], [_row(cells) for cells in rows]]
    return {"t": "Table", "c": [attr(), [None, []], colspecs, head, [body], [attr(), []]]}


def _row(cells: Sequence[list[Node]]) -> list[Any]:
    return [attr(), [[attr(), {"t": "AlignDefault"}, 1, 1, blocks] for blocks in cells]]


def flatten(blocks: Iterable[Node], lists: Iterable[str] = (), depth: int = 0) -> Iterator[tuple[Node, int]]:
    """The blocks in reading order, Divs opened and the items of ``lists`` taken out of them.

    ``lists`` names the list types to take apart (``BulletList``, ``OrderedList``); each block
    comes with its list depth: 0 outside any list, 1 in an item of a list, 2 in a nested list.
    A Div is transparent: its blocks keep the depth of the place where it stands.
    """
    lists = tuple(lists)
    for block in blocks:
        kind = block["t"]
        if kind == "Div":
            yield from flatten(block["c"][1], lists, depth)
        elif kind in lists:
            items = block["c"] if kind == "BulletList" else block["c"][1]
            for item in items:
                yield from flatten(item, lists, depth + 1)
        else:
            yield block, depth


def stringify(node: Any) -> str:
    """The plain text of a node or list of nodes (like pandoc's ``stringify``)."""
    parts: list[str] = []

    def visit(n: Any) -> None:
        if isinstance(n, list):
            for item in n:
                visit(item)
        elif isinstance(n, dict):
            kind = n.get("t")
            if kind == "Str":
                parts.append(n["c"])
            elif kind in ("Space", "SoftBreak"):
                parts.append(" ")
            elif kind == "LineBreak":
                parts.append("\n")
            elif kind == "Code" or kind == "Math":
                parts.append(n["c"][1])
            elif kind in ("RawInline", "RawBlock"):
                return
            elif kind == "Quoted":
                quote = "“”" if n["c"][0]["t"] == "DoubleQuote" else "‘’"
                parts.append(quote[0])
                visit(n["c"][1])
                parts.append(quote[1])
            elif kind == "Cite":
                visit(n["c"][1])
            elif kind == "Note":
                return
            elif "c" in n:
                visit(n["c"])

    visit(node)
    return "".join(parts)


Action = Callable[[Node], Node | list[Node] | None]
"""What :func:`walk` calls on a node: ``None`` keeps it, a node replaces it, a list is spliced in."""


_LEAVES = frozenset(
    {
        "Str",
        "Space",
        "SoftBreak",
        "LineBreak",
        "Code",
        "Math",
        "RawInline",
        "RawBlock",
        "HorizontalRule",
        "CodeBlock",
    }
)


def walk(node: Any, action: Action, only: Iterable[str] | None = None) -> Any:
    """Apply ``action`` bottom-up to every node (dict with ``t``) under ``node``, in place.

    ``action`` returns ``None`` to keep a node, a node to replace it, or a list of nodes to
    splice into the enclosing list (``[]`` deletes it). With ``only``, ``action`` sees only
    nodes of those types. Lists are changed in place (a large report has hundreds of
    thousands of nodes: copying them would dominate the build); the return value is
    ``node`` itself, or the replacement of a top-level node.
    """
    wanted = frozenset(only) if only is not None else None
    if isinstance(node, list):
        _walk_list(node, action, wanted)
        return node
    if isinstance(node, dict):
        _walk_children(node, action, wanted)
        if "t" in node and (wanted is None or node["t"] in wanted):
            result = action(node)
            return node if result is None else result
    return node


def _walk_children(node: dict[str, Any], action: Action, wanted: frozenset[str] | None) -> None:
    if "t" in node:
        content = node.get("c")
        if isinstance(content, list):
            _walk_list(content, action, wanted)
        return
    for value in node.values():  # e.g. a citation: its prefix and suffix hold inlines
        if isinstance(value, list):
            _walk_list(value, action, wanted)


def _walk_list(items: list[Any], action: Action, wanted: frozenset[str] | None) -> None:
    # The hot loop of every transform (a report has hundreds of thousands of nodes): most
    # items are Str and Space leaves, so those are dismissed with as few steps as possible.
    leaves = _LEAVES
    i = 0
    while i < len(items):
        item = items[i]
        if isinstance(item, dict):
            kind = item.get("t")
            if kind is None:
                _walk_children(item, action, wanted)
            elif kind not in leaves:
                content = item.get("c")
                if isinstance(content, list):
                    _walk_list(content, action, wanted)
            if kind is not None and (wanted is None or kind in wanted):
                result = action(item)
                if isinstance(result, list):
                    items[i : i + 1] = result
                    i += len(result)
                    continue
                if result is not None:
                    items[i] = result
        elif isinstance(item, list):
            _walk_list(item, action, wanted)
        i += 1


Found = list[tuple[Node, list[Any]]]
"""Nodes with the list that holds each (:func:`find_all`)."""


def find_all(node: Any, kinds: Iterable[str]) -> Found:
    """Every node of ``kinds`` under ``node``, with the list that holds it, in the order
    :func:`walk` would visit them (bottom-up).

    For steps that need the same walk: one walk finds what each of them changes later. A
    node is replaced in its list with :func:`replace_in`, in this order, as ``walk`` would.
    """
    found: Found = []
    _find_in(node if isinstance(node, list) else [node], frozenset(kinds), found)
    return found


def _find_in(items: list[Any], wanted: frozenset[str], found: Found) -> None:
    leaves = _LEAVES  # as in _walk_list: most items are leaves
    for item in items:
        if isinstance(item, dict):
            kind = item.get("t")
            if kind is None:
                for value in item.values():  # e.g. a citation: its prefix and suffix hold inlines
                    if isinstance(value, list):
                        _find_in(value, wanted, found)
                continue
            if kind not in leaves:
                content = item.get("c")
                if isinstance(content, list):
                    _find_in(content, wanted, found)
            if kind in wanted:
                found.append((item, items))
        elif isinstance(item, list):
            _find_in(item, wanted, found)


def replace_in(items: list[Any], node: Node, replacement: list[Node]) -> None:
    """Splice ``replacement`` into ``items`` (in place) where the very object ``node`` stands."""
    for i, item in enumerate(items):
        if item is node:
            items[i : i + 1] = replacement
            return
    raise ValueError("node not in its list")


def document(blocks: list[Node], api_version: list[int], meta: dict | None = None) -> dict[str, Any]:
    """A whole pandoc document for the writer."""
    return {"pandoc-api-version": api_version, "meta": meta or {}, "blocks": blocks}


def rewritten(items: list[Any], action: Action, only: Iterable[str]) -> list[Any]:
    """``items`` with ``action`` applied bottom-up to the nodes of types ``only``, as
    :func:`walk` does, but leaving ``items`` as they are: the result shares every node that
    did not change, and ``action`` gets a node it must not change in place (its children are
    already rewritten).

    What a writer uses to lower a document that another writer may read after it, without
    copying it all.
    """
    return _rewritten_list(items, action, frozenset(only))


def _rewritten_list(items: list[Any], action: Action, wanted: frozenset[str]) -> list[Any]:
    # As hot as _walk_list: leaves are let through before any call.
    leaves = _LEAVES
    out: list[Any] | None = None
    for i, item in enumerate(items):
        if isinstance(item, dict):
            new: Any = item if item.get("t") in leaves else _rewritten_node(item, action, wanted)
        elif isinstance(item, list):
            new = _rewritten_list(item, action, wanted)
        else:
            new = item
        if new is not item and out is None:
            out = items[:i]
        if out is not None:
            if isinstance(item, dict) and isinstance(new, list):
                out.extend(new)  # a node replaced by several
            else:
                out.append(new)
    return items if out is None else out


def _rewritten_node(node: dict[str, Any], action: Action, wanted: frozenset[str]) -> Any:
    kind = node.get("t")
    if kind is None:  # e.g. a citation: its prefix and suffix hold inlines
        changed = {
            key: _rewritten_list(value, action, wanted) if isinstance(value, list) else value
            for key, value in node.items()
        }
        return node if all(changed[key] is node[key] for key in node) else changed
    content = node.get("c")
    if isinstance(content, list):
        new_content = _rewritten_list(content, action, wanted)
        if new_content is not content:
            node = {"t": kind, "c": new_content}
    if kind in wanted:
        result = action(node)
        if result is not None:
            return result
    return node
