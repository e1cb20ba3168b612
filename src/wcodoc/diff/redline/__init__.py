"""Write the new draft with native tracked changes, checked before it is written.

The new document is kept as it is (styles, comments, bookmarks, footnotes; its own tracked
changes were accepted when it was read); the redline only adds revisions: inserted words
wrapped in ``w:ins`` (the runs are split where needed, so each keeps its formatting),
deleted words as ``w:del`` runs carrying the old run's formatting, deleted blocks
re-inserted as deleted at their place, inserted blocks marked.
Moved paragraphs are native moves (``w:moveFrom`` at the old place, ``w:moveTo`` at the new
one, edits made to the moved text nested inside ``w:moveTo``); words whose formatting alone
changed carry ``w:rPrChange`` with their old formatting. Before writing, every change is
accepted and, separately, rejected in memory: the texts (and bold/italic/underline of every
word) must equal the new and the old draft, or nothing is written.
"""

from __future__ import annotations

import copy
import dataclasses
from dataclasses import dataclass, field
from difflib import SequenceMatcher
from pathlib import Path

from lxml import etree

from wcodoc.diff.align import Alignment, NewOnly, OldOnly, Pair, note_pairs, token_diff
from wcodoc.diff.extract import (
    W_P,
    W_PPR,
    W_TBL,
    W_TC,
    W_TR,
    Block,
    Draft,
    NoteParts,
    normalize,
    raw_text,
    row_keys,
    text_nodes,
)
from wcodoc.diff.formatting import Span, format_spans, paragraph_pairs, word_flags
from wcodoc.errors import WcodocError
from wcodoc.ooxml import detach, insert_before_any, parent_of, qn, required, tag_of
from wcodoc.ooxml.notes import NOTE_KINDS, REFERENCES, add_note, notes_by_id
from wcodoc.ooxml.package import read_package, save_package, serialize_xml
from wcodoc.ooxml.revisions import (
    W_DEL,
    W_DEL_TEXT,
    W_INS,
    W_MOVE_FROM,
    W_MOVE_TO,
    W_R,
    W_RPR,
    W_RPR_CHANGE,
    W_SECT_PR,
    Stamp,
    accept_all,
    base_properties,
    copy_rpr,
    del_,
    ins,
    mark_formatting,
    mark_paragraph,
    mark_properties,
    mark_row,
    max_id,
    move_range,
    paragraph_mark,
    reject_all,
    unmark_paragraph,
    wrap,
)
from wcodoc.ooxml.safe import DOCUMENT_PART

W_T = qn("w:t")
XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"
REVISION_PARENTS = frozenset({W_INS, W_DEL, W_MOVE_FROM, W_MOVE_TO})
RUN_STOPS = frozenset({W_R, W_PPR, *REVISION_PARENTS, qn("w:txbxContent")})
# What a deleted copy of an old block must not carry into the new document: markers whose ids
# or relationships belong to the old package, content the old draft had already deleted, and
# its section breaks (the new draft's own end each section; see settle_section_ends).
DROP_IN_COPY = tuple(
    qn(f"w:{name}")
    for name in ("bookmarkStart", "bookmarkEnd", "commentRangeStart", "commentRangeEnd",
                 "commentReference", "permStart",
                 "permEnd", "proofErr", "drawing", "pict", "object", "del", "moveFrom",
                 "moveFromRangeStart", "moveFromRangeEnd", "moveToRangeStart", "moveToRangeEnd",
                 "rPrChange", "pPrChange", "sectPr")
)  # fmt: skip
UNWRAP_IN_COPY = tuple(qn(f"w:{name}") for name in ("ins", "moveTo", "hyperlink", "smartTag", "customXml"))


@dataclass
class RedlineResult:
    """What a redline run produced: the document XML and how many revision marks it holds."""

    root: etree._Element
    marks: int
    notes: NoteParts = field(default_factory=dict)
    """The footnotes and endnotes parts of the redline, by note kind."""
    placed: list[Placed] = field(default_factory=list)
    """Each block of the redline's body with the draft block it shows, in order."""


@dataclass(frozen=True)
class Placed:
    """A paragraph or table of the redline and the block it shows: a block of the new draft,
    or (``gone``) an old block shown deleted or moved away."""

    element: etree._Element
    block: Block
    gone: bool


# --- runs and character offsets ----------------------------------------------------------------


def _atoms(p: etree._Element) -> list[tuple[etree._Element, int, int]]:
    atoms, pos = [], 0
    for node, text in text_nodes(p):
        atoms.append((node, pos, pos + len(text)))
        pos += len(text)
    return atoms


