"""Write the new draft with native tracked changes, checked before it is written.

The new document is kept as it is (styles, comments, bookmarks, footnotes, its own tracked
changes); the redline only adds revisions: inserted words wrapped in ``w:ins`` (the runs are
split where needed, so each keeps its formatting), deleted words as ``w:del`` runs carrying
the old run's formatting, deleted blocks re-inserted as deleted at their place, inserted
blocks marked, moved blocks as a deletion at the old place and an insertion at the new one.
Before writing, every change is accepted and, separately, rejected in memory: the texts must
equal the new and the old draft, word for word, or nothing is written.
"""

from __future__ import annotations

import copy
import zipfile
from dataclasses import dataclass
from difflib import SequenceMatcher
from pathlib import Path

from lxml import etree

from wcodoc.diff.align import Alignment, tokens
from wcodoc.diff.extract import (
    TEXT_NODES,
    W_BODY,
    W_P,
    W_PPR,
    W_TBL,
    W_TC,
    W_TR,
    Block,
    Draft,
    normalize,
    raw_text,
    text_nodes,
)
from wcodoc.errors import WcodocError
from wcodoc.fsutil import atomic_output
from wcodoc.ooxml import qn
from wcodoc.ooxml.revisions import (
    W_DEL,
    W_INS,
    W_MOVE_FROM,
    W_MOVE_TO,
    W_R,
    W_RPR,
    Stamp,
    accept_all,
    copy_rpr,
    del_,
    ins,
    mark_paragraph,
    mark_row,
    max_id,
    reject_all,
)
from wcodoc.ooxml.safe import DOCUMENT_PART

W_T = qn("w:t")
XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"
REVISION_PARENTS = frozenset({W_INS, W_DEL, W_MOVE_FROM, W_MOVE_TO})
RUN_STOPS = frozenset({W_R, W_PPR, *REVISION_PARENTS, qn("w:txbxContent")})
# What a deleted copy of an old block must not carry into the new document: markers whose ids
# or relationships belong to the old package, and content the old draft had already deleted.
DROP_IN_COPY = tuple(
    qn(f"w:{name}")
    for name in ("bookmarkStart", "bookmarkEnd", "commentRangeStart", "commentRangeEnd",
                 "commentReference", "footnoteReference", "endnoteReference", "permStart",
                 "permEnd", "proofErr", "drawing", "pict", "object", "del", "moveFrom",
                 "moveFromRangeStart", "moveFromRangeEnd", "moveToRangeStart", "moveToRangeEnd",
                 "rPrChange", "pPrChange")
)  # fmt: skip
UNWRAP_IN_COPY = tuple(
    qn(f"w:{name}") for name in ("ins", "moveTo", "hyperlink", "smartTag", "customXml")
)


@dataclass
class RedlineResult:
    """What a redline run produced: the document XML and how many revision marks it holds."""

    root: etree._Element
    marks: int


# --- runs and character offsets ----------------------------------------------------------------


def _atoms(p: etree._Element) -> list[tuple[etree._Element, int, int]]:
    atoms, pos = [], 0
    for node, text in text_nodes(p):
        atoms.append((node, pos, pos + len(text)))
        pos += len(text)
    return atoms


def _split_run_before(run: etree._Element, node: etree._Element) -> etree._Element:
    content = [c for c in run if c.tag != W_RPR]
    if not content or content[0] is node:
        return run
    new_run = etree.Element(W_R, dict(run.attrib))
    rpr = copy_rpr(run)
    if rpr is not None:
        new_run.append(rpr)
    for child in content[content.index(node):]:
        new_run.append(child)
    run.addnext(new_run)
    return new_run


def split_at(p: etree._Element, offset: int) -> etree._Element | None:
    """Make a run start at character ``offset`` of ``p``; return it (``None`` at the end)."""
    for node, start, end in _atoms(p):
        if not start <= offset < end:
            continue
        if offset > start:  # only a w:t spans several characters
            tail = etree.Element(W_T)
            tail.set(XML_SPACE, "preserve")
            tail.text = node.text[offset - start:]
            node.text = node.text[: offset - start]
            node.set(XML_SPACE, "preserve")
            node.addnext(tail)
            node = tail
        run = node.getparent()
        return _split_run_before(run, node) if run.tag == W_R else node
    return None


def _groups(runs: list[etree._Element]) -> list[list[etree._Element]]:
    """Consecutive sibling runs, so that one revision element can wrap each group."""
    groups: list[list[etree._Element]] = []
    for run in runs:
        if groups and groups[-1][-1].getnext() is run:
            groups[-1].append(run)
        else:
            groups.append([run])
    return groups


