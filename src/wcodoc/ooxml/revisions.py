"""Tracked changes in WordprocessingML: mark, accept and reject them.

Elements involved (ECMA-376 Part 1, §17.13.5):

- ``w:ins`` / ``w:del`` around runs: inserted / deleted text; deleted text is written as
  ``w:delText`` (and ``w:delInstrText`` for field codes) inside the deleted runs.
- ``w:pPr/w:rPr/w:ins`` / ``w:del``: the *paragraph mark* was inserted / deleted; accepting a
  deleted mark joins the paragraph to the next one, rejecting an inserted mark does the same.
- ``w:trPr/w:ins`` / ``w:del``: a table row inserted / deleted.
- ``w:moveFrom`` / ``w:moveTo``: moved text, with ``w:moveFromRangeStart``/``End`` and
  ``w:moveToRangeStart``/``End`` around it (the two ranges of one move share ``w:name``).
  Accepting drops the text at the old place and keeps it at the new one; rejecting does the
  opposite. Edits made to moved text are ``w:ins``/``w:del`` *nested inside* ``w:moveTo``
  (``CT_RunTrackChange`` holds ``EG_ContentRunContent``, which includes ``w:ins``/``w:del``),
  so rejecting the move takes them away with it.
- ``w:rPr/w:rPrChange``: a formatting change; it holds the run's *old* ``w:rPr``, which
  rejecting restores.
- ``w:pPr/w:pPrChange``: a paragraph formatting change; it holds the paragraph's *old*
  properties (``CT_PPrBase``: all of ``w:pPr`` but the mark's ``w:rPr``, ``w:sectPr`` and the
  change itself), which rejecting restores.

Every revision carries ``w:id`` (unique in the part), ``w:author`` and ``w:date``.
"""

from __future__ import annotations

import copy
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, datetime

from lxml import etree

from wcodoc.ooxml import (
    W_DEL,
    W_ID,
    W_INS,
    W_MOVE_FROM,
    W_MOVE_TO,
    W_P,
    W_PPR,
    W_RPR,
    W_SECT_PR,
    W_T,
    W_TBL,
    W_TR,
    detach,
    parent_of,
    properties,
    qn,
)
from wcodoc.ooxml.elements import insert_in_order
from wcodoc.ooxml.tables import row_properties

W_DEL_TEXT, W_INSTR, W_DEL_INSTR = qn("w:delText"), qn("w:instrText"), qn("w:delInstrText")
W_TRPR = qn("w:trPr")
W_RPR_CHANGE, W_PPR_CHANGE = qn("w:rPrChange"), qn("w:pPrChange")
MOVE_RANGES = tuple(
    qn(f"w:{name}")
    for name in ("moveFromRangeStart", "moveFromRangeEnd", "moveToRangeStart", "moveToRangeEnd")
)
PROPERTY_CHANGES = tuple(
    qn(f"w:{name}")
    for name in ("rPrChange", "pPrChange", "sectPrChange", "tblPrChange", "trPrChange",
                 "tcPrChange", "tblGridChange", "numberingChange")
)  # fmt: skip
# Children of w:pPr that a w:pPrChange does not record (CT_PPr beyond CT_PPrBase).
_NOT_BASE_IN_PPR = (W_RPR, W_SECT_PR, W_PPR_CHANGE)


@dataclass
class Stamp:
    """Author, date and the next free ``w:id`` for the revisions of one redline."""

    author: str
    date: str | None
    """``w:date`` (UTC, to the second, as Word writes it); ``None``: revisions left undated."""
    next_id: int

    @classmethod
    def now(cls, author: str, first_id: int) -> Stamp:
        """A stamp dated with the current UTC time, to the second (as Word writes it)."""
        return cls(author, revision_date(datetime.now(UTC)), first_id)

    def element(self, tag: str) -> etree._Element:
        """A new revision element (``w:ins``, ``w:del``, …) with a fresh id, author and date."""
        el = etree.Element(qn(tag))
        el.set(W_ID, str(self.next_id))
        el.set(qn("w:author"), self.author)
        if self.date is not None:
            el.set(qn("w:date"), self.date)
        self.next_id += 1
        return el


