"""The shape a YAML file must have: declarations, and the one checker that walks them.

Every YAML file wcodoc reads is declared with these parts: ``document.yaml`` (through the keys of
:class:`~wcodoc.load.metadata.DocumentMeta`), ``session.yaml``, the house style
(``labels-*.yaml``, ``committees.yaml``, ``vocabularies.yaml``) and use-case front matter. A
shape is built from :class:`Text`, :class:`Lines`, :class:`Texts`, :class:`Choice`,
:class:`OneOf`, :class:`Flag`, :class:`Date`, :class:`Parsed`, :class:`Fields` (a mapping with
known keys) and :class:`Table` (a mapping whose keys the user chooses, such as committee
prefixes). :func:`check_shape` walks a loaded file and its shape together and reports, in one
pass, every value of the wrong kind with its line: ``FILE:LINE: key.path: expected text, got 5``.

A file may override another (a project's ``templates/labels-fr.yaml`` over the built-in one,
key by key): the overridden data is passed as ``base``, and a key that ``base`` already has
is not missing from the override.

Why not a validation library (pydantic, jsonschema, cerberus): the messages are part of the
user contract, each with the file, the line ruamel keeps and the value; a library's errors carry
a key path and its own wording, which would both need translating, and it knows neither the
layers of ``document.yaml`` (values inherited from ``session.yaml``) nor house-style files that
override each other key by key. The walker is small; the declarations are the bulk.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import string
from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from wcodoc.errors import Problems
from wcodoc.load.messages import describe, suggest, unknown_choice
from wcodoc.load.yamlio import InvalidDate, is_block_scalar, line_of, value_line

KeyLines = dict[str, tuple[Path, int | None]]
"""Where each value was found: dotted key path → file and line (``summary.purpose``)."""


@dataclass(frozen=True)
class Spot:
    """Where a value sits: its file, its key path (``ordinals.other``) and its line."""

    path: Path
    keys: tuple[str, ...]
    line: int | None
    problems: Problems
    code: str
    offset: int = 0
    """Lines of the file before the YAML text (use-case front matter starts on line 2)."""
    colon: bool = False
    """Name nested keys as ``document.yaml`` messages do: ``annex: include.regions``."""
    choices: Mapping[str, Sequence[str]] = field(default_factory=dict)
    """Named lists of choices known only when the file is read (the vocabularies' keys)."""
    lines: KeyLines | None = None
    """When given, filled with the line of every value the check visits."""

    @property
    def name(self) -> str:
        """The key path as messages show it."""
        if self.colon and len(self.keys) > 1:
            return f"{self.keys[0]}: {'.'.join(self.keys[1:])}"
        return ".".join(self.keys)

    def error(self, message: str) -> None:
        text = f"{self.name}: {message}" if self.keys else message
        self.problems.error(text, self.path, self.line, self.code)

    def child(self, node: Any, key: Any) -> Spot:
        """The spot of ``node[key]``: the key path grows, the line is the value's own."""
        line = value_line(node, key, self.offset) or self.line
        spot = dataclasses.replace(self, keys=(*self.keys, str(key)), line=line)
        spot.record(node[key])
        return spot

    def item(self, node: list, index: int) -> Spot:
        """The spot of one list item: the same key path, the item's line."""
        return dataclasses.replace(self, line=line_of(node, index, self.offset) or self.line)

    def at_key(self, node: Any, key: Any) -> Spot:
        """The spot of a key itself (for an unknown or badly written key)."""
        return dataclasses.replace(self, line=line_of(node, key, self.offset) or self.line)

    def record(self, value: Any) -> None:
        """Note where the value of this spot is (and where the text of a ``|`` block starts)."""
        if self.lines is None:
            return
        name = ".".join(self.keys)
        self.lines[name] = (self.path, self.line)
        if self.line is not None and is_block_scalar(value):
            # Where the Markdown's first line is, so its problems get their own lines.
            blank = value[: len(value) - len(value.lstrip())].count("\n")
            self.lines[f"{name}.text"] = (self.path, self.line + 1 + blank)


class Shape:
    """The expected form of one value; :meth:`check` reports what does not fit."""

    def check(self, value: Any, base: Any, at: Spot) -> Any:
        """The value as the program reads it (plain Python); problems go to ``at``."""
        raise NotImplementedError


class Anything(Shape):
    """Any value: read by another part of the program, which checks it there."""

    def check(self, value: Any, base: Any, at: Spot) -> Any:
        return value


@dataclass(frozen=True)
class Text(Shape):
    """One text. ``placeholders`` lists the ``{name}`` fields the program fills in, if any."""

    placeholders: tuple[str, ...] | None = None
    """``None``: printed as written, braces included; else the names ``{…}`` may use."""
    optional: bool = False
    """Whether an empty value (``null``) is allowed: it means "print nothing"."""
    numbers: bool = False
    """Whether a number counts as the text it is written as (``agenda_item: 5``)."""
    clean: Callable[[str], str] | None = None
    """Applied to the text before it is used (:func:`trimmed`, :func:`one_line`)."""
    blank: bool = True
    """Whether a text with nothing in it (after ``clean``) is allowed."""
    what: str = "text"
    """What the message says is expected (``Markdown text``)."""

    def check(self, value: Any, base: Any, at: Spot) -> Any:
        if value is None and self.optional:
            return None
        is_number = isinstance(value, (int, float)) and not isinstance(value, bool)
        text = str(value) if isinstance(value, str) or (self.numbers and is_number) else None
        if text is not None and self.clean is not None:
            text = self.clean(text)
        if text is None or (not self.blank and not text.strip()):
            at.error(f"expected {self.what}, got {describe(value)}")
            return None
        if self.placeholders is not None:
            problem = placeholder_problem(text, self.placeholders)
            if problem:
                at.error(problem)
        return text


def trimmed(text: str) -> str:
    """The text without the spaces around it."""
    return text.strip()


def one_line(text: str) -> str:
    """The text's words, one space between each (a title written over several lines)."""
    return " ".join(text.split())


def placeholder_problem(pattern: str, allowed: tuple[str, ...]) -> str | None:
    """What is wrong with the ``{name}`` fields of ``pattern``, or ``None``."""
    braces = "write a printed brace twice: {{ or }}"
    try:
        fields = [
            (name, spec, conv)
            for _, name, spec, conv in string.Formatter().parse(pattern)
            if name is not None
        ]
    except ValueError as exc:
        return f"{describe(pattern)}: {exc} ({braces})"
    for name, spec, conv in fields:
        if not allowed:
            return f"{describe(pattern)} takes no placeholder, got {{{name}}} ({braces})"
        if name not in allowed:
            expected = ", ".join(f"{{{a}}}" for a in allowed)
            return f"unknown placeholder {{{name}}} in {describe(pattern)}; expected {expected}"
        if spec or conv:
            return f"write the placeholder as {{{name}}}, without a format, in {describe(pattern)}"
    return None


@dataclass(frozen=True)
class Lines(Shape):
    """A list of texts (one text is taken as a list of one), printed one per line or cell."""

    count: int | None = None
    """The exact number of texts, when the program needs that many."""
    placeholders: tuple[str, ...] | None = None

    def check(self, value: Any, base: Any, at: Spot) -> Any:
        if isinstance(value, str) and self.count in (None, 1):
            return [Text(self.placeholders).check(value, None, at)]
        if not isinstance(value, list):
            wanted = f"a list of {self.count} texts" if self.count else "text or a list of texts"
            at.error(f"expected {wanted}, got {describe(value)}")
            return []
        if self.count is not None and len(value) != self.count:
            at.error(f"expected {self.count} texts, got {len(value)}: {describe(value)}")
        return [Text(self.placeholders).check(item, None, at.item(value, i)) for i, item in enumerate(value)]


@dataclass(frozen=True)
class Texts(Shape):
    """A list of texts or keys (file paths, symbols, vocabulary keys), as a tuple.

    Without ``item``, every entry must be text, or the whole list is reported at once; with
    ``item``, each entry is checked by it at its own line.
    """

    expected: str
    """The message when the value is not such a list; ``{got}`` shows the value."""
    single: bool = False
    """Whether one text alone is taken as a list of one."""
    empty: bool = True
    """Whether an empty list is allowed."""
    blank: bool = True
    """Whether an entry may be blank; entries that may not are also trimmed."""
    item: Shape | None = None
    unique: bool = False
    """Whether an entry written twice counts once."""
    into: Callable[[str], Any] = str

    def check(self, value: Any, base: Any, at: Spot) -> Any:
        items = [value] if self.single and isinstance(value, str) else value
        if not isinstance(items, list) or not (items or self.empty) or not self._texts(items):
            at.error(self.expected.format(got=describe(value)))
            return None
        if self.item is None:
            return tuple(self.into(str(i) if self.blank else str(i).strip()) for i in items)
        found = len(at.problems)
        spots = [at.item(value, i) if isinstance(value, list) else at for i in range(len(items))]
        checked = [self.item.check(i, None, spot) for i, spot in zip(items, spots, strict=True)]
        if len(at.problems) > found:
            return None
        return tuple(dict.fromkeys(checked) if self.unique else checked)

    def _texts(self, items: list) -> bool:
        if self.item is not None:
            return True
        return all(isinstance(i, str) and (self.blank or i.strip()) for i in items)


@dataclass(frozen=True)
class Choice(Shape):
    """One of a few keys (``per-annex``, a region): ``unknown region 'asia' (did you mean …)``."""

    choices: Sequence[str] | str
    """The keys, or the name of a list known only when the file is read (:attr:`Spot.choices`)."""
    noun: str = "value"
    limit: int | None = None
    """How many keys the message lists at most."""

    def check(self, value: Any, base: Any, at: Spot) -> Any:
        choices = at.choices.get(self.choices, ()) if isinstance(self.choices, str) else self.choices
        problem = unknown_choice(value, list(choices), self.noun, limit=self.limit)
        if problem:
            at.error(problem)
            return None
        return value


@dataclass(frozen=True)
class OneOf(Shape):
    """One of a few words, said the other way round: ``expected one of a, b, got 'x'``."""

    choices: Collection[str]
    """The words (a table's keys are read when the check runs: a kind added later counts)."""

    def check(self, value: Any, base: Any, at: Spot) -> Any:
        choices = list(self.choices)
        if isinstance(value, str) and value in choices:
            return value
        hint = suggest(str(value), choices)
        at.error(f"expected one of {', '.join(choices)}, got {describe(value)}{hint}")
        return None


class Flag(Shape):
    """``true`` or ``false``."""

    def check(self, value: Any, base: Any, at: Spot) -> Any:
        if not isinstance(value, bool):
            at.error(f"expected true or false, got {describe(value)}")
        return bool(value)


@dataclass(frozen=True)
class Date(Shape):
    """A day written ``YYYY-MM-DD``, in ``years``."""

    years: range

    def check(self, value: Any, base: Any, at: Spot) -> Any:
        day = _day(value)
        if day is None:
            shown = f"{str(value)!r} is not a real date" if isinstance(value, InvalidDate) else None
            at.error(shown or f"expected a date as YYYY-MM-DD, got {describe(value)}")
        elif day.year not in self.years:
            at.error(f"{day}: expected a year from {self.years[0]} to {self.years[-1]}")
            return None
        return day


def _day(value: Any) -> dt.date | None:
    if isinstance(value, InvalidDate):
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value.strip())
        except ValueError:
            return None
    return None


