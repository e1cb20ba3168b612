"""Section breaks in synthetic drafts, as wcodoc's per-annex page numbering writes them."""

from __future__ import annotations

import zipfile
from itertools import pairwise
from pathlib import Path

from lxml import etree

from wcodoc.ooxml import W_NS, qn

W_P, W_PPR, W_SECT_PR = qn("w:p"), qn("w:pPr"), qn("w:sectPr")
NS = {"w": W_NS}


def with_section_breaks(path: Path, style: str = "Heading1") -> Path:
    """End a section (``w:sectPr`` in the paragraph's properties) before each ``style``
    paragraph of the DOCX at ``path``; rewrite it in place and return it."""
    with zipfile.ZipFile(path) as package:
        parts = {info.filename: package.read(info) for info in package.infolist()}
    root = etree.fromstring(parts["word/document.xml"])
    paragraphs = list(root.iter(W_P))
    for previous, p in pairwise(paragraphs):
        if p.xpath("w:pPr/w:pStyle/@w:val", namespaces=NS) == [style]:
            ppr = previous.find(W_PPR)
            if ppr is None:
                ppr = etree.Element(W_PPR)
                previous.insert(0, ppr)
            sect = etree.SubElement(ppr, W_SECT_PR)
            etree.SubElement(sect, qn("w:pgSz"), {qn("w:w"): "11906", qn("w:h"): "16838"})
    parts["word/document.xml"] = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as package:
        for name, payload in parts.items():
            package.writestr(name, payload)
    return path


def section_ends(root: etree._Element) -> list[str]:
    """The text (deleted text included) of each paragraph of ``root`` that ends a section."""
    return [
        "".join(p.xpath(".//w:t/text() | .//w:delText/text()", namespaces=NS))
        for p in root.iter(W_P)
        if p.find(f"{W_PPR}/{W_SECT_PR}") is not None
    ]
