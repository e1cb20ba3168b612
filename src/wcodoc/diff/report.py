"""Say what changed between two drafts: text (coloured on a terminal), Markdown, HTML, JSON.

Every change is named by the paragraph numbers a reader sees: ``paragraph 7 (was 6):
modified``, ``paragraph 6: inserted after paragraph 5``, ``paragraph 4 (old numbering):
deleted``.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Sequence

import click

from wcodoc.diff.align import (
    Alignment,
    Change,
    Deleted,
    Formatted,
    Inserted,
    Modified,
    Moved,
    Segment,
    sides,
    unmarkable,
)
from wcodoc.diff.extract import NOTE_BLOCKS, Block, Draft, DraftComment
from wcodoc.render.html5.page import escape, page

KINDS = ("modified", "moved", "inserted", "deleted", "formatted")


def headline(change: Change) -> str:
    """One line naming the change, e.g. ``paragraph 7 (was 6): modified``."""
    match change:
        case Deleted(old=old):
            return f"{old.label}{_old_place(old)}: deleted"
        case Inserted(new=new) if new.number and new.block not in NOTE_BLOCKS:
            after = f" after {new.after}" if new.after else " at the start"
            return f"{new.label}: inserted{after}"
        case Inserted(new=new):
            return f"{new.label}: inserted"
    old, new = change.old, change.new
    was = ""
    if old.number is not None and old.number != new.number:
        was = f" (was {old.number})"
    elif old.position is not None and old.position != new.position:
        was = f" (was {old.position.index} of {old.position.total})"
    elif old.number is None and isinstance(change, Moved) and old.label != new.label:
        was = f" (was {old.label})"
    if isinstance(change, Formatted):
        return f"{new.label}{was}: formatting changed"
    if isinstance(change, Modified) and change.derived:
        also = ", ".join(d.new.label for d in change.derived)
        return f"{new.label}{was}: modified, also in {also}"
    edited = " and edited" if isinstance(change, Moved) and change.words else ""
    origin = ""
    if isinstance(change, Moved) and old.section and old.section != new.section:
        origin = f" from {old.section}"
    return f"{new.label}{was}: {change.kind}{edited}{origin}"


def _old_place(old: Block) -> str:
    """What says that a deleted block is named as the old draft had it."""
    if old.block == "cover":
        return ""
    return " (old numbering)" if old.number is not None else " (old draft)" if old.position else ""


def formatted_line(change: Formatted) -> str:
    """The pieces whose formatting changed: ``formatting of "talks", "in detail"``."""
    return "formatting of " + ", ".join(f'"{piece}"' for piece in change.pieces)


def _words(change: Change) -> Sequence[Segment]:
    """The word diff of a modified or moved-and-edited block (empty for any other change).

    Embedded content whose description stayed the same (a picture of the same size replaced
    by another) reads as its description and what changed: ``picture 4.0 × 3.0 cm: another
    image``."""
    if not isinstance(change, Modified | Moved):
        return ()
    if isinstance(change, Modified) and all(op == "equal" for op, _ in change.words) and change.new.described:
        what = "another image" if change.new.block == "picture" else "its content changed"
        return (("equal", change.new.text), ("insert", f" ({what})"))
    return change.words


def plural(count: int, noun: str) -> str:
    """``1 tracked change``, ``2 tracked changes``."""
    return f"{count} {noun}{'' if count == 1 else 's'}"


def counts(changes: list[Change]) -> Counter[str]:
    """How many changes of each kind."""
    return Counter(c.kind for c in changes)


def summary_line(changes: list[Change], comments: Sequence[DraftComment] = ()) -> str:
    """``2 modified, 1 inserted`` (or ``no changes``), then the comments: ``1 comment``."""
    tally = counts(changes)
    parts = [f"{tally[k]} {k}" for k in KINDS if tally[k]]
    if comments:
        return ", ".join(parts or ["no text changes"]) + f", {plural(len(comments), 'comment')}"
    return ", ".join(parts) if parts else "no changes"


def added_comments(old: Draft, new: Draft) -> list[DraftComment]:
    """The comments of the new draft that the old one did not have (same author and text)."""
    known = Counter((c.comment.author, c.comment.text) for c in old.comments)
    out = []
    for c in new.comments:
        key = (c.comment.author, c.comment.text)
        if known[key]:
            known[key] -= 1
        else:
            out.append(c)
    return out


def comment_headline(comment: DraftComment) -> str:
    """``comment by Korea Customs on paragraph 10``."""
    author = comment.comment.author or "unknown author"
    where = comment.block.label if comment.block is not None else "deleted text"
    return f"comment by {author} on {where}"


def unmarkable_line(blocks: Sequence[Block]) -> str:
    """``1 change wcodoc cannot mark: equation in paragraph 12`` (in a redline)."""
    return f"{plural(len(blocks), 'change')} wcodoc cannot mark: {', '.join(b.label for b in blocks)}"


def notice_lines(old: Draft, new: Draft, changes: list[Change]) -> list[str]:
    """What the reader must know besides the changes: the drafts' own tracked changes,
    accepted before comparing, and the changes a redline cannot show."""
    lines = pending_lines(old, new)
    if cannot := unmarkable(changes):
        lines.append(unmarkable_line(cannot))
    return lines


def pending_lines(old: Draft, new: Draft) -> list[str]:
    """A line per draft that held tracked changes: they were accepted before comparing."""
    lines = []
    for draft in (old, new):
        if draft.pending.count:
            by = f" by {', '.join(draft.pending.authors)}" if draft.pending.authors else ""
            held = plural(draft.pending.count, "tracked change")
            lines.append(f"{draft.symbol} holds {held}{by}: compared with them accepted")
    return lines


# --- text --------------------------------------------------------------------------------------


CONTEXT_WORDS = 8
"""Unchanged words kept on each side of a change in the text report; the rest is elided."""
_WORD_RUN = re.compile(r"\s*\S+\s*")


def _elide(text: str, *, keep_start: bool, keep_end: bool) -> str:
    """Shorten an unchanged run to its first and/or last ``CONTEXT_WORDS`` words."""
    words = _WORD_RUN.findall(text)
    if len(words) <= CONTEXT_WORDS * (keep_start + keep_end) + 2:
        return text
    # The kept words keep their own spacing, so the text still joins the changes around it.
    head = "".join(words[:CONTEXT_WORDS]).rstrip() + " …" if keep_start else "…"
    tail = " " + "".join(words[-CONTEXT_WORDS:]).lstrip() if keep_end else ""
    return head + tail


def _text_words(words: Sequence[Segment], color: bool) -> str:
    out = []
    last = len(words) - 1
    for index, (op, text) in enumerate(words):
        if op == "equal":
            # Long paragraphs: show each change with a little context, not the whole text.
            out.append(_elide(text, keep_start=index > 0, keep_end=index < last))
        elif op == "delete":
            out.append(click.style(text, fg="red", strikethrough=True) if color else f"[-{text}-]")
        else:
            out.append(click.style(text, fg="green", underline=True) if color else f"{{+{text}+}}")
    return "".join(out)


def _body(change: Change) -> str | None:
    """The whole text to show under the headline of a change without a word diff."""
    match change:
        case Inserted(new=new, also=also):
            return new.text + _with(also)
        case Deleted(old=old, also=also):
            return old.text + _with(also)
        case Moved(old=old, words=()):
            return old.text
    return None


def _with(also: tuple) -> str:
    """`` (with its 10 paragraphs)`` for a use case inserted or deleted with its text."""
    if not also:
        return ""
    return f" (with its {len(also)} paragraph{'s' if len(also) > 1 else ''})"


def render_text(
    old: Draft,
    new: Draft,
    changes: list[Change],
    *,
    color: bool = False,
    comments: Sequence[DraftComment] = (),
) -> str:
    """The terminal report: a count line, then each change and its word diff, then comments."""
    lines = [
        f"{old.symbol} → {new.symbol}: {summary_line(changes, comments)}",
        *notice_lines(old, new, changes),
    ]
    for change in changes:
        title = headline(change)
        lines.append(click.style(title, bold=True) if color else title)
        if isinstance(change, Formatted):
            lines.append(f"    {formatted_line(change)}")
        elif words := _words(change):
            lines.append(f"    {_text_words(words, color)}")
        elif (body := _body(change)) is not None:
            sign = "-" if isinstance(change, Deleted) else "+" if isinstance(change, Inserted) else " "
            text = f"    {sign} {body}"
            fg = {"-": "red", "+": "green"}.get(sign)
            lines.append(click.style(text, fg=fg) if color and fg else text)
    for comment in comments:
        title = comment_headline(comment)
        lines += [click.style(title, bold=True) if color else title, f"    {comment.comment.text}"]
    return "\n".join(lines) + "\n"


# --- Markdown ----------------------------------------------------------------------------------


def _md_escape(text: str) -> str:
    return "".join(f"\\{c}" if c in "\\`*_[]<>~#|" else c for c in text)


def _md_words(words: Sequence[Segment]) -> str:
    out: list[str] = []
    previous = "equal"
    for index, (op, text) in enumerate(words):
        if op == "insert" and previous == "delete":
            out.append(" ")  # keeps ~~old~~ and **new** apart when one replaces the other
        previous = op
        core, pad = text.strip(), text[len(text.rstrip()) :]
        lead = text[: len(text) - len(text.lstrip())]
        if op == "equal" or not core:
            out.append(_md_escape(text))
            continue
        before = (out[-1][-1:] if out else "") if not lead else " "
        after = (words[index + 1][1][:1] if index + 1 < len(words) else "") if not pad else " "
        out.append(f"{lead}{_md_emphasis(op, _md_escape(core), before, after)}{pad}")
    return "".join(out)


_MD_MARKS = {"delete": ("~~", "del"), "insert": ("**", "strong")}


def _md_emphasis(op: str, core: str, before: str, after: str) -> str:
    """``core`` struck (deleted) or bold (inserted).

    CommonMark opens ``**``/``~~`` only before a letter or after a space or punctuation, and
    closes it likewise: ``scale~~. Wider~~`` would print the tildes. Where the delimiters
    would not work, the HTML elements they stand for are written instead.
    """
    mark, tag = _MD_MARKS[op]
    opens = not _is_punctuation(core[0]) or not before or not before.isalnum()
    closes = not _is_punctuation(core[-1]) or not after or not after.isalnum()
    return f"{mark}{core}{mark}" if opens and closes else f"<{tag}>{core}</{tag}>"


def _is_punctuation(char: str) -> bool:
    return not char.isalnum() and not char.isspace()


def render_markdown(
    old: Draft, new: Draft, changes: list[Change], comments: Sequence[DraftComment] = ()
) -> str:
    """The report as Markdown: deleted words ``~~struck~~``, inserted words **bold**."""
    lines = [f"# Changes from {old.symbol} to {new.symbol}", "", summary_line(changes, comments), ""]
    for line in notice_lines(old, new, changes):
        lines += [f"_{_md_escape(line)}_", ""]
    for change in changes:
        lines += [f"## {_md_escape(headline(change))}", ""]
        if isinstance(change, Formatted):
            lines.append(_md_escape(formatted_line(change)))
        elif words := _words(change):
            lines.append(_md_words(words))
        elif (body := _body(change)) is not None:
            lines.append(f"~~{_md_escape(body)}~~" if isinstance(change, Deleted) else _md_escape(body))
        lines.append("")
    for comment in comments:
        lines += [
            f"## {_md_escape(comment_headline(comment))}",
            "",
            f"> {_md_escape(comment.comment.text)}",
            "",
        ]
    return "\n".join(lines)


# --- HTML --------------------------------------------------------------------------------------


def _html_side(words: Sequence[Segment], keep: str) -> str:
    out = []
    for op, text in words:
        if op == "equal":
            out.append(escape(text))
        elif op == keep:
            tag = "del" if op == "delete" else "ins"
            out.append(f"<{tag}>{escape(text)}</{tag}>")
    return "".join(out)


def _html_cells(change: Change) -> tuple[str, str]:
    """Old text (left) and new text (right) of a change, its words marked."""
    if words := _words(change):
        return _html_side(words, "delete"), _html_side(words, "insert")
    match change:
        case Deleted(old=old, also=also):
            return f"<del>{escape(old.text + _with(also))}</del>", ""
        case Inserted(new=new, also=also):
            return "", f"<ins>{escape(new.text + _with(also))}</ins>"
        case Moved(old=old):
            return escape(old.text), escape(old.text)
        case Formatted(old=old):
            return escape(old.text), escape(formatted_line(change))
    return "", ""


def _html_row(change: Change) -> str:
    left, right = _html_cells(change)
    return (
        f'<tr class="title"><td colspan="2">{escape(headline(change))}</td></tr>'
        f"<tr><td>{left}</td><td>{right}</td></tr>"
    )


def _html_comment(comment: DraftComment) -> str:
    return (
        f'<tr class="title"><td colspan="2">{escape(comment_headline(comment))}</td></tr>'
        f"<tr><td></td><td>{escape(comment.comment.text)}</td></tr>"
    )


def render_html(old: Draft, new: Draft, changes: list[Change], comments: Sequence[DraftComment] = ()) -> str:
    """A self-contained HTML page, old text left and new text right (no external resources)."""
    rows = "".join(_html_row(c) for c in changes) + "".join(_html_comment(c) for c in comments)
    notes = "".join(f"<p><em>{escape(line)}</em></p>" for line in notice_lines(old, new, changes))
    return page(
        f"Changes from {old.symbol} to {new.symbol}",
        f"<p>{escape(summary_line(changes, comments))}</p>{notes}"
        f"<table><tr><th>{escape(old.symbol)}</th><th>{escape(new.symbol)}</th></tr>{rows}</table>",
    )


# --- JSON --------------------------------------------------------------------------------------


def change_record(change: Change) -> dict[str, str | bool | list[str] | None]:
    """One change as the JSON contract of DESIGN.md describes it."""
    old, new = sides(change)
    record: dict[str, str | bool | list[str] | None] = {
        "kind": "modified" if isinstance(change, Formatted) else change.kind,
        "block": change.block.block,
        "old_number": old.number if old else None,
        "new_number": new.number if new else None,
        "old_text": old.text if old else None,
        "new_text": new.text if new else None,
        "old_location": old.label if old else None,
        "new_location": new.label if new else None,
    }
    if change.block.block == "cover":
        record["field"] = change.block.field
    if change.block.block in NOTE_BLOCKS:
        record["paragraph"] = change.block.after
    if isinstance(change, Inserted | Deleted) and change.also:
        record["contents"] = [b.text for b in change.also]
    if isinstance(change, Modified) and change.derived:
        record["derived"] = [d.new.text for d in change.derived]
    if isinstance(change, Formatted):
        record["formatting_only"] = True
    return record


def comment_record(comment: DraftComment) -> dict[str, str | None]:
    """One comment: its author and date, the block it is anchored to, its text."""
    block = comment.block
    return {
        "author": comment.comment.author,
        "date": comment.comment.date or None,
        "block": block.block if block else None,
        "number": block.number if block else None,
        "paragraph": block.label if block else None,
        "text": comment.comment.text,
    }


def _side(draft: Draft) -> dict[str, object]:
    side: dict[str, object] = {"symbol": draft.symbol}
    if draft.pending.count:
        side["tracked_changes"] = {"count": draft.pending.count, "authors": list(draft.pending.authors)}
    return side


def render_json(old: Draft, new: Draft, changes: list[Change], comments: Sequence[DraftComment] = ()) -> str:
    """The report as JSON: ``{"old": {...}, "new": {...}, "changes": [...], "comments": [...]}``."""
    data = {
        "old": _side(old),
        "new": _side(new),
        "changes": [change_record(c) for c in changes],
        "comments": [comment_record(c) for c in comments],
    }
    if cannot := unmarkable(changes):
        data["unmarkable"] = [{"block": b.block, "location": b.label} for b in cannot]
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"


def render(fmt: str, old: Draft, new: Draft, alignment: Alignment, *, color: bool = False) -> str:
    """The report in format ``fmt`` (text, markdown, json or html)."""
    changes = alignment.changes
    comments = added_comments(old, new)
    if fmt == "json":
        return render_json(old, new, changes, comments)
    if fmt == "markdown":
        return render_markdown(old, new, changes, comments)
    if fmt == "html":
        return render_html(old, new, changes, comments)
    return render_text(old, new, changes, color=color, comments=comments)