@dataclass(frozen=True)
class Parsed(Shape):
    """A value the program parses (a document symbol); a ``ValueError`` is the message."""

    parse: Callable[[Any], Any]

    def check(self, value: Any, base: Any, at: Spot) -> Any:
        try:
            return self.parse(value)
        except ValueError as exc:
            at.error(str(exc))
            return None


def _not_a_mapping(value: Any, at: Spot, expected: str, example: str) -> bool:
    if isinstance(value, Mapping):
        return False
    got = describe(value)
    usual = f"expected a mapping{example and ' such as ' + example}, got {got}"
    at.error(expected.format(got=got) if expected else usual)
    return True


def _entries(value: Mapping, base: Any, at: Spot, shape_of: Callable[[Any], Shape | str]) -> dict[Any, Any]:
    """Each entry of mapping ``value`` checked with ``shape_of(key)``: a shape, or what is wrong
    with the key."""
    base = base if isinstance(base, Mapping) else {}
    out = {}
    for key, item in value.items():
        shape = shape_of(key)
        if isinstance(shape, str):
            at.at_key(value, key).error(shape)
        else:
            out[key] = shape.check(item, base.get(key), at.child(value, key))
    return out


@dataclass(frozen=True)
class Fields(Shape):
    """A mapping whose keys the program knows; other keys are reported as unknown."""

    fields: Mapping[str, Shape]
    required: tuple[str, ...] = ()
    example: str = ""
    """An example of the whole mapping for the message when the value is not one."""
    expected: str = ""
    """The whole message when the value is not a mapping (``{got}`` shows it), if not the usual."""
    unknown: str = "unknown key {key}{hint}; expected one of {known}"
    """The message for an unknown key: ``{key}``, ``{hint}`` (did you mean), ``{known}``."""
    missing: str = "missing key {key}"
    into: Callable[..., Any] = dict
    """What the checked mapping becomes (a dataclass taking the keys)."""

    def check(self, value: Any, base: Any, at: Spot) -> Any:
        if _not_a_mapping(value, at, self.expected, self.example):
            return self.into()
        out = _entries(value, base, at, self._shape_of)
        for key in self.required:
            if key not in value and not (isinstance(base, Mapping) and key in base):
                at.error(self.missing.format(key=repr(key)))
        return self.into(**{str(k): v for k, v in out.items()})

    def _shape_of(self, key: Any) -> Shape | str:
        shape = self.fields.get(key) if isinstance(key, str) else None
        return shape or self.unknown_key(key)

    def unknown_key(self, key: Any, known: Sequence[str] | None = None) -> str:
        """The message for ``key``, not one of ``known`` (by default the declared keys)."""
        known = list(self.fields) if known is None else list(known)
        shown = known if len(known) <= 10 else [*known[:10], "…"]
        return self.unknown.format(key=describe(key), hint=suggest(str(key), known), known=", ".join(shown))


