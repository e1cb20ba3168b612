"""Footnotes and endnotes: the ``word/footnotes.xml`` / ``word/endnotes.xml`` parts.

Elements (ECMA-376 Part 1, §17.11): ``w:footnotes/w:footnote`` (``w:id``; ``w:type`` set
only for the separators Word draws, which are no notes) holds the note's paragraphs, the
first run showing its mark (``w:footnoteRef``). In the body a run holding
``w:footnoteReference w:id`` places the note; Word numbers notes in the order of their
references. Endnotes are the same with ``endnote`` in every name.
"""

from __future__ import annotations

from dataclasses import dataclass

from lxml import etree

from wcodoc.ooxml import qn


@dataclass(frozen=True)
class NoteKind:
    """One kind of note and the names of its part and elements."""

    name: str
    """``footnote`` or ``endnote``, as reports name it."""
    part: str
    note: str
    """Clark name of the note element in its part."""
    reference: str
    """Clark name of the body element that references a note."""


FOOTNOTE = NoteKind("footnote", "word/footnotes.xml", qn("w:footnote"), qn("w:footnoteReference"))
ENDNOTE = NoteKind("endnote", "word/endnotes.xml", qn("w:endnote"), qn("w:endnoteReference"))
NOTE_KINDS = (FOOTNOTE, ENDNOTE)
REFERENCES = {kind.reference: kind for kind in NOTE_KINDS}
W_ID, W_TYPE = qn("w:id"), qn("w:type")


def notes_by_id(root: etree._Element | None, kind: NoteKind) -> dict[str, etree._Element]:
    """The notes of a part by ``w:id``, separators left out (none when the part is missing)."""
    if root is None:
        return {}
    found = {}
    for el in root.iterchildren(kind.note):
        nid = el.get(W_ID)
        if nid is not None and el.get(W_TYPE) in (None, "normal"):
            found[nid] = el
    return found


def max_note_id(root: etree._Element, kind: NoteKind) -> int:
    """The largest numeric ``w:id`` of a note in the part (0 if none)."""
    ids = (el.get(W_ID, "") for el in root.iterchildren(kind.note))
    return max((int(i) for i in ids if i.lstrip("-").isdigit()), default=0)


def add_note(root: etree._Element, note: etree._Element, kind: NoteKind) -> str:
    """Append ``note`` to the part ``root`` under a fresh ``w:id``; return that id."""
    nid = str(max_note_id(root, kind) + 1)
    note.set(W_ID, nid)
    note.attrib.pop(W_TYPE, None)
    root.append(note)
    return nid
