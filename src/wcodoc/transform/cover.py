"""The pieces of a cover page, and the end mark, as pandoc AST blocks placed around the body.

A document kind (:mod:`wcodoc.kinds`) composes its cover from these pieces. Every cover
paragraph carries its own named style (``Cover Symbol``, ``Summary Text`` …): the styles give
the look, and the diff reads the cover's fields back by style name.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from wcodoc.errors import Problem, Problems
from wcodoc.load.housestyle import HouseStyle
from wcodoc.load.metadata import DocumentMeta
from wcodoc.parse.reader import AstCache, Source, parse_texts
from wcodoc.styles import (
    COVER_AGENDA_ITEM,
    COVER_COMMITTEE,
    COVER_DATES,
    COVER_ISSUED,
    COVER_LETTERHEAD,
    COVER_MEETING,
    COVER_SEPARATOR,
    COVER_SESSIONS,
    COVER_SUBTITLE,
    COVER_SYMBOL,
    COVER_TITLE,
    END_MARK,
    SUMMARY_BULLET,
    SUMMARY_HEADING,
    SUMMARY_LABEL,
    SUMMARY_TEXT,
    ParagraphStyle,
)
from wcodoc.transform import pandocast
from wcodoc.transform.covertext import CoverText, Run
from wcodoc.transform.numbering import check_sources
from wcodoc.transform.pandocast import Node

LEFT_COLUMN = 0.55
"""Share of the text width taken by the committee column of the two-column block."""


def _lines(lines: Iterable[str], *, literal: bool = False) -> list[Node]:
    """Inlines of several lines in one paragraph, separated by line breaks.

    ``literal`` keeps runs of spaces (the spread asterisks of the end mark) as they are.
    """
    out: list[Node] = []
    for i, line in enumerate(lines):
        if i:
            out.append({"t": "LineBreak"})
        out.extend([{"t": "Str", "c": line}] if literal else pandocast.text(line))
    return out


def _runs(runs: Iterable[Run]) -> list[Node]:
    """Inlines of ``runs``, the raised ones as ``Superscript``."""
    out: list[Node] = []
    for run in runs:
        inlines = pandocast.text(run.text)
        out.extend([pandocast.superscript(inlines)] if run.superscript else inlines)
    return out


def _para(style: ParagraphStyle, inlines: list[Node]) -> Node:
    return pandocast.styled([pandocast.para(inlines)], style.name)


def letterhead_blocks(text: CoverText) -> list[Node]:
    """The bilingual letterhead: names of the organization in bold, the history in italics."""

    def look(line: str) -> Node:
        return (
            pandocast.strong(pandocast.text(line)) if line.isupper() else pandocast.emph(pandocast.text(line))
        )

    return [_para(COVER_LETTERHEAD, [look(line)]) for line in text.letterhead]


def heading_table(text: CoverText) -> Node:
    """Committee, meeting, sessions and dates on the left; symbol and date of issue on the right."""
    left = [_para(COVER_COMMITTEE, _lines(text.committee_lines))]
    if text.meeting:
        left.append(_para(COVER_MEETING, pandocast.text(text.meeting)))
    if text.sessions:
        left.append(_para(COVER_SESSIONS, _runs(text.sessions)))
    if text.dates:
        left.append(_para(COVER_DATES, pandocast.text(text.dates)))
    right = [
        _para(COVER_SYMBOL, pandocast.text(text.symbol)),
        _para(COVER_ISSUED, pandocast.text(text.issued)),
    ]
    # Borderless, without a header row: pandoc writes a table plainly.
    return pandocast.table([[left, right]], (LEFT_COLUMN, 1 - LEFT_COLUMN))


def title_blocks(text: CoverText) -> list[Node]:
    blocks = [_para(COVER_TITLE, pandocast.text(text.title))]
    if text.subtitle:
        blocks.append(_para(COVER_SUBTITLE, pandocast.text(text.subtitle)))
    if text.agenda_item:
        blocks.append(_para(COVER_AGENDA_ITEM, pandocast.text(text.agenda_item)))
    return blocks


def _restyle(blocks: list[Node]) -> list[Node]:
    """Summary Markdown in the summary styles: paragraphs as text, list items as bullets."""
    out: list[Node] = []
    for block, depth in pandocast.flatten(blocks, lists=("BulletList", "OrderedList")):
        if block["t"] in ("Para", "Plain"):
            out.append(_para(SUMMARY_BULLET if depth else SUMMARY_TEXT, block["c"]))
        else:
            out.append(block)
    return out


def summary_part(label: str, blocks: list[Node]) -> list[Node]:
    """One labelled part of the SUMMARY block, its Markdown already parsed by pandoc."""
    return [
        _para(SUMMARY_LABEL, pandocast.text(label)),
        *_restyle(blocks),
    ]


def summary_blocks(
    text: CoverText,
    meta: DocumentMeta,
    cache: AstCache | None = None,
    checks: tuple[Path, Problems] | None = None,
) -> list[Node]:
    """``SUMMARY``, the purpose of the document and the action required; nothing when empty.

    With ``checks`` (the project folder and where to report), the Markdown goes through the
    chapters' own checks (:func:`check_sources`): no raw OpenXML, images only from inside the
    project, never from the web. Problems are reported at their line of ``document.yaml``.
    """
    parts = [
        ("purpose", text.purpose_label, meta.summary.purpose),
        ("action", text.action_label, meta.summary.action),
    ]
    parts = [part for part in parts if part[2].strip()]
    if not parts:
        return []
    source = meta.lines.get("summary", (Path("document.yaml"), None))[0]
    # Both parts in one (cached) pandoc call: the cover is rebuilt on every build.
    parsed = parse_texts([(source, markdown) for *_, markdown in parts], cache or AstCache(None))
    if checks is not None:
        keys = [f"summary.{key}" for key, *_ in parts]
        parsed = [_checked(part, key, meta, *checks) for key, part in zip(keys, parsed, strict=True)]
    blocks = [_para(SUMMARY_HEADING, pandocast.text(text.summary_heading))]
    for (_, label, _), part in zip(parts, parsed, strict=True):
        blocks += summary_part(label, part.blocks)
    return blocks


def _checked(source: Source, key: str, meta: DocumentMeta, root: Path, problems: Problems) -> Source:
    found = Problems()
    (checked,) = check_sources([source], root, found)
    path, line = meta.lines.get(key, meta.lines.get("summary", (source.path, None)))
    text_line = meta.lines.get(f"{key}.text", (path, None))[1]
    for problem in found:
        here = text_line + problem.line - 1 if text_line and problem.line else line
        relocated = Problem(f"{key}: {problem.message}", path, here, problem.code, problem.severity)
        problems.append(relocated)
    return checked


def separator_block(text: CoverText) -> Node:
    """The line that closes the cover."""
    return _para(COVER_SEPARATOR, _lines(text.separator, literal=True))


def end_mark_blocks(style: HouseStyle, locale: str) -> list[Node]:
    """The centred asterisks after the last chapter."""
    return [_para(END_MARK, _lines(style.terms(locale)["end_mark"], literal=True))]
