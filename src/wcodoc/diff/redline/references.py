"""Cross-references in the redline: every ``REF`` field finds its bookmark on both sides.

A ``REF`` field shows the number (or text) of a bookmark, and LibreOffice recomputes it after
*Reject All*: a bookmark lost on one side prints "Error: Reference source not found". Three
things lost them:

- a Member's copy saved by LibreOffice can hold a bookmark start without its end (the end was
  in text deleted with tracking): :func:`pair_bookmarks` gives each bookmark its end back;
- the old draft's bookmark in a paragraph shown deleted or moved away (copies carry no
  bookmark of the old package), or moved to another paragraph: :func:`place_old_targets`
  puts the bookmark the old draft's references need where rejecting keeps it, under its own
  name when the new draft lacks it, else under a hidden *alias* (``_Was1`` …, an underscore
  hides a bookmark in Word), so that the new draft's bookmark keeps its place for accepting;
- a field whose shown value changed had its old and new values marked inside the field's
  result; LibreOffice keeps a field's result as one string, so *Accept All* showed both
  ("98"): :func:`split_changed_fields` writes such a field twice instead, the old one
  (pointing at the alias, if any) deleted and the new one inserted.
"""

from __future__ import annotations

import copy
from collections.abc import Iterator
from dataclasses import dataclass

from lxml import etree

from wcodoc.diff.extract import Block, Draft
from wcodoc.diff.redline.sections import is_own, paragraph_marks
from wcodoc.ooxml import W_DEL, W_INS, W_MOVE_FROM, W_MOVE_TO, W_P, W_PPR, W_R, W_T, W_TBL, detach, qn
from wcodoc.ooxml import elements as E
from wcodoc.ooxml.revisions import W_DEL_INSTR, W_DEL_TEXT, W_INSTR, W_RPR_CHANGE, Stamp, to_deleted_text
from wcodoc.ooxml.text import REF_FIELD, TEXT_NODES

W_BOOKMARK_START, W_BOOKMARK_END = qn("w:bookmarkStart"), qn("w:bookmarkEnd")
W_FLD_CHAR, W_FLD_SIMPLE, W_NAME = qn("w:fldChar"), qn("w:fldSimple"), qn("w:name")
W_FLD_CHAR_TYPE, W_ID = qn("w:fldCharType"), qn("w:id")
OLD_ONLY, NEW_ONLY = (W_DEL, W_MOVE_FROM), (W_INS, W_MOVE_TO)
CHARACTERS = (*TEXT_NODES, W_DEL_TEXT)
ALIAS = "_Was{}"
"""The name of an old draft's bookmark the redline holds twice (Word hides names starting
with an underscore, as it hides its own ``_Ref`` bookmarks)."""


def referenced(root: etree._Element) -> set[str]:
    """The bookmarks ``REF`` fields of ``root`` point to (names in lower case: Word ignores case)."""
    names = set()
    for node in root.iter(W_INSTR, W_DEL_INSTR, W_FLD_SIMPLE):
        instruction = node.get(qn("w:instr"), "") if node.tag == W_FLD_SIMPLE else node.text or ""
        if match := REF_FIELD.match(instruction):
            names.add(match.group(1).lower())
    return names


def _starts(root: etree._Element) -> dict[str, etree._Element]:
    """The first start of each bookmark of ``root``, by name in lower case."""
    found: dict[str, etree._Element] = {}
    for start in root.iter(W_BOOKMARK_START):
        found.setdefault((start.get(W_NAME) or "").lower(), start)
    return found


# --- bookmarks of the new draft ----------------------------------------------------------------


def pair_bookmarks(root: etree._Element) -> None:
    """Give every bookmark of ``root`` one start and one end.

    LibreOffice saves a bookmark whose end sat in text deleted with tracking as a start without
    an end, and a second start of the same name in the deleted text; once that text is
    accepted away, the start is left alone and LibreOffice drops the bookmark. A start without
    an end gets one at the end of its paragraph (a ``REF`` field shows the number of the
    paragraph a bookmark starts in); an end without a start, and a later bookmark of a name
    already used, are dropped, as Word drops them.
    """
    ends = {end.get(W_ID): end for end in root.iter(W_BOOKMARK_END)}
    named: set[str] = set()
    kept: set[str] = set()
    for start in list(root.iter(W_BOOKMARK_START)):
        name, bid = (start.get(W_NAME) or "").lower(), start.get(W_ID)
        if bid is None or name in named or bid in kept:
            detach(start)
            continue
        named.add(name)
        kept.add(bid)
        if bid not in ends and (p := _paragraph_of(start)) is not None:
            p.append(E.w("bookmarkEnd", id=bid))
    for bid, end in ends.items():
        if bid not in kept:
            detach(end)


