"""Session folders: ``session.yaml`` values inherited by the documents below it.

A session folder holds ``session.yaml`` and one document project per subfolder. The keys
``sessions``, ``dates``, ``place`` and ``meeting`` are inherited by every document that does not
set them; ``committee``, ``language`` and ``register`` belong to the session alone and drive
serial allocation (:mod:`wcodoc.newdoc`). The register lists every symbol handed out, so a
serial is never given twice even when its folder was deleted or renamed.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
from collections.abc import Callable, Iterator, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from wcodoc.errors import Problems, WcodocError
from wcodoc.meta import Layer, did_you_mean
from wcodoc.symbol import LANGUAGES, DocumentSymbol
from wcodoc.yamlio import line_of, load_yaml, value_line

SESSION_YAML = "session.yaml"
DOCUMENT_YAML = "document.yaml"
LOCK_SUFFIX = ".lock"
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
    # Unknown keys are reported by wcodoc.meta against SESSION_KEYS, naming session.yaml.
    return [Layer(path, load_yaml(path) or {}, keys=SESSION_KEYS)]


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

    @property
    def root(self) -> Path:
        return self.path.parent

    def document_roots(self) -> list[Path]:
        """The document projects of the session: subfolders holding ``document.yaml``."""
        return sorted(p.parent for p in self.root.glob(f"*/{DOCUMENT_YAML}") if p.is_file())


def _register_symbol(entry: Any) -> Any:
    return entry.get("symbol") if isinstance(entry, Mapping) else entry


def _read_register(data: Mapping[str, Any], path: Path, problems: Problems) -> list[DocumentSymbol]:
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
                        path, line_of(entry, key) or line, code="session",
                    )
        raw = _register_symbol(entry)
        if raw is None:
            problems.error("register: entry without a 'symbol'", path, line, code="session")
            continue
        try:
            symbols.append(DocumentSymbol.parse(str(raw)))
        except ValueError as exc:
            problems.error(f"register: {exc}", path, line, code="session")
    return symbols


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
                f"unknown key {key!r}{did_you_mean(key, SESSION_KEYS)}", path, line_of(data, key),
                code="session",
            )
    committee = data.get("committee")
    if committee is not None:
        committee = str(committee).strip()
        if prefixes is not None and committee not in prefixes:
            problems.error(
                f"committee: unknown body prefix {committee!r}{did_you_mean(committee, prefixes)}; "
                f"known prefixes: {', '.join(prefixes)}",
                path, value_line(data, "committee"), code="session",
            )
    language = str(data.get("language", "E")).strip()
    if language not in LANGUAGES:
        problems.error(
            f"language: expected E or F, got {language!r}", path, value_line(data, "language"),
            code="session",
        )
    register = _read_register(data, path, problems)
    problems.raise_if_errors()
    return Session(path, committee, language, tuple(register), data)


def load_session(start: Path, prefixes: Sequence[str] | None = None) -> Session | None:
    """The session enclosing ``start`` (a folder), or ``None`` outside any session folder."""
    path = find_session_file(start)
    return read_session(path, prefixes) if path is not None else None


@contextlib.contextmanager
def session_lock(session_file: Path) -> Iterator[None]:
    """Hold an exclusive lock on ``session.yaml.lock`` while the register is read and written.

    Two ``wcodoc new`` started at once would otherwise both read the same highest serial.
    The lock file stays behind (removing it would race with a waiting process).
    """
    lock_path = session_file.with_name(session_file.name + LOCK_SUFFIX)
    fd = os.open(lock_path, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        fcntl.flock(fd, fcntl.LOCK_UN)
        os.close(fd)


def document_symbol(root: Path) -> DocumentSymbol:
    """The symbol in ``root/document.yaml``, read without validating the rest of the file."""
    path = root / DOCUMENT_YAML
    data = load_yaml(path)
    reference = data.get("reference") if isinstance(data, Mapping) else None
    if reference is None:
        raise WcodocError("missing required key 'reference'", path, 1)
    try:
        return DocumentSymbol.parse(str(reference))
    except ValueError as exc:
        raise WcodocError(f"reference: {exc}", path, value_line(data, "reference")) from None


def used_serials(session: Session, prefix: str) -> set[int]:
    """Serials of body ``prefix`` taken by the session's documents or its register."""
    taken = {s.serial for s in session.register if s.prefix == prefix}
    for root in session.document_roots():
        symbol = document_symbol(root)
        if symbol.prefix == prefix:
            taken.add(symbol.serial)
    return taken