def revision_date(moment: datetime) -> str:
    """``moment`` as a revision's ``w:date``: UTC, to the second (``2022-03-07T00:00:00Z``)."""
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def max_id(root: etree._Element) -> int:
    """The largest numeric ``w:id`` used anywhere in ``root`` (0 if none)."""
    ids = (el.get(W_ID) for el in root.iter() if isinstance(el.tag, str))
    return max((int(i) for i in ids if i is not None and i.lstrip("-").isdigit()), default=0)


def _wrap(tag: str, stamp: Stamp, runs: Iterable[etree._Element]) -> etree._Element:
    runs = list(runs)
    wrapper = stamp.element(tag)
    if runs and runs[0].getparent() is not None:
        runs[0].addprevious(wrapper)
    for run in runs:
        wrapper.append(run)
    return wrapper


def ins(stamp: Stamp, runs: Iterable[etree._Element]) -> etree._Element:
    """Wrap ``runs`` (moved out of their parent, in place) in a ``w:ins``."""
    return _wrap("w:ins", stamp, runs)


def to_deleted_text(run: etree._Element) -> etree._Element:
    """Turn a run's ``w:t``/``w:instrText`` into ``w:delText``/``w:delInstrText`` (in place)."""
    for t in run.iter(W_T):
        t.tag = W_DEL_TEXT
    for t in run.iter(W_INSTR):
        t.tag = W_DEL_INSTR
    return run


def del_(stamp: Stamp, runs: Iterable[etree._Element]) -> etree._Element:
    """Wrap ``runs`` in a ``w:del``, their text turned into deleted text."""
    return _wrap("w:del", stamp, [to_deleted_text(r) for r in runs])


def _ensure(parent: etree._Element, tag: str) -> etree._Element:
    found = parent.find(tag)
    if found is not None:
        return found
    child = etree.Element(tag)
    insert_in_order(parent, child)
    return child


MARK_TAGS = (W_INS, W_DEL, W_MOVE_FROM, W_MOVE_TO)
"""What can mark a paragraph mark (in ``w:pPr/w:rPr``) as changed."""


def mark_paragraph(p: etree._Element, stamp: Stamp, tag: str) -> None:
    """Mark the paragraph mark of ``p`` as inserted, deleted, moved from or moved to
    (``w:ins``, ``w:del``, ``w:moveFrom``, ``w:moveTo``)."""
    ppr = properties(p, W_PPR)
    rpr = _ensure(ppr, W_RPR)
    for old in [c for c in rpr if c.tag in MARK_TAGS]:
        rpr.remove(old)
    rpr.insert(0, stamp.element(tag))


def paragraph_mark(p: etree._Element) -> etree._Element | None:
    """The revision marking the paragraph mark of ``p`` (``w:ins``, ``w:del``, …), if any."""
    return next((c for c in p.iterfind(f"{W_PPR}/{W_RPR}/*") if c.tag in MARK_TAGS), None)


def unmark_paragraph(p: etree._Element) -> None:
    """Take the revisions off the paragraph mark of ``p``."""
    for mark in [c for c in p.iterfind(f"{W_PPR}/{W_RPR}/*") if c.tag in MARK_TAGS]:
        detach(mark)


def base_properties(p: etree._Element) -> list[etree._Element]:
    """Copies of the paragraph properties of ``p`` that a ``w:pPrChange`` records."""
    ppr = p.find(W_PPR)
    return [copy.deepcopy(c) for c in (ppr if ppr is not None else ()) if c.tag not in _NOT_BASE_IN_PPR]


def set_base_properties(ppr: etree._Element, base: Iterable[etree._Element]) -> None:
    """Replace the properties of ``ppr`` that a ``w:pPrChange`` records with copies of ``base``
    (the mark's ``w:rPr``, a ``w:sectPr`` and a change already there are kept)."""
    for old in [c for c in ppr if c.tag not in _NOT_BASE_IN_PPR]:
        ppr.remove(old)
    for k, child in enumerate(base):  # CT_PPrBase comes first in w:pPr
        ppr.insert(k, copy.deepcopy(child))


def mark_properties(
    p: etree._Element, old: list[etree._Element], stamp: Stamp, *, new: list[etree._Element] | None = None
) -> None:
    """Give ``p`` the paragraph properties ``new`` (if given) and record with a
    ``w:pPrChange`` that they were ``old``; nothing is recorded when both are the same."""
    ppr = properties(p, W_PPR)
    if new is not None:
        set_base_properties(ppr, new)
    for stale in ppr.findall(W_PPR_CHANGE):
        ppr.remove(stale)
    if [etree.tostring(c) for c in base_properties(p)] == [etree.tostring(c) for c in old]:
        return
    change = stamp.element("w:pPrChange")
    previous = etree.SubElement(change, W_PPR)
    for child in old:
        previous.append(copy.deepcopy(child))
    ppr.append(change)


