"""The project as it is now: its build read back, and where each of its blocks comes from.

A change of a copy names a block of what was sent; that block is found in a build of the
sources as they are now by the diff's alignment (:func:`wcodoc.diff.align.align`, by content:
renumbering and moves are no change), and each block of that build in the Markdown block
pandoc read it from (same text, same order), in a use case's front matter (what the annex
prints from it), or in ``document.yaml`` (the cover, the SUMMARY's Markdown).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from difflib import SequenceMatcher
from pathlib import Path

from wcodoc.diff.align import Pair, align
from wcodoc.diff.extract import Block, Draft, comparable_text, mark_deleted, normalize, read_draft
from wcodoc.errors import Problems
from wcodoc.fsutil import read_text
from wcodoc.load.project import Project
from wcodoc.load.yamledit import scalar_line
from wcodoc.load.yamlio import parse_yaml
from wcodoc.ooxml import qn
from wcodoc.parse.reader import AstCache
from wcodoc.review.apply.locate import SourceBlock, SourceFile, key, read_source, read_sources
from wcodoc.review.apply.usecase import PARTS, read_template
from wcodoc.review.collect import Base
from wcodoc.styles import ANNEX_TITLE, USE_CASE_HEADING, USE_CASE_META
from wcodoc.transform.usecases import UseCase, load_use_cases, order, select

SUMMARY_FIELDS = ("purpose", "action")
W_P, W_TR, W_TC = qn("w:p"), qn("w:tr"), qn("w:tc")


def cells(block: Block) -> list[list[str]]:
    """A table block's cells as compared (cross-references as their targets), row by row."""
    rows = []
    for tr in block.element.iter(W_TR):
        if tr.find(f"{qn('w:trPr')}/{qn('w:del')}") is not None:
            continue
        rows.append(
            [
                normalize(" ".join(comparable_text(p) for p in tc.iter(W_P) if not mark_deleted(p)))
                for tc in tr.iterchildren(W_TC)
            ]
        )
    return rows


def shown(block: Block) -> str:
    """A block's text as compared: a table's cells joined as :attr:`SourceBlock.shown` joins
    them, anything else its text with cross-references as their targets."""
    if block.block == "table":
        return " / ".join(" | ".join(row) for row in cells(block))
    return block.compare


@dataclass(frozen=True)
class UseCasePart:
    """A line the annex prints from a use case's front matter."""

    case: UseCase
    part: str
    """``heading``, ``meta``, ``contact``, ``sources``, or ``row`` (of the overview table)."""


@dataclass
class Now:
    """The project now: each block of its build, and what it was made from."""

    project: Project
    draft: Draft
    files: list[SourceFile]
    markdown: dict[int, SourceBlock] = field(default_factory=dict)
    """Block of the build → the Markdown block it was read from."""
    use_cases: dict[int, UseCasePart] = field(default_factory=dict)
    """Block of the build → the use case line it prints (the overview table: ``row``)."""
    overview: dict[int, UseCase] = field(default_factory=dict)
    """Row of the overview table → its use case."""
    since: list[int | None] = field(default_factory=list)
    """Block of what was sent → the block it is now (``None``: deleted since)."""

    @property
    def blocks(self) -> list[Block]:
        return self.draft.blocks

    def style(self, index: int) -> str:
        return self.draft.reader.style_name(self.blocks[index].element)


def read_now(project: Project, docx: Path, sent: Base) -> Now:
    """``project`` as it is now (``docx``: its build), lined up with what was ``sent``."""
    draft = read_draft(docx)
    chosen = _use_cases(project)
    files = _markdown_files(project, chosen)
    now = Now(project, draft, files)
    _match(now, [b for f in files for b in f.blocks])
    _match_summary(now, _summary_files(project))
    _match_use_cases(now, chosen)
    _since(now, sent)
    return now


def _use_cases(project: Project) -> list[UseCase]:
    """The use cases of the annex, in the annex's order."""
    settings = project.meta.annex
    if not settings.enabled or not project.use_cases:
        return []
    pool = load_use_cases(project.use_cases, project.style, Problems())
    return order(select(pool, settings), settings.order, project.style)


def _markdown_files(project: Project, chosen: list[UseCase]) -> list[SourceFile]:
    """Chapters, Markdown annexes, then use cases (their front matter blanked out, offsets and
    lines kept), in the order the build reads them."""
    items = [(p, read_text(p)) for p in (*project.chapters, *project.annex_files)]
    for case in chosen:
        text = read_text(case.path)
        front = len("\n".join(text.split("\n")[: case.body_line - 1]))
        items.append((case.path, "".join(c if c == "\n" else " " for c in text[:front]) + text[front:]))
    return read_sources(items, AstCache(project.root / "build" / ".cache" / "ast"))


