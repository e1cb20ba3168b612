"""Document metadata: ``document.yaml`` validated into a :class:`DocumentMeta`.

Every problem of the file is collected in one run and reported with its line. Values may be
inherited from an enclosing ``session.yaml`` (see :mod:`wcodoc.load.sessionconfig`): validation works on
*layers*, most specific last, and a message names the file that holds the bad value.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from wcodoc.errors import Problem, Problems, WcodocError
from wcodoc.load.messages import describe, did_you_mean, unknown_choice
from wcodoc.load.symbol import DocumentSymbol
from wcodoc.load.yamlio import InvalidDate, is_block_scalar, line_of, load_yaml, value_line

DOCUMENT_YAML = "document.yaml"
"""The file that makes a folder a document project, and holds its metadata."""
MEETINGS = ("in-person", "hybrid", "virtual", "document-based")
ANNEX_ORDER_KEYS = ("file", "technology", "member", "region", "status", "year", "title", "id")
ANNEX_FILTERS = ("ids", "technologies", "regions", "statuses")


@dataclass(frozen=True)
class DateRange:
    """The dates of the meeting, first and last day (equal for a one-day meeting)."""

    start: dt.date
    end: dt.date


@dataclass(frozen=True)
class Summary:
    """The SUMMARY block of the cover, both parts as Markdown."""

    purpose: str = ""
    action: str = ""


@dataclass(frozen=True)
class AnnexSettings:
    """How the annex of use cases is assembled (``annex:`` in ``document.yaml``)."""

    title: str | None = None
    """Annex title; ``None`` means the house style's default (``Use cases``)."""
    order: tuple[str, ...] = ("file",)
    """Sort keys for the use cases, e.g. ``(technology, member)``; ``file`` is file-name order."""
    include: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    """Filters: ``ids``, ``technologies``, ``regions``, ``statuses``; empty means all."""
    enabled: bool = True


@dataclass(frozen=True)
class DocumentMeta:
    """Metadata of one working document."""

    symbol: DocumentSymbol
    """The document symbol (``reference``), e.g. ``PC0685Ea``."""
    title: str
    """Title, printed in capitals on the cover."""
    issued: dt.date
    """Date of issue, printed as ``Brussels, 7 March 2022.``; also the document's dates."""
    subtitle: str | None = None
    meeting: str = "in-person"
    """``in-person`` (no line on the cover), ``hybrid``, ``virtual`` or ``document-based``."""
    sessions: tuple[int, ...] = ()
    """One or two session numbers."""
    dates: DateRange | None = None
    place: str = "Brussels"
    agenda_item: str | None = None
    summary: Summary = field(default_factory=Summary)
    chapters: tuple[Path, ...] | None = None
    """Chapter files relative to the project, or ``None`` for ``chapters/*.md`` in name order."""
    annexes: tuple[Path, ...] | None = None
    """Use-case files relative to the project, or ``None`` for ``annexes/use-cases/*.md``."""
    annex: AnnexSettings = field(default_factory=AnnexSettings)
    history: tuple[str, ...] = ()
    """Symbols of earlier drafts, oldest first (kept by ``wcodoc revise``)."""
    author: str = "World Customs Organization"
    """Author written into the document properties."""
    translation_of: str | None = None
    """For a translation: the original's folder, beside this one (``smart-customs``)."""
    follows: DocumentSymbol | None = None
    """For a translation: the original's version it is up to date with (``PC0701Eb``)."""
    lines: Mapping[str, tuple[Path, int | None]] = field(default_factory=dict, compare=False, repr=False)
    """Where each key was set: file and line, for later messages."""

    @property
    def locale(self) -> str:
        return self.symbol.locale


DOCUMENT_KEYS = (
    "reference",
    "title",
    "subtitle",
    "meeting",
    "sessions",
    "dates",
    "place",
    "issued",
    "agenda_item",
    "summary",
    "chapters",
    "annexes",
    "annex",
    "history",
    "author",
    "translation_of",
    "follows",
)
REQUIRED_KEYS = ("reference", "title", "issued")
YEARS = range(1952, 2108)
"""Years a date may have: from the Customs Co-operation Council to the last year a zip (DOCX)
file can date its entries."""


