"""Paragraph marks the redline must leave unmarked: those that end a section, and those where
accepting or rejecting would join paragraphs of different styles.

The mark of the paragraph that ends the body, or a section (it holds the ``w:sectPr``), cannot
be taken away: LibreOffice keeps it, empty and numbered, when a change removes it, and
removing it would drop the section break. So, as Word marks a paragraph typed after the last
one, that mark stays unmarked and the mark before it carries the change.

The same rule settles every *join*: a run of paragraphs whose marks accepting (or rejecting)
takes away ends up in the paragraph after it. Word gives the joined paragraph the properties
of the paragraph it ends in; LibreOffice keeps those of the first one whenever the change
starts inside it (a moved paragraph with a word deleted in it is enough), so a deleted
paragraph before a heading turned the heading into a numbered paragraph after *Accept All*.
Where the first and the last paragraph of a join differ, the run is settled as a section's
end is, so that both applications give the same paragraph.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass
from itertools import pairwise

from lxml import etree

from wcodoc.ooxml import (
    W_DEL,
    W_ID,
    W_INS,
    W_MOVE_FROM,
    W_MOVE_TO,
    W_P,
    W_PPR,
    W_R,
    W_RPR,
    W_SECT_PR,
    W_T,
    W_TBL,
    W_TC,
    detach,
    required,
)
from wcodoc.ooxml.elements import insert_in_order, r
from wcodoc.ooxml.embedded import starts_with_floating
from wcodoc.ooxml.revisions import (
    MARK_TAGS,
    W_DEL_TEXT,
    W_PPR_CHANGE,
    W_RPR_CHANGE,
    Stamp,
    base_properties,
    del_,
    mark_paragraph,
    mark_properties,
    paragraph_mark,
    unmark_paragraph,
)

NEW_MARKS = (W_INS, W_MOVE_TO)
GONE_MARKS = (W_DEL, W_MOVE_FROM)


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
    The paragraph just before a table is settled the same way: no paragraph follows to take
    its content, and LibreOffice keeps it, empty and numbered.
    Return the merges, to place the new draft's block in the merged paragraph.
    """
    blocks = [el for el in body if el.tag in (W_P, W_TBL)]
    ends = [p for p in blocks if _holds_section(p)]
    ends += [p for p, following in pairwise(blocks) if p.tag == W_P and following.tag == W_TBL]
    if blocks and blocks[-1].tag == W_P and blocks[-1] not in ends:
        ends.append(blocks[-1])
    merges = []
    for end in ends:
        if isinstance(merge := _settle_end(_section_last(end), stamp), Merge):
            merges.append(merge)
    return merges


# --- joins of paragraphs of different styles ---------------------------------------------------


@dataclass(frozen=True)
class Join:
    """Paragraphs one side of a redline joins into one: the marks from ``first`` on go away,
    so their content ends up in ``into``."""

    first: etree._Element
    into: etree._Element
    accepting: bool
    """The side: accepting every change (else rejecting them)."""


def conflicting_joins(root: etree._Element, *, first_id: int = 0) -> list[Join]:
    """The joins of ``root`` (a redline's document), on either side, that Word and LibreOffice
    would style differently, in document order: those whose first paragraph not taken away
    whole (see :func:`_removed_whole`) and the paragraph they end in have different
    properties on that side.

    Rejecting settles only the changes numbered ``first_id`` or above (the redline's own).
    """
    marks = paragraph_marks(root)
    joins = []
    for container in (required(root, "w:body"), *root.iter(W_TC)):
        blocks = [el for el in container if el.tag in (W_P, W_TBL)]
        for accepting in (True, False):
            goes = GONE_MARKS if accepting else NEW_MARKS
            joins.extend(_joins(blocks, accepting, first_id, marks, goes))
    return joins


def paragraph_marks(root: etree._Element) -> dict[int, tuple[etree._Element, etree._Element]]:
    """Each paragraph of ``root`` whose mark is marked, and the revision marking it, by
    ``id()`` of the paragraph (found from the few revisions, not by looking into every
    paragraph; the paragraph is kept with it, so that lxml does not give its id to another)."""
    found: dict[int, tuple[etree._Element, etree._Element]] = {}
    for mark in root.iter(W_INS, W_DEL, W_MOVE_FROM, W_MOVE_TO):
        rpr = mark.getparent()
        ppr = rpr.getparent() if rpr is not None and rpr.tag == W_RPR else None
        p = ppr.getparent() if ppr is not None and ppr.tag == W_PPR else None
        if p is not None and p.tag == W_P:
            found.setdefault(id(p), (p, mark))
    return found


