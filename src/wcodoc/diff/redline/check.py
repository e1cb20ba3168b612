"""The self-check: a redline is written only if accepting all its changes gives the new draft
and rejecting them all gives the old one."""

from __future__ import annotations

import dataclasses

from lxml import etree

from wcodoc.diff.extract import Block, BlockReader, Draft, NoteParts
from wcodoc.diff.formatting import word_flags
from wcodoc.errors import WcodocError
from wcodoc.ooxml import W_P, W_PPR, W_SECT_PR, parent_of, qn, required
from wcodoc.ooxml.notes import NOTE_KINDS, reference_order
from wcodoc.ooxml.revisions import accept_all, reject_all


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
        if etree.tostring(a.element) == etree.tostring(b.element):
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
) -> None:
    """Refuse a redline whose accept-all is not the new draft or reject-all not the old one.

    Both are compared word for word and, paragraph by paragraph, by the bold, italic and
    underline of every word (for the old draft only when formatting changes are marked).
    Rejecting touches only the redline's own changes (ids from ``first_id``); the drafts'
    own tracked changes were accepted when they were read, so there are no others.
    ``reader`` reads the redline (the new draft's, knowing the parts copied from the old one).
    """
    notes = new.notes if notes is None else notes
    reader = reader or new.reader
    if (problem := _notes_out_of_order(root, notes)) is not None:
        raise WcodocError(f"internal check failed: {problem}; no redline written", new.path)
    accepted_notes = {name: accept_all(part) for name, part in notes.items()}
    accepted_root = accept_all(root)
    accepted = reader.read(required(accepted_root, "w:body"), accepted_notes)
    problem = _difference(new.blocks, accepted, True) or _section_difference(new.root, accepted_root)
    if problem is not None:
        raise WcodocError(
            "internal check failed: accepting all changes of the redline does not give the new "
            f"draft ({problem}); no redline written",
            new.path,
        )
    rejected_notes = {name: reject_all(part, from_id=first_id) for name, part in notes.items()}
    rejected_root = reject_all(root, from_id=first_id)
    rejected = reader.read(required(rejected_root, "w:body"), rejected_notes)
    if set(old.notes) - set(notes):  # notes the redline has no part for are not compared
        old = Draft(old.path, old.symbol, [_without_notes(b) for b in old.blocks], old.root, old.reader)
    problem = _difference(old.blocks, rejected, formatting) or _section_difference(old.root, rejected_root)
    if problem is not None:
        raise WcodocError(
            "internal check failed: rejecting all changes of the redline does not give the old "
            f"draft ({problem}); no redline written",
            old.path,
        )
