"""The Markdown sources as pandoc reads them, block by block, for ``review apply``.

Each file is read by pandoc into the blocks a reader of the DOCX meets — a paragraph, a list
item, a heading, a line block, a table, a caption — each with its text as the DOCX shows it
(:class:`Text`: markup left out, a cross-reference as its target ``⟨par_aim⟩``, footnotes
apart). Only when a block is to be edited are its lines and the place of each character asked
of pandoc (:func:`wcodoc.parse.positions.read_positions`): the characters pandoc's CommonMark
reading shows as text are lined up with the block's text, so that a change of words is made
on the Markdown itself and its markup is left as it was. No grammar of our own reads Markdown.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from difflib import SequenceMatcher
from pathlib import Path
from typing import Any, Literal

from wcodoc.ooxml.fields import bookmark_name
from wcodoc.parse.pandoc import markdown_to_ast
from wcodoc.parse.positions import Place, Positions, Shown, read_positions
from wcodoc.parse.reader import AstCache, parse_texts

Node = dict[str, Any]

REFERENCE = -1
"""The container of a cross-reference's characters (``⟨par_aim⟩``): the build's number."""
GENERATED = -2
"""The container of characters the build writes (the quotes of ``"quoted"``)."""
TYPOGRAPHY = str.maketrans(
    {
        "\u2019": "'",
        "\u2018": "'",
        "\u201c": '"',
        "\u201d": '"',
        "\u00ab": '"',
        "\u00bb": '"',
        "\u00a0": " ",
        "\u202f": " ",
        "\u2009": " ",
    }
)
"""What the build changes in text, one character for one: texts are compared as typed."""
_BLANKS = re.compile(r"\s+")
_QUOTES = {"DoubleQuote": "\u201c\u201d", "SingleQuote": "\u2018\u2019"}
_WRAPPERS = ("Emph", "Strong", "Underline", "Strikeout", "Superscript", "Subscript", "SmallCaps")
_LISTS = ("BulletList", "OrderedList")

Kind = Literal["text", "heading", "item", "table", "caption", "code"]


def key(text: str) -> str:
    """What two readings of one text share: typography undone, whitespace left out (the
    build's French spacing adds some)."""
    return _BLANKS.sub("", text.translate(TYPOGRAPHY))


@dataclass(frozen=True)
class Text:
    """A text as the DOCX shows it, each character with the inline it belongs to."""

    chars: str = ""
    containers: tuple[int, ...] = ()
    """Per character: the inline (emphasis, link, span, code …) it is in, numbered in reading
    order, ``0`` for the block itself; :data:`REFERENCE` or :data:`GENERATED`."""

    def __str__(self) -> str:
        return self.chars


class _Render:
    """Writes the text of inlines as the DOCX shows it (:class:`Text`), notes kept apart."""

    def __init__(self) -> None:
        self.chars: list[str] = []
        self.containers: list[int] = []
        self.notes: list[list[Node]] = []
        self.labels: list[str] = []
        self._count = 0

    def _new(self) -> int:
        self._count += 1
        return self._count

    def put(self, text: str, container: int) -> None:
        self.chars.extend(text)
        self.containers.extend([container] * len(text))

    def inlines(self, nodes: Iterable[Node], container: int = 0) -> None:
        for node in nodes:
            self.inline(node, container)

    def inline(self, node: Node, container: int) -> None:
        kind: str = node["t"]
        content: Any = node.get("c")
        if kind == "Str":
            self.put(content, container)
        elif kind in ("Space", "SoftBreak", "LineBreak"):
            self.put(" ", container)
        elif kind in ("Code", "Math"):
            self.put(content[1], self._new())
        elif kind == "Quoted":
            quotes = _QUOTES[content[0]["t"]]
            self.put(quotes[0], GENERATED)
            self.inlines(content[1], self._new())
            self.put(quotes[1], GENERATED)
        elif kind == "Cite":
            self._cite(content[0], container)
        elif kind == "Note":
            self.notes.append(content)
        elif kind in ("Span", "Link"):
            if content[0][0]:
                self.labels.append(content[0][0])
            self.inlines(content[1], self._new())
        elif kind in _WRAPPERS:
            self.inlines(content, self._new())

    def _cite(self, citations: list[Node], container: int) -> None:
        """As the build writes a reference (``transform.numbering``): the text in its
        brackets around the target."""
        for n, citation in enumerate(citations):
            if n:
                self.put(", ", container)
            prefix, suffix = citation.get("citationPrefix") or [], citation.get("citationSuffix") or []
            if prefix:
                self.inlines(prefix, container)
                self.put(" ", container)
            self.put(f"\u27e8{bookmark_name(citation['citationId'])}\u27e9", REFERENCE)
            if suffix and citation.get("citationMode", {}).get("t") == "AuthorInText":
                self.put(" [", container)
                self.inlines(suffix, container)
                self.put("]", container)
            elif suffix:
                first = suffix[0]
                if not (first["t"] == "Str" and first["c"][:1] in ",.;:)!?"):
                    self.put(" ", container)
                self.inlines(suffix, container)

    def text(self) -> Text:
        """The text written so far, whitespace collapsed as the DOCX reading collapses it."""
        chars: list[str] = []
        containers: list[int] = []
        for char, container in zip(self.chars, self.containers, strict=True):
            if char.isspace():
                if not chars or chars[-1] == " ":
                    continue
                char = " "
            chars.append(char)
            containers.append(container)
        while chars and chars[-1] == " ":
            chars.pop()
            containers.pop()
        return Text("".join(chars), tuple(containers))


def render(inlines: Iterable[Node]) -> tuple[Text, list[list[Node]], list[str]]:
    """The text of ``inlines``, the blocks of each footnote in it, and the labels it defines."""
    out = _Render()
    out.inlines(inlines)
    return out.text(), out.notes, out.labels


def _blocks_text(blocks: Sequence[Node]) -> Text:
    """The text of blocks shown as one (a table cell, a footnote): paragraphs joined by a space."""
    out = _Render()
    for block in blocks:
        if block["t"] in ("Para", "Plain"):
            out.inlines(block["c"])
            out.put(" ", 0)
        elif block["t"] == "LineBlock":
            for line in block["c"]:
                out.inlines(line)
                out.put(" ", 0)
    return out.text()


@dataclass
class SourceBlock:
    """A block of a Markdown file as a reader of the DOCX meets it."""

    file: SourceFile = field(repr=False)
    kind: Kind
    node: Node = field(repr=False)
    steps: tuple[int, ...]
    """Where its place is: the index of its top-level block, then of the child at each level
    (a list's item then the item's block; a Div's block)."""
    text: Text
    notes: list[Text] = field(default_factory=list)
    cells: list[list[Text]] = field(default_factory=list)
    """A table's rows of cells, header rows first."""
    labels: tuple[str, ...] = ()
    """Labels it defines (a heading's ``{#sec:…}``, a ``[]{#par:…}``): references may use them."""
    in_list: str | None = None
    """For a list item: ``BulletList`` or ``OrderedList``."""
    item_size: int = 0
    """For a list item: how many blocks the item holds (its paragraph first)."""
    in_table: bool = False
    """Whether it stands in a table cell (never edited as a block of its own)."""

    @property
    def shown(self) -> str:
        """Its text as the DOCX compares it: a table as its cells (`` | ``) and rows (`` / ``)."""
        if self.kind == "table":
            return " / ".join(" | ".join(c.chars for c in row) for row in self.cells)
        return self.text.chars

    @property
    def path(self) -> Path:
        return self.file.path


@dataclass
class SourceFile:
    """One Markdown source as pandoc reads it: its blocks, and (asked for once) where they stand.

    ``text`` is what pandoc reads: the file itself, or a use-case file with its front matter
    blanked out (same offsets, same lines), or a ``document.yaml`` value.
    """

    path: Path
    text: str
    ast: list[Node] = field(repr=False)
    blocks: list[SourceBlock] = field(default_factory=list)
    first_line: int = 1
    """The line of the file on which ``text`` starts (a ``document.yaml`` value: below its key)."""
    _positions: Positions | None = field(default=None, repr=False)
    _note_map: dict[tuple[int, int], int] | None = field(default=None, repr=False)

    @property
    def positions(self) -> Positions:
        """Where the blocks and characters stand (one pandoc call, the first time)."""
        if self._positions is None:
            self._positions = read_positions(self.text, self.ast)
        return self._positions

    def place(self, block: SourceBlock) -> Place:
        """The lines ``block`` was read from (those of the block around it when pandoc's two
        readings disagree on it)."""
        return self.place_at(block.steps)

    def place_at(self, steps: Sequence[int]) -> Place:
        """The place of the block at ``steps`` (see :attr:`SourceBlock.steps`)."""
        place = self.positions.places[steps[0]]
        for step in steps[1:]:
            child = place.children[step] if step < len(place.children) else None
            if child is None:
                break
            place = child
        return place

    def span(self, block: SourceBlock) -> tuple[int, int]:
        """The offsets of ``block``'s lines: the start of its first, the end of its last."""
        return self.span_of(block.steps)

    def span_of(self, steps: Sequence[int]) -> tuple[int, int]:
        """The offsets of the lines of the block at ``steps``."""
        place = self.place_at(steps)
        starts = line_starts(self.text)
        start = starts[min(place.start, len(starts) - 1) - 1]
        end = starts[min(place.end, len(starts) - 1)]
        return start, end - (1 if end > start and self.text[end - 1 : end] == "\n" else 0)

    def line(self, block: SourceBlock) -> int:
        """The line of the file on which ``block`` starts."""
        return self.place(block).start + self.first_line - 1

    def where(self, block: SourceBlock) -> list[int | None]:
        """For each character of ``block``'s text: its offset in ``text`` (``None`` for a
        character the build writes, or that pandoc's two readings do not agree on)."""
        inline = {k for found in self._inline_notes(block).values() for k in found}
        return line_up(block.text, self.positions.shown, [k for k in self._region(block) if k not in inline])

    def cells_where(self, block: SourceBlock) -> list[list[list[int | None]]]:
        """For each cell of a table: the offset of each character (as :meth:`where`)."""
        joined = "\0".join(cell.chars for row in block.cells for cell in row)
        containers = [c for row in block.cells for cell in row for c in (*cell.containers, GENERATED)]
        where = line_up(
            Text(joined, tuple(containers[: len(joined)])), self.positions.shown, self._region(block)
        )
        out: list[list[list[int | None]]] = []
        at = 0
        for row in block.cells:
            out.append([])
            for cell in row:
                out[-1].append(where[at : at + len(cell.chars)])
                at += len(cell.chars) + 1
        return out

    def note_where(self, block: SourceBlock, index: int) -> list[int | None]:
        """For each character of the ``index``-th footnote of ``block``: its offset. A note
        defined apart (``[^id]: …``) is found among the notes the CommonMark reading has; an
        inline one (``^[…]``), which that reading shows as text, in the block's lines."""
        note = block.notes[index]
        shown = self.positions.shown
        defined = self._notes().get((self.blocks.index(block), index))
        if defined is not None:
            return line_up(note, shown, shown.in_note(defined))
        return line_up(note, shown, self._inline_notes(block).get(index, []))

    def _inline_notes(self, block: SourceBlock) -> dict[int, list[int]]:
        """The characters of each inline footnote of ``block`` (by its index among the
        block's notes), found as the one run of the block's characters reading as its text."""
        if not block.notes:
            return {}
        shown = self.positions.shown
        region = self._region(block)
        line = "".join(shown.chars[k] for k in region).translate(TYPOGRAPHY)
        found: dict[int, list[int]] = {}
        defined = self._notes()
        position = self.blocks.index(block)
        for n, note in enumerate(block.notes):
            if (position, n) in defined or not note.chars:
                continue
            wanted = note.chars.translate(TYPOGRAPHY)
            at = line.find(wanted)
            if at >= 0 and line.find(wanted, at + 1) < 0:
                found[n] = region[at : at + len(wanted)]
        return found

    def _region(self, block: SourceBlock) -> list[int]:
        start, end = self.span(block)
        return self.positions.shown.between(start, end + 1)

    def _notes(self) -> dict[tuple[int, int], int]:
        """Which footnotes are defined apart: (block, note) → the CommonMark reading's note.

        That reading knows only notes defined apart, numbered in the order their references
        are read; pandoc's reading has inline ones among them. Their texts tell them apart.
        """
        if self._note_map is None:
            shown = self.positions.shown
            defined: dict[int, str] = {}
            for k, number in enumerate(shown.notes):
                if number >= 0:
                    defined[number] = defined.get(number, "") + shown.chars[k]
            keys = [key(defined[n]) for n in sorted(defined)]
            found: dict[tuple[int, int], int] = {}
            at = 0
            for b, block in enumerate(self.blocks):
                for n, note in enumerate(block.notes):
                    if at < len(keys) and keys[at] == key(note.chars):
                        found[(b, n)] = at
                        at += 1
            self._note_map = found
        return self._note_map


def line_starts(text: str) -> list[int]:
    """The offset at which each line of ``text`` starts (lines end at ``\\n`` alone, as pandoc
    reads them), and the length of ``text`` last."""
    starts = [0, *(m.end() for m in re.finditer("\n", text))]
    return starts if starts[-1] == len(text) and len(starts) > 1 else [*starts, len(text)]


def line_up(text: Text, shown: Shown, indexes: Sequence[int]) -> list[int | None]:
    """Each character of ``text`` lined up with the characters ``shown`` at ``indexes``: its
    offset, or ``None`` (a reference, the build's quotes, or no partner)."""
    own = "".join(
        "\1" if c < 0 else char for char, c in zip(text.chars, text.containers, strict=True)
    ).translate(TYPOGRAPHY)
    theirs = "".join(shown.chars[k] for k in indexes).translate(TYPOGRAPHY)
    out: list[int | None] = [None] * len(own)
    for match in SequenceMatcher(None, own, theirs, autojunk=False).get_matching_blocks():
        for k in range(match.size):
            out[match.a + k] = shown.offsets[indexes[match.b + k]]
    return out


# Reading the files ----------------------------------------------------------------------------


def read_sources(items: Sequence[tuple[Path, str]], cache: AstCache | None = None) -> list[SourceFile]:
    """``(path, text)`` pairs read by pandoc (cached by text, in parallel) into their blocks."""
    parsed = parse_texts(list(items), cache or AstCache(None))
    return [source_file(p.path, p.text, p.blocks) for p in parsed]


def read_source(path: Path, text: str, first_line: int = 1) -> SourceFile:
    """One text read by pandoc into its blocks (``first_line``: where it starts in ``path``)."""
    found = source_file(path, text, markdown_to_ast(text, source=path)["blocks"])
    found.first_line = first_line
    return found


def source_file(path: Path, text: str, ast: list[Node]) -> SourceFile:
    """The blocks of ``text`` as pandoc's AST ``ast`` has them."""
    file = SourceFile(path, text, ast)
    _walk(file, ast, (), None)
    return file


def _walk(file: SourceFile, nodes: Sequence[Node], steps: tuple[int, ...], in_list: str | None) -> None:
    for index, node in enumerate(nodes):
        here = (*steps, index)
        kind: str = node["t"]
        content: Any = node.get("c")
        if kind in ("Para", "Plain"):
            _text_block(file, "item" if in_list else "text", node, content, here, in_list)
            in_list = None  # the paragraphs after an item's first are not items of their own
        elif kind == "Header":
            identifier = content[1][0]
            block = _text_block(file, "heading", node, content[2], here, None)
            block.labels = (*block.labels, identifier) if identifier else block.labels
        elif kind == "LineBlock":
            lines = [inline for line in content for inline in (*line, {"t": "Space"})]
            _text_block(file, "item" if in_list else "text", node, lines, here, in_list)
        elif kind in _LISTS:
            items = content if kind == "BulletList" else content[1]
            for n, item in enumerate(items):
                first = len(file.blocks)
                _walk(file, item, (*here, n), kind)
                if first < len(file.blocks) and file.blocks[first].in_list:
                    file.blocks[first].item_size = len(item)
        elif kind in ("Div", "BlockQuote"):
            _walk(file, content[1] if kind == "Div" else content, here, None)
        elif kind == "Table":
            _table(file, node, here)
        elif kind == "Figure":
            _caption(file, node, content[1][1], here)
        elif kind == "CodeBlock":
            file.blocks.append(SourceBlock(file, "code", node, here, Text(" ".join(content[1].split()))))
        elif kind == "DefinitionList":
            for term, definitions in content:
                _text_block(file, "text", node, term, here, None)
                for definition in definitions:
                    _walk(file, definition, here, None)


def _text_block(
    file: SourceFile, kind: Kind, node: Node, inlines: list[Node], steps: tuple[int, ...], in_list: str | None
) -> SourceBlock:
    text, notes, labels = render(inlines)
    block = SourceBlock(
        file, kind, node, steps, text, [_blocks_text(n) for n in notes], labels=tuple(labels), in_list=in_list
    )
    file.blocks.append(block)
    return block


def _rows(node: Node) -> list[list[Any]]:
    """A Table's rows in the order the DOCX has them: header, bodies, footer."""
    _attr, _caption, _specs, head, bodies, foot = node["c"]
    rows = list(head[1])
    for body in bodies:
        rows.extend(body[2])
        rows.extend(body[3])
    rows.extend(foot[1])
    return [row[1] for row in rows]


def _table(file: SourceFile, node: Node, steps: tuple[int, ...]) -> None:
    _caption(file, node, node["c"][1][1], steps)
    cells = [[_blocks_text(cell[4]) for cell in row] for row in _rows(node)]
    if any(cell.chars for row in cells for cell in row):  # an empty table is no block of the DOCX
        file.blocks.append(SourceBlock(file, "table", node, steps, Text(), cells=cells))


def _caption(file: SourceFile, node: Node, blocks: list[Node], steps: tuple[int, ...]) -> None:
    text = _blocks_text(blocks)
    if text.chars:
        file.blocks.append(SourceBlock(file, "caption", node, steps, text))
