"""Word comments: the ``word/comments.xml`` part and the anchors in the document body.

Elements (ECMA-376 Part 1, §17.13.4): ``w:comments/w:comment`` (``w:id``, ``w:author``,
``w:date``, ``w:initials``) holds the comment's paragraphs; in the body,
``w:commentRangeStart``/``w:commentRangeEnd`` (same ``w:id``) delimit the commented text and a
run holding ``w:commentReference`` places the comment mark.
"""

from __future__ import annotations

from dataclasses import dataclass

from lxml import etree

from wcodoc.ooxml import W_ID, W_P, qn, tag_of

COMMENTS_PART = "word/comments.xml"
ANCHORS = (qn("w:commentRangeStart"), qn("w:commentReference"))
"""What ties a comment to a place in the body (the range start first, else the mark)."""
_TEXT = {qn("w:t"): None, qn("w:tab"): " ", qn("w:br"): " ", qn("w:cr"): " "}


@dataclass(frozen=True)
class Comment:
    """One comment of ``comments.xml``."""

    id: str
    author: str
    date: str
    text: str
    """Its paragraphs' text, whitespace collapsed, paragraphs joined by a space."""


def read_comments(root: etree._Element | None) -> dict[str, Comment]:
    """The comments of a ``comments.xml`` root by ``w:id`` (none when the part is missing)."""
    if root is None:
        return {}
    found = {}
    for el in root.iterchildren(qn("w:comment")):
        cid = el.get(W_ID)
        if cid is None:
            continue
        paragraphs = ("".join(_TEXT[tag_of(n)] or n.text or "" for n in p.iter(*_TEXT)) for p in el.iter(W_P))
        text = " ".join(" ".join(paragraphs).split())
        found[cid] = Comment(cid, el.get(qn("w:author"), ""), el.get(qn("w:date"), ""), text)
    return found


def anchors(body: etree._Element) -> dict[str, etree._Element]:
    """The comment ids of ``body`` → the element anchoring each (range start, else the mark)."""
    found: dict[str, etree._Element] = {}
    for el in body.iter(*ANCHORS):
        cid = el.get(W_ID)
        if cid is not None:
            found.setdefault(cid, el)
    return found


COMMENTS_EXTENDED_PART = "word/commentsExtended.xml"
W14_PARA_ID = "{http://schemas.microsoft.com/office/word/2010/wordml}paraId"
W15_NS = "http://schemas.microsoft.com/office/word/2012/wordml"


def reply_parents(comments: etree._Element | None, extended: etree._Element | None) -> dict[str, str]:
    """Reply comment id → the id of the comment it answers.

    Word (2013 on) and LibreOffice tie a reply to its comment in ``commentsExtended.xml``:
    ``w15:commentEx`` names a comment by the ``w14:paraId`` of its last paragraph and its
    parent by ``w15:paraIdParent``. Without that part every comment stands alone.
    """
    if comments is None or extended is None:
        return {}
    by_para: dict[str, str] = {}
    for el in comments.iterchildren(qn("w:comment")):
        paragraphs = el.findall(qn("w:p"))
        para = paragraphs[-1].get(W14_PARA_ID) if paragraphs else None
        if (cid := el.get(W_ID)) is not None and para is not None:
            by_para[para] = cid
    parents = {}
    for ex in extended.iterchildren(f"{{{W15_NS}}}commentEx"):
        child = by_para.get(ex.get(f"{{{W15_NS}}}paraId", ""))
        parent = by_para.get(ex.get(f"{{{W15_NS}}}paraIdParent", ""))
        if child is not None and parent is not None and child != parent:
            parents[child] = parent
    return parents
