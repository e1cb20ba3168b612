"""Document metadata: ``document.yaml`` validated into a :class:`DocumentMeta`.

Every problem of the file is collected in one run and reported with its line. Values may be
inherited from an enclosing ``session.yaml`` (see :mod:`wcodoc.load.sessionconfig`): validation works on
*layers*, most specific last, and a message names the file that holds the bad value.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from wcodoc.errors import Problem, Problems, WcodocError
from wcodoc.load.kinds import DEFAULT_KIND, KIND_SCHEMAS, KindSchema
from wcodoc.load.messages import describe
from wcodoc.load.schema import (
    Choice,
    Date,
    Fields,
    KeyLines,
    OneOf,
    Parsed,
    Shape,
    Spot,
    Text,
    Texts,
    from_yaml,
    trimmed,
    yaml_fields,
)
from wcodoc.load.symbol import DocumentSymbol
from wcodoc.load.yamlio import line_of, load_yaml, value_line

DOCUMENT_YAML = "document.yaml"
"""The file that makes a folder a document project, and holds its metadata."""
CODE = "meta"
MEETINGS = ("in-person", "hybrid", "virtual", "document-based")
ANNEX_ORDER_KEYS = ("file", "technology", "member", "region", "status", "year", "title", "id")
ANNEX_FILTERS = ("ids", "technologies", "regions", "statuses")
OUTPUT_FORMATS = ("docx", "pdf", "html")
"""The formats ``formats:`` may name: one writer each in ``build.WRITERS`` (a test checks that
the two agree; the loader cannot import the build)."""
YEARS = range(1952, 2108)
"""Years a date may have: from the Customs Co-operation Council to the last year a zip (DOCX)
file can date its entries."""


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


# --- the shapes of the values ------------------------------------------------------------------


class _Sessions(Shape):
    """One or two session numbers, the second after the first: ``[235, 236]``."""

    def check(self, value: Any, base: Any, at: Spot) -> Any:
        items = list(value) if isinstance(value, list) else [value]
        good = all(isinstance(v, int) and not isinstance(v, bool) and v > 0 for v in items)
        if not good or not 1 <= len(items) <= 2:
            at.error(f"expected one or two session numbers such as [235, 236], got {describe(value)}")
            return ()
        if len(items) == 2 and items[1] <= items[0]:
            at.error(f"the second session must follow the first, got {items[0]} then {items[1]}")
        return tuple(items)


_DAY = Date(YEARS)
_DAYS = Fields(
    {"from": _DAY, "to": _DAY},
    required=("from",),
    unknown="unknown key {key}: expected 'from' and 'to'",
    missing="missing {key} (first day of the meeting)",
)


class _Dates(Shape):
    """One day, or ``{from: …, to: …}``; a range may not end before it starts."""

    def check(self, value: Any, base: Any, at: Spot) -> Any:
        if isinstance(value, Mapping):
            days = _DAYS.check(value, None, at)
            start, end = days.get("from"), days.get("to", days.get("from"))
        else:
            start = end = _DAY.check(value, None, at)
        if start is None or end is None:
            return None
        if end < start:
            at.error(f"the range ends ({end}) before it starts ({start})")
            return None
        return DateRange(start, end)


_TEXT = Text(numbers=True, clean=trimmed)
_MARKDOWN = Text(numbers=True, clean=trimmed, what="Markdown text")
_SUMMARY = Fields(
    {"purpose": _MARKDOWN, "action": _MARKDOWN},
    expected="expected a mapping with 'purpose' and 'action', got {got}",
    unknown="unknown key {key}{hint}",
    into=Summary,
)
_ANNEX_FIELDS = Fields(
    {
        "title": _TEXT,
        "order": Texts(
            f"expected a list of keys from {', '.join(ANNEX_ORDER_KEYS)}",
            single=True,
            empty=False,
            item=Choice(ANNEX_ORDER_KEYS, noun="key"),
        ),
        "include": Fields(
            {name: Texts("expected a list of keys", single=True) for name in ANNEX_FILTERS},
            expected=f"expected a mapping with keys {', '.join(ANNEX_FILTERS)}",
            unknown="unknown filter {key}{hint}",
        ),
    },
    expected="expected a mapping (title, order, include) or false, got {got}",
    unknown="unknown key {key}{hint}",
    into=AnnexSettings,
)


class _Annex(Shape):
    """``false`` (no annex of use cases), or how to assemble it."""

    def check(self, value: Any, base: Any, at: Spot) -> Any:
        return AnnexSettings(enabled=False) if value is False else _ANNEX_FIELDS.check(value, base, at)


def _symbol(value: Any) -> DocumentSymbol:
    return DocumentSymbol.parse(str(value))


def _folder_name(value: Any) -> str:
    """The original's folder, beside the translation's: one name, no path."""
    text = str(value).strip() if isinstance(value, (str, int, float)) and not isinstance(value, bool) else ""
    if not text or "/" in text.strip("/") or text in (".", ".."):
        raise ValueError(f"expected the original's folder name, got {describe(value)}")
    return text.strip("/")


# --- document.yaml -----------------------------------------------------------------------------


@dataclass(frozen=True, kw_only=True)
class DocumentMeta:
    """Metadata of one document: each field is a key of ``document.yaml``, with its shape.

    The fields are the one list of the file's keys; a kind (:mod:`wcodoc.load.kinds`) says
    which it requires and which it has no use for.
    """

    symbol: DocumentSymbol = from_yaml(Parsed(_symbol), name="reference")
    """The document symbol (``reference``), e.g. ``PC0685Ea``."""
    kind: str = from_yaml(OneOf(KIND_SCHEMAS), default=DEFAULT_KIND)
    """The kind of document (:mod:`wcodoc.kinds`): its cover, header and footer, generated blocks."""
    title: str = from_yaml(Text(numbers=True, clean=trimmed, blank=False), default="")
    """Title, printed in capitals on the cover."""
    subtitle: str | None = from_yaml(_TEXT, default=None)
    meeting: str = from_yaml(OneOf(MEETINGS), default="in-person")
    """``in-person`` (no line on the cover), ``hybrid``, ``virtual`` or ``document-based``."""
    sessions: tuple[int, ...] = from_yaml(_Sessions(), default=())
    """One or two session numbers."""
    dates: DateRange | None = from_yaml(_Dates(), default=None)
    place: str = from_yaml(_TEXT, default="Brussels")
    issued: dt.date = from_yaml(_DAY)
    """Date of issue, printed as ``Brussels, 7 March 2022.``; also the document's dates."""
    agenda_item: str | None = from_yaml(_TEXT, default=None)
    summary: Summary = from_yaml(_SUMMARY, default_factory=Summary)
    chapters: tuple[Path, ...] | None = from_yaml(
        Texts("expected a list of file paths, got {got}", blank=False, into=Path), default=None
    )
    """Chapter files relative to the project, or ``None`` for ``chapters/*.md`` in name order."""
    annexes: tuple[Path, ...] | None = from_yaml(
        Texts("expected a list of file paths, got {got}", blank=False, into=Path), default=None
    )
    """Use-case files relative to the project, or ``None`` for ``annexes/use-cases/*.md``."""
    annex: AnnexSettings = from_yaml(_Annex(), default_factory=AnnexSettings)
    history: tuple[str, ...] = from_yaml(Texts("expected a list of earlier symbols, got {got}"), default=())
    """Symbols of earlier drafts, oldest first (kept by ``wcodoc revise``)."""
    formats: tuple[str, ...] | None = from_yaml(
        Texts(
            "expected a list of formats such as [docx, pdf, html], got {got}",
            single=True,
            empty=False,
            item=Choice(OUTPUT_FORMATS, noun="format"),
            unique=True,
        ),
        default=None,
    )
    """What ``wcodoc build --format all`` (the default) writes; ``None``: the DOCX and the PDF."""
    author: str = from_yaml(_TEXT, default="World Customs Organization")
    """Author written into the document properties."""
    translation_of: str | None = from_yaml(Parsed(_folder_name), default=None)
    """For a translation: the original's folder, beside this one (``smart-customs``)."""
    follows: DocumentSymbol | None = from_yaml(Parsed(_symbol), default=None)
    """For a translation: the original's version it is up to date with (``PC0701Eb``)."""
    lines: Mapping[str, tuple[Path, int | None]] = field(default_factory=dict, compare=False, repr=False)
    """Where each key was set: file and line, for later messages."""

    @property
    def locale(self) -> str:
        return self.symbol.locale


