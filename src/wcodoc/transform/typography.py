"""Typography the build adds to the printed text, so authors can type plain Markdown.

Two rules, pure functions over pandoc's AST, run on the whole assembled document (cover,
body, annex) after cross-references are resolved:

- Apostrophes, in every language: a straight ``'`` after a letter is the typographic ``’``.
  pandoc already does this in Markdown text; the rule catches what is not Markdown —
  metadata (``Côte d'Ivoire``), use-case titles, house-style terms.
- French spacing (``french_spacing: true`` in ``labels-fr.yaml``): a narrow no-break space
  (U+202F) before ``; ! ?``, a no-break space (U+00A0) before ``:`` and ``»`` and after ``«``,
  between a number and its unit or ``%``, and after ``n°``. An ordinary space typed there
  becomes the no-break one; a missing one is added. pandoc's ``"quotes"`` become ``« »``.

- The first of a month (``first_day: 1er``): a date typed in the text as ``1 mars 2023`` is
  written ``1er mars 2023``, as the cover writes its dates; with ``first_day_raised`` the
  letters are raised, ``1`` + superscript ``er``, wherever such a date is printed.

Never inside code, raw content, link targets or a word that looks like an address
(``https://…``, ``www.…``, ``copyright@…``); a colon between digits (``10:30``) stays.
The diff collapses whitespace, no-break spaces included, when it compares drafts.
"""

from __future__ import annotations

import re
from collections.abc import Collection
from dataclasses import dataclass

from wcodoc.parse.pandoc import dump_json
from wcodoc.transform import pandocast
from wcodoc.transform.pandocast import Node

NBSP = "\u00a0"
"""No-break space: before ``:`` and ``»``, after ``«``, between a number and its unit."""
NNBSP = "\u202f"
"""Narrow no-break space: before ``;``, ``!`` and ``?``."""
APOSTROPHE = "\u2019"

BEFORE = {";": NNBSP, "!": NNBSP, "?": NNBSP, ":": NBSP, "»": NBSP}
"""Marks that take a no-break space before them in French, and which one."""
OPENING = "«"
NO_SPACE_AFTER = set(BEFORE) | {"(", "[", OPENING, "/", "-", "\u2013", "\u2014"}
"""A mark after one of these gets no space: ``?!``, ``(?)``."""
_UNIT_LIST = (
    "% ‰ € $ £ ¥ °C °F ° km m cm mm µm kg g mg t l L ml h min s ms Mo Go To ko Mbit/s "
    "kW MW GW kWh MWh Hz MHz GHz USD EUR CHF"
)
UNITS = frozenset(_UNIT_LIST.split(" "))
"""What a number keeps on its line: ``50 %``, ``20 kg`` (French typography)."""
NUMBER_SIGNS = frozenset({"n°", "N°", "nos", "Nos"})

_INLINE_LISTS = {
    "Para": None,
    "Plain": None,
    "Emph": None,
    "Strong": None,
    "Underline": None,
    "Strikeout": None,
    "Superscript": None,
    "Subscript": None,
    "SmallCaps": None,
    "Header": 2,
    "Span": 1,
    "Quoted": 1,
    "Link": 1,
    "Image": 1,
}
"""Nodes that hold a list of inlines: where it sits in ``c`` (``None``: ``c`` itself)."""
_SPACES = ("Space", "SoftBreak")
_LITERAL = re.compile(r"://|^www\.|@")
_APOSTROPHE = re.compile(r"(?<=[^\W\d_])'")
_NUMBER = re.compile(r"\d(?:[\d.,\u202f\u00a0]*\d)?")
_INSIDE_BEFORE = re.compile(r"(?<=[^\s" + re.escape("".join(NO_SPACE_AFTER)) + r"])([;!?:»])")
_INSIDE_AFTER = re.compile(r"«(?=\S)")
_GLUED_UNIT = re.compile(r"(?<=\d)(%|‰)")
_GLUED_NUMBER_SIGN = re.compile(r"^([nN]°)(?=\d)")
_DIGIT_COLON = re.compile(r"\d:\d")


def typeset(blocks: list[Node], *, french: bool) -> list[Node]:
    """``blocks`` with typographic apostrophes and, when ``french``, French spacing (in place)."""

    def visit(node: Node) -> None:
        where = _INLINE_LISTS[node["t"]]
        container = node["c"] if where is None else node["c"][where]
        if french or _has_apostrophe(container):
            container[:] = typeset_inlines(container, french=french)

    for block in blocks:
        # Without French spacing only a straight apostrophe can change, and most parts have
        # none (pandoc already curls those typed in Markdown): looking for one in the part's
        # JSON costs a fifth of walking it.
        if french or b"'" in dump_json(block):
            pandocast.walk(block, visit, only=tuple(_INLINE_LISTS))
    return blocks


def _has_apostrophe(inlines: list[Node]) -> bool:
    # Without French spacing only a Str holding ' can change: most lists have none, and
    # checking is much cheaper than rebuilding them (the same nodes would come back).
    return any(node["t"] == "Str" and "'" in node["c"] for node in inlines)


def typeset_inlines(inlines: list[Node], *, french: bool) -> list[Node]:
    """One list of sibling inlines, typeset (nested lists are the caller's business)."""
    out: list[Node] = []
    for node in inlines:
        _add(out, node, french)
    return out