def _split_run_before(run: etree._Element, node: etree._Element) -> etree._Element:
    content = [c for c in run if c.tag != W_RPR]
    if not content or content[0] is node:
        return run
    new_run = etree.Element(W_R, dict(run.attrib))
    rpr = copy_rpr(run)
    if rpr is not None:
        new_run.append(rpr)
    for child in content[content.index(node) :]:
        new_run.append(child)
    run.addnext(new_run)
    return new_run


def split_at(p: etree._Element, offset: int) -> etree._Element | None:
    """Make a run start at character ``offset`` of ``p``; return it (``None`` at the end)."""
    for node, start, end in _atoms(p):
        if not start <= offset < end:
            continue
        if offset > start:  # only a w:t spans several characters
            text = node.text or ""
            tail = etree.Element(W_T)
            tail.set(XML_SPACE, "preserve")
            tail.text = text[offset - start :]
            node.text = text[: offset - start]
            node.set(XML_SPACE, "preserve")
            node.addnext(tail)
            node = tail
        run = parent_of(node)
        return _split_run_before(run, node) if run.tag == W_R else node
    return None


def _groups(runs: list[etree._Element]) -> list[list[etree._Element]]:
    """Consecutive sibling runs, so that one revision element can wrap each group."""
    groups: list[list[etree._Element]] = []
    for run in runs:
        if groups and groups[-1][-1].getnext() is run:
            groups[-1].append(run)
        else:
            groups.append([run])
    return groups


def _wrap_inserted(p: etree._Element, b1: int, b2: int, stamp: Stamp) -> None:
    split_at(p, b1)
    split_at(p, b2)
    runs: list[etree._Element] = []
    for node, start, _ in _atoms(p):
        run = parent_of(node)
        wanted = b1 <= start < b2 and run.tag == W_R
        if wanted and parent_of(run).tag not in REVISION_PARENTS and (not runs or runs[-1] is not run):
            runs.append(run)
    for group in _groups(runs):
        ins(stamp, group)


def _deleted_runs(old_p: etree._Element, a1: int, a2: int) -> list[etree._Element]:
    runs: list[etree._Element] = []
    source: etree._Element | None = None
    for node, start, end in _atoms(old_p):
        if end <= a1 or start >= a2:
            continue
        if (parent := parent_of(node)) is not source or not runs:
            source = parent
            run = etree.Element(W_R)
            rpr = copy_rpr(source) if source.tag == W_R else None
            if rpr is not None:
                run.append(rpr)
            runs.append(run)
        piece = (node.text or "")[max(a1, start) - start : min(a2, end) - start]
        if node.tag == W_T:
            t = etree.SubElement(runs[-1], qn("w:delText"))
            t.set(XML_SPACE, "preserve")
            t.text = piece
        else:
            etree.SubElement(runs[-1], node.tag)
    return runs


def _place_before(target: etree._Element, el: etree._Element, stamp: Stamp) -> None:
    """Put ``el`` just before ``target``, outside any revision element holding ``target``."""
    while (parent := parent_of(target)).tag in REVISION_PARENTS:
        if parent[0] is not target:
            rest = stamp.element(etree.QName(parent).localname)
            rest.set(qn("w:author"), parent.get(qn("w:author"), stamp.author))
            rest.set(qn("w:date"), parent.get(qn("w:date"), stamp.date))
            for child in list(parent)[parent.index(target) :]:
                rest.append(child)
            parent.addnext(rest)
            parent = rest
        target = parent
    target.addprevious(el)


def _place_after(target: etree._Element, el: etree._Element) -> None:
    while (parent := parent_of(target)).tag in REVISION_PARENTS:
        target = parent
    target.addnext(el)


def _insert_deleted(p: etree._Element, b1: int, runs: list[etree._Element], stamp: Stamp) -> None:
    deletion = del_(stamp, runs)
    target = split_at(p, b1)
    if target is not None:
        _place_before(target if target.tag == W_R else parent_of(target), deletion, stamp)
        return
    atoms = _atoms(p)
    if atoms:
        _place_after(parent_of(atoms[-1][0]), deletion)
    else:
        p.append(deletion)


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
            _wrap_inserted(new_p, b1, b2, stamp)
        if i2 > i1 and deletions:
            _insert_deleted(new_p, b1, _deleted_runs(old_p, a_off[i1], a_off[i2]), stamp)


