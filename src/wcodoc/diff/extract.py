"""Extract a draft's structure: cover fields, headings, numbered paragraphs, tables, annex.

The XML is read directly (python-docx skips runs inside ``w:ins``): text is the *current*
view of the document, with insertions kept and deletions dropped, so a draft that already
carries tracked changes compares as Word shows it with changes accepted.
"""

from __future__ import annotations

import copy
import dataclasses
import functools
import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from lxml import etree

from wcodoc.diff import location
from wcodoc.diff.location import Position, noun_of
from wcodoc.errors import WcodocError
from wcodoc.kinds import cover_fields
from wcodoc.ooxml import (
    W_BODY,
    W_DEL,
    W_ID,
    W_INS,
    W_MOVE_TO,
    W_P,
    W_PPR,
    W_RPR,
    W_TBL,
    W_TC,
    W_TR,
    qn,
    required,
    tag_of,
)
from wcodoc.ooxml.comments import COMMENTS_PART, Comment, anchors, read_comments
from wcodoc.ooxml.embedded import (
    EMBEDDED_TAGS,
    Embedded,
    Related,
    alt_text,
    embedded,
    math_text,
    ole_program,
    related_parts,
    relationship_ids,
    size_mm,
    textbox_paragraphs,
)
from wcodoc.ooxml.fields import holds_bookmark_of
from wcodoc.ooxml.notes import NOTE_KINDS, REFERENCES, notes_by_id
from wcodoc.ooxml.numbering import NUMBERING_PART, Numbering
from wcodoc.ooxml.numfmt import BULLET_FORMATS, format_value
from wcodoc.ooxml.revisions import Pending, accept_all, pending
from wcodoc.ooxml.safe import DOCUMENT_PART, Package, open_docx
from wcodoc.ooxml.styles import STYLES_PART, Styles, named_style, own_num_pr, read_styles
from wcodoc.ooxml.text import is_hidden, raw_text, walk
from wcodoc.styles import (
    ANNEX_HEADING,
    ANNEX_TEXT,
    ANNEX_TITLE,
    COVER_COMMITTEE,
    SUMMARY_BULLET,
    SUMMARY_LABEL,
    SUMMARY_TEXT,
    USE_CASE_HEADING,
    USE_CASE_META,
    ParagraphStyle,
)

W_SDT, W_SDT_CONTENT, W_CUSTOM_XML = qn("w:sdt"), qn("w:sdtContent"), qn("w:customXml")
W_ALT_CHUNK = qn("w:altChunk")
W_PSTYLE, W_NUM_PR, W_BOOKMARK_START = qn("w:pStyle"), qn("w:numPr"), qn("w:bookmarkStart")


def _key(style: ParagraphStyle) -> str:
    """How :meth:`BlockReader.style_name` spells a style: its name in lower case."""
    return style.name.lower()


COVER_FIELDS = {name.lower(): key for name, key in cover_fields().items()}
"""Cover paragraph style → the ``document.yaml`` key the text comes from (every kind's cover)."""
SUMMARY_LABEL_KEY, ANNEX_HEADING_KEY, USE_CASE_HEADING_KEY = map(
    _key, (SUMMARY_LABEL, ANNEX_HEADING, USE_CASE_HEADING)
)
"""Styles a reader looks out for, as :meth:`BlockReader.style_name` spells them."""
SUMMARY_STYLES = frozenset({_key(SUMMARY_TEXT), _key(SUMMARY_BULLET)})
"""Summary paragraphs: ``summary.purpose`` or ``summary.action`` by the label before them."""
ANNEX_STYLES = frozenset(
    _key(s) for s in (ANNEX_HEADING, ANNEX_TITLE, USE_CASE_HEADING, USE_CASE_META, ANNEX_TEXT)
)
NOTE_BLOCKS = frozenset(kind.name for kind in NOTE_KINDS)
"""Block kinds of footnotes and endnotes (never in a draft's block list: in ``Block.notes``)."""
OTHER_NAMES = {"chart": "chart", "smartart": "SmartArt", "shape": "shape", "object": "embedded object"}
"""What a reader calls embedded content that is neither a picture, a text box nor an equation
(the ``field`` of its ``other`` block)."""
TYPED_NUMBER = re.compile(r"^\s*(?:(?P<par>\d{1,4})|(?P<sub>[a-z]{1,2})|(?P<roman>[IVXLC]{1,7}))[.)]\s+")
USE_CASE_NUMBER = re.compile(r"(\d+)")
NoteParts = dict[str, etree._Element]
"""The root of each notes part a document has, by note kind (``footnote``, ``endnote``)."""


