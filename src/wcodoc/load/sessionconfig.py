"""Session folders: ``session.yaml`` values inherited by the documents below it.

A session folder holds ``session.yaml`` and one document project per subfolder. The keys
``sessions``, ``dates``, ``place`` and ``meeting`` are inherited by every document that does not
set them; ``committee``, ``language``, ``first_serial`` and ``register`` belong to the session
alone and drive serial allocation (:mod:`wcodoc.session.register`, which writes the register; it is read and
validated here with the rest of the file).
"""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from wcodoc.errors import Problems, WcodocError
from wcodoc.load.messages import did_you_mean
from wcodoc.load.metadata import DOCUMENT_YAML, Layer
from wcodoc.load.schema import Anything, Fields, OneOf, Parsed, Shape, Spot, check_shape
from wcodoc.load.symbol import LANGUAGES, MAX_SERIAL, DocumentSymbol
from wcodoc.load.yamlio import load_yaml

SESSION_YAML = "session.yaml"
TEMPLATES_DIR = "templates"
INHERITED_KEYS = ("sessions", "dates", "place", "meeting")
REGISTER_KEYS = ("symbol", "folder", "title", "allocated")
PREFIXES = "prefixes"
"""The name under which the house style's body prefixes are given to the check."""
DEFAULT_LANGUAGE = "E"


def find_session_file(start: Path) -> Path | None:
    """The nearest ``session.yaml`` in ``start``'s parents (like git finds its repository)."""
    for folder in [Path(start).resolve(), *Path(start).resolve().parents]:
        candidate = folder / SESSION_YAML
        if candidate.is_file():
            return candidate
    return None


def session_layers(project_root: Path) -> list[Layer]:
    """Metadata layers a project inherits from its session folder (empty outside one)."""
    path = find_session_file(project_root.parent)
    if path is None:
        return []
    # The whole mapping is kept (for its line numbers); only inherited keys are ever read.
    # Unknown keys are reported by wcodoc.load.metadata against SESSION_KEYS, naming session.yaml.
    return [Layer(path, load_yaml(path) or {}, keys=SESSION_KEYS)]


def session_templates(project_root: Path) -> Path | None:
    """The ``templates/`` folder beside ``session.yaml``, whose house-style files apply to every
    document of the session (a document's own ``templates/`` wins over it); ``None`` if absent."""
    path = find_session_file(project_root.parent)
    folder = path.parent / TEMPLATES_DIR if path is not None else None
    return folder if folder is not None and folder.is_dir() else None


@dataclass(frozen=True)
class Session:
    """A session folder: where it is, its validated settings, and the raw mapping."""

    path: Path
    """The ``session.yaml`` file."""
    committee: str | None
    """Body prefix (``PC``) whose serials this session allocates; ``None`` if not set."""
    language: str
    """Default language letter of new documents (``E`` unless set)."""
    register: tuple[DocumentSymbol, ...]
    """Symbols already allocated (serial and language), in the order they were recorded."""
    data: Mapping[str, Any]
    entries: tuple[RegisterEntry, ...] = ()
    """The register as written, one entry per item (reserved entries have no folder)."""
    first_serial: int | None = None
    """The lowest serial ``wcodoc new`` hands out (``720``: the session's documents are
    ``PC0720E`` on), when the body's serials run on from earlier sessions."""

    @property
    def root(self) -> Path:
        return self.path.parent

    def document_roots(self) -> list[Path]:
        """The document projects of the session: subfolders holding ``document.yaml``."""
        return sorted(p.parent for p in self.root.glob(f"*/{DOCUMENT_YAML}") if p.is_file())

    def misplaced_roots(self) -> list[Path]:
        """Projects deeper in the session folder than its direct subfolders (inside another
        document's folder, or in a folder of folders): ``session build`` never sees them."""
        found = []
        for folder, dirs, files in os.walk(self.root):
            dirs[:] = sorted(d for d in dirs if not d.startswith(".") and d != "build")
            depth = len(Path(folder).relative_to(self.root).parts)
            if depth >= 2 and DOCUMENT_YAML in files:
                found.append(Path(folder))
        return found

    def reserved(self) -> list[RegisterEntry]:
        """Register entries without a folder: serials reserved by hand, not yet claimed."""
        return [e for e in self.entries if not e.folder]


