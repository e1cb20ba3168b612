"""Pictures a document shows: is an image file one that Word and LibreOffice can draw?

pandoc embeds any file it is given, and LibreOffice leaves an empty space where a picture it
cannot read should be: a file named ``.png`` that holds something else, or a picture cut short
by a failed download, would build silently. The bytes are checked here instead, with no
imaging library: the signature of each kind Word shows, and for PNG and JPEG (the usual
charts and photographs) the structure that a truncated file breaks (LibreOffice draws such a
file in part, the rest black).
"""

from __future__ import annotations

import struct
from pathlib import Path

from lxml import etree

KINDS = "PNG, JPEG, GIF, BMP, TIFF, SVG, EMF or WMF"
"""The kinds of picture a document may show, as the message names them."""
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
JPEG_SIGNATURE = b"\xff\xd8\xff"
SIGNATURES = {
    "GIF": (b"GIF87a", b"GIF89a"),
    "BMP": (b"BM",),
    "TIFF": (b"II*\x00", b"MM\x00*"),
    "WMF": (b"\xd7\xcd\xc6\x9a", b"\x01\x00\x09\x00", b"\x02\x00\x09\x00"),
}
EMF_SIGNATURE = (b"\x01\x00\x00\x00", 40, b" EMF")
"""An EMF file starts with its header record, which holds `` EMF`` at offset 40."""
MAX_IMAGE_BYTES = 256 * 1024**2
"""Larger than any picture a working document holds: refused before it is read into memory."""
SVG_PROBE = 4096
"""Bytes read from the start of a text file to tell whether it is an SVG drawing."""
_JPEG_FRAMES = frozenset(range(0xC0, 0xD0)) - {0xC4, 0xC8, 0xCC}
"""Start-of-frame markers (the ones that give the picture's size); C4, C8, CC are not frames."""


def image_problem(path: Path) -> str | None:
    """What is wrong with the picture at ``path`` (a readable file), or ``None`` if it is one.

    The message completes ``image 'x.png' …``: ``is not a picture (…)`` or ``is damaged (…)``.
    """
    if Path(path).stat().st_size > MAX_IMAGE_BYTES:
        return f"is larger than {MAX_IMAGE_BYTES // 1024**2} MB; make it smaller"
    data = Path(path).read_bytes()
    if data.startswith(PNG_SIGNATURE):
        return _damaged("PNG", _png_problem(data))
    if data.startswith(JPEG_SIGNATURE):
        return _damaged("JPEG", _jpeg_problem(data))
    if any(data.startswith(s) for signatures in SIGNATURES.values() for s in signatures):
        return None
    head, offset, mark = EMF_SIGNATURE
    if data.startswith(head) and data[offset : offset + len(mark)] == mark:
        return None
    if b"<svg" in data[:SVG_PROBE]:
        return _damaged("SVG", _svg_problem(data))
    return f"is not a picture: its bytes are none of {KINDS}, whatever its name says"


def _damaged(kind: str, problem: str | None) -> str | None:
    return f"is a damaged {kind} file ({problem}); export it again" if problem else None


def _png_problem(data: bytes) -> str | None:
    """The first fault of a PNG's chunks: IHDR first with a size, each chunk whole, IEND last.

    Checksums are not checked: LibreOffice draws a picture whose checksums are wrong, and
    refusing it would refuse a picture that prints.
    """
    at, first = len(PNG_SIGNATURE), True
    while at + 12 <= len(data):
        (length,) = struct.unpack(">I", data[at : at + 4])
        kind = data[at + 4 : at + 8]
        if at + 12 + length > len(data):
            return f"cut short in its {_name(kind)} chunk"
        body = data[at + 8 : at + 8 + length]
        if first and (kind != b"IHDR" or length < 8 or 0 in struct.unpack(">II", body[:8])):
            return "no picture size where PNG puts it"
        if kind == b"IEND":
            return None
        at, first = at + 12 + length, False
    return "cut short: no end chunk"


def _name(kind: bytes) -> str:
    return kind.decode("ascii", "replace")


def _jpeg_problem(data: bytes) -> str | None:
    """The first fault of a JPEG: its segments up to the image data, a frame with a size, an end."""
    at, size = 2, False
    while at + 4 <= len(data):
        if data[at] != 0xFF:
            return "a segment without its marker"
        marker = data[at + 1]
        if marker == 0xFF:  # fill byte before a marker
            at += 1
            continue
        (length,) = struct.unpack(">H", data[at + 2 : at + 4])
        if marker in _JPEG_FRAMES:
            size = at + 9 <= len(data) and 0 not in struct.unpack(">HH", data[at + 5 : at + 9])
        if marker == 0xDA:  # start of scan: the image data follows, up to the end marker
            if not size:
                return "no picture size before its image data"
            return None if b"\xff\xd9" in data[at:] else "cut short: no end marker"
        at += 2 + length
    return "cut short before its image data"


def _svg_problem(data: bytes) -> str | None:
    """Why ``data`` is no SVG drawing: not well-formed XML, or a root other than ``svg`` (read
    without entities or DTDs)."""
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False)
    try:
        root = etree.fromstring(data, parser)
    except etree.XMLSyntaxError as error:
        return f"not well-formed XML: {error.msg}"
    return None if etree.QName(root).localname == "svg" else "its root element is not svg"
