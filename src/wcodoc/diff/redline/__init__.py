"""Write the new draft with native tracked changes, checked before it is written.

The new document is kept as it is (styles, comments, bookmarks, footnotes; its own tracked
changes were accepted when it was read); the redline only adds revisions: inserted words
wrapped in ``w:ins`` (the runs are split where needed, so each keeps its formatting),
deleted words as ``w:del`` runs carrying the old run's formatting, deleted blocks
re-inserted as deleted at their place, inserted blocks marked (``marks``, ``tables``).
Moved paragraphs are native moves (``w:moveFrom`` at the old place, ``w:moveTo`` at the new
one, edits made to the moved text nested inside ``w:moveTo``; ``moves``); words whose
formatting alone changed carry ``w:rPrChange`` with their old formatting. The marks that end
sections are settled last (``sections``). Before writing, every change is accepted and,
separately, rejected in memory: the texts (and bold/italic/underline of every word) must equal
the new and the old draft, or nothing is written (``check``).
"""

from __future__ import annotations

import copy
import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

from lxml import etree

from wcodoc.diff.align import Alignment, NewOnly, OldOnly, Pair, note_pairs
from wcodoc.diff.extract import Block, Draft, NoteParts
from wcodoc.diff.redline.check import check_redline
from wcodoc.diff.redline.embedded import EmbeddedMarks
from wcodoc.diff.redline.headings import restore_headings
from wcodoc.diff.redline.marks import (
    Keep,
    NoteCopier,
    clean_copy,
    deleted_copy,
    mark_inserted,
    redline_formatting,
    redline_note,
    redline_paragraph,
)
from wcodoc.diff.redline.moves import mark_moved_to, moved_from_copy
from wcodoc.diff.redline.references import Shown, pair_bookmarks, place_old_targets, split_changed_fields
from wcodoc.diff.redline.sections import Merge, settle_floating_anchors, settle_joins, settle_section_ends
from wcodoc.diff.redline.tables import redline_table
from wcodoc.ooxml import (
    W_DEL,
    W_ID,
    W_INS,
    W_MOVE_FROM,
    W_MOVE_TO,
    W_P,
    W_SECT_PR,
    W_TBL,
    parent_of,
    required,
)
from wcodoc.ooxml.embedded import Related, max_drawing_id
from wcodoc.ooxml.notes import NOTE_KINDS, REFERENCES, in_reference_order, notes_by_id
from wcodoc.ooxml.package import CORE_PART, Parts, core_moment, read_package, save_package, serialize_xml
from wcodoc.ooxml.revisions import W_RPR_CHANGE, Stamp, ins, max_id, revision_date
from wcodoc.ooxml.runs import REVISION_PARENTS, insert_deleted, mark_runs
from wcodoc.ooxml.safe import DOCUMENT_PART, open_docx
from wcodoc.ooxml.tables import keep_rows_together
from wcodoc.ooxml.text import offset_of, raw_text
from wcodoc.ooxml.transfer import PartCopier

__all__ = ["Placed", "RedlineResult", "build_redline", "check_redline", "write_redline"]


@dataclass
class RedlineResult:
    """What a redline run produced: the document XML and how many revision marks it holds."""

    root: etree._Element
    marks: int
    stamp: Stamp
    """The author and date of its revisions (``next_id``: the first id left free)."""
    notes: NoteParts = field(default_factory=dict)
    """The footnotes and endnotes parts of the redline, by note kind."""
    placed: list[Placed] = field(default_factory=list)
    """Each block of the redline's body with the draft block it shows, in order."""
    parts: Parts = field(default_factory=dict)
    """Other parts of the redline's package: those copied from the old draft (the images,
    charts … of content shown deleted), its document relationships and content types."""
    related: dict[str, Related] = field(default_factory=dict)
    """What the parts copied from the old draft hold, by their new relationship id (a reader
    of the redline needs it: ``BlockReader.with_related``)."""


