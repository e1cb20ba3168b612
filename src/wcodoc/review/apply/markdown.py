"""Edits made on the Markdown sources: a block's words changed, a block deleted, blocks added
after another — each as *cuts* of the file's text, checked by reading the file again.

Only the words that change are rewritten, at the characters pandoc read them from
(:mod:`~wcodoc.review.apply.locate`), so what is around them keeps its markup: emphasis, links,
code, ``@par:`` references, footnotes, labels, a table's pipes. A change that would cut
through markup or touch a cross-reference is refused with that reason. Text the Member typed
is written as text (``*`` becomes ``\\*``).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from difflib import SequenceMatcher

from wcodoc.diff.align import tokens
from wcodoc.errors import WcodocError
from wcodoc.review.apply.locate import (
    GENERATED,
    REFERENCE,
    TYPOGRAPHY,
    SourceBlock,
    SourceFile,
    Text,
    key,
    read_source,
)

MARKDOWN_SPECIAL = re.compile(r"([\\*_\[\]`@^<>#$~|&])")
"""Characters that are markup in pandoc Markdown anywhere in a line."""
LINE_START = re.compile(r"^(\d+|[A-Za-z]|[ivxlcIVXLC]+)([.)])(?=\s)|^([-+:%=])(?=\s|$)")
"""What opens a list item, a caption or a title block at the start of a line."""


@dataclass(frozen=True, order=True)
class Cut:
    """``text[start:end]`` of a file replaced by ``new``."""

    start: int
    end: int
    new: str


class Unsafe(Exception):
    """A change that cannot be made on the Markdown safely; the message says why."""


def escape(typed: str, *, line_start: bool = False) -> str:
    """Text the Member typed, as Markdown that reads as that text."""
    out = MARKDOWN_SPECIAL.sub(r"\\\1", typed)
    return (
        LINE_START.sub(lambda m: f"{m.group(1) or ''}\\{m.group(2) or m.group(3)}", out)
        if line_start
        else out
    )


def apply_cuts(text: str, cuts: Sequence[Cut]) -> str:
    """``text`` with ``cuts`` made (they do not overlap)."""
    for cut in sorted(cuts, reverse=True):
        text = text[: cut.start] + cut.new + text[cut.end :]
    return text


# Changing words ---------------------------------------------------------------------------------


def word_cuts(file: SourceFile, block: SourceBlock, now: str, proposed: str) -> list[Cut]:
    """The cuts that make ``block`` (the DOCX shows it as ``now``) read ``proposed``."""
    return _word_cuts(block.text, file.where(block), file.text, now, proposed)


def cell_cuts(
    file: SourceFile, block: SourceBlock, now: list[list[str]], proposed: list[list[str]]
) -> list[Cut]:
    """The cuts that make a table's cells (``now``, as the DOCX shows them) read ``proposed``."""
    if [len(r) for r in now] != [len(r) for r in proposed] or [len(r) for r in now] != [
        len(r) for r in block.cells
    ]:
        raise Unsafe("rows or columns added or removed; change the table by hand")
    where = file.cells_where(block)
    cuts: list[Cut] = []
    for r, row in enumerate(now):
        for c, cell in enumerate(row):
            if cell != proposed[r][c]:
                made = _word_cuts(block.cells[r][c], where[r][c], file.text, cell, proposed[r][c])
                cuts += made + _padding(file.text, where[r][c], made)
    return cuts


def _padding(source: str, where: list[int | None], cuts: list[Cut]) -> list[Cut]:
    """The cut that keeps a cell's column as wide as it was (a grid or simple table reads its
    columns by their width): blanks added after the cell's text, or taken from those there
    (one always left before the next border)."""
    placed = [w for w in where if w is not None]
    if not placed or any("\n" in c.new or "\n" in source[c.start : c.end] for c in cuts):
        return []
    end = max(placed) + 1
    if any(c.start > end or c.end > end for c in cuts):
        end = max(c.end for c in cuts)
    grown = sum(len(c.new) - (c.end - c.start) for c in cuts)
    blanks = len(source[end:]) - len(source[end:].lstrip(" "))
    if grown < 0:
        return [Cut(end, end, " " * -grown)]
    taken = min(grown, blanks - 1)
    return [Cut(end, end + taken, "")] if taken > 0 else []


def note_cuts(file: SourceFile, block: SourceBlock, index: int, now: str, proposed: str) -> list[Cut]:
    """The cuts that make the ``index``-th footnote of ``block`` read ``proposed``."""
    return _word_cuts(block.notes[index], file.note_where(block, index), file.text, now, proposed)


