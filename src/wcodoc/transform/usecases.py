"""Use-case sources: ``annexes/use-cases/NN-name.md`` read, validated, selected and ordered.

A use case is YAML front matter (``id``, ``title``, ``member``, ``region``, ``technologies``,
``status``, ``year``, optional ``contact`` and ``sources``) followed by Markdown sections.
Validation reports every problem of every file in one run, each with the file and the line,
so a Secretariat fixing a pool of contributions sees the whole list at once.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from wcodoc import __version__
from wcodoc.errors import Problems, WcodocError
from wcodoc.fsutil import read_text
from wcodoc.load.housestyle import HouseStyle
from wcodoc.load.messages import describe, unknown_choice
from wcodoc.load.metadata import AnnexSettings
from wcodoc.load.schema import Choice, Parsed, Spot, Text, Texts, from_yaml, one_line, yaml_mapping
from wcodoc.load.yamlio import InvalidDate, line_of, parse_yaml
from wcodoc.parse.reader import ContentCache

LABEL_PREFIX = "uc:"
ID_PATTERN = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
MAX_ID = 37
"""Longest id: the Word bookmark of ``uc:<id>`` is ``uc_<id>``, and Word's names stop at 40
characters (``tests/render/docx/test_lower.py`` keeps the two in step)."""
YEARS = range(1950, 2101)
FENCE = "---"
FENCE_END = ("---", "...")
CODE = "usecase"
CACHE_FORMAT = "use-case 1"
"""Raised when the cached form of a use case (``_to_cache``) changes."""
VOCABULARIES = ("regions", "technologies", "statuses")
"""The house-style vocabularies whose keys front matter writes."""


def _label(value: Any) -> str:
    """The ``id``: a label ``@uc:<id>`` can refer to, short enough for a Word bookmark."""
    if not isinstance(value, str) or not ID_PATTERN.match(value):
        raise ValueError(
            f"{describe(value)} is not a valid label: use lowercase letters, digits and "
            "single hyphens, such as 'kr-ecommerce-export'"
        )
    if len(value) > MAX_ID:
        raise ValueError(f"{value!r} is too long for a Word bookmark (at most {MAX_ID} characters)")
    return value


def _year(value: Any) -> int:
    if isinstance(value, str) and value.strip().isdigit():
        value = int(value)
    if isinstance(value, bool) or not isinstance(value, int) or value not in YEARS:
        shown = str(value) if isinstance(value, InvalidDate) else describe(value)
        raise ValueError(
            f"expected a year between {YEARS.start} and {YEARS.stop - 1} such as 2021, got {shown}"
        )
    return value


_TEXT = Text(numbers=True, clean=one_line, blank=False)


@dataclass(frozen=True, kw_only=True)
class UseCase:
    """One validated use case; the fields read from the front matter are declared with their shape."""

    id: str = from_yaml(Parsed(_label))
    """Label of the use case: ``@uc:<id>`` refers to its number."""
    title: str = from_yaml(_TEXT)
    member: str = from_yaml(_TEXT)
    """Member administration or organization that contributed it."""
    region: str = from_yaml(Choice("regions", noun="region"))
    """Key in the ``regions`` vocabulary (one of the six WCO regions)."""
    technologies: tuple[str, ...] = from_yaml(
        Texts(
            "expected a list of keys such as [blockchain, iot], got {got}",
            single=True,
            empty=False,
            item=Choice("technologies", noun="technology"),
            unique=True,
        )
    )
    """Keys in the ``technologies`` vocabulary, the main one first."""
    status: str = from_yaml(Choice("statuses", noun="status"))
    """Key in the ``statuses`` vocabulary: concept, pilot, implemented, discontinued."""
    year: int = from_yaml(Parsed(_year))
    body: str
    """The Markdown after the front matter (the sections)."""
    path: Path
    line: int
    """Line of ``id`` in the file (where ``uc:<id>`` is defined)."""
    body_line: int
    """Line of the file on which the body starts."""
    contact: str | None = from_yaml(_TEXT, default=None)
    sources: tuple[str, ...] = from_yaml(
        Texts("expected a list of texts or links, got {got}", single=True, blank=False), default=()
    )
    lines: Mapping[str, int] = field(default_factory=dict, compare=False, repr=False)
    """Line of each front-matter key, for later messages."""

    @property
    def label(self) -> str:
        return LABEL_PREFIX + self.id

    @property
    def text(self) -> str:
        """The whole file as read (front matter and body)."""
        return read_text(self.path)


FRONT_MATTER = yaml_mapping(
    UseCase,
    unknown="unknown field {key}{hint}; expected {known}",
    missing="missing required field {key}",
)
"""The front matter of a use-case file: the keys of :class:`UseCase`, those without a default required."""
FIELDS = tuple(FRONT_MATTER.fields)
_CACHED = (*FIELDS, "body", "line", "body_line")
"""The fields of :class:`UseCase` a cache entry holds (with ``lines``; the path is the file's)."""


@dataclass(frozen=True)
class FrontMatter:
    """A use-case file split into its YAML text and its body, with their first lines."""

    yaml: str
    yaml_line: int
    body: str
    body_line: int


def split_front_matter(text: str, path: Path) -> FrontMatter:
    """Split ``---``-fenced YAML from the Markdown body; raise when the fences are missing."""
    lines = text.split("\n")
    if not lines or lines[0].strip() != FENCE:
        raise WcodocError(
            "expected YAML front matter: the file must start with a line '---' (see `wcodoc usecases new`)",
            path,
            1,
        )
    for index in range(1, len(lines)):
        if lines[index].rstrip() in FENCE_END:
            return FrontMatter(
                yaml="\n".join(lines[1:index]),
                yaml_line=2,
                body="\n".join(lines[index + 1 :]),
                body_line=index + 2,
            )
    raise WcodocError("front matter is not closed: add a line '---' after the YAML", path, 1)


def _read_one(
    path: Path, style: HouseStyle, problems: Problems, cache: ContentCache | None = None
) -> UseCase | None:
    """Read and validate one file; a file that validated cleanly before comes from ``cache``."""
    try:
        text = read_text(path)
    except WcodocError as exc:
        problems.error(exc.message, exc.path or path, exc.line, code=CODE)
        return None
    if cache is None or cache.folder is None:
        return _parse_one(path, text, style, problems)
    key = _cache_key(text, style)
    case = _from_cache(cache.get_value(key), path)
    cache.count(case is not None, case is None)
    if case is None:
        found = len(problems)
        case = _parse_one(path, text, style, problems)
        if case is not None and len(problems) == found:  # only a clean file: its messages are none
            cache.put_value(key, _to_cache(case))
    return case


def _vocabularies(style: HouseStyle) -> dict[str, list[str]]:
    """The keys each vocabulary allows: the choices front matter is checked against."""
    return {name: list(style.vocabulary(name)) for name in VOCABULARIES}


def _cache_key(text: str, style: HouseStyle) -> str:
    """What validation depends on: the file's text, the vocabularies' keys, wcodoc's version."""
    material = "\0".join((CACHE_FORMAT, text, json.dumps(_vocabularies(style)), __version__))
    return hashlib.sha256(material.encode("utf-8")).hexdigest()


def _to_cache(case: UseCase) -> dict[str, Any]:
    values = {name: getattr(case, name) for name in _CACHED}
    return {**values, "lines": dict(case.lines)}


def _from_cache(value: Any, path: Path) -> UseCase | None:
    if not isinstance(value, dict) or set(value) != {*_CACHED, "lines"}:
        return None
    try:
        tuples = {name: tuple(value[name]) for name in ("technologies", "sources")}
        return UseCase(**{**value, **tuples}, path=path)
    except TypeError:
        return None  # valid JSON of another shape: read the file again


def _parse_one(path: Path, text: str, style: HouseStyle, problems: Problems) -> UseCase | None:
    try:
        front = split_front_matter(text, path)
        data = parse_yaml(front.yaml, path, line_offset=front.yaml_line - 1)
    except WcodocError as exc:
        problems.error(exc.message, exc.path or path, exc.line, code=CODE)
        return None
    if not isinstance(data, Mapping):
        problems.error(
            f"front matter: expected keys such as 'id: my-case', got {describe(data)}", path, 1, code=CODE
        )
        return None
    return _validate(path, data, front, style, problems)


def _validate(
    path: Path, data: Mapping, front: FrontMatter, style: HouseStyle, problems: Problems
) -> UseCase | None:
    found = len(problems)
    at = Spot(path, (), 1, problems, CODE, offset=front.yaml_line - 1, choices=_vocabularies(style))
    values = FRONT_MATTER.check(data, None, at)
    if not any(key in data for key in FRONT_MATTER.required):
        return None  # not a use case at all: its body is not worth a message
    if not front.body.strip():
        problems.error(
            "empty body: write the sections (## Background, ## Solution, …) after the front matter",
            path,
            front.body_line - 1,
            code=CODE,
        )
    if len(problems) > found:
        return None
    lines = {str(k): line_of(data, k, 1) or 1 for k in data}
    return UseCase(
        **values, body=front.body, path=path, line=lines["id"], body_line=front.body_line, lines=lines
    )


def load_use_cases(
    paths: Iterable[Path], style: HouseStyle, problems: Problems, *, cache: ContentCache | None = None
) -> list[UseCase]:
    """Read and validate every file of ``paths``; problems of all files go to ``problems``.

    Only valid use cases are returned, in the order of ``paths``. Two files with the same
    ``id`` are reported once, naming both. With ``cache``, a file whose text validated
    without a problem before is not parsed again (ruamel's YAML parser is slow).
    """
    out: list[UseCase] = []
    seen: dict[str, UseCase] = {}
    for path in paths:
        case = _read_one(Path(path), style, problems, cache)
        if case is None:
            continue
        first = seen.get(case.id)
        if first is not None:
            problems.error(
                f"duplicate id {case.id!r}: already used by {first.path.name}:{first.line}",
                case.path,
                case.line,
                code=CODE,
            )
            continue
        seen[case.id] = case
        out.append(case)
    return out


# selection and order ----------------------------------------------------------------------

FILTER_FIELDS = {"ids": "id", "technologies": "technologies", "regions": "region", "statuses": "status"}


def check_selection(
    settings: AnnexSettings,
    use_cases: Sequence[UseCase],
    style: HouseStyle,
    where: tuple[Path | None, int | None],
    problems: Problems,
) -> None:
    """Report filter values of ``annex.include`` that name no known key or use case."""
    for name, values in settings.include.items():
        allowed = [case.id for case in use_cases] if name == "ids" else list(style.vocabulary(name))
        for value in values:
            if (problem := unknown_choice(value, allowed, limit=20)) is not None:
                problems.error(f"annex: include.{name}: {problem}", *where, code="meta")


def matches(case: UseCase, include: Mapping[str, Sequence[str]]) -> bool:
    """Whether ``case`` passes every filter (any value of a filter may match)."""
    for name, values in include.items():
        if not values:
            continue
        field_name = FILTER_FIELDS[name]
        have = getattr(case, field_name)
        have = set(have) if isinstance(have, tuple) else {have}
        if not have & set(values):
            return False
    return True


def select(use_cases: Sequence[UseCase], settings: AnnexSettings) -> list[UseCase]:
    """The use cases the annex includes (``annex.include``), in their given order."""
    return [case for case in use_cases if matches(case, settings.include)]


def order(
    use_cases: Sequence[UseCase], keys: Sequence[str] = ("file",), style: HouseStyle | None = None
) -> list[UseCase]:
    """Sort by ``keys`` (``file``, ``technology``, ``member``, ``region``, ``status``, …).

    Vocabulary keys sort in the order the vocabulary lists them (so the Secretariat decides
    it); text sorts without regard to case; ties keep file order.
    """
    position = {id(case): i for i, case in enumerate(use_cases)}
    ranks = {name: _vocabulary_rank(style, name) for name in ("regions", "technologies", "statuses")}

    def sort_key(case: UseCase) -> tuple:
        parts: list[Any] = []
        for key in keys:
            if key == "file":
                parts.append(position[id(case)])
            elif key == "technology":
                parts.append(_rank(ranks["technologies"], case.technologies[0]))
            elif key == "region":
                parts.append(_rank(ranks["regions"], case.region))
            elif key == "status":
                parts.append(_rank(ranks["statuses"], case.status))
            elif key == "year":
                parts.append((case.year, ""))
            else:
                parts.append((0, str(getattr(case, key)).casefold()))
        parts.append(position[id(case)])
        return tuple(parts)

    return sorted(use_cases, key=sort_key)


def _vocabulary_rank(style: HouseStyle | None, name: str) -> dict[str, int]:
    if style is None:
        return {}
    return {key: i for i, key in enumerate(style.vocabulary(name))}


def _rank(ranks: dict[str, int], key: str) -> tuple[int, str]:
    return (ranks.get(key, len(ranks)), key)
