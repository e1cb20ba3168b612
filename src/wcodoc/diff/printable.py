"""The redline as printed (``--pdf``, ``revise --redline``): one path from redline to PDF.

LibreOffice 7.4 counts list numbers of a document with tracked changes on its own, and
wrongly: a paragraph holding *any* tracked deletion, and the paragraph after one deleted
with its mark, count as deleted ("[4.]" instead of "4."), so every later paragraph prints
its new number with a wrong value and the old one in brackets ("4.[5.]"); it also
recomputes ``REF`` fields from its own numbers. Markup cannot avoid it: a deleted word in a
paragraph is enough. The PDF is for reading, not for accepting changes, so it is made from a
copy of the redline with the numbers wcodoc computed as text, the way delegates must read
them: every paragraph of the new draft its new number, a deleted or moved-away paragraph its
old number, struck through; every cross-reference its value as wcodoc wrote it (``REF``
field codes are dropped, their shown result kept); and a "Changes from … to …" line on every
page. That copy is converted and finished like a build's PDF (:mod:`wcodoc.pdf.finish`):
dated with the redline's own date, so the same drafts give the same bytes. The redline DOCX
itself keeps Word's live numbering.
"""

from __future__ import annotations

import copy
import datetime as dt
from pathlib import Path
from tempfile import TemporaryDirectory

from lxml import etree

from wcodoc.diff.extract import BlockReader, Draft
from wcodoc.diff.redline import RedlineResult, write_redline
from wcodoc.load.symbol import DocumentSymbol
from wcodoc.ooxml import W_P, W_PPR, W_R, W_SECT_PR, detach, properties, qn, required
from wcodoc.ooxml import elements as E
from wcodoc.ooxml.package import RELS_NS, add_override, add_relationship
from wcodoc.ooxml.revisions import Stamp, del_, max_id
from wcodoc.ooxml.safe import open_docx

W_NUM_PR, W_HDR, W_HEADER_REFERENCE = qn("w:numPr"), qn("w:hdr"), qn("w:headerReference")
W_FLD_CHAR, W_INSTR, W_DEL_INSTR = qn("w:fldChar"), qn("w:instrText"), qn("w:delInstrText")
NUMBERED = frozenset({"heading", "paragraph", "sub-item"})


STAMP_LINES = {"E": "Changes from {old} to {new}", "F": "Modifications de {old} à {new}"}
"""The line on every printed page of a redline, by the language letter of the symbol."""


def stamp_line(old_symbol: str, new_symbol: str) -> str:
    """``Changes from PC0685Ea to PC0685Eb``, in the new draft's language (English if unknown)."""
    try:
        language = DocumentSymbol.parse(new_symbol).language
    except ValueError:
        language = "E"
    return STAMP_LINES.get(language, STAMP_LINES["E"]).format(old=old_symbol, new=new_symbol)


STAMP_HEADER = "wcodocStamp"
"""The header part (``word/wcodocStamp.xml``, relationship ``rIdwcodocStamp``) that carries the
line on the pages of sections that have no header of their own."""
DOCUMENT_RELS, CONTENT_TYPES = "word/_rels/document.xml.rels", "[Content_Types].xml"
HEADER_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.header+xml"


def stamped_parts(path: Path, root: etree._Element, line: str) -> dict[str, etree._Element]:
    """The parts of the package at ``path`` that change so that ``line`` heads every printed
    page of the redline ``root`` (changed in place), so that no page can be taken for the
    clean draft: each header part with the line added at its end, and for the sections
    without a header, a header of their own holding it. A header is repeated page furniture,
    which the PDF marks as such (an artifact), not text of the document."""
    parts = {}
    with open_docx(path) as package:
        for name in sorted(package.names):
            if name.startswith("word/") and name.endswith(".xml") and "/" not in name[5:]:
                header = package.xml(name)
                if header.tag == W_HDR:
                    header.append(_stamp_paragraph(line))
                    parts[name] = header
        if _reference_stamp_header(root):
            rels = package.xml(DOCUMENT_RELS) if package.has(DOCUMENT_RELS) else _relationships()
            add_relationship(rels, f"rId{STAMP_HEADER}", "header", f"{STAMP_HEADER}.xml")
            types = package.xml(CONTENT_TYPES)
            add_override(types, f"/word/{STAMP_HEADER}.xml", HEADER_TYPE)
            parts |= {
                DOCUMENT_RELS: rels,
                CONTENT_TYPES: types,
                f"word/{STAMP_HEADER}.xml": E.part("hdr", _stamp_paragraph(line)),
            }
    return parts


def _relationships() -> etree._Element:
    return etree.Element(f"{{{RELS_NS}}}Relationships", nsmap={None: RELS_NS})


