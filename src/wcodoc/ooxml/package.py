"""Reading and writing the DOCX zip, deterministically.

Zip entries carry a modification time and the archive an order; both leak the moment and
the machine of a build. Writing every entry with one fixed timestamp, fixed permissions and
a stable order makes the same parts give the same bytes.
"""

from __future__ import annotations

import datetime as dt
import zipfile
import zlib
from pathlib import Path
from typing import BinaryIO

from lxml import etree

from wcodoc.errors import WcodocError
from wcodoc.fsutil import atomic_output

FIXED_TIME = (1980, 1, 1, 0, 0, 0)
"""The earliest time a zip entry can hold; any fixed value would do."""
FIRST = ("[Content_Types].xml", "_rels/.rels")
"""Parts some readers expect at the start of the archive."""

RELS_NS = "http://schemas.openxmlformats.org/package/2006/relationships"
CT_NS = "http://schemas.openxmlformats.org/package/2006/content-types"
REL_TYPE = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/"
"""Relationship types of the parts of a document (``…/header``, ``…/footer``) start so."""
CORE_NSMAP = {
    "cp": "http://schemas.openxmlformats.org/package/2006/metadata/core-properties",
    "dc": "http://purl.org/dc/elements/1.1/",
    "dcterms": "http://purl.org/dc/terms/",
    "dcmitype": "http://purl.org/dc/dcmitype/",
    "xsi": "http://www.w3.org/2001/XMLSchema-instance",
}

CORE_PART = "docProps/core.xml"
Parts = dict[str, bytes]
_DAMAGE = (zipfile.BadZipFile, RuntimeError, zlib.error, NotImplementedError, EOFError, ValueError)
"""What zipfile raises reading a damaged entry: a bad checksum, the encrypted flag (RuntimeError),
a corrupt deflate stream, an unknown compression method, a truncated entry."""


def read_package(source: Path | BinaryIO) -> Parts:
    """Every part of the DOCX at ``source`` (a path, or the bytes of one in a file object), by name."""
    where = source if isinstance(source, Path) else None
    try:
        package = zipfile.ZipFile(source)
    except FileNotFoundError:
        raise WcodocError("file not found", where) from None
    except zipfile.BadZipFile:
        raise WcodocError("not a Word file (not a zip archive)", where) from None
    with package:
        try:
            return {info.filename: package.read(info) for info in package.infolist() if not info.is_dir()}
        except _DAMAGE as exc:
            raise WcodocError(f"damaged Word file ({exc})", where) from None


def entry_order(names: list[str]) -> list[str]:
    """``[Content_Types].xml`` and the package relationships first, then by name."""
    first = [n for n in FIRST if n in names]
    return first + sorted(n for n in names if n not in FIRST)


def write_package(parts: Parts, path: Path | BinaryIO, *, compress: bool = True) -> None:
    """Write ``parts`` as a zip with fixed timestamps and a stable entry order.

    ``compress=False`` stores the parts as they are: for a cache, where time counts, not size.
    """
    method = zipfile.ZIP_DEFLATED if compress else zipfile.ZIP_STORED
    with zipfile.ZipFile(path, "w", compression=method) as zf:
        for name in entry_order(list(parts)):
            info = zipfile.ZipInfo(name, date_time=FIXED_TIME)
            info.compress_type = method
            info.external_attr = 0o644 << 16
            info.create_system = 3  # Unix, so the attributes above mean the same everywhere
            zf.writestr(info, parts[name])


def save_package(parts: Parts, path: Path) -> None:
    """Write ``parts`` to ``path`` as :func:`write_package` does, atomically: every DOCX wcodoc
    writes (builds, the template, redlines, compilations) goes through here."""
    with atomic_output(path) as tmp:
        write_package(parts, tmp)


def add_relationship(rels: etree._Element, rid: str, kind: str, target: str) -> None:
    """Add to the relationships part ``rels`` the relationship ``rid`` of type ``kind``
    (``header``, ``footer`` …) to the part ``target``."""
    attrs = {"Id": rid, "Type": REL_TYPE + kind, "Target": target}
    etree.SubElement(rels, f"{{{RELS_NS}}}Relationship", attrs)


def add_override(types: etree._Element, part: str, content_type: str) -> None:
    """Give ``part`` (``/word/header1.xml``) its ``content_type`` in the content types part
    ``types``, unless it has one."""
    if types.find(f'{{{CT_NS}}}Override[@PartName="{part}"]') is None:
        etree.SubElement(types, f"{{{CT_NS}}}Override", {"PartName": part, "ContentType": content_type})


def core_part(values: dict[str, str], stamp: str) -> bytes:
    """The core properties part (``docProps/core.xml``): ``values`` by prefixed name
    (``dc:title``, ``cp:keywords`` …), then created and modified at ``stamp`` (W3CDTF)."""
    root = etree.Element(_core("cp:coreProperties"), nsmap=CORE_NSMAP)
    for name, value in values.items():
        etree.SubElement(root, _core(name)).text = value or None  # empty: <dc:subject/>
    for name in ("dcterms:created", "dcterms:modified"):
        date = etree.SubElement(root, _core(name), {_core("xsi:type"): "dcterms:W3CDTF"})
        date.text = stamp
    return serialize_xml(root)


def core_moment(core: etree._Element | None) -> dt.datetime | None:
    """When the core properties part ``core`` says the package was last modified
    (``dcterms:modified``, else ``dcterms:created``), in UTC; ``None`` if it says neither
    readably (a date without a time zone is taken as UTC, as Word writes them)."""
    for name in ("dcterms:modified", "dcterms:created"):
        found = core.find(_core(name)) if core is not None else None
        try:
            moment = dt.datetime.fromisoformat((found.text or "").strip()) if found is not None else None
        except ValueError:
            continue
        if moment is not None:
            return moment.replace(tzinfo=moment.tzinfo or dt.UTC).astimezone(dt.UTC)
    return None


def _core(name: str) -> str:
    prefix, local = name.split(":")
    return f"{{{CORE_NSMAP[prefix]}}}{local}"


def parse_xml(data: bytes) -> etree._Element:
    """Parse one package part (no network, no entity expansion)."""
    parser = etree.XMLParser(resolve_entities=False, no_network=True, remove_blank_text=False)
    return etree.fromstring(data, parser)


def serialize_xml(root: etree._Element) -> bytes:
    """A part as Word writes it: UTF-8 with a standalone declaration."""
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
