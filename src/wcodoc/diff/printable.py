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
from wcodoc.ooxml import W_P, W_PPR, W_R, detach, properties, qn, required
from wcodoc.ooxml import elements as E
from wcodoc.ooxml.revisions import Stamp, del_, max_id
from wcodoc.ooxml.safe import open_docx

W_NUM_PR, W_HDR = qn("w:numPr"), qn("w:hdr")
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


def stamped_headers(path: Path, line: str) -> dict[str, etree._Element]:
    """The header parts of the package at ``path``, each with ``line`` added at its end, so
    that no printed page of a redline can be taken for the clean draft."""
    headers = {}
    with open_docx(path) as package:
        for name in sorted(package.names):
            if name.startswith("word/") and name.endswith(".xml") and "/" not in name[5:]:
                root = package.xml(name)
                if root.tag == W_HDR:
                    root.append(_stamp_paragraph(line))
                    headers[name] = root
    return headers


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
    line = stamp_line(old_symbol, new.symbol)
    headers = stamped_headers(new.path, line)
    make_printable(result, new.reader, stamp=None if headers else line)
    write_redline(new, result, out, other_parts=headers)


def make_printable(result: RedlineResult, reader: BlockReader, *, stamp: str | None = None) -> None:
    """Turn the redline of ``result`` (in place) into the document its PDF is made from;
    ``stamp``: a line to put first in the body (for a document without headers)."""
    root, placed = result.root, result.placed
    if stamp is not None:
        required(root, "w:body").insert(0, _stamp_paragraph(stamp))
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