def move_range(p: etree._Element, stamp: Stamp, side: str, name: str) -> None:
    """Enclose the content of ``p`` in a ``w:move{From,To}RangeStart``/``End`` pair named
    ``name`` (``side`` is ``From`` or ``To``); both places of one move use the same name."""
    start = stamp.element(f"w:move{side}RangeStart")
    start.set(qn("w:name"), name)
    end = etree.Element(qn(f"w:move{side}RangeEnd"))
    end.set(W_ID, start.attrib[W_ID])
    ppr = p.find(W_PPR)
    if ppr is not None:
        ppr.addnext(start)
    else:
        p.insert(0, start)
    p.append(end)


def wrap(tag: str, stamp: Stamp, items: Iterable[etree._Element]) -> etree._Element:
    """Wrap ``items`` (consecutive siblings, moved in place) in a new revision element."""
    return _wrap(tag, stamp, items)


def mark_formatting(run: etree._Element, old_rpr: etree._Element | None, stamp: Stamp) -> None:
    """Record on ``run`` that its formatting was ``old_rpr`` (``None``: no direct formatting)."""
    rpr = properties(run, W_RPR)
    for stale in rpr.findall(W_RPR_CHANGE):
        rpr.remove(stale)
    change = stamp.element("w:rPrChange")
    previous = etree.SubElement(change, W_RPR)
    for child in old_rpr if old_rpr is not None else ():
        if child.tag not in (W_RPR_CHANGE, *MARK_TAGS):
            previous.append(copy.deepcopy(child))
    rpr.append(change)


def mark_row(tr: etree._Element, stamp: Stamp, tag: str) -> None:
    """Mark table row ``tr`` as inserted (``w:ins``) or deleted (``w:del``)."""
    insert_in_order(row_properties(tr), stamp.element(tag))


# --- accepting and rejecting, in memory --------------------------------------------------------


def _unwrap(el: etree._Element) -> None:
    parent = parent_of(el)
    index = parent.index(el)
    for k, child in enumerate(list(el)):
        parent.insert(index + k, child)
    _keep_tail(el)
    parent.remove(el)


def _keep_tail(el: etree._Element) -> None:
    # Tails are whitespace between elements in WordprocessingML; nothing to carry over.
    el.tail = None


def _undelete(el: etree._Element) -> None:
    for t in el.iter(W_DEL_TEXT):
        t.tag = W_T
    for t in el.iter(W_DEL_INSTR):
        t.tag = W_INSTR
    _unwrap(el)


def _join_with_next(p: etree._Element) -> None:
    """Drop the mark of ``p``: its content moves to the start of the following paragraph."""
    nxt = p.getnext()
    content = [c for c in p if c.tag != W_PPR]
    if nxt is not None and nxt.tag == W_P and content:
        anchor = nxt.find(W_PPR)
        position = 0 if anchor is None else nxt.index(anchor) + 1
        for k, child in enumerate(content):
            nxt.insert(position + k, child)
    elif content:
        for mark in p.findall(f"{W_PPR}/{W_RPR}/*"):
            if mark.tag in MARK_TAGS:
                detach(mark)
        return
    detach(p)


Decision = Callable[[etree._Element], bool | None]
"""Given a revision element, ``True`` to accept it, ``False`` to reject it, ``None`` to leave it
pending (as Word leaves other reviewers' changes when rejecting one reviewer's)."""


def _attached(el: etree._Element, root: etree._Element) -> bool:
    # An element inside a revision that was removed before it was reached needs no decision.
    node: etree._Element | None = el
    while node is not None:
        if node is root:
            return True
        node = node.getparent()
    return False


def _resolve_formatting(change: etree._Element, accepted: bool) -> None:
    rpr = parent_of(change)
    if accepted:
        rpr.remove(change)
        return
    old = change.find(W_RPR)
    for child in list(rpr):
        rpr.remove(child)
    for child in old if old is not None else ():
        rpr.append(child)
    if len(rpr) == 0:
        detach(rpr)


def _resolve_properties(change: etree._Element, accepted: bool) -> None:
    ppr = parent_of(change)
    if not accepted:
        old = change.find(W_PPR)
        set_base_properties(ppr, list(old) if old is not None else [])
    ppr.remove(change)


