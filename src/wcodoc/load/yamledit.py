"""Surgical edits of a YAML file: change a few top-level values, leave every other byte alone.

ruamel's round-trip dump keeps comments but still re-indents sequences, respaces flow lists and
folds long lines, so a user's ``document.yaml`` would come back visibly rewritten. Here the
composed node tree gives the exact character span of each value; only those spans change.
Every edit is checked by parsing the result and comparing it with the same change made on the
loaded data; if they ever disagree (an unusual layout), the round-trip dump is used instead.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.nodes import MappingNode, ScalarNode, SequenceNode
from ruamel.yaml.scalarstring import DoubleQuotedScalarString, SingleQuotedScalarString

from wcodoc.errors import WcodocError
from wcodoc.fsutil import atomic_write_bytes, encode_like, read_text
from wcodoc.load.yamlio import dump_yaml, parse_yaml, scalar_text


@dataclass(frozen=True)
class _Edit:
    start: int
    end: int
    text: str


def _plain(value: Any) -> Any:
    if isinstance(value, Mapping):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    if isinstance(value, dt.datetime):
        return value.date() if value.time() == dt.time() else value
    if isinstance(value, str):
        return str(value)
    return value


def _top_mapping(text: str) -> MappingNode | None:
    node = YAML(typ="rt").compose(text)
    return node if isinstance(node, MappingNode) else None


def _find(mapping: MappingNode, key: str):
    for key_node, value_node in mapping.value:
        if isinstance(key_node, ScalarNode) and key_node.value == key:
            return key_node, value_node
    return None


def _line_end(text: str, index: int) -> int:
    """Index just after the newline that ends the line holding ``index``."""
    newline = text.find("\n", index)
    return len(text) if newline < 0 else newline + 1


def _content_end(node: Any) -> int:
    """End of the last scalar inside ``node`` (a block node's own end lies past comments)."""
    if isinstance(node, ScalarNode):
        return node.end_mark.index
    children = node.value if isinstance(node, SequenceNode) else [v for pair in node.value for v in pair]
    return max((_content_end(child) for child in children), default=node.start_mark.index)


def _block_item(item: Any, dash_indent: int) -> str:
    pad = " " * dash_indent
    if isinstance(item, Mapping):
        lines = [f"{k}: {scalar_text(v)}" for k, v in item.items()]
        first, *rest = lines
        return "".join([f"{pad}- {first}\n", *(f"{pad}  {line}\n" for line in rest)])
    return f"{pad}- {scalar_text(item)}\n"


def _set_edit(text: str, mapping: MappingNode, key: str, value: Any) -> _Edit | None:
    found = _find(mapping, key)
    if found is None:
        return _append_key(text, f"{key}: {scalar_text(value)}\n")
    node = found[1]
    if not isinstance(node, ScalarNode) or node.start_mark.line != node.end_mark.line:
        return None
    style = node.style if node.style in ('"', "'") else None
    return _Edit(node.start_mark.index, node.end_mark.index, scalar_text(value, style))


def _append_key(text: str, block: str) -> _Edit:
    end = len(text)
    prefix = "" if not text or text.endswith("\n") else "\n"
    return _Edit(end, end, prefix + block)


def _append_edit(text: str, mapping: MappingNode, key: str, item: Any) -> _Edit | None:
    found = _find(mapping, key)
    if found is None:
        if isinstance(item, Mapping):
            return _append_key(text, f"{key}:\n{_block_item(item, 2)}")
        return _append_key(text, f"{key}: [{scalar_text(item)}]\n")
    node = found[1]
    if not isinstance(node, SequenceNode):
        return None
    if node.flow_style:
        if isinstance(item, Mapping):
            return None
        close = node.end_mark.index - 1
        if text[close] != "]":
            return None
        separator = ", " if node.value else ""
        return _Edit(close, close, separator + scalar_text(item))
    if not node.value:
        return None
    last = node.value[-1]
    line_start = text.rfind("\n", 0, node.value[0].start_mark.index) + 1
    dash = text.find("-", line_start)
    if dash < 0 or dash >= node.value[0].start_mark.index:
        return None
    at = _line_end(text, _content_end(last))
    prefix = "" if text[:at].endswith("\n") else "\n"
    return _Edit(at, at, prefix + _block_item(item, dash - line_start))


def _apply(text: str, edits: list[_Edit]) -> str:
    for edit in sorted(edits, key=lambda e: e.start, reverse=True):
        text = text[: edit.start] + edit.text + text[edit.end :]
    return text


def _quoted_like(old: Any, new: Any) -> Any:
    if isinstance(old, DoubleQuotedScalarString):
        return DoubleQuotedScalarString(new)
    if isinstance(old, SingleQuotedScalarString):
        return SingleQuotedScalarString(new)
    return new


def _edit_data(data: CommentedMap, set_values: Mapping[str, Any], append: Mapping[str, Any]) -> None:
    for key, value in set_values.items():
        data[key] = _quoted_like(data.get(key), value)
    for key, item in append.items():
        if not isinstance(data.get(key), list):
            seq = CommentedSeq()
            if not isinstance(item, Mapping):
                seq.fa.set_flow_style()
            data[key] = seq
        data[key].append(CommentedMap(item) if isinstance(item, Mapping) else item)


def _edits_in_place(
    text: str, set_values: Mapping[str, Any], append: Mapping[str, Any]
) -> list[_Edit] | None:
    """The edits of ``text`` that make the change, or ``None`` when one cannot be made in place."""
    mapping = _top_mapping(text)
    if mapping is None:
        return None
    edits = [_set_edit(text, mapping, k, v) for k, v in set_values.items()]
    edits += [_append_edit(text, mapping, k, v) for k, v in append.items()]
    made = [e for e in edits if e is not None]
    return made if len(made) == len(edits) else None


def edit_yaml_text(
    text: str,
    path: Path | str,
    set_values: Mapping[str, Any] | None = None,
    append: Mapping[str, Any] | None = None,
) -> str:
    """``text`` with top-level keys set and items appended to top-level lists.

    ``set_values`` maps a key to its new scalar value (a missing key is added at the end);
    ``append`` maps a key to one item (text, date or a flat mapping) added to its list.
    Raises :class:`WcodocError` naming ``path`` when the text is not a YAML mapping.
    """
    set_values, append = dict(set_values or {}), dict(append or {})
    data = parse_yaml(text, path)
    if not isinstance(data, CommentedMap):
        raise WcodocError("expected a mapping of keys", path, 1)
    _edit_data(data, set_values, append)
    expected = _plain(data)
    edits = _edits_in_place(text, set_values, append)
    if edits is not None:
        edited = _apply(text, edits)
        try:
            if _plain(parse_yaml(edited, path)) == expected:
                return edited
        except WcodocError:
            pass
    return dump_yaml(data)


def edit_yaml_file(
    path: Path, set_values: Mapping[str, Any] | None = None, append: Mapping[str, Any] | None = None
) -> None:
    """Apply :func:`edit_yaml_text` to ``path`` in place, atomically.

    Line endings and a byte-order mark are kept as the file had them.
    """
    raw = Path(path).read_bytes() if Path(path).is_file() else b""
    text = read_text(path)
    edited = edit_yaml_text(text, path, set_values, append)
    atomic_write_bytes(path, encode_like(edited, raw))


def _item_edits(text: str, item: Any, values: Mapping[str, Any], key_column: int) -> list[_Edit] | None:
    """Edits that set ``values`` in the block mapping ``item`` (new keys after its last line)."""
    if not isinstance(item, MappingNode) or item.flow_style:
        return None
    edits, added = [], []
    for key, value in values.items():
        found = _find(item, key)
        if found is None:
            added.append(f"{' ' * key_column}{key}: {scalar_text(value)}\n")
        elif isinstance(found[1], ScalarNode) and found[1].start_mark.line == found[1].end_mark.line:
            node = found[1]
            if node.start_mark.index == node.end_mark.index:  # `folder:` with no value
                return None
            edits.append(_Edit(node.start_mark.index, node.end_mark.index, scalar_text(value)))
        else:
            return None
    if added:
        at = _line_end(text, _content_end(item))
        prefix = "" if text[:at].endswith("\n") else "\n"
        edits.append(_Edit(at, at, prefix + "".join(added)))
    return edits


def edit_list_item_text(text: str, path: Path | str, key: str, index: int, values: Mapping[str, Any]) -> str:
    """``text`` with ``values`` set in item ``index`` of its top-level list ``key`` (``path``
    names the file in messages).

    A plain item (``- PC0790E``) becomes a mapping whose first key is ``symbol``. Only the
    item's lines change when its layout allows (checked as :func:`edit_yaml_text` does);
    otherwise the text is dumped again with ruamel's round trip.
    """
    data = parse_yaml(text, path)
    if not isinstance(data, CommentedMap) or not isinstance(data.get(key), list):
        raise WcodocError(f"{key}: expected a list", path, 1)
    items = data[key]
    current = items[index]
    if not isinstance(current, Mapping):
        current = CommentedMap({"symbol": current})
    for k, v in values.items():
        current[k] = v
    items[index] = current
    expected = _plain(data)
    edited = _list_item_in_place(text, key, index, values)
    if edited is not None:
        try:
            if _plain(parse_yaml(edited, path)) != expected:
                edited = None
        except WcodocError:
            edited = None
    return edited if edited is not None else dump_yaml(data)


def _list_item_in_place(text: str, key: str, index: int, values: Mapping[str, Any]) -> str | None:
    mapping = _top_mapping(text)
    found = _find(mapping, key) if mapping is not None else None
    if found is None or not isinstance(found[1], SequenceNode) or found[1].flow_style:
        return None
    item = found[1].value[index]
    column = item.start_mark.column
    if isinstance(item, ScalarNode):  # `- PC0790E` → `- symbol: PC0790E` + the new keys
        if item.start_mark.line != item.end_mark.line:
            return None
        lines = "".join(f"{' ' * column}{k}: {scalar_text(v)}\n" for k, v in values.items())
        at = _line_end(text, item.end_mark.index)
        prefix = "" if text[:at].endswith("\n") else "\n"
        return _apply(
            text,
            [_Edit(item.start_mark.index, item.start_mark.index, "symbol: "), _Edit(at, at, prefix + lines)],
        )
    edits = _item_edits(text, item, values, column)
    return _apply(text, edits) if edits is not None else None


def _nested_node(text: str, keys: tuple[str, ...]) -> Any:
    """The value node at ``keys`` (``("summary", "purpose")``) in block mappings, or ``None``."""
    node: Any = _top_mapping(text)
    for key in keys:
        if not isinstance(node, MappingNode):
            return None
        found = _find(node, key)
        if found is None:
            return None
        node = found[1]
    return node


def _get(data: Any, keys: tuple[str, ...]) -> Any:
    for key in keys:
        if not isinstance(data, Mapping) or key not in data:
            return None
        data = data[key]
    return data


def _set(data: Any, keys: tuple[str, ...], value: Any) -> None:
    for key in keys[:-1]:
        data = data[key]
    data[keys[-1]] = value


def _scalar_edit(text: str, node: ScalarNode, value: str) -> _Edit | None:
    """The edit that gives scalar ``node`` the text ``value`` in its own style: a one-line
    plain or quoted scalar stays one line; a literal block scalar (``|``) keeps its header and
    indentation, its lines rewritten."""
    if node.style in (None, "", '"', "'"):
        if node.start_mark.line != node.end_mark.line or "\n" in value:
            return None
        style = node.style if node.style in ('"', "'") else None
        return _Edit(node.start_mark.index, node.end_mark.index, scalar_text(value, style))
    if node.style != "|":
        return None  # folded (>) text: its line breaks are not the text's
    header_end = _line_end(text, node.start_mark.index)
    body = text[header_end : node.end_mark.index]
    indents = [len(line) - len(line.lstrip(" ")) for line in body.split("\n") if line.strip()]
    if not indents or not value.endswith("\n"):
        return None
    pad = " " * min(indents)
    lines = value[:-1].split("\n")
    new_body = "".join(f"{pad}{line}\n" if line else "\n" for line in lines)
    # What follows the value's last line (blank lines kept by the old text) stays as it was.
    old_lines = node.value[:-1].split("\n") if node.value.endswith("\n") else None
    if old_lines is None:
        return None
    old_body = "".join(f"{pad}{line}\n" if line else "\n" for line in old_lines)
    if not body.startswith(old_body):
        return None
    return _Edit(header_end, header_end + len(old_body), new_body)


def set_nested_text(text: str, path: Path | str, keys: tuple[str, ...], value: str) -> str | None:
    """``text`` with the string at ``keys`` (``("title",)``, ``("summary", "purpose")``) set to
    ``value``, every other byte kept; ``None`` when the key is missing or its layout cannot be
    edited in place (the result is checked by parsing it, as :func:`edit_yaml_text` does).
    """
    data = parse_yaml(text, path)
    if not isinstance(_get(data, keys), str):
        return None
    node = _nested_node(text, keys)
    if not isinstance(node, ScalarNode):
        return None
    edit = _scalar_edit(text, node, value)
    if edit is None:
        return None
    edited = _apply(text, [edit])
    _set(data, keys, value)
    try:
        return edited if _plain(parse_yaml(edited, path)) == _plain(data) else None
    except WcodocError:
        return None


def scalar_line(text: str, keys: tuple[str, ...]) -> int | None:
    """The line (1-based) where the value at ``keys`` starts: for a block scalar, the line
    after its ``|`` header (its text's first line)."""
    node = _nested_node(text, keys)
    if not isinstance(node, ScalarNode):
        return None
    return node.start_mark.line + (2 if node.style in ("|", ">") else 1)