@dataclass(frozen=True)
class Placed:
    """A paragraph or table of the redline and the block it shows: a block of the new draft,
    or (``gone``) an old block shown deleted or moved away."""

    element: etree._Element
    block: Block
    gone: bool
    old: Block | None = None
    """The old draft's block paired with the new draft's one it shows, if any."""


def build_redline(
    old: Draft, new: Draft, alignment: Alignment, *, author: str, ignore_formatting: bool = False
) -> RedlineResult:
    """Add tracked changes to a copy of the new draft's body (and notes) and check them both ways."""
    root = copy.deepcopy(new.root)
    body = required(root, "w:body")  # read_draft refuses a document without one
    notes = {name: copy.deepcopy(part) for name, part in new.notes.items()}
    # The copy's elements, found by position, stand in for the new draft's own.
    originals = list(new.root.iter())
    position = {id(el): k for k, el in enumerate(originals)}
    copies = list(root.iter())

    def mine(block: Block) -> etree._Element:
        return copies[position[id(block.element)]]

    first_id = max(max_id(new.root), *(max_id(part) for part in notes.values()), 0) + 1
    moment = draft_moment(new.path)
    stamp = Stamp(author, revision_date(moment) if moment is not None else None, first_id)
    copier = PartCopier(old.path, new.path, max_drawing_id(new.root) + 1)
    keep = Keep(set(new.reader.numbering.nums), NoteCopier(old, notes, stamp, copier), copier)
    embedded = EmbeddedMarks(old.reader, new.reader, stamp, keep, not ignore_formatting)
    marker = _Marker(old, new, keep, embedded)
    marker.plan_moves(alignment)
    new_elements = [mine(b) for b in new.blocks]
    cursor: etree._Element | None = None
    placed: list[Placed] = []
    for step in alignment.steps:
        if not isinstance(step, OldOnly):
            marker.mark_new(step, new_elements[step.new])
            cursor = new_elements[step.new]
            paired = old.blocks[step.old] if isinstance(step, Pair) else None
            placed.append(Placed(cursor, new.blocks[step.new], False, paired))
            continue
        gone = marker.old_copy(step)
        placed.append(Placed(gone, old.blocks[step.old], True))
        if cursor is not None:
            cursor.addnext(gone)
        elif new_elements:
            new_elements[0].addprevious(gone)
        else:
            _append_to_body(body, gone)
        cursor = gone
    restore_headings(((p.element, p.block, p.old) for p in placed if not p.gone), new.reader)
    pair_bookmarks(root)
    aliases = place_old_targets(old, _old_places(placed), root, stamp)
    split_changed_fields(root, aliases, stamp)
    placed = _merge_placed(placed, settle_section_ends(body, stamp) + settle_joins(root, stamp))
    placed = _merge_placed(placed, settle_floating_anchors(body, stamp))
    for kind in NOTE_KINDS:
        if kind.name in notes:
            in_reference_order(root, notes[kind.name], kind)
    reader = new.reader.with_related(copier.related)
    check_redline(
        old,
        new,
        root,
        first_id,
        formatting=not ignore_formatting,
        notes=notes,
        reader=reader,
        aliases=aliases,
    )
    marks = count_marks(root, first_id) + sum(count_marks(part, first_id) for part in notes.values())
    return RedlineResult(root, marks, stamp, notes, placed, copier.parts(), copier.related)


def _old_places(placed: list[Placed]) -> list[Shown]:
    """Where the redline shows each old block when rejecting: its copy, if it has one (deleted
    or moved away), else the new draft's block paired with it."""
    copies = {id(item.block) for item in placed if item.gone}
    out = []
    for item in placed:
        old = item.block if item.gone else item.old
        if old is not None and (item.gone or id(old) not in copies):
            out.append(Shown(item.element, old))
    return out


def draft_moment(path: Path) -> dt.datetime | None:
    """When the draft at ``path`` was last modified, as its core properties say.

    The redline's revisions carry that date rather than the time of the comparison: the
    changes are those of that draft, and the same two drafts then give the same bytes (for a
    build, it is the issue date). ``None`` when the draft does not say.
    """
    with open_docx(path) as package:
        core = package.xml(CORE_PART) if package.has(CORE_PART) else None
    return core_moment(core)