DOCUMENT_FIELDS = yaml_fields(DocumentMeta)
"""Each key of ``document.yaml`` → the field of :class:`DocumentMeta` it fills, and its shape."""
DOCUMENT_KEYS = tuple(DOCUMENT_FIELDS)
_KEYS = Fields({}, unknown="unknown key {key}{hint}")
"""How an unknown key of ``document.yaml`` or ``session.yaml`` is reported."""


@cache
def kind_keys(kind: KindSchema) -> tuple[str, ...]:
    """The keys a document of ``kind`` may set."""
    return tuple(key for key in DOCUMENT_KEYS if key not in kind.omits)


@dataclass(frozen=True)
class Layer:
    """One metadata file's mapping (``session.yaml`` or ``document.yaml``)."""

    path: Path
    data: Mapping[str, Any]
    keys: Sequence[str] | None = None
    """The keys this layer may set (others are reported as unknown); ``None``: a document's."""

    def allows(self, key: Any, kind: KindSchema) -> bool:
        return key in (self.keys if self.keys is not None else kind_keys(kind))


def _find(layers: Sequence[Layer], key: str) -> tuple[Any, Layer] | None:
    """The value of ``key`` in the most specific layer that sets it."""
    for layer in reversed(layers):
        if key in layer.data:
            return layer.data[key], layer
    return None


