"""``review apply``: write a returned copy's changes into the project's Markdown sources.

Each change entry (a paragraph's text before and after) is placed by its *text*: the Markdown
paragraph of a chapter or use-case file whose plain text reads like the change's old text.
The change is then made word by word on the Markdown, so that the untouched parts keep their
markup (emphasis, links, ``@par:`` references, footnotes, labels). A change that would cut
through markup, touch a cross-reference, or whose paragraph is not found once (the sources no
longer match the base) is refused with its reason, and nothing of it is written.

Every edit is checked before it is kept: the edited paragraph must read exactly as the
proposed text.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Sequence
from contextlib import ExitStack
from dataclasses import dataclass, field
from pathlib import Path

from wcodoc.diff.align import tokens
from wcodoc.errors import WcodocError
from wcodoc.fsutil import atomic_output, read_text
from wcodoc.workflow.review import AFTER, Entry

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
MARKDOWN_SPECIAL = re.compile(r"([\\*_\[\]`@^<>#])")


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


@dataclass(frozen=True)
class Refusal:
    """A change not written, and why."""

    path: Path | None
    line: int | None
    reason: str

    def __str__(self) -> str:
        place = f"{self.path}:{self.line}: " if self.path is not None else ""
        return f"{place}{self.reason}"


@dataclass
class Plan:
    """The edits of one apply, per source file: the new text of each file changed."""

    texts: dict[Path, str] = field(default_factory=dict)
    originals: dict[Path, str] = field(default_factory=dict)
    applied: list[tuple[Path, int, Entry]] = field(default_factory=list)
    refused: list[Refusal] = field(default_factory=list)

    def diff(self, root: Path) -> str:
        """The edits as a unified diff of the sources."""
        out: list[str] = []
        for path, new in self.texts.items():
            name = path.relative_to(root).as_posix() if path.is_relative_to(root) else str(path)
            out.extend(
                difflib.unified_diff(
                    self.originals[path].splitlines(keepends=True),
                    new.splitlines(keepends=True),
                    f"a/{name}",
                    f"b/{name}",
                )
            )
        return "".join(out)

    def write(self) -> None:
        """Write every changed file: all of them to temporary files first, then each renamed
        into place, so that a failure to write leaves every source as it was."""
        with ExitStack() as stack:
            for path, text in self.texts.items():
                stack.enter_context(atomic_output(path)).write_bytes(text.encode("utf-8"))


def _matches(paragraph: Paragraph, old: str) -> re.Match[str] | None:
    plain = paragraph.plain.translate(TYPOGRAPHY)
    pattern = "".join(r"(\S+?)" if c == PLACEHOLDER else re.escape(c) for c in plain)
    return re.fullmatch(pattern, old.translate(TYPOGRAPHY))


def plan_apply(
    sources: Sequence[Path], entries: Sequence[Entry], anchors: dict[str, str] | None = None
) -> Plan:
    """Work out the source edits of ``entries`` (changes) on the Markdown files ``sources``.

    ``anchors`` gives the base's text of the block each key names (``"7"`` → paragraph 7's
    text): a paragraph proposed ``after 7`` goes after paragraph 7 and its list items.
    """
    plan = Plan()
    for path in sources:
        plan.originals[path] = read_text(path)
    # From the end of the document up: an edit never moves the paragraphs before it, so each
    # is found, and printed, at its line in the sources as they are.
    for entry in sorted(entries, key=lambda e: e.order, reverse=True):
        if entry.kind != "change" or entry.old_text is None or entry.new_text is None:
            continue
        texts = dict(plan.texts)  # all of an entry, or nothing of it
        done = _apply_entry(texts, plan.originals, sources, entry, anchors or {})
        if isinstance(done, Refusal):
            plan.refused.insert(0, done)
            continue
        plan.texts = texts
        plan.applied.insert(0, (*done, entry))
    plan.texts = {p: t for p, t in plan.texts.items() if t != plan.originals[p]}
    return plan


Texts = dict[Path, str]


def _current(texts: Texts, originals: Texts, path: Path) -> str:
    return texts.get(path, originals[path])


def _find(texts: Texts, originals: Texts, sources: Sequence[Path], old: str) -> list[Paragraph]:
    return [
        p for path in sources for p in paragraphs(path, _current(texts, originals, path)) if _matches(p, old)
    ]


Done = tuple[Path, int]
"""Where an entry was applied: the file and the line of its (first) paragraph."""


def _apply_entry(
    texts: Texts, originals: Texts, sources: Sequence[Path], entry: Entry, anchors: dict[str, str]
) -> Refusal | Done:
    """Make ``entry``'s edits in ``texts`` (in place); the reason if it cannot be done safely."""
    assert entry.old_text is not None and entry.new_text is not None
    key = entry.paragraph
    if key.startswith("cover:"):
        return Refusal(None, None, f"paragraph {key}: cover fields are not applied; "
                       f"edit {key.removeprefix('cover:')} in document.yaml")  # fmt: skip
    if not entry.old_text:
        return _insert(texts, originals, sources, key, entry.new_text, anchors)
    olds, news = entry.old_text.split("\n"), entry.new_text.split("\n") if entry.new_text else []
    if news and len(olds) != len(news):
        return Refusal(None, None, f"paragraph {key}: paragraphs added or removed among others; "
                       "apply it by hand")  # fmt: skip
    first: Done | None = None
    for k in reversed(range(len(olds))):  # from the end up, as the entries
        if news and olds[k] == news[k]:
            continue
        done = (
            _modify(texts, originals, sources, key, olds[k], news[k])
            if news
            else _delete(texts, originals, sources, key, olds[k])
        )
        if isinstance(done, Refusal):
            return done
        first = done
    return first or (sources[0], 1)


