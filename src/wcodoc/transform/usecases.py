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
from wcodoc.load.messages import describe, did_you_mean, unknown_choice
from wcodoc.load.metadata import AnnexSettings
from wcodoc.load.yamlio import InvalidDate, line_of, parse_yaml, value_line
from wcodoc.parse.reader import ContentCache

REQUIRED = ("id", "title", "member", "region", "technologies", "status", "year")
OPTIONAL = ("contact", "sources")
FIELDS = (*REQUIRED, *OPTIONAL)
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
_CACHED = (*FIELDS, "body", "line", "body_line")
"""The fields of :class:`UseCase` a cache entry holds (with ``lines``; the path is the file's)."""


@dataclass(frozen=True)
class UseCase:
    """One validated use case."""

    id: str
    """Label of the use case: ``@uc:<id>`` refers to its number."""
    title: str
    member: str
    """Member administration or organization that contributed it."""
    region: str
    """Key in the ``regions`` vocabulary (one of the six WCO regions)."""
    technologies: tuple[str, ...]
    """Keys in the ``technologies`` vocabulary, the main one first."""
    status: str
    """Key in the ``statuses`` vocabulary: concept, pilot, implemented, discontinued."""
    year: int
    body: str
    """The Markdown after the front matter (the sections)."""
    path: Path
    line: int
    """Line of ``id`` in the file (where ``uc:<id>`` is defined)."""
    body_line: int
    """Line of the file on which the body starts."""
    contact: str | None = None
    sources: tuple[str, ...] = ()
    lines: Mapping[str, int] = field(default_factory=dict, compare=False, repr=False)
    """Line of each front-matter key, for later messages."""

    @property
    def label(self) -> str:
        return LABEL_PREFIX + self.id

    @property
    def text(self) -> str:
        """The whole file as read (front matter and body)."""
        return read_text(self.path)


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


class _Checker:
    """Validates one file's front matter, collecting problems."""

    def __init__(self, path: Path, data: Mapping[str, Any], style: HouseStyle, problems: Problems) -> None:
        self.path = path
        self.data = data
        self.style = style
        self.problems = problems
        self.ok = True

    def error(self, message: str, line: int | None) -> None:
        self.ok = False
        self.problems.error(message, self.path, line, code=CODE)

    def line(self, key: str, index: Any = None) -> int | None:
        if index is not None:
            return line_of(self.data[key], index, 1) or value_line(self.data, key, 1)
        return value_line(self.data, key, 1)

    def text(self, key: str) -> str | None:
        value = self.data.get(key)
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            value = str(value)
        if not isinstance(value, str) or not value.strip():
            self.error(f"{key}: expected text, got {describe(value)}", self.line(key))
            return None
        return " ".join(value.split())

    def vocabulary_key(self, key: str, vocabulary: str, value: Any, line: int | None) -> str | None:
        problem = unknown_choice(value, list(self.style.vocabulary(vocabulary)), _SINGULAR[vocabulary])
        if problem is None:
            return value
        self.error(f"{key}: {problem}", line)
        return None

    def ident(self) -> str | None:
        value = self.data.get("id")
        if not isinstance(value, str) or not ID_PATTERN.match(value):
            self.error(
                f"id: {describe(value)} is not a valid label: use lowercase letters, digits and "
                "single hyphens, such as 'kr-ecommerce-export'",
                self.line("id"),
            )
            return None
        if len(value) > MAX_ID:
            self.error(
                f"id: {value!r} is too long for a Word bookmark (at most {MAX_ID} characters)",
                self.line("id"),
            )
            return None
        return value

    def technologies(self) -> tuple[str, ...] | None:
        value = self.data.get("technologies")
        items = [value] if isinstance(value, str) else value
        if not isinstance(items, list) or not items:
            self.error(
                f"technologies: expected a list of keys such as [blockchain, iot], got {describe(value)}",
                self.line("technologies"),
            )
            return None
        keys: list[str] = []
        valid = True
        for i, item in enumerate(items):
            line = self.line("technologies", i) if isinstance(value, list) else self.line("technologies")
            key = self.vocabulary_key("technologies", "technologies", item, line)
            valid = valid and key is not None
            if key is not None and key not in keys:
                keys.append(key)  # a key listed twice counts once
        return tuple(keys) if valid else None

    def year(self) -> int | None:
        value = self.data.get("year")
        if isinstance(value, str) and value.strip().isdigit():
            value = int(value)
        if isinstance(value, bool) or not isinstance(value, int) or value not in YEARS:
            shown = str(value) if isinstance(value, InvalidDate) else describe(value)
            self.error(
                f"year: expected a year between {YEARS.start} and {YEARS.stop - 1} such as 2021, got {shown}",
                self.line("year"),
            )
            return None
        return value

    def sources(self) -> tuple[str, ...] | None:
        value = self.data.get("sources")
        items = [value] if isinstance(value, str) else value
        if not isinstance(items, list) or not all(isinstance(s, str) and s.strip() for s in items):
            self.error(
                f"sources: expected a list of texts or links, got {describe(value)}", self.line("sources")
            )
            return None
        return tuple(str(s).strip() for s in items)


_SINGULAR = {"regions": "region", "technologies": "technology", "statuses": "status"}


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


def _cache_key(text: str, style: HouseStyle) -> str:
    """What validation depends on: the file's text, the vocabularies' keys, wcodoc's version."""
    keys = {name: list(style.vocabulary(name)) for name in _SINGULAR}
    material = "\0".join((CACHE_FORMAT, text, json.dumps(keys), __version__))
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
    check = _Checker(path, data, style, problems)
    for key in data:
        if key not in FIELDS:
            check.error(
                f"unknown field {key!r}{did_you_mean(str(key), FIELDS)}; expected {', '.join(FIELDS)}",
                line_of(data, key, 1),
            )
    missing = [key for key in REQUIRED if key not in data]
    for key in missing:
        check.error(f"missing required field {key!r}", 1)
    if missing and len(missing) == len(REQUIRED):
        return None
    values: dict[str, Any] = {}
    if "id" in data:
        values["id"] = check.ident()
    for key in ("title", "member"):
        if key in data:
            values[key] = check.text(key)
    if "region" in data:
        values["region"] = check.vocabulary_key("region", "regions", data["region"], check.line("region"))
    if "status" in data:
        values["status"] = check.vocabulary_key("status", "statuses", data["status"], check.line("status"))
    if "technologies" in data:
        values["technologies"] = check.technologies()
    if "year" in data:
        values["year"] = check.year()
    if "contact" in data:
        values["contact"] = check.text("contact")
    if "sources" in data:
        values["sources"] = check.sources()
    if not front.body.strip():
        check.error(
            "empty body: write the sections (## Background, ## Solution, …) after the front matter",
            front.body_line - 1,
        )
    if not check.ok or missing:
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