def _add(out: list[Node], node: Node, french: bool) -> None:
    kind = node["t"]
    if kind == "Str":
        _add_text(out, node["c"], french)
    elif french and kind == "Quoted" and node["c"][0]["t"] == "DoubleQuote":
        for inner in [_str(OPENING), *node["c"][1], _str("»")]:
            _add(out, inner, french)
    elif french and kind in _SPACES and _after_opening(out):
        out[-1] = _str(out[-1]["c"] + NBSP)  # « then a space: the space no longer breaks
    else:
        if french and _after_opening(out):
            out[-1] = _str(out[-1]["c"] + NBSP)  # «*emphasis*
        out.append(node)


def _after_opening(out: list[Node]) -> bool:
    return bool(out) and _is_str(out[-1]) and out[-1]["c"].endswith(OPENING)


def _is_str(node: Node) -> bool:
    return node["t"] == "Str"


def _str(text: str) -> Node:
    return {"t": "Str", "c": text}


def _add_text(out: list[Node], text: str, french: bool) -> None:
    """Append word ``text`` to ``out``, typeset against what precedes it."""
    if _LITERAL.search(text):
        out.append(_str(text))
        return
    text = _APOSTROPHE.sub(APOSTROPHE, text)
    if not french:
        out.append(_str(text))
        return
    text = french_word(text)
    if _after_opening(out):
        out[-1] = _str(out[-1]["c"] + NBSP)
    previous = out[-1] if out else None
    if previous is not None and previous["t"] in _SPACES and len(out) >= 2 and _glues(out[-2], text):
        out.pop()  # the space between a number and its unit, or after n°
        out[-1] = _str(out[-1]["c"] + NBSP + text)
        return
    if text[:1] in BEFORE and previous is not None:
        if previous["t"] in _SPACES:
            out.pop()
            text = BEFORE[text[0]] + text
        elif previous["t"] != "LineBreak" and not _ends_without_space(previous):
            text = BEFORE[text[0]] + text
    out.append(_str(text))


def _ends_without_space(node: Node) -> bool:
    """Whether a mark right after ``node`` must stay glued to it (``(`` or ``?`` before ``!``)."""
    return _is_str(node) and (node["c"][-1:] in NO_SPACE_AFTER or node["c"][-1:].isspace())


def _glues(before: Node, word: str) -> bool:
    """Whether the space between Str ``before`` and ``word`` must not break."""
    if not _is_str(before):
        return False
    unit = word.rstrip(".,;:!?)»")
    if unit in UNITS and _NUMBER.fullmatch(before["c"].lstrip("(")):
        return True
    return before["c"] in NUMBER_SIGNS and word[:1].isdigit()


def french_word(text: str) -> str:
    """The no-break spaces inside one word: ``mot;`` → ``mot\u202f;``, ``50%`` → ``50\u00a0%``."""
    if _DIGIT_COLON.search(text):
        # 10:30, 1:2 — a colon between digits is not punctuation; the other marks still are.
        return re.sub(r"(?<=[^\s(\[«?!;])([;!?])", lambda m: BEFORE[m.group(1)] + m.group(1), text)
    text = _INSIDE_BEFORE.sub(lambda m: BEFORE[m.group(1)] + m.group(1), text)
    text = _INSIDE_AFTER.sub(OPENING + NBSP, text)
    text = _GLUED_UNIT.sub(NBSP + r"\1", text)
    return _GLUED_NUMBER_SIGN.sub(r"\1" + NBSP, text)


@dataclass(frozen=True)
class FirstDay:
    """How the first day of a month is printed: ``text`` (``1er``), its letters ``raised`` or
    not, recognised before one of the language's ``months`` (``mars``, ``juin`` …)."""

    text: str
    raised: bool
    months: Collection[str]

    def inlines(self) -> list[Node]:
        """``1er``: one Str, or the digits then the letters as a Superscript."""
        digits = self.text.rstrip("".join(c for c in self.text if not c.isdigit()))
        letters = self.text[len(digits) :]
        if not self.raised or not digits or not letters:
            return [_str(self.text)]
        return [_str(digits), pandocast.superscript([_str(letters)])]


def first_days(blocks: list[Node], first: FirstDay) -> list[Node]:
    """``blocks`` with every first of a month before a month name written as ``first`` says
    (in place): ``1 mars`` and ``1er mars`` alike."""
    typed = {"1", first.text}

    def visit(node: Node) -> None:
        where = _INLINE_LISTS[node["t"]]
        container = node["c"] if where is None else node["c"][where]
        if any(_is_str(n) and n["c"] in typed for n in container):
            container[:] = _first_days(container, typed, first)

    pandocast.walk(blocks, visit, only=tuple(_INLINE_LISTS))
    return blocks


def _first_days(inlines: list[Node], typed: set[str], first: FirstDay) -> list[Node]:
    out: list[Node] = []
    for k, node in enumerate(inlines):
        following = inlines[k + 1 : k + 3]
        if _is_str(node) and node["c"] in typed and _before_month(following, first.months):
            out.extend(first.inlines())
        else:
            out.append(node)
    return out


def _before_month(following: list[Node], months: Collection[str]) -> bool:
    """Whether ``following`` is a space, then a month name (``mars``, ``mars.``, ``mars,``)."""
    if len(following) < 2 or following[0]["t"] not in _SPACES or not _is_str(following[1]):
        return False
    return following[1]["c"].rstrip(".,;:").lower() in months
