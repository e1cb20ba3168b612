"""The session report (``kind: report``): what the Secretariat issues on a committee's sessions.

Its cover is the working document's letterhead and two-column block; its title is made from
the committee and the sessions (``REPORT TO THE CUSTOMS CO-OPERATION COUNCIL ON THE
235TH/236TH SESSIONS OF THE PERMANENT TECHNICAL COMMITTEE``), with the meeting dates in
brackets on the line under it; no agenda-item line, no SUMMARY. Each ``#`` section of the body
is an agenda item (Word numbers it ``I.``, ``II.`` as any section), each ``##`` heading a
sub-item whose heading starts with its letter (``a.``).

Before paragraph 1 comes the table of agenda items: an item's number, its heading and the
paragraphs under it (``1 - 20``). Each end of a range is a cross-reference to a paragraph that
the report marks with a label of its own (``par:agenda-2-last``: the last paragraph of the
second item), so a range follows renumbering as any cross-reference does: in Word, LibreOffice
and the HTML edition, and the diff compares it by its target rather than its number.
"""

from __future__ import annotations

import string
from collections.abc import Mapping
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, ClassVar

from wcodoc.errors import Problems, WcodocError
from wcodoc.kinds.base import HOUSE_COVER_FIELDS, DocumentKind
from wcodoc.load.housestyle import HouseStyle
from wcodoc.load.kinds import REPORT
from wcodoc.load.metadata import DOCUMENT_YAML, DocumentMeta
from wcodoc.numerals import letter
from wcodoc.parse.reader import AstCache
from wcodoc.styles import COVER_SUBTITLE, ParagraphStyle
from wcodoc.transform import nodes, pandocast
from wcodoc.transform.cover import heading_table, letterhead_blocks, title_blocks
from wcodoc.transform.covertext import cover_text, find_committee, format_range, session_runs
from wcodoc.transform.numbering import NumberedBody
from wcodoc.transform.pandocast import Node
from wcodoc.transform.targets import Label

LABEL_STEM = "par:agenda-"
"""How the labels a report puts on the ends of its ranges start: ``par:agenda-2b-first``."""


@dataclass
class _Row:
    """One row of the table of agenda items: an item or a sub-item, and its paragraphs."""

    number: str
    """As printed: ``II.``, ``a.``."""
    title: list[Node]
    key: str
    """What its labels are made from: ``2`` (the second item), ``2b`` (its second sub-item)."""
    first: int | None = None
    """Where its first numbered paragraph is among the body's blocks, if it has one."""
    last: int | None = None


@dataclass(frozen=True)
class _Agenda:
    """The body of a report read as agenda items: the table's rows and the body as printed."""

    rows: list[_Row]
    blocks: list[Node]
    """The body with each sub-item's letter before its heading and each range's ends marked."""


class Report(DocumentKind):
    """A committee's report on its sessions (``kind: report``)."""

    schema = REPORT
    cover_fields: ClassVar[Mapping[ParagraphStyle, str]] = {
        **HOUSE_COVER_FIELDS,
        # The dates under the title stand where a working document prints its subtitle.
        COVER_SUBTITLE: "subtitle",
    }
    issued_after_meeting = True
    generated_fields: ClassVar[Mapping[str, str]] = {
        "title": "the committee of reference and sessions",
        "subtitle": "dates",
    }

    def cover(
        self,
        meta: DocumentMeta,
        style: HouseStyle,
        cache: AstCache | None = None,
        checks: tuple[Path, Problems] | None = None,
    ) -> list[Node]:
        text = cover_text(meta, style)
        title = self.title(meta, style).upper()
        text = replace(text, title=title, subtitle=dates_line(meta, style), agenda_item=None)
        return [*letterhead_blocks(text), heading_table(text), *title_blocks(text)]

    def title(self, meta: DocumentMeta, style: HouseStyle) -> str:
        """``Report to the Customs Co-operation Council on the 235th/236th Sessions of the …``."""
        terms = style.terms(meta.locale)
        sessions = "".join(run.text for run in session_runs(meta.sessions, terms))
        pattern = terms["report_title_two" if len(meta.sessions) == 2 else "report_title_one"]
        return str(pattern).format(sessions=sessions, committee=find_committee(meta, style).name)

    def generated_blocks(self, body: NumberedBody, meta: DocumentMeta, style: HouseStyle) -> list[Node]:
        terms = style.terms(meta.locale)
        agenda = _read_agenda(body, terms)
        return [_items_table(agenda.rows, agenda.blocks, terms)]

    def body_blocks(self, body: NumberedBody, meta: DocumentMeta, style: HouseStyle) -> list[Node]:
        terms = style.terms(meta.locale)
        agenda = _read_agenda(body, terms)
        return [_items_table(agenda.rows, agenda.blocks, terms), *agenda.blocks]

    def generated_tables(self, meta: DocumentMeta, style: HouseStyle) -> Mapping[tuple[str, ...], str]:
        columns = tuple(str(title) for title in style.terms(meta.locale)["report_items"])
        return {
            columns: "the table of agenda items is made by the build from the '#' and '##' headings "
            "and the paragraph numbers; change those in the chapters"
        }


def dates_line(meta: DocumentMeta, style: HouseStyle) -> str | None:
    """The meeting dates in brackets under the title: ``(4 - 8 November 2013)``."""
    if meta.dates is None:
        return None
    terms = style.terms(meta.locale)
    spaced = {**terms, "range_separator_same_month": terms["report_range_separator_same_month"]}
    return str(terms["report_dates"]).format(dates=format_range(meta.dates, meta.locale, spaced))


