"""A change to what the annex prints from a use case's front matter: its heading (the title),
its metadata line, its row of the overview table, its contact and sources lines.

The printed words are read back through the house style's templates and vocabularies
(``Pilot`` is the ``pilot`` key of ``statuses``), and the keys that change are written into
the front matter, its comments and layout kept (:func:`~wcodoc.load.yamledit.edit_yaml_text`).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from wcodoc.load.housestyle import HouseStyle
from wcodoc.load.yamledit import edit_yaml_text
from wcodoc.review.apply.markdown import Unsafe
from wcodoc.transform.usecases import UseCase, split_front_matter

PARTS = {
    "heading": "use_case_heading",
    "meta": "use_case_meta",
    "contact": "use_case_contact",
    "sources": "use_case_sources",
}
"""What the annex prints from a use case, and the house-style term it prints it with."""
ROW = ("number", "title", "member", "region", "technologies", "status")
"""The columns of the overview table (``use_case_table``)."""
VOCABULARY = {"region": "regions", "status": "statuses", "technologies": "technologies"}


def read_template(template: str, text: str) -> dict[str, str] | None:
    """The value of each ``{placeholder}`` of ``template`` in ``text`` printed by it."""
    pattern = ""
    for literal, name in re.findall(r"([^{]*)(?:\{(\w+)\})?", template):
        pattern += re.escape(literal)
        if name:
            pattern += f"(?P<{name}>.+?)" if f"(?P<{name}>" not in pattern else f"(?P={name})"
    found = re.fullmatch(pattern, text.strip())
    return found.groupdict() if found else None


def printed_fields(part: str, text: str, terms: Mapping[str, Any]) -> dict[str, str] | None:
    """The fields a printed line of a use case shows (``part``: a key of :data:`PARTS`, or
    ``row`` for the cells of the overview table joined by `` | ``)."""
    if part == "row":
        cells = text.split(" | ")
        return dict(zip(ROW, cells, strict=True)) if len(cells) == len(ROW) else None
    return read_template(str(terms[PARTS[part]]), text)


def front_matter_values(
    case: UseCase,
    part: str,
    now: str,
    proposed: str,
    terms: Mapping[str, Any],
    style: HouseStyle,
    locale: str,
) -> dict[str, Any]:
    """The front-matter keys and values that make ``part`` of ``case`` print ``proposed``
    instead of ``now``; :class:`Unsafe` naming what cannot be written there."""
    before, after = printed_fields(part, now, terms), printed_fields(part, proposed, terms)
    if before is None or after is None:
        raise Unsafe(f"only the use case's fields in this line come from {case.path.name}; change it by hand")
    values: dict[str, Any] = {}
    for name, value in after.items():
        if before.get(name) == value:
            continue
        if name == "number":
            raise Unsafe("the use case's number is the build's; change the annex's order by hand")
        values[name] = _value(name, value, style, locale)
    return values


def _value(name: str, printed: str, style: HouseStyle, locale: str) -> Any:
    if name == "year":
        if not printed.strip().isdigit():
            raise Unsafe(f"year: expected a year such as 2021, got {printed!r}")
        return int(printed)
    if name == "technologies":
        return [_key(VOCABULARY[name], t.strip(), style, locale) for t in printed.split(",")]
    if name in VOCABULARY:
        return _key(VOCABULARY[name], printed, style, locale)
    return " ".join(printed.split())


def _key(vocabulary: str, printed: str, style: HouseStyle, locale: str) -> str:
    """The key of ``vocabulary`` whose name is ``printed`` (in either language)."""
    words = style.vocabulary(vocabulary)
    for key, names in words.items():
        if printed.casefold() in {key.casefold(), *(str(n).casefold() for n in names.values())}:
            return key
    known = ", ".join(style.display_name(vocabulary, k, locale) for k in words)
    raise Unsafe(f"{printed!r} is not in the {vocabulary} vocabulary ({known}); change it by hand")


def edit_front_matter(text: str, case: UseCase, values: Mapping[str, Any]) -> str:
    """The use-case file ``text`` with ``values`` set in its front matter, nothing else changed."""
    front = split_front_matter(text, case.path)
    start = len("\n".join(text.split("\n")[: front.yaml_line - 1])) + 1
    end = start + len(front.yaml)
    return text[:start] + edit_yaml_text(front.yaml, case.path, values).rstrip("\n") + text[end:]
