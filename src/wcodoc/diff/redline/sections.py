"""The ends of sections in the redline: paragraph marks that must stay unmarked.

The mark of the paragraph that ends the body, or a section (it holds the ``w:sectPr``), cannot
be taken away: LibreOffice keeps it, empty and numbered, when a change removes it, and
removing it would drop the section break. So, as Word marks a paragraph typed after the last
one, that mark stays unmarked and the mark before it carries the change.
"""

from __future__ import annotations

from dataclasses import dataclass

from lxml import etree

from wcodoc.ooxml import W_INS, W_MOVE_TO, W_P, W_PPR, W_SECT_PR, W_T, W_TBL, detach, required
from wcodoc.ooxml.elements import insert_in_order, r
from wcodoc.ooxml.embedded import starts_with_floating
from wcodoc.ooxml.revisions import (
    W_DEL_TEXT,
    Stamp,
    base_properties,
    del_,
    mark_paragraph,
    mark_properties,
    paragraph_mark,
    unmark_paragraph,
)

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
        insert_in_order(required(last, "w:pPr"), sect)
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
        last.insert(position + len(moved), del_(stamp, [r(" ")]))
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


def settle_floating_anchors(body: etree._Element, stamp: Stamp) -> list[Merge]:
    """Leave unmarked the mark of a paragraph just before one that starts with a floating
    drawing (a text box, an anchored picture): LibreOffice drops the drawing when accepting
    or rejecting that mark joins the paragraphs; the mark before carries the change, as at
    the end of a section. Return the merges made."""
    merges = []
    for p in [el for el in body if el.tag == W_P and starts_with_floating(el)]:
        before = _neighbour(p, after=False)
        if before is None or _kind(before) is None or _holds_section(before):
            continue
        if (merge := _settle_end(before, stamp)) is not None:
            merges.append(merge)
    return merges
