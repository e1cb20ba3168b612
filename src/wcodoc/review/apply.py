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
from collections.abc import Mapping, Sequence
from contextlib import ExitStack
from dataclasses import dataclass, field
from pathlib import Path

from wcodoc.diff.align import tokens
from wcodoc.errors import WcodocError
from wcodoc.fsutil import atomic_output, encode_like, read_text
from wcodoc.load.yamledit import scalar_line, set_nested_text
from wcodoc.review.collect import AFTER, Entry

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
        into place, so that a failure to write leaves every source as it was. Each keeps its
        line ends (CRLF) and byte-order mark."""
        with ExitStack() as stack:
            for path, text in self.texts.items():
                data = encode_like(text, path.read_bytes())
                stack.enter_context(atomic_output(path)).write_bytes(data)


def _matches(paragraph: Paragraph, old: str) -> re.Match[str] | None:
    plain = paragraph.plain.translate(TYPOGRAPHY)
    pattern = "".join(r"(\S+?)" if c == PLACEHOLDER else re.escape(c) for c in plain)
    return re.fullmatch(pattern, old.translate(TYPOGRAPHY))


def plan_apply(
    sources: Sequence[Path],
    entries: Sequence[Entry],
    anchors: dict[str, str] | None = None,
    document: Path | None = None,
    wrappers: Mapping[str, str] | None = None,
) -> Plan:
    """Work out the source edits of ``entries`` (changes) on the Markdown files ``sources``.

    ``anchors`` gives the base's text of the block each key names (``"7"`` → paragraph 7's
    text): a paragraph proposed ``after 7`` goes after paragraph 7 and its list items.
    ``document`` is the project's ``document.yaml``, for changes to cover fields (without it,
    they are refused); ``wrappers`` the house style's templates of the cover lines that wrap a
    value (``"subtitle": "- {subtitle} -"``), English by default.
    """
    plan = Plan()
    for path in [*sources, *([document] if document is not None else [])]:
        plan.originals[path] = read_text(path)
    # From the end of the document up: an edit never moves the paragraphs before it, so each
    # is found, and printed, at its line in the sources as they are.
    for entry in sorted(entries, key=lambda e: e.order, reverse=True):
        if entry.kind != "change" or entry.old_text is None or entry.new_text is None:
            continue
        texts = dict(plan.texts)  # all of an entry, or nothing of it
        done = _apply_entry(texts, plan.originals, sources, entry, anchors or {}, document, wrappers)
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
    texts: Texts,
    originals: Texts,
    sources: Sequence[Path],
    entry: Entry,
    anchors: dict[str, str],
    document: Path | None = None,
    wrappers: Mapping[str, str] | None = None,
) -> Refusal | Done:
    """Make ``entry``'s edits in ``texts`` (in place); the reason if it cannot be done safely."""
    assert entry.old_text is not None and entry.new_text is not None
    key = entry.paragraph
    if key.removeprefix(AFTER).startswith("cover"):
        if document is None:
            return Refusal(None, None, f"paragraph {key}: cover fields are not applied; "
                           f"edit {key.removeprefix('cover:')} in document.yaml")  # fmt: skip
        return _apply_cover(texts, originals, document, entry, anchors, wrappers or {})
    return _apply_markdown(texts, originals, sources, entry, anchors)


def _apply_markdown(
    texts: Texts, originals: Texts, sources: Sequence[Path], entry: Entry, anchors: dict[str, str]
) -> Refusal | Done:
    """Make ``entry``'s edits on the Markdown of ``sources``."""
    assert entry.old_text is not None and entry.new_text is not None
    key = entry.paragraph
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


# --- cover fields: document.yaml ---------------------------------------------------------------

SMALL_WORDS = frozenset(
    {"a", "an", "and", "as", "at", "but", "by", "for", "from", "in", "into", "nor", "of", "on", "or"}
    | {"per", "the", "to", "upon", "via", "vs", "with"}
)
"""Words a title in normal case keeps in lower case (unless first)."""
WRAPPERS = {"subtitle": "- {subtitle} -", "agenda_item": "(Item {item}. on the Agenda)"}
"""The cover lines that print a value inside other words (the English house style's terms)."""
COMPUTED = {
    "reference": "reference (the symbol, and the committee's name from its prefix)",
    "meeting": "meeting",
    "sessions": "sessions",
    "dates": "dates",
    "issued": "place and issued",
}
"""Cover lines the build writes from document.yaml values (not copied from them): a change to
one is refused, with the keys to change by hand."""


def _cover_refusal(key: str, reason: str, line: int | None = None, path: Path | None = None) -> Refusal:
    return Refusal(path, line, f"paragraph {key}: {reason}")


