"""Headings LibreOffice restyled, given their heading's properties back in the redline.

LibreOffice gives a heading the style (and indents) of a paragraph deleted with tracking just
before it and keeps only its numbering, so a Member's copy holds "III." in a body paragraph.
The comparison still reads it as the heading (its numbering or bookmark tells it), and the
redline gives it back the properties of the heading it is: those of the old draft's heading
it pairs with, else those of another heading of its kind in the new draft. Both sides of the
redline then show a heading, as the old draft had it and as the Member meant it.
"""

from __future__ import annotations

from collections.abc import Iterable

from lxml import etree

from wcodoc.diff.extract import Block, BlockReader
from wcodoc.ooxml import W_P, W_PPR, properties
from wcodoc.ooxml.revisions import base_properties, set_base_properties

HEADING_BLOCKS = ("heading", "annex")
"""Blocks that may be headings: sections, and use cases in the annex."""


def is_numbered_heading(block: Block) -> bool:
    """Whether ``block`` is a heading Word numbers: a section or use case heading (never an
    annex's text, never a number typed by hand)."""
    return (
        block.element.tag == W_P
        and block.block in HEADING_BLOCKS
        and block.number is not None
        and not block.typed_prefix
    )


def restore_headings(
    shown: Iterable[tuple[etree._Element, Block, Block | None]], reader: BlockReader
) -> None:
    """Give each restyled heading among ``shown`` (the redline's paragraph, the new draft's
    block it shows, the old draft's block paired with it) a heading's properties."""
    shown = list(shown)
    models: dict[str, etree._Element] = {}
    for p, block, _ in shown:
        if is_numbered_heading(block) and reader.has_heading_style(p):
            models.setdefault(block.block, p)
    for p, block, old in shown:
        if not is_numbered_heading(block) or reader.has_heading_style(p):
            continue
        model = old.element if old is not None and reader.has_heading_style(old.element) else None
        model = model if model is not None else models.get(block.block)
        if model is not None:
            set_base_properties(properties(p, W_PPR), base_properties(model))