@dataclass(frozen=True)
class Layer:
    """One metadata file's mapping (``session.yaml`` or ``document.yaml``)."""

    path: Path
    data: Mapping[str, Any]
    keys: Sequence[str] = DOCUMENT_KEYS
    """The keys this layer may set; others are reported as unknown."""


class _Reader:
    """Collects problems while reading values out of the layers."""

    def __init__(self, layers: Sequence[Layer], problems: Problems) -> None:
        self.layers = layers
        self.problems = problems
        self.lines: dict[str, tuple[Path, int | None]] = {}

    def find(self, key: str) -> tuple[Any, Layer] | None:
        for layer in reversed(self.layers):
            if key in layer.data:
                self.lines[key] = (layer.path, value_line(layer.data, key))
                return layer.data[key], layer
        return None

    def error(self, key: str, message: str, node: Any = None, index: Any = None) -> None:
        path, line = self.lines.get(key, (self.layers[-1].path, None))
        if node is not None and index is not None:
            line = value_line(node, index) or line
        self.problems.error(f"{key}: {message}", path, line, code="meta")


def _text(value: Any) -> str | None:
    if isinstance(value, str):
        return str(value).strip()
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return str(value)
    return None


def _date(r: _Reader, key: str, value: Any, node=None, index=None) -> dt.date | None:
    date = _any_date(r, key, value, node, index)
    if date is not None and date.year not in YEARS:
        r.error(key, f"{date}: expected a year from {YEARS[0]} to {YEARS[-1]}", node, index)
        return None
    return date


def _any_date(r: _Reader, key: str, value: Any, node=None, index=None) -> dt.date | None:
    if isinstance(value, InvalidDate):
        r.error(key, f"{str(value)!r} is not a real date", node, index)
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value.strip())
        except ValueError:
            pass
    r.error(key, f"expected a date as YYYY-MM-DD, got {value!r}", node, index)
    return None


def _check_unknown_keys(layer: Layer, problems: Problems) -> None:
    if not isinstance(layer.data, Mapping):
        return
    for key in layer.data:
        if key not in layer.keys:
            problems.error(
                f"unknown key {key!r}{did_you_mean(key, layer.keys)}",
                layer.path,
                line_of(layer.data, key),
                code="meta",
            )


def _sessions(r: _Reader) -> tuple[int, ...]:
    found = r.find("sessions")
    if found is None:
        return ()
    value = found[0]
    items = list(value) if isinstance(value, list) else [value]
    good = all(isinstance(v, int) and not isinstance(v, bool) and v > 0 for v in items)
    if not good or not 1 <= len(items) <= 2:
        r.error("sessions", f"expected one or two session numbers such as [235, 236], got {describe(value)}")
        return ()
    if len(items) == 2 and items[1] <= items[0]:
        r.error("sessions", f"the second session must follow the first, got {items[0]} then {items[1]}")
    return tuple(items)


def _dates(r: _Reader) -> DateRange | None:
    found = r.find("dates")
    if found is None:
        return None
    value = found[0]
    if isinstance(value, Mapping):
        extra = [k for k in value if k not in ("from", "to")]
        for k in extra:
            r.error("dates", f"unknown key {k!r}: expected 'from' and 'to'", value, k)
        if "from" not in value:
            r.error("dates", "missing 'from' (first day of the meeting)")
            return None
        start = _date(r, "dates", value["from"], value, "from")
        end = _date(r, "dates", value.get("to", value["from"]), value, "to" if "to" in value else "from")
    else:
        start = end = _date(r, "dates", value)
    if start is None or end is None:
        return None
    if end < start:
        r.error("dates", f"the range ends ({end}) before it starts ({start})")
        return None
    return DateRange(start, end)


def _paths(r: _Reader, key: str) -> tuple[Path, ...] | None:
    found = r.find(key)
    if found is None:
        return None
    value = found[0]
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        r.error(key, f"expected a list of file paths, got {describe(value)}")
        return None
    return tuple(Path(str(v).strip()) for v in value)