def redline_note(old_note: etree._Element, note: etree._Element, stamp: Stamp, *, formatting: bool) -> None:
    """Mark, inside ``note`` (a footnote or endnote of the redline), how it differs from
    ``old_note``: paragraph by paragraph when both have as many, else as a whole."""
    old_ps, new_ps = list(old_note.iter(W_P)), list(note.iter(W_P))
    if len(old_ps) == len(new_ps):
        for old_p, new_p in zip(old_ps, new_ps, strict=True):
            if raw_text(old_p) != raw_text(new_p):
                redline_paragraph(old_p, new_p, stamp, formatting=formatting)
        return
    _mark_runs(note, stamp, deleted=False)
    for old_p in old_ps:
        gone = copy.deepcopy(old_p)
        for drop in list(gone.iter(*DROP_IN_COPY)):
            detach(drop)
        _mark_runs(gone, stamp, deleted=True)
        mark_paragraph(gone, stamp, "w:del")
        new_ps[0].addprevious(gone)


def _offset_of(p: etree._Element, target: etree._Element) -> int:
    """How many characters of the current text of ``p`` come before ``target``."""
    nodes = text_nodes(p)  # kept alive, so that their proxies (and ids) stay theirs
    visible = {id(node): len(text) for node, text in nodes}
    offset = 0
    for el in p.iter():
        if el is target:
            return offset
        offset += visible.get(id(el), 0)
    return offset


def mark_formatting_spans(p: etree._Element, spans: list[Span], stamp: Stamp) -> None:
    """Give each run of ``p`` inside a span a ``w:rPrChange`` holding the old formatting."""
    for start, end, old_rpr in reversed(spans):
        split_at(p, start)
        split_at(p, end)
        runs: list[etree._Element] = []
        for node, at, _ in _atoms(p):
            run = parent_of(node)
            if start <= at < end and run.tag == W_R and (not runs or runs[-1] is not run):
                runs.append(run)
        for run in runs:
            mark_formatting(run, old_rpr, stamp)


def redline_formatting(old_el: etree._Element, new_el: etree._Element, stamp: Stamp) -> None:
    """Mark formatting changes between two blocks whose text is the same."""
    for old_p, new_p in paragraph_pairs(old_el, new_el):
        spans = format_spans(old_p, new_p)
        if spans:
            mark_formatting_spans(new_p, spans, stamp)


# --- whole blocks ------------------------------------------------------------------------------


def _top_runs(container: etree._Element) -> list[etree._Element]:
    return _top_level(container, (W_R,))


def _mark_runs(container: etree._Element, stamp: Stamp, deleted: bool) -> None:
    for p in container.iter(W_P):
        for group in _groups(_top_runs(p)):
            (del_ if deleted else ins)(stamp, group)


def mark_inserted(el: etree._Element, stamp: Stamp) -> None:
    """Mark a whole paragraph or table of the new draft as inserted."""
    _mark_runs(el, stamp, deleted=False)
    if el.tag == W_TBL:
        for tr in el.iter(W_TR):
            mark_row(tr, stamp, "w:ins")
    else:
        mark_paragraph(el, stamp, "w:ins")


class NoteCopier:
    """Copies old footnotes/endnotes into the redline's notes parts for copies of old blocks.

    A deleted or moved-away copy of an old paragraph keeps its note references, so that
    rejecting the redline gives the old paragraph back with its notes: each reference gets
    a copy of the old note under a fresh id in the redline's part of that kind.
    """

    def __init__(self, old: Draft, parts: NoteParts, stamp: Stamp):
        self.old = {k.name: notes_by_id(old.notes.get(k.name), k) for k in NOTE_KINDS}
        self.parts, self.stamp = parts, stamp
        self.kinds = {k.name: k for k in NOTE_KINDS}

    def remap(self, el: etree._Element, *, deleted: bool) -> None:
        """Point the note references in ``el`` (a copy) at copies of the old notes; a note
        that cannot be copied (the redline has no part of that kind) loses its reference."""
        for ref in list(el.iter(*REFERENCES)):
            kind = REFERENCES[tag_of(ref)]
            note = self.old[kind.name].get(ref.get(qn("w:id"), ""))
            part = self.parts.get(kind.name)
            if note is None or part is None:
                detach(ref)
                continue
            copied = _clean_copy(note, Keep(set()))
            if deleted:
                _mark_runs(copied, self.stamp, deleted=True)
            ref.set(qn("w:id"), add_note(part, copied, kind))


@dataclass
class Keep:
    """What a copy of an old block may keep in the new package."""

    num_ids: set[str]
    """The list ids the new draft defines (others are dropped from the copy)."""
    notes: NoteCopier | None = None
    """Copies its footnotes and endnotes (``None``: note references are dropped)."""


