"""The compilation of a round of returns, written as JSON, CSV, one HTML page or a WCO DOCX.

The HTML page and the DOCX show one row per paragraph, Member and file: the proposed text
with deleted words struck through (red) and inserted words underlined (blue), and the
Member's comments on that paragraph. Rows of one paragraph follow each other, so conflicting
proposals stand side by side; the paragraph cell spans them. The DOCX is the meeting's paper:
its pages numbered with the base's symbol in the header, and a last column left empty for
the Secretariat's decision on each row.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from lxml import etree

from wcodoc.diff.align import Segment, word_diff
from wcodoc.fsutil import atomic_output
from wcodoc.load.housestyle import BUILTIN_DIR, REFERENCE_DOCX
from wcodoc.ooxml.elements import fld, p, part, ppr, r, reference, rpr, tbl, tc, tr, w
from wcodoc.ooxml.package import parse_xml, read_package, save_package, serialize_xml
from wcodoc.ooxml.styles import STYLES_PART, StyleIds, read_styles
from wcodoc.render.docx.finish import add_content_types, add_relationships
from wcodoc.render.docx.template import TEXT_WIDTH
from wcodoc.render.html5.page import DELETED_COLOUR, INSERTED_COLOUR, escape, page
from wcodoc.review.collect import Compilation, Entry
from wcodoc.styles import HEADER, TABLE_TEXT

FORMATS = ("docx", "html", "json", "csv")
COLUMNS = ("paragraph", "member", "file", "kind", "old_text", "new_text", "comment")
HEADINGS = ("Paragraph", "Member", "Proposed text", "Comment")
DECISION = "Secretariat decision"
"""The DOCX's last column, empty: the meeting's decision on each row is written there."""
NO_CHANGE = "(no change proposed)"
DC_NS = "http://purl.org/dc/elements/1.1/"


@dataclass
class Row:
    """What one Member's file says about one paragraph: a proposed change and/or comments."""

    paragraph: str
    member: str
    file: str
    words: list[Segment] = field(default_factory=list)
    """The proposed change as a word diff (empty: comments only)."""
    comments: list[str] = field(default_factory=list)


def rows(compilation: Compilation) -> list[Row]:
    """The entries folded into rows, in the compilation's order."""
    by_place: dict[tuple[str, str, str], Row] = {}
    for entry in compilation.entries:
        row = by_place.setdefault(
            (entry.paragraph, entry.member, entry.file), Row(entry.paragraph, entry.member, entry.file)
        )
        if entry.kind == "change":
            row.words += ([("equal", "\n")] if row.words else []) + _words(entry)
        elif entry.comment:
            row.comments.append(entry.comment)
    return list(by_place.values())


def _words(entry: Entry) -> list[Segment]:
    return word_diff(entry.old_text or "", entry.new_text or "")


def groups(table: list[Row]) -> Iterator[list[Row]]:
    """Consecutive rows of one paragraph."""
    group: list[Row] = []
    for row in table:
        if group and group[0].paragraph != row.paragraph:
            yield group
            group = []
        group.append(row)
    if group:
        yield group


def paragraph_label(key: str) -> str:
    """How a key reads in a table: ``7``, ``new after 7``, ``cover (title)``, ``use case 3``."""
    if key.startswith("after "):
        return f"new, {key}"
    if key.startswith("cover:"):
        return f"cover ({key[6:]})"
    if key.startswith("uc "):
        return f"use case {key[3:]}"
    return key


def title(compilation: Compilation) -> str:
    """The cover line: which document the compilation is about."""
    return f"Comments and proposals received on document {compilation.base}"


def summary(compilation: Compilation) -> str:
    """``12 proposed changes and 5 comments from 4 files``."""
    changes = sum(e.kind == "change" for e in compilation.entries)
    comments = len(compilation.entries) - changes
    files = len(compilation.files)
    return (
        f"{changes} proposed change{'s' * (changes != 1)} and {comments} comment{'s' * (comments != 1)} "
        f"from {files} returned file{'s' * (files != 1)}"
    )


# --- JSON and CSV --------------------------------------------------------------------------------


def render_json(compilation: Compilation) -> str:
    """``{"base": …, "entries": [...]}``, indented."""
    return json.dumps(compilation.as_json(), ensure_ascii=False, indent=2) + "\n"


def render_csv(compilation: Compilation) -> str:
    """One line per entry, the JSON keys as columns (UTF-8; spreadsheets open it as it is).

    Every cell is quoted, and one whose text a spreadsheet would read as a formula gets a
    leading apostrophe (see :func:`spreadsheet_text`).
    """
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n", quoting=csv.QUOTE_ALL)
    writer.writerow(COLUMNS)
    for entry in compilation.entries:
        record = entry.as_json()
        writer.writerow([spreadsheet_text(record[c] or "") for c in COLUMNS])
    return out.getvalue()


FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
"""First characters that make Excel, LibreOffice Calc or Google Sheets read a cell as a formula."""


def spreadsheet_text(value: str) -> str:
    """``value`` as a cell a spreadsheet shows as text, never runs.

    Members' comments, names and file names reach the CSV: ``=HYPERLINK(…)`` or
    ``=cmd|' /C calc'!A0`` would run when the Secretariat opens it. As OWASP advises against
    CSV injection, a cell starting with one of :data:`FORMULA_STARTS` gets an apostrophe
    before it (so ``-2`` reads ``'-2``).
    """
    return f"'{value}" if value.startswith(FORMULA_STARTS) else value


# --- HTML ------------------------------------------------------------------------------------------


def _html_words(words: list[Segment]) -> str:
    if not words:
        return f'<span class="none">{NO_CHANGE}</span>'
    tag = {"delete": "del", "insert": "ins"}
    return "".join(
        f"<{tag[op]}>{escape(text)}</{tag[op]}>" if op in tag else escape(text) for op, text in words
    )


def render_html(compilation: Compilation) -> str:
    """One self-contained page: the cover line, a count, the table."""
    body = []
    for group in groups(rows(compilation)):
        for k, row in enumerate(group):
            first = (
                f'<td class="par" rowspan="{len(group)}">{escape(paragraph_label(row.paragraph))}</td>'
                if k == 0
                else ""
            )
            comments = "<br>".join(escape(c).replace("\n", "<br>") for c in row.comments)
            body.append(
                f"<tr>{first}<td>{escape(row.member)}<br><small>{escape(row.file)}</small></td>"
                f"<td>{_html_words(row.words)}</td><td>{comments}</td></tr>"
            )
    head = "".join(f"<th>{h}</th>" for h in HEADINGS)
    return page(
        title(compilation),
        f"<p>{escape(summary(compilation))}</p>"
        f"<table><thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody></table>",
    )


# --- DOCX ------------------------------------------------------------------------------------------

LANDSCAPE = {"w": "16838", "h": "11906"}
MARGIN = "1134"
WIDTH = int(LANDSCAPE["w"]) - 2 * int(MARGIN)
COLUMN_WIDTHS = (1600, 1900, 5870, 3000, 2200)
"""Twentieths of a point: paragraph, Member, proposed text, comment, decision (A4 landscape,
2 cm margins: :data:`WIDTH` in all)."""
HEADER_PART = "wcodocHeader"
"""The header part (``word/wcodocHeader.xml``) and its relationship id (``rIdwcodocHeader``)."""
BORDERS = ("top", "left", "bottom", "right", "insideH", "insideV")


def _run(text: str, *, bold: bool = False, op: str = "equal") -> list[etree._Element]:
    """Runs showing ``text`` (line breaks as ``w:br``), struck red or underlined blue by ``op``."""
    return [r(_look(bold, op), w("br") if k else None, line) for k, line in enumerate(text.split("\n"))]


def _look(bold: bool, op: str) -> etree._Element | None:
    """The run properties of a bold or a deleted or inserted run (``None``: plain)."""
    props = [w("b") if bold else None]
    if op == "delete":
        props += [w("strike"), w("color", val=DELETED_COLOUR)]
    elif op == "insert":
        props += [w("color", val=INSERTED_COLOUR), w("u", val="single")]
    return rpr(*props) if any(prop is not None for prop in props) else None


def _paragraph(style: str | None, runs: list[etree._Element], *, centre: bool = False) -> etree._Element:
    return p(ppr(w("jc", val="center") if centre else None, style=style or None), *runs)


def _cell(width: int, paragraphs: list[etree._Element], merge: str | None = None) -> etree._Element:
    vmerge = (w("vMerge", val=merge) if merge == "restart" else w("vMerge")) if merge else None
    return tc(w("tcPr", w("tcW", w=width, type="dxa"), vmerge), *paragraphs)


def _table(table: list[Row], cell_style: str) -> etree._Element:
    borders = (w(side, val="single", sz=4, space=0, color="808080") for side in BORDERS)
    properties = w(
        "tblPr",
        w("tblW", w=sum(COLUMN_WIDTHS), type="dxa"),
        w("tblBorders", *borders),
        w("tblLayout", type="fixed"),
    )
    header = tr(
        w("trPr", w("tblHeader")),
        *(
            _cell(width, [_paragraph(cell_style, _run(text, bold=True))])
            for width, text in zip(COLUMN_WIDTHS, (*HEADINGS, DECISION), strict=True)
        ),
    )
    rows = [_row(row, k, len(group), cell_style) for group in groups(table) for k, row in enumerate(group)]
    return tbl(properties, w("tblGrid", *(w("gridCol", w=width) for width in COLUMN_WIDTHS)), header, *rows)