def _summary_files(project: Project) -> dict[str, SourceFile]:
    """The SUMMARY's Markdown texts written in ``document.yaml`` (not inherited)."""
    path = project.metadata_path
    text = read_text(path)
    data = parse_yaml(text, path)
    summary = data.get("summary") if isinstance(data, dict) else None
    found = {}
    for name in SUMMARY_FIELDS:
        value = summary.get(name) if isinstance(summary, dict) else None
        line = scalar_line(text, ("summary", name))
        if isinstance(value, str) and line is not None:
            found[f"summary.{name}"] = read_source(path, value, line)
    return found


def _match(now: Now, sources: list[SourceBlock]) -> None:
    """Each body block of the build paired with the Markdown block of the same text, in order;
    where texts differ in a run of blocks (a caption the build numbers), by suffix or close
    likeness."""
    body = [k for k, b in enumerate(now.blocks) if b.block != "cover"]
    theirs = [key(shown(now.blocks[k])) for k in body]
    mine = [key(s.shown) for s in sources]
    matcher = SequenceMatcher(None, theirs, mine, autojunk=False)
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            now.markdown.update({body[i1 + n]: sources[j1 + n] for n in range(i2 - i1)})
        elif op == "replace":
            _pair_alike(now, body[i1:i2], theirs[i1:i2], sources[j1:j2], mine[j1:j2])


def _pair_alike(
    now: Now, blocks: list[int], theirs: list[str], sources: list[SourceBlock], mine: list[str]
) -> None:
    at = 0
    for source, text in zip(sources, mine, strict=True):
        for n in range(at, len(blocks)):
            if text and (theirs[n].endswith(text) or SequenceMatcher(None, theirs[n], text).ratio() > 0.9):
                now.markdown[blocks[n]] = source
                at = n + 1
                break


def _match_summary(now: Now, files: dict[str, SourceFile]) -> None:
    for name, file in files.items():
        blocks = [k for k, b in enumerate(now.blocks) if b.block == "cover" and b.field == name]
        theirs = [key(now.blocks[k].compare) for k in blocks]
        mine = [key(s.shown) for s in file.blocks]
        for op, i1, i2, j1, _ in SequenceMatcher(None, theirs, mine, autojunk=False).get_opcodes():
            if op in ("equal", "replace"):
                now.markdown.update(
                    {blocks[i1 + n]: file.blocks[j1 + n] for n in range(min(i2 - i1, len(mine) - j1))}
                )
        now.files.append(file)


def _match_use_cases(now: Now, chosen: list[UseCase]) -> None:
    """The lines the annex prints from front matter: each use case's heading, metadata line,
    contact and sources, and the rows of the overview table."""
    if not chosen:
        return
    case: UseCase | None = None
    overview_done = False
    for k, block in enumerate(now.blocks):
        style = now.style(k)
        if style == USE_CASE_HEADING.name.lower() and block.number and block.number.isdigit():
            number = int(block.number)
            case = chosen[number - 1] if 0 < number <= len(chosen) else None
            if case is not None:
                now.use_cases[k] = UseCasePart(case, "heading")
        elif style == USE_CASE_META.name.lower() and case is not None:
            now.use_cases[k] = UseCasePart(case, "meta")
        elif block.block == "table" and not overview_done and k not in now.markdown and _after_title(now, k):
            overview_done = True
            now.use_cases[k] = UseCasePart(chosen[0], "row")
            now.overview.update(enumerate(chosen, start=1))
        elif case is not None and k not in now.markdown and block.block == "annex":
            for part in ("contact", "sources"):
                if _prints(now, block.text, part):
                    now.use_cases[k] = UseCasePart(case, part)


def _after_title(now: Now, index: int) -> bool:
    return any(now.style(k) == ANNEX_TITLE.name.lower() for k in range(max(0, index - 3), index))


def _prints(now: Now, text: str, part: str) -> bool:
    terms = now.project.style.terms(now.project.meta.locale)
    return read_template(str(terms[PARTS[part]]), text) is not None


def _since(now: Now, sent: Base) -> None:
    """Each block of what was sent → the block it is now, by the diff's alignment."""
    now.since = [None] * len(sent.blocks)
    for step in align(sent.blocks, now.blocks).steps:
        if isinstance(step, Pair):
            now.since[step.old] = step.new
