"""The styles part (``word/styles.xml``): which ``w:styleId`` each style name has.

A paragraph names its style by id (``w:pStyle``) while people, pandoc and wcodoc name it by
``w:name``; the two differ (``heading 1`` has the id ``Heading1``). Word compares names without
regard to case, so ``Heading 1`` finds the style Word itself names ``heading 1``.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping

from lxml import etree

from wcodoc.ooxml import qn


class StyleIds(Mapping[str, str]):
    """Style name → ``w:styleId`` of the styles in a styles part, names case-insensitive.

    Iterating gives the names in lower case; where two names differ in case only, the later
    style wins, as the last definition does in Word.
    """

    def __init__(self, styles: etree._Element | None = None) -> None:
        self._ids: dict[str, str] = {}
        if styles is None:
            return
        for style in styles.iter(qn("w:style")):
            name = style.find(qn("w:name"))
            if name is not None:
                self._ids[name.get(qn("w:val"), "").lower()] = style.get(qn("w:styleId"), "")

    def __getitem__(self, name: str) -> str:
        return self._ids[name.lower()]

    def __iter__(self) -> Iterator[str]:
        return iter(self._ids)

    def __len__(self) -> int:
        return len(self._ids)
