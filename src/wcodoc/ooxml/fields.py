"""Cross-references as Word fields, in raw OpenXML that pandoc passes through, and bookmarks.

Pandoc writes links as hyperlinks with literal text, never fields; a real cross-reference is
a ``REF`` field to a bookmark, with the number wcodoc computed as its cached result so that
every reader (LibreOffice, Word before an update) shows the right number.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterator, Mapping

from lxml import etree

from wcodoc.ooxml import W_P, W_T, qn
from wcodoc.ooxml.elements import fld, r, raw, w
from wcodoc.ooxml.text import walk

_BOOKMARK_UNSAFE = re.compile(r"[^A-Za-z0-9_]")
_PLAIN_LABEL = re.compile(r"[a-z]+:[a-z0-9]+(?:-[a-z0-9]+)*")
MAX_BOOKMARK = 40
_DIGEST = 10


def bookmark_name(label: str) -> str:
    """A Word-legal bookmark name for a wcodoc label, distinct for distinct labels.

    Word wants a letter first, then letters, digits and underscores, at most 40 characters,
    and compares names without regard to case. A plain label (lowercase, one ``:``, single
    hyphens) maps to a readable name, ``par:objective`` → ``par_objective``; that mapping is
    one-to-one and never gives two underscores in a row. Any other label (``par:a_b``,
    ``par:A``, more than 40 characters) gets a readable stem, ``__`` and a digest of the
    whole label, so ``par:a-b`` and ``par:a_b`` no longer meet in ``par_a_b``.
    """
    if _PLAIN_LABEL.fullmatch(label) and len(label) <= MAX_BOOKMARK:
        return label.replace(":", "_").replace("-", "_")
    stem = _BOOKMARK_UNSAFE.sub("_", label).lower()
    if not stem[:1].isalpha():
        stem = f"x{stem}"
    digest = hashlib.sha256(label.encode("utf-8")).hexdigest()[:_DIGEST]
    return f"{stem[: MAX_BOOKMARK - _DIGEST - 2]}__{digest}"


def holds_bookmark_of(p: etree._Element, prefix: str) -> bool:
    """Whether paragraph ``p`` holds a bookmark :func:`bookmark_name` made for a ``prefix:``
    label (both forms of the name start with ``prefix_``)."""
    start = f"{prefix}_"
    return any((el.get(qn("w:name")) or "").lower().startswith(start) for el in p.iter(qn("w:bookmarkStart")))


def ref_field(bookmark: str, cached: str, *, number: bool = True) -> str:
    """A ``REF`` field to ``bookmark`` showing ``cached`` until Word updates it.

    With ``number`` the field asks for the paragraph number of the bookmarked paragraph
    (``\\n``, no trailing period ``\\t``) rather than the bookmarked text; ``\\h`` makes it a
    link to the target.
    """
    switches = r"\n \t \h" if number else r"\h"
    return raw(fld(f"REF {bookmark} {switches}", cached))


def shown_references(part: etree._Element) -> dict[str, str]:
    """The text each ``REF`` field of ``part`` shows, by bookmark (the first field's, if several)."""
    found: dict[str, str] = {}
    for p in part.iter(W_P):
        for target, pieces in _references(p):
            found.setdefault(target, "".join(text for _, text in pieces))
    return found


def show_references(part: etree._Element, shown: Mapping[str, str]) -> None:
    """Make each ``REF`` field of ``part`` whose bookmark ``shown`` names show that text.

    For a copy of a document that someone saved: LibreOffice updates a reference from where
    its bookmark now is, and prints another paragraph's number, or nothing, once it has
    moved the bookmark (as it does with bookmarks spanning a whole section).
    """
    for p in part.iter(W_P):
        for target, pieces in list(_references(p)):
            text = shown.get(target)
            if text is not None and "".join(t for _, t in pieces) != text:
                _show(pieces, text)


Piece = tuple[etree._Element, str]


def _references(p: etree._Element) -> Iterator[tuple[str, list[Piece]]]:
    """The ``REF`` fields of ``p``: each one's bookmark and the nodes showing its result (an
    empty result: its ``end`` mark, with no text)."""
    target, pieces = "", list[Piece]()
    for node, text, ref in walk(p):
        if pieces and (ref != target or not text):
            yield target, pieces
            pieces = []
        if ref is None:
            continue
        if not text:
            yield ref, [(node, text)]
            continue
        target = ref
        pieces.append((node, text))
    if pieces:
        yield target, pieces


def _show(pieces: list[Piece], text: str) -> None:
    """The result of one field made ``text``: in its first ``w:t``, the others emptied."""
    first, _ = pieces[0]
    if first.tag != W_T:  # nothing shown: a run before the field's end (after its separator)
        end = first.getparent()
        if end is None:
            return
        if not _separated(end):
            end.addprevious(r(w("fldChar", fldCharType="separate")))
        end.addprevious(r(text))
        return
    first.text = text
    for node, _ in pieces[1:]:
        if node.tag == W_T:
            node.text = ""
        elif (parent := node.getparent()) is not None:
            parent.remove(node)


def _separated(end: etree._Element) -> bool:
    """Whether the field ending in run ``end`` has its ``separate`` mark among the runs before."""
    for run in end.itersiblings(preceding=True):
        mark = run.find(qn("w:fldChar"))
        if mark is not None:
            return mark.get(qn("w:fldCharType")) == "separate"
    return False