@dataclass
class Block:
    """One unit of comparison: a paragraph, a table or a cover field, with its number."""

    block: str
    """cover, heading, paragraph, sub-item, bullet, table, annex or other."""
    number: str | None
    """The number Word shows (``7``, ``9.e``, ``II``, use case ``3``), or ``None``."""
    text: str
    """Whitespace-normalized current text, typed paragraph numbers stripped."""
    element: etree._Element = field(repr=False, compare=False)
    field: str | None = None
    """For cover blocks, the ``document.yaml`` key (``issued``, ``title``, …); for embedded
    content of block ``other``, what it is (``chart``, ``SmartArt``, ``shape``, ``embedded
    object``)."""
    after: str | None = None
    """Label of the nearest numbered block before this one (``paragraph 9``)."""
    typed_prefix: int = 0
    """Characters of a typed number (``7. ``) at the start of the raw text."""
    compare: str = ""
    """The text compared: like ``text`` but cross-references name their target, not its number."""
    section: str | None = None
    """The section the block is in: ``section II`` (numbered headings), else ``section
    "Title"`` after the nearest unnumbered heading of a draft without numbered ones."""
    notes: tuple[Block, ...] = dataclasses.field(default=(), repr=False)
    """The footnotes and endnotes referenced in this block, in order (blocks of their own:
    ``footnote``/``endnote``, numbered as Word numbers them, ``after`` naming this block)."""
    position: Position | None = None
    """For a block with no number and no numbered block before it: where it sits among the
    draft's blocks of its kind (``paragraph 19 of 20``), which names it instead."""
    objects: tuple[Block, ...] = dataclasses.field(default=(), repr=False)
    """What the block holds besides its text, in order: pictures, text boxes, equations,
    charts … (blocks of their own, ``within`` naming this block); ``compare`` is the
    content's signature. A paragraph holding nothing else is itself such a block."""
    within: str | None = None
    """For embedded content, the label of the block holding it."""
    described: bool = False
    """Whether ``text`` describes embedded content (a picture's size, a chart's values)
    rather than giving text of the draft: two such texts alike say nothing of the content."""
    bare: bool = False
    """A paragraph without text of its own: its embedded content (``objects``) is the block,
    its ``text`` and ``compare`` that content's."""
    xml: str | None = dataclasses.field(default=None, repr=False, compare=False)
    """The serialized XML of a paragraph or table block as read (see :meth:`same_xml`)."""

    def __post_init__(self) -> None:
        self.compare = self.compare or self.text

    def same_xml(self, other: Block) -> bool:
        """Whether this block and ``other`` were read from the same XML: the same text and
        formatting, with nothing to compare word by word."""
        return self.xml is not None and self.xml == other.xml

    @property
    def key(self) -> tuple[str, str | None, str, tuple[str, ...]]:
        """What must be equal for two blocks to be the same content."""
        return (self.block, self.field, self.compare, tuple(o.compare for o in self.objects))

    @property
    def noun(self) -> str:
        """What a reader calls the block: its kind, ``text box``, or what an ``other`` block
        of embedded content is (``chart``)."""
        if self.block == "textbox":
            return "text box"
        return self.field if self.block == "other" and self.field else self.block

    @property
    def label(self) -> str:
        """Where a reader finds this block (:mod:`wcodoc.diff.location`): ``paragraph 7``,
        ``heading II``, ``cover (issued)``, ``paragraph 19 of 20, 'Nineteen…'``."""
        if self.block == "cover":
            return location.cover(self.field)
        if self.block in NOTE_BLOCKS:
            return location.note(self.block, self.number, self.after)
        if self.within is not None:
            return location.inside(self.noun, self.within)
        if self.number:
            return location.numbered(self.block, self.number)
        if self.after:
            return location.after(self.block, self.noun, self.after, self.text)
        if self.position is not None:
            return location.positioned(self.position, "" if self.described else self.text)
        return f"{self.block} at the start"


@dataclass(frozen=True)
class DraftComment:
    """A Word comment of a draft and the block it is anchored to (``None``: not in a block,
    e.g. on text the draft itself deletes)."""

    comment: Comment
    block: Block | None


