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
from wcodoc.ooxml import W_P, W_T, required
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
    aliases: dict[str, str] | None = None,
) -> None:
    """Refuse a redline whose accept-all is not the new draft or reject-all not the old one.

    Both are compared word for word and, paragraph by paragraph, by the bold, italic and
    underline of every word (for the old draft only when formatting changes are marked).
    Rejecting touches only the redline's own changes (ids from ``first_id``); the drafts'
    own tracked changes were accepted when they were read, so there are no others.
    ``aliases``: the names under which the redline keeps old bookmarks it also holds as the
    new draft's (:mod:`wcodoc.diff.redline.references`), by original name.
    """
    aliases = aliases or {}
    check_joins(new, root, first_id)
    notes = new.notes if notes is None else notes
    accepted_notes = {name: accept_all(part) for name, part in notes.items()}
    accepted_root = accept_all(root)
    check_references(new, root, accepted_root, first_id, aliases, accepting=True)
    accepted = new.reader.read(required(accepted_root, "w:body"), accepted_notes)
    if (problem := _difference(new.blocks, accepted, True)) is not None:
        raise WcodocError(
            "internal check failed: accepting all changes of the redline does not give the new "
            f"draft ({problem}); no redline written",
            new.path,
        )
    check_headings(new, accepted, new.reader, accepting=True)
    rejected_notes = {name: reject_all(part, from_id=first_id) for name, part in notes.items()}
    rejected_root = reject_all(root, from_id=first_id)
    check_references(old, root, rejected_root, first_id, aliases, accepting=False)
    rejected = new.reader.read(required(unaliased(rejected_root, aliases), "w:body"), rejected_notes)
    if set(old.notes) - set(notes):  # notes the redline has no part for are not compared
        old = Draft(old.path, old.symbol, [_without_notes(b) for b in old.blocks], old.root, old.reader)
    if (problem := _difference(old.blocks, rejected, formatting)) is not None:
        raise WcodocError(
            "internal check failed: rejecting all changes of the redline does not give the old "
            f"draft ({problem}); no redline written",
            old.path,
        )
    check_headings(old, rejected, new.reader, accepting=False)


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
