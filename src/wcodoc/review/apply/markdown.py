"""A change made on the Markdown sources: a paragraph modified word by word, deleted, or
inserted after the paragraph it follows.

Only the words that change are rewritten, so the untouched parts keep their markup (emphasis,
links, ``@par:`` references, footnotes, labels). A change that would cut through markup or
touch a cross-reference, or whose paragraph is not found exactly once, is refused with its
reason; every edit is read back and must read exactly as proposed.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Sequence
from pathlib import Path

from wcodoc.diff.align import tokens
from wcodoc.review.collect import AFTER, Entry
from wcodoc.review.apply.locate import LABEL_SPAN, LIST_MARKER, Paragraph, find, matches, paragraphs, positions
from wcodoc.review.apply.plan import Done, Refusal, Texts, current

MARKDOWN_SPECIAL = re.compile(r"([\\*_\[\]`@^<>#])")


def apply_markdown(
    texts: Texts, originals: Texts, sources: Sequence[Path], entry: Entry, anchors: dict[str, str]
) -> Refusal | Done:
    """Make ``entry``'s edits on the Markdown of ``sources``, in ``texts`` (in place)."""
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


def _find(texts: Texts, originals: Texts, sources: Sequence[Path], old: str) -> list[Paragraph]:
    return find(((path, current(texts, originals, path)) for path in sources), old)


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
    text = current(texts, originals, paragraph.path)
    edited = _edit(text, paragraph, old, new)
    if edited.startswith("\0"):
        return Refusal(paragraph.path, paragraph.line, f"paragraph {key}: {edited[1:]}")
    check = [p for p in paragraphs(paragraph.path, edited) if p.start == paragraph.start]
    if not check or not matches(check[0], new):
        return Refusal(paragraph.path, paragraph.line, f"paragraph {key}: the edited Markdown "
                       "would not read as proposed; apply it by hand")  # fmt: skip
    texts[paragraph.path] = edited
    return paragraph.path, paragraph.line


def _delete(texts: Texts, originals: Texts, sources: Sequence[Path], key: str, old: str) -> Refusal | Done:
    paragraph = _one(texts, originals, sources, key, old)
    if isinstance(paragraph, Refusal):
        return paragraph
    text = current(texts, originals, paragraph.path)
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
    text = current(texts, originals, paragraph.path)
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
    where = positions(paragraph, old)
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