@dataclass
class Draft:
    """A DOCX read for comparison: its blocks and what is needed to re-read or redline it.

    ``root`` is the document as compared: the draft's own pending tracked changes
    (``pending``) already accepted.
    """

    path: Path
    symbol: str
    blocks: list[Block]
    root: etree._Element = field(repr=False)
    reader: BlockReader = field(repr=False)
    pending: Pending = field(default=Pending(0, ()))
    """The tracked changes the file held (accepted before comparing)."""
    comments: list[DraftComment] = field(default_factory=list)
    notes: NoteParts = field(default_factory=dict, repr=False)
    """The footnotes and endnotes parts (their own tracked changes accepted), by note kind."""


def comparable_text(p: etree._Element) -> str:
    """The text of ``p`` with each cross-reference shown as its target, not its number.

    A reference to a paragraph that was renumbered then reads the same in both drafts, so
    renumbering never shows up as an edit of the paragraphs that refer to it.
    """
    out: list[str] = []
    previous = None
    for _, text, target in walk(p):
        if target is None:
            out.append(text)
        elif target != previous:
            out.append(f"\u27e8{target}\u27e9")
        previous = target
    return "".join(out)


INVISIBLE = str.maketrans("", "", "\u200b\ufeff")
"""Characters that show nothing (zero-width space, byte-order mark): LibreOffice writes zero-width
spaces into a paragraph anchoring a text box when it accepts or rejects changes there."""


def normalize(text: str) -> str:
    """Collapse whitespace and drop invisible characters, so that spacing differences are
    never reported as edits."""
    if "\u200b" in text or "\ufeff" in text:
        text = text.translate(INVISIBLE)
    return " ".join(text.split())


def mark_deleted(p: etree._Element) -> bool:
    """Whether the paragraph mark of ``p`` is a tracked deletion."""
    return p.find(f"{W_PPR}/{W_RPR}/{W_DEL}") is not None


def body_elements(container: etree._Element) -> list[etree._Element]:
    """Paragraphs and tables of a body or cell, looking through content controls."""
    out = []
    for child in container:
        if child.tag in (W_P, W_TBL):
            out.append(child)
        elif child.tag in (W_SDT, W_CUSTOM_XML, W_INS, W_MOVE_TO):
            inner = child.find(W_SDT_CONTENT) if child.tag == W_SDT else child
            if inner is not None:
                out.extend(body_elements(inner))
    return out


def table_paragraphs(tbl: etree._Element) -> list[etree._Element]:
    """Every paragraph inside a table, nested tables included, in reading order."""
    return [p for p in tbl.iter(W_P) if not is_hidden(p, tbl)]


def table_text(tbl: etree._Element, text: Callable[[etree._Element], str] = raw_text) -> str:
    """A table as one string: cells joined by `` | ``, rows by `` / ``; each paragraph read by
    ``text`` (:func:`comparable_text` for the text compared)."""
    rows = []
    for tr in tbl.iter(W_TR):
        if tr.find(f"{qn('w:trPr')}/{W_DEL}") is not None:
            continue
        cells = [
            normalize(" ".join(text(p) for p in tc.iter(W_P) if not mark_deleted(p)))
            for tc in tr.iterchildren(W_TC)
        ]
        rows.append(" | ".join(cells))
    return " / ".join(rows)


ROW_NUMBER = re.compile(r"^(\d{1,4})(?= \| |$)")
NUMBER_MARK = "\u27e8n\u27e9"
"""What a running number reads as in compared text (renumbering is never a change)."""


def row_keys(rows: list[str]) -> list[str]:
    """The rows of a table as compared: when the first cells of the rows that have a number
    count 1, 2, 3 … (a "No." column, like the annex overview), that number is left out."""
    numbers = [int(m.group(1)) for row in rows if (m := ROW_NUMBER.match(row))]
    if len(numbers) < 2 or numbers != list(range(1, len(numbers) + 1)):
        return rows
    return [ROW_NUMBER.sub(NUMBER_MARK, row) for row in rows]


