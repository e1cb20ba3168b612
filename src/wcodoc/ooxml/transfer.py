"""Parts of one package copied into another, with the relationships that name them.

A redline shows content of the old draft (a deleted picture, a chart moved away) inside the
new draft's package. Such content names parts of the *old* package by relationship id
(``a:blip r:embed="rId9"``, ``c:chart r:id``, ``dgm:relIds r:dm``): each such part is copied
(with the parts it names in turn: a chart's workbook, the drawing of SmartArt) under a name
of its own, a relationship of the new document part names it, and the copied content names
that relationship instead. Content types come along (an ``Override`` for the part, or a
``Default`` for its extension).
"""

from __future__ import annotations

import posixpath
import re
from pathlib import Path

from lxml import etree

from wcodoc.ooxml import R_NS
from wcodoc.ooxml.embedded import (
    DOCUMENT_RELS,
    Related,
    Relationship,
    identifies,
    related_part,
    relationships,
    rels_name,
)
from wcodoc.ooxml.package import CT_NS, RELS_NS, Parts, parse_xml, serialize_xml
from wcodoc.ooxml.safe import DOCUMENT_PART, Package, open_docx

TYPES_PART = "[Content_Types].xml"
RELATIONSHIP = f"{{{RELS_NS}}}Relationship"
RID = re.compile(r"^rId(\d+)$")
DRAWING_IDS = (
    "{http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing}docPr",
    "{http://schemas.openxmlformats.org/drawingml/2006/picture}cNvPr",
)
TRAILING_NUMBER = re.compile(r"\d+$")