def _one(texts: Texts, originals: Texts, sources: Sequence[Path], key: str, old: str) -> Paragraph | Refusal:
    found = _find(texts, originals, sources, old)
    if len(found) == 1:
        return found[0]
    if not found and texts and _find({}, originals, sources, old):
        return Refusal(None, None, f"paragraph {key}: another change of this copy already changed it "
                       "(conflicting proposals: choose one with --member or --paragraph)")  # fmt: skip
    why = "not found in the sources" if not found else f"found {len(found)} times in the sources"
    return Refusal(None, None, f"paragraph {key}: its text in the base is {why} (have they changed since?)")


def _modify(
    texts: Texts, originals: Texts, sources: Sequence[Path], key: str, old: str, new: str
) -> Refusal | Done:
    paragraph = _one(texts, originals, sources, key, old)
    if isinstance(paragraph, Refusal):
        return paragraph
    text = _current(texts, originals, paragraph.path)
    edited = _edit(text, paragraph, old, new)
    if edited.startswith("\0"):
        return Refusal(paragraph.path, paragraph.line, f"paragraph {key}: {edited[1:]}")
    check = [p for p in paragraphs(paragraph.path, edited) if p.start == paragraph.start]
    if not check or not _matches(check[0], new):
        return Refusal(paragraph.path, paragraph.line, f"paragraph {key}: the edited Markdown "
                       "would not read as proposed; apply it by hand")  # fmt: skip
    texts[paragraph.path] = edited
    return paragraph.path, paragraph.line


def _delete(texts: Texts, originals: Texts, sources: Sequence[Path], key: str, old: str) -> Refusal | Done:
    paragraph = _one(texts, originals, sources, key, old)
    if isinstance(paragraph, Refusal):
        return paragraph
    text = _current(texts, originals, paragraph.path)
    source = text[paragraph.start : paragraph.end]
    if LABEL_SPAN.search(source):
        return Refusal(paragraph.path, paragraph.line, f"paragraph {key}: it holds a label ([]{{#…}}) "
                       "that references may use; delete it by hand")  # fmt: skip
    end = paragraph.end + 1 if text.startswith("\n", paragraph.end) else paragraph.end
    if not LIST_MARKER.match(source) and text.startswith("\n", end):
        end += 1  # and the blank line after it
    texts[paragraph.path] = text[: paragraph.start] + text[end:]
    return paragraph.path, paragraph.line


