"""The numbers of ``w:numFmt`` formats, as Word counts them."""

from __future__ import annotations

from wcodoc.ooxml.numfmt import format_value


def test_formats():
    assert [format_value(12, f) for f in ("upperRoman", "lowerRoman", "upperLetter", "lowerLetter")] == [
        "XII", "xii", "L", "l",
    ]  # fmt: skip
    assert format_value(7, "decimalZero") == "07"
    assert format_value(7, "decimal") == format_value(7, "chineseCounting") == "7"
