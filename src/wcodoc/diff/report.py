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
from html import escape

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
)
from wcodoc.diff.extract import Draft

KINDS = ("modified", "moved", "inserted", "deleted", "formatted")


def headline(change: Change) -> str:
    """One line naming the change, e.g. ``paragraph 7 (was 6): modified``."""
    match change:
        case Deleted(old=old):
            where = " (old numbering)" if old.number is not None and old.block != "cover" else ""
            return f"{old.label}{where}: deleted"
        case Inserted(new=new):
            after = f" after {new.after}" if new.after else " at the start"
            return f"{new.label}: inserted{after}" if new.number else f"{new.block}: inserted{after}"
    old, new = change.old, change.new
    was = ""
    if old.number is not None and old.number != new.number:
        was = f" (was {old.number})"
    elif old.number is None and isinstance(change, Moved) and old.after != new.after:
        was = f" (was after {old.after or 'the start'})"
    if isinstance(change, Formatted):
        return f"{new.label}{was}: formatting changed"
    edited = " and edited" if isinstance(change, Moved) and change.words else ""
    return f"{new.label}{was}: {change.kind}{edited}"


def formatted_line(change: Formatted) -> str:
    """The pieces whose formatting changed: ``formatting of "talks", "in detail"``."""
    return "formatting of " + ", ".join(f'"{piece}"' for piece in change.pieces)


def _words(change: Change) -> Sequence[Segment]:
    """The word diff of a modified or moved-and-edited block (empty for any other change)."""
    return change.words if isinstance(change, Modified | Moved) else ()


def counts(changes: list[Change]) -> Counter[str]:
    """How many changes of each kind."""
    return Counter(c.kind for c in changes)


def summary_line(changes: list[Change]) -> str:
    """``2 modified, 1 inserted`` (or ``no changes``)."""
    tally = counts(changes)
    parts = [f"{tally[k]} {k}" for k in KINDS if tally[k]]
    return ", ".join(parts) if parts else "no changes"


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
        case Inserted(new=new):
            return new.text
        case Deleted(old=old) | Moved(old=old, words=()):
            return old.text
    return None


def render_text(old: Draft, new: Draft, changes: list[Change], *, color: bool = False) -> str:
    """The terminal report: a count line, then each change and its word diff."""
    lines = [f"{old.symbol} → {new.symbol}: {summary_line(changes)}"]
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
    return "\n".join(lines) + "\n"


# --- Markdown ----------------------------------------------------------------------------------


def _md_escape(text: str) -> str:
    return "".join(f"\\{c}" if c in "\\`*_[]<>~#|" else c for c in text)


def _md_words(words: Sequence[Segment]) -> str:
    out, previous = [], "equal"
    for op, text in words:
        if op == "insert" and previous == "delete":
            out.append(" ")  # keeps ~~old~~ and **new** apart when one replaces the other
        previous = op
        core, pad = text.strip(), text[len(text.rstrip()) :]
        lead = text[: len(text) - len(text.lstrip())]
        if op == "equal" or not core:
            out.append(_md_escape(text))
        elif op == "delete":
            out.append(f"{lead}~~{_md_escape(core)}~~{pad}")
        else:
            out.append(f"{lead}**{_md_escape(core)}**{pad}")
    return "".join(out)


def render_markdown(old: Draft, new: Draft, changes: list[Change]) -> str:
    """The report as Markdown: deleted words ``~~struck~~``, inserted words **bold**."""
    lines = [f"# Changes from {old.symbol} to {new.symbol}", "", summary_line(changes), ""]
    for change in changes:
        lines += [f"## {_md_escape(headline(change))}", ""]
        if isinstance(change, Formatted):
            lines.append(_md_escape(formatted_line(change)))
        elif words := _words(change):
            lines.append(_md_words(words))
        elif (body := _body(change)) is not None:
            lines.append(f"~~{_md_escape(body)}~~" if isinstance(change, Deleted) else _md_escape(body))
        lines.append("")
    return "\n".join(lines)


# --- HTML --------------------------------------------------------------------------------------

_CSS = """
body{font-family:system-ui,sans-serif;margin:2em;color:#222}
table{border-collapse:collapse;width:100%}
td,th{border:1px solid #ccc;padding:.4em .6em;vertical-align:top;width:50%}
th{background:#f3f3f3;text-align:left}
tr.title td{background:#fafafa;font-weight:bold}
del{background:#fdd;color:#900}ins{background:#dfd;color:#060;text-decoration:none}
"""


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
        case Deleted(old=old):
            return f"<del>{escape(old.text)}</del>", ""
        case Inserted(new=new):
            return "", f"<ins>{escape(new.text)}</ins>"
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


def render_html(old: Draft, new: Draft, changes: list[Change]) -> str:
    """A self-contained HTML page, old text left and new text right (no external resources)."""
    title = f"Changes from {escape(old.symbol)} to {escape(new.symbol)}"
    rows = "".join(_html_row(c) for c in changes)
    return (
        f'<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8"><title>{title}</title>'
        f"<style>{_CSS}</style></head><body><h1>{title}</h1>"
        f"<p>{escape(summary_line(changes))}</p>"
        f"<table><tr><th>{escape(old.symbol)}</th><th>{escape(new.symbol)}</th></tr>{rows}"
        "</table></body></html>\n"
    )


# --- JSON --------------------------------------------------------------------------------------


def change_record(change: Change) -> dict[str, str | bool | None]:
    """One change as the JSON contract of DESIGN.md describes it."""
    old, new = sides(change)
    record: dict[str, str | bool | None] = {
        "kind": "modified" if isinstance(change, Formatted) else change.kind,
        "block": change.block.block,
        "old_number": old.number if old else None,
        "new_number": new.number if new else None,
        "old_text": old.text if old else None,
        "new_text": new.text if new else None,
    }
    if change.block.block == "cover":
        record["field"] = change.block.field
    if isinstance(change, Formatted):
        record["formatting_only"] = True
    return record


def render_json(old: Draft, new: Draft, changes: list[Change]) -> str:
    """The report as JSON: ``{"old": {...}, "new": {...}, "changes": [...]}``."""
    data = {
        "old": {"symbol": old.symbol},
        "new": {"symbol": new.symbol},
        "changes": [change_record(c) for c in changes],
    }
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"


def render(fmt: str, old: Draft, new: Draft, alignment: Alignment, *, color: bool = False) -> str:
    """The report in format ``fmt`` (text, markdown, json or html)."""
    changes = alignment.changes
    if fmt == "json":
        return render_json(old, new, changes)
    if fmt == "markdown":
        return render_markdown(old, new, changes)
    if fmt == "html":
        return render_html(old, new, changes)
    return render_text(old, new, changes, color=color)