def _summary(r: _Reader) -> Summary:
    found = r.find("summary")
    if found is None:
        return Summary()
    value = found[0]
    if not isinstance(value, Mapping):
        r.error("summary", f"expected a mapping with 'purpose' and 'action', got {describe(value)}")
        return Summary()
    parts: dict[str, str] = {}
    for k in value:
        line = value_line(value, k)
        r.lines[f"summary.{k}"] = (found[1].path, line)
        if line is not None and is_block_scalar(value[k]):
            # Where the Markdown's first line is, so its problems get their own lines.
            blank = value[k][: len(value[k]) - len(value[k].lstrip())].count("\n")
            r.lines[f"summary.{k}.text"] = (found[1].path, line + 1 + blank)
        if k not in ("purpose", "action"):
            r.error("summary", f"unknown key {k!r}{did_you_mean(k, ['purpose', 'action'])}", value, k)
        elif (text := _text(value[k])) is None:
            r.error("summary", f"{k}: expected Markdown text, got {describe(value[k])}", value, k)
        else:
            parts[k] = text
    return Summary(**parts)


def _annex(r: _Reader) -> AnnexSettings:
    found = r.find("annex")
    if found is None:
        return AnnexSettings()
    value = found[0]
    if value is False:
        return AnnexSettings(enabled=False)
    if not isinstance(value, Mapping):
        r.error("annex", f"expected a mapping (title, order, include) or false, got {describe(value)}")
        return AnnexSettings()
    settings: dict[str, Any] = {}
    for k in value:
        if k not in ("title", "order", "include"):
            r.error("annex", f"unknown key {k!r}{did_you_mean(k, ['title', 'order', 'include'])}", value, k)
    if "title" in value:
        if _text(value["title"]) is None:
            r.error("annex", f"title: expected text, got {describe(value['title'])}", value, "title")
        else:
            settings["title"] = _text(value["title"])
    if "order" in value:
        order = value["order"]
        order = [order] if isinstance(order, str) else order
        if not isinstance(order, list) or not order:
            r.error(
                "annex", f"order: expected a list of keys from {', '.join(ANNEX_ORDER_KEYS)}", value, "order"
            )
        else:
            for i, k in enumerate(order):
                if (problem := unknown_choice(k, ANNEX_ORDER_KEYS)) is not None:
                    r.error("annex", f"order: {problem}", order, i)
            settings["order"] = tuple(str(k) for k in order)
    if "include" in value:
        include = value["include"]
        if not isinstance(include, Mapping):
            r.error(
                "annex", f"include: expected a mapping with keys {', '.join(ANNEX_FILTERS)}", value, "include"
            )
        else:
            filters = {}
            for k, v in include.items():
                if k not in ANNEX_FILTERS:
                    r.error(
                        "annex", f"include: unknown filter {k!r}{did_you_mean(k, ANNEX_FILTERS)}", include, k
                    )
                    continue
                items = [v] if isinstance(v, str) else v
                if not isinstance(items, list) or not all(isinstance(i, str) for i in items):
                    r.error("annex", f"include.{k}: expected a list of keys", include, k)
                    continue
                filters[str(k)] = tuple(str(i) for i in items)
            settings["include"] = filters
    return AnnexSettings(**settings)


def read_symbol(path: Path, data: Any = None) -> DocumentSymbol:
    """The symbol (``reference``) of the metadata file ``path``, the other keys unchecked.

    For commands that need the symbol alone (serial allocation, ``revise``). ``data`` is the
    file's content when the caller has loaded it already. Raises :class:`WcodocError` at the
    line of ``reference`` when it is missing or not a symbol.
    """
    if data is None:
        data = load_yaml(path)
    reference = data.get("reference") if isinstance(data, Mapping) else None
    if reference is None:
        raise WcodocError("missing required key 'reference'", path, 1)
    try:
        return DocumentSymbol.parse(str(reference))
    except ValueError as exc:
        raise WcodocError(f"reference: {exc}", path, value_line(data, "reference")) from None