class PartCopier:
    """Copies into the new draft's package the parts that content of the old draft names.

    ``remap`` rewrites the relationship ids of a copy of old content; ``parts`` gives what
    the new package needs written: the copied parts, its document relationships and content
    types (nothing when nothing was copied); ``related`` what identifies each copied part,
    for reading the redline (:func:`wcodoc.ooxml.embedded.related_parts`).
    """

    def __init__(self, old: Path, new: Path, first_drawing_id: int):
        self.old_path = old
        self.old_rels: dict[str, Relationship] | None = None
        with open_docx(new) as package:
            self.rels = _xml_or(package, DOCUMENT_RELS, "Relationships", RELS_NS)
            self.types = _xml_or(package, TYPES_PART, "Types", CT_NS)
            self.names = set(package.names)
        self.copied: dict[str, str] = {}
        """Old relationship id → the new one naming the copy."""
        self.part_names: dict[str, str] = {}
        """Old part name → the name of its copy."""
        self.added: Parts = {}
        self.changed = False
        """Whether the relationships or content types changed (a part was added)."""
        self.related: dict[str, Related] = {}
        self.next_drawing_id = first_drawing_id

    def remap(self, el: etree._Element) -> None:
        """Point the relationship ids in ``el`` (a copy of old content) at copies of the parts
        they name; an id that names nothing copiable is left out. Drawings get fresh ids."""
        for node in el.iter():
            if not isinstance(node.tag, str):
                continue
            for name, value in list(node.attrib.items()):
                if name.startswith(f"{{{R_NS}}}"):
                    new = self._copy_relationship(value)
                    if new is None:
                        del node.attrib[name]
                    else:
                        node.set(name, new)
            if node.tag in DRAWING_IDS:
                node.set("id", str(self.next_drawing_id))
                self.next_drawing_id += 1

    def add_part(self, name: str, content_type: str, relationship: str) -> None:
        """Name a new part of the document (``word/footnotes.xml``) in its relationships and
        content types; its content is written by whoever made it."""
        attrs = {"Id": self._next_rid(), "Type": relationship, "Target": posixpath.relpath(name, "word")}
        etree.SubElement(self.rels, RELATIONSHIP, attrs)
        override = {"PartName": f"/{name}", "ContentType": content_type}
        etree.SubElement(self.types, f"{{{CT_NS}}}Override", override)
        self.names.add(name)
        self.changed = True

    def parts(self) -> Parts:
        """The parts to write into the new package (none when nothing was copied or added)."""
        if not self.added and not self.changed:
            return {}
        return {**self.added, DOCUMENT_RELS: serialize_xml(self.rels), TYPES_PART: serialize_xml(self.types)}

    def _old(self) -> dict[str, Relationship]:
        if self.old_rels is None:
            with open_docx(self.old_path) as package:
                self.old_rels = relationships(package, DOCUMENT_PART)
        return self.old_rels

    def _copy_relationship(self, old_rid: str) -> str | None:
        if old_rid in self.copied:
            return self.copied[old_rid]
        rel = self._old().get(old_rid)
        if rel is None:
            return None
        with open_docx(self.old_path) as package:
            target = rel.target if rel.external else self._copy_part(package, rel.target)
            if target is None:
                return None
            new_rid = self._next_rid()
            if identifies(rel):
                self.related[new_rid] = related_part(package, rel)
        attrs = {"Id": new_rid, "Type": rel.uri, "Target": target}
        if rel.external:
            attrs["TargetMode"] = "External"
        else:
            attrs["Target"] = posixpath.relpath(target, posixpath.dirname(DOCUMENT_PART))
        etree.SubElement(self.rels, RELATIONSHIP, attrs)
        self.copied[old_rid] = new_rid
        return new_rid

    def _next_rid(self) -> str:
        numbers = [
            int(m.group(1)) for rel in self.rels.iter(RELATIONSHIP) if (m := RID.match(rel.get("Id", "")))
        ]
        return f"rId{max(numbers, default=0) + 1}"

    def _copy_part(self, package: Package, name: str) -> str | None:
        """Copy part ``name`` of the old package (and what it names); return its new name."""
        if name in self.part_names:
            return self.part_names[name]
        if not package.has(name):
            return None
        copy = self._free_name(name)
        self.names.add(copy)
        self.part_names[name] = copy
        self.added[copy] = package.read(name)
        self._copy_type(package, name, copy)
        if package.has(rels_name(name)):
            self._copy_rels(package, name, copy)
        return copy

    def _free_name(self, name: str) -> str:
        """A name for a copy of part ``name`` that the new package does not use, numbered as
        Word numbers parts (``word/charts/chart1.xml`` → ``chart2.xml``): LibreOffice names
        the objects it reads after them."""
        stem, extension = posixpath.splitext(name)
        base = TRAILING_NUMBER.sub("", stem)
        k = 1
        while f"{base}{k}{extension}" in self.names:
            k += 1
        return f"{base}{k}{extension}"

    def _copy_rels(self, package: Package, name: str, copy: str) -> None:
        rels = parse_xml(package.read(rels_name(name)))
        for rel in rels.iter(RELATIONSHIP):
            if rel.get("TargetMode") == "External":
                continue
            target = posixpath.normpath(posixpath.join(posixpath.dirname(name), rel.get("Target", "")))
            copied = self._copy_part(package, target)
            if copied is not None:
                rel.set("Target", posixpath.relpath(copied, posixpath.dirname(copy)))
        self.added[rels_name(copy)] = serialize_xml(rels)

    def _copy_type(self, package: Package, name: str, copy: str) -> None:
        types = package.xml(TYPES_PART) if package.has(TYPES_PART) else None
        if types is None:
            return
        override = types.find(f'{{{CT_NS}}}Override[@PartName="/{name}"]')
        if override is not None:
            etree.SubElement(
                self.types,
                f"{{{CT_NS}}}Override",
                {"PartName": f"/{copy}", "ContentType": override.get("ContentType", "")},
            )
            return
        extension = posixpath.splitext(name)[1].lstrip(".").lower()
        default = next(
            (d for d in types.iter(f"{{{CT_NS}}}Default") if d.get("Extension", "").lower() == extension),
            None,
        )
        known = {d.get("Extension", "").lower() for d in self.types.iter(f"{{{CT_NS}}}Default")}
        if default is not None and extension not in known:
            etree.SubElement(
                self.types,
                f"{{{CT_NS}}}Default",
                {"Extension": extension, "ContentType": default.get("ContentType", "")},
            )


def _xml_or(package: Package, name: str, root: str, ns: str) -> etree._Element:
    return package.xml(name) if package.has(name) else etree.Element(f"{{{ns}}}{root}", nsmap={None: ns})
