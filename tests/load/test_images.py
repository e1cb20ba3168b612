"""Which files are pictures Word and LibreOffice can draw (``load/images.py``)."""

from __future__ import annotations

import glob
import struct
from pathlib import Path

import pytest

from tests.support.images import png
from wcodoc.load.images import image_problem


def jpeg(width: int = 2, height: int = 2) -> bytes:
    """The segments a JPEG reader walks: SOI, APP0, a frame with its size, a scan, EOI."""
    app0 = b"\xff\xe0" + struct.pack(">H", 16) + b"JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00"
    frame = b"\xff\xc0" + struct.pack(">HBHHB", 11, 8, height, width, 1) + b"\x01\x11\x00"
    scan = b"\xff\xda" + struct.pack(">HB", 8, 1) + b"\x01\x00\x00\x3f\x00" + b"\x12\x34"
    return b"\xff\xd8" + app0 + frame + scan + b"\xff\xd9"


SVG = b'<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg" width="4" height="4"/>\n'


@pytest.mark.parametrize(
    "data",
    [png(), jpeg(), b"GIF89a\x02\x00\x02\x00" + bytes(20), b"BM" + bytes(60), b"II*\x00" + bytes(20), SVG],
    ids=["png", "jpeg", "gif", "bmp", "tiff", "svg"],
)
def test_pictures_of_every_kind_word_shows_pass(tmp_path, data):
    path = tmp_path / "picture"
    path.write_bytes(data)
    assert image_problem(path) is None


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (bytes(range(256)) * 4, "is not a picture: its bytes are none of PNG, JPEG"),
        (b"<html><body>404 Not Found</body></html>", "is not a picture"),
        (png()[:30], "is a damaged PNG file (cut short in its IHDR chunk)"),
        (png()[:-12], "is a damaged PNG file (cut short: no end chunk)"),
        (png(0, 2), "no picture size where PNG puts it"),
        (jpeg()[:-2], "is a damaged JPEG file (cut short: no end marker)"),
        (jpeg(0, 2), "no picture size before its image data"),
        (jpeg()[:20], "cut short before its image data"),
        (SVG.replace(b"/>", b">"), "is a damaged SVG file (not well-formed XML"),
    ],
)
def test_bytes_that_are_no_whole_picture_are_named(tmp_path, data, message):
    path = tmp_path / "chart.png"
    path.write_bytes(data)
    problem = image_problem(path)
    assert problem is not None and message in problem


def test_no_picture_of_the_system_is_refused():
    """Real files from other programs (icons, photographs, drawings): none is taken for damaged."""
    found = [
        Path(p)
        for ext in ("png", "jpg", "svg")
        for p in sorted(glob.glob(f"/usr/share/**/*.{ext}", recursive=True))[:60]
    ]
    if not found:
        pytest.skip("no pictures under /usr/share")
    assert [(p, image_problem(p)) for p in found if image_problem(p) is not None] == []