def _clean_copy(el: etree._Element, keep: Keep, *, deleted: bool = True) -> etree._Element:
    """A copy of an old block without old-package references or the old draft's revisions."""
    el = copy.deepcopy(el)
    for drop in list(el.iter(*DROP_IN_COPY)):
        detach(drop)
    for mark in list(el.iter(W_INS)):  # paragraph-mark and row marks of the old draft
        if (parent := mark.getparent()) is not None and parent.tag in (W_RPR, qn("w:trPr")):
            parent.remove(mark)
    for wrapper in list(el.iter(*UNWRAP_IN_COPY)):
        _unwrap(wrapper)
    for num_id in list(el.iter(qn("w:numId"))):
        if num_id.get(qn("w:val")) not in keep.num_ids and (num_pr := num_id.getparent()) is not None:
            detach(num_pr)  # a second w:numId in the same w:numPr finds it detached already
    if keep.notes is not None:
        keep.notes.remap(el, deleted=deleted)
    else:
        for ref in list(el.iter(*REFERENCES)):
            detach(ref)
    return el


def deleted_copy(el: etree._Element, stamp: Stamp, keep: Keep) -> etree._Element:
    """A copy of an old paragraph or table, cleaned of old-package references, all deleted."""
    el = _clean_copy(el, keep)
    _mark_runs(el, stamp, deleted=True)
    if el.tag == W_TBL:
        for tr in el.iter(W_TR):
            mark_row(tr, stamp, "w:del")
    else:
        mark_paragraph(el, stamp, "w:del")
    return el


# --- moves -------------------------------------------------------------------------------------


def moved_from_copy(
    old_p: etree._Element, new_p: etree._Element, stamp: Stamp, keep: Keep, name: str
) -> etree._Element:
    """A copy of an old paragraph marked as moved away (``w:moveFrom``) from this place.

    Words that did not survive the move (absent from ``new_p``) are marked deleted
    (``w:del``) here rather than moved, so the edits of a moved paragraph stay visible: its
    deletions at the old place, its insertions at the new one. As Word writes it, moved text
    stays ``w:t`` inside ``w:moveFrom``; the paragraph mark is moved too, and a named range
    spans the content.
    """
    p = _clean_copy(old_p, keep, deleted=False)
    diff = token_diff(raw_text(p), raw_text(new_p))
    a_off = diff.old_offsets
    gone = [(a_off[i1], a_off[i2]) for op, i1, i2, _, _ in diff.opcodes if op in ("delete", "replace")]
    for start, end in gone:
        split_at(p, start)
        split_at(p, end)
    # Proxies are kept alive in ``owners`` so that their ids stay theirs (lxml reuses them).
    owners = [(node.getparent(), at) for node, at, _ in reversed(_atoms(p))]
    starts = {id(run): at for run, at in owners}
    runs = _top_runs(p)
    deleted = {id(r) for r in runs if any(s <= starts.get(id(r), -1) < e for s, e in gone)}
    for group in _groups(runs):
        for kind, members in _split_by(group, lambda r: id(r) in deleted):
            if kind:
                del_(stamp, members)
            else:
                wrap("w:moveFrom", stamp, members)
    mark_paragraph(p, stamp, "w:moveFrom")
    move_range(p, stamp, "From", name)
    return p


def _split_by(items: list, test) -> list[tuple[bool, list]]:
    out: list[tuple[bool, list]] = []
    for item in items:
        kind = test(item)
        if out and out[-1][0] == kind:
            out[-1][1].append(item)
        else:
            out.append((kind, [item]))
    return out


def _top_units(p: etree._Element) -> list[etree._Element]:
    """Runs and revision elements directly in ``p`` (or in a hyperlink, field, …), in order."""
    return _top_level(p, (W_R, *REVISION_PARENTS))


def _top_level(container: etree._Element, tags: tuple) -> list[etree._Element]:
    """Elements of ``tags`` under ``container`` not nested inside another run-level stop."""
    found = []
    for el in container.iter(*tags):
        parent = el.getparent()
        while parent is not None and parent is not container and parent.tag not in RUN_STOPS:
            parent = parent.getparent()
        if parent is container:
            found.append(el)
    return found