REVISION_MARKS = (W_INS, W_DEL, W_MOVE_FROM, W_MOVE_TO, W_RPR_CHANGE)


def count_marks(root: etree._Element, first_id: int) -> int:
    """How many revisions numbered ``first_id`` or above ``root`` holds (move ranges aside)."""
    ids = (el.get(W_ID, "") for el in root.iter(*REVISION_MARKS))
    return sum(1 for i in ids if i.isdigit() and int(i) >= first_id)


class _Marker:
    """Marks each step of an alignment in the redline's body."""

    def __init__(self, old: Draft, new: Draft, keep: Keep, embedded: EmbeddedMarks):
        self.old, self.new, self.stamp = old, new, embedded.stamp
        self.keep, self.formatting, self.embedded = keep, embedded.formatting, embedded
        parts = keep.notes.parts if keep.notes is not None else {}
        self.notes = {k.name: notes_by_id(parts.get(k.name), k) for k in NOTE_KINDS}
        """The redline's notes (copies of the new draft's), by kind and ``w:id``."""
        self.move_names: dict[int, str] = {}
        self.move_to: dict[int, etree._Element] = {}  # the new draft's own, unmarked

    def plan_moves(self, alignment: Alignment) -> None:
        """Name each paragraph move; moves involving a table stay delete + insert."""
        for step in alignment.steps:
            if not isinstance(step, Pair) or step.op != "moved_to":
                continue
            old_el, new_el = self.old.blocks[step.old].element, self.new.blocks[step.new].element
            if old_el.tag == W_P == new_el.tag:
                self.move_names[step.old] = f"move{self.stamp.next_id}"
                self.move_to[step.old] = new_el
                self.stamp.next_id += 1

    def mark_new(self, step: NewOnly | Pair, el: etree._Element) -> None:
        """Mark a block of the new draft (``el``, in the redline) as ``step`` says."""
        match step:
            case Pair(op="modified"):
                self._modified(self.old.blocks[step.old], el)
            case Pair(op="equal"):
                self._equal(self.old.blocks[step.old], self.new.blocks[step.new], el)
            case Pair(op="moved_to") if step.old in self.move_names:
                old_el, name = self.old.blocks[step.old].element, self.move_names[step.old]
                mark_moved_to(old_el, el, self.stamp, name, formatting=self.formatting)
            case _:  # inserted, or a move that stays delete + insert
                mark_inserted(el, self.stamp)
        if isinstance(step, Pair):
            self._notes(self.old.blocks[step.old], self.new.blocks[step.new], el, moved=step.op == "moved_to")

    def _equal(self, old_block: Block, new_block: Block, el: etree._Element) -> None:
        """Mark what differs between blocks that compare equal: formatting, and numbers that
        changed with renumbering alone (cross-reference values, use case and row numbers),
        so that rejecting shows the old values without updating fields."""
        if old_block.text == new_block.text:
            # ``el`` is still the new block's XML (a copy, unmarked): read from the same XML as
            # the old block, it has no formatting to mark.
            if self.formatting and not old_block.same_xml(new_block):
                redline_formatting(old_block.element, el, self.stamp)
        elif el.tag == W_P == old_block.element.tag:
            redline_paragraph(old_block.element, el, self.stamp, formatting=self.formatting)
        elif el.tag == W_TBL == old_block.element.tag:
            redline_table(old_block.element, el, self.embedded)

    def _notes(self, old_block: Block, new_block: Block, el: etree._Element, *, moved: bool) -> None:
        """Mark the footnotes/endnotes that differ between two paired blocks."""
        for o, n in note_pairs(old_block.notes, new_block.notes):
            kind = o.block if o is not None else n.block if n is not None else ""
            if n is not None:
                mine = self.notes[kind].get(n.element.get(W_ID, ""))
                if mine is None:
                    continue
                if o is not None:
                    redline_note(o.element, mine, self.stamp, formatting=self.formatting)
                else:
                    self._inserted_note(el, mine, kind)
            elif o is not None and not moved:  # a moved paragraph keeps it at its old place
                self._deleted_note(old_block.element, o, el)

    def _inserted_note(self, el: etree._Element, note: etree._Element, kind: str) -> None:
        mark_runs(note, self.stamp, deleted=False)
        for ref in el.iter(*REFERENCES):
            run = parent_of(ref)
            if ref.get(W_ID) == note.get(W_ID) and parent_of(run).tag not in REVISION_PARENTS:
                ins(self.stamp, [run])

    def _deleted_note(self, old_el: etree._Element, note: Block, el: etree._Element) -> None:
        """Put the old reference back, deleted, pointing at a deleted copy of the old note."""
        nid = note.element.get(W_ID)
        ref = next((r for r in old_el.iter(*REFERENCES) if r.get(W_ID) == nid), None)
        if ref is None or el.tag != W_P:
            return
        offset = offset_of(old_el, ref)
        run = clean_copy(parent_of(ref), self.keep)  # its reference now names a deleted copy
        if next(run.iter(*REFERENCES), None) is None:
            return  # the redline has no part for this kind of note
        insert_deleted(el, min(offset, len(raw_text(el))), [run], self.stamp)

    def old_copy(self, step: OldOnly) -> etree._Element:
        """The old block of a deleted or moved-away step, marked, to put in the redline."""
        element = self.old.blocks[step.old].element
        if step.op == "moved_from" and step.old in self.move_names:
            return moved_from_copy(
                element, self.move_to[step.old], self.stamp, self.keep, self.move_names[step.old]
            )
        return deleted_copy(element, self.stamp, self.keep)

    def _modified(self, old_block: Block, el: etree._Element) -> None:
        if el.tag == W_TBL and old_block.element.tag == W_TBL:
            redline_table(old_block.element, el, self.embedded)
        elif el.tag == W_P == old_block.element.tag and self.embedded.replaced_whole(old_block.element, el):
            mark_inserted(el, self.stamp)
            el.addprevious(deleted_copy(old_block.element, self.stamp, self.keep))
        elif el.tag == W_P == old_block.element.tag:
            redline_paragraph(old_block.element, el, self.stamp, formatting=self.formatting)
            self.embedded.mark(old_block.element, el)
        else:
            mark_inserted(el, self.stamp)
            el.addprevious(deleted_copy(old_block.element, self.stamp, self.keep))


