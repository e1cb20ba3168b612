"""Lower the transform's format-neutral nodes (:mod:`wcodoc.transform.nodes`) into what pandoc's
DOCX writer and Word need: bookmarks, ``REF`` fields and spacer paragraphs.

- a label mark becomes a Span whose identifier is the label's Word bookmark
  (:func:`wcodoc.ooxml.fields.bookmark_name`), which pandoc writes around its content; a
  labelled ``#`` heading's text is wrapped in such a Span, so that its bookmark stays in the
  heading paragraph;
- a numbered target loses its anchor and number: Word prints paragraph and section numbers
  through the styles' numbering (``Numbered Paragraph``, ``Sub-item``, ``Heading 1``), and a
  table's or figure's number is already in its caption;
- a cross-reference becomes a ``REF`` field to the bookmark, showing the computed number
  until Word updates it, asking for the paragraph number (``\\n``) where the target is a
  paragraph's own number;
- a table marked ``space-after`` is followed by a small empty paragraph: Word and LibreOffice
  put no space below a table, so the next paragraph would touch its last rule.

The neutral document is left as it is (another writer may read it): the lowered part shares
the nodes that did not change. Its JSON is what the part cache keys on.
"""

from __future__ import annotations

import functools
import hashlib
import inspect
import sys
from pathlib import Path

from wcodoc import ooxml
from wcodoc.errors import WcodocError
from wcodoc.ooxml import elements, fields, spacer_paragraph
from wcodoc.ooxml.fields import bookmark_name, ref_field
from wcodoc.transform import nodes, pandocast
from wcodoc.transform.pandocast import Node

_TARGETS = ("Header", "Div", "Table", "Figure")
"""The nodes a numbered target can be."""
_NEUTRAL = frozenset({nodes.NUMBER, nodes.LABEL})
"""The attributes of a numbered target that Word has no use for."""


def raw_inline(xml: str) -> Node:
    """Raw OpenXML inline content, passed through by pandoc's DOCX writer."""
    return {"t": "RawInline", "c": ["openxml", xml]}


def raw_block(xml: str) -> Node:
    """Raw OpenXML block content (whole ``w:p`` or ``w:tbl`` elements)."""
    return {"t": "RawBlock", "c": ["openxml", xml]}


@functools.cache
def lowering_digest() -> bytes:
    """The digest of the code that lowers a part: what a part lowers to is known from the
    neutral part only together with it (:mod:`wcodoc.render.docx.parts` keys on both)."""
    digest = hashlib.sha256()
    for module in (sys.modules[__name__], ooxml, elements, fields, nodes, pandocast):
        digest.update(Path(inspect.getfile(module)).read_bytes())
    return digest.digest()


class Lowering:
    """Lowers the parts of one document, checking that no two labels share a bookmark."""

    def __init__(self) -> None:
        self.bookmarks: dict[str, str] = {}
        """Bookmark name (as Word compares them, without case) → the label it was made for."""
        self.labels: list[str] = []
        """The labels given a bookmark so far, in order."""

    def part(self, blocks: list[Node]) -> list[Node]:
        """One part's blocks, lowered."""
        return pandocast.rewritten(blocks, self._lower, only=("Span", *_TARGETS))

    def part_and_labels(self, blocks: list[Node]) -> tuple[list[Node], list[str]]:
        """One part's blocks, lowered, and the labels it gave a bookmark (for :meth:`replay`)."""
        start = len(self.labels)
        lowered = self.part(blocks)
        return lowered, self.labels[start:]

    def replay(self, labels: list[str]) -> None:
        """Check ``labels`` as a part lowered earlier gave them bookmarks (one written from the
        cache is not lowered again, but its labels may clash with another part's)."""
        for key in labels:
            self.bookmark(key)

    def _lower(self, node: Node) -> Node | list[Node] | None:
        if node["t"] == "Span":
            return self._span(node)
        attr = nodes.attr_of(node)
        identifier, classes, attributes = attr
        numbered = nodes.attribute(attr, nodes.NUMBER) is not None
        spaced = node["t"] == "Table" and nodes.SPACE_AFTER in classes
        if not (numbered or spaced):
            return None
        label = nodes.attribute(attr, nodes.LABEL) if numbered else None
        if numbered:
            identifier = ""
            attributes = [pair for pair in attributes if pair[0] not in _NEUTRAL]
        if spaced:
            classes = [name for name in classes if name != nodes.SPACE_AFTER]
        lowered = nodes.with_attr(node, [identifier, classes, attributes])
        if label and lowered["t"] == "Header":
            lowered = self._heading_bookmark(lowered, label)
        return [lowered, raw_block(spacer_paragraph())] if spaced else lowered

    def _heading_bookmark(self, header: Node, label: str) -> Node:
        """A labelled heading with its bookmark around its text, inside its paragraph.

        Not the heading's identifier: pandoc makes that a bookmark spanning the whole section,
        which LibreOffice duplicates and moves to the section's last paragraph when it saves
        the document again, so that ``REF`` fields to it print that paragraph's number or none.
        """
        level, attr, inlines = header["c"]
        return {"t": "Header", "c": [level, attr, [pandocast.span(inlines, identifier=self.bookmark(label))]]}

    def _span(self, node: Node) -> Node | None:
        attr, inlines = node["c"]
        if nodes.XREF in attr[1]:
            field = ref_field(
                bookmark_name(nodes.attribute(attr, nodes.TARGET) or ""),
                nodes.attribute(attr, nodes.NUMBER) or "",
                number=nodes.attribute(attr, nodes.PARAGRAPH_NUMBER) == nodes.TRUE,
            )
            return raw_inline(field)
        if nodes.LABEL in attr[1]:
            return pandocast.span(inlines, identifier=self.bookmark(nodes.attribute(attr, nodes.KEY) or ""))
        return None

    def bookmark(self, key: str) -> str:
        """The bookmark of label ``key``; an error if another label already has it."""
        name = bookmark_name(key)
        self.labels.append(key)
        first = self.bookmarks.setdefault(name.lower(), key)
        if first != key:
            raise WcodocError(f"labels {first!r} and {key!r} give the same Word bookmark: rename one of them")
        return name