def mark_moved_to(
    old_p: etree._Element, new_p: etree._Element, stamp: Stamp, name: str, *, formatting: bool
) -> None:
    """Mark ``new_p`` as the moved-to place of ``old_p``, its inserted words nested inside.

    Inserted words (and formatting changes) are marked first, then everything is wrapped in
    ``w:moveTo``: accepting keeps them, rejecting the move takes them away with it. Deleted
    words are shown at the old place (see :func:`moved_from_copy`): LibreOffice 7.4 reads a
    ``w:del`` nested in ``w:moveTo`` as plain text.
    """
    redline_paragraph(old_p, new_p, stamp, formatting=formatting, deletions=False)
    for group in _groups(_top_units(new_p)):
        wrap("w:moveTo", stamp, group)
    mark_paragraph(new_p, stamp, "w:moveTo")
    move_range(new_p, stamp, "To", name)


def _unwrap(el: etree._Element) -> None:
    parent = el.getparent()
    if parent is None:
        return
    index = parent.index(el)
    for k, child in enumerate(list(el)):
        parent.insert(index + k, child)
    parent.remove(el)


def _cell_paragraphs(tr: etree._Element) -> list[list[etree._Element]]:
    return [list(tc.iter(W_P)) for tc in tr.iterchildren(W_TC)]


def _row_text(tr: etree._Element) -> str:
    return " | ".join(normalize(" ".join(raw_text(p) for p in cell)) for cell in _cell_paragraphs(tr))


def redline_table(
    old_t: etree._Element, new_t: etree._Element, stamp: Stamp, keep: Keep, *, formatting: bool = True
) -> None:
    """Mark row and cell changes of a modified table inside ``new_t``."""
    old_rows, new_rows = list(old_t.iterchildren(W_TR)), list(new_t.iterchildren(W_TR))
    old_texts, new_texts = [_row_text(r) for r in old_rows], [_row_text(r) for r in new_rows]
    # Rows are matched without their running number ("No." column), so that one inserted
    # row is one insertion, and the renumbered rows after it only get their number marked.
    matcher = SequenceMatcher(None, row_keys(old_texts), row_keys(new_texts), autojunk=False)
    for op, i1, i2, j1, j2 in reversed(matcher.get_opcodes()):
        if op == "equal":
            for k in range(i2 - i1):
                old_tr, new_tr = old_rows[i1 + k], new_rows[j1 + k]
                if old_texts[i1 + k] != new_texts[j1 + k] and not _redline_row(
                    old_tr, new_tr, stamp, formatting
                ):
                    _replace_row(old_tr, new_tr, stamp, keep)
            continue
        pairs = min(i2 - i1, j2 - j1) if op == "replace" else 0
        for k in range(pairs):
            if not _redline_row(old_rows[i1 + k], new_rows[j1 + k], stamp, formatting):
                _replace_row(old_rows[i1 + k], new_rows[j1 + k], stamp, keep)
        for k in range(j1 + pairs, j2):
            mark_inserted_row(new_rows[k], stamp)
        previous = new_rows[j2 - 1] if j2 > 0 else None
        for k in range(i1 + pairs, i2):
            gone = deleted_copy_row(old_rows[k], stamp, keep)
            if j2 < len(new_rows):
                new_rows[j2].addprevious(gone)
            elif previous is not None:
                previous.addnext(gone)
                previous = gone
            else:
                new_t.append(gone)


def _redline_row(old_tr: etree._Element, new_tr: etree._Element, stamp: Stamp, formatting: bool) -> bool:
    old_cells, new_cells = _cell_paragraphs(old_tr), _cell_paragraphs(new_tr)
    if [len(c) for c in old_cells] != [len(c) for c in new_cells]:
        return False
    for old_cell, new_cell in zip(old_cells, new_cells, strict=True):
        for old_p, new_p in zip(old_cell, new_cell, strict=True):
            if raw_text(old_p) != raw_text(new_p):
                redline_paragraph(old_p, new_p, stamp, formatting=formatting)
            elif formatting:
                redline_formatting(old_p, new_p, stamp)
    return True


def _replace_row(old_tr, new_tr, stamp: Stamp, keep: Keep) -> None:
    mark_inserted_row(new_tr, stamp)
    new_tr.addprevious(deleted_copy_row(old_tr, stamp, keep))


def mark_inserted_row(tr: etree._Element, stamp: Stamp) -> None:
    """Mark a table row of the new draft as inserted, with its text."""
    _mark_runs(tr, stamp, deleted=False)
    mark_row(tr, stamp, "w:ins")


def deleted_copy_row(tr: etree._Element, stamp: Stamp, keep: Keep) -> etree._Element:
    """A deleted copy of an old table row."""
    wrapper = etree.Element(W_TBL)
    wrapper.append(copy.deepcopy(tr))
    return deleted_copy(wrapper, stamp, keep)[0]


