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
_W_VAL, _W_PSTYLE = qn("w:val"), qn("w:pStyle")
_NUM_PR_PATH = f"{W_PPR}/{qn('w:numPr')}"


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

    _chains: dict[str, tuple[str | None, int | None]] = field(default_factory=dict, repr=False, compare=False)
    """What each paragraph style's ``w:basedOn`` chain gives a paragraph's list (numId, ilvl),
    worked out once per style (a long document asks for it per paragraph)."""

    def style_id(self, p: etree._Element) -> str | None:
        """The id of the paragraph style of ``p`` (the default one when it names none)."""
        return self.resolve(named_style(p))

    def resolve(self, named: str | None) -> str | None:
        """The id of the style of a paragraph that names the style ``named`` (``None``: none,
        so the default one; see :func:`named_style`)."""
        return self.default if named is None else named or None

    def name_of(self, p: etree._Element) -> str:
        """The lower-case name of the paragraph style of ``p`` (its id when not defined)."""
        return self.name_for(self.style_id(p))

    def name_for(self, sid: str | None) -> str:
        """The lower-case name of the paragraph style with id ``sid`` (the id when not defined)."""
        style = self.paragraphs.get(sid) if sid else None
        return (style.name if style else sid or "").lower()

    def num_pr(self, p: etree._Element) -> tuple[str, int] | None:
        """(numId, ilvl) from the paragraph, else from its style chain; ``None`` if unnumbered."""
        return self.list_of(own_num_pr(p), self.style_id(p))

    def list_of(self, own: tuple[str | None, int | None] | None, sid: str | None) -> tuple[str, int] | None:
        """(numId, ilvl) of a paragraph whose own ``w:numPr`` says ``own`` (see
        :func:`own_num_pr`) and whose style is ``sid``, each taken from the style chain when
        the paragraph does not set it; ``None`` if unnumbered."""
        num_id, ilvl = own or (None, None)
        if (num_id is None or ilvl is None) and sid is not None:
            chain_id, chain_ilvl = self._chain(sid)
            num_id = num_id if num_id is not None else chain_id
            ilvl = ilvl if ilvl is not None else chain_ilvl
        if num_id in (None, "0"):
            return None
        return num_id, ilvl or 0

    def _chain(self, sid: str) -> tuple[str | None, int | None]:
        """The first numId and the first ilvl set along the chain of styles from ``sid``."""
        found = self._chains.get(sid)
        if found is None:
            num_id = ilvl = None
            link: str | None = sid
            for _ in range(MAX_STYLE_DEPTH):
                style = self.paragraphs.get(link) if link is not None else None
                if style is None or (num_id is not None and ilvl is not None):
                    break
                num_id = num_id if num_id is not None else style.num_id
                ilvl = ilvl if ilvl is not None else style.ilvl
                link = style.based_on
            found = self._chains[sid] = (num_id, ilvl)
        return found


def named_style(p: etree._Element) -> str | None:
    """The style id paragraph ``p`` names in its ``w:pStyle`` (``""`` when that has no value),
    ``None`` when it names none."""
    ppr = _first_child(p, W_PPR)
    pstyle = _first_child(ppr, _W_PSTYLE) if ppr is not None else None
    return pstyle.get(_W_VAL, "") if pstyle is not None else None


def _first_child(el: etree._Element, tag: str) -> etree._Element | None:
    """The first child of ``el`` with ``tag``; looked for at the front first, where the schema
    puts ``w:pPr`` in a paragraph and ``w:pStyle`` in it (asked for every paragraph read)."""
    if len(el) and el[0].tag == tag:
        return el[0]
    return next(el.iterchildren(tag), None)


def own_num_pr(p: etree._Element) -> tuple[str | None, int | None] | None:
    """(numId, ilvl) that paragraph ``p`` sets in its own ``w:numPr`` (either may be ``None``),
    ``None`` when it has none."""
    direct = p.find(_NUM_PR_PATH)
    if direct is None:
        return None
    id_el, lvl_el = direct.find(qn("w:numId")), direct.find(qn("w:ilvl"))
    return val(id_el), int(lvl_el.get(_W_VAL, "0")) if lvl_el is not None else None


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