def _paragraph_of(el: etree._Element) -> etree._Element | None:
    """The paragraph ``el`` is in, or, for one between blocks, the paragraph after it."""
    node: etree._Element | None = el
    while node is not None and node.tag != W_P:
        node = node.getparent()
    if node is not None:
        return node
    following = el.getnext()
    while following is not None and following.tag not in (W_P, W_TBL):
        following = following.getnext()
    return following if following is not None and following.tag == W_P else None


# --- the old draft's bookmarks, where rejecting keeps them --------------------------------------


@dataclass(frozen=True)
class Shown:
    """A paragraph of the redline and the old draft's block it shows on the reject side."""

    element: etree._Element
    old: Block


def place_old_targets(old: Draft, shown: list[Shown], root: etree._Element, stamp: Stamp) -> dict[str, str]:
    """Put in the redline ``root`` each bookmark the old draft's ``REF`` fields point to, at the
    paragraph showing the old draft's bookmarked block (``shown``), unless it is there already.

    A name the redline does not hold is kept; one it holds elsewhere (the new draft's, at the
    paragraph's new place) gets an alias. Return the aliases, by the original name in lower case.
    """
    wanted = referenced(old.root)
    if not wanted:
        return {}
    owner = {id(block.element): block for block in old.blocks}
    where = {id(item.old): item.element for item in shown}
    taken = set(_starts(root))
    aliases: dict[str, str] = {}
    for name, start in _starts(old.root).items():
        block = _block_of(start, owner) if name in wanted else None
        element = where.get(id(block)) if block is not None else None
        if block is None or element is None or element.tag != W_P or block.element.tag != W_P:
            continue
        if name in _names_at(element):
            continue
        given = start.get(W_NAME) or name
        if name in taken:
            given = aliases[name] = _free_alias(taken)
        taken.add(given.lower())
        _copy_bookmark(old.root, start, block.element, element, given, stamp)
    return aliases


def _free_alias(taken: set[str]) -> str:
    return next(ALIAS.format(k) for k in range(1, len(taken) + 2) if ALIAS.format(k).lower() not in taken)


def _block_of(el: etree._Element, owner: dict[int, Block]) -> Block | None:
    node: etree._Element | None = el
    while node is not None and id(node) not in owner:
        node = node.getparent()
    if node is not None:
        return owner[id(node)]
    following = _paragraph_of(el)
    return owner.get(id(following)) if following is not None else None


def _names_at(p: etree._Element) -> set[str]:
    """The bookmarks starting in ``p`` or just before it (between it and the block before)."""
    names = {(s.get(W_NAME) or "").lower() for s in p.iter(W_BOOKMARK_START)}
    before = p.getprevious()
    while before is not None and before.tag not in (W_P, W_TBL):
        if before.tag == W_BOOKMARK_START:
            names.add((before.get(W_NAME) or "").lower())
        before = before.getprevious()
    return names


def _copy_bookmark(
    old_root: etree._Element,
    start: etree._Element,
    old_p: etree._Element,
    p: etree._Element,
    name: str,
    stamp: Stamp,
) -> None:
    """Bookmark ``p`` (the redline's paragraph showing ``old_p``) as ``start`` bookmarks
    ``old_p``: from the same character on (the paragraph's start for a bookmark starting
    before it) to the same character, or to the paragraph's end for one ending beyond it."""
    end = next((e for e in old_root.iter(W_BOOKMARK_END) if e.get(W_ID) == start.get(W_ID)), None)
    bid = stamp.next_id
    stamp.next_id += 1
    first = _offset(old_p, start) if _inside(start, old_p) else 0
    last = _offset(old_p, end) if end is not None and _inside(end, old_p) else None
    opening = E.w("bookmarkStart", id=bid)
    opening.set(W_NAME, name)
    _insert_at(p, first, opening, after=False)
    _insert_at(p, last, E.w("bookmarkEnd", id=bid), after=True)


def _inside(el: etree._Element, p: etree._Element) -> bool:
    return any(ancestor is p for ancestor in el.iterancestors())


def _characters(p: etree._Element) -> Iterator[tuple[etree._Element, int]]:
    """Each element of ``p`` that shows characters (deleted ones included) and how many."""
    for node in p.iter(*CHARACTERS):
        fixed = TEXT_NODES.get(str(node.tag))
        yield node, len(node.text or "") if fixed is None else len(fixed)