def next_serial(session: Session, prefix: str) -> int:
    """The next free serial: one more than the highest in use (``1`` when none is)."""
    return max(used_serials(session, prefix), default=0) + 1


# ---------------------------------------------------------------------------------------------
# Status and parallel builds of the session's documents


@dataclass(frozen=True)
class DocumentStatus:
    """One document of a session as ``wcodoc session list`` shows it."""

    root: Path
    project: Any = None
    """The loaded :class:`~wcodoc.project.Project`, or ``None`` when it failed to load."""
    error: WcodocError | None = None
    last_built: float | None = None
    """Modification time of the oldest existing output, ``None`` if never built."""
    fresh: bool = False
    """Whether the outputs that exist are newer than every input."""
    missing: tuple[str, ...] = ()
    """Requested formats with no output yet."""

    @property
    def up_to_date(self) -> bool:
        """Every requested output exists and is newer than every input: nothing to build."""
        return self.fresh and not self.missing


def build_inputs(project: Any) -> list[Path]:
    """Every file a build of ``project`` reads: sources, house style, inherited session values."""
    inputs = [*project.sources(), *project.style.files()]
    session_file = find_session_file(project.root.parent)
    return [*inputs, session_file] if session_file is not None else inputs


def _mtime(path: Path) -> float | None:
    try:
        return path.stat().st_mtime
    except OSError:
        return None


def document_status(root: Path, formats: Sequence[str] = ("docx", "pdf")) -> DocumentStatus:
    """Load the project at ``root`` and compare its outputs with its inputs."""
    from wcodoc.build import output_paths
    from wcodoc.project import load_project

    try:
        project = load_project(root)
    except WcodocError as error:
        return DocumentStatus(root, error=error)
    targets = output_paths(project, None)
    times = {f: _mtime(targets[f]) for f in formats}
    missing = tuple(f for f, t in times.items() if t is None)
    built = [t for t in times.values() if t is not None]
    if not built:
        return DocumentStatus(root, project, missing=missing)
    newest_input = max((t for p in build_inputs(project) if (t := _mtime(p)) is not None), default=0.0)
    fresh = min(built) > newest_input
    return DocumentStatus(root, project, last_built=min(built), fresh=fresh, missing=missing)


def session_status(session: Session, formats: Sequence[str] = ("docx", "pdf")) -> list[DocumentStatus]:
    """The status of every document of ``session``, in folder order."""
    return [document_status(root, formats) for root in session.document_roots()]


@dataclass(frozen=True)
class DocumentBuild:
    """The outcome of one document in ``wcodoc session build``."""

    root: Path
    state: str
    """``built``, ``skipped`` (outputs up to date) or ``failed``."""
    error: WcodocError | None = None
    outputs: Mapping[str, Path] | None = None
    warnings: tuple = ()


SessionProgress = Callable[[Path, str], None]


def _build_one(status: DocumentStatus, formats: Sequence[str], force: bool,
               progress: SessionProgress | None) -> DocumentBuild:
    from wcodoc.build import build_project

    if status.error is not None:
        return DocumentBuild(status.root, "failed", status.error)
    if status.up_to_date and not force:
        return DocumentBuild(status.root, "skipped")

    def step(name: str) -> None:
        if progress is not None:
            progress(status.root, name)

    try:
        result = build_project(status.root, None, formats, progress=step)
    except WcodocError as error:
        return DocumentBuild(status.root, "failed", error)
    return DocumentBuild(status.root, "built", outputs=dict(result.outputs), warnings=tuple(result.warnings))


def build_session(
    session: Session,
    formats: Sequence[str] = ("docx", "pdf"),
    *,
    jobs: int | None = None,
    force: bool = False,
    progress: SessionProgress | None = None,
    done: Callable[[DocumentBuild], None] | None = None,
) -> list[DocumentBuild]:
    """Build every document of ``session`` in parallel; a failure never stops the others.

    Documents whose outputs are newer than all their inputs are skipped unless ``force``.
    Threads are enough: the heavy work runs in pandoc and LibreOffice processes.
    ``progress(root, step)`` reports build stages, ``done(outcome)`` each finished document.
    """
    statuses = session_status(session, formats)
    workers = jobs or min(4, os.cpu_count() or 1)
    outcomes: dict[Path, DocumentBuild] = {}
    with ThreadPoolExecutor(max_workers=max(1, workers)) as pool:
        futures = {pool.submit(_build_one, s, formats, force, progress): s.root for s in statuses}
        for future in as_completed(futures):
            outcome = future.result()
            outcomes[outcome.root] = outcome
            if done is not None:
                done(outcome)
    return [outcomes[s.root] for s in statuses]