def _wrap_inserted(p: etree._Element, b1: int, b2: int, stamp: Stamp) -> None:
    split_at(p, b1)
    split_at(p, b2)
    runs: list[etree._Element] = []
    for node, start, _ in _atoms(p):
        run = node.getparent()
        wanted = b1 <= start < b2 and run.tag == W_R
        if wanted and run.getparent().tag not in REVISION_PARENTS and (not runs or runs[-1] is not run):
            runs.append(run)
    for group in _groups(runs):
        ins(stamp, group)


def _deleted_runs(old_p: etree._Element, a1: int, a2: int) -> list[etree._Element]:
    runs: list[etree._Element] = []
    source = None
    for node, start, end in _atoms(old_p):
        if end <= a1 or start >= a2:
            continue
        if node.getparent() is not source or not runs:
            source = node.getparent()
            run = etree.Element(W_R)
            rpr = copy_rpr(source) if source.tag == W_R else None
            if rpr is not None:
                run.append(rpr)
            runs.append(run)
        piece = (node.text or "")[max(a1, start) - start : min(a2, end) - start]
        if TEXT_NODES[node.tag] is None:
            t = etree.SubElement(runs[-1], qn("w:delText"))
            t.set(XML_SPACE, "preserve")
            t.text = piece
        else:
            etree.SubElement(runs[-1], node.tag)
    return runs


def _place_before(target: etree._Element, el: etree._Element, stamp: Stamp) -> None:
    """Put ``el`` just before ``target``, outside any revision element holding ``target``."""
    while target.getparent().tag in REVISION_PARENTS:
        parent = target.getparent()
        if parent[0] is not target:
            rest = stamp.element(etree.QName(parent).localname)
            rest.set(qn("w:author"), parent.get(qn("w:author"), stamp.author))
            rest.set(qn("w:date"), parent.get(qn("w:date"), stamp.date))
            for child in list(parent)[parent.index(target):]:
                rest.append(child)
            parent.addnext(rest)
            parent = rest
        target = parent
    target.addprevious(el)


def _place_after(target: etree._Element, el: etree._Element) -> None:
    while target.getparent().tag in REVISION_PARENTS:
        target = target.getparent()
    target.addnext(el)


def _insert_deleted(p: etree._Element, b1: int, runs: list[etree._Element], stamp: Stamp) -> None:
    deletion = del_(stamp, runs)
    target = split_at(p, b1)
    if target is not None:
        _place_before(target if target.tag == W_R else target.getparent(), deletion, stamp)
        return
    atoms = _atoms(p)
    if atoms:
        _place_after(atoms[-1][0].getparent(), deletion)
    else:
        p.append(deletion)


def redline_paragraph(old_p: etree._Element, new_p: etree._Element, stamp: Stamp) -> None:
    """Mark, inside ``new_p``, the words that differ from ``old_p``."""
    a, b = tokens(raw_text(old_p)), tokens(raw_text(new_p))
    a_off, b_off = _offsets(a), _offsets(b)
    opcodes = SequenceMatcher(None, a, b, autojunk=False).get_opcodes()
    for op, i1, i2, j1, j2 in reversed(opcodes):
        if op == "equal":
            continue
        b1, b2 = b_off[j1], b_off[j2]
        if j2 > j1:
            _wrap_inserted(new_p, b1, b2, stamp)
        if i2 > i1:
            _insert_deleted(new_p, b1, _deleted_runs(old_p, a_off[i1], a_off[i2]), stamp)


def _offsets(toks: list[str]) -> list[int]:
    out = [0]
    for tok in toks:
        out.append(out[-1] + len(tok))
    return out


# --- whole blocks ------------------------------------------------------------------------------


def _top_runs(container: etree._Element) -> list[etree._Element]:
    runs = []
    for run in container.iter(W_R):
        parent = run.getparent()
        while parent is not None and parent is not container and parent.tag not in RUN_STOPS:
            parent = parent.getparent()
        if parent is container:
            runs.append(run)
    return runs


def _mark_runs(container: etree._Element, stamp: Stamp, deleted: bool) -> None:
    for p in container.iter(W_P):
        for group in _groups(_top_runs(p)):
            (del_ if deleted else ins)(stamp, group)


