"""Embedded content in the redline: pictures, SmartArt and other drawings inserted, deleted
or replaced as wholes, text boxes edited word by word.

A drawing sits in a run of its own (``w:r/w:drawing``), so it is marked as a run is: its run
wrapped in ``w:ins`` where it was added, a copy of the old run wrapped in ``w:del`` where it
was taken away (the parts it names copied into the redline's package, see
:mod:`wcodoc.ooxml.transfer`), both where it was replaced. Word and LibreOffice accept and
reject such runs with their drawing. A text box whose paragraphs are the same in number is
marked inside, paragraph by paragraph, with the marks of body text; one whose paragraphs
were added or removed is replaced as a whole. Equations, charts and embedded objects are
not marked: a redline holding a change of theirs is refused (see
:func:`wcodoc.diff.align.unmarkable`).
"""

from __future__ import annotations

from dataclasses import dataclass
from difflib import SequenceMatcher

from lxml import etree

from wcodoc.diff.align import TokenDiff, token_diff
from wcodoc.diff.extract import Block, BlockReader
from wcodoc.diff.redline.marks import Keep, clean_copy, redline_paragraph
from wcodoc.ooxml import W_R, parent_of
from wcodoc.ooxml.embedded import Embedded, embedded, textbox_paragraphs, without_fallback
from wcodoc.ooxml.revisions import Stamp, del_, ins
from wcodoc.ooxml.runs import REVISION_PARENTS, insert_deleted
from wcodoc.ooxml.text import offset_of, raw_text

Item = tuple[Embedded, Block]
"""A piece of embedded content of a paragraph and the block it reads as."""


@dataclass
class EmbeddedMarks:
    """Marks embedded content with ``stamp``: ``old`` and ``new`` read the content of each
    draft (their relationships differ); copies of old content keep what ``keep`` allows."""

    old: BlockReader
    new: BlockReader
    stamp: Stamp
    keep: Keep
    formatting: bool = True

    def mark(self, old_p: etree._Element, new_p: etree._Element) -> None:
        """Mark, in ``new_p`` (a paragraph of the redline), how its embedded content differs
        from that of ``old_p``."""
        olds, news = _items(old_p, self.old), _items(new_p, self.new)
        a, b = [block.compare for _, block in olds], [block.compare for _, block in news]
        if a == b:
            return
        for op, i1, i2, j1, j2 in SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
            if op == "equal":
                continue
            both = min(i2 - i1, j2 - j1) if op == "replace" else 0
            for k in range(both):
                self.replaced(olds[i1 + k][0], news[j1 + k][0])
            for k in range(j1 + both, j2):
                self.inserted(news[k][0])
            for k in range(i1 + both, i2):
                self.deleted(old_p, olds[k][0], new_p)

    def replaced_whole(self, old_p: etree._Element, new_p: etree._Element) -> bool:
        """Whether two paragraphs holding embedded content and no text are marked as one
        paragraph deleted and another inserted: LibreOffice moves what is left of a
        paragraph whose whole content is rejected into the next one. Only a text box edited
        inside stays one paragraph."""
        if raw_text(old_p).strip() or raw_text(new_p).strip():
            return False
        olds, news = embedded(old_p), embedded(new_p)
        if len(olds) == len(news) == 1 and olds[0].kind == news[0].kind == "textbox":
            return len(textbox_paragraphs(olds[0].element)) != len(textbox_paragraphs(news[0].element))
        return bool(olds or news)

    def inserted(self, item: Embedded) -> None:
        """Mark a piece of the new draft's content as inserted: its run inside ``w:ins``."""
        run = item.anchor
        if run.tag == W_R and parent_of(run).tag not in REVISION_PARENTS:
            ins(self.stamp, [run])

    def deleted(self, old_p: etree._Element, item: Embedded, new_p: etree._Element) -> None:
        """Put a deleted copy of an old piece of content into ``new_p`` where it was."""
        if item.anchor.tag != W_R:
            return
        diff = token_diff(raw_text(old_p), raw_text(new_p))
        offset = _new_offset(diff, offset_of(old_p, item.anchor))
        insert_deleted(new_p, offset, [clean_copy(item.anchor, self.keep)], self.stamp)

    def replaced(self, old: Embedded, new: Embedded) -> None:
        """Mark one piece of content become another: a text box edited inside, else the old
        one deleted before the new one inserted."""
        if old.kind == new.kind == "textbox" and self._edit_textbox(old, new):
            return
        run = new.anchor
        if old.anchor.tag != W_R or run.tag != W_R:
            return
        target = run
        while (parent := parent_of(target)).tag in REVISION_PARENTS:
            target = parent
        target.addprevious(del_(self.stamp, [clean_copy(old.anchor, self.keep)]))
        self.inserted(new)

    def _edit_textbox(self, old: Embedded, new: Embedded) -> bool:
        """Mark the words of a text box, paragraph by paragraph; ``False`` when its
        paragraphs are not as many as before (it is then replaced as a whole)."""
        old_ps, new_ps = textbox_paragraphs(old.element), textbox_paragraphs(new.element)
        if len(old_ps) != len(new_ps):
            return False
        for old_p, new_p in zip(old_ps, new_ps, strict=True):
            if raw_text(old_p) != raw_text(new_p):
                redline_paragraph(old_p, new_p, self.stamp, formatting=self.formatting)
        holder = new.anchor if new.anchor.tag == W_R else new.element
        without_fallback(holder)
        return True


def _items(p: etree._Element, reader: BlockReader) -> list[Item]:
    return [(item, reader.embedded_block(item)) for item in embedded(p)]


def _new_offset(diff: TokenDiff, offset: int) -> int:
    """Where character ``offset`` of the old text is in the new text (the start of the
    change it falls in; the end for the end)."""
    for op, i1, i2, j1, _ in diff.opcodes:
        start, end = diff.old_offsets[i1], diff.old_offsets[i2]
        if start <= offset < end:
            return diff.new_offsets[j1] + (offset - start if op == "equal" else 0)
    return diff.new_offsets[-1]
