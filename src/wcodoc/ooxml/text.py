"""The text a paragraph shows, character by character, and where each character sits.

A paragraph's text is spread over the ``w:t`` of its runs and over elements that stand for
one character (``w:tab``, ``w:br``, ``w:noBreakHyphen`` …). Its *current* text leaves out what
is deleted (``w:del``, ``w:moveFrom``), property elements and text boxes (``w:txbxContent``:
text of its own, not of the paragraph), and a markup-compatibility fallback (a second copy of
its choice). Offsets into that text name places in the paragraph; :mod:`wcodoc.ooxml.runs`
splits runs at them.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Iterator

from lxml import etree

from wcodoc.ooxml import W_DEL, W_MOVE_FROM, W_PPR, W_RPR, W_T, qn, tag_of

W_FLD_CHAR, W_INSTR, W_FLD_SIMPLE = qn("w:fldChar"), qn("w:instrText"), qn("w:fldSimple")
MC_FALLBACK = "{http://schemas.openxmlformats.org/markup-compatibility/2006}Fallback"

TEXT_NODES = {
    W_T: None, qn("w:tab"): "\t", qn("w:br"): "\n", qn("w:cr"): "\n", qn("w:noBreakHyphen"): "\u2011"
}  # fmt: skip
"""Elements that show characters, and the character each stands for (``None``: its text)."""
HIDDEN_ANCESTORS = frozenset({W_DEL, W_MOVE_FROM, W_PPR, W_RPR, qn("w:txbxContent"), MC_FALLBACK})
"""Text below these is not part of the paragraph's current text."""
REF_FIELD = re.compile(r"^\s*REF\s+(\S+)", re.IGNORECASE)
SHOWN_NODES = frozenset({*TEXT_NODES, W_FLD_CHAR, W_INSTR})
"""What :func:`walk` looks at: characters and the marks of complex fields."""
W_FLD_CHAR_TYPE, W_INSTR_ATTR = qn("w:fldCharType"), qn("w:instr")

Atom = tuple[etree._Element, int, int]
"""A character-bearing element and the offsets of its first and after its last character."""


def below(node: etree._Element, stop: etree._Element, tags: Collection[str]) -> bool:
    """Whether ``node`` is below an element of one of ``tags``, looking up as far as ``stop``."""
    parent = node.getparent()
    while parent is not None and parent is not stop:
        if parent.tag in tags:
            return True
        parent = parent.getparent()
    return False


def is_hidden(node: etree._Element, stop: etree._Element) -> bool:
    """Whether ``node`` is below an element that hides it, looking up as far as ``stop``."""
    return below(node, stop, HIDDEN_ANCESTORS)


def walk(p: etree._Element) -> Iterator[tuple[etree._Element, str, str | None]]:
    """Visible character nodes of ``p``, their text, and the bookmark of the ``REF`` field
    showing them (``None`` outside a cross-reference).

    A ``REF`` field that shows nothing is there all the same: its ``end`` mark, with no text
    and its bookmark (LibreOffice empties a reference whose bookmark it lost).
    """
    fields: list[list] = []  # [instruction, showing result?, shown text?] of each open field
    for node, simple in _visible_nodes(p):
        tag = node.tag
        if tag == W_FLD_CHAR:
            kind = node.get(W_FLD_CHAR_TYPE)
            if kind == "begin":
                fields.append(["", False, False])
            elif kind == "separate" and fields:
                fields[-1][1] = True
            elif kind == "end" and fields:
                instruction, _, shown = fields.pop()
                if not shown and (match := REF_FIELD.match(instruction)):
                    yield node, "", match.group(1)
            continue
        if tag == W_INSTR:
            if fields:
                fields[-1][0] += node.text or ""
            continue
        fixed = TEXT_NODES[tag_of(node)]
        text = node.text or "" if fixed is None else fixed
        if text:
            for field in fields:
                field[2] = True
            yield node, text, _ref_target(fields, simple)


def _visible_nodes(p: etree._Element) -> list[tuple[etree._Element, str | None]]:
    """The character nodes and field marks of ``p`` not below an element that hides them, in
    document order, each with the bookmark of the innermost ``REF`` simple field around it.

    One descent that skips hidden subtrees: asking each node for its ancestors costs a walk up
    per character node, which dominates reading a long document.
    """
    found: list[tuple[etree._Element, str | None]] = []
    _collect(p, None, found)
    return found


def _collect(el: etree._Element, simple: str | None, found: list[tuple[etree._Element, str | None]]) -> None:
    for child in el:
        tag = child.tag
        if tag in HIDDEN_ANCESTORS:
            continue
        if tag in SHOWN_NODES:
            found.append((child, simple))
        if len(child):
            inner = simple
            if tag == W_FLD_SIMPLE and (match := REF_FIELD.match(child.get(W_INSTR_ATTR, ""))):
                inner = match.group(1)
            _collect(child, inner, found)


def _ref_target(fields: list[list], simple: str | None) -> str | None:
    """The bookmark of the innermost ``REF`` field showing its result, else of the simple one."""
    for instruction, showing, _ in reversed(fields):
        if showing and (match := REF_FIELD.match(instruction)):
            return match.group(1)
    return simple


def text_nodes(p: etree._Element) -> list[tuple[etree._Element, str]]:
    """The visible character-bearing elements of paragraph ``p`` in order, with their text."""
    return [(node, text) for node, text, _ in walk(p) if text]


def raw_text(p: etree._Element) -> str:
    """The current (changes accepted) text of paragraph ``p``, unnormalized."""
    return "".join(text for _, text in text_nodes(p))


def atoms(p: etree._Element) -> list[Atom]:
    """The visible character-bearing elements of ``p`` with the offsets of their text."""
    found, pos = [], 0
    for node, text in text_nodes(p):
        found.append((node, pos, pos + len(text)))
        pos += len(text)
    return found


def offset_of(p: etree._Element, target: etree._Element) -> int:
    """How many characters of the current text of ``p`` come before ``target``."""
    nodes = text_nodes(p)  # kept alive, so that their proxies (and ids) stay theirs
    visible = {id(node): len(text) for node, text in nodes}
    offset = 0
    for el in p.iter():
        if el is target:
            return offset
        offset += visible.get(id(el), 0)
    return offset
