"""Cross-references as Word fields, in raw OpenXML that pandoc passes through, and bookmarks.

Pandoc writes links as hyperlinks with literal text, never fields; a real cross-reference is
a ``REF`` field to a bookmark, with the number wcodoc computed as its cached result so that
every reader (LibreOffice, Word before an update) shows the right number.
"""

from __future__ import annotations

import hashlib
import re

from lxml import etree

from wcodoc.ooxml import qn
from wcodoc.ooxml.elements import fld, raw

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