def _spot(layer: Layer, key: str, problems: Problems, lines: KeyLines | None = None) -> Spot:
    line = value_line(layer.data, key)
    return Spot(layer.path, (key,), line, problems, CODE, colon=True, lines=lines)


def _kind(layers: Sequence[Layer], problems: Problems) -> KindSchema:
    """The kind ``layers`` name (the default when they name none, or an unknown one)."""
    # Only document.yaml names the kind: a session holds documents of several kinds.
    found = _find([layer for layer in layers if layer.keys is None or "kind" in layer.keys], "kind")
    if found is None:
        return KIND_SCHEMAS[DEFAULT_KIND]
    value, layer = found
    name = DOCUMENT_FIELDS["kind"][1].check(value, None, _spot(layer, "kind", problems))
    return KIND_SCHEMAS[name or DEFAULT_KIND]


def _check_unknown_keys(layer: Layer, kind: KindSchema, problems: Problems) -> None:
    for key in layer.data:
        if layer.allows(key, kind):
            continue
        if layer.keys is None and key in DOCUMENT_KEYS:
            message = f"unknown key {key!r} in a document of kind {kind.name!r}"
        else:
            message = _KEYS.unknown_key(key, layer.keys if layer.keys is not None else kind_keys(kind))
        problems.error(message, layer.path, line_of(layer.data, key), code=CODE)


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


PLACEHOLDERS = {
    "reference": "PC0001Ea",
    "title": "(title)",
    "issued": dt.date(2000, 1, 1),
    "sessions": [1],
    "dates": dt.date(2000, 1, 1),
}
"""Stand-in values of required keys for :func:`salvage_meta` (never printed: the build stops).
A kind that requires another key needs a stand-in for it here."""


def salvage_meta(layers: Sequence[Layer], problems: Sequence[Problem]) -> DocumentMeta | None:
    """Metadata to go on checking the body with after ``problems`` were found in ``layers``.

    The keys the problems name are dropped (required ones replaced by placeholders) so that
    one run reports the chapters' and use cases' mistakes too, not only the metadata's. The
    caller must still fail on ``problems``. ``None`` when even that cannot be read.
    """
    if not all(isinstance(layer.data, Mapping) for layer in layers):
        return None
    bad = {p.message.split(":", 1)[0].split(".")[0] for p in problems}
    kind = KIND_SCHEMAS[DEFAULT_KIND] if "kind" in bad else _kind(layers, Problems())
    cleaned = []
    for layer in layers:
        kept = {k: v for k, v in layer.data.items() if layer.allows(k, kind) and k not in bad}
        cleaned.append(Layer(layer.path, kept, layer.keys))
    missing = {
        k: PLACEHOLDERS[k]
        for k in kind.required
        if k in PLACEHOLDERS and all(k not in layer.data for layer in cleaned)
    }
    last = cleaned[-1]
    cleaned[-1] = Layer(last.path, {**missing, **last.data}, last.keys)
    scratch = Problems()
    meta = read_meta(cleaned, scratch)
    return meta if not scratch.errors else None


def read_meta(layers: Sequence[Layer], problems: Problems) -> DocumentMeta | None:
    """Validate metadata ``layers`` (most specific last) into a :class:`DocumentMeta`.

    Each key is read from the most specific layer that sets it, and a message names that
    layer's file. Problems are appended to ``problems``; ``None`` is returned when any error
    was found.
    """
    before = len(problems.errors)
    for layer in layers:
        if not isinstance(layer.data, Mapping):
            problems.error(
                "expected a mapping of keys such as 'reference: PC0685Ea'", layer.path, 1, code=CODE
            )
            return None
    kind = _kind(layers, problems)
    for layer in layers:
        _check_unknown_keys(layer, kind, problems)
    lines: KeyLines = {}
    values: dict[str, Any] = {"kind": kind.name}
    for key in kind_keys(kind):
        found = _find(layers, key)
        if found is None:
            if key in kind.required:
                problems.error(f"missing required key {key!r}", layers[-1].path, 1, code=CODE)
            continue
        value, layer = found
        at = _spot(layer, key, problems, lines)
        at.record(value)
        if key != "kind":
            name, shape = DOCUMENT_FIELDS[key]
            values[name] = shape.check(value, None, at)
    if len(problems.errors) > before:
        return None
    return DocumentMeta(**values, lines=lines)
