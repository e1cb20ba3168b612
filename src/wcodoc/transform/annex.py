"""The annexes as pandoc AST blocks: the annex of use cases (and the ``uc:`` labels it
defines), and annexes written as Markdown (``annexes/*.md``).

Layout (styles from ``docs/dev/architecture.md``): ``Annex Heading`` (its style starts a new
page), ``Annex Title``, an overview table whose header row repeats on every page, then per use
case a ``Use Case Heading`` ``Use case N: title`` with N in the label mark of ``@uc:id``, a
``Use Case Meta`` line, and the Markdown sections in ``Heading 3`` and ``Annex Text`` (never
numbered with the body's numbers).

A Markdown annex takes its first ``#`` heading as its title and is laid out like the text of a
use case. With more than one annex, each heading carries its numeral: ``Annex I to Doc. …``
(:func:`number_annexes`); the annex of use cases comes last.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from wcodoc.errors import Problems
from wcodoc.load.housestyle import HouseStyle
from wcodoc.load.project import Project
from wcodoc.numerals import roman
from wcodoc.parse.reader import AstCache, ContentCache, Source, parse_sources, parse_texts
from wcodoc.styles import ANNEX_HEADING, ANNEX_TEXT, ANNEX_TITLE, BULLET, USE_CASE_HEADING, USE_CASE_META
from wcodoc.transform import nodes, pandocast
from wcodoc.transform.numbering import check_sources
from wcodoc.transform.pandocast import Node
from wcodoc.transform.targets import Label, anchor
from wcodoc.transform.usecases import UseCase, check_selection, load_use_cases, order, select

SECTION_LEVEL = 3
"""Use-case sections (``##`` in the source) are written as ``Heading 3``."""
OVERVIEW_COLUMNS = 6
"""No., title, Member, region, technologies, status; their widths are measured from the
content (:mod:`wcodoc.transform.columns`), so the number column stays narrow and no word of a
vocabulary (Automatisation, Mégadonnées, Extrême-Orient) is broken."""


@dataclass
class Annex:
    """The annex blocks, the labels ``uc:<id>`` → number, and what went into it."""

    blocks: list[Node] = field(default_factory=list)
    labels: dict[str, Label] = field(default_factory=dict)
    use_cases: list[UseCase] = field(default_factory=list)
    """The use cases in the annex, in annex order (number = index + 1)."""
    sources: list[Source] = field(default_factory=list)
    """The parsed use-case files, so references inside them can be located for messages."""


@dataclass(frozen=True)
class AnnexText:
    """The terms of the annex in the document's language, and its vocabulary names."""

    terms: dict[str, Any]
    style: HouseStyle
    locale: str

    def term(self, key: str, **values: Any) -> str:
        """Term ``key`` with its ``{placeholders}`` filled from ``values``."""
        # Loading checked the house style: every term is there, with known placeholders only.
        return str(self.terms[key]).format(**values)

    def name(self, vocabulary: str, key: str) -> str:
        return self.style.display_name(vocabulary, key, self.locale)

    def technologies(self, case: UseCase) -> str:
        return ", ".join(self.name("technologies", t) for t in case.technologies)


def build_annex(
    project: Project,
    problems: Problems,
    *,
    cache: AstCache | None = None,
    case_cache: ContentCache | None = None,
) -> Annex:
    """Read, check, select and order the project's use cases and render the annex.

    Problems (of every file) are appended to ``problems``; the annex is empty when it is
    disabled (``annex: false``) or no use case is selected. ``cache`` holds the bodies'
    ASTs, ``case_cache`` the validated front matter.
    """
    settings = project.meta.annex
    if not settings.enabled or not project.use_cases:
        return Annex()
    pool = load_use_cases(project.use_cases, project.style, problems, cache=case_cache)
    where = project.meta.lines.get("annex", (project.metadata_path, None))
    check_selection(settings, pool, project.style, where, problems)
    chosen = order(select(pool, settings), settings.order, project.style)
    if not chosen:
        if settings.include:
            problems.warning("annex: the include filters select no use case", *where, code="annex")
        return Annex()
    sources = parse_use_cases(chosen, cache or AstCache(None))
    text = AnnexText(project.style.terms(project.meta.locale), project.style, project.meta.locale)
    annex = Annex(use_cases=chosen, sources=sources)
    annex.blocks = front_blocks(text, str(project.meta.symbol), settings.title)
    annex.blocks.append(overview_table(chosen, text))
    for number, (case, source) in enumerate(zip(chosen, sources, strict=True), start=1):
        annex.labels[case.label] = Label(case.label, str(number), case.path, case.line)
        annex.blocks.extend(use_case_blocks(case, number, source, text, project.root, problems))
    return annex


def parse_use_cases(cases: Sequence[UseCase], cache: AstCache, jobs: int | None = None) -> list[Source]:
    """Parse each body with pandoc (in parallel, cached by content) into a :class:`Source`.

    The body is padded with blank lines to its place in the file, so the source's text and
    the file agree line for line.
    """

    # The body is padded so that the source's lines are the file's lines.
    items = [(case.path, "\n" * (case.body_line - 1) + case.body) for case in cases]
    return parse_texts(items, cache, jobs)


def markdown_annexes(project: Project, problems: Problems, *, cache: AstCache | None = None) -> list[Annex]:
    """The annexes written as Markdown (``annexes/*.md``), in file-name order."""
    if not project.annex_files:
        return []
    text = AnnexText(project.style.terms(project.meta.locale), project.style, project.meta.locale)
    sources = check_sources(
        parse_sources(list(project.annex_files), cache or AstCache(None)), project.root, problems
    )
    return [markdown_annex(source, text, str(project.meta.symbol)) for source in sources]


def markdown_annex(source: Source, text: AnnexText, symbol: str) -> Annex:
    """One Markdown annex: its first ``#`` heading is the title, the rest as use-case text."""
    blocks = list(source.blocks)
    title = next((b for b in blocks if b["t"] == "Header" and b["c"][0] == 1), None)
    heading = pandocast.styled(
        [pandocast.para(pandocast.text(text.term("annex_heading", symbol=symbol)))], ANNEX_HEADING.name
    )
    front = [heading]
    if title is not None:
        blocks.remove(title)
        identifier, inlines = title["c"][1][0], title["c"][2]
        front.append(
            pandocast.styled([pandocast.para(nodes.led_by_target(identifier, inlines))], ANNEX_TITLE.name)
        )
    return Annex(blocks=[*front, *annex_blocks(blocks)], sources=[source])


def number_annexes(annexes: Sequence[Annex], terms: dict[str, Any], symbol: str) -> list[list[Node]]:
    """The blocks of each annex that has any, in order; with several, each heading gets its
    numeral (I, II …)."""
    present = [annex for annex in annexes if annex.blocks]
    out: list[list[Node]] = []
    for n, annex in enumerate(present, start=1):
        blocks = list(annex.blocks)
        if len(present) > 1:
            heading = str(terms["annex_heading_numbered"]).format(number=roman(n), symbol=symbol)
            blocks[0] = pandocast.styled([pandocast.para(pandocast.text(heading))], ANNEX_HEADING.name)
        out.append(blocks)
    return out


def front_blocks(text: AnnexText, symbol: str, title: str | None) -> list[Node]:
    """``Annex to Doc. <symbol>`` and the annex title."""
    return [
        pandocast.styled(
            [pandocast.para(pandocast.text(text.term("annex_heading", symbol=symbol)))], ANNEX_HEADING.name
        ),
        pandocast.styled(
            [pandocast.para(pandocast.text(title or text.term("annex_title")))], ANNEX_TITLE.name
        ),
    ]


def overview_table(cases: Sequence[UseCase], text: AnnexText) -> Node:
    """No., title, Member, region, technologies and status of every use case."""
    header = text.terms["use_case_table"]  # OVERVIEW_COLUMNS titles: checked on loading
    rows = [
        (
            str(n),
            c.title,
            c.member,
            text.name("regions", c.region),
            text.technologies(c),
            text.name("statuses", c.status),
        )
        for n, c in enumerate(cases, start=1)
    ]
    # The header row repeats on every page the table spans.
    return pandocast.table(
        [[_cell(value) for value in row] for row in rows],
        OVERVIEW_COLUMNS,
        header=[_cell(str(h)) for h in header],
        align="AlignLeft",
    )


def _cell(value: str) -> list[Node]:
    return [pandocast.plain(pandocast.text(value))]


def heading_inlines(template: str, number: int, label: str, title: str) -> list[Node]:
    """``Use case N: title`` with N in the label mark of ``label``."""
    before, marker, after = template.partition("{number}")
    number_node = nodes.label_mark(label, [{"t": "Str", "c": str(number)}])
    if not marker:  # a template without the number still gets the label mark, at the start
        return [number_node, *pandocast.text(" " + template.replace("{title}", title))]
    return [
        *pandocast.text(before.replace("{title}", title)),
        number_node,
        *pandocast.text(after.replace("{title}", title)),
    ]


def use_case_blocks(
    case: UseCase, number: int, source: Source, text: AnnexText, root: Path, problems: Problems
) -> list[Node]:
    """Heading, metadata line, sections, then contact and sources when given."""
    template = text.terms["use_case_heading"]
    meta = text.term(
        "use_case_meta",
        member=case.member,
        region=text.name("regions", case.region),
        technologies=text.technologies(case),
        status=text.name("statuses", case.status),
        year=case.year,
    )
    heading = pandocast.styled(
        [pandocast.para(heading_inlines(str(template), number, case.label, case.title))],
        USE_CASE_HEADING.name,
    )
    blocks = [
        nodes.numbered(heading, str(number), anchor("uc", str(number))),
        pandocast.styled([pandocast.para(pandocast.text(meta))], USE_CASE_META.name),
    ]
    # Same rules as chapters: raw OpenXML refused, images inside the project, made absolute.
    (checked,) = check_sources([source], root, problems)
    blocks.extend(annex_blocks(checked.blocks))
    if case.contact:
        blocks.append(_annex_para(text.term("use_case_contact", contact=case.contact)))
    if case.sources:
        blocks.append(_annex_para(text.term("use_case_sources", sources="; ".join(case.sources))))
    return blocks


def _annex_para(value: str) -> Node:
    return pandocast.styled([pandocast.para(pandocast.text(value))], ANNEX_TEXT.name)


def annex_blocks(blocks: Sequence[Node]) -> list[Node]:
    """Style a use case's Markdown for the annex: sections as Heading 3, text as Annex Text.

    Bullet items at every depth are Bullet: the annex has no nested bullets. A table is
    followed by a little space, as in the body.
    """
    out: list[Node] = []
    for block, depth in pandocast.flatten(blocks, lists=("BulletList",)):
        kind = block["t"]
        if kind == "Header":
            level, (identifier, classes, attrs), inlines = block["c"]
            level = SECTION_LEVEL if level <= 2 else SECTION_LEVEL + 1
            out.append(
                {"t": "Header", "c": [level, ["", classes, attrs], nodes.led_by_target(identifier, inlines)]}
            )
        elif kind in ("Para", "Plain"):
            style = BULLET if depth else ANNEX_TEXT
            out.append(pandocast.styled([pandocast.para(block["c"])], style.name))
        elif kind == "Table":
            out.append(nodes.space_after(block))
        else:
            out.append(block)
    return out
