"""Runs split at character offsets, and tracked changes over a range of a paragraph's text.

A change that starts inside a run needs a run boundary there: :func:`split_at` cuts the run
(and its ``w:t``) so that one run starts at the offset, both halves keeping the run's
properties. Offsets count the paragraph's current text (:mod:`wcodoc.ooxml.text`). A revision
element wraps sibling runs only, so the runs of a range are wrapped group by group
(:func:`consecutive`), and a deletion is placed outside any revision already there.
"""

from __future__ import annotations

from collections.abc import Iterable

from lxml import etree

from wcodoc.ooxml import W_DEL, W_INS, W_MOVE_FROM, W_MOVE_TO, W_P, W_PPR, W_R, W_RPR, W_T, parent_of, qn
from wcodoc.ooxml import elements as E
from wcodoc.ooxml.elements import XML_SPACE
from wcodoc.ooxml.revisions import Stamp, copy_rpr, del_, ins, mark_formatting
from wcodoc.ooxml.text import atoms

REVISION_PARENTS = frozenset({W_INS, W_DEL, W_MOVE_FROM, W_MOVE_TO})
"""Revision elements that hold runs."""
RUN_STOPS = frozenset({W_R, W_PPR, *REVISION_PARENTS, qn("w:txbxContent")})
"""Elements whose runs are not a paragraph's own top-level runs (see :func:`top_level`)."""


def split_run_before(run: etree._Element, node: etree._Element) -> etree._Element:
    """Make ``node`` (a child of ``run``) the first content of a run; return that run (a new
    one after ``run``, with the same properties, unless ``node`` comes first already)."""
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
    for node, start, end in atoms(p):
        if not start <= offset < end:
            continue
        if offset > start:  # only a w:t spans several characters
            text = node.text or ""
            tail = E.t(text[offset - start :])
            node.text = text[: offset - start]
            node.set(XML_SPACE, "preserve")
            node.addnext(tail)
            node = tail
        run = parent_of(node)
        return split_run_before(run, node) if run.tag == W_R else node
    return None


def consecutive(runs: list[etree._Element]) -> list[list[etree._Element]]:
    """Consecutive sibling runs, so that one revision element can wrap each group."""
    groups: list[list[etree._Element]] = []
    for run in runs:
        if groups and groups[-1][-1].getnext() is run:
            groups[-1].append(run)
        else:
            groups.append([run])
    return groups


def top_level(container: etree._Element, tags: tuple) -> list[etree._Element]:
    """Elements of ``tags`` under ``container`` not nested inside another run-level stop."""
    found = []
    for el in container.iter(*tags):
        parent = el.getparent()
        while parent is not None and parent is not container and parent.tag not in RUN_STOPS:
            parent = parent.getparent()
        if parent is container:
            found.append(el)
    return found


def top_runs(container: etree._Element) -> list[etree._Element]:
    """Runs directly in ``container`` (or in a hyperlink, field, … of it), in order."""
    return top_level(container, (W_R,))


def top_units(p: etree._Element) -> list[etree._Element]:
    """Runs and revision elements directly in ``p`` (or in a hyperlink, field, …), in order."""
    return top_level(p, (W_R, *REVISION_PARENTS))


def unwrap(el: etree._Element) -> None:
    """Put the children of ``el`` in its place (nothing to do when it has no parent)."""
    parent = el.getparent()
    if parent is None:
        return
    index = parent.index(el)
    for k, child in enumerate(list(el)):
        parent.insert(index + k, child)
    parent.remove(el)


def runs_in(p: etree._Element, start: int, end: int) -> list[etree._Element]:
    """The runs of ``p`` whose text starts between offsets ``start`` and ``end``, in order
    (split at both offsets first to have them hold that text alone)."""
    runs: list[etree._Element] = []
    for node, at, _ in atoms(p):
        run = parent_of(node)
        if start <= at < end and run.tag == W_R and (not runs or runs[-1] is not run):
            runs.append(run)
    return runs


def mark_runs(container: etree._Element, stamp: Stamp, *, deleted: bool) -> None:
    """Wrap the runs of every paragraph in ``container`` in ``w:del`` (``deleted``) or ``w:ins``."""
    for p in container.iter(W_P):
        for group in consecutive(top_runs(p)):
            (del_ if deleted else ins)(stamp, group)


def mark_inserted_range(p: etree._Element, start: int, end: int, stamp: Stamp) -> None:
    """Mark characters ``start`` to ``end`` of ``p`` as inserted (runs already inside a
    revision are left as they are)."""
    split_at(p, start)
    split_at(p, end)
    runs = [run for run in runs_in(p, start, end) if parent_of(run).tag not in REVISION_PARENTS]
    for group in consecutive(runs):
        ins(stamp, group)


def mark_formatting_range(
    p: etree._Element, start: int, end: int, old_rpr: etree._Element | None, stamp: Stamp
) -> None:
    """Record on the runs of characters ``start`` to ``end`` of ``p`` that their formatting
    was ``old_rpr`` (a ``w:rPrChange`` each)."""
    split_at(p, start)
    split_at(p, end)
    for run in runs_in(p, start, end):
        mark_formatting(run, old_rpr, stamp)


def deleted_runs(p: etree._Element, start: int, end: int) -> list[etree._Element]:
    """New runs showing characters ``start`` to ``end`` of ``p`` as deleted text
    (``w:delText``), each with the properties of the run it comes from."""
    runs: list[etree._Element] = []
    source: etree._Element | None = None
    for node, at, after in atoms(p):
        if after <= start or at >= end:
            continue
        if (parent := parent_of(node)) is not source or not runs:
            source = parent
            runs.append(E.r(copy_rpr(source) if source.tag == W_R else None))
        piece = (node.text or "")[max(start, at) - at : min(end, after) - at]
        runs[-1].append(E.t(piece, name="delText") if node.tag == W_T else etree.Element(node.tag))
    return runs


def insert_deleted(p: etree._Element, offset: int, runs: Iterable[etree._Element], stamp: Stamp) -> None:
    """Put ``runs``, wrapped in a ``w:del``, at character ``offset`` of ``p``."""
    deletion = del_(stamp, runs)
    target = split_at(p, offset)
    if target is not None:
        _place_before(target if target.tag == W_R else parent_of(target), deletion, stamp)
        return
    found = atoms(p)
    if found:
        _place_after(parent_of(found[-1][0]), deletion)
    else:
        p.append(deletion)


def _place_before(target: etree._Element, el: etree._Element, stamp: Stamp) -> None:
    """Put ``el`` just before ``target``, outside any revision element holding ``target``."""
    while (parent := parent_of(target)).tag in REVISION_PARENTS:
        if parent[0] is not target:
            rest = stamp.element(f"w:{etree.QName(parent).localname}")
            for name in ("w:author", "w:date"):  # the part split off is still the same change
                if (value := parent.get(qn(name))) is not None:
                    rest.set(qn(name), value)
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
