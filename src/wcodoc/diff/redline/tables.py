"""A modified table: rows matched by their text, inserted and deleted rows marked, the cells
of matched rows marked word by word."""

from __future__ import annotations

import copy
from difflib import SequenceMatcher

from lxml import etree

from wcodoc.diff.extract import BlockReader, normalize, row_keys
from wcodoc.diff.redline.embedded import EmbeddedMarks
from wcodoc.diff.redline.marks import Keep, deleted_copy, redline_formatting, redline_paragraph
from wcodoc.ooxml import W_P, W_TC, W_TR
from wcodoc.ooxml.elements import tbl
from wcodoc.ooxml.embedded import embedded
from wcodoc.ooxml.revisions import Stamp, mark_row
from wcodoc.ooxml.runs import mark_runs
from wcodoc.ooxml.text import raw_text


def _cell_paragraphs(tr: etree._Element) -> list[list[etree._Element]]:
    return [list(tc.iter(W_P)) for tc in tr.iterchildren(W_TC)]


def _row_text(tr: etree._Element, reader: BlockReader) -> str:
    """A row as compared: its cells' text, then what identifies its pictures, text boxes …"""
    cells = _cell_paragraphs(tr)
    text = " | ".join(normalize(" ".join(raw_text(p) for p in cell)) for cell in cells)
    content = [reader.embedded_block(item).compare for cell in cells for p in cell for item in embedded(p)]
    return " ".join([text, *content])


def redline_table(old_t: etree._Element, new_t: etree._Element, marks: EmbeddedMarks) -> None:
    """Mark row and cell changes of a modified table inside ``new_t`` (its pictures, text
    boxes … too, through ``marks``)."""
    stamp, keep = marks.stamp, marks.keep
    old_rows, new_rows = list(old_t.iterchildren(W_TR)), list(new_t.iterchildren(W_TR))
    old_texts = [_row_text(r, marks.old) for r in old_rows]
    new_texts = [_row_text(r, marks.new) for r in new_rows]
    # Rows are matched without their running number ("No." column), so that one inserted
    # row is one insertion, and the renumbered rows after it only get their number marked.
    matcher = SequenceMatcher(None, row_keys(old_texts), row_keys(new_texts), autojunk=False)
    for op, i1, i2, j1, j2 in reversed(matcher.get_opcodes()):
        if op == "equal":
            for k in range(i2 - i1):
                old_tr, new_tr = old_rows[i1 + k], new_rows[j1 + k]
                if old_texts[i1 + k] != new_texts[j1 + k] and not _redline_row(old_tr, new_tr, marks):
                    _replace_row(old_tr, new_tr, stamp, keep)
            continue
        pairs = min(i2 - i1, j2 - j1) if op == "replace" else 0
        for k in range(pairs):
            if not _redline_row(old_rows[i1 + k], new_rows[j1 + k], marks):
                _replace_row(old_rows[i1 + k], new_rows[j1 + k], stamp, keep)
        for k in range(j1 + pairs, j2):
            mark_inserted_row(new_rows[k], stamp)
        previous = new_rows[j2 - 1] if j2 > 0 else None
        for k in range(i1 + pairs, i2):
            gone = deleted_copy_row(old_rows[k], stamp, keep)
            if j2 < len(new_rows):
                new_rows[j2].addprevious(gone)
            elif previous is not None:
                previous.addnext(gone)
                previous = gone
            else:
                new_t.append(gone)


def _redline_row(old_tr: etree._Element, new_tr: etree._Element, marks: EmbeddedMarks) -> bool:
    old_cells, new_cells = _cell_paragraphs(old_tr), _cell_paragraphs(new_tr)
    if [len(c) for c in old_cells] != [len(c) for c in new_cells]:
        return False
    for old_cell, new_cell in zip(old_cells, new_cells, strict=True):
        for old_p, new_p in zip(old_cell, new_cell, strict=True):
            if raw_text(old_p) != raw_text(new_p):
                redline_paragraph(old_p, new_p, marks.stamp, formatting=marks.formatting)
            elif marks.formatting:
                redline_formatting(old_p, new_p, marks.stamp)
            marks.mark(old_p, new_p)
    return True


def _replace_row(old_tr, new_tr, stamp: Stamp, keep: Keep) -> None:
    mark_inserted_row(new_tr, stamp)
    new_tr.addprevious(deleted_copy_row(old_tr, stamp, keep))


def mark_inserted_row(tr: etree._Element, stamp: Stamp) -> None:
    """Mark a table row of the new draft as inserted, with its text."""
    mark_runs(tr, stamp, deleted=False)
    mark_row(tr, stamp, "w:ins")


def deleted_copy_row(tr: etree._Element, stamp: Stamp, keep: Keep) -> etree._Element:
    """A deleted copy of an old table row."""
    return deleted_copy(tbl(copy.deepcopy(tr)), stamp, keep)[0]
