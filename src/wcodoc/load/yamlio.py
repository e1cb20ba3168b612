"""YAML in and out: safe, with line numbers for errors, and comment-keeping edits.

ruamel's round-trip loader keeps every node's line, which the error messages need, and
keeps comments when the tool writes a file back (``wcodoc revise``). It builds plain
mappings, sequences and scalars only: a tag that would construct a Python object is an error,
and anchors/aliases are bounded so a crafted file cannot blow up memory.
"""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.constructor import RoundTripConstructor
from ruamel.yaml.error import MarkedYAMLError, YAMLError
from ruamel.yaml.events import AliasEvent, CollectionEndEvent, CollectionStartEvent, ScalarEvent
from ruamel.yaml.parser import RoundTripParser
from ruamel.yaml.scalarstring import FoldedScalarString, LiteralScalarString

from wcodoc.errors import WcodocError
from wcodoc.fsutil import control_character, read_text

MAX_YAML_BYTES = 1_000_000
MAX_ALIASES = 100
MAX_DEPTH = 50
CODE = "yaml"
"""The code of the problems of YAML itself (syntax, tags, aliases), whatever the file."""
"""Deepest nesting of lists and mappings accepted (document.yaml needs 3; the parser recurses)."""
_STANDARD_TAG = "tag:yaml.org,2002:"
_SAFE_TAGS = {"str", "int", "float", "bool", "null", "timestamp", "seq", "map", "binary"}


class InvalidDate(str):
    """A scalar that looks like a date but is not one (``2022-02-30``); validation reports it."""


def _construct_timestamp(constructor, node):
    try:
        return RoundTripConstructor.construct_yaml_timestamp(constructor, node)
    except ValueError:
        return InvalidDate(node.value)


class _Constructor(RoundTripConstructor):
    pass


_Constructor.add_constructor("tag:yaml.org,2002:timestamp", _construct_timestamp)


def _yaml() -> YAML:
    yaml = YAML(typ="rt")
    yaml.Constructor = _Constructor
    yaml.preserve_quotes = True
    yaml.allow_duplicate_keys = False
    return yaml


def parse_yaml(text: str, path: Path | str, line_offset: int = 0) -> Any:
    """Parse YAML ``text`` read from ``path``; ``line_offset`` shifts reported lines.

    Raises :class:`WcodocError` naming the file and line for syntax errors, object tags
    and alias bombs.
    """
    if len(text.encode("utf-8", "surrogatepass")) > MAX_YAML_BYTES:
        raise WcodocError(f"file is larger than {MAX_YAML_BYTES // 1000} kB; refusing it", path)
    yaml = _yaml()
    yaml.Parser = _GuardedParser
    yaml.event_guard = _EventGuard(path, line_offset)  # type: ignore[attr-defined]
    try:
        return yaml.load(text)
    except MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 + line_offset if mark is not None else None
        problem = (exc.problem or exc.context or "invalid YAML").strip()
        start = exc.context_mark
        if exc.context and start is not None and mark is not None and start.line != mark.line:
            problem += f" ({exc.context.strip()} that starts on line {start.line + 1 + line_offset})"
        raise WcodocError(f"YAML syntax error: {problem}", path, line, code=CODE) from None
    except YAMLError as exc:
        raise WcodocError(f"invalid YAML: {exc}", path, code=CODE) from None


class _GuardedParser(RoundTripParser):
    """ruamel's round-trip parser, each event checked as the composer takes it.

    One pass over the text: checking the events in a parse of their own first read every
    file twice, and use-case front matter is read on every build.
    """

    def get_event(self) -> Any:
        event = super().get_event()
        if event is not None:
            self.loader.event_guard.check(event)
        return event