def mark_inserted(el: etree._Element, stamp: Stamp) -> None:
    """Mark a whole paragraph or table of the new draft as inserted."""
    _mark_runs(el, stamp, deleted=False)
    if el.tag == W_TBL:
        for tr in el.iter(W_TR):
            mark_row(tr, stamp, "w:ins")
    else:
        mark_paragraph(el, stamp, "w:ins")


def deleted_copy(el: etree._Element, stamp: Stamp, num_ids: set[str]) -> etree._Element:
    """A copy of an old paragraph or table, cleaned of old-package references, all deleted."""
    el = copy.deepcopy(el)
    for drop in list(el.iter(*DROP_IN_COPY)):
        if drop.getparent() is not None:
            drop.getparent().remove(drop)
    for mark in list(el.iter(W_INS)):  # paragraph-mark and row marks of the old draft
        if mark.getparent() is not None and mark.getparent().tag in (W_RPR, qn("w:trPr")):
            mark.getparent().remove(mark)
    for wrapper in list(el.iter(*UNWRAP_IN_COPY)):
        _unwrap(wrapper)
    for num_id in list(el.iter(qn("w:numId"))):
        if num_id.get(qn("w:val")) not in num_ids and num_id.getparent() is not None:
            num_pr = num_id.getparent()
            num_pr.getparent().remove(num_pr)
    _mark_runs(el, stamp, deleted=True)
    if el.tag == W_TBL:
        for tr in el.iter(W_TR):
            mark_row(tr, stamp, "w:del")
    else:
        mark_paragraph(el, stamp, "w:del")
    return el


def _unwrap(el: etree._Element) -> None:
    parent = el.getparent()
    if parent is None:
        return
    index = parent.index(el)
    for k, child in enumerate(list(el)):
        parent.insert(index + k, child)
    parent.remove(el)


def _cell_paragraphs(tr: etree._Element) -> list[list[etree._Element]]:
    return [list(tc.iter(W_P)) for tc in tr.iterchildren(W_TC)]


def _row_text(tr: etree._Element) -> str:
    return " | ".join(normalize(" ".join(raw_text(p) for p in cell)) for cell in _cell_paragraphs(tr))


def redline_table(old_t: etree._Element, new_t: etree._Element, stamp: Stamp, num_ids) -> None:
    """Mark row and cell changes of a modified table inside ``new_t``."""
    old_rows, new_rows = list(old_t.iterchildren(W_TR)), list(new_t.iterchildren(W_TR))
    matcher = SequenceMatcher(
        None, [_row_text(r) for r in old_rows], [_row_text(r) for r in new_rows], autojunk=False
    )
    for op, i1, i2, j1, j2 in reversed(matcher.get_opcodes()):
        if op == "equal":
            continue
        pairs = min(i2 - i1, j2 - j1) if op == "replace" else 0
        for k in range(pairs):
            if not _redline_row(old_rows[i1 + k], new_rows[j1 + k], stamp):
                _replace_row(old_rows[i1 + k], new_rows[j1 + k], stamp, num_ids)
        for k in range(j1 + pairs, j2):
            mark_inserted_row(new_rows[k], stamp)
        previous = new_rows[j2 - 1] if j2 > 0 else None
        for k in range(i1 + pairs, i2):
            gone = deleted_copy_row(old_rows[k], stamp, num_ids)
            if j2 < len(new_rows):
                new_rows[j2].addprevious(gone)
            elif previous is not None:
                previous.addnext(gone)
                previous = gone
            else:
                new_t.append(gone)


def _redline_row(old_tr: etree._Element, new_tr: etree._Element, stamp: Stamp) -> bool:
    old_cells, new_cells = _cell_paragraphs(old_tr), _cell_paragraphs(new_tr)
    if [len(c) for c in old_cells] != [len(c) for c in new_cells]:
        return False
    for old_cell, new_cell in zip(old_cells, new_cells, strict=True):
        for old_p, new_p in zip(old_cell, new_cell, strict=True):
            if raw_text(old_p) != raw_text(new_p):
                redline_paragraph(old_p, new_p, stamp)
    return True


def _replace_row(old_tr, new_tr, stamp: Stamp, num_ids) -> None:
    mark_inserted_row(new_tr, stamp)
    new_tr.addprevious(deleted_copy_row(old_tr, stamp, num_ids))


def mark_inserted_row(tr: etree._Element, stamp: Stamp) -> None:
    """Mark a table row of the new draft as inserted, with its text."""
    _mark_runs(tr, stamp, deleted=False)
    mark_row(tr, stamp, "w:ins")


