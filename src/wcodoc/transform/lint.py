"""Lint of the sources: unreadable chapters, empty sections, long paragraphs, typed numbers.

:func:`wcodoc.build.assemble` runs these checks, so ``wcodoc build`` and ``wcodoc check`` always
agree on what is wrong.

Warning codes: ``empty-section``, ``long-paragraph``, ``typed-number`` (and ``raw`` from
:mod:`wcodoc.transform.numbering`). Error codes added here: ``chapter``, ``path`` (a chapter linked
outside the project).
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterator, Sequence
from pathlib import Path

from wcodoc import __version__
from wcodoc.errors import Problems, WcodocError
from wcodoc.fsutil import is_inside, read_text
from wcodoc.load.yamlio import parse_yaml
from wcodoc.parse.pandoc import MARKDOWN, pandoc_version
from wcodoc.parse.reader import ContentCache, Source
from wcodoc.transform import pandocast
from wcodoc.transform.pandocast import Node

LONG_PARAGRAPH_WORDS = 250
"""A numbered paragraph longer than this is hard to cite and to translate: split it."""

_TYPED_NUMBER = re.compile(r"^ {0,3}(\d{1,3}[.)])\s+\S")
_FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})")
_WORD = re.compile(r"\w+")
_NOT_CONTENT = {"Header", "RawBlock", "Null", "HorizontalRule"}


# --- the chapter files ---------------------------------------------------------------------


def readable_chapters(paths: Sequence[Path], root: Path, problems: Problems) -> list[Path]:
    """The chapters that can be parsed; each unreadable, binary or empty one is an error.

    All files are checked, so one run reports every bad chapter, not just the first. A
    chapter that is a symbolic link to a file outside ``root`` is refused: the build reads
    nothing from outside the project.
    """
    good = []
    for path in paths:
        if not is_inside(path, root):
            problems.error("chapter links to a file outside the project folder", path, code="path")
            continue
        try:
            text = read_text(path)
        except WcodocError as exc:
            problems.error(exc.message, exc.path or path, exc.line, code="chapter")
            continue
        if not _without_comments(text).strip():
            problems.error("empty chapter: write some text or remove the file", path, 1, code="chapter")
            continue
        good.append(path)
    return good


def _without_comments(text: str) -> str:
    return re.sub(r"<!--.*?-->", "", text, flags=re.DOTALL)


# --- lint of parsed chapters --------------------------------------------------------------


def lint_sources(sources: Sequence[Source], problems: Problems, cache: ContentCache | None = None) -> None:
    """Warn about empty sections, very long paragraphs and typed paragraph numbers.

    The warnings of one source alone depend on its text only: with ``cache`` they are kept
    by text, so a rebuild lints only the chapters that changed.
    """
    _empty_sections(sources, problems)  # a section may continue in the next file: never cached
    for source in sources:
        for message, line, code in _source_warnings(source, cache):
            problems.warning(message, source.path, line, code=code)


def _source_warnings(source: Source, cache: ContentCache | None) -> list[tuple[str, int | None, str]]:
    """``(message, line, code)`` of the warnings about ``source`` alone."""
    if cache is None or cache.folder is None:
        return _lint_one(source)
    key = _cache_key(source.text)
    cached = cache.get_value(key)
    if isinstance(cached, list) and all(_is_warning(item) for item in cached):
        return [(message, line, code) for message, line, code in cached]
    warnings = _lint_one(source)
    cache.put_value(key, warnings)
    return warnings


def _lint_one(source: Source) -> list[tuple[str, int | None, str]]:
    found = Problems()
    _long_paragraphs(source, found)
    _typed_numbers(source, found)
    return [(p.message, p.line, p.code) for p in found]


def _is_warning(item: object) -> bool:
    """Whether a cached item has the shape ``[message, line or null, code]``."""
    if not (isinstance(item, list) and len(item) == 3):
        return False
    message, line, code = item
    return isinstance(message, str) and isinstance(code, str) and (line is None or type(line) is int)


def _cache_key(text: str) -> str:
    """The text, and what reads it: pandoc (its AST) and wcodoc's version (these rules)."""
    material = "\0".join(("lint 1", text, MARKDOWN, pandoc_version(), __version__))
    return hashlib.sha256(material.encode("utf-8")).hexdigest()


def lint_use_cases(sources: Sequence[Source], sections: Sequence[str], problems: Problems) -> None:
    """Warn when a use case lacks one of the house style's sections (Background, Solution, …)."""
    wanted = [str(name) for name in sections]
    for source in sources:
        present = {
            pandocast.stringify(block["c"][2]).strip().casefold()
            for block in source.blocks
            if block["t"] == "Header"
        }
        missing = [f"'## {name}'" for name in wanted if name.casefold() not in present]
        if missing:
            noun = "section" if len(missing) == 1 else "sections"
            problems.warning(
                f"use case has no {', '.join(missing)} {noun}", source.path, 1, code="use-case-section"
            )