def _resolve_rows(root: etree._Element, accept: Decision) -> None:
    for tr in list(root.iter(W_TR)):
        for mark in tr.findall(f"{W_TRPR}/{W_INS}") + tr.findall(f"{W_TRPR}/{W_DEL}"):
            verdict = accept(mark)
            if verdict is None:
                continue
            # A row marked twice may be detached already: detach() then does nothing.
            detach(tr) if verdict == (mark.tag == W_DEL) else detach(mark)
    for tbl in list(root.iter(W_TBL)):
        if tbl.find(W_TR) is None:
            detach(tbl)


def _resolve_marks(root: etree._Element, accept: Decision) -> list[etree._Element]:
    """Settle paragraph-mark revisions; return the paragraphs whose mark goes away."""
    joins = []
    for p in list(root.iter(W_P)):
        for mark in p.findall(f"{W_PPR}/{W_RPR}/*"):
            if mark.tag not in MARK_TAGS or (verdict := accept(mark)) is None:
                continue
            if verdict == (mark.tag in (W_DEL, W_MOVE_FROM)):
                joins.append(p)
            detach(mark)
    return joins


def resolve(root: etree._Element, accept: Decision) -> etree._Element:
    """Accept or reject every tracked change in ``root`` (in place) as ``accept`` says."""
    for el in list(root.iter(*PROPERTY_CHANGES, *MOVE_RANGES)):
        verdict = accept(el)
        if verdict is None:
            continue
        if el.tag == W_RPR_CHANGE:
            _resolve_formatting(el, verdict)
        elif el.tag == W_PPR_CHANGE and parent_of(el).tag == W_PPR:
            _resolve_properties(el, verdict)
        else:
            detach(el)
    _resolve_rows(root, accept)
    joins = _resolve_marks(root, accept)
    for el in list(root.iter(*MARK_TAGS)):
        if not _attached(el, root) or (verdict := accept(el)) is None:
            continue
        keep = verdict == (el.tag in (W_INS, W_MOVE_TO))
        if not keep:
            detach(el)
        elif el.tag in (W_DEL, W_MOVE_FROM):
            _undelete(el)
        else:
            _unwrap(el)
    for p in joins:
        if p.getparent() is not None:
            _join_with_next(p)
    return root


def accept_all(root: etree._Element) -> etree._Element:
    """A copy of ``root`` with every tracked change accepted."""
    return resolve(copy.deepcopy(root), lambda el: True)


def reject_all(root: etree._Element, *, from_id: int = 0) -> etree._Element:
    """A copy of ``root`` with the changes numbered ``from_id`` or above rejected.

    Changes with a lower id (those the document had before a redline starting at
    ``from_id`` was added) are left pending, untouched, as Word leaves other reviewers'
    changes when one rejects all changes of a single reviewer.
    """

    def accept(el: etree._Element) -> bool | None:
        rid = el.get(W_ID, "")
        own = not rid.lstrip("-").isdigit() or int(rid) >= from_id
        return False if own else None

    return resolve(copy.deepcopy(root), accept)


def copy_rpr(run: etree._Element | None) -> etree._Element | None:
    """A copy of a run's properties without revision marks (for a new run beside it)."""
    if run is None:
        return None
    rpr = run.find(W_RPR)
    if rpr is None:
        return None
    rpr = copy.deepcopy(rpr)
    for change in [c for c in rpr if c.tag in (W_RPR_CHANGE, *MARK_TAGS)]:
        rpr.remove(change)
    return rpr


# --- a document's own pending changes ----------------------------------------------------------

PENDING_TAGS = (*MARK_TAGS, *PROPERTY_CHANGES)
"""Every element that makes a tracked change pending (move ranges only delimit moves)."""


@dataclass(frozen=True)
class Pending:
    """The tracked changes a document holds: how many revision elements, and by whom."""

    count: int
    authors: tuple[str, ...]
    """Their authors, in order of first appearance (``w:author``; empty names left out)."""


def pending(root: etree._Element) -> Pending:
    """The tracked changes ``root`` holds (``count`` 0 when there are none)."""
    count, authors = 0, dict[str, None]()
    for el in root.iter(*PENDING_TAGS):
        count += 1
        if author := el.get(qn("w:author"), "").strip():
            authors.setdefault(author)
    return Pending(count, tuple(authors))