@dataclass(frozen=True)
class ParagraphFacts:
    """What a paragraph's own XML says, whichever document holds it: its text, the style and
    list it names. Its number, its block kind and what its style means depend on the document
    around it and are worked out by :class:`BlockReader` each time."""

    xml: str
    """The paragraph serialized: what the facts were read from."""
    raw: str
    """The current text (:func:`wcodoc.ooxml.text.raw_text`)."""
    comparable: str
    """The text with cross-references shown as their targets (:func:`comparable_text`)."""
    text: str
    """``raw`` normalized (:func:`normalize`)."""
    compare: str
    """``comparable`` normalized."""
    style: str | None
    """The style it names (:func:`wcodoc.ooxml.styles.named_style`)."""
    num_pr: tuple[str | None, int | None] | None
    """Its own list membership (:func:`wcodoc.ooxml.styles.own_num_pr`)."""
    embeds: bool
    """Whether it shows embedded content (pictures, text boxes, equations …)."""
    use_case_mark: bool
    """Whether it holds a use case's bookmark."""

    @classmethod
    def of(cls, p: etree._Element, xml: str) -> ParagraphFacts:
        """Work out the facts of paragraph ``p``, serialized as ``xml``."""
        raw, comparable = _texts(p)
        # Most paragraphs are a style and a few runs of text: what they do not hold needs no search.
        tags = {el.tag for el in p.iter()}
        return cls(
            xml,
            raw,
            comparable,
            normalize(raw),
            normalize(comparable),
            named_style(p) if W_PSTYLE in tags else None,
            own_num_pr(p) if W_NUM_PR in tags else None,
            not tags.isdisjoint(EMBEDDED_TAGS) and bool(embedded(p)),
            W_BOOKMARK_START in tags and holds_bookmark_of(p, "uc"),
        )


@dataclass(frozen=True)
class TableFacts:
    """What a table's own XML says, whichever document holds it (see :class:`ParagraphFacts`)."""

    xml: str
    """The table serialized: what the facts were read from."""
    styles: frozenset[str | None]
    """The styles its paragraphs name (:func:`wcodoc.ooxml.styles.named_style`)."""
    text: str
    """Its text (:func:`table_text`)."""
    compare: str
    """Its text as compared: cross-references by their target, running numbers left out."""
    embeds: bool
    """Whether a paragraph of it shows embedded content."""

    @classmethod
    def of(cls, tbl: etree._Element, xml: str, memo: ReadMemo) -> TableFacts:
        """Work out the facts of table ``tbl``, serialized as ``xml`` (its paragraphs' through
        ``memo``)."""
        # Keyed by element (the dictionary keeps each one's proxy, so it is found again).
        facts = {p: memo.facts(p) for p in tbl.iter(W_P)}
        shown = table_paragraphs(tbl)
        # Cross-references by their target, as in paragraphs: a report's table of agenda items
        # (ranges of paragraphs) reads the same after a paragraph is inserted before it.
        comparable = table_text(tbl, lambda p: facts[p].comparable)
        return cls(
            xml,
            frozenset(facts[p].style for p in shown),
            table_text(tbl, lambda p: facts[p].raw),
            " / ".join(row_keys(comparable.split(" / "))),
            any(facts[p].embeds for p in shown),
        )


def _texts(p: etree._Element) -> tuple[str, str]:
    """The current text of ``p`` and its :func:`comparable_text`, from one walk."""
    raw: list[str] = []
    comparable: list[str] = []
    previous = None
    for _, text, target in walk(p):
        raw.append(text)
        if target is None:
            comparable.append(text)
        elif target != previous:
            comparable.append(f"\u27e8{target}\u27e9")
        previous = target
    return "".join(raw), "".join(comparable)


class ReadMemo:
    """The facts of the paragraphs and tables read so far, by their serialized XML.

    The drafts compared share most of their paragraphs, and the self-check reads them again
    in the redline accepted and rejected: each distinct paragraph is walked once. Only what
    the XML alone decides is kept, so paragraphs alike in XML but not in their place (their
    number, their document's styles) still read as their place says.
    """

    def __init__(self) -> None:
        self._paragraphs: dict[str, ParagraphFacts] = {}
        self._tables: dict[str, TableFacts] = {}

    def facts(self, p: etree._Element) -> ParagraphFacts:
        """The facts of paragraph ``p``."""
        xml = etree.tostring(p, encoding="unicode", with_tail=False)
        found = self._paragraphs.get(xml)
        if found is None:
            found = self._paragraphs[xml] = ParagraphFacts.of(p, xml)
        return found

    def table(self, tbl: etree._Element) -> TableFacts:
        """The facts of table ``tbl``."""
        xml = etree.tostring(tbl, encoding="unicode", with_tail=False)
        found = self._tables.get(xml)
        if found is None:
            found = self._tables[xml] = TableFacts.of(tbl, xml, self)
        return found