def _apply_cover(
    texts: Texts,
    originals: Texts,
    document: Path,
    entry: Entry,
    anchors: dict[str, str],
    wrappers: Mapping[str, str],
) -> Refusal | Done:
    """Make a change to a cover field in ``document`` (``document.yaml``), in place."""
    done = _cover_edit(texts, originals, document, entry, anchors, wrappers)
    if (
        isinstance(done, Refusal)
        and document in texts
        and not isinstance(_cover_edit({}, originals, document, entry, anchors, wrappers), Refusal)
    ):
        return Refusal(done.path, done.line, f"paragraph {entry.paragraph}: another change of this "
                       "copy already changed it (conflicting proposals: choose one with --member "
                       "or --paragraph)")  # fmt: skip
    return done


def _cover_edit(
    texts: Texts,
    originals: Texts,
    document: Path,
    entry: Entry,
    anchors: dict[str, str],
    wrappers: Mapping[str, str],
) -> Refusal | Done:
    assert entry.old_text is not None and entry.new_text is not None
    key = entry.paragraph
    field_name = key.removeprefix(AFTER).removeprefix("cover").removeprefix(":")
    text = _current(texts, originals, document)
    if field_name in ("summary.purpose", "summary.action"):
        return _apply_summary(texts, originals, document, entry, anchors, field_name)
    if key.startswith(AFTER) or not entry.old_text or not entry.new_text:
        return _cover_refusal(key, "paragraphs added to or removed from the cover are not applied; "
                              "edit document.yaml by hand")  # fmt: skip
    if "\n" in entry.old_text or "\n" in entry.new_text:
        return _cover_refusal(key, "a cover field of several paragraphs; edit document.yaml by hand")
    if field_name in COMPUTED:
        return _cover_refusal(key, "this cover line is written by the build from "
                              f"{COMPUTED[field_name]} in document.yaml, not copied from it; "
                              "change it there by hand")  # fmt: skip
    if field_name not in ("title", "subtitle", "agenda_item"):
        return _cover_refusal(key, "this cover line is the build's (the letterhead, a separator or "
                              "a heading of the SUMMARY box), not text of document.yaml")  # fmt: skip
    line = scalar_line(text, (field_name,))
    data_value = _yaml_value(text, document, (field_name,))
    if line is None or not isinstance(data_value, str):
        return _cover_refusal(key, f"{field_name} is not a text value of document.yaml (inherited "
                              "from the session?); edit it by hand")  # fmt: skip
    old, new = entry.old_text, entry.new_text
    template = str(wrappers.get(field_name, WRAPPERS.get(field_name, "{value}")))
    wrapper = _wrapper(template)
    olds, news = wrapper.fullmatch(old.strip()), wrapper.fullmatch(new.strip())
    if olds is None or news is None:
        shown = re.sub(r"\{\w*\}", "\u2026", template)
        return _cover_refusal(key, f"only the {field_name} inside \u201c{shown}\u201d comes from "
                              "document.yaml; edit it by hand", line, document)  # fmt: skip
    if field_name == "agenda_item":
        if olds.group(1) != data_value.strip():
            return _cover_refusal(key, f"agenda_item in document.yaml is not {olds.group(1)} "
                                  "(has it changed since?)", line, document)  # fmt: skip
        value: str | None = news.group(1)
    elif field_name == "subtitle":
        value = _word_edit(data_value, olds.group(1), news.group(1), title=False)
    else:
        value = _word_edit(data_value, old, new, title=True, known=_known_words(text, document))
    if value is None:
        return _cover_refusal(key, f"its text in the base is not {field_name} of document.yaml "
                              "(has it changed since?)", line, document)  # fmt: skip
    edited = set_nested_text(text, document, (field_name,), value)
    if edited is None:
        return _cover_refusal(key, f"the layout of {field_name} in document.yaml cannot be edited "
                              "in place; edit it by hand", line, document)  # fmt: skip
    texts[document] = edited
    return document, line


def _wrapper(template: str) -> re.Pattern[str]:
    """What matches a cover line made by ``template`` (``- {subtitle} -``), the value group 1."""
    before, _, after = re.sub(r"\{\w*\}", "\0", template, count=1).partition("\0")
    return re.compile(re.escape(before.strip()) + r"\s*(.+?)\s*" + re.escape(after.strip()), re.DOTALL)


def _yaml_value(text: str, path: Path, keys: tuple[str, ...]) -> object:
    from wcodoc.load.yamlio import parse_yaml

    data: object = parse_yaml(text, path)
    for k in keys:
        if not isinstance(data, dict) or k not in data:
            return None
        data = data[k]
    return data


