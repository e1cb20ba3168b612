"""Word comments: the ``word/comments.xml`` part and the anchors in the document body.

Elements (ECMA-376 Part 1, §17.13.4): ``w:comments/w:comment`` (``w:id``, ``w:author``,
``w:date``, ``w:initials``) holds the comment's paragraphs; in the body,
``w:commentRangeStart``/``w:commentRangeEnd`` (same ``w:id``) delimit the commented text and a
run holding ``w:commentReference`` places the comment mark.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from lxml import etree

from wcodoc.ooxml import W_ID, W_P, qn, tag_of

COMMENTS_PART = "word/comments.xml"
ANCHORS = (qn("w:commentRangeStart"), qn("w:commentReference"))
"""What ties a comment to a place in the body (the range start first, else the mark)."""
W14_PARA_ID = "{http://schemas.microsoft.com/office/word/2010/wordml}paraId"
_TEXT = {qn("w:t"): None, qn("w:tab"): " ", qn("w:br"): " ", qn("w:cr"): " "}


@dataclass(frozen=True)
class Comment:
    """One comment of ``comments.xml``."""

    id: str
    author: str
    date: str
    text: str
    """Its paragraphs' text, whitespace collapsed, paragraphs joined by a space."""
    para_id: str | None = None
    """The ``w14:paraId`` of its last paragraph: how ``commentsExtended.xml`` names it."""


def comment_list(root: etree._Element | None) -> list[Comment]:
    """Every comment of a ``comments.xml`` root in order, two with one ``w:id`` both kept
    (none when the part is missing)."""
    if root is None:
        return []
    found = []
    for el in root.iterchildren(qn("w:comment")):
        cid = el.get(W_ID)
        if cid is None:
            continue
        paragraphs = el.findall(W_P)
        texts = ("".join(_TEXT[tag_of(n)] or n.text or "" for n in p.iter(*_TEXT)) for p in el.iter(W_P))
        text = " ".join(" ".join(texts).split())
        para = paragraphs[-1].get(W14_PARA_ID) if paragraphs else None
        found.append(Comment(cid, el.get(qn("w:author"), ""), el.get(qn("w:date"), ""), text, para))
    return found


def read_comments(root: etree._Element | None) -> dict[str, Comment]:
    """The comments of a ``comments.xml`` root by ``w:id`` (none when the part is missing)."""
    return {comment.id: comment for comment in comment_list(root)}


def anchors(body: etree._Element) -> dict[str, etree._Element]:
    """The comment ids of ``body`` → the element anchoring each (range start, else the mark)."""
    found: dict[str, etree._Element] = {}
    for el in body.iter(*ANCHORS):
        cid = el.get(W_ID)
        if cid is not None:
            found.setdefault(cid, el)
    return found


def anchor_lists(part: etree._Element) -> dict[str, list[etree._Element]]:
    """The comment ids of ``part`` → every element anchoring a comment of that id, in order:
    the range starts, else the marks (two comments may share an id)."""
    starts: dict[str, list[etree._Element]] = {}
    marks: dict[str, list[etree._Element]] = {}
    for el in part.iter(*ANCHORS):
        if (cid := el.get(W_ID)) is not None:
            (starts if el.tag == ANCHORS[0] else marks).setdefault(cid, []).append(el)
    return {cid: starts.get(cid) or marks[cid] for cid in {**marks, **starts}}


COMMENTS_EXTENDED_PART = "word/commentsExtended.xml"
W15_NS = "http://schemas.microsoft.com/office/word/2012/wordml"


def reply_parents(comments: Sequence[Comment], extended: etree._Element | None) -> dict[int, int]:
    """The place in ``comments`` of each reply → the place of the comment it answers.

    Word (2013 on) and LibreOffice tie a reply to its comment in ``commentsExtended.xml``:
    ``w15:commentEx`` names a comment by the ``w14:paraId`` of its last paragraph and its
    parent by ``w15:paraIdParent``. Without that part every comment stands alone. Replies
    that answer each other in a circle would leave no comment to start their thread: the
    first of them in ``comments.xml`` answers nothing.
    """
    if extended is None:
        return {}
    by_para: dict[str, int] = {}
    for k, comment in enumerate(comments):
        if comment.para_id is not None:
            by_para.setdefault(comment.para_id, k)
    parents = {}
    for ex in extended.iterchildren(f"{{{W15_NS}}}commentEx"):
        child = by_para.get(ex.get(f"{{{W15_NS}}}paraId", ""))
        parent = by_para.get(ex.get(f"{{{W15_NS}}}paraIdParent", ""))
        if child is not None and parent is not None and child != parent:
            parents[child] = parent
    _break_circles(parents)
    return parents


def _break_circles(parents: dict[int, int]) -> None:
    """Drop one link of each circle of ``parents``: that of its first comment (in linear time)."""
    settled: set[int] = set()
    for start in sorted(parents):
        path: list[int] = []
        on_path: set[int] = set()
        node = start
        while node in parents and node not in settled and node not in on_path:
            path.append(node)
            on_path.add(node)
            node = parents[node]
        if node in on_path:
            del parents[min(path[path.index(node) :])]
        settled.update(path)
