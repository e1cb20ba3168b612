"""Marks inside the redline: words and formatting of a paragraph, whole blocks, copies of old
blocks and their notes.

A paragraph of the new draft is marked in place: inserted words wrapped in ``w:ins`` (the runs
split where needed, so each keeps its formatting), deleted words put back as ``w:del`` runs
carrying the old run's formatting, words whose formatting alone changed given a
``w:rPrChange``. An old block the new draft lacks is a cleaned copy of it, all deleted.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass

from lxml import etree

from wcodoc.diff.align import token_diff
from wcodoc.diff.extract import Draft, NoteParts
from wcodoc.diff.formatting import Span, format_spans, paragraph_pairs
from wcodoc.ooxml import W_ID, W_INS, W_P, W_RPR, W_TBL, W_TR, detach, qn, tag_of
from wcodoc.ooxml.embedded import W_DRAWING, W_OBJECT, W_PICT
from wcodoc.ooxml.notes import NOTE_KINDS, REFERENCES, NoteKind, add_note, empty_part, notes_by_id
from wcodoc.ooxml.revisions import Stamp, mark_paragraph, mark_row
from wcodoc.ooxml.runs import (
    deleted_runs,
    insert_deleted,
    mark_formatting_range,
    mark_inserted_range,
    mark_runs,
    unwrap,
)
from wcodoc.ooxml.text import raw_text
from wcodoc.ooxml.transfer import PartCopier

# What a deleted copy of an old block must not carry into the new document: markers whose ids
# or relationships belong to the old package, content the old draft had already deleted, and
# its section breaks (the new draft's own end each section; see sections.settle_section_ends).
DROP_IN_COPY = tuple(
    qn(f"w:{name}")
    for name in ("bookmarkStart", "bookmarkEnd", "commentRangeStart", "commentRangeEnd",
                 "commentReference", "permStart",
                 "permEnd", "proofErr", "del", "moveFrom",
                 "moveFromRangeStart", "moveFromRangeEnd", "moveToRangeStart", "moveToRangeEnd",
                 "rPrChange", "pPrChange", "sectPr")
)  # fmt: skip
NAMING_PARTS = (W_DRAWING, W_PICT, W_OBJECT)
"""Content that names parts of its package (pictures, charts …): copied with those parts when
the copy may (``Keep.parts``), else left out."""
UNWRAP_IN_COPY = tuple(qn(f"w:{name}") for name in ("ins", "moveTo", "hyperlink", "smartTag", "customXml"))


# --- words and formatting of a paragraph ------------------------------------------------------


def redline_paragraph(
    old_p: etree._Element,
    new_p: etree._Element,
    stamp: Stamp,
    *,
    formatting: bool = True,
    deletions: bool = True,
) -> None:
    """Mark, inside ``new_p``, the words that differ from ``old_p`` (and, with
    ``formatting``, the shared words whose formatting differs; without ``deletions``, only
    inserted words)."""
    diff = token_diff(raw_text(old_p), raw_text(new_p))
    a_off, b_off = diff.old_offsets, diff.new_offsets
    if formatting:
        mark_formatting_spans(new_p, format_spans(old_p, new_p, diff), stamp)
    for op, i1, i2, j1, j2 in reversed(diff.opcodes):
        if op == "equal":
            continue
        b1, b2 = b_off[j1], b_off[j2]
        if j2 > j1:
            mark_inserted_range(new_p, b1, b2, stamp)
        if i2 > i1 and deletions:
            insert_deleted(new_p, b1, deleted_runs(old_p, a_off[i1], a_off[i2]), stamp)


def redline_note(old_note: etree._Element, note: etree._Element, stamp: Stamp, *, formatting: bool) -> None:
    """Mark, inside ``note`` (a footnote or endnote of the redline), how it differs from
    ``old_note``: paragraph by paragraph when both have as many, else as a whole."""
    old_ps, new_ps = list(old_note.iter(W_P)), list(note.iter(W_P))
    if len(old_ps) == len(new_ps):
        for old_p, new_p in zip(old_ps, new_ps, strict=True):
            if raw_text(old_p) != raw_text(new_p):
                redline_paragraph(old_p, new_p, stamp, formatting=formatting)
        return
    mark_runs(note, stamp, deleted=False)
    for old_p in old_ps:
        gone = copy.deepcopy(old_p)
        for drop in list(gone.iter(*DROP_IN_COPY)):
            detach(drop)
        mark_runs(gone, stamp, deleted=True)
        mark_paragraph(gone, stamp, "w:del")
        if new_ps:
            new_ps[0].addprevious(gone)
        else:  # an empty note (no paragraph at all)
            note.append(gone)


def mark_formatting_spans(p: etree._Element, spans: list[Span], stamp: Stamp) -> None:
    """Give each run of ``p`` inside a span a ``w:rPrChange`` holding the old formatting."""
    for start, end, old_rpr in reversed(spans):
        mark_formatting_range(p, start, end, old_rpr, stamp)


def redline_formatting(old_el: etree._Element, new_el: etree._Element, stamp: Stamp) -> None:
    """Mark formatting changes between two blocks whose text is the same."""
    for old_p, new_p in paragraph_pairs(old_el, new_el):
        spans = format_spans(old_p, new_p)
        if spans:
            mark_formatting_spans(new_p, spans, stamp)


# --- whole blocks ------------------------------------------------------------------------------


def mark_inserted(el: etree._Element, stamp: Stamp) -> None:
    """Mark a whole paragraph or table of the new draft as inserted."""
    _mark_block(el, stamp, deleted=False)


def _mark_block(el: etree._Element, stamp: Stamp, *, deleted: bool) -> None:
    """Mark the text and the paragraph mark (or rows) of a paragraph or table."""
    mark_runs(el, stamp, deleted=deleted)
    tag = "w:del" if deleted else "w:ins"
    if el.tag == W_TBL:
        for tr in el.iter(W_TR):
            mark_row(tr, stamp, tag)
    else:
        mark_paragraph(el, stamp, tag)


class NoteCopier:
    """Copies old footnotes/endnotes into the redline's notes parts for copies of old blocks.

    A deleted or moved-away copy of an old paragraph keeps its note references, so that
    rejecting the redline gives the old paragraph back with its notes: each reference gets
    a copy of the old note under a fresh id in the redline's part of that kind.
    """

    def __init__(self, old: Draft, parts: NoteParts, stamp: Stamp, package: PartCopier | None = None):
        self.old = {k.name: notes_by_id(old.notes.get(k.name), k) for k in NOTE_KINDS}
        self.parts, self.stamp, self.package = parts, stamp, package
        self.kinds = {k.name: k for k in NOTE_KINDS}

    def remap(self, el: etree._Element, *, deleted: bool) -> None:
        """Point the note references in ``el`` (a copy) at copies of the old notes; a note
        that cannot be copied (the redline has no part of that kind) loses its reference."""
        for ref in list(el.iter(*REFERENCES)):
            kind = REFERENCES[tag_of(ref)]
            note = self.old[kind.name].get(ref.get(W_ID, ""))
            part = self._part(kind)
            if note is None or part is None:
                detach(ref)
                continue
            copied = clean_copy(note, Keep(set()))
            if deleted:
                mark_runs(copied, self.stamp, deleted=True)
            ref.set(W_ID, add_note(part, copied, kind))

    def _part(self, kind: NoteKind) -> etree._Element | None:
        """The redline's part for notes of ``kind``, made (and named in the package) when the
        new draft has none: a deleted note must be shown all the same."""
        if kind.name not in self.parts and self.package is not None:
            self.parts[kind.name] = empty_part(kind)
            self.package.add_part(kind.part, kind.content_type, NOTES_RELATIONSHIP + kind.plural)
        return self.parts.get(kind.name)


NOTES_RELATIONSHIP = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/"


@dataclass
class Keep:
    """What a copy of an old block may keep in the new package."""

    num_ids: set[str]
    """The list ids the new draft defines (others are dropped from the copy)."""
    notes: NoteCopier | None = None
    """Copies its footnotes and endnotes (``None``: note references are dropped)."""
    parts: PartCopier | None = None
    """Copies the parts its pictures, charts … name (``None``: such content is dropped)."""


def clean_copy(el: etree._Element, keep: Keep, *, deleted: bool = True) -> etree._Element:
    """A copy of an old block without old-package references or the old draft's revisions."""
    el = copy.deepcopy(el)
    for drop in list(el.iter(*DROP_IN_COPY)):
        detach(drop)
    for mark in list(el.iter(W_INS)):  # paragraph-mark and row marks of the old draft
        if (parent := mark.getparent()) is not None and parent.tag in (W_RPR, qn("w:trPr")):
            parent.remove(mark)
    for wrapper in list(el.iter(*UNWRAP_IN_COPY)):
        unwrap(wrapper)
    for num_id in list(el.iter(qn("w:numId"))):
        if num_id.get(qn("w:val")) not in keep.num_ids and (num_pr := num_id.getparent()) is not None:
            detach(num_pr)  # a second w:numId in the same w:numPr finds it detached already
    if keep.notes is not None:
        keep.notes.remap(el, deleted=deleted)
    else:
        for ref in list(el.iter(*REFERENCES)):
            detach(ref)
    if keep.parts is not None:
        keep.parts.remap(el)
    else:
        for content in list(el.iter(*NAMING_PARTS)):
            detach(content)
    return el


def deleted_copy(el: etree._Element, stamp: Stamp, keep: Keep) -> etree._Element:
    """A copy of an old paragraph or table, cleaned of old-package references, all deleted."""
    el = clean_copy(el, keep)
    _mark_block(el, stamp, deleted=True)
    return el
