"""The shape a YAML file must have, checked with a located message for every mismatch.

A shape is built from a few parts: :class:`Text`, :class:`Lines`, :class:`Choice`, :class:`Flag`,
:class:`Fields` (a mapping with known keys) and :class:`Table` (a mapping whose keys the user
chooses, such as committee prefixes). :func:`check_shape` walks a loaded file and its shape
together and reports, in one pass, every value of the wrong kind as
``FILE:LINE: key.path: expected text, got 5``.

A file may override another (a project's ``templates/labels-fr.yaml`` over the built-in one,
key by key): the overridden data is passed as ``base``, and a key that ``base`` already has
is not missing from the override.
"""

from __future__ import annotations

import string
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from wcodoc.errors import Problems
from wcodoc.load.messages import describe, unknown_choice
from wcodoc.load.yamlio import line_of, value_line


@dataclass(frozen=True)
class Spot:
    """Where a value sits: its file, its key path (``ordinals.other``) and its line."""

    path: Path
    key: str
    line: int | None
    problems: Problems
    code: str

    def error(self, message: str) -> None:
        self.problems.error(
            f"{self.key}: {message}" if self.key else message, self.path, self.line, self.code
        )

    def child(self, node: Any, key: Any) -> Spot:
        """The spot of ``node[key]``: the key path grows, the line is the value's own."""
        name = f"{self.key}.{key}" if self.key else str(key)
        line = value_line(node, key) or self.line
        return Spot(self.path, name, line, self.problems, self.code)

    def item(self, node: list, index: int) -> Spot:
        """The spot of one list item: the same key path, the item's line."""
        return Spot(self.path, self.key, line_of(node, index) or self.line, self.problems, self.code)

    def at_key(self, node: Any, key: Any) -> Spot:
        """The spot of a key itself (for an unknown or badly written key)."""
        return Spot(self.path, self.key, line_of(node, key) or self.line, self.problems, self.code)


class Shape:
    """The expected form of one value; :meth:`check` reports what does not fit."""

    def check(self, value: Any, base: Any, at: Spot) -> Any:
        """The value as the program reads it (plain Python); problems go to ``at``."""
        raise NotImplementedError


@dataclass(frozen=True)
class Text(Shape):
    """One text. ``placeholders`` lists the ``{name}`` fields the program fills in, if any."""

    placeholders: tuple[str, ...] | None = None
    """``None``: printed as written, braces included; else the names ``{…}`` may use."""
    optional: bool = False
    """Whether an empty value (``null``) is allowed: it means "print nothing"."""

    def check(self, value: Any, base: Any, at: Spot) -> Any:
        if value is None and self.optional:
            return None
        if not isinstance(value, str):
            at.error(f"expected text, got {describe(value)}")
            return None
        if self.placeholders is not None:
            problem = placeholder_problem(value, self.placeholders)
            if problem:
                at.error(problem)
        return str(value)


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
class Choice(Shape):
    """One of a few words the program knows (``continuous``, ``per-annex``)."""

    choices: tuple[str, ...]

    def check(self, value: Any, base: Any, at: Spot) -> Any:
        problem = unknown_choice(value, self.choices, "value")
        if problem:
            at.error(problem)
            return self.choices[0]
        return value


class Flag(Shape):
    """``true`` or ``false``."""

    def check(self, value: Any, base: Any, at: Spot) -> Any:
        if not isinstance(value, bool):
            at.error(f"expected true or false, got {describe(value)}")
        return bool(value)


def _entries(
    value: Any, base: Any, at: Spot, example: str, shape_of: Callable[[Any], Shape | str]
) -> dict[Any, Any] | None:
    """Each entry of mapping ``value`` checked with ``shape_of(key)``: a shape, or what is wrong
    with the key. ``None`` when ``value`` is not a mapping at all."""
    if not isinstance(value, Mapping):
        at.error(f"expected a mapping{example and ' such as ' + example}, got {describe(value)}")
        return None
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

    def check(self, value: Any, base: Any, at: Spot) -> Any:
        out = _entries(value, base, at, self.example, self._shape_of)
        if out is None:
            return {}
        for key in self.required:
            if key not in value and not (isinstance(base, Mapping) and key in base):
                at.error(f"missing key {key!r}")
        return out

    def _shape_of(self, key: Any) -> Shape | str:
        shape = self.fields.get(key) if isinstance(key, str) else None
        return shape or str(unknown_choice(key, list(self.fields), limit=10))


@dataclass(frozen=True)
class Table(Shape):
    """A mapping whose keys the user chooses (committee prefixes, vocabulary keys), one shape of value."""

    value: Shape
    key_problem: Callable[[Any], str | None] = lambda key: None
    """What is wrong with a key (``None`` when it is fine)."""
    example: str = ""

    def check(self, value: Any, base: Any, at: Spot) -> Any:
        return _entries(value, base, at, self.example, lambda key: self.key_problem(key) or self.value) or {}


def text_key(key: Any) -> str | None:
    """A key written as text (``europe``, ``3d-printing``)."""
    return None if isinstance(key, str) else f"key {describe(key)}: expected text"


def check_shape(
    data: Any, shape: Shape, path: Path, problems: Problems, base: Any = None, code: str = "style"
) -> Any:
    """``data`` read from ``path`` checked against ``shape``: the plain value, problems appended.

    ``base`` is what ``data`` overrides key by key (its keys count as present).
    """
    return shape.check(data, base, Spot(Path(path), "", line_of(data) or 1, problems, code))
