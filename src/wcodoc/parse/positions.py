"""Where each block of a Markdown source stands: pandoc's own source positions.

Messages name a line, and ``review apply`` edits a paragraph where it stands, so both need the
lines of a chapter that a block of its AST was read from (:func:`places`); ``review apply``
also needs the place of each character of its text (:func:`read_positions`, :class:`Shown`).
Searching the text for the block's words finds the wrong place when the same words stand
elsewhere (an escaped ``\\@key``, a code span, another paragraph). pandoc's ``markdown``
reader records no positions (pandoc 3.9: "The extension sourcepos is not supported for
markdown"); its CommonMark reader does. So a source is read a second time, as
``commonmark_x+sourcepos`` — only when a place is asked for — and the two readings are lined
up block by block, by kind and text. Where the two grammars disagree (simple, grid and
multiline tables, line blocks and title blocks are pandoc Markdown's alone), a block that
found no partner gets the lines between its neighbours that did: still the right place, only
less tight.
"""

from __future__ import annotations

import difflib
import json
import re
from bisect import bisect_left
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from wcodoc.parse.pandoc import MAX_DEPTH, json_depth, run_pandoc

Node = dict[str, Any]

POSITIONS_FORMAT = "commonmark_x+sourcepos"
_SIGNATURE_CHARS = 160
_LISTS = ("BulletList", "OrderedList")
_TEXT_KINDS = ("Para", "Plain")


@dataclass(frozen=True)
class Place:
    """The lines a block was read from (1-based, ``end`` included).

    ``children``: the places of a list's items, or of the blocks inside a Div, a quote or a list
    item, when both readings agree on them (empty otherwise: ask the block itself).
    """

    start: int
    end: int
    children: tuple[Place | None, ...] = ()
    exact: bool = True
    """False for a block placed between its neighbours (the grammars disagreed on it)."""

    def lines(self, text: str) -> list[tuple[int, str]]:
        """The numbered lines of ``text`` this place covers."""
        all_lines = text.splitlines()
        return [(n, all_lines[n - 1]) for n in range(self.start, min(self.end, len(all_lines)) + 1)]


@dataclass(frozen=True)
class Shown:
    """The characters pandoc's CommonMark reading shows as text, in the order of the source.

    Markup (``*``, brackets, a link's target, a code span's backticks, an escaping backslash)
    is not shown; a space stands for its run of blanks. Characters inside a footnote defined
    apart (``[^id]: …``) carry the number of that note, in the order its reference is read
    (0, 1, …); the others carry ``-1``. Code spans, autolinks and line ends have no position
    of their own in that reading and are not shown.
    """

    offsets: tuple[int, ...] = ()
    """Where each character stands in the text (an index into the string)."""
    chars: str = ""
    notes: tuple[int, ...] = ()

    def between(self, start: int, end: int) -> list[int]:
        """Indexes (into ``chars``) of the characters shown from offset ``start`` to ``end``
        (excluded), footnote definitions left out."""
        first, last = bisect_left(self.offsets, start), bisect_left(self.offsets, end)
        return [k for k in range(first, last) if self.notes[k] < 0]

    def in_note(self, note: int) -> list[int]:
        """Indexes of the characters of footnote definition ``note``."""
        return [k for k, n in enumerate(self.notes) if n == note]


@dataclass(frozen=True)
class Positions:
    """Where the blocks of a Markdown source, and the characters of its text, stand."""

    places: list[Place]
    shown: Shown


def places(text: str, blocks: Sequence[Node]) -> list[Place]:
    """The place in ``text`` of each of ``blocks`` (pandoc Markdown's reading of ``text``)."""
    return read_positions(text, blocks).places if blocks else []


def read_positions(text: str, blocks: Sequence[Node]) -> Positions:
    """The place in ``text`` of each of ``blocks`` (pandoc Markdown's reading of ``text``) and
    the characters of ``text`` that reading shows as text (one pandoc call)."""
    lines = text.splitlines()
    out = run_pandoc(["--from", POSITIONS_FORMAT, "--to", "json"], text.encode("utf-8"))
    # sourcepos wraps every node once more: the depth markdown_to_ast allowed may be passed.
    if json_depth(out, MAX_DEPTH * 2) > MAX_DEPTH * 2:
        spans = _share_gap(0, {}, len(blocks), lines, (1, len(lines))).values() if blocks else ()
        return Positions([Place(*span, exact=False) for span in spans], Shown())
    read = json.loads(out)
    shown = _shown(read["blocks"], text)
    if not blocks:
        return Positions([], shown)
    found = _align(list(blocks), [_unwrap(b) for b in read["blocks"]], lines, (1, max(len(lines), 1)))
    return Positions(found, shown)