class BlockReader:
    """Turns a document body into blocks, using the document's styles and numbering."""

    def __init__(
        self,
        styles: Styles,
        numbering: Numbering,
        related: dict[str, Related] | None = None,
        memo: ReadMemo | None = None,
    ):
        self.styles = styles
        self.numbering = numbering
        self.related = related or {}
        """What the parts named by embedded content hold, by relationship id."""
        self.memo = memo or ReadMemo()
        """Facts of paragraphs already read (shared by the readers of one comparison)."""
        self._placed: dict[tuple, tuple[str | None, str, tuple[str, int] | None]] = {}
        """What this document's styles make of the style and list a paragraph names (see
        :meth:`_style_and_list`)."""
        self.heading_lists = {
            numbering.nums[s.num_id][0]
            for s in styles.paragraphs.values()
            if s.name.lower().startswith("heading") and s.num_id in numbering.nums
        }
        """Abstract lists that number headings (see :meth:`_numbered_as_heading`)."""

    def with_related(self, extra: dict[str, Related]) -> BlockReader:
        """A reader of the same document that also knows the parts ``extra`` names (those a
        redline copied from the old draft)."""
        if not extra:
            return self
        reader = copy.copy(self)
        reader.related = {**self.related, **extra}
        return reader

    def _numbered_as_heading(self, sid: str | None, num_id: str) -> bool:
        """Whether a paragraph of style ``sid`` numbered in ``num_id`` is a heading restyled by
        LibreOffice: its style numbers it in one list, its own ``w:numPr`` puts it in a heading
        list. LibreOffice gives a heading the style of a paragraph deleted with tracking just
        before it, and keeps only its numbering."""
        if self.numbering.nums[num_id][0] not in self.heading_lists:
            return False
        style = self.styles.paragraphs.get(sid) if sid else None
        own = style.num_id if style is not None else None
        return (
            own is not None
            and own in self.numbering.nums
            and self.numbering.nums[own][0] not in self.heading_lists
        )

    def has_heading_style(self, p: etree._Element) -> bool:
        """Whether the paragraph style of ``p`` is a heading's (section, annex or use case)."""
        name = self.style_name(p)
        return name.startswith("heading") or name in (ANNEX_HEADING_KEY, USE_CASE_HEADING_KEY)

    def style_name(self, p: etree._Element) -> str:
        """Lower-case name of the paragraph style of ``p``."""
        return self.styles.name_of(p)

    def num_pr(self, p: etree._Element) -> tuple[str, int] | None:
        """(numId, ilvl) from the paragraph, else from its style chain; ``None`` if unnumbered."""
        return self.styles.num_pr(p)

    def read(self, body: etree._Element, notes: NoteParts | None = None) -> list[Block]:
        """All blocks of ``body`` in document order (numbers counted from the start), each
        with the footnotes and endnotes it references, looked up in ``notes``."""
        self.numbering.reset()
        state = _State()
        by_id = {k.name: notes_by_id(notes.get(k.name), k) for k in NOTE_KINDS} if notes else {}
        with_notes = any(by_id.values())
        blocks: list[Block] = []
        for el in body_elements(body):
            found = self._table(el, state) if el.tag == W_TBL else [self._paragraph(el, state)]
            made = [b for b in found if b is not None]
            for block in made:
                if block.block == "heading":
                    state.section = _section_of(block, state.section)
                block.section = state.section
            blocks.extend(made)
            if with_notes:
                referenced = self._notes(el, by_id, state)
                if referenced and made:
                    made[-1].notes = tuple(referenced)
        _place(blocks)
        return blocks

    @staticmethod
    def _notes(el: etree._Element, by_id: dict[str, dict[str, etree._Element]], state: _State) -> list[Block]:
        """The notes ``el`` references, counted as Word numbers them (in reference order)."""
        out = []
        for ref in el.iter(*REFERENCES):
            if is_hidden(ref, el):
                continue
            kind = REFERENCES[tag_of(ref)]
            state.notes[kind.name] = number = state.notes.get(kind.name, 0) + 1
            note = by_id[kind.name].get(ref.get(W_ID, ""))
            if note is not None:
                text = normalize(" ".join(raw_text(p) for p in note.iter(W_P)))
                out.append(Block(kind.name, str(number), text, note))
        return out

    def _table(self, tbl: etree._Element, state: _State) -> list[Block]:
        facts = self.memo.table(tbl)
        names = {self.styles.name_for(self.styles.resolve(named)) for named in facts.styles}
        # A cover laid out in a table is still a cover: its fields are compared one by one.
        if not names.isdisjoint(COVER_FIELDS) or not names.isdisjoint(SUMMARY_STYLES):
            blocks = [self._paragraph(p, state) for p in table_paragraphs(tbl)]
            return [b for b in blocks if b is not None]
        objects = (
            tuple(o for p in table_paragraphs(tbl) for o in self.embedded_blocks(p)) if facts.embeds else ()
        )
        if not facts.text.strip(" |/") and not objects:
            return []
        block = Block(
            "table", None, facts.text, tbl, after=state.last, compare=facts.compare, objects=objects
        )
        block.xml = facts.xml
        return [block]

    def embedded_blocks(self, p: etree._Element) -> tuple[Block, ...]:
        """The embedded content of paragraph ``p``, each a block (see ``Block.objects``)."""
        return tuple(self.embedded_block(item) for item in embedded(p))

    def embedded_block(self, item: Embedded) -> Block:
        """A picture, text box, equation … as a block: its text is what a reader sees of it
        (a text box's paragraphs, an equation's characters, a picture's size), its
        ``compare`` what identifies its content (a picture's image and size, a chart's
        labels and values)."""
        el = item.element
        if item.kind == "textbox":
            texts = (normalize(raw_text(p)) for p in textbox_paragraphs(el))
            text = " / ".join(t for t in texts if t)
            return Block("textbox", None, text, el, compare=f"text box: {text}")
        if item.kind == "equation":
            text = normalize(math_text(el))
            return Block("equation", None, text, el, compare="equation: " + "".join(text.split()))
        related = [self.related[rid] for rid in relationship_ids(el) if rid in self.related]
        size, alt = size_mm(el), alt_text(el)
        noun = "picture" if item.kind == "picture" else OTHER_NAMES[item.kind]
        shown = [t for r in related for t in r.shown]
        text = _description(noun, size, alt, shown or ([ole_program(el)] if item.kind == "object" else []))
        compare = f"{noun}: {' '.join(r.signature for r in related)} {size} {alt}"
        if item.kind == "picture":
            return Block("picture", None, text, el, compare=compare, described=True)
        return Block("other", None, text, el, field=noun, compare=compare, described=True)

    def _content_only(
        self,
        p: etree._Element,
        objects: tuple[Block, ...],
        numbered: tuple[str, str | None] | None,
        state: _State,
    ) -> Block:
        """A paragraph holding embedded content and no text: a block of that content's kind
        (or a numbered paragraph, if Word numbers it)."""
        text = " / ".join(o.text for o in objects if o.text) or objects[0].noun
        compare = " ".join(o.compare for o in objects)
        described = all(o.described for o in objects)
        if numbered is not None and numbered[1] is not None:
            kind, number, field = numbered[0], numbered[1], None
        else:
            kind, number, field = objects[0].block, None, objects[0].field
        block = Block(kind, number, text, p, field=field, after=state.last, compare=compare,
                      objects=objects, described=described, bare=True)  # fmt: skip
        if number is not None:
            state.last = block.label
        return block

    def _paragraph(self, p: etree._Element, state: _State) -> Block | None:
        facts = self.memo.facts(p)
        block = self._paragraph_block(p, facts, state)
        if block is not None:
            block.xml = facts.xml
        return block

    def _style_and_list(self, facts: ParagraphFacts) -> tuple[str | None, str, tuple[str, int] | None]:
        """The style id, style name (:meth:`style_name`) and list (:meth:`num_pr`) of a
        paragraph with ``facts`` in this document; paragraphs name few styles and lists."""
        named = (facts.style, facts.num_pr)
        found = self._placed.get(named)
        if found is None:
            sid = self.styles.resolve(facts.style)
            found = self._placed[named] = (
                sid,
                self.styles.name_for(sid),
                self.styles.list_of(facts.num_pr, sid),
            )
        return found

    def _paragraph_block(self, p: etree._Element, facts: ParagraphFacts, state: _State) -> Block | None:
        raw, text = facts.raw, facts.text
        sid, style, listed = self._style_and_list(facts)
        numbered = self._number(listed, sid, style)
        objects = self.embedded_blocks(p) if facts.embeds else ()
        if not text:
            return self._content_only(p, objects, numbered, state) if objects else None
        if style == SUMMARY_LABEL_KEY:
            state.summary = "summary.purpose" if state.summary is None else "summary.action"
        if style in COVER_FIELDS:
            return Block("cover", None, text, p, field=COVER_FIELDS[style], after=state.last)
        if style in SUMMARY_STYLES:
            return Block("cover", None, text, p, field=state.summary or "summary", after=state.last)
        if style == ANNEX_HEADING_KEY:
            state.in_annex = True
        # LibreOffice gives a paragraph the style of one deleted with tracking just before it;
        # the use case's bookmark, which it keeps, still tells the heading.
        if style == USE_CASE_HEADING_KEY or (state.in_annex and facts.use_case_mark):
            match = USE_CASE_NUMBER.search(text)
            compare = USE_CASE_NUMBER.sub(NUMBER_MARK, text, count=1)  # renumbering is no change
            block = Block(
                "annex", match.group(1) if match else None, text, p, after=state.last, compare=compare
            )
            state.last = block.label
            return block
        kind, number = numbered if numbered else self._unnumbered(style, state)
        prefix = 0
        if number is None and kind in ("paragraph", "sub-item", "heading", "other"):
            kind, number, prefix, text = self._typed(kind, text, raw, state)
        compare = normalize(facts.comparable[prefix:]) if prefix else facts.compare
        block = Block(
            kind, number, text, p, after=state.last, typed_prefix=prefix, compare=compare, objects=objects
        )
        if kind == "paragraph" and number is not None:
            state.paragraph = number
        if kind == "heading" and number is not None and "." not in number:
            state.heading = number
        if number is not None:
            state.last = block.label
        return block

    def _number(
        self, num_pr: tuple[str, int] | None, sid: str | None, style: str
    ) -> tuple[str, str | None] | None:
        if num_pr is None:
            return None
        values = self.numbering.count(*num_pr)
        if values is None:
            return None
        fmt = values[-1][1]
        if fmt in BULLET_FORMATS:
            return ("bullet", None)
        number = _spelled(tuple(values))
        if style.startswith("heading") or self._numbered_as_heading(sid, num_pr[0]):
            return ("heading", number)
        return ("paragraph" if len(values) == 1 else "sub-item", number)

    @staticmethod
    def _unnumbered(style: str, state: _State) -> tuple[str, str | None]:
        if style.startswith("heading") or style == "title":
            return ("annex" if state.in_annex else "heading", None)
        if "bullet" in style or "list" in style:
            return ("bullet", None)
        if state.in_annex or style in ANNEX_STYLES:
            return ("annex", None)
        return ("other", None)

    @staticmethod
    def _typed(kind: str, text: str, raw: str, state: _State) -> tuple[str, str | None, int, str]:
        """Strip a number typed by hand (``7. Text``) and use it as the block's number."""
        match = TYPED_NUMBER.match(raw)
        if match is None or state.in_annex:
            return kind, None, 0, text
        if match["par"]:
            kind, number = ("paragraph", match["par"])
        elif match["sub"] and kind == "heading":
            # A lettered heading (a report's sub-item, ``a. Activities``) under section II.
            number = f"{state.heading}.{match['sub']}"
        elif match["sub"]:
            kind, number = ("sub-item", f"{state.paragraph}.{match['sub']}")
        else:
            kind, number = ("heading", match["roman"])
        return kind, number, match.end(), normalize(raw[match.end() :])


