"""The working document: the seed's layout, and the default kind.

Its cover: the bilingual letterhead; committee, meeting, sessions and dates beside the symbol and
the date of issue; the title in capitals, the subtitle and the agenda item; the SUMMARY (purpose
and action required, Markdown from ``document.yaml``); a separator. Its headers and footers are
the house's (:class:`~wcodoc.kinds.base.DocumentKind`).
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import ClassVar

from wcodoc.errors import Problems
from wcodoc.kinds.base import HOUSE_COVER_FIELDS, DocumentKind
from wcodoc.load.housestyle import HouseStyle
from wcodoc.load.kinds import WORKING_DOCUMENT
from wcodoc.load.metadata import DocumentMeta
from wcodoc.parse.reader import AstCache
from wcodoc.styles import (
    COVER_AGENDA_ITEM,
    COVER_SEPARATOR,
    COVER_SUBTITLE,
    SUMMARY_HEADING,
    SUMMARY_LABEL,
    ParagraphStyle,
)
from wcodoc.transform.cover import (
    heading_table,
    letterhead_blocks,
    separator_block,
    summary_blocks,
    title_blocks,
)
from wcodoc.transform.covertext import cover_text
from wcodoc.transform.pandocast import Node


class WorkingDocument(DocumentKind):
    """A committee's working document (``kind: working-document``)."""

    schema = WORKING_DOCUMENT
    cover_fields: ClassVar[Mapping[ParagraphStyle, str]] = {
        **HOUSE_COVER_FIELDS,
        COVER_SUBTITLE: "subtitle",
        COVER_AGENDA_ITEM: "agenda_item",
        COVER_SEPARATOR: "separator",
        # The SUMMARY's text and bullets: summary.purpose or summary.action by the label before them.
        SUMMARY_HEADING: "summary",
        SUMMARY_LABEL: "summary",
    }

    def cover(
        self,
        meta: DocumentMeta,
        style: HouseStyle,
        cache: AstCache | None = None,
        checks: tuple[Path, Problems] | None = None,
    ) -> list[Node]:
        text = cover_text(meta, style)
        return [
            *letterhead_blocks(text),
            heading_table(text),
            *title_blocks(text),
            *summary_blocks(text, meta, cache, checks),
            separator_block(text),
        ]
