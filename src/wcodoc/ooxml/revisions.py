"""Tracked changes in WordprocessingML: mark, accept and reject them.

Elements involved (ECMA-376 Part 1, §17.13.5):

- ``w:ins`` / ``w:del`` around runs: inserted / deleted text; deleted text is written as
  ``w:delText`` (and ``w:delInstrText`` for field codes) inside the deleted runs.
- ``w:pPr/w:rPr/w:ins`` / ``w:del``: the *paragraph mark* was inserted / deleted; accepting a
  deleted mark joins the paragraph to the next one, rejecting an inserted mark does the same.
- ``w:trPr/w:ins`` / ``w:del``: a table row inserted / deleted.
- ``w:moveFrom`` / ``w:moveTo``: moved text, treated like a deletion / an insertion.

Every revision carries ``w:id`` (unique in the part), ``w:author`` and ``w:date``.
"""

from __future__ import annotations

import copy
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, datetime

from lxml import etree

from wcodoc.ooxml import qn

W_INS, W_DEL = qn("w:ins"), qn("w:del")
W_MOVE_FROM, W_MOVE_TO = qn("w:moveFrom"), qn("w:moveTo")
W_R, W_T, W_DEL_TEXT = qn("w:r"), qn("w:t"), qn("w:delText")
W_INSTR, W_DEL_INSTR = qn("w:instrText"), qn("w:delInstrText")
W_P, W_PPR, W_RPR, W_TR, W_TRPR, W_TBL = (
    qn("w:p"), qn("w:pPr"), qn("w:rPr"), qn("w:tr"), qn("w:trPr"), qn("w:tbl")
)  # fmt: skip
W_ID = qn("w:id")
MOVE_RANGES = tuple(
    qn(f"w:{name}")
    for name in ("moveFromRangeStart", "moveFromRangeEnd", "moveToRangeStart", "moveToRangeEnd")
)
PROPERTY_CHANGES = tuple(
    qn(f"w:{name}")
    for name in ("rPrChange", "pPrChange", "sectPrChange", "tblPrChange", "trPrChange",
                 "tcPrChange", "tblGridChange", "numberingChange")
)  # fmt: skip
# Children of w:pPr that must follow w:rPr (schema order), so w:rPr is inserted before them.
_AFTER_RPR_IN_PPR = (qn("w:sectPr"), qn("w:pPrChange"))
_AFTER_MARK_IN_TRPR = (qn("w:trPrChange"),)


@dataclass
class Stamp:
    """Author, date and the next free ``w:id`` for the revisions of one redline."""

    author: str
    date: str
    next_id: int

    @classmethod
    def now(cls, author: str, first_id: int) -> Stamp:
        """A stamp dated with the current UTC time, to the second (as Word writes it)."""
        date = datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
        return cls(author, date, first_id)

    def element(self, tag: str) -> etree._Element:
        """A new revision element (``w:ins``, ``w:del``, …) with a fresh id, author and date."""
        el = etree.Element(qn(tag))
        el.set(W_ID, str(self.next_id))
        el.set(qn("w:author"), self.author)
        el.set(qn("w:date"), self.date)
        self.next_id += 1
        return el


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


def _ensure(parent: etree._Element, tag: str, before: tuple[str, ...] = ()) -> etree._Element:
    found = parent.find(tag)
    if found is not None:
        return found
    child = etree.Element(tag)
    for other in parent:
        if other.tag in before:
            other.addprevious(child)
            return child
    parent.append(child)
    return child


def mark_paragraph(p: etree._Element, stamp: Stamp, tag: str) -> None:
    """Mark the paragraph mark of ``p`` as inserted (``w:ins``) or deleted (``w:del``)."""
    ppr = p.find(W_PPR)
    if ppr is None:
        ppr = etree.Element(W_PPR)
        p.insert(0, ppr)
    rpr = _ensure(ppr, W_RPR, _AFTER_RPR_IN_PPR)
    for old in rpr.findall(W_INS) + rpr.findall(W_DEL):
        rpr.remove(old)
    rpr.insert(0, stamp.element(tag))


def mark_row(tr: etree._Element, stamp: Stamp, tag: str) -> None:
    """Mark table row ``tr`` as inserted (``w:ins``) or deleted (``w:del``)."""
    trpr = tr.find(W_TRPR)
    if trpr is None:
        trpr = etree.Element(W_TRPR)
        tblpr_ex = tr.find(qn("w:tblPrEx"))
        if tblpr_ex is not None:
            tblpr_ex.addnext(trpr)
        else:
            tr.insert(0, trpr)
    mark = stamp.element(tag)
    for other in trpr:
        if other.tag in _AFTER_MARK_IN_TRPR:
            other.addprevious(mark)
            return
    trpr.append(mark)


# --- accepting and rejecting, in memory --------------------------------------------------------


def _unwrap(el: etree._Element) -> None:
    parent = el.getparent()
    index = parent.index(el)
    for k, child in enumerate(list(el)):
        parent.insert(index + k, child)
    _keep_tail(el)
    parent.remove(el)


def _keep_tail(el: etree._Element) -> None:
    # Tails are whitespace between elements in WordprocessingML; nothing to carry over.
    el.tail = None


def _remove(el: etree._Element) -> None:
    el.getparent().remove(el)


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
            if mark.tag in (W_INS, W_DEL):
                mark.getparent().remove(mark)
        return
    _remove(p)


Decision = Callable[[etree._Element], bool]
"""Given a revision element, whether to *accept* it (else it is rejected)."""


def resolve(root: etree._Element, accept: Decision) -> etree._Element:
    """Accept or reject every tracked change in ``root`` (in place) as ``accept`` says."""
    for el in list(root.iter(*PROPERTY_CHANGES, *MOVE_RANGES)):
        _remove(el)
    for tr in list(root.iter(W_TR)):
        for mark in tr.findall(f"{W_TRPR}/{W_INS}") + tr.findall(f"{W_TRPR}/{W_DEL}"):
            drop_row = accept(mark) == (mark.tag == W_DEL)
            _remove(tr) if drop_row else _remove(mark)
    for tbl in list(root.iter(W_TBL)):
        if tbl.find(W_TR) is None:
            _remove(tbl)
    joins = []
    for p in list(root.iter(W_P)):
        for mark in p.findall(f"{W_PPR}/{W_RPR}/{W_INS}") + p.findall(f"{W_PPR}/{W_RPR}/{W_DEL}"):
            if accept(mark) == (mark.tag == W_DEL):
                joins.append(p)
            _remove(mark)
    for el in list(root.iter(W_INS, W_DEL, W_MOVE_FROM, W_MOVE_TO)):
        if el.getparent() is None:
            continue
        keep = accept(el) == (el.tag in (W_INS, W_MOVE_TO))
        if not keep:
            _remove(el)
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
    """A copy of ``root`` with changes numbered ``from_id`` or above rejected, others accepted.

    With ``from_id`` set to the first id of a redline, the changes the document already had
    are accepted and only the redline's own are rejected.
    """

    def accept(el: etree._Element) -> bool:
        rid = el.get(W_ID, "")
        return rid.lstrip("-").isdigit() and int(rid) < from_id

    return resolve(copy.deepcopy(root), accept)


def copy_rpr(run: etree._Element | None) -> etree._Element | None:
    """A copy of a run's properties without revision marks (for a new run beside it)."""
    if run is None:
        return None
    rpr = run.find(W_RPR)
    if rpr is None:
        return None
    rpr = copy.deepcopy(rpr)
    for change in rpr.findall(qn("w:rPrChange")):
        rpr.remove(change)
    return rpr