class _EventGuard:
    """Refuses object tags, alias bombs, deep nesting and control characters, event by event.

    Checked on the parser's events, as the composer takes them, so before anything is
    constructed: the composer recurses (and ruamel's scanner slows down with the depth), so
    ten thousand ``[`` fail fast here, at the 51st.
    """

    def __init__(self, path: Path | str, line_offset: int) -> None:
        self.path = path
        self.line_offset = line_offset
        self.aliases = 0
        self.depth = 0

    def check(self, event: Any) -> None:
        path = self.path
        line = event.start_mark.line + 1 + self.line_offset
        if isinstance(event, CollectionStartEvent):
            self.depth += 1
            if self.depth > MAX_DEPTH:
                raise WcodocError(
                    f"lists or mappings nested more than {MAX_DEPTH} deep; refusing the file", path, line
                )
        elif isinstance(event, CollectionEndEvent):
            self.depth -= 1
        elif isinstance(event, ScalarEvent) and (bad := control_character(_scalar_text(event))):
            raise WcodocError(
                f"control character {bad} in {event.value[:40]!r}: remove it (a Word file cannot hold it)",
                path,
                line,
            )
        if isinstance(event, AliasEvent):
            self.aliases += 1
            if self.aliases > MAX_ALIASES:
                raise WcodocError(
                    f"more than {MAX_ALIASES} YAML aliases; refusing a file that may expand without bound",
                    path,
                    line,
                    code=CODE,
                )
        tag = getattr(event, "tag", None)
        if tag and str(tag).removeprefix(_STANDARD_TAG).removeprefix("!!") not in _SAFE_TAGS:
            raise WcodocError(
                f"YAML tag {tag} is not allowed: only plain values (text, numbers, dates, lists, mappings)",
                path,
                line,
                code=CODE,
            )


def _scalar_text(event: ScalarEvent) -> str:
    # ruamel marks the folds of a '>' scalar with BEL in the event; only escapes can add one.
    return event.value.replace("\a", "") if event.style == ">" else event.value


def is_block_scalar(value: Any) -> bool:
    """Whether ``value`` was written as a ``|`` or ``>`` block, its text starting on the next line."""
    return isinstance(value, (LiteralScalarString, FoldedScalarString))


def load_yaml(path: Path) -> Any:
    """Read and parse a YAML file (see :func:`parse_yaml`)."""
    return parse_yaml(read_text(path), path)


def line_of(node: Any, key: Any = None, offset: int = 0) -> int | None:
    """1-based line of ``key`` in a mapping (or item ``key`` in a sequence, or the node itself)."""
    try:
        if key is None:
            return node.lc.line + 1 + offset
        if isinstance(node, CommentedMap):
            return node.lc.key(key)[0] + 1 + offset
        if isinstance(node, CommentedSeq):
            return node.lc.item(key)[0] + 1 + offset
    except (AttributeError, KeyError, IndexError, TypeError):
        return None
    return None


def value_line(node: Any, key: Any, offset: int = 0) -> int | None:
    """1-based line of the value of ``key`` in a mapping (falls back to the key's line)."""
    try:
        return node.lc.value(key)[0] + 1 + offset
    except (AttributeError, KeyError, IndexError, TypeError):
        return line_of(node, key, offset)


def dump_yaml(data: Any) -> str:
    """Serialise round-trip data, keeping the comments and order it was loaded with."""
    yaml = _yaml()
    yaml.width = 100
    buffer = io.StringIO()
    yaml.dump(data, buffer)
    return buffer.getvalue()


def scalar_text(value: Any, style: str | None = None) -> str:
    """``value`` written as a one-line YAML scalar, in quote ``style`` (``"``, ``'`` or plain).

    Plain style lets ruamel decide: it quotes only what would otherwise read as another type
    or break the line (``'2021'``, ``'A: b'``), so a value always reads back as the same text.
    The one scalar writer: YAML edits, ``document.yaml`` of ``wcodoc new`` and use-case front
    matter all use it.
    """
    if isinstance(value, dt.date):
        return value.isoformat()
    text = str(value)
    if style == '"':
        return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'
    if style == "'":
        return "'" + text.replace("'", "''") + "'"
    yaml = YAML(typ="rt")
    yaml.width = 1 << 20  # never fold: the value must stay on its line
    buffer = io.StringIO()
    yaml.dump({"k": value}, buffer)
    return buffer.getvalue().removeprefix("k: ").rstrip("\n")
