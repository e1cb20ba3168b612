"""Small synthetic drafts, laid out like wcodoc's builds, for tests and benchmarks.

A draft is a list of ``(kind, text)`` items; kinds are ``heading`` (Heading 1, Roman numbers),
``annexheading``, ``usecase`` (Use Case Heading) and ``annex`` (Annex Text),
``para`` (Numbered Paragraph), ``sub`` (Sub-item), ``bullet``, ``body`` (unnumbered),
``typed`` (a paragraph whose number is typed as text), ``table`` (text with ``|`` between
cells and ``/`` between rows) and ``cover:<field>`` (a cover paragraph). Inside text,
``**`` toggles bold so that tests can check that run formatting survives a redline, and
``^[text]`` is a footnote (written to ``word/footnotes.xml``).
"""

from __future__ import annotations

import re
import zipfile
from pathlib import Path
from xml.sax.saxutils import escape

from wcodoc.ooxml import W_NS

STYLE_OF = {
    "heading": "Heading1",
    "para": "NumberedParagraph",
    "sub": "Sub-item",
    "bullet": "Bullet",
    "body": "BodyText",
    "typed": "BodyText",
    "annexheading": "AnnexHeading",
    "usecase": "UseCaseHeading",
    "annex": "AnnexText",
}
COVER_STYLE = {
    "reference": "CoverSymbol",
    "issued": "CoverIssued",
    "title": "CoverTitle",
    "subtitle": "CoverSubtitle",
    "agenda_item": "CoverAgendaItem",
}
_STYLES = [
    ("Normal", "Normal", None, None),
    ("Heading1", "Heading 1", "10", "0"),
    ("NumberedParagraph", "Numbered Paragraph", "11", "0"),
    ("Sub-item", "Sub-item", "11", "1"),
    ("Bullet", "Bullet", "12", "0"),
    ("BodyText", "Body Text", None, None),
    ("AnnexHeading", "Annex Heading", None, None),
    ("UseCaseHeading", "Use Case Heading", None, None),
    ("AnnexText", "Annex Text", None, None),
    ("CoverSymbol", "Cover Symbol", None, None),
    ("CoverIssued", "Cover Issued", None, None),
    ("CoverTitle", "Cover Title", None, None),
    ("CoverSubtitle", "Cover Subtitle", None, None),
    ("CoverAgendaItem", "Cover Agenda Item", None, None),
]
_HEAD = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
Item = tuple[str, str]


def _style_xml(sid: str, name: str, num_id: str | None, ilvl: str | None) -> str:
    num = (
        f'<w:pPr><w:numPr><w:ilvl w:val="{ilvl}"/><w:numId w:val="{num_id}"/></w:numPr></w:pPr>'
        if num_id
        else ""
    )
    default = ' w:default="1"' if sid == "Normal" else ""
    based = "" if sid == "Normal" else '<w:basedOn w:val="Normal"/>'
    return (
        f'<w:style w:type="paragraph"{default} w:styleId="{sid}"><w:name w:val="{name}"/>'
        f"{based}{num}</w:style>"
    )


def styles_xml() -> str:
    """``word/styles.xml`` defining the styles wcodoc's reference document defines."""
    body = "".join(_style_xml(*s) for s in _STYLES)
    return f'{_HEAD}<w:styles xmlns:w="{W_NS}">{body}</w:styles>'


def _lvl(ilvl: int, fmt: str, text: str, indent: int) -> str:
    return (
        f'<w:lvl w:ilvl="{ilvl}"><w:start w:val="1"/><w:numFmt w:val="{fmt}"/>'
        f'<w:lvlText w:val="{text}"/><w:lvlJc w:val="left"/>'
        f'<w:pPr><w:ind w:left="{indent}" w:hanging="567"/></w:pPr></w:lvl>'
    )


def numbering_xml() -> str:
    """``word/numbering.xml``: Roman headings (10), paragraphs and sub-items (11), bullets (12)."""
    return (
        f'{_HEAD}<w:numbering xmlns:w="{W_NS}">'
        f'<w:abstractNum w:abstractNumId="10">{_lvl(0, "upperRoman", "%1.", 567)}</w:abstractNum>'
        f'<w:abstractNum w:abstractNumId="11">{_lvl(0, "decimal", "%1.", 567)}'
        f"{_lvl(1, 'lowerLetter', '%2.', 1134)}</w:abstractNum>"
        f'<w:abstractNum w:abstractNumId="12">{_lvl(0, "bullet", "-", 567)}</w:abstractNum>'
        '<w:num w:numId="10"><w:abstractNumId w:val="10"/></w:num>'
        '<w:num w:numId="11"><w:abstractNumId w:val="11"/></w:num>'
        '<w:num w:numId="12"><w:abstractNumId w:val="12"/></w:num>'
        "</w:numbering>"
    )


FOOTNOTE = re.compile(r"\^\[([^\]]*)\]")
"""``^[text]`` in an item's text: a footnote (pandoc's inline note syntax)."""
_REFERENCE = '<w:r><w:rPr><w:vertAlign w:val="superscript"/></w:rPr><w:footnoteReference w:id="{id}"/></w:r>'


def _runs(text: str) -> str:
    out = []
    for k, piece in enumerate(FOOTNOTE.split(text)):
        if k % 2:
            out.append(_REFERENCE.format(id="{note}"))
            continue
        for m, part in enumerate(piece.split("**")):
            if part:
                rpr = "<w:rPr><w:b/></w:rPr>" if m % 2 else ""
                out.append(f'<w:r>{rpr}<w:t xml:space="preserve">{escape(part)}</w:t></w:r>')
    return "".join(out)


