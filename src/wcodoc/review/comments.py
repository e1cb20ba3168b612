"""The comments of a returned copy as threads: each comment a Member started, its replies, and
the body paragraph it is on.

A thread starts at a comment the base did not have that answers no other comment, or that
answers one the base had (a Member replying to the Secretariat). Its replies, and theirs, follow
it in the order of ``comments.xml``. Nothing is left out: two comments sharing one ``w:id`` are
two threads, anchored at that id's first and second place; replies that answer each other in a
circle form one thread, started by the first of them (``ooxml.comments.reply_parents``).

A comment on a footnote's or endnote's text is on the paragraph that references the note; one
whose range starts between paragraphs (a whole cell, row or table selected) is on the next
paragraph, inside the table.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass

from lxml import etree

from wcodoc.ooxml import W_ID, W_NS, W_P, tag_of
from wcodoc.ooxml.comments import Comment, anchor_lists
from wcodoc.ooxml.notes import NOTE_KINDS, REFERENCES

NOTE_TAGS = tuple(kind.note for kind in NOTE_KINDS)
NoteKey = tuple[str, str]
"""A note by its element's tag and its ``w:id``."""


@dataclass(frozen=True)
class Thread:
    """A comment a Member started, with its replies."""

    author: str
    """Who started it (``""``: no name given)."""
    text: str
    """Its text, then each reply as ``Reply by …: …``, one per line."""
    paragraph: etree._Element | None
    """The body paragraph it is on (``None``: no anchor in the document)."""


def new_threads(
    comments: Sequence[Comment],
    replies: dict[int, int],
    parts: Sequence[etree._Element],
    old: Collection[tuple[str, str]],
) -> list[Thread]:
    """The threads of ``comments`` that the base did not have (``old``: its comments' author
    and text). ``replies``: the place of each reply → that of the comment it answers;
    ``parts``: the document, then its notes parts, where the comments are anchored."""
    anchors = _placed(comments, parts)
    references = _note_references(parts[0])
    children: dict[int, list[int]] = {}
    for child, answered in replies.items():
        children.setdefault(answered, []).append(child)

    def new(k: int) -> bool:
        return (comments[k].author, comments[k].text) not in old

    threads = []
    for k, comment in enumerate(comments):
        parent = replies.get(k)
        if not new(k) or (parent is not None and new(parent)):
            continue
        first = comment.text if parent is None else _answering(comments[parent], comment)
        replies_below = (_reply(comments[r]) for r in _below(k, children, new))
        anchor = anchors[k] if anchors[k] is not None or parent is None else anchors[parent]
        threads.append(
            Thread(comment.author, "\n".join([first, *replies_below]), _body_paragraph(anchor, references))
        )
    return threads


def _reply(comment: Comment) -> str:
    return f"Reply by {comment.author or 'someone'}: {comment.text}"


def _answering(parent: Comment, reply: Comment) -> str:
    """A Member's reply to a comment the base had, that comment quoted."""
    return f"Reply to {parent.author or 'someone'} (\u201c{parent.text}\u201d): {reply.text}"


def _below(start: int, children: dict[int, list[int]], new: Callable[[int], bool]) -> list[int]:
    """The new replies under comment ``start``, replies to replies too, in document order."""
    found, stack = [], list(children.get(start, ()))
    while stack:
        k = stack.pop()
        if new(k):
            found.append(k)
            stack.extend(children.get(k, ()))
    return sorted(found)


def _placed(comments: Sequence[Comment], parts: Sequence[etree._Element]) -> list[etree._Element | None]:
    """The anchor of each comment: the first comment of an id at the id's first place, the
    second at its second (or last) place …; ``None`` where the id is anchored nowhere."""
    by_id: dict[str, list[etree._Element]] = {}
    for part in parts:
        for cid, found in anchor_lists(part).items():
            by_id.setdefault(cid, []).extend(found)
    seen: Counter[str] = Counter()
    placed: list[etree._Element | None] = []
    for comment in comments:
        found = by_id.get(comment.id, [])
        placed.append(found[min(seen[comment.id], len(found) - 1)] if found else None)
        seen[comment.id] += 1
    return placed


def _note_references(document: etree._Element) -> dict[NoteKey, etree._Element]:
    """Each note → the body paragraph holding its reference (the first, if several)."""
    found: dict[NoteKey, etree._Element] = {}
    for ref in document.iter(*REFERENCES):
        paragraph = next(ref.iterancestors(W_P), None)
        if paragraph is not None:
            found.setdefault((REFERENCES[tag_of(ref)].note, ref.get(W_ID, "")), paragraph)
    return found


def _body_paragraph(
    anchor: etree._Element | None, references: dict[NoteKey, etree._Element]
) -> etree._Element | None:
    """The body paragraph ``anchor`` is on (see the module's docstring)."""
    if anchor is None:
        return None
    note = next(anchor.iterancestors(*NOTE_TAGS), None)
    if note is not None:
        return references.get((tag_of(note), note.get(W_ID, "")))
    paragraph = next(anchor.iterancestors(W_P), None)
    if paragraph is not None:
        return paragraph
    following = anchor.xpath("following::w:p[1]", namespaces={"w": W_NS})
    return following[0] if isinstance(following, list) and following else None