def deleted_copy_row(tr: etree._Element, stamp: Stamp, num_ids) -> etree._Element:
    """A deleted copy of an old table row."""
    wrapper = etree.Element(W_TBL)
    wrapper.append(copy.deepcopy(tr))
    return deleted_copy(wrapper, stamp, num_ids)[0]


# --- the whole document ------------------------------------------------------------------------


def build_redline(old: Draft, new: Draft, alignment: Alignment, *, author: str) -> RedlineResult:
    """Add tracked changes to a copy of the new draft's body and check them both ways."""
    root = copy.deepcopy(new.root)
    body = root.find(W_BODY)
    # The copy's elements, found by position, stand in for the new draft's own.
    originals = list(new.root.iter())
    position = {id(el): k for k, el in enumerate(originals)}
    copies = list(root.iter())

    def mine(block: Block) -> etree._Element:
        return copies[position[id(block.element)]]

    first_id = max(max_id(new.root), 0) + 1
    stamp = Stamp.now(author, first_id)
    num_ids = set(new.reader.numbering.nums)
    new_elements = [mine(b) for b in new.blocks]
    cursor: etree._Element | None = None
    for step in alignment.steps:
        if step.new is not None and step.op != "moved_from":
            el = new_elements[step.new]
            if step.op == "modified":
                _redline_modified(old.blocks[step.old], new.blocks[step.new], el, stamp, num_ids)
            elif step.op in ("inserted", "moved_to"):
                mark_inserted(el, stamp)
            cursor = el
            continue
        gone = deleted_copy(old.blocks[step.old].element, stamp, num_ids)
        if cursor is not None:
            cursor.addnext(gone)
        elif new_elements:
            new_elements[0].addprevious(gone)
        else:
            _append_to_body(body, gone)
        cursor = gone
    check_redline(old, new, root, first_id)
    return RedlineResult(root, stamp.next_id - first_id)


def _redline_modified(old_block: Block, new_block: Block, el, stamp: Stamp, num_ids) -> None:
    if el.tag == W_TBL and old_block.element.tag == W_TBL:
        redline_table(old_block.element, el, stamp, num_ids)
    elif el.tag == W_P and old_block.element.tag == W_P:
        redline_paragraph(old_block.element, el, stamp)
    else:
        mark_inserted(el, stamp)
        el.addprevious(deleted_copy(old_block.element, stamp, num_ids))


def _append_to_body(body: etree._Element, el: etree._Element) -> None:
    sect = body.find(qn("w:sectPr"))
    if sect is not None:
        sect.addprevious(el)
    else:
        body.append(el)


def _texts(draft: Draft, root: etree._Element) -> list[str]:
    return [b.compare for b in draft.reader.read(root.find(W_BODY))]


def check_redline(old: Draft, new: Draft, root: etree._Element, first_id: int) -> None:
    """Refuse a redline whose accept-all is not the new draft or reject-all not the old one."""
    accepted = _texts(new, accept_all(root))
    expected_new = [b.compare for b in new.blocks]
    if accepted != expected_new:
        raise WcodocError(
            "internal check failed: accepting all changes of the redline does not give the new "
            f"draft ({_first_difference(expected_new, accepted)}); no redline written",
            new.path,
        )
    rejected = _texts(new, reject_all(root, from_id=first_id))
    expected_old = [b.compare for b in old.blocks]
    if rejected != expected_old:
        raise WcodocError(
            "internal check failed: rejecting all changes of the redline does not give the old "
            f"draft ({_first_difference(expected_old, rejected)}); no redline written",
            old.path,
        )


def _first_difference(expected: list[str], got: list[str]) -> str:
    for k, (a, b) in enumerate(zip(expected, got, strict=False)):
        if a != b:
            return f"block {k + 1}: expected {a[:60]!r}, got {b[:60]!r}"
    return f"{len(expected)} blocks expected, {len(got)} found"


def write_redline(new: Draft, result: RedlineResult, out: Path) -> None:
    """Write the redline: the new draft's package with its document part replaced."""
    data = etree.tostring(result.root, xml_declaration=True, encoding="UTF-8", standalone=True)
    try:
        with zipfile.ZipFile(new.path) as source, atomic_output(Path(out)) as tmp:
            _copy_package(source, tmp, data)
    except OSError as exc:
        raise WcodocError(f"cannot write the redline: {exc.strerror or exc}", out) from None


def _copy_package(source: zipfile.ZipFile, tmp: Path, document: bytes) -> None:
    with zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            payload = document if info.filename == DOCUMENT_PART else source.read(info)
            target.writestr(info, payload, compress_type=zipfile.ZIP_DEFLATED)