# --- the whole document ------------------------------------------------------------------------


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
    stamp = Stamp.now(author, first_id)
    keep = Keep(set(new.reader.numbering.nums), NoteCopier(old, notes, stamp))
    marker = _Marker(old, new, stamp, keep, not ignore_formatting)
    marker.plan_moves(alignment)
    new_elements = [mine(b) for b in new.blocks]
    cursor: etree._Element | None = None
    placed: list[Placed] = []
    for step in alignment.steps:
        if not isinstance(step, OldOnly):
            marker.mark_new(step, new_elements[step.new])
            cursor = new_elements[step.new]
            placed.append(Placed(cursor, new.blocks[step.new], False))
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
    placed = _merge_placed(placed, settle_section_ends(body, stamp))
    check_redline(old, new, root, first_id, formatting=not ignore_formatting, notes=notes)
    marks = count_marks(root, first_id) + sum(count_marks(part, first_id) for part in notes.values())
    return RedlineResult(root, marks, notes, placed)


REVISION_MARKS = (W_INS, W_DEL, W_MOVE_FROM, W_MOVE_TO, W_RPR_CHANGE)


def count_marks(root: etree._Element, first_id: int) -> int:
    """How many revisions numbered ``first_id`` or above ``root`` holds (move ranges aside)."""
    ids = (el.get(qn("w:id"), "") for el in root.iter(*REVISION_MARKS))
    return sum(1 for i in ids if i.isdigit() and int(i) >= first_id)


class _Marker:
    """Marks each step of an alignment in the redline's body."""

    def __init__(self, old: Draft, new: Draft, stamp: Stamp, keep: Keep, formatting: bool):
        self.old, self.new, self.stamp = old, new, stamp
        self.keep, self.formatting = keep, formatting
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
            if self.formatting:
                redline_formatting(old_block.element, el, self.stamp)
        elif el.tag == W_P == old_block.element.tag:
            redline_paragraph(old_block.element, el, self.stamp, formatting=self.formatting)
        elif el.tag == W_TBL == old_block.element.tag:
            redline_table(old_block.element, el, self.stamp, self.keep, formatting=self.formatting)

    def _notes(self, old_block: Block, new_block: Block, el: etree._Element, *, moved: bool) -> None:
        """Mark the footnotes/endnotes that differ between two paired blocks."""
        for o, n in note_pairs(old_block.notes, new_block.notes):
            kind = o.block if o is not None else n.block if n is not None else ""
            if n is not None:
                mine = self.notes[kind].get(n.element.get(qn("w:id"), ""))
                if mine is None:
                    continue
                if o is not None:
                    redline_note(o.element, mine, self.stamp, formatting=self.formatting)
                else:
                    self._inserted_note(el, mine, kind)
            elif o is not None and not moved:  # a moved paragraph keeps it at its old place
                self._deleted_note(old_block.element, o, el)

    def _inserted_note(self, el: etree._Element, note: etree._Element, kind: str) -> None:
        _mark_runs(note, self.stamp, deleted=False)
        for ref in el.iter(*REFERENCES):
            run = parent_of(ref)
            if ref.get(qn("w:id")) == note.get(qn("w:id")) and parent_of(run).tag not in REVISION_PARENTS:
                ins(self.stamp, [run])

    def _deleted_note(self, old_el: etree._Element, note: Block, el: etree._Element) -> None:
        """Put the old reference back, deleted, pointing at a deleted copy of the old note."""
        nid = note.element.get(qn("w:id"))
        ref = next((r for r in old_el.iter(*REFERENCES) if r.get(qn("w:id")) == nid), None)
        if ref is None or el.tag != W_P:
            return
        offset = _offset_of(old_el, ref)
        run = _clean_copy(parent_of(ref), self.keep)  # its reference now names a deleted copy
        if next(run.iter(*REFERENCES), None) is None:
            return  # the redline has no part for this kind of note
        _insert_deleted(el, min(offset, len(raw_text(el))), [run], self.stamp)

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
            redline_table(old_block.element, el, self.stamp, self.keep, formatting=self.formatting)
        elif el.tag == W_P and old_block.element.tag == W_P:
            redline_paragraph(old_block.element, el, self.stamp, formatting=self.formatting)
        else:
            mark_inserted(el, self.stamp)
            el.addprevious(deleted_copy(old_block.element, self.stamp, self.keep))


# --- the ends of sections --------------------------------------------------------------------
#
# The mark of the paragraph that ends the body, or a section (it holds the w:sectPr), cannot
# be taken away: LibreOffice keeps it, empty and numbered, when a change removes it, and
# removing it would drop the section break. So, as Word marks a paragraph typed after the last
# one, that mark stays unmarked and the mark before it carries the change.