def _offset(p: etree._Element, target: etree._Element) -> int:
    """How many characters of ``p`` (deleted ones included) come before ``target``."""
    nodes = list(_characters(p))  # kept alive, so that their proxies (and ids) stay theirs
    counts = {id(node): size for node, size in nodes}
    offset = 0
    for el in p.iter():
        if el is target:
            break
        offset += counts.get(id(el), 0)
    return offset


def _insert_at(p: etree._Element, offset: int | None, mark: etree._Element, *, after: bool) -> None:
    """Put ``mark`` among the children of ``p`` at character ``offset`` (``None``: the end),
    beside the child holding that character (bookmarks sit between a paragraph's runs)."""
    seen = 0
    for node, size in _characters(p):
        if offset is None:
            break
        if seen + size > offset or (after and seen + size == offset):
            unit = _child_of(p, node)
            unit.addnext(mark) if after else unit.addprevious(mark)
            return
        seen += size
    if after or offset is None:
        p.append(mark)
    else:
        ppr = p.find(W_PPR)
        ppr.addnext(mark) if ppr is not None else p.insert(0, mark)


def _child_of(p: etree._Element, node: etree._Element) -> etree._Element:
    while (parent := node.getparent()) is not None and parent is not p:
        node = parent
    return node


# --- fields written twice ----------------------------------------------------------------------


@dataclass
class _Field:
    """A complex field of a paragraph: its runs from ``begin`` to ``end``."""

    begin: etree._Element
    end: etree._Element
    target: str | None
    """The bookmark of a ``REF`` field, else ``None``."""


def split_changed_fields(root: etree._Element, aliases: dict[str, str], stamp: Stamp) -> None:
    """Write each ``REF`` field of ``root`` that both sides show, but with another value (its
    result holds revisions) or another bookmark (its target has an alias), as two fields:
    the old one deleted, the new one inserted. A field only the old draft has (in deleted or
    moved-away text) points at the alias of its target."""
    for p in list(root.iter(W_P)):
        for found in _fields(p):
            if found.target is None:
                continue
            alias = aliases.get(found.target.lower())
            side = _side(found.begin, p)
            if side == "old" and alias is not None:
                _retarget(_span(found), alias)
            elif side == "both" and (alias is not None or _changed(found)):
                _split(found, alias, stamp)


def _fields(p: etree._Element) -> list[_Field]:
    """The outermost complex fields of ``p``, each with its ``begin`` and ``end`` runs."""
    out, depth, begin, instruction = [], 0, None, ""
    for node in p.iter(W_FLD_CHAR, W_INSTR, W_DEL_INSTR):
        if node.tag != W_FLD_CHAR:
            instruction += (node.text or "") if depth == 1 else ""
            continue
        kind = node.get(W_FLD_CHAR_TYPE)
        if kind == "begin":
            depth += 1
            if depth == 1:
                begin, instruction = node.getparent(), ""
        elif kind == "end" and depth:
            depth -= 1
            if depth == 0 and begin is not None and (end := node.getparent()) is not None:
                match = REF_FIELD.match(instruction)
                out.append(_Field(begin, end, match.group(1) if match else None))
    return out


def _side(run: etree._Element, p: etree._Element) -> str:
    """``old``, ``new`` or ``both``: which side of the redline shows ``run`` of ``p``."""
    for ancestor in run.iterancestors():
        if ancestor is p:
            break
        if ancestor.tag in OLD_ONLY:
            return "old"
        if ancestor.tag in NEW_ONLY:
            return "new"
    return "both"


def _span(found: _Field) -> list[etree._Element]:
    """The siblings from the field's ``begin`` run to its ``end`` run, or ``[]`` when the two
    are not siblings (a field across revision elements is left as it is)."""
    if found.begin.getparent() is not found.end.getparent():
        return []
    out = [found.begin]
    while out[-1] is not found.end and (following := out[-1].getnext()) is not None:
        out.append(following)
    return out if out[-1] is found.end else []


def _changed(found: _Field) -> bool:
    return any(el.tag in (W_INS, W_DEL) for el in _span(found))


def _retarget(items: list[etree._Element], name: str) -> None:
    """Point the ``REF`` instructions in ``items`` at bookmark ``name``."""
    for item in items:
        for node in item.iter(W_INSTR, W_DEL_INSTR):
            if match := REF_FIELD.match(text := node.text or ""):
                node.text = text[: match.start(1)] + name + text[match.end(1) :]