def _read_agenda(body: NumberedBody, terms: Mapping[str, Any]) -> _Agenda:
    """The items and sub-items of ``body`` with the paragraphs under each, and the body with
    the sub-items' letters and the ranges' marks."""
    blocks = list(body.blocks)
    rows: list[_Row] = []
    current: list[_Row] = []  # the item whose paragraphs come now, and its sub-item if any
    subs = 0
    for index, block in enumerate(body.blocks):
        level = block["c"][0] if block["t"] == "Header" else None
        if level == 1:
            number = nodes.attribute(nodes.attr_of(block), nodes.NUMBER) or ""
            printed = str(terms["report_item"]).format(number=number)
            current, subs = [_Row(printed, block["c"][2], str(len(rows) + 1))], 0
            rows.append(current[0])
        elif level == 2 and current:
            subs += 1
            printed = str(terms["report_sub_item"]).format(letter=letter(subs))
            current = [current[0], _Row(printed, block["c"][2], f"{current[0].key}{letter(subs)}")]
            rows.append(current[1])
            blocks[index] = _lettered(block, printed)
        elif _is_paragraph(block):
            for row in current:
                row.first = index if row.first is None else row.first
                row.last = index
    _refuse_taken_labels(rows, body)
    for index, keys in _marks(rows).items():
        blocks[index] = _marked(blocks[index], keys)
    return _Agenda(rows, blocks)


def _is_paragraph(block: Node) -> bool:
    """Whether ``block`` is a numbered paragraph (not a sub-item, ``9.b``, nor a heading)."""
    if block["t"] != "Div":
        return False
    number = nodes.attribute(nodes.attr_of(block), nodes.NUMBER)
    return number is not None and "." not in number


def _lettered(header: Node, printed: str) -> Node:
    """A sub-item's heading with its letter (``a.``) before its words."""
    level, attr, inlines = header["c"]
    return {"t": "Header", "c": [level, attr, [*pandocast.text(printed), {"t": "Space"}, *inlines]]}


def _label(row: _Row, end: str) -> str:
    return f"{LABEL_STEM}{row.key}-{end}"


def _marks(rows: list[_Row]) -> dict[int, list[str]]:
    """The labels each paragraph gets: the ends of the ranges it begins or ends."""
    marks: dict[int, list[str]] = {}
    for row in rows:
        if row.first is not None and row.last is not None:
            marks.setdefault(row.first, []).append(_label(row, "first"))
            marks.setdefault(row.last, []).append(_label(row, "last"))
    return marks


def _marked(paragraph: Node, keys: list[str]) -> Node:
    """A numbered paragraph (a styled Div holding a Para) with label marks for ``keys`` first."""
    attr, (para, *rest) = paragraph["c"]
    marks = [nodes.label_mark(key) for key in keys]
    return {"t": "Div", "c": [attr, [{"t": para["t"], "c": [*marks, *para["c"]]}, *rest]]}


def _refuse_taken_labels(rows: list[_Row], body: NumberedBody) -> None:
    """An author's label spelled as one the report makes would give two bookmarks one name."""
    for row in rows:
        for end in ("first", "last"):
            taken = body.labels.get(_label(row, end))
            if taken is not None:
                raise WcodocError(
                    f"label {taken.key!r}: a report labels the ends of its agenda items' ranges "
                    f"so ({LABEL_STEM}…); choose another name",
                    *taken.where(),
                    code="label",
                )


def _items_table(rows: list[_Row], blocks: list[Node], terms: Mapping[str, Any]) -> Node:
    """``Item No. | Agenda Item | Paragraph``: one row per item and sub-item."""
    cells = [
        [_cell(pandocast.text(row.number)), _cell(_copied(row.title)), _cell(_range(row, blocks, terms))]
        for row in rows
    ]
    header = [_cell(pandocast.text(str(title))) for title in terms["report_items"]]
    return nodes.space_after(pandocast.table(cells, len(header), header=header, align="AlignLeft"))


def _cell(inlines: list[Node]) -> list[Node]:
    return [pandocast.plain(inlines)] if inlines else []


def _range(row: _Row, blocks: list[Node], terms: Mapping[str, Any]) -> list[Node]:
    """``1 - 20``, each number a cross-reference to the paragraph; one number for one paragraph."""
    if row.first is None or row.last is None:
        return []
    first, last = _reference(row, "first", blocks[row.first]), _reference(row, "last", blocks[row.last])
    if row.first == row.last:
        return [first]
    out: list[Node] = []
    for literal, name, _spec, _conversion in string.Formatter().parse(str(terms["report_range"])):
        out.extend(pandocast.text(literal))
        if name is not None:
            out.append(first if name == "first" else last)
    return out


def _reference(row: _Row, end: str, paragraph: Node) -> Node:
    number = nodes.attribute(nodes.attr_of(paragraph), nodes.NUMBER) or ""
    return nodes.xref(Label(_label(row, end), number, Path(DOCUMENT_YAML)))


def _copied(inlines: list[Node]) -> list[Node]:
    """A heading's words for the table: without its footnotes, and without the identifiers
    that would give a second bookmark of one name."""

    def plain(node: Node) -> Node | list[Node] | None:
        if node["t"] == "Note":
            return []
        identifier, classes, attributes = node["c"][0]
        if nodes.LABEL in classes:
            return []
        return {"t": "Span", "c": [["", classes, attributes], node["c"][1]]} if identifier else None

    return pandocast.rewritten(inlines, plain, only=("Note", "Span"))