def _insert(
    texts: Texts, originals: Texts, sources: Sequence[Path], key: str, new: str, anchors: dict[str, str]
) -> Refusal | Done:
    anchor = anchors.get(key.removeprefix(AFTER))
    if not key.startswith(AFTER) or not anchor:
        return Refusal(None, None, f"paragraph {key}: no paragraph to insert it after; apply it by hand")
    paragraph = _one(texts, originals, sources, key, anchor)
    if isinstance(paragraph, Refusal):
        return paragraph
    text = _current(texts, originals, paragraph.path)
    end = paragraph.end
    following = [p for p in paragraphs(paragraph.path, text) if p.start > paragraph.start]
    for item in following:  # its list items (sub-items, bullets) go with it
        between = text[end : item.start]
        if between.count("\n") != 1 or not LIST_MARKER.match(text[item.start : item.end]):
            break
        end = item.end
    added = "\n\n".join(MARKDOWN_SPECIAL.sub(r"\\\1", line) for line in new.split("\n"))
    edited = text[:end] + "\n\n" + added + text[end:]
    if not _find({paragraph.path: edited}, originals, [paragraph.path], new.split("\n")[0]):
        return Refusal(paragraph.path, paragraph.line, f"paragraph {key}: the new Markdown would not "
                       "read as proposed; apply it by hand")  # fmt: skip
    texts[paragraph.path] = edited
    return paragraph.path, paragraph.line + text[paragraph.start : end].count("\n") + 2


def _edit(text: str, paragraph: Paragraph, old: str, new: str) -> str:
    """``text`` with the word changes from ``old`` to ``new`` made in ``paragraph``; a string
    starting with NUL is the reason it cannot be done."""
    a, b = tokens(old), tokens(new)
    starts = [0]
    for tok in a:
        starts.append(starts[-1] + len(tok))
    where = _positions(paragraph, old)
    if where is None:
        return "\0its text no longer matches the base"
    cuts: list[tuple[int, int, str]] = []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if op == "equal":
            continue
        c1, c2 = starts[i1], starts[i2]
        replacement = MARKDOWN_SPECIAL.sub(r"\\\1", "".join(b[j1:j2]))
        if c1 == c2:  # an insertion: before the next character, else after the last
            at = where[c1] if c1 < len(where) else None
            if at is None and c1 > 0 and where[c1 - 1] is not None:
                at = (where[c1 - 1] or 0) + 1
            if at is None:
                return "\0the insertion is next to a cross-reference"
            cuts.append((at, at, replacement))
            continue
        span = where[c1:c2]
        if any(p is None for p in span):
            return "\0the change touches a cross-reference"
        first, last = span[0], span[-1]
        assert first is not None and last is not None
        if not _plain_run(text, first, last + 1, span):
            return "\0the change straddles markup (emphasis, a link, a footnote or a label)"
        cuts.append((first, last + 1, replacement))
    for start, end, replacement in sorted(cuts, reverse=True):
        text = text[:start] + replacement + text[end:]
    return text


def _plain_run(text: str, start: int, end: int, span: list[int | None]) -> bool:
    """Whether ``text[start:end]`` is plain text: every character in it is one of ``span``
    (no markup between), apart from whitespace the plain text collapsed."""
    shown = set(span)
    return all(k in shown or text[k].isspace() for k in range(start, end))


def _positions(paragraph: Paragraph, old: str) -> list[int | None] | None:
    """For each character of ``old``: its offset in the file (``None`` inside a reference)."""
    match = _matches(paragraph, old)
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


def sources_of(chapters: Sequence[Path], use_cases: Sequence[Path]) -> list[Path]:
    """The Markdown files whose paragraphs changes are applied to."""
    return [*chapters, *use_cases]


def check_entries(entries: Sequence[Entry], members: Sequence[str], keys: Sequence[str]) -> list[Entry]:
    """The change entries chosen by Member and paragraph (all when none are named)."""
    chosen = [e for e in entries if e.kind == "change"]
    if members:
        chosen = [e for e in chosen if e.member in members]
    if keys:
        unknown = sorted(set(keys) - {e.paragraph for e in chosen})
        if unknown:
            raise WcodocError(f"no change to paragraph {', '.join(unknown)} in this copy")
        chosen = [e for e in chosen if e.paragraph in keys]
    return chosen