def _merge_placed(placed: list[Placed], merges: list[Merge]) -> list[Placed]:
    """``placed`` after ``merges``: a merged paragraph shows the new draft's block."""
    if not merges:
        return placed
    kept = {id(m.kept): m for m in merges}
    gone = {id(m.gone): m for m in merges}
    by_element = {id(item.element): item for item in placed}
    out = []
    for item in placed:
        if id(item.element) in gone:
            continue
        if (merge := kept.get(id(item.element))) is not None and item.gone:
            other = by_element.get(id(merge.gone))
            if other is not None and not other.gone:
                item = Placed(item.element, other.block, False)
        out.append(item)
    return out


def _append_to_body(body: etree._Element, el: etree._Element) -> None:
    sect = body.find(W_SECT_PR)
    if sect is not None:
        sect.addprevious(el)
    else:
        body.append(el)


def write_redline(
    new: Draft, result: RedlineResult, out: Path, *, other_parts: dict[str, etree._Element] | None = None
) -> None:
    """Write the redline: the new draft's package with its document and notes parts (and
    ``other_parts``, by part name) replaced, as deterministically as a build."""
    parts = read_package(new.path)
    keep_rows_together(result.root)  # a draft saved by LibreOffice spells the mark as validators refuse
    parts[DOCUMENT_PART] = serialize_xml(result.root)
    kinds = {k.name: k for k in NOTE_KINDS}
    parts.update({kinds[name].part: serialize_xml(part) for name, part in result.notes.items()})
    parts.update({name: serialize_xml(part) for name, part in (other_parts or {}).items()})
    parts.update(result.parts)
    save_package(parts, out)
