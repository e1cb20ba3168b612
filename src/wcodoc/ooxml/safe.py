"""Hardened reading of untrusted DOCX packages.

A DOCX handed to ``wcodoc diff`` may come from anywhere. OPC forbids DTDs in package parts,
so any ``<!DOCTYPE`` is rejected outright (that also rules out entity expansion attacks);
the parser never touches the network; and each part's uncompressed size is checked in the zip
directory *before* it is inflated, with the actual inflated bytes bounded again while reading
so that a lying directory cannot smuggle a zip bomb through.
"""

from __future__ import annotations

import collections
import zipfile
import zlib
from dataclasses import dataclass, field
from pathlib import Path

from lxml import etree

from wcodoc.errors import WcodocError

MAX_PART_BYTES = 200_000_000
"""Largest uncompressed part accepted; a 3,000-paragraph draft's document.xml is ~5 MB."""
MAX_TOTAL_BYTES = 500_000_000
MAX_RATIO = 200
"""Largest compression ratio accepted for a part bigger than ``RATIO_FLOOR`` (XML reaches ~20)."""
RATIO_FLOOR = 1_000_000
DOCUMENT_PART = "word/document.xml"
_ENCRYPTED = 0x1
"""Zip general-purpose flag bit 0: the entry is encrypted (Word never writes such entries)."""

_PARSER = etree.XMLParser(
    resolve_entities=False,
    no_network=True,
    load_dtd=False,
    dtd_validation=False,
    huge_tree=False,
    remove_blank_text=False,
)


@dataclass
class Package:
    """A DOCX opened for reading: the parts it holds, read lazily and safely."""

    path: Path
    _zip: zipfile.ZipFile
    names: frozenset[str]
    _cache: dict[str, etree._Element] = field(default_factory=dict)

    def has(self, name: str) -> bool:
        """Whether the package holds a part called ``name`` (``word/numbering.xml``)."""
        return name in self.names

    def read(self, name: str) -> bytes:
        """The raw bytes of part ``name``, bounded to its declared size."""
        info = self._zip.getinfo(name)
        if info.flag_bits & _ENCRYPTED:
            raise WcodocError(f"{name} is encrypted; save the draft again without a password", self.path)
        # zlib.error: a corrupt deflate stream; NotImplementedError: an unknown compression method.
        try:
            with self._zip.open(info) as stream:
                data = stream.read(info.file_size + 1)
        except (zipfile.BadZipFile, zlib.error, NotImplementedError, OSError, EOFError, ValueError) as exc:
            raise WcodocError(f"damaged DOCX: cannot read {name} ({exc})", self.path) from None
        if len(data) > info.file_size:
            raise WcodocError(f"damaged DOCX: {name} is larger than its zip entry says", self.path)
        return data

    def xml(self, name: str) -> etree._Element:
        """Part ``name`` parsed with the hardened parser (cached)."""
        if name not in self._cache:
            self._cache[name] = parse_xml(self.read(name), self.path, name)
        return self._cache[name]

    def close(self) -> None:
        """Release the zip file."""
        self._zip.close()

    def __enter__(self) -> Package:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def parse_xml(data: bytes, path: Path | str | None = None, part: str = "part") -> etree._Element:
    """Parse one package part; reject DTDs, entities and malformed XML with a clear message."""
    head = data[:4096].lstrip()
    if b"<!DOCTYPE" in head.upper() or b"<!ENTITY" in data.upper():
        raise WcodocError(f"{part} contains a DTD or entity declarations, which DOCX forbids", path)
    try:
        root = etree.fromstring(data, _PARSER)
    except etree.XMLSyntaxError as exc:
        raise WcodocError(f"{part} is not well-formed XML ({exc.msg})", path) from None
    docinfo = root.getroottree().docinfo
    if docinfo.doctype or docinfo.internalDTD is not None:
        raise WcodocError(f"{part} contains a DTD, which DOCX forbids", path)
    if _has_entity_refs(root):
        raise WcodocError(f"{part} uses entity references, which DOCX forbids", path)
    return root


def _has_entity_refs(root: etree._Element) -> bool:
    return any(isinstance(node, etree._Entity) for node in root.iter(etree.Entity))


def _check_sizes(zf: zipfile.ZipFile, path: Path) -> None:
    total = 0
    for info in zf.infolist():
        if info.file_size > MAX_PART_BYTES:
            raise WcodocError(
                f"part {info.filename} would inflate to {info.file_size:,} bytes; refusing it",
                path,
            )
        ratio = info.file_size / max(info.compress_size, 1)
        if info.file_size > RATIO_FLOOR and ratio > MAX_RATIO:
            raise WcodocError(
                f"part {info.filename} is compressed {ratio:,.0f}:1, like a zip bomb; refusing it",
                path,
            )
        total += info.file_size
    if total > MAX_TOTAL_BYTES:
        raise WcodocError(f"package would inflate to {total:,} bytes; refusing it", path)


def open_docx(path: Path | str) -> Package:
    """Open ``path`` as a DOCX package, checking it is a zip holding ``word/document.xml``."""
    path = Path(path)
    if not path.exists():
        raise WcodocError("file not found", path)
    if path.is_dir():
        raise WcodocError("expected a .docx file, found a folder", path)
    try:
        zf = zipfile.ZipFile(path)
    except zipfile.BadZipFile:
        raise WcodocError("not a DOCX file (not a zip archive)", path) from None
    except OSError as exc:
        raise WcodocError(f"cannot read file: {exc.strerror}", path) from None
    try:
        _check_sizes(zf, path)
        counts = collections.Counter(zf.namelist())
        if twice := sorted(name for name, count in counts.items() if count > 1):
            raise WcodocError(f"damaged DOCX: the zip holds two entries named {twice[0]}", path)
        names = frozenset(counts)
        if DOCUMENT_PART not in names:
            raise WcodocError(f"not a Word document: the zip has no {DOCUMENT_PART}", path)
    except BaseException:
        zf.close()
        raise
    return Package(path, zf, names)