@dataclass(frozen=True)
class Table(Shape):
    """A mapping whose keys the user chooses (committee prefixes, vocabulary keys), one shape of value."""

    value: Shape
    key_problem: Callable[[Any], str | None] = lambda key: None
    """What is wrong with a key (``None`` when it is fine)."""
    example: str = ""

    def check(self, value: Any, base: Any, at: Spot) -> Any:
        if _not_a_mapping(value, at, "", self.example):
            return {}
        return _entries(value, base, at, lambda key: self.key_problem(key) or self.value)


def text_key(key: Any) -> str | None:
    """A key written as text (``europe``, ``3d-printing``)."""
    return None if isinstance(key, str) else f"key {describe(key)}: expected text"


def check_shape(
    data: Any,
    shape: Shape,
    path: Path,
    problems: Problems,
    base: Any = None,
    code: str = "style",
    *,
    choices: Mapping[str, Sequence[str]] | None = None,
) -> Any:
    """``data`` read from ``path`` checked against ``shape``: the plain value, problems appended.

    ``base`` is what ``data`` overrides key by key (its keys count as present); ``choices``
    are the named lists :class:`Choice` may refer to.
    """
    at = Spot(Path(path), (), line_of(data) or 1, problems, code, choices=choices or {})
    return shape.check(data, base, at)