def find_in(
    text: str, place: Place, needle: str | re.Pattern[str], *, word_start: bool = False
) -> int | None:
    """The line, within ``place``, where ``needle`` (text, or a pattern) stands as Markdown text.

    Occurrences escaped with a backslash or inside a code span do not count: ``\\@key`` and
    `` `@key` `` are not the reference ``@key``. With ``word_start``, neither do those glued to
    a letter or digit before them: the ``@wcoomd`` of ``info@wcoomd.org`` is no citation.
    """
    found = _occurrences(text, place, needle, word_start)
    return found[0] if found else None


def _occurrences(text: str, place: Place, needle: str | re.Pattern[str], word_start: bool) -> list[int]:
    """The line of each occurrence of ``needle`` within ``place`` (see :func:`find_in`)."""
    pattern = needle if isinstance(needle, re.Pattern) else re.compile(re.escape(needle))
    out = []
    for number, line in place.lines(text):
        for match in pattern.finditer(line):
            at = match.start()
            if _escaped(line, at) or _in_code_span(line, at) or (word_start and line[at - 1 : at].isalnum()):
                continue
            out.append(number)
    return out


def _escaped(line: str, index: int) -> bool:
    slashes = len(line[:index]) - len(line[:index].rstrip("\\"))
    return slashes % 2 == 1


def _in_code_span(line: str, index: int) -> bool:
    """Whether ``index`` falls inside a backtick code span that opens and closes on ``line``."""
    spans = re.finditer(r"(?<!`)(`+)(?!`)(.+?)(?<!`)\1(?!`)", line)
    return any(m.start() < index < m.end() for m in spans)


# The CommonMark reading ---------------------------------------------------------------------


@dataclass(frozen=True)
class _Read:
    """One block of the CommonMark reading: the block (wrappers taken off) and its lines."""

    node: Node
    start: int
    end: int


def _range(attrs: list[list[str]]) -> tuple[int, int] | None:
    """Lines of a ``data-pos`` attribute (``3:1-4:1``, several ranges joined by ``;``)."""
    value = next((v for k, v in attrs if k == "data-pos"), None)
    if not value:
        return None
    starts, ends = [], []
    for piece in value.split(";"):
        # A source read from a file prefixes its name: ``chapter.md@3:1-4:1``.
        match = re.fullmatch(r"(?:.*@)?(\d+):(\d+)-(\d+):(\d+)", piece.strip())
        if match is None:
            continue
        a, _, b, col = (int(g) for g in match.groups())
        # The end is the position after the block: column 1 of the next line ends the line before.
        starts.append(a)
        ends.append(b - 1 if col == 1 and b > a else b)
    return (min(starts), max(ends)) if starts else None


def _attr_of(node: Node) -> list | None:
    kind, content = node["t"], node.get("c") or []
    if kind in ("Div", "Table", "Figure", "CodeBlock"):
        return content[0]
    if kind == "Header":
        return content[1]
    return None


def _unwrap(node: Node) -> _Read | None:
    """A block of the CommonMark reading with its ``wrapper`` Div taken off, and its lines."""
    attr = _attr_of(node)
    where = _range(attr[2]) if attr else None
    if node["t"] == "Div" and attr is not None and ["wrapper", "1"] in attr[2]:
        inner = node["c"][1]
        if len(inner) == 1:
            child = _unwrap(inner[0])
            node = child.node if child else inner[0]
    if where is None:
        return None
    return _Read(_strip_inline_wrappers(node), *where)