def _number_notes(xml: str) -> str:
    """Give the footnote references of ``xml`` the ids 1, 2, … in order."""
    counter = iter(range(1, 1_000_000))
    return re.sub(r'w:id="\{note\}"', lambda _: f'w:id="{next(counter)}"', xml)


def footnotes_xml(items: list[Item]) -> str | None:
    """``word/footnotes.xml`` for the ``^[…]`` notes of ``items`` (``None`` when there are none)."""
    texts = [note for _, text in items for note in FOOTNOTE.findall(text)]
    if not texts:
        return None
    notes = "".join(
        f'<w:footnote w:id="{k}"><w:p><w:r><w:footnoteRef/></w:r>{_runs(" " + text)}</w:p></w:footnote>'
        for k, text in enumerate(texts, start=1)
    )
    separator = '<w:footnote w:type="separator" w:id="-1"><w:p><w:r><w:separator/></w:r></w:p></w:footnote>'
    return f'{_HEAD}<w:footnotes xmlns:w="{W_NS}">{separator}{notes}</w:footnotes>'


def _paragraph(style: str, text: str) -> str:
    return f'<w:p><w:pPr><w:pStyle w:val="{style}"/></w:pPr>{_runs(text)}</w:p>'


def _table(text: str) -> str:
    rows = []
    for row in text.split(" / "):
        cells = "".join(
            f'<w:tc><w:tcPr><w:tcW w:w="2000" w:type="dxa"/></w:tcPr>{_paragraph("BodyText", c)}</w:tc>'
            for c in row.split(" | ")
        )
        rows.append(f"<w:tr>{cells}</w:tr>")
    return f'<w:tbl><w:tblPr><w:tblW w:w="0" w:type="auto"/></w:tblPr>{"".join(rows)}</w:tbl>'


def item_xml(kind: str, text: str) -> str:
    """The body XML of one item."""
    if kind == "table":
        return _table(text)
    if kind.startswith("cover:"):
        return _paragraph(COVER_STYLE[kind.split(":", 1)[1]], text)
    return _paragraph(STYLE_OF[kind], text)


def document_xml(items: list[Item]) -> str:
    """``word/document.xml`` holding ``items``."""
    body = _number_notes("".join(item_xml(k, t) for k, t in items))
    sect = '<w:sectPr><w:pgSz w:w="11906" w:h="16838"/></w:sectPr>'
    return f'{_HEAD}<w:document xmlns:w="{W_NS}"><w:body>{body}{sect}</w:body></w:document>'


_CONTENT_TYPES = (
    f"{_HEAD}"
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-'
    'officedocument.wordprocessingml.document.main+xml"/>'
    '<Override PartName="/word/styles.xml" ContentType="application/vnd.openxmlformats-'
    'officedocument.wordprocessingml.styles+xml"/>'
    '<Override PartName="/word/numbering.xml" ContentType="application/vnd.openxmlformats-'
    'officedocument.wordprocessingml.numbering+xml"/>'
    "</Types>"
)
_RELS = (
    f"{_HEAD}"
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
    'relationships/officeDocument" Target="word/document.xml"/></Relationships>'
)
_DOC_RELS = (
    f"{_HEAD}"
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
    'relationships/styles" Target="styles.xml"/>'
    '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
    'relationships/numbering" Target="numbering.xml"/></Relationships>'
)


_FOOTNOTES_TYPE = (
    '<Override PartName="/word/footnotes.xml" ContentType="application/vnd.openxmlformats-'
    'officedocument.wordprocessingml.footnotes+xml"/>'
)
_FOOTNOTES_REL = (
    '<Relationship Id="rId3" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
    'relationships/footnotes" Target="footnotes.xml"/>'
)


def write_docx(path: Path | str, items: list[Item], *, document: str | None = None) -> Path:
    """Write a DOCX holding ``items`` (or the given ``document.xml`` text) to ``path``."""
    path = Path(path)
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        notes = footnotes_xml(items)
        types, rels = _CONTENT_TYPES, _DOC_RELS
        if notes is not None:
            types = types.replace("</Types>", f"{_FOOTNOTES_TYPE}</Types>")
            rels = rels.replace("</Relationships>", f"{_FOOTNOTES_REL}</Relationships>")
        zf.writestr("[Content_Types].xml", types)
        zf.writestr("_rels/.rels", _RELS)
        zf.writestr("word/_rels/document.xml.rels", rels)
        zf.writestr("word/styles.xml", styles_xml())
        zf.writestr("word/numbering.xml", numbering_xml())
        zf.writestr("word/document.xml", document or document_xml(items))
        if notes is not None:
            zf.writestr("word/footnotes.xml", notes)
    return path


_WORDS_TEXT = (
    "customs administrations members secretariat technology blockchain data risk management "
    "border clearance trade facilitation pilot project platform exchange information partners "
    "committee recommends study guidance capacity building innovation security revenue"
)
_WORDS = _WORDS_TEXT.split()


def sample_items(paragraphs: int, seed: int = 1) -> list[Item]:
    """A draft of about ``paragraphs`` numbered paragraphs, with headings and sub-items."""
    import random

    rng = random.Random(seed)
    items: list[Item] = [("cover:reference", "PC0685Ea"), ("cover:issued", "Brussels, 7 March 2022.")]
    for n in range(paragraphs):
        if n % 25 == 0:
            items.append(("heading", f"Section on {rng.choice(_WORDS)} {n // 25 + 1}"))
        words = [rng.choice(_WORDS) for _ in range(rng.randint(25, 60))]
        items.append(("para", f"Paragraph {n} says " + " ".join(words) + "."))
        if n % 40 == 7:
            items.extend(("sub", f"item {k} on " + " ".join(rng.sample(_WORDS, 6))) for k in range(3))
    return items