@dataclass(frozen=True)
class RegisterEntry:
    """One item of ``register``: a symbol handed out, and the folder that holds it (if any)."""

    index: int
    """Position in the ``register`` list (for edits)."""
    symbol: DocumentSymbol
    folder: str | None
    title: str | None
    line: int | None
    allocated: Any = None
    """The ``allocated`` date as written, if any."""


class _Committee(Shape):
    """The body prefix whose serials the session hands out, one of the house style's."""

    def check(self, value: Any, base: Any, at: Spot) -> Any:
        if value is None:
            return None
        committee = str(value).strip()
        prefixes = at.choices.get(PREFIXES)
        if prefixes is not None and committee not in prefixes:
            at.error(
                f"unknown body prefix {committee!r}{did_you_mean(committee, prefixes)}; "
                f"known prefixes: {', '.join(prefixes)}"
            )
        return committee


_ENTRY = Fields(dict.fromkeys(REGISTER_KEYS, Anything()), unknown="unknown key {key}{hint}")


class _Register(Shape):
    """The symbols handed out: ``PC0686E``, or ``{symbol: …, folder: …, title: …, allocated: …}``."""

    def check(self, value: Any, base: Any, at: Spot) -> Any:
        if value is None:
            return ()
        if not isinstance(value, list):
            at.error("expected a list of allocated symbols, e.g. [PC0686E]")
            return ()
        entries = (self._entry(value, i, at.item(value, i)) for i in range(len(value)))
        return tuple(entry for entry in entries if entry is not None)

    @staticmethod
    def _entry(register: list, index: int, at: Spot) -> RegisterEntry | None:
        item = register[index]
        fields = _ENTRY.check(item, None, at) if isinstance(item, Mapping) else {"symbol": item}
        if fields.get("symbol") is None:
            at.error("entry without a 'symbol'")
            return None
        try:
            symbol = DocumentSymbol.parse(str(fields["symbol"]))
        except ValueError as exc:
            at.error(str(exc))
            return None
        folder, title = _text(fields.get("folder")), _text(fields.get("title"))
        return RegisterEntry(index, symbol, folder, title, at.line, fields.get("allocated"))


def _text(value: Any) -> str | None:
    return str(value).strip() or None if value is not None else None


def serial_number(value: Any) -> int:
    """A serial as ``first_serial`` gives it: a whole number from 1 to 9999."""
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= MAX_SERIAL:
        raise ValueError(f"expected a serial from 1 to {MAX_SERIAL}, such as 720, got {value!r}")
    return value


SESSION = Fields(
    {
        # A document reads these, with their shapes (wcodoc.load.metadata.DocumentMeta).
        **dict.fromkeys(INHERITED_KEYS, Anything()),
        "committee": _Committee(),
        "language": OneOf(tuple(LANGUAGES)),
        "register": _Register(),
        "first_serial": Parsed(serial_number),
    },
    unknown="unknown key {key}{hint}",
)
"""``session.yaml``: values its documents inherit, and what the session alone holds."""
SESSION_KEYS = tuple(SESSION.fields)


def read_session(path: Path, prefixes: Sequence[str] | None = None) -> Session:
    """Read and validate ``session.yaml`` at ``path``; raise one error listing every problem.

    ``prefixes`` are the known body prefixes (house style); ``None`` skips that check.
    Inherited keys (``sessions``, ``dates``…) are validated when a document is loaded.
    """
    path = Path(path)
    data = load_yaml(path)
    if data is None:
        data = {}
    if not isinstance(data, Mapping):
        raise WcodocError("expected a mapping of keys such as 'committee: PC'", path, 1)
    problems = Problems()
    choices = {PREFIXES: prefixes} if prefixes is not None else {}
    values = check_shape(data, SESSION, path, problems, code="session", choices=choices)
    problems.raise_if_errors()
    entries = values.get("register", ())
    language = values.get("language", DEFAULT_LANGUAGE)
    symbols = tuple(e.symbol for e in entries)
    return Session(
        path, values.get("committee"), language, symbols, data, entries, values.get("first_serial")
    )


def load_session(start: Path, prefixes: Sequence[str] | None = None) -> Session | None:
    """The session enclosing ``start`` (a folder), or ``None`` outside any session folder."""
    path = find_session_file(start)
    return read_session(path, prefixes) if path is not None else None
