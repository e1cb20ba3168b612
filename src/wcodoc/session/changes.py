"""What changed in an original since its translation followed it, named as a translator looks.

Every changed block is listed (paragraphs, sub-items, headings, bullets, tables, footnotes, use
cases and their fields and sections, cover fields, the SUMMARY), each with the place where it is
now: ``paragraph 7 (was 6)``, ``table after paragraph 9``, ``footnote 2 of paragraph 5``, ``use
case 3, Solution``, ``SUMMARY, purpose``. A deleted block is placed after the numbered block now
before it. Renumbering is no change, and neither are the symbol and the issue date, which every
version changes.
"""

from __future__ import annotations

from dataclasses import dataclass

from wcodoc.diff import Comparison
from wcodoc.diff.align import Alignment, Change, Deleted, OldOnly, sides
from wcodoc.diff.extract import NOTE_BLOCKS, Block, Draft
from wcodoc.styles import ANNEX_HEADING, ANNEX_TITLE, USE_CASE_META

NUMBERED_BLOCKS = ("paragraph", "sub-item")
"""The blocks ``changed_paragraphs`` names by number."""
EVERY_VERSION = frozenset({"reference", "issued"})
"""Cover fields every new version changes: no change for the translator."""
NOUNS = {"other": "unnumbered paragraph", "heading": "sub-heading"}
"""How an unnumbered block is named in a place, where its kind reads badly."""
SUMMARY = "summary."


@dataclass(frozen=True)
class ChangedBlock:
    """One block of the original changed since the version the translation follows."""

    kind: str
    """``modified``, ``inserted``, ``deleted``, ``moved`` or ``formatted``."""
    block: str
    """As ``wcodoc diff`` names it: ``paragraph``, ``sub-item``, ``heading``, ``bullet``,
    ``table``, ``footnote``, ``endnote``, ``annex`` (a use case and its parts), ``cover``,
    ``other`` (an unnumbered paragraph)."""
    number: str | None
    """Its number in the original now (``7``, ``9.b``, ``II``, use case ``3``); for a deleted
    block, the number it had in the version followed; ``None`` for an unnumbered block."""
    location: str
    """Where to find it in the original now: ``paragraph 7 (was 6)``, ``table after paragraph
    9``, ``use case 3, Solution``, ``SUMMARY, purpose``."""

    def as_json(self) -> dict:
        return {"kind": self.kind, "block": self.block, "number": self.number, "location": self.location}

    @property
    def named_by_number(self) -> bool:
        """Whether ``changed_paragraphs`` names it by its own number: a numbered paragraph or
        sub-item, not deleted (a deleted one is named by the paragraph before it)."""
        return self.block in NUMBERED_BLOCKS and self.kind != "deleted"


def translator_changes(comparison: Comparison) -> list[Change]:
    """The changes of ``comparison`` a translator must follow: all but the symbol and date."""
    return [c for c in comparison.alignment.changes if not _every_version(c)]


def _every_version(change: Change) -> bool:
    old, new = sides(change)
    block = new or old
    return block is not None and block.block == "cover" and block.field in EVERY_VERSION


def changed_blocks(comparison: Comparison) -> list[ChangedBlock]:
    """Every block changed from ``comparison.old`` (the version followed) to ``.new``, in the
    order of the original now."""
    places = {**_places(comparison.old), **_places(comparison.new)}
    anchors = _deletion_anchors(comparison.alignment)
    return [_changed_block(change, places, anchors) for change in translator_changes(comparison)]


def _changed_block(change: Change, places: dict[int, str], anchors: dict[int, Block | None]) -> ChangedBlock:
    old, new = sides(change)
    if new is None:
        assert old is not None
        return ChangedBlock(
            change.kind, old.block, old.number, _deleted_place(old, places, anchors.get(id(old)))
        )
    place = places.get(id(new)) or _place(new)
    if old is not None and old.number and new.number and old.number != new.number:
        place += f" (was {old.number})"
    return ChangedBlock(change.kind, new.block, new.number, place)


def changed_paragraphs(comparison: Comparison) -> list[str]:
    """Numbers (current numbering) of the paragraphs and sub-items changed since the version
    followed, in order.

    A deleted paragraph is named by the numbered paragraph now before it, wherever it was
    (after an unnumbered paragraph, a table, a heading): the translator deletes there too.
    It is not named when a paragraph inserted or changed stands where it was (that one is).
    """
    alignment = comparison.alignment
    changed_new = {id(change.new) for change in alignment.changes if not isinstance(change, Deleted)}
    before = _deletion_anchors(alignment, kinds=NUMBERED_BLOCKS)
    replaced = _replaced(alignment, changed_new)
    named = (_paragraph_named(change, before, replaced) for change in translator_changes(comparison))
    return sorted(dict.fromkeys(number for number in named if number is not None), key=_paragraph_order)


