"""Roman numerals and letters, as Word counts them."""

from __future__ import annotations

from wcodoc.numerals import MAX_SPELLED, letter, roman


def test_numerals_and_letters_as_word_counts():
    assert [roman(n) for n in (1, 4, 9, 14, 40, 90, 400, 1999)] == [
        "I", "IV", "IX", "XIV", "XL", "XC", "CD", "MCMXCIX",
    ]  # fmt: skip
    assert roman(0) == ""
    assert [letter(n) for n in (1, 26, 27, 53)] == ["a", "z", "aa", "aaa"]
    assert letter(0) == "0"
    assert roman(MAX_SPELLED + 1) == letter(MAX_SPELLED + 1) == str(MAX_SPELLED + 1)
