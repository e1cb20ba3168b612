"""Relationships (``*.rels`` parts) that point outside the package, and a copy without them.

A relationship with ``TargetMode="External"`` names a URL or a file: a hyperlink, which a
reader only shows, or a linked picture, attached template, frame or sub-document, which
LibreOffice fetches while it loads the document::

    <Relationship Id="rId9" TargetMode="External" Target="file:///etc/passwd"
        Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/image"/>

Dropping such a relationship leaves its ``r:link``/``r:id`` pointing nowhere; Word and
LibreOffice then show an empty frame, which is what a converted draft should show anyway.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from lxml import etree

from wcodoc.ooxml import parent_of
from wcodoc.ooxml.package import RELS_NS, Parts, serialize_xml, write_package
from wcodoc.ooxml.safe import open_docx

HYPERLINK = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/hyperlink"


def external_sources(rels: etree._Element) -> list[etree._Element]:
    """The ``<Relationship>`` elements of ``rels`` that a reader would fetch from outside."""
    return [
        rel
        for rel in rels.iter(f"{{{RELS_NS}}}Relationship")
        if rel.get("TargetMode") == "External" and rel.get("Type") != HYPERLINK
    ]


def copy_without_external_sources(docx: Path, target: Path) -> int:
    """Copy ``docx`` to ``target`` minus its external sources; return how many were dropped.

    A package without any is copied byte for byte.
    """
    with open_docx(docx) as package:
        parts = [name for name in sorted(package.names) if not name.endswith("/")]
        changed: Parts = {}
        dropped = 0
        for name in (name for name in parts if name.endswith(".rels")):
            rels = package.xml(name)
            if outside := external_sources(rels):
                for rel in outside:
                    parent_of(rel).remove(rel)
                changed[name] = serialize_xml(rels)
                dropped += len(outside)
        if not changed:
            shutil.copyfile(docx, target)
            return 0
        kept = {name: package.read(name) for name in parts if name not in changed}
        write_package({**kept, **changed}, target)
    return dropped