def _strip_inline_wrappers(node: Any) -> Any:
    """The node without the ``wrapper`` Spans sourcepos puts around every inline (the block
    wrappers stay: they hold the places of the blocks inside)."""
    if isinstance(node, list):
        out: list[Any] = []
        for item in node:
            if isinstance(item, dict) and item.get("t") == "Span" and ["wrapper", "1"] in item["c"][0][2]:
                out.extend(_strip_inline_wrappers(item["c"][1]))
            else:
                out.append(_strip_inline_wrappers(item))
        return out
    if isinstance(node, dict):
        return {k: _strip_inline_wrappers(v) for k, v in node.items()}
    return node


# The characters shown ------------------------------------------------------------------------


class _Columns:
    """Turns CommonMark's ``line:column`` (columns count characters, a tab runs to the next
    multiple of 4) into offsets of the text."""

    TAB = 4

    def __init__(self, text: str) -> None:
        self.text = text
        # pandoc ends a line at a line feed alone (not at the other breaks str.splitlines knows)
        self.starts = [0, *(m.end() for m in re.finditer("\n", text)), len(text) + 1]

    def offset(self, line: int, column: int) -> int | None:
        if not 1 <= line < len(self.starts):
            return None
        start = self.starts[line - 1]
        segment = self.text[start : self.starts[line]]
        if "\t" not in segment:
            return start + column - 1
        col = 1
        for index, char in enumerate(segment):
            if col >= column:
                return start + index
            col = ((col - 1) // self.TAB + 1) * self.TAB + 1 if char == "\t" else col + 1
        return start + len(segment)


_POSITION = re.compile(r"(?:.*@)?(\d+):(\d+)-(\d+):(\d+)")


def _span_offsets(attrs: list[list[str]], columns: _Columns) -> tuple[int, int] | None:
    value = next((v for k, v in attrs if k == "data-pos"), None)
    match = _POSITION.fullmatch(value.strip()) if value else None
    if match is None:
        return None
    a, b, c, d = (int(g) for g in match.groups())
    start, end = columns.offset(a, b), columns.offset(c, d)
    return (start, end) if start is not None and end is not None else None


def _shown(blocks: list[Node], text: str) -> Shown:
    """The characters the CommonMark reading (``blocks``, inline wrappers kept) shows."""
    columns = _Columns(text)
    found: dict[int, tuple[str, int]] = {}
    notes = [0]

    def visit(node: Any, note: int) -> None:
        if isinstance(node, list):
            for item in node:
                visit(item, note)
            return
        if not isinstance(node, dict):
            return
        kind = node.get("t")
        content: Any = node.get("c")
        if kind == "Note":
            notes[0] += 1
            visit(content, notes[0] - 1)
            return
        if kind == "Span" and ["wrapper", "1"] in content[0][2] and len(content[1]) == 1:
            inner = content[1][0]
            where = _span_offsets(content[0][2], columns)
            if where is not None and inner.get("t") in ("Str", "Space"):
                _place_chars(inner, where, text, note, found)
                return
        visit(content, note)

    visit(blocks, -1)
    ordered = sorted(found.items())
    return Shown(
        tuple(k for k, _ in ordered), "".join(c for _, (c, _) in ordered), tuple(n for _, (_, n) in ordered)
    )


def _place_chars(
    node: Node, where: tuple[int, int], text: str, note: int, found: dict[int, tuple[str, int]]
) -> None:
    """Each character of a ``Str`` (or the one of a ``Space``) at its offset in ``text``: one
    for one where the source spells it so, past a backslash that escapes it; a character
    spelled otherwise (an entity, ``&amp;``) is left out."""
    start, end = where
    if node["t"] == "Space":
        found[start] = (" ", note)
        return
    source = text[start:end]
    value = node["c"]
    if len(source) == len(value):
        found.update((start + k, (char, note)) for k, char in enumerate(value))
        return
    k = 0
    for char in value:
        if source.startswith("\\", k) and source[k + 1 : k + 2] == char:
            k += 1
        if source[k : k + 1] != char:
            return
        found[start + k] = (char, note)
        k += 1


# Lining up the two readings -----------------------------------------------------------------


def _words(node: Any, out: list[str]) -> None:
    if isinstance(node, list):
        for item in node:
            _words(item, out)
    elif isinstance(node, dict):
        kind, content = node.get("t"), node.get("c") or []
        if kind == "Str":
            out.append(str(content))
        elif kind in ("Code", "Math", "RawInline", "RawBlock", "CodeBlock"):
            out.append(content[1])
        elif kind == "Cite":
            _words(content[1], out)
        elif kind == "Note":
            return
        else:
            _words(content, out)


def _signature(node: Node) -> tuple[str, str]:
    words: list[str] = []
    _words(node.get("c"), words)
    text = re.sub(r"\s+", "", "".join(words))[:_SIGNATURE_CHARS]
    kind = "text" if node["t"] in _TEXT_KINDS else node["t"]
    return kind, text


def _align(
    blocks: list[Node], read: list[_Read | None], lines: list[str], bounds: tuple[int, int]
) -> list[Place]:
    known = [r for r in read if r is not None]
    mine = [_signature(b) for b in blocks]
    theirs = [_signature(r.node) for r in known]
    partner: dict[int, _Read] = {}
    matcher = difflib.SequenceMatcher(None, mine, theirs, autojunk=False)
    for tag, a1, a2, b1, b2 in matcher.get_opcodes():
        if tag == "equal":
            partner.update({a1 + k: known[b1 + k] for k in range(a2 - a1)})
        elif tag == "replace" and a2 - a1 == b2 - b1:
            # As many blocks on both sides between agreeing neighbours: the same blocks, read
            # with a difference of text (an escaped character) or of kind (a simple table is
            # a paragraph to CommonMark); a different kind makes the place inexact.
            partner.update({a1 + k: known[b1 + k] for k in range(a2 - a1)})
    # CommonMark ends a list where the next block it read starts: never past that block.
    starts = sorted(found.start for found in known)
    for i, found in partner.items():
        following = next((s for s in starts if s > found.start), bounds[1] + 1)
        partner[i] = _Read(found.node, *_trim(lines, found.start, min(found.end, following - 1)))
    out: list[Place] = []
    gaps: dict[int, tuple[int, int]] = {}
    for i, block in enumerate(blocks):
        if i in partner:
            found = partner[i]
            exact = mine[i][0] == _signature(found.node)[0]
            out.append(Place(found.start, found.end, _children(block, found.node, lines), exact=exact))
            continue
        if i not in gaps:
            gaps.update(_share_gap(i, partner, len(blocks), lines, bounds))
        out.append(Place(*gaps[i], exact=False))
    return out


def _share_gap(
    first: int, partner: dict[int, _Read], count: int, lines: list[str], bounds: tuple[int, int]
) -> dict[int, tuple[int, int]]:
    """Lines for the blocks from ``first`` on that found no partner, up to the next that did.

    The lines between the neighbours that did are cut at blank lines; as many pieces as blocks
    give one piece each, otherwise each block gets all of them. Footnote definitions are no
    blocks: their lines are left out. With no line left, the blocks were read by CommonMark as
    part of the neighbour before (``<table><tr>`` on one line is one HTML block to it, several
    to pandoc Markdown): they get its lines.
    """
    group = list(range(first, next((j for j in range(first, count) if j in partner), count)))
    before = max((partner[j].end for j in partner if j < first), default=bounds[0] - 1)
    after = min((partner[j].start for j in partner if j > first), default=bounds[1] + 1)
    pieces = _pieces(lines, before + 1, after - 1, skip=_note_definitions(lines))
    if not pieces and first - 1 in partner:
        return dict.fromkeys(group, (partner[first - 1].start, partner[first - 1].end))
    if len(pieces) == len(group):
        return dict(zip(group, pieces, strict=True))
    whole = _trim(lines, before + 1, after - 1)
    return dict.fromkeys(group, whole)


def _pieces(
    lines: list[str], start: int, end: int, skip: frozenset[int] = frozenset()
) -> list[tuple[int, int]]:
    """The runs of non-blank lines between ``start`` and ``end``, those of ``skip`` left out."""
    out: list[tuple[int, int]] = []
    for n in range(start, end + 1):
        if not lines[n - 1].strip() or n in skip:
            continue
        if out and out[-1][1] == n - 1:
            out[-1] = (out[-1][0], n)
        else:
            out.append((n, n))
    return out


def _trim(lines: list[str], start: int, end: int) -> tuple[int, int]:
    """``start``–``end`` without the blank lines at either end (kept whole if all blank)."""
    a, b = start, end
    while a < b and not lines[a - 1].strip():
        a += 1
    while b > a and not lines[b - 1].strip():
        b -= 1
    return (a, b) if a <= b else (start, max(start, end))


def _children(mine: Node, theirs: Node, lines: list[str]) -> tuple[Place | None, ...]:
    """Places inside a block both readings agree on: list items, and the blocks of a Div,
    a quote or a list item."""
    kind = mine["t"]
    if kind != theirs["t"]:
        return ()
    if kind in _LISTS:
        mine_items = mine["c"][1] if kind == "OrderedList" else mine["c"]
        their_items = theirs["c"][1] if kind == "OrderedList" else theirs["c"]
        if len(mine_items) != len(their_items):
            return ()
        return tuple(_item(m, t, lines) for m, t in zip(mine_items, their_items, strict=True))
    if kind in ("Div", "BlockQuote"):
        mine_blocks = mine["c"][1] if kind == "Div" else mine["c"]
        return tuple(_nested(mine_blocks, theirs, lines))
    return ()


def _item(mine: list[Node], theirs: list[Node], lines: list[str]) -> Place | None:
    """A list item's place: its CommonMark reading is one wrapper Div around its blocks."""
    wrapper = theirs[0] if len(theirs) == 1 and theirs[0].get("t") == "Div" else None
    where = _range(wrapper["c"][0][2]) if wrapper else None
    if wrapper is None or where is None:
        return None
    blocks = wrapper["c"][1]
    if len(mine) == 1 and len(blocks) == 1 and _attr_of(blocks[0]) is None:
        # An item of one paragraph: CommonMark's wrapper of the item is the paragraph's.
        only = _Read(_strip_inline_wrappers(blocks[0]), *where)
        exact = _signature(mine[0])[0] == _signature(only.node)[0]
        return Place(*where, children=(Place(*_trim(lines, *where), exact=exact),))
    inner = [_unwrap(b) for b in blocks]
    return Place(*where, children=tuple(_align(mine, inner, lines, where)))


def _nested(mine: list[Node], theirs: Node, lines: list[str]) -> list[Place]:
    content = theirs["c"][1] if theirs["t"] == "Div" else theirs["c"]
    inner = [_unwrap(b) for b in content]
    known = [r for r in inner if r is not None]
    if not known:
        return []
    return _align(mine, inner, lines, (known[0].start, known[-1].end))


# The place of one node ----------------------------------------------------------------------


def place_of(text: str, blocks: Sequence[Node], found: Sequence[Place | None], node: Any) -> Place | None:
    """The tightest place known of ``node``: any object of ``blocks`` (a block, an inline, a
    list of inlines), found by identity, not by its words.

    ``found`` is :func:`places` of ``blocks``. The place is that of the innermost block holding
    ``node`` whose place is known (list items, the blocks of Divs and quotes); for a node inside
    a footnote, the lines of that note's definition (``[^id]: …``, apart from the paragraph
    that calls it). ``None`` when no block of ``blocks`` holds ``node``.
    """
    held = _held(text, blocks, found, node)
    return held[1] if held else None


def line_of(
    text: str,
    blocks: Sequence[Node],
    found: Sequence[Place | None],
    node: Any,
    needle: str | re.Pattern[str] = "",
    *,
    same: Callable[[Any], bool] | None = None,
    word_start: bool = False,
) -> int | None:
    """The line of ``node`` (see :func:`place_of`): where ``needle`` stands within its place,
    else the place's first line.

    Where ``needle`` stands more than once, the occurrence is the one matching the rank of
    ``node`` among the nodes of its block that ``same`` accepts (by default those equal to it):
    the second ``* * *`` of a definition list is on the line of its second rule.
    """
    held = _held(text, blocks, found, node)
    if held is None:
        return None
    holder, place = held
    lines = _occurrences(text, place, needle, word_start) if needle else []
    if not lines:
        return place.start
    rank = _rank(holder, node, same or (lambda other: other == node))
    return lines[min(rank, len(lines) - 1)]


def _held(
    text: str, blocks: Sequence[Node], found: Sequence[Place | None], node: Any
) -> tuple[Any, Place] | None:
    """The innermost block (or footnote) holding ``node`` whose place is known, and that place."""
    held = _descend(blocks, found, node)
    if held is None:
        return None
    holder, place = held
    note = _note_holding(holder, node)
    return held if note is None else (note[1], _note_place(text, place, note[0]))


def _rank(tree: Any, node: Any, same: Callable[[Any], bool]) -> int:
    """How many objects that ``same`` accepts come before ``node`` in ``tree``, in reading order."""
    count = 0
    stack = [tree]
    while stack:
        item = stack.pop()
        if item is node:
            return count
        if isinstance(item, dict):
            count += same(item)
            stack.extend(reversed(list(item.values())))
        elif isinstance(item, list):
            stack.extend(reversed(item))
    return count


def _descend(blocks: Sequence[Node], found: Sequence[Place | None], node: Any) -> tuple[Any, Place] | None:
    """The innermost of ``blocks`` (or of the items and blocks inside them) holding ``node``
    whose place is known, with that place."""
    for block, place in zip(blocks, found, strict=False):
        if place is not None and holds(block, node):
            return _deepen(block, place, node)
    return None


def _deepen(block: Node, place: Place, node: Any) -> tuple[Any, Place]:
    kind = block["t"]
    if kind in _LISTS:
        items = block["c"][1] if kind == "OrderedList" else block["c"]
        if len(items) == len(place.children):
            for item, item_place in zip(items, place.children, strict=True):
                if item_place is not None and holds(item, node):
                    return _descend(item, item_place.children, node) or (item, item_place)
    elif kind in ("Div", "BlockQuote") and place.children:
        content = block["c"][1] if kind == "Div" else block["c"]
        return _descend(content, place.children, node) or (block, place)
    return block, place


def holds(tree: Any, target: Any) -> bool:
    """Whether ``target`` (the very object, not an equal one) is ``tree`` or stands anywhere
    inside it."""
    if tree is target:
        return True
    if isinstance(tree, dict):
        return any(holds(value, target) for value in tree.values())
    if isinstance(tree, list):
        return any(holds(item, target) for item in tree)
    return False


def _note_holding(block: Any, node: Any) -> tuple[int, Node] | None:
    """The footnote of ``block`` holding ``node``, with its index among them in reading order."""
    notes: list[Node] = []

    def collect(tree: Any) -> None:
        if isinstance(tree, dict):
            if tree.get("t") == "Note":
                notes.append(tree)
                return
            for value in tree.values():
                collect(value)
        elif isinstance(tree, list):
            for item in tree:
                collect(item)

    collect(block)
    return next(((i, note) for i, note in enumerate(notes) if holds(note, node)), None)


_NOTE_CALL = re.compile(r"\[\^([^\]\s]+)\](?!:)|\^\[")
_NOTE_DEFINITION = re.compile(r"^ {0,3}\[\^([^\]\s]+)\]:")


def _note_place(text: str, place: Place, index: int) -> Place:
    """The lines of the ``index``-th footnote called within ``place``: an inline note's are the
    paragraph's own; a note defined apart (``[^id]: …``) stands where it is defined."""
    calls = [
        match
        for number, line in place.lines(text)
        for match in _NOTE_CALL.finditer(line)
        if not _escaped(line, match.start()) and not _in_code_span(line, match.start())
    ]
    if index >= len(calls) or calls[index].group(1) is None:
        return place
    span = _note_spans(text.splitlines()).get(calls[index].group(1))
    return Place(*span, exact=False) if span else place


def _note_spans(lines: list[str]) -> dict[str, tuple[int, int]]:
    """Footnote id → the lines of its definition: from ``[^id]:`` to the last line before one
    that is neither blank nor indented after a blank one (or that starts another note)."""
    spans: dict[str, tuple[int, int]] = {}
    current: str | None = None
    for number, line in enumerate(lines, start=1):
        if match := _NOTE_DEFINITION.match(line):
            current = match.group(1)
            spans.setdefault(current, (number, number))
        elif current is not None and line.strip():
            if not line[:1].isspace() and not lines[number - 2].strip():
                current = None
            else:
                spans[current] = (spans[current][0], number)
    return spans


def _note_definitions(lines: list[str]) -> frozenset[int]:
    """The lines of every footnote definition."""
    return frozenset(n for start, end in _note_spans(lines).values() for n in range(start, end + 1))