NEW_MARKS = (W_INS, W_MOVE_TO)


@dataclass(frozen=True)
class Merge:
    """A paragraph whose content went into the paragraph ending its section."""

    gone: etree._Element
    """The paragraph merged away (no longer in the body)."""
    kept: etree._Element
    """The paragraph that ends the section, holding both contents."""


def settle_section_ends(body: etree._Element, stamp: Stamp) -> list[Merge]:
    """Leave unmarked the paragraph marks that end the redline ``body`` and its sections.

    Where the final paragraph was inserted (or moved there), the paragraph before it gets an
    inserted mark instead; where it was deleted (or moved away), a deleted one. Rejecting
    (or accepting) then joins that paragraph to the final one, so the final one gets the
    paragraph properties accepting must leave, and a ``w:pPrChange`` with those rejecting
    must leave. Where the paragraphs at the end were both inserted and deleted, the last one
    of the other kind is merged into the final paragraph instead, as in a modified paragraph.
    Return the merges, to place the new draft's block in the merged paragraph.
    """
    blocks = [el for el in body if el.tag in (W_P, W_TBL)]
    ends = [p for p in blocks if _holds_section(p)]
    if blocks and blocks[-1].tag == W_P and blocks[-1] not in ends:
        ends.append(blocks[-1])
    merges = []
    for end in ends:
        if (merge := _settle_end(_section_last(end), stamp)) is not None:
            merges.append(merge)
    return merges


def _holds_section(p: etree._Element) -> bool:
    return p.tag == W_P and p.find(f"{W_PPR}/{W_SECT_PR}") is not None


def _neighbour(el: etree._Element, *, after: bool) -> etree._Element | None:
    """The paragraph or table next to ``el`` in the body (bookmarks and the like skipped)."""
    sibling = el.getnext() if after else el.getprevious()
    while sibling is not None and sibling.tag not in (W_P, W_TBL, W_SECT_PR):
        sibling = sibling.getnext() if after else sibling.getprevious()
    return None if sibling is None or sibling.tag == W_SECT_PR else sibling


def _kind(el: etree._Element | None) -> str | None:
    """``new`` or ``gone`` for a paragraph whose mark is marked inserted or deleted, else ``None``."""
    if el is None or el.tag != W_P or (mark := paragraph_mark(el)) is None:
        return None
    return "new" if mark.tag in NEW_MARKS else "gone"


def _section_last(end: etree._Element) -> etree._Element:
    """The paragraph that must end the section that ``end`` ends in the new draft.

    Old paragraphs shown deleted just after ``end`` were the last ones of that section in
    the old draft: the section break moves to the last of them, so that rejecting keeps them
    in their section and accepting gives the break back to ``end``'s content.
    """
    last = end
    while (following := _neighbour(last, after=True)) is not None and _kind(following) == "gone":
        last = following
    sect = end.find(f"{W_PPR}/{W_SECT_PR}")
    if last is not end and sect is not None:
        insert_before_any(required(last, "w:pPr"), sect, (qn("w:pPrChange"),))
    return last


def _settle_end(last: etree._Element, stamp: Stamp) -> Merge | None:
    """Leave the mark of ``last`` (which ends a section) unmarked; see :func:`settle_section_ends`."""
    kind = _kind(last)
    if kind is None:
        return None
    tail = []  # the marked paragraphs just before ``last``, nearest first
    before = _neighbour(last, after=False)
    while before is not None and _kind(before) is not None and not _holds_section(before):
        tail.append(before)
        before = _neighbour(before, after=False)
    other = next((p for p in tail if _kind(p) != kind), None)
    if other is not None:
        _merge_into(other, last, kind, stamp)
        return Merge(other, last)
    if before is None or before.tag != W_P or _holds_section(before):
        return None  # nothing before it can carry the change (a table, another section)
    mark_paragraph(before, stamp, "w:ins" if kind == "new" else "w:del")
    _restyle(last, before, kind, stamp)
    unmark_paragraph(last)
    return None


def _merge_into(other: etree._Element, last: etree._Element, kind: str, stamp: Stamp) -> None:
    """Put the content of ``other`` at the start of ``last``, whose mark becomes unmarked."""
    ppr = last.find(W_PPR)
    position = 0 if ppr is None else last.index(ppr) + 1
    apart = _has_text(other) and _has_text(last)
    moved = [c for c in other if c.tag != W_PPR]
    for k, child in enumerate(moved):
        last.insert(position + k, child)
    if apart:
        # A deleted space, so that the two texts do not run together on screen; only the old
        # text gets it back when rejecting, at its start or end, where it does not show.
        space = etree.Element(W_R)
        etree.SubElement(space, W_T, {XML_SPACE: "preserve"}).text = " "
        last.insert(position + len(moved), del_(stamp, [space]))
    detach(other)
    _restyle(last, other, kind, stamp)
    unmark_paragraph(last)


