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

from wcodoc.ooxml import elements as E
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

    @property
    def plural(self) -> str:
        """``footnotes``: the name of the part's root and of its relationship type."""
        return f"{self.name}s"

    @property
    def content_type(self) -> str:
        """The content type of the part."""
        return f"application/vnd.openxmlformats-officedocument.wordprocessingml.{self.plural}+xml"


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


def empty_part(kind: NoteKind) -> etree._Element:
    """A notes part holding only the separators Word draws above the notes (ids -1 and 0)."""
    return E.part(
        kind.plural,
        E.w(kind.name, E.p(E.r(E.w("separator"))), type="separator", id=-1),
        E.w(kind.name, E.p(E.r(E.w("continuationSeparator"))), type="continuationSeparator", id=0),
    )


def in_reference_order(root: etree._Element, part: etree._Element, kind: NoteKind) -> None:
    """Number the notes of ``part`` 1, 2, … in the order of their references in ``root``
    (the document) and put them in that order, as Word writes them: LibreOffice pairs
    references with notes by their order, not their ids. Separators stay first, notes no
    reference names last."""
    notes = notes_by_id(part, kind)
    separators = [n for n in part.iterchildren(kind.note) if n.get(W_ID) not in notes]
    start = max((int(i) for n in separators if (i := n.get(W_ID, "")).lstrip("-").isdigit()), default=0) + 1
    renamed: dict[str, str] = {}
    for ref in root.iter(kind.reference):
        nid = ref.get(W_ID, "")
        if nid in notes:
            renamed.setdefault(nid, str(start + len(renamed)))
            ref.set(W_ID, renamed[nid])
    ordered = [notes[nid] for nid in renamed] + [n for nid, n in notes.items() if nid not in renamed]
    for k, note in enumerate(ordered):
        part.remove(note)
        note.set(W_ID, str(start + k))
    part.extend(ordered)


def reference_order(
    root: etree._Element, part: etree._Element, kind: NoteKind
) -> tuple[list[str], list[str]]:
    """The ids of the notes ``root`` references, in order, and of the notes of ``part`` that
    are referenced, in the part's order: equal when the notes are in reference order."""
    notes = notes_by_id(part, kind)
    referenced = list(dict.fromkeys(r.get(W_ID, "") for r in root.iter(kind.reference)))
    named = set(referenced)
    return [i for i in referenced if i in notes], [i for i in notes if i in named]
