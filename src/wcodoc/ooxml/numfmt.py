"""The text of a list number in a ``w:numFmt`` format, as Word shows it.

The diff reads the numbers of any draft's lists with it; the numerals and letters themselves
are spelled by :mod:`wcodoc.numerals`, as the transform spells the numbers it computes.
"""

from __future__ import annotations

from wcodoc.numerals import letter, roman

BULLET_FORMATS = frozenset({"bullet", "none"})
"""Formats that show no number."""


def format_value(value: int, fmt: str) -> str:
    """One counter in a numbering format (``decimal``, ``upperRoman``, ``lowerLetter``, …)."""
    match fmt:
        case "upperRoman":
            return roman(value)
        case "lowerRoman":
            return roman(value).lower()
        case "upperLetter":
            return letter(value).upper()
        case "lowerLetter":
            return letter(value)
        case "decimalZero":
            return f"{value:02d}"
        case _:
            return str(value)