def _split(found: _Field, alias: str | None, stamp: Stamp) -> None:
    items = _span(found)
    if not items:
        return
    old = [run for item in items for run in _runs_on_side(item, new=False)]
    new = [run for item in items for run in _runs_on_side(item, new=True)]
    if alias is not None:
        _retarget(old, alias)
    deleted = stamp.element("w:del")
    deleted.extend(to_deleted_text(run) for run in old)
    inserted = stamp.element("w:ins")
    inserted.extend(new)
    items[0].addprevious(deleted)
    deleted.addnext(inserted)
    for item in items:
        detach(item)


def _runs_on_side(item: etree._Element, *, new: bool) -> list[etree._Element]:
    """Copies of the runs ``item`` shows on one side: a run as it is (its formatting on that
    side), the runs of a ``w:ins`` only on the new side, those of a ``w:del`` only on the old."""
    if item.tag == W_R:
        return [_on_side(copy.deepcopy(item), new=new)]
    if item.tag == (W_INS if new else W_DEL):
        return [_on_side(copy.deepcopy(run), new=new) for run in item.iter(W_R)]
    return []


def _on_side(run: etree._Element, *, new: bool) -> etree._Element:
    """``run`` with its formatting change settled for one side, and deleted text restored."""
    for change in run.iter(W_RPR_CHANGE):
        rpr = change.getparent()
        previous = change.find(qn("w:rPr"))
        if rpr is None:
            continue
        if new or previous is None or (holder := rpr.getparent()) is None:
            rpr.remove(change)
        else:
            holder.replace(rpr, previous)
    for text in run.iter(W_DEL_TEXT):
        text.tag = W_T
    for text in run.iter(W_DEL_INSTR):
        text.tag = W_INSTR
    return run


# --- what each side keeps ----------------------------------------------------------------------


def unaliased(root: etree._Element, aliases: dict[str, str]) -> etree._Element:
    """``root`` (a side of the redline, changed in place) with each field pointing at an alias
    pointing at the original name again, as the draft has it."""
    originals = {alias.lower(): name for name, alias in aliases.items()}
    if originals:
        for node in root.iter(W_INSTR, W_DEL_INSTR):
            match = REF_FIELD.match(node.text or "")
            if match and (name := originals.get(match.group(1).lower())) is not None:
                _retarget([node], name)
    return root


def lost_targets(
    draft: etree._Element, side: etree._Element, gone: set[str], aliases: dict[str, str]
) -> list[str]:
    """The bookmarks the ``REF`` fields of ``side`` (the redline with every change accepted or
    rejected) point to that the draft has but ``side`` lost: a start or an end missing, or its
    paragraph gone on that side (``gone``: the ids of such bookmarks, from
    :func:`vanishing_bookmarks`)."""
    originals = {alias.lower(): name for name, alias in aliases.items()}
    wanted = set(_starts(draft))
    ends = {end.get(W_ID) for end in side.iter(W_BOOKMARK_END)}
    kept = {
        name
        for name, start in _starts(side).items()
        if start.get(W_ID) in ends and start.get(W_ID) not in gone
    }
    return sorted(
        name for name in referenced(side) if originals.get(name, name) in wanted and name not in kept
    )


def vanishing_bookmarks(redline: etree._Element, *, accepting: bool, first_id: int) -> set[str]:
    """The ids of the bookmarks of ``redline`` that start in a paragraph accepting (or
    rejecting) takes away whole, mark and text (or just before it): Word and LibreOffice
    delete them with it, where an in-memory join would carry them to the next paragraph."""
    gone = OLD_ONLY if accepting else NEW_ONLY
    out: set[str] = set()
    for p, mark in paragraph_marks(redline).values():
        if mark.tag not in gone or not is_own(mark, first_id):
            continue
        if any(_survives(node, p, gone, first_id) for node, _ in _characters(p)):
            continue
        out.update(s.get(W_ID, "") for s in p.iter(W_BOOKMARK_START))
        before = p.getprevious()
        while before is not None and before.tag not in (W_P, W_TBL):
            if before.tag == W_BOOKMARK_START:
                out.add(before.get(W_ID, ""))
            before = before.getprevious()
    return out


def _survives(node: etree._Element, p: etree._Element, gone: tuple[str, ...], first_id: int) -> bool:
    """Whether character ``node`` of ``p`` is still there on the side that removes ``gone``."""
    for ancestor in node.iterancestors():
        if ancestor is p:
            return node.tag != W_DEL_TEXT or W_DEL not in gone
        if ancestor.tag in gone and is_own(ancestor, first_id):
            return False
    return True