def _reference_stamp_header(root: etree._Element) -> bool:
    """Give every section of ``root`` without a header the stamp header (a first page too,
    where it has one of its own); whether any needed it."""
    body = required(root, "w:body")
    if body.find(W_SECT_PR) is None:  # Word's defaults: one section, no header
        E.insert_in_order(body, E.w("sectPr"))
    needed = False
    for sect in root.iter(W_SECT_PR):
        kinds = {ref.get(qn("w:type"), "default") for ref in sect.iter(W_HEADER_REFERENCE)}
        wanted = ["default"] + (["first"] if sect.find(qn("w:titlePg")) is not None else [])
        for kind in wanted:
            if kind not in kinds:
                E.insert_in_order(sect, E.reference("headerReference", kind, f"rId{STAMP_HEADER}"))
                needed = True
    return needed


def _stamp_paragraph(line: str) -> etree._Element:
    return E.p(E.ppr(E.w("jc", val="center")), E.r(E.rpr(E.w("b")), E.t(line, preserve=False)))


UNDATED_DAY = dt.date(1980, 1, 1)
"""The date of a printed redline whose new draft does not say when it was made: a fixed one,
the earliest a zip entry can hold, so that the bytes stay reproducible."""


def print_redline(
    old_symbol: str, new: Draft, result: RedlineResult, pdf: Path, *, office: Path | None = None
) -> None:
    """Write the PDF of the redline ``result`` (comparing ``old_symbol`` with ``new``) to ``pdf``.

    ``office``: the profile of a LibreOffice started early (:mod:`wcodoc.pdf.early`).
    """
    # Imported here: the converter's client (xmlrpc, http, ssl) and pikepdf cost every diff
    # that writes no PDF.
    from wcodoc.pdf.convert import convert_to_pdf
    from wcodoc.pdf.finish import finish_pdf

    with TemporaryDirectory(prefix="wcodoc-print-") as tmp:
        printable, raw = Path(tmp) / f"{pdf.stem}.docx", Path(tmp) / "libreoffice.pdf"
        write_printable(old_symbol, new, result, printable)
        convert_to_pdf(printable, raw, profile=office)
        date = result.stamp.date
        finish_pdf(raw, pdf, dt.date.fromisoformat(date[:10]) if date else UNDATED_DAY)


def write_printable(old_symbol: str, new: Draft, result: RedlineResult, out: Path) -> None:
    """Write to ``out`` the DOCX the redline's PDF is made from (``result`` is changed in
    place: write the redline DOCX first)."""
    make_printable(result, new.reader)
    parts = stamped_parts(new.path, result.root, stamp_line(old_symbol, new.symbol))
    write_redline(new, result, out, other_parts=parts)


def make_printable(result: RedlineResult, reader: BlockReader) -> None:
    """Turn the redline of ``result`` (in place) into the document its PDF is made from."""
    root, placed = result.root, result.placed
    revision = Stamp(result.stamp.author, result.stamp.date, max_id(root) + 1)
    for item in placed:
        block = item.block
        if item.element.tag != W_P or block.block not in NUMBERED or block.number is None:
            continue
        if block.typed_prefix:  # a number typed by hand is text already
            continue
        fix_number(item.element, _label(block.number), reader, revision, struck=item.gone)
    freeze_references(root)


def _label(number: str) -> str:
    """What a list shows for a number: ``7.``, ``II.``, ``e.`` (the sub-item ``9.e``)."""
    return number.rsplit(".", 1)[-1] + "."


def fix_number(p: etree._Element, label: str, reader: BlockReader, stamp: Stamp, *, struck: bool) -> None:
    """Take ``p`` out of its list and write ``label`` and a tab at its start, where the list
    showed its number (the list level's indent kept); ``struck``: as deleted text."""
    num_pr = reader.num_pr(p)
    level = reader.numbering.level(*num_pr) if num_pr else None
    ppr = properties(p, W_PPR)
    for old in ppr.findall(W_NUM_PR):
        ppr.remove(old)
    E.insert_in_order(ppr, E.w("numPr", E.w("ilvl", val=0), E.w("numId", val=0)))
    if level is not None and level.indent is not None and ppr.find(qn("w:ind")) is None:
        E.insert_in_order(ppr, copy.deepcopy(level.indent))
    number, tab = E.r(E.t(label, preserve=False)), E.r(E.w("tab"))
    ppr.addnext(number)
    number.addnext(tab)
    if struck:
        del_(stamp, [number, tab])


def freeze_references(root: etree._Element) -> None:
    """Drop the field code of every ``REF`` field in ``root``, keeping the result it shows."""
    for p in root.iter(W_P):
        depth, instruction, code = 0, "", list[etree._Element]()
        showing = False
        for run in list(p.iter(W_R)):
            char = run.find(W_FLD_CHAR)
            kind = char.get(qn("w:fldCharType")) if char is not None else None
            if kind == "begin":
                depth += 1
                if depth == 1:
                    instruction, code, showing = "", [run], False
                continue
            if depth == 0:
                continue
            if depth > 1:
                depth -= 1 if kind == "end" else 0
                continue
            if kind == "separate":
                code.append(run)
                showing = True
            elif kind == "end":
                code.append(run)
                depth = 0
                if instruction.split()[:1] == ["REF"]:
                    for done in code:
                        detach(done)
            elif not showing:
                code.append(run)
                instruction += "".join(t.text or "" for t in run.iter(W_INSTR, W_DEL_INSTR))