def _has_text(p: etree._Element) -> bool:
    """Whether ``p`` holds any text, deleted text included."""
    return any((t.text or "").strip() for t in p.iter(W_T, W_DEL_TEXT))


def _restyle(last: etree._Element, other: etree._Element, kind: str, stamp: Stamp) -> None:
    """Give ``last`` the paragraph properties that accepting should leave, and record those
    that rejecting should: ``other``'s on the side where ``last``'s own content goes away."""
    if kind == "new":
        mark_properties(last, base_properties(other), stamp)
    else:
        mark_properties(last, base_properties(last), stamp, new=base_properties(other))


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
    sect = body.find(qn("w:sectPr"))
    if sect is not None:
        sect.addprevious(el)
    else:
        body.append(el)


def _without_notes(block: Block) -> Block:
    return dataclasses.replace(block, notes=())


def _difference(expected: list[Block], got: list[Block], formatting: bool) -> str | None:
    """Where ``got`` first differs from ``expected`` in text, notes (and formatting), or ``None``."""
    for k, (a, b) in enumerate(zip(expected, got, strict=False)):
        if a.compare != b.compare:
            return f"block {k + 1}: expected {a.compare[:60]!r}, got {b.compare[:60]!r}"
        if a.notes and [n.compare for n in a.notes] != [n.compare for n in b.notes]:
            return f"notes of block {k + 1} ({a.compare[:40]!r}) differ"
        if not formatting or a.element.tag != W_P or b.element.tag != W_P:
            continue
        # Most paragraphs come out of accept/reject untouched: identical XML needs no word walk.
        if etree.tostring(a.element) == etree.tostring(b.element):
            continue
        if word_flags(a.element, a.typed_prefix) != word_flags(b.element, b.typed_prefix):
            return f"block {k + 1}: formatting of {a.compare[:60]!r} differs"
    if len(expected) != len(got):
        return f"{len(expected)} blocks expected, {len(got)} found"
    return None


def check_redline(
    old: Draft,
    new: Draft,
    root: etree._Element,
    first_id: int,
    *,
    formatting: bool = True,
    notes: NoteParts | None = None,
) -> None:
    """Refuse a redline whose accept-all is not the new draft or reject-all not the old one.

    Both are compared word for word and, paragraph by paragraph, by the bold, italic and
    underline of every word (for the old draft only when formatting changes are marked).
    Rejecting touches only the redline's own changes (ids from ``first_id``); the drafts'
    own tracked changes were accepted when they were read, so there are no others.
    """
    notes = new.notes if notes is None else notes
    accepted_notes = {name: accept_all(part) for name, part in notes.items()}
    accepted = new.reader.read(required(accept_all(root), "w:body"), accepted_notes)
    if (problem := _difference(new.blocks, accepted, True)) is not None:
        raise WcodocError(
            "internal check failed: accepting all changes of the redline does not give the new "
            f"draft ({problem}); no redline written",
            new.path,
        )
    rejected_notes = {name: reject_all(part, from_id=first_id) for name, part in notes.items()}
    rejected = new.reader.read(required(reject_all(root, from_id=first_id), "w:body"), rejected_notes)
    if set(old.notes) - set(notes):  # notes the redline has no part for are not compared
        old = Draft(old.path, old.symbol, [_without_notes(b) for b in old.blocks], old.root, old.reader)
    if (problem := _difference(old.blocks, rejected, formatting)) is not None:
        raise WcodocError(
            "internal check failed: rejecting all changes of the redline does not give the old "
            f"draft ({problem}); no redline written",
            old.path,
        )


def write_redline(
    new: Draft, result: RedlineResult, out: Path, *, other_parts: dict[str, etree._Element] | None = None
) -> None:
    """Write the redline: the new draft's package with its document and notes parts (and
    ``other_parts``, by part name) replaced, as deterministically as a build."""
    parts = read_package(new.path)
    parts[DOCUMENT_PART] = serialize_xml(result.root)
    kinds = {k.name: k for k in NOTE_KINDS}
    parts.update({kinds[name].part: serialize_xml(part) for name, part in result.notes.items()})
    parts.update({name: serialize_xml(part) for name, part in (other_parts or {}).items()})
    save_package(parts, out)
