"""The text of a list number in a ``w:numFmt`` format, as Word shows it.

The transform computes the numbers Word will show (section ``III``, sub-item ``9.e``) and the
diff reads them back from any draft's lists; both spell them with these helpers.
"""

from __future__ import annotations

_ROMAN = (
    (1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"), (90, "XC"),
    (50, "L"), (40, "XL"), (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I"),
)  # fmt: skip

BULLET_FORMATS = frozenset({"bullet", "none"})
"""Formats that show no number."""
MAX_SPELLED = 32767
"""Largest number spelled as a numeral or letters; a larger one (a hostile draft's list that
starts at 10^20) is shown in digits, where spelling it would take more memory than there is."""


def roman(value: int) -> str:
    """Upper-case Roman numeral of a positive integer (1 → ``I``); empty below 1, digits above
    :data:`MAX_SPELLED`."""
    if value < 1:
        return ""
    if value > MAX_SPELLED:
        return str(value)
    out = []
    for size, numeral in _ROMAN:
        count, value = divmod(value, size)
        out.append(numeral * count)
    return "".join(out)


def letter(value: int) -> str:
    """Word's lower-case letter numbering: 1 → ``a`` … 26 → ``z``, 27 → ``aa``; below 1 or above
    :data:`MAX_SPELLED`, digits."""
    if value < 1 or value > MAX_SPELLED:
        return str(value)
    repeat, offset = divmod(value - 1, 26)
    return chr(ord("a") + offset) * (repeat + 1)


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