def _row(row: Row, k: int, rows_of_paragraph: int, cell_style: str) -> etree._Element:
    """The ``k``-th row of a paragraph's ``rows_of_paragraph``: its label only in the first, a
    cell spanning them all."""
    label = _paragraph(cell_style, _run(paragraph_label(row.paragraph), bold=True) if k == 0 else [])
    merge = ("restart" if k == 0 else "continue") if rows_of_paragraph > 1 else None
    words = [run for op, text in row.words for run in _run(text, op=op)] or _run(NO_CHANGE)
    comments = [_paragraph(cell_style, _run(c)) for c in row.comments] or [_paragraph(cell_style, [])]
    return tr(
        w("trPr", w("cantSplit")),
        _cell(COLUMN_WIDTHS[0], [label], merge=merge),
        _cell(COLUMN_WIDTHS[1], [_paragraph(cell_style, _run(row.member) + _run("\n" + row.file))]),
        _cell(COLUMN_WIDTHS[2], [_paragraph(cell_style, words)]),
        _cell(COLUMN_WIDTHS[3], comments),
        _cell(COLUMN_WIDTHS[4], [_paragraph(cell_style, [])]),
    )


def _section() -> etree._Element:
    return w(
        "sectPr",
        reference("headerReference", "default", f"rId{HEADER_PART}"),
        w("pgSz", w=LANDSCAPE["w"], h=LANDSCAPE["h"], orient="landscape"),
        w("pgMar", top=MARGIN, right=MARGIN, bottom=MARGIN, left=MARGIN, header=709, footer=709, gutter=0),
    )


def header(compilation: Compilation, ids: StyleIds) -> etree._Element:
    """Every page's header: its number centred and the base's symbol on the right, as on a
    document's later pages; the tab stops of the house's Header style are for portrait
    pages, so they are cleared and the landscape page's set."""
    tabs = w(
        "tabs",
        w("tab", val="clear", pos=TEXT_WIDTH // 2),
        w("tab", val="center", pos=WIDTH // 2),
        w("tab", val="clear", pos=TEXT_WIDTH),
        w("tab", val="right", pos=WIDTH),
    )
    number = [r(w("tab")), *fld("PAGE", "1"), r("."), r(w("tab")), r(compilation.base)]
    return part("hdr", p(ppr(tabs, style=HEADER.id_in(ids)), *number))


def compilation_document(compilation: Compilation, ids: StyleIds) -> etree._Element:
    """``word/document.xml`` of the compilation: cover line, count, table, landscape page."""
    body_text = ids.get("Body Text")
    return part(
        "document",
        w(
            "body",
            # Body Text, not Cover Title: that style prints capitals, and a symbol keeps its case.
            _paragraph(body_text, _run(title(compilation), bold=True), centre=True),
            _paragraph(body_text, _run(summary(compilation))),
            _table(rows(compilation), ids.get(TABLE_TEXT.name) or ""),
            _paragraph(None, []),  # Word wants a paragraph after a table
            _section(),
        ),
    )


def write_docx(compilation: Compilation, out: Path, template: Path = BUILTIN_DIR / REFERENCE_DOCX) -> None:
    """Write the compilation as a DOCX in the house style of ``template`` (atomically)."""
    parts = read_package(template)
    ids = read_styles(parse_xml(parts[STYLES_PART])).ids
    parts["word/document.xml"] = serialize_xml(compilation_document(compilation, ids))
    parts[f"word/{HEADER_PART}.xml"] = serialize_xml(header(compilation, ids))
    for name, add in (
        ("word/_rels/document.xml.rels", add_relationships),
        ("[Content_Types].xml", add_content_types),
    ):
        root = parse_xml(parts[name])
        add(root, [(HEADER_PART, "header")])
        parts[name] = serialize_xml(root)
    if "docProps/core.xml" in parts:  # the template's placeholder title and author
        core = parse_xml(parts["docProps/core.xml"])
        for name, value in (("title", title(compilation)), ("creator", "wcodoc")):
            for el in core.iter(f"{{{DC_NS}}}{name}"):
                el.text = value
        parts["docProps/core.xml"] = serialize_xml(core)
    save_package(parts, out)


def render(fmt: str, compilation: Compilation) -> str:
    """The compilation as text in ``fmt`` (json, csv or html)."""
    if fmt == "json":
        return render_json(compilation)
    if fmt == "csv":
        return render_csv(compilation)
    if fmt == "html":
        return render_html(compilation)
    raise ValueError(f"no text rendering for {fmt!r}")


def write(fmt: str, compilation: Compilation, out: Path) -> None:
    """Write the compilation to ``out`` in ``fmt`` (docx, html, json or csv), atomically."""
    if fmt == "docx":
        write_docx(compilation, out)
        return
    with atomic_output(out) as tmp:
        tmp.write_text(render(fmt, compilation), encoding="utf-8", newline="")
