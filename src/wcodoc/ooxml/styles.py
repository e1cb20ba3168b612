"""The styles part (``word/styles.xml``), read once: style ids by name, paragraph styles by id.

A paragraph names its style by id (``w:pStyle``) while people, pandoc and wcodoc name it by
``w:name``; the two differ (``heading 1`` has the id ``Heading1``). Word compares names without
regard to case, so ``Heading 1`` finds the style Word itself names ``heading 1``. A paragraph
without ``w:pStyle`` has the default paragraph style, and a style inherits what it does not
set (its list, ``w:numPr``) from the style it is ``w:basedOn``.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field

from lxml import etree

from wcodoc.ooxml import W_PPR, qn, val

STYLES_PART = "word/styles.xml"
MAX_STYLE_DEPTH = 20
"""Links of a ``w:basedOn`` chain followed (a cycle or a hostile file ends there)."""
_W_VAL = qn("w:val")


class StyleIds(Mapping[str, str]):
    """Style name → ``w:styleId`` of the styles in a styles part, names case-insensitive.

    Iterating gives the names in lower case; where two names differ in case only, the later
    style wins, as the last definition does in Word.
    """

    def __init__(self) -> None:
        self._ids: dict[str, str] = {}

    def add(self, name: str, style_id: str) -> None:
        """Record that the style named ``name`` has the id ``style_id``."""
        self._ids[name.lower()] = style_id

    def __getitem__(self, name: str) -> str:
        return self._ids[name.lower()]

    def __iter__(self) -> Iterator[str]:
        return iter(self._ids)

    def __len__(self) -> int:
        return len(self._ids)


@dataclass(frozen=True)
class Style:
    """A paragraph style: its name, parent and list membership."""

    name: str
    based_on: str | None
    num_id: str | None
    ilvl: int | None


@dataclass
class Styles:
    """What a styles part says: ids by name (styles of every type), paragraph styles by id,
    and the default paragraph style."""

    ids: StyleIds = field(default_factory=StyleIds)
    paragraphs: dict[str, Style] = field(default_factory=dict)
    default: str | None = None
    """The id of the default paragraph style (``w:default="1"``), if one is marked."""

    def style_id(self, p: etree._Element) -> str | None:
        """The id of the paragraph style of ``p`` (the default one when it names none)."""
        ppr = p.find(W_PPR)
        pstyle = ppr.find(qn("w:pStyle")) if ppr is not None else None
        return pstyle.get(_W_VAL) if pstyle is not None else self.default

    def name_of(self, p: etree._Element) -> str:
        """The lower-case name of the paragraph style of ``p`` (its id when not defined)."""
        sid = self.style_id(p)
        style = self.paragraphs.get(sid) if sid else None
        return (style.name if style else sid or "").lower()

    def num_pr(self, p: etree._Element) -> tuple[str, int] | None:
        """(numId, ilvl) from the paragraph, else from its style chain; ``None`` if unnumbered."""
        num_id = ilvl = None
        direct = p.find(f"{W_PPR}/{qn('w:numPr')}")
        if direct is not None:
            id_el, lvl_el = direct.find(qn("w:numId")), direct.find(qn("w:ilvl"))
            num_id = val(id_el)
            ilvl = int(lvl_el.get(_W_VAL, "0")) if lvl_el is not None else None
        sid = self.style_id(p)
        for _ in range(MAX_STYLE_DEPTH):
            if (num_id is not None and ilvl is not None) or sid is None:
                break
            style = self.paragraphs.get(sid)
            if style is None:
                break
            num_id = num_id if num_id is not None else style.num_id
            ilvl = ilvl if ilvl is not None else style.ilvl
            sid = style.based_on
        if num_id in (None, "0"):
            return None
        return num_id, ilvl or 0


def read_styles(root: etree._Element | None) -> Styles:
    """Read a styles part (``None``: the package has none, so no styles)."""
    styles = Styles()
    for st in root.iterchildren(qn("w:style")) if root is not None else ():
        sid = st.get(qn("w:styleId"))
        name = st.find(qn("w:name"))
        if name is not None:
            styles.ids.add(val(name, "") or "", sid or "")
        if st.get(qn("w:type")) not in (None, "paragraph") or sid is None:
            continue  # no paragraph can name it
        styles.paragraphs[sid] = _paragraph_style(st, sid)
        if st.get(qn("w:default")) in ("1", "true", "on"):
            styles.default = sid
    return styles


def _paragraph_style(st: etree._Element, sid: str) -> Style:
    num_pr = st.find(f"{W_PPR}/{qn('w:numPr')}")
    num_id = ilvl = None
    if num_pr is not None:
        num_id = val(num_pr.find(qn("w:numId")))
        ilvl_text = val(num_pr.find(qn("w:ilvl")))
        ilvl = int(ilvl_text) if ilvl_text and ilvl_text.isdigit() else None
    name = val(st.find(qn("w:name")), sid) or sid
    return Style(name, val(st.find(qn("w:basedOn"))), num_id, ilvl)