def _known_words(text: str, path: Path) -> dict[str, str]:
    """Spellings a word of the title takes from document.yaml, by its capitals: each word of
    the title itself, and each word of the subtitle and summary with capitals after its first
    letter (``WTO``, ``eCommerce``)."""
    found: dict[str, str] = {}
    summary = _yaml_value(text, path, ("summary",))
    parts = [_yaml_value(text, path, (k,)) for k in ("title", "subtitle")]
    if isinstance(summary, dict):
        parts += list(summary.values())
    for n, part in enumerate(parts):
        if isinstance(part, str):
            for word in re.findall(r"\w+(?:[-'\u2019]\w+)*", part):
                if n == 0 or any(c.isupper() for c in word[1:]):
                    found.setdefault(word.upper(), word)
    return found


def _recased(word: str, first: bool, title_style: bool, known: dict[str, str]) -> str:
    """A word of a proposed title in the source's casing (the rule is in docs/review.md): one
    typed in lower or mixed case is kept as typed; one in capitals takes its spelling in
    document.yaml when known, else a capital initial when first or when the title is in
    title case (apart from small words such as *of*, *and*), else lower case."""
    if not any(c.isalpha() for c in word) or word != word.upper():
        return word
    if word in known:
        spelled = known[word]
        return spelled[0].upper() + spelled[1:] if first else spelled
    if first:
        return word.capitalize()
    if word.lower() in SMALL_WORDS:
        return word.lower()
    return word.capitalize() if title_style else word.lower()


def _word_edit(
    source: str, old: str, new: str, *, title: bool, known: dict[str, str] | None = None
) -> str | None:
    """``source`` (a one-line value of document.yaml) with the word changes from ``old`` to
    ``new`` (as printed: in capitals for the ``title``); ``None`` when ``old`` is not how the
    cover prints ``source``."""
    flat = " ".join(source.split())
    shown = flat.translate(TYPOGRAPHY)
    if title:
        shown = shown.upper()
    if len(shown) != len(flat) or shown != " ".join(old.split()).translate(TYPOGRAPHY):
        return None
    proposed = " ".join(new.split()).translate(TYPOGRAPHY)
    a, b = tokens(shown), tokens(proposed)
    starts = [0]
    for tok in a:
        starts.append(starts[-1] + len(tok))
    words = [w for w in re.findall(r"\w+", flat) if w.lower() not in SMALL_WORDS]
    title_style = bool(words) and all(w[0].isupper() or not w[0].isalpha() for w in words)
    cuts: list[tuple[int, int, str]] = []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if op == "equal":
            continue
        replacement = b[j1:j2]
        if title:
            first = not any(c.isalnum() for c in "".join(a[:i1]))
            out = []
            for tok in replacement:
                out.append(_recased(tok, first, title_style, known or {}) if tok.strip() else tok)
                first = first and not any(c.isalnum() for c in tok)
            replacement = out
        cuts.append((starts[i1], starts[i2], "".join(replacement)))
    value = flat
    for start, end, text in sorted(cuts, reverse=True):
        value = value[:start] + text + value[end:]
    check = value.translate(TYPOGRAPHY)
    if (check.upper() if title else check) != (proposed.upper() if title else proposed):
        return None
    return value


def _apply_summary(
    texts: Texts, originals: Texts, document: Path, entry: Entry, anchors: dict[str, str], name: str
) -> Refusal | Done:
    """A change to the Markdown of ``summary.purpose`` or ``summary.action``: made word by word
    as in a chapter, the value written back in its block scalar."""
    key = entry.paragraph
    text = _current(texts, originals, document)
    keys = ("summary", name.removeprefix("summary."))
    value = _yaml_value(text, document, keys)
    first_line = scalar_line(text, keys)
    if not isinstance(value, str) or first_line is None:
        return _cover_refusal(key, f"{name} is not a text value of document.yaml (inherited from "
                              "the session?); edit it by hand")  # fmt: skip
    if key.startswith(AFTER) and len(paragraphs(document, value)) > 1:
        # The base names the field, not which of its paragraphs the new one follows.
        return _cover_refusal(key, f"a paragraph added to {name}, which has several: where it goes "
                              "is not known; add it by hand", first_line, document)  # fmt: skip
    inner: Texts = {}
    done = _apply_markdown(inner, {document: value}, [document], entry, anchors)
    if isinstance(done, Refusal):
        line = done.line + first_line - 1 if done.line is not None else None
        return Refusal(done.path, line, done.reason)
    edited = set_nested_text(text, document, keys, inner.get(document, value))
    if edited is None:
        reason = f"the layout of {name} in document.yaml cannot be edited in place (a literal block, |, can)"
        return _cover_refusal(key, f"{reason}; edit it by hand", first_line, document)
    texts[document] = edited
    return document, done[1] + first_line - 1


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
