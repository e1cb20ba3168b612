"""How numbers are spelled in a document: Roman numerals and letters.

The transform spells the numbers it computes with them (section ``III``, sub-item ``9.e``,
annex ``II``); ``ooxml/numfmt.py`` spells the counters of any draft's Word lists with the same
helpers, so the numbers a build computes and those the diff reads back agree.
"""

from __future__ import annotations

_ROMAN = (
    (1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"), (90, "XC"),
    (50, "L"), (40, "XL"), (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I"),
)  # fmt: skip

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
