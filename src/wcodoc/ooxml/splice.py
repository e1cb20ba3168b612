"""One ``word/document.xml`` from bodies that pandoc wrote separately (fragments and splice).

A long document is written in parts (cover, sections, annexes), each by its own pandoc call,
so that the parts run in parallel and an unchanged part is not written again. Pandoc numbers
what must be unique in a package per call: relationship ids (``r:id``, ``r:embed``: images,
hyperlinks) and the media they name, footnote and comment ids (``w:footnoteReference w:id`` ↔
``w:footnote w:id``), bookmark ids (``w:bookmarkStart``/``w:bookmarkEnd w:id``), drawing ids
(``wp:docPr id``, ``pic:cNvPr id``) and list instances (``w:numId`` ↔ ``w:num`` →
``w:abstractNum``).

* :func:`split_package` cuts the DOCX of one pandoc call, whose parts are separated by
  :func:`split_marker` elements, into *fragments*: each holds its body elements and only the
  notes, comments, relationships, media, lists and styles these use, still under pandoc's ids.
* :func:`splice` puts fragments into a *shell* (pandoc's DOCX of an empty document: styles,
  settings, theme, final ``w:sectPr``) and renumbers every id above in order of appearance.

The result depends only on the fragments' content and order, never on which pandoc call wrote
which fragment: a cold, parallel, incremental or uncached build gives the same bytes.
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from lxml import etree

from wcodoc.errors import WcodocError
from wcodoc.ooxml import R_NS, W_NS, qn, tag_of
from wcodoc.ooxml.package import CT_NS, RELS_NS, Parts, parse_xml, serialize_xml

SPLIT_TAG = "wcodoc-split"
"""The element (no namespace, so no author's OpenXML can mean it) between parts of one call."""
WP_NS = "http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing"
PIC_NS = "http://schemas.openxmlformats.org/drawingml/2006/picture"
REL_TYPE = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/"

DOCUMENT = "word/document.xml"
DOCUMENT_RELS = "word/_rels/document.xml.rels"
FOOTNOTES = "word/footnotes.xml"
FOOTNOTES_RELS = "word/_rels/footnotes.xml.rels"
COMMENTS = "word/comments.xml"
NUMBERING = "word/numbering.xml"
STYLES = "word/styles.xml"
TYPES = "[Content_Types].xml"

# Names of the parts of a fragment (a small zip of its own in the cache).
F_BODY, F_NOTES, F_COMMENTS = "body.xml", "footnotes.xml", "comments.xml"
F_RELS, F_NOTES_RELS = "body.rels", "footnotes.rels"
F_NUMBERING, F_STYLES, F_TYPES = "numbering.xml", "styles.xml", "types.xml"
F_MEDIA = "media/"

_STYLE_REFS = (qn("w:pStyle"), qn("w:rStyle"), qn("w:tblStyle"))
_DOCPR = f"{{{WP_NS}}}docPr"
_DRAWING_IDS = (_DOCPR, f"{{{PIC_NS}}}cNvPr")
_BOOKMARKS = (qn("w:bookmarkStart"), qn("w:bookmarkEnd"))
_COMMENT_REFS = (qn("w:commentRangeStart"), qn("w:commentRangeEnd"), qn("w:commentReference"))
_RID = re.compile(r"rId(\d+)$")
_R_ATTRIBUTES = etree.XPath(f".//@*[namespace-uri() = '{R_NS}']")
"""Every attribute in the relationships namespace (``r:id``, ``r:embed`` …) below an element."""


def split_marker(index: int) -> str:
    """The raw OpenXML block that ends part ``index`` of a pandoc call."""
    return f'<{SPLIT_TAG} n="{index}"/>'


@dataclass
class _Uses:
    """What some elements refer to, under pandoc's ids."""

    rels: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    comments: list[str] = field(default_factory=list)
    nums: list[str] = field(default_factory=list)
    styles: list[str] = field(default_factory=list)

    def scan(self, root: etree._Element) -> _Uses:
        """Add what the elements below ``root`` refer to (lxml finds them, in document order)."""
        self.rels.extend(str(value) for value in _R_ATTRIBUTES(root))
        for el in root.iter(qn("w:footnoteReference"), *_COMMENT_REFS, qn("w:numId"), *_STYLE_REFS):
            tag = el.tag
            if tag == qn("w:footnoteReference"):
                self.notes.append(el.get(qn("w:id"), ""))
            elif tag in _COMMENT_REFS:
                self.comments.append(el.get(qn("w:id"), ""))
            elif tag == qn("w:numId"):
                self.nums.append(el.get(qn("w:val"), ""))
            else:
                self.styles.append(el.get(qn("w:val"), ""))
        return self


def _by(root: etree._Element | None, tag: str, attr: str) -> dict[str, etree._Element]:
    return {} if root is None else {el.get(attr, ""): el for el in root.iter(tag)}


def _root(tag: str, nsmap: dict | None = None) -> etree._Element:
    return etree.Element(tag, nsmap=nsmap)


def _optional(parts: Parts, name: str) -> etree._Element | None:
    return parse_xml(parts[name]) if name in parts else None


def split_package(batch: Parts, shell: Parts, count: int) -> list[Parts]:
    """The ``count`` fragments of ``batch``, a pandoc DOCX whose parts :func:`split_marker` ends."""
    document = parse_xml(batch[DOCUMENT])
    body = document.find(qn("w:body"))
    if body is None:
        raise WcodocError("internal error: pandoc wrote no w:body")
    groups: list[list[etree._Element]] = [[]]
    for el in body:
        if el.tag == SPLIT_TAG:
            groups.append([])
        elif el.tag != qn("w:sectPr") and isinstance(el.tag, str):
            groups[-1].append(el)
    if len(groups) != count:
        raise WcodocError(f"internal error: pandoc wrote {len(groups)} parts, {count} expected")
    context = _Batch(batch, shell, document.nsmap)
    return [context.fragment(group) for group in groups]


class _Batch:
    """The parts of one pandoc call, indexed by pandoc's ids, and what the shell already has."""

    def __init__(self, batch: Parts, shell: Parts, nsmap: dict) -> None:
        self.parts = batch
        self.nsmap = nsmap
        self.notes_root = _optional(batch, FOOTNOTES)
        self.notes = _by(self.notes_root, qn("w:footnote"), qn("w:id"))
        self.comments_root = _optional(batch, COMMENTS)
        self.comments = _by(self.comments_root, qn("w:comment"), qn("w:id"))
        self.rels = _by(_optional(batch, DOCUMENT_RELS), f"{{{RELS_NS}}}Relationship", "Id")
        self.notes_rels = _by(_optional(batch, FOOTNOTES_RELS), f"{{{RELS_NS}}}Relationship", "Id")
        numbering = _optional(batch, NUMBERING)
        self.numbering_nsmap = numbering.nsmap if numbering is not None else {"w": W_NS}
        self.nums = _by(numbering, qn("w:num"), qn("w:numId"))
        self.abstracts = _by(numbering, qn("w:abstractNum"), qn("w:abstractNumId"))
        self.shell_nums = set(_by(_optional(shell, NUMBERING), qn("w:num"), qn("w:numId")))
        styles = _optional(batch, STYLES)
        self.styles_nsmap = styles.nsmap if styles is not None else {"w": W_NS}
        self.styles = _by(styles, qn("w:style"), qn("w:styleId"))
        self.shell_styles = set(_by(_optional(shell, STYLES), qn("w:style"), qn("w:styleId")))
        types = _optional(batch, TYPES)
        self.overrides = _by(types, f"{{{CT_NS}}}Override", "PartName")
        self.defaults = _by(types, f"{{{CT_NS}}}Default", "Extension")

    def fragment(self, elements: list[etree._Element]) -> Parts:
        for el in elements:
            el.tail = None  # pandoc's layout between blocks depends on their neighbours
        body = self._wrap(qn("w:body"), elements)
        uses = _Uses().scan(body)
        notes = self._wrap(
            qn("w:footnotes"), [self.notes[i] for i in dict.fromkeys(uses.notes) if i in self.notes]
        )
        comments = self._wrap(
            qn("w:comments"), [self.comments[i] for i in dict.fromkeys(uses.comments) if i in self.comments]
        )
        note_uses = _Uses().scan(notes).scan(comments)
        out: Parts = {
            F_BODY: serialize_xml(body),
            F_NOTES: serialize_xml(notes),
            F_COMMENTS: serialize_xml(comments),
        }
        types = _root(f"{{{CT_NS}}}Types", {None: CT_NS})
        out[F_RELS] = self._relationships(uses.rels, self.rels, out, types)
        out[F_NOTES_RELS] = self._relationships(note_uses.rels, self.notes_rels, out, types)
        out[F_TYPES] = serialize_xml(types)
        out[F_NUMBERING] = self._numbering([*uses.nums, *note_uses.nums])
        out[F_STYLES] = self._styles([*uses.styles, *note_uses.styles])
        return out

    def _wrap(self, tag: str, elements: Iterable[etree._Element]) -> etree._Element:
        root = _root(tag, self.nsmap)
        root.extend(elements)
        return root

    def _relationships(
        self, ids: list[str], rels: dict[str, etree._Element], out: Parts, types: etree._Element
    ) -> bytes:
        root = _root(f"{{{RELS_NS}}}Relationships", {None: RELS_NS})
        for rid in dict.fromkeys(ids):
            rel = rels.get(rid)
            if rel is None:
                continue
            root.append(rel)
            if rel.get("TargetMode") == "External":
                continue
            name = posixpath.normpath(posixpath.join("word", rel.get("Target", "")))
            if name in self.parts:
                out[F_MEDIA + name] = self.parts[name]
                override = self.overrides.get(f"/{name}")
                extension = name.rsplit(".", 1)[-1]
                for entry in (override, self.defaults.get(extension)):
                    if entry is not None:
                        types.append(entry)
        return serialize_xml(root)

    def _numbering(self, used: list[str]) -> bytes:
        root = _root(qn("w:numbering"), self.numbering_nsmap)
        nums = [self.nums[n] for n in dict.fromkeys(used) if n in self.nums and n not in self.shell_nums]
        abstract_ids = dict.fromkeys(_val(num, "w:abstractNumId") for num in nums)
        root.extend(self.abstracts[a] for a in abstract_ids if a in self.abstracts)
        root.extend(nums)
        return serialize_xml(root)

    def _styles(self, used: list[str]) -> bytes:
        root = _root(qn("w:styles"), self.styles_nsmap)
        wanted = [s for s in dict.fromkeys(used) if s in self.styles and s not in self.shell_styles]
        seen: set[str] = set()
        while wanted:
            style_id = wanted.pop(0)
            if style_id in seen:
                continue
            seen.add(style_id)
            style = self.styles[style_id]
            root.append(style)
            based = _val(style, "w:basedOn")
            if based in self.styles and based not in self.shell_styles:
                wanted.append(based)
        return serialize_xml(root)


def _val(el: etree._Element, child: str) -> str:
    found = el.find(qn(child))
    return "" if found is None else found.get(qn("w:val"), "")


class _Counter:
    """Old id → new id for one fragment, new ids running on across fragments."""

    def __init__(self, start: int, spell: Callable[[int], str] = str) -> None:
        self.next = start
        self.spell = spell
        self.seen: dict[str, str] = {}

    def reset(self) -> None:
        self.seen = {}

    def __call__(self, old: str) -> str:
        if old not in self.seen:
            self.seen[old] = self.spell(self.next)
            self.next += 1
        return self.seen[old]


def _max_rid(rels: etree._Element) -> int:
    numbers = [int(m.group(1)) for rel in rels if (m := _RID.match(rel.get("Id", "")))]
    return max(numbers, default=0)


def _max_id(root: etree._Element | None, tag: str, attr: str) -> int:
    if root is None:
        return 0
    return max((int(v) for el in root.iter(tag) if (v := el.get(attr, "")).lstrip("-").isdigit()), default=0)


class _Splicer:
    """The shell's parts, growing as fragments are added."""

    def __init__(self, shell: Parts) -> None:
        self.parts = dict(shell)
        self.document = parse_xml(shell[DOCUMENT])
        body = self.document.find(qn("w:body"))
        if body is None:
            raise WcodocError("internal error: pandoc wrote no w:body")
        self.body = body
        self.end = body.find(qn("w:sectPr"))
        self.rels = parse_xml(shell[DOCUMENT_RELS])
        self.notes = parse_xml(shell[FOOTNOTES])
        self.notes_rels = (
            parse_xml(shell[FOOTNOTES_RELS])
            if FOOTNOTES_RELS in shell
            else _root(f"{{{RELS_NS}}}Relationships", {None: RELS_NS})
        )
        self.comments = parse_xml(shell[COMMENTS]) if COMMENTS in shell else None
        self.numbering = parse_xml(shell[NUMBERING])
        self.styles = parse_xml(shell[STYLES])
        self.types = parse_xml(shell[TYPES])
        self.style_ids = set(_by(self.styles, qn("w:style"), qn("w:styleId")))
        self.first_num = next(iter(self.numbering.iterfind(qn("w:num"))), None)
        self.rid = _Counter(_max_rid(self.rels) + 1, "rId{}".format)
        self.notes_rid = _Counter(_max_rid(self.notes_rels) + 1, "rId{}".format)
        self.media = _Counter(1)
        self.bookmark = _Counter(_max_id(self.document, qn("w:bookmarkStart"), qn("w:id")) + 1)
        self.note = _Counter(_max_id(self.notes, qn("w:footnote"), qn("w:id")) + 1)
        self.comment = _Counter(_max_id(self.comments, qn("w:comment"), qn("w:id")) + 1)
        self.drawing = _Counter(1)
        self.num = _Counter(_max_id(self.numbering, qn("w:num"), qn("w:numId")) + 1)
        self.abstract = _Counter(_max_id(self.numbering, qn("w:abstractNum"), qn("w:abstractNumId")) + 1)

    def add(self, fragment: Parts) -> None:
        for counter in (
            self.rid,
            self.notes_rid,
            self.bookmark,
            self.note,
            self.comment,
            self.num,
            self.abstract,
        ):
            counter.reset()
        self._styles(parse_xml(fragment[F_STYLES]))
        self._numbering(parse_xml(fragment[F_NUMBERING]))
        self._relationships(fragment, F_RELS, self.rels, self.rid)
        self._relationships(fragment, F_NOTES_RELS, self.notes_rels, self.notes_rid)
        for entry in parse_xml(fragment[F_TYPES]):
            if entry.tag == f"{{{CT_NS}}}Default":
                self._content_type(entry)  # media overrides follow their renamed media
        root = parse_xml(fragment[F_BODY])
        self._renumber(root, self.rid)
        for el in list(root):
            if self.end is not None:
                self.end.addprevious(el)
            else:
                self.body.append(el)
        root = parse_xml(fragment[F_NOTES])
        self._renumber(root, self.notes_rid)
        for note in list(root):
            note.set(qn("w:id"), self.note(note.get(qn("w:id"), "")))
            self.notes.append(note)
        root = parse_xml(fragment[F_COMMENTS])
        if len(root) and self.comments is None:
            raise WcodocError("internal error: comments in a part but no comments part in the shell")
        self._renumber(root, self.rid)
        for comment in list(root):
            comment.set(qn("w:id"), self.comment(comment.get(qn("w:id"), "")))
            if self.comments is not None:
                self.comments.append(comment)

    def _renumber(self, root: etree._Element, rid: _Counter) -> None:
        """New ids, in document order, for every id below ``root`` (notes and comments: the caller)."""
        tags = (*_BOOKMARKS, qn("w:footnoteReference"), *_COMMENT_REFS, *_DRAWING_IDS, qn("w:numId"))
        alt = ""
        for el in root.iter(*tags):
            tag = el.tag
            if tag in _BOOKMARKS:
                el.set(qn("w:id"), self.bookmark(el.get(qn("w:id"), "")))
            elif tag == qn("w:footnoteReference"):
                el.set(qn("w:id"), self.note(el.get(qn("w:id"), "")))
            elif tag in _COMMENT_REFS:
                el.set(qn("w:id"), self.comment(el.get(qn("w:id"), "")))
            elif tag in _DRAWING_IDS:
                el.set("id", str(self.drawing.next))
                self.drawing.next += 1
                # pandoc describes the picture itself (pic:cNvPr) by its source file's path,
                # which would name the author's folders and differ from one folder to the
                # next: it gets the drawing's description (wp:docPr, first), the alt text.
                if tag == _DOCPR:
                    alt = el.get("descr", "")
                else:
                    el.set("descr", alt)
            elif (old := el.get(qn("w:val"), "")) in self.num.seen:
                el.set(qn("w:val"), self.num.seen[old])
        for value in _R_ATTRIBUTES(root):
            if value in rid.seen:
                value.getparent().set(value.attrname, rid.seen[value])

    def _relationships(self, fragment: Parts, name: str, rels: etree._Element, rid: _Counter) -> None:
        for rel in parse_xml(fragment[name]):
            rel.set("Id", rid(rel.get("Id", "")))
            media = posixpath.normpath(posixpath.join("word", rel.get("Target", "")))
            if rel.get("TargetMode") != "External" and F_MEDIA + media in fragment:
                extension = media.rsplit(".", 1)[-1] if "." in posixpath.basename(media) else "bin"
                renamed = f"media/image{self.media.next}.{extension}"
                self.media.next += 1
                self.parts[f"word/{renamed}"] = fragment[F_MEDIA + media]
                for entry in parse_xml(fragment[F_TYPES]):
                    if entry.get("PartName") == f"/{media}":
                        entry.set("PartName", f"/word/{renamed}")
                        self._content_type(entry)
                rel.set("Target", renamed)
            rels.append(rel)

    def _content_type(self, entry: etree._Element) -> None:
        tag = tag_of(entry)
        key = "PartName" if tag == f"{{{CT_NS}}}Override" else "Extension"
        if all(existing.get(key) != entry.get(key) for existing in self.types.iter(tag)):
            self.types.append(entry)

    def _numbering(self, numbering: etree._Element) -> None:
        for abstract in numbering.iterfind(qn("w:abstractNum")):
            abstract.set(qn("w:abstractNumId"), self.abstract(abstract.get(qn("w:abstractNumId"), "")))
            if self.first_num is not None:
                self.first_num.addprevious(abstract)  # the schema puts abstract lists first
            else:
                self.numbering.append(abstract)
        for num in numbering.iterfind(qn("w:num")):
            num.set(qn("w:numId"), self.num(num.get(qn("w:numId"), "")))
            ref = num.find(qn("w:abstractNumId"))
            if ref is not None:
                ref.set(
                    qn("w:val"), self.abstract.seen.get(ref.get(qn("w:val"), ""), ref.get(qn("w:val"), ""))
                )
            self.numbering.append(num)

    def _styles(self, styles: etree._Element) -> None:
        for style in styles:
            style_id = style.get(qn("w:styleId"), "")
            if style_id not in self.style_ids:
                self.style_ids.add(style_id)
                self.styles.append(style)

    def result(self) -> Parts:
        out = dict(self.parts)
        out[DOCUMENT] = serialize_xml(self.document)
        out[DOCUMENT_RELS] = serialize_xml(self.rels)
        out[FOOTNOTES] = serialize_xml(self.notes)
        if len(self.notes_rels) or FOOTNOTES_RELS in out:
            out[FOOTNOTES_RELS] = serialize_xml(self.notes_rels)
        if self.comments is not None:
            out[COMMENTS] = serialize_xml(self.comments)
        out[NUMBERING] = serialize_xml(self.numbering)
        out[STYLES] = serialize_xml(self.styles)
        out[TYPES] = serialize_xml(self.types)
        return out


def splice(shell: Parts, fragments: Iterable[Parts]) -> Parts:
    """The package of ``shell`` with the bodies of ``fragments`` in order, ids renumbered."""
    splicer = _Splicer(shell)
    for fragment in fragments:
        splicer.add(fragment)
    return splicer.result()