def _paragraph_named(change: Change, before: dict[int, Block | None], replaced: set[int]) -> str | None:
    """The number ``changed_paragraphs`` names ``change`` by, if any."""
    old, new = sides(change)
    if new is not None:
        return new.number if new.block in NUMBERED_BLOCKS else None
    if old is None or old.block not in NUMBERED_BLOCKS or id(old) in replaced:
        return None
    anchor = before.get(id(old))
    return anchor.number if anchor is not None else None


def _deletion_anchors(alignment: Alignment, kinds: tuple[str, ...] | None = None) -> dict[int, Block | None]:
    """Each deleted block of the old draft → the numbered block of the new draft now before
    the place it had (of ``kinds``, if given), ``None`` at the start."""
    anchors: dict[int, Block | None] = {}
    last: Block | None = None
    for step in alignment.steps:
        if isinstance(step, OldOnly):
            if step.op == "deleted":
                anchors[id(alignment.old[step.old])] = last
            continue
        block = alignment.new[step.new]
        if block.number is not None and (kinds is None or block.block in kinds):
            last = block
    return anchors


def _replaced(alignment: Alignment, changed_new: set[int]) -> set[int]:
    """The deleted old blocks in whose place an inserted or changed paragraph stands (a table
    changed after them replaces nothing)."""
    replaced: set[int] = set()
    pending: list[int] = []
    for step in alignment.steps:
        if isinstance(step, OldOnly):
            if step.op == "deleted":
                pending.append(id(alignment.old[step.old]))
            continue
        block = alignment.new[step.new]
        if pending and id(block) in changed_new and block.block in NUMBERED_BLOCKS:
            replaced.update(pending)
        pending = []
    return replaced


def _deleted_place(old: Block, places: dict[int, str], anchor: Block | None) -> str:
    """Where a deleted block was, as the translator finds it: its place in the version followed
    when that names no number of the new one (a use case's section, a cover field, a footnote),
    else after the numbered block now before it."""
    after = f"after {anchor.label}" if anchor is not None else "at the start"
    if old.block in NOTE_BLOCKS or old.block == "cover" or (old.block == "annex" and old.number is None):
        return places.get(id(old)) or _place(old)
    if old.number:
        return f"{old.label} (old numbering), {after}"
    return f"{NOUNS.get(old.block, old.block)} {after}"


def _place(block: Block) -> str:
    """A block's place from the block alone (the body: numbered, or after a numbered one)."""
    if block.block == "cover":
        return _cover_place(block.field)
    if block.number or block.block in NOTE_BLOCKS:
        return block.label
    noun = NOUNS.get(block.block, block.block)
    return f"{noun} after {block.after}" if block.after else f"{noun} at the start"


def _cover_place(field: str | None) -> str:
    if field and field.startswith(SUMMARY):
        return f"SUMMARY, {field[len(SUMMARY) :]}"
    return f"cover, {field}" if field else "cover"


def _places(draft: Draft) -> dict[int, str]:
    """The places of the annex's blocks of ``draft`` (by ``id``): its title, the table of use
    cases, each use case's details line and the sections of its text."""
    places: dict[int, str] = {}
    in_annex, where, section = False, "annex", None
    for block in draft.blocks:
        in_annex = in_annex or block.block == "annex"
        if not in_annex or block.block in NOTE_BLOCKS:
            continue
        style = draft.reader.style_name(block.element)
        if block.block == "annex" and block.number:
            where, section = f"use case {block.number}", None
            places[id(block)] = where
        elif style in (_name(ANNEX_HEADING), _name(ANNEX_TITLE)):
            where, section = "annex", None
            places[id(block)] = "annex, title"
        elif style == _name(USE_CASE_META):
            places[id(block)] = f"{where}, details line"
        elif draft.reader.has_heading_style(block.element):
            section = block.text
            places[id(block)] = f"{where}, {section}"
        else:
            noun = "" if block.block == "annex" else f", {NOUNS.get(block.block, block.block)}"
            places[id(block)] = f"{where}{', ' + section if section else ''}{noun}"
    return places


def _name(style) -> str:
    return style.name.lower()


def _paragraph_order(number: str) -> tuple:
    parts = number.split(".")
    return tuple((0, int(p), "") if p.isdigit() else (1, 0, p) for p in parts)