def _joins(
    blocks: list[etree._Element],
    accepting: bool,
    first_id: int,
    marks: dict[int, tuple[etree._Element, etree._Element]],
    goes: tuple[str, ...],
) -> list[Join]:
    out: list[Join] = []
    first, joining = None, False
    for el in blocks:
        mark = marks[id(el)][1] if id(el) in marks else None
        if el.tag != W_P:
            first, joining = None, False  # a table ends the run: marks before it only go away
        elif mark is not None and mark.tag in goes and (accepting or is_own(mark, first_id)):
            joining = True
            if first is None and not _removed_whole(el, mark):
                first = el
        elif joining:
            if first is not None and side_properties(first, accepting, first_id) != side_properties(
                el, accepting, first_id
            ):
                out.append(Join(first, el, accepting))
            first, joining = None, False
    return out


def _removed_whole(p: etree._Element, mark: etree._Element) -> bool:
    """Whether all of ``p`` goes with its ``mark`` as one change of the same kind: LibreOffice
    then takes the paragraph away and the one after it keeps its properties. Where another
    kind of change starts inside it (a word deleted in a moved paragraph, words inserted in
    one), LibreOffice joins from there and keeps this paragraph's properties."""
    for run in p.iter(W_R):
        wrappers = [a.tag for a in _ancestors_below(run, p) if a.tag in MARK_TAGS]
        if wrappers != [mark.tag] or run.find(f"{W_RPR}/{W_RPR_CHANGE}") is not None:
            return False
    return True


def _ancestors_below(el: etree._Element, top: etree._Element) -> list[etree._Element]:
    out = []
    for ancestor in el.iterancestors():
        if ancestor is top:
            break
        out.append(ancestor)
    return out


def is_own(change: etree._Element, first_id: int) -> bool:
    """Whether ``change`` is one of the redline's own (numbered ``first_id`` or above)."""
    rid = change.get(W_ID, "")
    return not rid.isdigit() or int(rid) >= first_id


def side_properties(p: etree._Element, accepting: bool, first_id: int = 0) -> tuple[bytes, ...]:
    """The paragraph properties ``p`` has once every change is accepted (or rejected), in a
    form that compares equal whatever namespaces the two drafts declared."""
    props = _side_elements(p, accepting, first_id)
    return tuple(etree.tostring(c, method="c14n", exclusive=True) for c in props)


def _side_elements(p: etree._Element, accepting: bool, first_id: int = 0) -> list[etree._Element]:
    change = p.find(f"{W_PPR}/{W_PPR_CHANGE}")
    if not accepting and change is not None and is_own(change, first_id):
        old = change.find(W_PPR)
        return [copy.deepcopy(c) for c in old] if old is not None else []
    return base_properties(p)


def settle_joins(root: etree._Element, stamp: Stamp) -> list[Merge]:
    """Settle the joins of paragraphs of different properties in the redline ``root``, from
    the end: the run of marked paragraphs holding each is settled as a section's end
    (:func:`settle_section_ends`); where no paragraph before the run can carry its change,
    the first paragraph of the join takes the other one's properties on that side instead
    (recorded as a paragraph formatting change). Return the merges made."""
    merges: list[Merge] = []
    tried: Join | None = None
    for _ in range(2 * sum(1 for _ in root.iter(W_P)) + 1):  # each pass settles one join for good
        joins = conflicting_joins(root)
        if not joins:
            break
        join = joins[-1]
        settled = None if join == tried else _settle_end(_run_end(join.first), stamp)
        if isinstance(settled, Merge):
            merges.append(settled)
        elif join == tried or settled == CANNOT:
            _align_first(join, stamp)
        tried = join
    return merges


def _run_end(p: etree._Element) -> etree._Element:
    """The last paragraph of the run of marked paragraphs ``p`` belongs to (a section's end
    ends it)."""
    while not _holds_section(p) and _kind(following := _neighbour(p, after=True)) is not None:
        assert following is not None  # _kind(None) is None
        p = following
    return p


def _align_first(join: Join, stamp: Stamp) -> None:
    """Give the first paragraph of ``join``, on its side, the properties of the paragraph it
    joins into (its own on the other side recorded or kept)."""
    into = _side_elements(join.into, join.accepting)
    if join.accepting:
        mark_properties(join.first, _side_elements(join.first, False), stamp, new=into)
    else:
        mark_properties(join.first, into, stamp)


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


CANNOT = "cannot"
"""What :func:`_settle_end` says when nothing before the paragraph can carry its change."""


def _settle_end(last: etree._Element, stamp: Stamp) -> Merge | str | None:
    """Leave the mark of ``last`` (which ends a section, or a run of marked paragraphs)
    unmarked; see :func:`settle_section_ends`. Return the merge made, if any, or
    :data:`CANNOT` when no paragraph before the run can carry the change."""
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
        return CANNOT  # nothing before it can carry the change (a table, another section)
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
        # Nothing before it can carry the change (CANNOT): the mark stays where it is.
        if isinstance(merge := _settle_end(before, stamp), Merge):
            merges.append(merge)
    return merges