def _code_lines(text: str) -> Iterator[tuple[int, str, bool]]:
    """``(line number, line, inside a fenced code block)`` for each line of ``text``."""
    fence: str | None = None
    for number, line in enumerate(text.split("\n"), start=1):
        match = _FENCE.match(line)
        if match and (fence is None or match.group(1)[0] == fence[0]):
            fence = match.group(1) if fence is None else None
            yield number, line, True
            continue
        yield number, line, fence is not None


def metadata_blocks(text: str) -> list[tuple[int, str]]:
    """The metadata pandoc reads out of ``text`` rather than as its text, each as ``(line,
    what)``: a title block (``%`` lines at the very start), and each YAML metadata block (a
    ``---`` line after a blank one, a mapping, a ``---`` or ``...`` line), fenced code skipped."""
    found = [(1, "title block ('% …' lines)")] if text.startswith("%") else []
    lines = [(line, in_code) for _, line, in_code in _code_lines(text)]
    start = 0
    while start < len(lines) - 1:
        line, in_code = lines[start]
        opens = not in_code and line.rstrip() == "---" and lines[start + 1][0].strip()
        if opens and (start == 0 or not lines[start - 1][0].strip()):
            end = next((j for j in range(start + 1, len(lines)) if lines[j][0].rstrip() in ("---", "...")), 0)
            keys = _mapping_keys("\n".join(line for line, _ in lines[start + 1 : end])) if end else []
            if keys:
                found.append((start + 1, f"YAML metadata ({', '.join(keys[:4])})"))
                start = end
        start += 1
    return found


def _mapping_keys(text: str) -> list[str]:
    """The keys of ``text`` read as a YAML mapping; none if it is anything else."""
    try:
        data = parse_yaml(text, "metadata")
    except WcodocError:
        return []
    return [str(key) for key in data] if isinstance(data, dict) else []


def _empty_sections(sources: Sequence[Source], problems: Problems) -> None:
    # A section is empty when no content comes before the next heading of its level or
    # above; the chapters are read as one text, since a section may continue in the next file.
    open_headings: list[tuple[int, Source, Node]] = []

    def close(level: int) -> None:
        while open_headings and open_headings[-1][0] >= level:
            _, source, heading = open_headings.pop()
            title = pandocast.stringify(heading["c"][2])[:60]
            problems.warning(
                f"empty section {title!r}: no text before the next heading",
                source.path,
                source.line_at(heading),
                code="empty-section",
            )

    for source in sources:
        # Divs (``::: unnumbered``) opened: their headings and text count where they stand.
        for block, _ in pandocast.flatten(source.blocks):
            if block["t"] == "Header":
                close(block["c"][0])
                open_headings.append((block["c"][0], source, block))
            elif block["t"] not in _NOT_CONTENT:
                open_headings.clear()
    close(1)


def _long_paragraphs(source: Source, problems: Problems) -> None:
    locator = _Locator(source.text)
    for block, _ in pandocast.flatten(source.blocks):
        if block["t"] != "Para":
            continue
        words = _WORD.findall(pandocast.stringify(block["c"]))
        if len(words) > LONG_PARAGRAPH_WORDS:
            # Located only when reported: compiling a pattern per paragraph is costly on long reports.
            line = locator.find(words)
            problems.warning(
                f"very long paragraph ({len(words)} words, more than {LONG_PARAGRAPH_WORDS}): "
                "consider splitting it so each numbered paragraph makes one point",
                source.path,
                line,
                code="long-paragraph",
            )


def _typed_numbers(source: Source, problems: Problems) -> None:
    # pandoc reads "7. Text" after a blank line as a decimal list; wcodoc then numbers the items
    # itself, so the typed number disappears and the author's cross-check is lost.
    previous_blank = True
    for number, line, in_code in _code_lines(source.text):
        match = None if in_code else _TYPED_NUMBER.match(line)
        if match and previous_blank:
            problems.warning(
                f"paragraph starts with a typed number {match.group(1)!r}: wcodoc numbers "
                "paragraphs itself, so remove it (use 'a.' for sub-items)",
                source.path,
                number,
                code="typed-number",
            )
        previous_blank = not line.strip() or bool(match and previous_blank)


class _Locator:
    """Finds where a block starts in the source text, moving forward block by block."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.cursor = 0

    def find(self, words: Sequence[str]) -> int | None:
        if not words:
            return None
        pattern = re.compile(r"\W+(?:\S*\W+)??".join(re.escape(w) for w in words[:4]))
        match = pattern.search(self.text, self.cursor) or pattern.search(self.text)
        if match is None:
            return None
        self.cursor = match.end()
        return self.text.count("\n", 0, match.start()) + 1
