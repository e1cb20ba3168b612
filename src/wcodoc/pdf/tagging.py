"""What LibreOffice 7.4's tagged PDF gets wrong for PDF/UA-1, corrected in the finished file.

- ``/Tabs`` is written as the string ``(S)``; PDF/UA wants the name ``/S`` (structure order)
  on every page with annotations.
- The cover's two-column block is a Word table, so it is tagged ``Table``: a layout grid read
  as data. A table none of whose cells holds a ``Table Text`` paragraph (every data table's
  cells do, by the build) is retagged as ``Div``s.
- The first page's notices sit in its footer, and LibreOffice marks all footer text as an
  artifact, which screen readers skip; they are content. Text marked as an artifact in the
  lower half of the first page is made content: one ``P`` per paragraph, after the first
  page's other content.
- Drawn lines outside any marked content (the footer's rule) are marked as artifacts.
- ``Note`` elements get the ``/ID`` PDF/UA requires, and a footnote number's link back to its
  reference, which LibreOffice leaves out of the structure, gets a ``Link`` element in its note.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

import pikepdf

from wcodoc.pdf import paths
from wcodoc.styles import TABLE_TEXT

PATH_START = {op.decode() for op in paths.PATH_START}
PATH_PAINT = {op.decode() for op in paths.PATH_PAINT}
SHOW_TEXT = {"Tj", "TJ", "'", '"'}
PARAGRAPH_GAP = Decimal("1.3")
"""A baseline gap above this many font sizes starts a new paragraph (a line is about 1.15)."""
CELL_TEXT = pikepdf.Name(f"/{TABLE_TEXT.name}")
"""The structure type of a data table's cell paragraphs (LibreOffice tags a paragraph with its
style name, role-mapped to ``P``)."""
LAYOUT_TAGS = {"/Table", "/TR", "/TD", "/TH", "/THead", "/TBody", "/TFoot"}


def correct(pdf: pikepdf.Pdf) -> None:
    """Apply every correction above to ``pdf`` (tagged by LibreOffice)."""
    root = pdf.Root.get("/StructTreeRoot")
    for page in pdf.pages:
        if "/Annots" in page.obj or "/Tabs" in page.obj:
            page.obj.Tabs = pikepdf.Name.S
        _mark_untagged_paths(pdf, page)
    if root is None or "/ParentTree" not in root:
        return  # untagged: nothing to correct
    tree = _Tree(pdf, root)
    for table in tree.tagged("/Table"):
        if CELL_TEXT not in {kid.S for kid in tree.elements(table)}:
            _retag_layout(tree, table)
    _identify_notes(tree)
    _tag_orphan_links(pdf, tree)
    if len(pdf.pages):
        _notices_as_content(pdf, tree, pdf.pages[0])


# --- the structure tree ------------------------------------------------------------------------


@dataclass
class _Tree:
    """The structure tree and its parent tree (MCIDs and annotations → their elements).

    The elements are read once, in order, each with where its subtree ends and the page it names
    (reading a long document's tree through pikepdf takes tens of milliseconds each time). The
    corrections add elements only where that reading stays true for the elements read: a
    ``Link`` in a note already on the link's page, or at the document's level, where a new
    element is read afresh.
    """

    pdf: pikepdf.Pdf
    root: Any
    parents: dict[int, Any] = field(default_factory=dict)
    _order: list[Any] = field(default_factory=list)
    _ends: list[int] = field(default_factory=list)
    _tags: list[str] = field(default_factory=list)
    _pages: list[tuple[int, int] | None] = field(default_factory=list)
    _index: dict[tuple[int, int], int] = field(default_factory=dict)

    def __post_init__(self) -> None:
        nums = self.root.ParentTree.get("/Nums", [])
        self.parents = {int(nums[i]): nums[i + 1] for i in range(0, len(nums), 2)}
        self._read(self.root)

    def _read(self, node: Any) -> None:
        for kid in _kids(node):
            if isinstance(kid, int) or not isinstance(kid, pikepdf.Dictionary) or "/S" not in kid:
                continue  # a marked-content identifier or reference, an annotation's reference
            at = len(self._order)
            if (number := kid.objgen) != (0, 0):
                self._index[number] = at
            page = kid.get("/Pg")
            self._order.append(kid)
            self._tags.append(str(kid.S))
            self._pages.append(None if page is None else page.objgen)
            self._ends.append(at)
            self._read(kid)
            self._ends[at] = len(self._order)

    def tagged(self, tag: str) -> list[Any]:
        """The elements of type ``tag`` as first read, in order (the corrections change only
        layout tables' types)."""
        return [e for e, t in zip(self._order, self._tags, strict=True) if t == tag]

    def elements(self, under: Any = None) -> Iterator[Any]:
        """Every structure element below ``under`` (the root), depth first, in order."""
        if under is None:
            yield from self._order
        elif (at := self._at(under)) is not None:
            yield from self._order[at + 1 : self._ends[at]]
        else:
            for kid in _kids(under):
                if isinstance(kid, pikepdf.Dictionary) and "/S" in kid:
                    yield kid
                    yield from self.elements(kid)

    def on_page(self, element: Any, page: pikepdf.Page) -> bool:
        """Whether ``element`` or an element below it names ``page`` as its page."""
        wanted = page.obj.objgen
        if (at := self._at(element)) is not None:
            return wanted in self._pages[at : self._ends[at]]
        pages = [e.get("/Pg") for e in [element, *self.elements(element)]]
        return any(p is not None and p.objgen == wanted for p in pages)

    def _at(self, element: Any) -> int | None:
        return self._index.get(element.objgen) if element.objgen != (0, 0) else None

    def add_parent(self, element: Any) -> int:
        """A new parent-tree key whose value is ``element`` (for an annotation)."""
        key = max(self.parents, default=-1) + 1
        self.parents[key] = element
        self._write()
        return key

    def page_parents(self, page: Any) -> Any:
        """The array of ``page``'s parent-tree entry (element of each MCID), made if missing."""
        key = page.obj.get("/StructParents")
        if key is None:
            key = max(self.parents, default=-1) + 1
            page.obj.StructParents = key
            self.parents[key] = self.pdf.make_indirect(pikepdf.Array())
            self._write()
        return self.parents[int(key)]

    def _write(self) -> None:
        nums: list[Any] = []
        for key in sorted(self.parents):
            nums += [key, self.parents[key]]
        self.root.ParentTree = self.pdf.make_indirect(pikepdf.Dictionary(Nums=pikepdf.Array(nums)))
        self.root.ParentTreeNextKey = max(self.parents) + 1


def _kids(element: Any) -> list[Any]:
    kids = element.get("/K")
    if kids is None:
        return []
    return list(kids) if isinstance(kids, pikepdf.Array) else [kids]


def _element(pdf: pikepdf.Pdf, tag: str, parent: Any, kids: list[Any], page: Any = None) -> Any:
    element = pdf.make_indirect(pikepdf.Dictionary(Type=pikepdf.Name.StructElem, S=pikepdf.Name(tag)))
    element.P = parent
    element.K = pikepdf.Array(kids)
    if page is not None:
        element.Pg = page
    return element


# --- layout tables, notes, links -----------------------------------------------------------------


def _retag_layout(tree: _Tree, table: Any) -> None:
    """A layout grid read as text: the table, its rows and cells become ``Div``s."""
    for element in [table, *tree.elements(table)]:
        if element.S in LAYOUT_TAGS:
            element.S = pikepdf.Name.Div
            if "/A" in element:
                del element.A


def _identify_notes(tree: _Tree) -> None:
    for number, note in enumerate(tree.tagged("/Note"), start=1):
        note.ID = pikepdf.String(f"note-{number}")


def _tag_orphan_links(pdf: pikepdf.Pdf, tree: _Tree) -> None:
    """Link annotations outside the structure (a footnote number's link back to its reference)
    get a ``Link`` element in the note on their page, in order, else in the document."""
    notes = tree.tagged("/Note")
    for page in pdf.pages:
        annots: list[Any] = list(page.obj.get("/Annots", []))
        orphans = [a for a in annots if a.get("/Subtype") == "/Link" and "/StructParent" not in a]
        if not orphans:
            continue
        on_page = [n for n in notes if tree.on_page(n, page)]
        for k, annot in enumerate(orphans):
            parent = on_page[k] if k < len(on_page) else _kids(tree.root)[0]
            objr = pikepdf.Dictionary(Type=pikepdf.Name.OBJR, Obj=annot, Pg=page.obj)
            link = _element(pdf, "/Link", parent, [objr], page.obj)
            if "/Contents" in annot:  # a link without text must say where it goes
                link.Alt = annot.Contents
            parent.K = pikepdf.Array([link, *_kids(parent)])
            annot.StructParent = tree.add_parent(link)


# --- the content stream ----------------------------------------------------------------------


Instruction = Any
"""One instruction of a content stream (pikepdf's ``ContentStreamInstruction`` or an inline image)."""


def _instructions(page: pikepdf.Page) -> list[Instruction]:
    return list(pikepdf.parse_content_stream(page))


def _op(instruction: Instruction) -> str:
    return str(instruction.operator)


def _instruction(operands: list[Any], op: str) -> Instruction:
    return pikepdf.ContentStreamInstruction(operands, pikepdf.Operator(op))


def _write_instructions(pdf: pikepdf.Pdf, page: pikepdf.Page, instructions: list[Instruction]) -> None:
    page.obj.Contents = pdf.make_stream(pikepdf.unparse_content_stream(instructions))


def _nesting(op: str) -> int:
    """How ``op`` changes the depth of marked content."""
    return {"BMC": 1, "BDC": 1, "EMC": -1}.get(op, 0)


def _mark_untagged_paths(pdf: pikepdf.Pdf, page: pikepdf.Page) -> None:
    """Paths drawn outside any marked content are decoration: wrap each in an artifact."""
    contents = page.obj.get("/Contents")
    if contents is None:
        return
    streams = list(contents) if isinstance(contents, pikepdf.Array) else [contents]
    content = b"\n".join(stream.read_bytes() for stream in streams)
    marked = paths.wrap_top_level_paths(content)
    if marked is None:  # what the scanner does not read (an inline image…): pikepdf does
        _mark_parsed_paths(pdf, page)
    elif marked is not content:
        page.obj.Contents = pdf.make_stream(marked)


def _mark_parsed_paths(pdf: pikepdf.Pdf, page: pikepdf.Page) -> None:
    """:func:`_mark_untagged_paths` on pikepdf's reading of the content stream."""
    out: list[Instruction] = []
    depth, in_path, changed = 0, False, False
    for instruction in _instructions(page):
        op = _op(instruction)
        if depth == 0 and not in_path and op in PATH_START:
            out.append(_instruction([pikepdf.Name.Artifact], "BMC"))
            in_path = changed = True
        out.append(instruction)
        if in_path and op in PATH_PAINT:
            out.append(_instruction([], "EMC"))
            in_path = False
        depth += _nesting(op)
    if changed:
        _write_instructions(pdf, page, out)


@dataclass
class _Line:
    """A run of artifact text on the page: where its operators are, its baseline and size."""

    start: int
    end: int
    y: Decimal
    size: Decimal


def _artifact_lines(instructions: list[Instruction]) -> list[_Line]:
    """The top-level ``/Artifact`` sequences that show text, with their first baseline."""
    lines: list[_Line] = []
    depth, start, y, size, shows = 0, -1, None, Decimal(0), False
    for i, instruction in enumerate(instructions):
        op, operands = _op(instruction), instruction.operands
        if op == "BMC" and depth == 0 and operands[0] == pikepdf.Name.Artifact:
            start, y, shows = i, None, False
        elif op == "Td" and start >= 0 and y is None:
            y = Decimal(str(operands[1]))
        elif op == "Tf" and start >= 0:
            size = Decimal(str(operands[1]))
        elif op in SHOW_TEXT and start >= 0:
            shows = True
        depth += _nesting(op)
        if op == "EMC" and depth == 0 and start >= 0:
            if shows and y is not None:
                lines.append(_Line(start, i, y, size))
            start = -1
    return lines


def _paragraphs(lines: list[_Line]) -> list[list[_Line]]:
    """Lines grouped into paragraphs by the gap between their baselines."""
    groups: list[list[_Line]] = []
    for line in lines:
        last = groups[-1][-1] if groups else None
        if last is not None and last.y - line.y <= PARAGRAPH_GAP * max(last.size, line.size):
            groups[-1].append(line)
        else:
            groups.append([line])
    return groups


def _notices_as_content(pdf: pikepdf.Pdf, tree: _Tree, page: pikepdf.Page) -> None:
    instructions = _instructions(page)
    middle = Decimal(str(page.mediabox[3])) / 2
    lines = [line for line in _artifact_lines(instructions) if line.y < middle]
    if not lines:
        return
    parents = tree.page_parents(page)
    document = _kids(tree.root)[0]
    after = _last_on_page(tree, document, page)
    for paragraph in _paragraphs(lines):
        element = _element(pdf, "/P", document, [], page.obj)
        mcids = []
        for line in paragraph:
            mcid = len(parents)
            instructions[line.start] = _instruction([pikepdf.Name.P, pikepdf.Dictionary(MCID=mcid)], "BDC")
            parents.append(element)
            mcids.append(mcid)
        element.K = pikepdf.Array(mcids)
        after = _insert_after(document, after, element)
    _write_instructions(pdf, page, instructions)


def _last_on_page(tree: _Tree, document: Any, page: pikepdf.Page) -> int:
    """Index in the document's kids of the last element with content on ``page`` (-1: none)."""
    found = -1
    for k, kid in enumerate(_kids(document)):
        if isinstance(kid, pikepdf.Dictionary) and "/S" in kid and tree.on_page(kid, page):
            found = k
    return found


def _insert_after(document: Any, index: int, element: Any) -> int:
    kids = _kids(document)
    kids.insert(index + 1, element)
    document.K = pikepdf.Array(kids)
    return index + 1