SHAPE = "wcodoc.shape"
YAML_NAME = "wcodoc.yaml-name"


def from_yaml(
    shape: Shape,
    *,
    name: str | None = None,
    default: Any = dataclasses.MISSING,
    default_factory: Any = dataclasses.MISSING,
) -> Any:
    """A dataclass field read from a YAML key (``name``, else the field's own) with ``shape``.

    The dataclass is then the one list of its file's keys, each with its shape, its default
    and its docstring (:func:`yaml_fields`).
    """
    metadata = {SHAPE: shape, YAML_NAME: name}
    return field(default=default, default_factory=default_factory, metadata=metadata)


def yaml_fields(cls: type) -> dict[str, tuple[str, Shape]]:
    """The YAML keys of dataclass ``cls``, in order: key → (field name, shape)."""
    return {
        f.metadata[YAML_NAME] or f.name: (f.name, f.metadata[SHAPE])
        for f in dataclasses.fields(cls)
        if SHAPE in f.metadata
    }


def yaml_mapping(cls: type, **options: Any) -> Fields:
    """The mapping dataclass ``cls`` is read from: its YAML keys, those without a default
    required; ``options`` as :class:`Fields` takes them (the wording of messages)."""
    no_default = dataclasses.MISSING
    required = tuple(
        f.metadata[YAML_NAME] or f.name
        for f in dataclasses.fields(cls)
        if SHAPE in f.metadata and f.default is no_default and f.default_factory is no_default
    )
    shapes = {key: shape for key, (_, shape) in yaml_fields(cls).items()}
    return Fields(shapes, required=required, **options)
