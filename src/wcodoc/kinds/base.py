"""What every document kind provides: :class:`DocumentKind`, and the page text it gives the writers.

A kind owns what surrounds the body of a document: its cover, the text of its headers and
footers, the title its properties carry, blocks it generates from the numbered body (a report's
table of agenda items), and which cover paragraph holds which ``document.yaml`` key (read back by
the diff). The defaults here are the house's: every WCO document carries the symbol in the header
of later pages and the copyright notices under page 1.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import ClassVar

from wcodoc.errors import Problems
from wcodoc.load.housestyle import HouseStyle
from wcodoc.load.kinds import KindSchema
from wcodoc.load.metadata import DocumentMeta
from wcodoc.parse.reader import AstCache
from wcodoc.styles import (
    COVER_COMMITTEE,
    COVER_DATES,
    COVER_ISSUED,
    COVER_LETTERHEAD,
    COVER_MEETING,
    COVER_SESSIONS,
    COVER_SYMBOL,
    COVER_TITLE,
    ParagraphStyle,
)
from wcodoc.transform.numbering import NumberedBody
from wcodoc.transform.pandocast import Node

HOUSE_COVER_FIELDS: Mapping[ParagraphStyle, str] = {
    COVER_LETTERHEAD: "letterhead",
    COVER_COMMITTEE: "reference",
    COVER_MEETING: "meeting",
    COVER_SESSIONS: "sessions",
    COVER_DATES: "dates",
    COVER_SYMBOL: "reference",
    COVER_ISSUED: "issued",
    COVER_TITLE: "title",
}
"""The cover fields every kind's cover has: the letterhead, the two-column block beside the
symbol, the title."""


@dataclass(frozen=True)
class PageText:
    """What the headers and footers print, in the document's language; each writer lays it out."""

    header: str
    """Header of later pages, beside the page number: the symbol without its version letter."""
    footer_notice: tuple[str, ...]
    """Footer of page 1, under a short rule: the printing and copyright notices."""


class DocumentKind:
    """A kind of document: its cover, page text, title and generated blocks (one subclass each)."""

    schema: ClassVar[KindSchema]
    """Its name and the ``document.yaml`` keys it takes (:mod:`wcodoc.load.kinds`)."""
    cover_fields: ClassVar[Mapping[ParagraphStyle, str]]
    """Cover paragraph style → the ``document.yaml`` key its text comes from; the diff reads a
    draft's cover back with it (``cover (title): modified``)."""
    issued_after_meeting: ClassVar[bool] = False
    """Whether documents of this kind are issued after their meeting (a report) rather than
    before it: ``revise`` warns about an issue date on the other side of the meeting's end."""
    generated_fields: ClassVar[Mapping[str, str]] = {}
    """Cover fields (keys of :attr:`cover_fields`) this kind writes from other values rather than
    copies from their own key → the keys they are written from (a report's title: the committee
    of ``reference`` and ``sessions``); a review cannot apply a change to them."""

    @property
    def name(self) -> str:
        return self.schema.name

    def cover(
        self,
        meta: DocumentMeta,
        style: HouseStyle,
        cache: AstCache | None = None,
        checks: tuple[Path, Problems] | None = None,
    ) -> list[Node]:
        """The cover, placed before the body. ``cache``: for Markdown the cover parses;
        ``checks``: the project folder and the problems list, to check that Markdown as
        chapters are checked (a build always passes them)."""
        raise NotImplementedError

    def page_text(self, meta: DocumentMeta, style: HouseStyle) -> PageText:
        """The text of the headers and footers: the house's, unless a kind says otherwise."""
        terms = style.terms(meta.locale)
        return PageText(
            header=terms["header"].format(symbol=meta.symbol.short),
            footer_notice=tuple(n.format(year=meta.issued.year) for n in terms["footer_notice"]),
        )

    def title(self, meta: DocumentMeta, style: HouseStyle) -> str:
        """The title the document's properties carry."""
        return meta.title

    def generated_blocks(self, body: NumberedBody, meta: DocumentMeta, style: HouseStyle) -> list[Node]:
        """Blocks made from the numbered body, placed before it (after the cover); none by default.

        They are made after numbering, so they may print its numbers (a report's paragraph
        ranges); they go through the transforms that follow it (references, table cells,
        typography) with the body, and are written in the body's first part.
        """
        return []

    def body_blocks(self, body: NumberedBody, meta: DocumentMeta, style: HouseStyle) -> list[Node]:
        """The body as the document prints it: the :meth:`generated_blocks`, then the numbered
        body, which a kind may mark (a report letters its sub-items' headings and labels the
        paragraphs its table's ranges refer to)."""
        return [*self.generated_blocks(body, meta, style), *body.blocks]

    def generated_tables(self, meta: DocumentMeta, style: HouseStyle) -> Mapping[tuple[str, ...], str]:
        """The header rows of the tables among :meth:`generated_blocks` → what they are made
        from, for a review to refuse a change to one with that reason; none by default."""
        return {}