def _word_cuts(text: Text, where: list[int | None], source: str, now: str, proposed: str) -> list[Cut]:
    placed = _Placed(now, *_through(text, where, now), source)
    a, b = tokens(now), tokens(proposed)
    starts = [0]
    for tok in a:
        starts.append(starts[-1] + len(tok))
    cuts: list[Cut] = []
    for op, i1, i2, j1, j2 in SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if op == "equal":
            continue
        typed = "".join(b[j1:j2])
        if "\u27e8" in typed:
            raise Unsafe("a cross-reference copied into the text; apply it by hand")
        new = escape(typed)
        c1, c2 = starts[i1], starts[i2]
        if c1 == c2:
            point = placed.insertion_point(c1, typed)
            cuts.append(Cut(point, point, new))
        else:
            cuts.append(Cut(*placed.replaced(c1, c2), new))
    return cuts


def _through(text: Text, where: list[int | None], now: str) -> tuple[list[int | None], list[int]]:
    """For each character of ``now`` (the block as the DOCX shows it): its offset in the file
    and the inline it is in, through the block's text as pandoc reads it."""
    mine = now.translate(TYPOGRAPHY)
    theirs = text.chars.translate(TYPOGRAPHY)
    at: list[int | None] = [None] * len(now)
    containers = [GENERATED] * len(now)
    for match in SequenceMatcher(None, mine, theirs, autojunk=False).get_matching_blocks():
        for k in range(match.size):
            at[match.a + k] = where[match.b + k]
            containers[match.a + k] = text.containers[match.b + k]
    return at, containers


STRADDLES = "the change straddles markup (emphasis, a link, code, a footnote or a label)"


@dataclass(frozen=True)
class _Placed:
    """The DOCX text of a block, each character with its offset in the file (``at``) and the
    inline pandoc read it in (``containers``)."""

    now: str
    at: list[int | None]
    containers: list[int]
    source: str

    def _free(self, k: int) -> bool:
        """Whether character ``k`` may be rewritten though it has no offset: a blank pandoc
        read from a line end, not a character of markup or code."""
        return self.now[k].isspace() and self.containers[k] >= 0

    def replaced(self, c1: int, c2: int) -> tuple[int, int]:
        """The span of the file that characters ``c1``–``c2`` of the DOCX text stand on."""
        span = range(c1, c2)
        if any(self.containers[k] == REFERENCE for k in span):
            raise Unsafe("the change touches a cross-reference (its number is the build's)")
        if any(self.at[k] is None and not self._free(k) for k in span):
            raise Unsafe(STRADDLES)
        placed = [p for k in span if (p := self.at[k]) is not None]
        if not placed:  # blanks only (a line end): those between the characters around them
            before = next((p for k in range(c1 - 1, -1, -1) if (p := self.at[k]) is not None), None)
            after = next((p for k in range(c2, len(self.at)) if (p := self.at[k]) is not None), None)
            if before is None or after is None or self.source[before + 1 : after].strip():
                raise Unsafe(STRADDLES)
            return before + 1, after
        first, last = min(placed), max(placed)
        own = set(placed)
        if any(k not in own and not self.source[k].isspace() for k in range(first, last + 1)):
            raise Unsafe(STRADDLES)
        return first, last + 1

    def insertion_point(self, c: int, typed: str) -> int:
        """Where words ``typed`` before character ``c`` of the DOCX text go in the file.

        Between two characters with markup between them (the ``*`` closing an emphasis, a
        footnote's reference), they go right after the first — unless they open with a blank
        and the first is inside an inline the second is not (``*word*``): then outside it,
        before the second. Letters typed onto a word stay with it (``*word*`` → ``*words*``).
        """
        previous = self.at[c - 1] if c > 0 else None
        following = self.at[c] if c < len(self.at) else None
        if previous is None and following is None:
            near = [self.containers[k] for k in (c - 1, c) if 0 <= k < len(self.at)]
            if REFERENCE in near:
                raise Unsafe("the insertion is next to a cross-reference; apply it by hand")
            raise Unsafe("the insertion is next to markup whose place is unknown; apply it by hand")
        if following is None:
            assert previous is not None
            return previous + 1
        if previous is None or previous + 1 == following:
            return following
        leaving = self.containers[c - 1] > 0 and self.containers[c] != self.containers[c - 1]
        return following if leaving and typed[:1].isspace() else previous + 1


# Deleting and adding blocks -------------------------------------------------------------------------


