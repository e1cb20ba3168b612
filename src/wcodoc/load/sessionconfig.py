"""Session folders: ``session.yaml`` values inherited by the documents below it.

A session folder holds ``session.yaml`` and one document project per subfolder. The keys
``sessions``, ``dates``, ``place`` and ``meeting`` are inherited by every document that does not
set them; ``committee``, ``language`` and ``register`` belong to the session alone and drive
serial allocation (:mod:`wcodoc.session.register`, which writes the register; it is read and
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
from wcodoc.load.symbol import LANGUAGES, DocumentSymbol
from wcodoc.load.yamlio import line_of, load_yaml, value_line

SESSION_YAML = "session.yaml"
TEMPLATES_DIR = "templates"
INHERITED_KEYS = ("sessions", "dates", "place", "meeting")
SESSION_KEYS = (*INHERITED_KEYS, "committee", "language", "register")
REGISTER_KEYS = ("symbol", "folder", "title", "allocated")


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


def _register_symbol(entry: Any) -> Any:
    return entry.get("symbol") if isinstance(entry, Mapping) else entry


def _read_register(data: Mapping[str, Any], path: Path, problems: Problems) -> list[RegisterEntry]:
    entries = data.get("register")
    if entries is None:
        return []
    if not isinstance(entries, list):
        problems.error(
            "register: expected a list of allocated symbols, e.g. [PC0686E]",
            path,
            value_line(data, "register"),
            code="session",
        )
        return []
    symbols = []
    for i, entry in enumerate(entries):
        line = line_of(entries, i)
        if isinstance(entry, Mapping):
            for key in entry:
                if key not in REGISTER_KEYS:
                    problems.error(
                        f"register: unknown key {key!r}{did_you_mean(key, REGISTER_KEYS)}",
                        path,
                        line_of(entry, key) or line,
                        code="session",
                    )
        raw = _register_symbol(entry)
        if raw is None:
            problems.error("register: entry without a 'symbol'", path, line, code="session")
            continue
        try:
            symbol = DocumentSymbol.parse(str(raw))
        except ValueError as exc:
            problems.error(f"register: {exc}", path, line, code="session")
            continue
        folder = entry.get("folder") if isinstance(entry, Mapping) else None
        title = entry.get("title") if isinstance(entry, Mapping) else None
        allocated = entry.get("allocated") if isinstance(entry, Mapping) else None
        symbols.append(RegisterEntry(i, symbol, _text(folder), _text(title), line, allocated))
    return symbols


def _text(value: Any) -> str | None:
    return str(value).strip() or None if value is not None else None


def read_session(path: Path, prefixes: Sequence[str] | None = None) -> Session:
    """Read and validate ``session.yaml`` at ``path``; raise one error listing every problem.

    ``prefixes`` are the known body prefixes (house style); ``None`` skips that check.
    Inherited keys (``sessions``, ``dates``…) are validated when a document is loaded.
    """
    path = Path(path)
    data = load_yaml(path)
    problems = Problems()
    if data is None:
        data = {}
    if not isinstance(data, Mapping):
        raise WcodocError("expected a mapping of keys such as 'committee: PC'", path, 1)
    for key in data:
        if key not in SESSION_KEYS:
            problems.error(
                f"unknown key {key!r}{did_you_mean(key, SESSION_KEYS)}",
                path,
                line_of(data, key),
                code="session",
            )
    committee = data.get("committee")
    if committee is not None:
        committee = str(committee).strip()
        if prefixes is not None and committee not in prefixes:
            problems.error(
                f"committee: unknown body prefix {committee!r}{did_you_mean(committee, prefixes)}; "
                f"known prefixes: {', '.join(prefixes)}",
                path,
                value_line(data, "committee"),
                code="session",
            )
    language = str(data.get("language", "E")).strip()
    if language not in LANGUAGES:
        problems.error(
            f"language: expected E or F, got {language!r}",
            path,
            value_line(data, "language"),
            code="session",
        )
    entries = tuple(_read_register(data, path, problems))
    problems.raise_if_errors()
    return Session(path, committee, language, tuple(e.symbol for e in entries), data, entries)


def load_session(start: Path, prefixes: Sequence[str] | None = None) -> Session | None:
    """The session enclosing ``start`` (a folder), or ``None`` outside any session folder."""
    path = find_session_file(start)
    return read_session(path, prefixes) if path is not None else None
