"""Find a paragraph of the base in the Markdown sources, by its text.

Each paragraph, list item and heading of a Markdown file is read into its *plain text* as the
DOCX shows it (markup left out, whitespace collapsed, a cross-reference as one placeholder,
whose number is the build's), together with the offset in the file each character comes from,
so that a change of words can be made on the Markdown itself. The reading is a small grammar
of its own; this module is the one place that knows it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

REFERENCE = re.compile(r"@(?:par|uc|sec|tbl|fig):[\w:.-]*\w")
LABEL_SPAN = re.compile(r"\[\]\{#[^}]*\}")
LINK = re.compile(r"\[([^\]]*)\]\([^)]*\)")
LIST_MARKER = re.compile(r"^(?:[a-z]\.|\d+\.|[-*+])\s+")
HEADING = re.compile(r"^#{1,6}\s+")
ATTRIBUTES = re.compile(r"\s*\{[#.][^}]*\}\s*$")
"""A heading's attributes (``{#sec:intro}``), not part of its text."""
FRONT_MATTER = re.compile(r"\A---\n.*?\n---\n", re.DOTALL)
PLACEHOLDER = "\ue000"
"""Stands for a cross-reference in a paragraph's plain text (its number is the build's)."""
TYPOGRAPHY = str.maketrans({"\u2019": "'", "\u2018": "'", "\u00a0": " ", "\u202f": " "})
"""What the build changes in text, one character for one: compared as the source has it."""


@dataclass
class Paragraph:
    """One Markdown paragraph (or list item) of a source file."""

    path: Path
    start: int
    """Offset of its first character in the file's text."""
    end: int
    line: int
    """Its first line (1-based)."""
    plain: str = ""
    """Its text as the DOCX shows it, whitespace collapsed, references as PLACEHOLDER."""
    where: list[int | None] = field(default_factory=list)
    """For each character of ``plain``: its offset in the file, ``None`` for a reference."""


def _plain(text: str, offset: int) -> tuple[str, list[int | None]]:
    """The plain text of one paragraph's Markdown and where each character comes from."""
    out: list[str] = []
    where: list[int | None] = []
    skip = {
        k for pattern in (LABEL_SPAN, ATTRIBUTES) for m in pattern.finditer(text) for k in range(*m.span())
    }
    links = {m.start(): m for m in LINK.finditer(text)}
    refs = {m.start(): m for m in REFERENCE.finditer(text)}
    marker = LIST_MARKER.match(text) or HEADING.match(text)
    i = marker.end() if marker else 0
    while i < len(text):
        if i in skip:
            i += 1
            continue
        char = text[i]
        if i in refs:
            out.append(PLACEHOLDER)
            where.append(None)
            i = refs[i].end()
            continue
        if i in links:  # the link's text only
            m = links[i]
            for k in range(m.start(1), m.end(1)):
                out.append(text[k])
                where.append(offset + k)
            i = m.end()
            continue
        if text.startswith("^[", i):  # a footnote: not part of the paragraph's text
            depth, k = 0, i + 1
            while k < len(text):
                depth += {"[": 1, "]": -1}.get(text[k], 0)
                if depth == 0:
                    break
                k += 1
            i = k + 1
            continue
        if char == "\\" and i + 1 < len(text):
            out.append(text[i + 1])
            where.append(offset + i + 1)
            i += 2
            continue
        if char in "*`" or (char == "_" and not _inside_word(text, i)):
            i += 1
            continue
        out.append(" " if char.isspace() else char)
        where.append(offset + i)
        i += 1
    return _collapsed(out, where)


def _inside_word(text: str, i: int) -> bool:
    return 0 < i < len(text) - 1 and text[i - 1].isalnum() and text[i + 1].isalnum()


def _collapsed(chars: list[str], where: list[int | None]) -> tuple[str, list[int | None]]:
    out: list[str] = []
    places: list[int | None] = []
    for char, place in zip(chars, where, strict=True):
        if char == " " and (not out or out[-1] == " "):
            continue
        out.append(char)
        places.append(place)
    while out and out[-1] == " ":
        out.pop()
        places.pop()
    return "".join(out), places


def paragraphs(path: Path, text: str) -> list[Paragraph]:
    """The paragraphs, list items and headings of a Markdown file (front matter, code blocks and
    tables left out)."""
    found: list[Paragraph] = []
    body_start = m.end() if (m := FRONT_MATTER.match(text)) else 0
    offset = body_start
    lines = text[body_start:].splitlines(keepends=True)
    line_no = text[:body_start].count("\n") + 1
    current: Paragraph | None = None
    fenced = False
    for line in lines:
        stripped = line.strip()
        if stripped.startswith(("```", ":::")):
            fenced = stripped.startswith("```") and not fenced
            current = None
        elif not stripped or fenced or stripped.startswith("|"):
            current = None
        elif HEADING.match(stripped):  # one line, a paragraph of its own
            found.append(Paragraph(path, offset, offset + len(line.rstrip("\n")), line_no))
            current = None
        elif LIST_MARKER.match(stripped) or current is None:
            current = Paragraph(path, offset, offset + len(line.rstrip("\n")), line_no)
            found.append(current)
        else:
            current.end = offset + len(line.rstrip("\n"))
        offset += len(line)
        line_no += 1
    for p in found:
        p.plain, p.where = _plain(text[p.start : p.end], p.start)
    return found


def matches(paragraph: Paragraph, text: str) -> re.Match[str] | None:
    """Whether ``paragraph`` reads as ``text`` (a block's text in a DOCX): the match gives, in
    its groups, what each cross-reference printed."""
    plain = paragraph.plain.translate(TYPOGRAPHY)
    pattern = "".join(r"(\S+?)" if c == PLACEHOLDER else re.escape(c) for c in plain)
    return re.fullmatch(pattern, text.translate(TYPOGRAPHY))


def find(sources: Iterable[tuple[Path, str]], text: str) -> list[Paragraph]:
    """The paragraphs of the Markdown ``sources`` (each file and its text) that read as ``text``."""
    return [p for path, source in sources for p in paragraphs(path, source) if matches(p, text)]


def positions(paragraph: Paragraph, text: str) -> list[int | None] | None:
    """For each character of ``text``: its offset in the file (``None`` inside a reference);
    ``None`` when the paragraph does not read as ``text``."""
    match = matches(paragraph, text)
    if match is None:
        return None
    out: list[int | None] = []
    group = 0
    for char, place in zip(paragraph.plain, paragraph.where, strict=True):
        if char == PLACEHOLDER:
            group += 1
            out.extend([None] * (match.end(group) - match.start(group)))
        else:
            out.append(place)
    return out