def delete_cuts(file: SourceFile, block: SourceBlock) -> list[Cut]:
    """The cut that takes ``block``'s lines out (with a blank line beside it); a list item
    goes with its marker."""
    if block.labels:
        labels = ", ".join(f"{{#{label}}}" for label in block.labels)
        raise Unsafe(f"it holds a label ({labels}) that references may use; delete it by hand")
    if block.kind not in ("text", "item", "heading"):
        raise Unsafe(f"a {_what(block)} deleted: delete it by hand")
    item = block.kind == "item" and block.in_list is not None
    if item and block.item_size > 1:
        raise Unsafe("a list item with more blocks in it (a sub-list); delete it by hand")
    steps = block.steps[:-1] if item else block.steps
    if not file.place_at(steps).exact:
        raise Unsafe("pandoc's two readings disagree on where it stands; delete it by hand")
    start, end = file.span_of(steps)
    text = file.text
    end = end + 1 if text.startswith("\n", end) else end
    if item:
        return [Cut(start, end, "")]
    if text.startswith("\n", end):
        end += 1
    elif start >= 2 and text[start - 2 : start] == "\n\n":
        start -= 1
    return [Cut(start, end, "")]


def insert_cuts(
    file: SourceFile, anchor: SourceBlock | None, kind: str, proposed: Sequence[str]
) -> list[Cut]:
    """The cut that writes the paragraphs ``proposed`` after ``anchor`` (at the start of the
    file when ``None``): as items of its list when the anchor is a list item and ``kind`` the
    DOCX kind of one (``bullet``, ``sub-item``), as headings for ``heading``, else as
    paragraphs — after the anchor's whole list, or its table and caption."""
    text = file.text
    if anchor is None:  # before the first block (a use case's body: below its front matter)
        at = file.span(file.blocks[0])[0] if file.blocks else len(text)
        return [Cut(at, at, "".join(escape(p, line_start=True) + "\n\n" for p in proposed))]
    if anchor.kind == "item" and anchor.in_list:
        start, end = file.span_of(anchor.steps[:-1])  # the whole item, its sub-lists too
        marker = _MARKER.match(text, start)
        if marker is not None and kind in ("bullet", "sub-item"):
            indent, mark = marker.group(1), marker.group(2)
            items = "".join(f"\n{indent}{_next(mark)} {escape(p)}" for p in proposed)
            return [Cut(end, end, items)]
        end = file.span_of(anchor.steps[:-2])[1]  # a paragraph after an item: after its list
    elif anchor.kind in ("table", "caption"):
        end = _before_next(file, anchor)
    else:
        end = file.span(anchor)[1]
    level = "#" * (int(anchor.node["c"][0]) if anchor.kind == "heading" else 1)
    opening = f"{level} " if kind == "heading" else ""
    return [Cut(end, end, "".join(f"\n\n{opening}{escape(p, line_start=True)}" for p in proposed))]


def _what(block: SourceBlock) -> str:
    return {"table": "table", "caption": "caption", "code": "code block"}.get(block.kind, "block")


def _before_next(file: SourceFile, anchor: SourceBlock) -> int:
    """The end of a table with what goes with it (a caption after it, which CommonMark does
    not read as the table's): the end of the last line before the next block."""
    later = [
        b for b in file.blocks if b.steps > anchor.steps and b.steps[: len(anchor.steps)] != anchor.steps
    ]
    limit = file.span(later[0])[0] if later else len(file.text)
    return len(file.text[:limit].rstrip())


_MARKER = re.compile(r"([ \t]*)((?:[-+*]|\(?[0-9A-Za-z]+[.)]))[ \t]+")


def _next(marker: str) -> str:
    """The marker of the item after one marked ``marker`` (``a.`` → ``b.``, ``-`` stays)."""
    found = re.fullmatch(r"(\(?)([0-9]+|[A-Za-z])([.)])", marker)
    if found is None:
        return marker
    opening, value, closing = found.groups()
    if value.isdigit():
        value = str(int(value) + 1)
    elif value not in "zZ":
        value = chr(ord(value) + 1)
    return f"{opening}{value}{closing}"


# Reading it back ------------------------------------------------------------------------------------


Expected = tuple[str, str, tuple[str, ...]]
"""What a block must read as after the edits: its kind, its text and its notes' (as :func:`key`)."""


def expected(block: SourceBlock) -> Expected:
    """``block`` as it reads now."""
    return _coarse(block.kind), key(block.shown), tuple(key(n.chars) for n in block.notes)


def _coarse(kind: str) -> str:
    return "heading" if kind == "heading" else "table" if kind == "table" else "text"


def reads_as(file: SourceFile, edited: str, wanted: Sequence[Expected]) -> bool:
    """Whether ``edited`` (``file`` edited) reads, block by block, as ``wanted``."""
    try:
        again = read_source(file.path, edited)
    except WcodocError:  # pandoc refusing the edited text fails the check
        return False
    return [expected(b) for b in again.blocks] == list(wanted)