def _translation(r: _Reader, values: dict[str, Any]) -> None:
    """``translation_of`` (the original's folder name) and ``follows`` (its version)."""
    if (found := r.find("translation_of")) is not None:
        text = _text(found[0])
        if not text or "/" in text.strip("/") or text in (".", ".."):
            r.error("translation_of", f"expected the original's folder name, got {describe(found[0])}")
        else:
            values["translation_of"] = text.strip("/")
    if (found := r.find("follows")) is not None:
        try:
            values["follows"] = DocumentSymbol.parse(str(found[0]))
        except ValueError as exc:
            r.error("follows", str(exc))


PLACEHOLDERS = {"reference": "PC0001Ea", "title": "(title)", "issued": dt.date(2000, 1, 1)}
"""Stand-in values of required keys for :func:`salvage_meta` (never printed: the build stops)."""


def salvage_meta(layers: Sequence[Layer], problems: Sequence[Problem]) -> DocumentMeta | None:
    """Metadata to go on checking the body with after ``problems`` were found in ``layers``.

    The keys the problems name are dropped (required ones replaced by placeholders) so that
    one run reports the chapters' and use cases' mistakes too, not only the metadata's. The
    caller must still fail on ``problems``. ``None`` when even that cannot be read.
    """
    bad = {p.message.split(":", 1)[0].split(".")[0] for p in problems}
    cleaned = []
    for layer in layers:
        if not isinstance(layer.data, Mapping):
            return None
        kept = {k: v for k, v in layer.data.items() if k in layer.keys and k not in bad}
        cleaned.append(Layer(layer.path, kept, layer.keys))
    missing = {k: v for k, v in PLACEHOLDERS.items() if all(k not in layer.data for layer in cleaned)}
    last = cleaned[-1]
    cleaned[-1] = Layer(last.path, {**missing, **last.data}, last.keys)
    scratch = Problems()
    meta = read_meta(cleaned, scratch)
    return meta if not scratch.errors else None


def read_meta(layers: Sequence[Layer], problems: Problems) -> DocumentMeta | None:
    """Validate metadata ``layers`` (most specific last) into a :class:`DocumentMeta`.

    Problems are appended to ``problems``; ``None`` is returned when any error was found.
    """
    before = len(problems.errors)
    for layer in layers:
        if not isinstance(layer.data, Mapping):
            problems.error(
                "expected a mapping of keys such as 'reference: PC0685Ea'", layer.path, 1, code="meta"
            )
            return None
        _check_unknown_keys(layer, problems)
    r = _Reader(layers, problems)
    values: dict[str, Any] = {}
    for key in REQUIRED_KEYS:
        if r.find(key) is None:
            problems.error(f"missing required key {key!r}", layers[-1].path, 1, code="meta")

    if (found := r.find("reference")) is not None:
        try:
            values["symbol"] = DocumentSymbol.parse(str(found[0]))
        except ValueError as exc:
            r.error("reference", str(exc))
    for key in ("title", "subtitle", "place", "agenda_item", "author"):
        if (found := r.find(key)) is not None:
            text = _text(found[0])
            if text is None or (key == "title" and not text):
                r.error(key, f"expected text, got {describe(found[0])}")
            else:
                values[key] = text
    if (found := r.find("issued")) is not None:
        values["issued"] = _date(r, "issued", found[0])
    if (found := r.find("meeting")) is not None:
        if found[0] not in MEETINGS:
            r.error(
                "meeting",
                f"expected one of {', '.join(MEETINGS)}, got {describe(found[0])}"
                f"{did_you_mean(found[0], MEETINGS)}",
            )
        else:
            values["meeting"] = str(found[0])
    values["sessions"] = _sessions(r)
    values["dates"] = _dates(r)
    values["summary"] = _summary(r)
    values["chapters"] = _paths(r, "chapters")
    values["annexes"] = _paths(r, "annexes")
    values["annex"] = _annex(r)
    if (found := r.find("history")) is not None:
        hist = found[0]
        if not isinstance(hist, list) or not all(isinstance(h, str) for h in hist):
            r.error("history", f"expected a list of earlier symbols, got {describe(hist)}")
        else:
            values["history"] = tuple(str(h) for h in hist)
    _translation(r, values)

    if len(problems.errors) > before or any(values.get(k) is None for k in ("symbol", "title", "issued")):
        return None
    return DocumentMeta(**values, lines=dict(r.lines))
