"""The numbers of ``w:numFmt`` formats, as Word counts them."""

from __future__ import annotations

from wcodoc.ooxml.numfmt import format_value, letter, roman


def test_numerals_and_letters_as_word_counts():
    assert [roman(n) for n in (1, 4, 9, 14, 40, 90, 400, 1999)] == [
        "I", "IV", "IX", "XIV", "XL", "XC", "CD", "MCMXCIX",
    ]  # fmt: skip
    assert roman(0) == ""
    assert [letter(n) for n in (1, 26, 27, 53)] == ["a", "z", "aa", "aaa"]
    assert letter(0) == "0"


def test_formats():
    assert [format_value(12, f) for f in ("upperRoman", "lowerRoman", "upperLetter", "lowerLetter")] == [
        "XII", "xii", "L", "l",
    ]  # fmt: skip
    assert format_value(7, "decimalZero") == "07"
    assert format_value(7, "decimal") == format_value(7, "chineseCounting") == "7"
