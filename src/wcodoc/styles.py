"""The names of the house style's paragraph styles, in one place.

A style name is a contract between several stages: the transform asks for a style by name
(pandoc's ``custom-style``), the template (:mod:`wcodoc.render.docx.template`) defines it under that
name with its formatting and list, the finish step writes headers and footers in it, and the
diff recognises the parts of a draft (cover fields, annex) by it. This module holds the names
only; the table in ``docs/dev/architecture.md`` says what each style is for. Word compares
style names without regard to case (``heading 1`` is ``Heading 1``), and so does every reader
of names in wcodoc. wcodoc defines no character style of its own.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass


def style_id(name: str) -> str:
    """The ``w:styleId`` the template gives a style named ``name`` (``Sub-item`` → ``SubItem``)."""
    return "".join(ch for ch in name.title() if ch.isalnum())


@dataclass(frozen=True)
class ParagraphStyle:
    """A paragraph style of the house style."""

    name: str
    """What pandoc's ``custom-style`` names and Word shows, e.g. ``Numbered Paragraph``."""
    numbered: bool = False
    """Word numbers (or bullets) its paragraphs through a list attached to the style."""

    @property
    def style_id(self) -> str:
        """Its ``w:styleId`` in the template (pandoc and Word find a style by name)."""
        return style_id(self.name)

    def id_in(self, ids: Mapping[str, str]) -> str:
        """Its ``w:styleId`` in a document whose styles ``ids`` maps by name, else its own."""
        return ids.get(self.name) or self.style_id


NORMAL = ParagraphStyle("Normal")
"""Word's default paragraph style, which the house styles are based on."""

# The body.
BODY_TEXT = ParagraphStyle("Body Text")
FIRST_PARAGRAPH = ParagraphStyle("First Paragraph")
HEADING_1 = ParagraphStyle("Heading 1", numbered=True)
HEADING_2 = ParagraphStyle("Heading 2")
HEADING_3 = ParagraphStyle("Heading 3")
NUMBERED_PARAGRAPH = ParagraphStyle("Numbered Paragraph", numbered=True)
SUB_ITEM = ParagraphStyle("Sub-item", numbered=True)
BULLET = ParagraphStyle("Bullet", numbered=True)
BULLET_2 = ParagraphStyle("Bullet 2", numbered=True)
END_MARK = ParagraphStyle("End Mark")

# Tables and figures (the caption and figure names are pandoc's: its writer assigns them).
TABLE_TEXT = ParagraphStyle("Table Text")
TABLE_CAPTION = ParagraphStyle("Table Caption")
CAPTIONED_FIGURE = ParagraphStyle("Captioned Figure")
FIGURE = ParagraphStyle("Figure")
IMAGE_CAPTION = ParagraphStyle("Image Caption")

# The annex of use cases.
ANNEX_HEADING = ParagraphStyle("Annex Heading")
ANNEX_TITLE = ParagraphStyle("Annex Title")
USE_CASE_HEADING = ParagraphStyle("Use Case Heading")
USE_CASE_META = ParagraphStyle("Use Case Meta")
ANNEX_TEXT = ParagraphStyle("Annex Text")

# The cover page.
COVER_LETTERHEAD = ParagraphStyle("Cover Letterhead")
COVER_COMMITTEE = ParagraphStyle("Cover Committee")
COVER_MEETING = ParagraphStyle("Cover Meeting")
COVER_SESSIONS = ParagraphStyle("Cover Sessions")
COVER_DATES = ParagraphStyle("Cover Dates")
COVER_SYMBOL = ParagraphStyle("Cover Symbol")
COVER_ISSUED = ParagraphStyle("Cover Issued")
COVER_TITLE = ParagraphStyle("Cover Title")
COVER_SUBTITLE = ParagraphStyle("Cover Subtitle")
COVER_AGENDA_ITEM = ParagraphStyle("Cover Agenda Item")
SUMMARY_HEADING = ParagraphStyle("Summary Heading")
SUMMARY_LABEL = ParagraphStyle("Summary Label")
SUMMARY_TEXT = ParagraphStyle("Summary Text")
SUMMARY_BULLET = ParagraphStyle("Summary Bullet", numbered=True)
COVER_SEPARATOR = ParagraphStyle("Cover Separator")

# Headers and footers.
FOOTER_NOTICE = ParagraphStyle("Footer Notice")
HEADER = ParagraphStyle("Header")
FOOTER = ParagraphStyle("Footer")