@functools.lru_cache(maxsize=4096)
def _spelled(values: tuple[tuple[int, str], ...]) -> str:
    """A paragraph's number as Word shows it, from the (value, format) of each level (``9.e``);
    kept, as the same numbers come back in every document a comparison reads."""
    return ".".join(format_value(v, f) for v, f in values)


SHORT_TITLE = 40
"""Characters of an unnumbered heading's text used to name it."""


def _short(text: str) -> str:
    return text if len(text) <= SHORT_TITLE else text[: SHORT_TITLE - 1].rstrip() + "…"


def _description(noun: str, size: tuple[int, int] | None, alt: str, shown: list[str]) -> str:
    """What a reader sees of embedded content: ``picture 4.0 × 3.0 cm, 'Map of the regions'``."""
    words = noun
    if size and any(size):
        words += f" {size[0] / 10:.1f} × {size[1] / 10:.1f} cm"
    if alt:
        words += f", '{alt}'"
    if shown:
        words += ": " + ", ".join(shown[:SHOWN_VALUES]) + (", …" if len(shown) > SHOWN_VALUES else "")
    return words


SHOWN_VALUES = 8
"""Labels and values of a chart or SmartArt shown in its description."""


def _section_of(heading: Block, current: str | None) -> str | None:
    """The section a heading starts: ``section II``; an unnumbered heading names the section
    only while no numbered heading has (sub-headings of a numbered section do not)."""
    if heading.number and "." not in heading.number:
        return f"section {heading.number}"
    if heading.number is None and (current is None or current.startswith('section "')):
        return f'section "{_short(heading.text)}"'
    return current


