"""The self-check: a redline is written only if accepting all its changes gives the new draft
and rejecting them all gives the old one, in Word and in LibreOffice alike."""

from __future__ import annotations

import dataclasses

from lxml import etree

from wcodoc.diff.extract import Block, BlockReader, Draft, NoteParts
from wcodoc.diff.formatting import word_flags
from wcodoc.diff.redline.headings import HEADING_BLOCKS, is_numbered_heading
from wcodoc.diff.redline.references import lost_targets, unaliased, vanishing_bookmarks
from wcodoc.diff.redline.sections import conflicting_joins
from wcodoc.errors import WcodocError
from wcodoc.ooxml import W_P, W_PPR, W_SECT_PR, W_T, parent_of, qn, required
from wcodoc.ooxml.notes import NOTE_KINDS, reference_order
from wcodoc.ooxml.revisions import W_DEL_TEXT, accept_all, reject_all


def _without_notes(block: Block) -> Block:
    return dataclasses.replace(block, notes=())


def _difference(expected: list[Block], got: list[Block], formatting: bool) -> str | None:
    """Where ``got`` first differs from ``expected`` in text, notes (and formatting), or ``None``."""
    for k, (a, b) in enumerate(zip(expected, got, strict=False)):
        if a.compare != b.compare:
            return f"block {k + 1}: expected {a.compare[:60]!r}, got {b.compare[:60]!r}"
        if a.notes and [n.compare for n in a.notes] != [n.compare for n in b.notes]:
            return f"notes of block {k + 1} ({a.compare[:40]!r}) differ"
        if (problem := _embedded_difference(a, b)) is not None:
            return f"block {k + 1} ({a.compare[:40]!r}): {problem}"
        if not formatting or a.element.tag != W_P or b.element.tag != W_P:
            continue
        # Most paragraphs come out of accept/reject untouched: identical XML needs no word walk.
        if a.same_xml(b):
            continue
        if word_flags(a.element, a.typed_prefix) != word_flags(b.element, b.typed_prefix):
            return f"block {k + 1}: formatting of {a.compare[:60]!r} differs"
    if len(expected) != len(got):
        return f"{len(expected)} blocks expected, {len(got)} found"
    return None


def _embedded_difference(expected: Block, got: Block) -> str | None:
    """How the pictures, text boxes (and their text), equations, charts … of two blocks
    differ, or ``None``."""
    want, have = [o.compare for o in expected.objects], [o.compare for o in got.objects]
    if want == have:
        return None
    for kind in ("picture", "textbox", "equation", "other"):
        count = sum(o.block == kind for o in expected.objects)
        found = sum(o.block == kind for o in got.objects)
        if count != found:
            return f"{count} {kind} expected, {found} found"
    return "embedded content differs"


def _notes_out_of_order(root: etree._Element, notes: NoteParts) -> str | None:
    """Which kind of note is not numbered and placed in the order of its references (LibreOffice
    pairs them by order), or ``None``."""
    for kind in NOTE_KINDS:
        part = notes.get(kind.name)
        if part is None:
            continue
        referenced, placed = reference_order(root, part, kind)
        if referenced != placed:
            return f"{kind.name}s are not in the order of their references"
    return None


def sections(root: etree._Element) -> list[tuple[str, ...]]:
    """The section breaks of a document (a paragraph ending a section, not the body's last
    section, whose setup is the new draft's), in order, each as its page layout: size,
    orientation, columns and how it starts (what an editor that saves the file keeps)."""
    found = []
    for sect in root.iter(W_SECT_PR):
        if parent_of(sect).tag != W_PPR:
            continue
        size, cols, start = sect.find(qn("w:pgSz")), sect.find(qn("w:cols")), sect.find(qn("w:type"))
        found.append(
            (
                *(size.get(qn(f"w:{a}"), "") if size is not None else "" for a in ("w", "h")),
                size.get(qn("w:orient"), "portrait") if size is not None else "portrait",
                cols.get(qn("w:num"), "1") if cols is not None else "1",
                start.get(qn("w:val"), "nextPage") if start is not None else "nextPage",
            )
        )
    return found


def _section_difference(expected: etree._Element, got: etree._Element) -> str | None:
    """How the section breaks of two documents differ, or ``None``."""
    want, have = sections(expected), sections(got)
    if len(want) != len(have):
        return f"{len(want)} section breaks expected, {len(have)} found"
    if want != have:
        return "the page layout of a section differs"
    return None


