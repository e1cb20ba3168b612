"""Moved paragraphs as native moves: ``w:moveFrom`` at the old place, ``w:moveTo`` at the new
one, the edits made to the moved text shown too (deleted words at the old place, inserted ones
nested inside ``w:moveTo``)."""

from __future__ import annotations

from lxml import etree

from wcodoc.diff.align import token_diff
from wcodoc.diff.redline.marks import Keep, clean_copy, redline_paragraph
from wcodoc.ooxml.revisions import Stamp, del_, mark_paragraph, move_range, wrap
from wcodoc.ooxml.runs import consecutive, split_at, top_runs, top_units
from wcodoc.ooxml.text import atoms, raw_text


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
    p = clean_copy(old_p, keep, deleted=False)
    diff = token_diff(raw_text(p), raw_text(new_p))
    a_off = diff.old_offsets
    gone = [(a_off[i1], a_off[i2]) for op, i1, i2, _, _ in diff.opcodes if op in ("delete", "replace")]
    for start, end in gone:
        split_at(p, start)
        split_at(p, end)
    # Proxies are kept alive in ``owners`` so that their ids stay theirs (lxml reuses them).
    owners = [(node.getparent(), at) for node, at, _ in reversed(atoms(p))]
    starts = {id(run): at for run, at in owners}
    runs = top_runs(p)
    deleted = {id(r) for r in runs if any(s <= starts.get(id(r), -1) < e for s, e in gone)}
    for group in consecutive(runs):
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
    for group in consecutive(top_units(new_p)):
        wrap("w:moveTo", stamp, group)
    mark_paragraph(new_p, stamp, "w:moveTo")
    move_range(new_p, stamp, "To", name)