def _place(blocks: list[Block]) -> None:
    """Give each block that no numbered block precedes its position among the draft's
    blocks of its kind, and each note the name of its paragraph."""
    nouns = [None if block.block == "cover" else noun_of(block.noun) for block in blocks]
    totals = Counter(noun for noun in nouns if noun is not None)
    seen: Counter[str] = Counter()
    for block, noun in zip(blocks, nouns, strict=True):
        if noun is None:
            continue
        seen[noun] += 1
        if block.number is None and block.after is None:
            block.position = Position(noun, seen[noun], totals[noun])
        if block.notes:
            block.notes = tuple(dataclasses.replace(n, after=block.label) for n in block.notes)
        if block.objects:
            block.objects = tuple(dataclasses.replace(o, within=block.label) for o in block.objects)


@dataclass
class _State:
    last: str | None = None
    summary: str | None = None
    in_annex: bool = False
    paragraph: str = "0"
    heading: str = "0"
    """The number of the last numbered section (``II``)."""
    notes: dict[str, int] = field(default_factory=dict)
    """References counted so far, by note kind."""
    section: str | None = None


def _optional_xml(package: Package, name: str) -> etree._Element | None:
    return package.xml(name) if package.has(name) else None


def block_reader(package: Package, memo: ReadMemo | None = None) -> BlockReader:
    """A reader of the bodies of ``package``, with its styles, numbering and the parts its
    embedded content names (``memo``: facts of paragraphs that other readers read)."""
    styles = read_styles(_optional_xml(package, STYLES_PART))
    numbering = Numbering.read(_optional_xml(package, NUMBERING_PART))
    return BlockReader(styles, numbering, related_parts(package), memo)