def check_redline(
    old: Draft,
    new: Draft,
    root: etree._Element,
    first_id: int,
    *,
    formatting: bool = True,
    notes: NoteParts | None = None,
    reader: BlockReader | None = None,
    aliases: dict[str, str] | None = None,
) -> None:
    """Refuse a redline whose accept-all is not the new draft or reject-all not the old one.

    Both are compared word for word and, paragraph by paragraph, by the bold, italic and
    underline of every word (for the old draft only when formatting changes are marked).
    Rejecting touches only the redline's own changes (ids from ``first_id``); the drafts'
    own tracked changes were accepted when they were read, so there are no others.
    ``reader`` reads the redline (the new draft's, knowing the parts copied from the old one).
    ``aliases``: the names under which the redline keeps old bookmarks it also holds as the
    new draft's (:mod:`wcodoc.diff.redline.references`), by original name.
    """
    aliases = aliases or {}
    check_joins(new, root, first_id)
    notes = new.notes if notes is None else notes
    reader = reader or new.reader
    if (problem := _notes_out_of_order(root, notes)) is not None:
        raise WcodocError(f"internal check failed: {problem}; no redline written", new.path)
    accepted_notes = {name: accept_all(part) for name, part in notes.items()}
    accepted_root = accept_all(root)
    check_references(new, root, accepted_root, first_id, aliases, accepting=True)
    accepted = reader.read(required(accepted_root, "w:body"), accepted_notes)
    problem = _difference(new.blocks, accepted, True) or _section_difference(new.root, accepted_root)
    if problem is not None:
        raise WcodocError(
            "internal check failed: accepting all changes of the redline does not give the new "
            f"draft ({problem}); no redline written",
            new.path,
        )
    check_headings(new, accepted, reader, accepting=True)
    rejected_notes = {name: reject_all(part, from_id=first_id) for name, part in notes.items()}
    rejected_root = reject_all(root, from_id=first_id)
    check_references(old, root, rejected_root, first_id, aliases, accepting=False)
    rejected = reader.read(required(unaliased(rejected_root, aliases), "w:body"), rejected_notes)
    if set(old.notes) - set(notes):  # notes the redline has no part for are not compared
        old = Draft(old.path, old.symbol, [_without_notes(b) for b in old.blocks], old.root, old.reader)
    problem = _difference(old.blocks, rejected, formatting) or _section_difference(old.root, rejected_root)
    if problem is not None:
        raise WcodocError(
            "internal check failed: rejecting all changes of the redline does not give the old "
            f"draft ({problem}); no redline written",
            old.path,
        )
    check_headings(old, rejected, reader, accepting=False)


def check_headings(draft: Draft, got: list[Block], reader: BlockReader, *, accepting: bool) -> None:
    """Refuse a redline whose side (``got``, read from the redline with ``reader``) does not
    give each heading of ``draft`` its style: the same heading style, or, for a heading
    LibreOffice restyled in the draft (numbered as a heading in a body paragraph's style),
    a heading style (:mod:`wcodoc.diff.redline.headings` gives it one)."""
    side, which = ("accepting", "new") if accepting else ("rejecting", "old")
    for expected, block in zip(draft.blocks, got, strict=False):
        if expected.block not in HEADING_BLOCKS:  # only these can be headings
            continue
        shown = reader.style_name(block.element)
        if draft.reader.has_heading_style(expected.element):
            wanted = draft.reader.style_name(expected.element)
            if shown == wanted:
                continue
            wanted = f"the {which} draft's {wanted!r}"
        elif is_numbered_heading(expected) and not reader.has_heading_style(block.element):
            wanted = f"a heading style (the {which} draft's heading was restyled by LibreOffice)"
        else:
            continue
        raise WcodocError(
            f"internal check failed: {side} all changes of the redline gives {expected.label} "
            f"({expected.text[:40]!r}) the style {shown!r}, not {wanted}; no redline written",
            draft.path,
        )


def check_joins(new: Draft, root: etree._Element, first_id: int) -> None:
    """Refuse a redline where accepting or rejecting joins paragraphs whose properties differ:
    Word would give the joined paragraph the last one's, LibreOffice the first one's (see
    :mod:`wcodoc.diff.redline.sections`), so one of them would restyle it."""
    for join in conflicting_joins(root, first_id=first_id):
        side = "accepting" if join.accepting else "rejecting"
        raise WcodocError(
            f"internal check failed: {side} all changes of the redline joins "
            f"{_shown(join.first)!r} to {_shown(join.into)!r}, a paragraph of another style, which "
            "Word and LibreOffice would style differently; no redline written",
            new.path,
        )


def _shown(p: etree._Element) -> str:
    """The start of the text ``p`` holds, deleted text included, to name it in a message."""
    return " ".join("".join(t.text or "" for t in p.iter(W_T, W_DEL_TEXT)).split())[:40]


def check_references(
    draft: Draft,
    redline: etree._Element,
    side: etree._Element,
    first_id: int,
    aliases: dict[str, str],
    *,
    accepting: bool,
) -> None:
    """Refuse a redline one of whose sides (``side``: ``redline`` accepted, or rejected) lost a
    bookmark that a cross-reference of that side points to and ``draft`` has: Word and
    LibreOffice would print "Error! Reference source not found"."""
    gone = vanishing_bookmarks(redline, accepting=accepting, first_id=first_id)
    if lost := lost_targets(draft.root, side, gone, aliases if not accepting else {}):
        which = "accepting" if accepting else "rejecting"
        raise WcodocError(
            f"internal check failed: {which} all changes of the redline loses the bookmark "
            f"{', '.join(repr(name) for name in lost)} that cross-references point to; no redline written",
            draft.path,
        )
