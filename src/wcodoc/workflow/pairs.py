"""Language pairs: does the French version have the same shape as the English one?

Translators work paragraph by paragraph, and delegates cite paragraph numbers, so both
versions must have the same sections, the same numbered paragraphs and sub-items, and the same
use cases. The comparison works on the numbered AST (no DOCX is written) and reports each
difference where the translator can fix it: the file and line in the second project.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from wcodoc.errors import Problem, Problems
from wcodoc.load.project import Project, load_project
from wcodoc.numerals import roman
from wcodoc.parse.reader import AstCache, Source, parse_sources
from wcodoc.styles import NUMBERED_PARAGRAPH, SUB_ITEM
from wcodoc.transform import pandocast
from wcodoc.transform.numbering import number_body
from wcodoc.transform.usecases import load_use_cases

CODE = "pair"


@dataclass
class Section:
    """One ``#`` section (or the paragraphs before the first one) and its paragraphs."""

    numeral: str
    """``I``, ``II``…; empty for paragraphs before the first section."""
    path: Path
    line: int | None
    sub_items: list[int] = field(default_factory=list)
    """For each numbered paragraph of the section, how many sub-items follow it."""

    @property
    def name(self) -> str:
        return f"section {self.numeral}" if self.numeral else "the text before section I"


@dataclass
class Structure:
    """The shape of a document: its sections and the ids of its use cases."""

    project: Project
    sections: list[Section] = field(default_factory=list)
    use_cases: list[str] = field(default_factory=list)

    @property
    def paragraphs(self) -> int:
        return sum(len(s.sub_items) for s in self.sections)


def _style(node: dict) -> str | None:
    if node.get("t") != "Div":
        return None
    return dict(node["c"][0][2]).get(pandocast.CUSTOM_STYLE)


def _walk_chapter(structure: Structure, source: Source, blocks: list[dict]) -> None:
    for node in blocks:
        if node["t"] == "Header" and node["c"][0] == 1:
            numeral = roman(sum(1 for s in structure.sections if s.numeral) + 1)
            # Numbering made a new heading node; its words are the source's own nodes.
            words = node["c"][2]
            line = source.line_at(words[-1]) if words else None
            structure.sections.append(Section(numeral, source.path, line))
            continue
        style = _style(node)
        if style not in (NUMBERED_PARAGRAPH.name, SUB_ITEM.name):
            continue
        if not structure.sections:
            structure.sections.append(Section("", source.path, 1))
        current = structure.sections[-1]
        if style == NUMBERED_PARAGRAPH.name:
            current.sub_items.append(0)
        elif current.sub_items:
            current.sub_items[-1] += 1


def document_structure(project: Project) -> Structure:
    """Sections, paragraphs, sub-items and use cases of ``project``, from its numbered AST.

    Problems in the sources themselves are left to ``wcodoc check``; only the shape is read.
    """
    structure = Structure(project)
    cache = AstCache(project.root / "build" / ".cache" / "ast")
    for source in parse_sources(list(project.chapters), cache):
        body = number_body([source], project.root, Problems())
        _walk_chapter(structure, source, body.blocks)
    cases = load_use_cases(project.use_cases, project.style, Problems())
    structure.use_cases = [case.id for case in cases]
    return structure


def _loaded(project: Project | Path | str) -> Project:
    return project if isinstance(project, Project) else load_project(project)


def _paragraph_range(structure: Structure, index: int) -> str:
    before = sum(len(s.sub_items) for s in structure.sections[:index])
    count = len(structure.sections[index].sub_items)
    if count == 0:
        return "no numbered paragraph"
    return f"paragraph {before + 1}" if count == 1 else f"paragraphs {before + 1}-{before + count}"


class _Report:
    def __init__(self, first: Structure, second: Structure) -> None:
        self.first, self.second = first, second
        self.a = str(first.project.meta.symbol.short)
        self.b = str(second.project.meta.symbol.short)
        self.problems: list[Problem] = []

    def add(self, message: str, path: Path | None = None, line: int | None = None) -> None:
        path = path or self.second.project.metadata_path
        self.problems.append(Problem(message, path, line, CODE))

    def sections(self) -> None:
        first, second = self.first.sections, self.second.sections
        numbered_a = [s for s in first if s.numeral]
        numbered_b = [s for s in second if s.numeral]
        if len(numbered_a) != len(numbered_b):
            self.add(f"{len(numbered_a)} sections in {self.a}, {len(numbered_b)} in {self.b}")
        if len(first) != len(second) or [s.numeral for s in first] != [s.numeral for s in second]:
            return self.totals()
        for index, (sa, sb) in enumerate(zip(first, second, strict=True)):
            self.section(index, sa, sb)
        return None

    def totals(self) -> None:
        if self.first.paragraphs != self.second.paragraphs:
            self.add(
                f"{self.first.paragraphs} numbered paragraphs in {self.a}, "
                f"{self.second.paragraphs} in {self.b}"
            )

    def section(self, index: int, sa: Section, sb: Section) -> None:
        if len(sa.sub_items) != len(sb.sub_items):
            self.add(
                f"{sa.name}: {_paragraph_range(self.first, index)} in {self.a}, "
                f"{_paragraph_range(self.second, index)} in {self.b}",
                sb.path,
                sb.line,
            )
            return
        start = sum(len(s.sub_items) for s in self.first.sections[:index])
        for offset, (na, nb) in enumerate(zip(sa.sub_items, sb.sub_items, strict=True)):
            if na != nb:
                self.add(
                    f"paragraph {start + offset + 1}: {na} sub-items in {self.a}, {nb} in {self.b}",
                    sb.path,
                    sb.line,
                )

    def use_cases(self) -> None:
        ids_a, ids_b = self.first.use_cases, self.second.use_cases
        if len(ids_a) != len(ids_b):
            self.add(f"{len(ids_a)} use cases in {self.a}, {len(ids_b)} in {self.b}")
        for missing in [i for i in ids_a if i not in ids_b]:
            self.add(f"use case {missing!r} of {self.a} is missing from {self.b}")
        for extra in [i for i in ids_b if i not in ids_a]:
            self.add(f"use case {extra!r} of {self.b} is not in {self.a}")
        if len(ids_a) == len(ids_b) and set(ids_a) == set(ids_b) and ids_a != ids_b:
            self.add(f"use cases are in a different order in {self.a} and {self.b}")


def compare_pair(first: Project | Path | str, second: Project | Path | str) -> list[Problem]:
    """Where two language versions of a document differ in structure.

    ``first`` is usually the English project and ``second`` its translation (projects or their
    folders). Compared: number of sections, numbered paragraphs per section, sub-items per
    paragraph, and the use cases (count, ids, order). Each difference is a
    :class:`~wcodoc.errors.Problem` with code ``pair`` (severity error) located in ``second``
    (the section heading's file and line when known); an empty list means same structure.
    Raises :class:`~wcodoc.errors.WcodocError` when a project cannot be loaded.
    """
    report = _Report(document_structure(_loaded(first)), document_structure(_loaded(second)))
    if report.first.project.meta.symbol.serial != report.second.project.meta.symbol.serial:
        report.add(
            f"the symbols {report.a} and {report.b} have different serials; "
            "a translation keeps the serial of the original"
        )
    report.sections()
    report.use_cases()
    return report.problems