def read_draft(path: Path | str, *, label: str | None = None, memo: ReadMemo | None = None) -> Draft:
    """Open the DOCX at ``path`` safely and extract its blocks.

    A draft that holds tracked changes is read with all of them accepted, as the text it
    proposes: paragraphs deleted with tracking are gone (they do not count in the numbering)
    and the redline is built on that text. ``memo``: the facts of paragraphs another draft
    already read (drafts compared with each other share one).
    """
    path = Path(path)
    with open_docx(path) as package:
        root = package.xml(DOCUMENT_PART)
        reader = block_reader(package, memo)
        comments = read_comments(_optional_xml(package, COMMENTS_PART))
        parts = {k.name: part for k in NOTE_KINDS if (part := _optional_xml(package, k.part)) is not None}
    if root.find(W_BODY) is None:
        raise WcodocError("not a Word document: word/document.xml has no body", path)
    if next(root.iter(W_ALT_CHUNK), None) is not None:
        raise WcodocError(
            "the draft embeds another document (w:altChunk: imported HTML, RTF or Word content) that "
            "wcodoc cannot compare; open it in Word and save it again, which turns it into paragraphs",
            path,
        )
    tracked = pending(root)
    if tracked.count:
        root = accept_all(root)
    for name, part in list(parts.items()):
        if (in_part := pending(part)).count:
            parts[name] = accept_all(part)
            tracked = Pending(
                tracked.count + in_part.count, tuple(dict.fromkeys(tracked.authors + in_part.authors))
            )
    body = required(root, "w:body")
    blocks = reader.read(body, parts)
    symbol = next((b.text for b in blocks if b.block == "cover" and b.field == "reference"
                   and not _is_committee(reader, b)), None)  # fmt: skip
    draft = Draft(path, symbol or label or path.stem, blocks, root, reader, tracked, notes=parts)
    draft.comments = _anchored(comments, body, blocks)
    return draft


def _anchored(comments: dict[str, Comment], body: etree._Element, blocks: list[Block]) -> list[DraftComment]:
    """Each comment with the block holding its anchor, in document order."""
    if not comments:
        return []
    owner = {id(b.element): b for b in blocks}
    placed = anchors(body)
    out = []
    for cid, el in placed.items():
        if cid not in comments:
            continue
        node: etree._Element | None = el
        while node is not None and id(node) not in owner:
            node = node.getparent()
        out.append(DraftComment(comments[cid], owner[id(node)] if node is not None else None))
    out.extend(DraftComment(c, None) for cid, c in comments.items() if cid not in placed)
    return out


def _is_committee(reader: BlockReader, block: Block) -> bool:
    return reader.style_name(block.element) == _key(COVER_COMMITTEE)
