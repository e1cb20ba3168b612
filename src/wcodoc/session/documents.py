"""Status and parallel builds of a session's documents."""

from __future__ import annotations

import contextlib
import os
from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, ClassVar, Literal

from wcodoc.build import ALL, DEFAULT_FORMATS, build_project, formats_of, output_paths
from wcodoc.errors import Problem, WcodocError
from wcodoc.kinds import kind_of
from wcodoc.load.project import load_project
from wcodoc.load.sessionconfig import Session, find_session_file
from wcodoc.pdf import client, inflight
from wcodoc.pdf.warm import servers_for, warm_converters
from wcodoc.writes.built import OutputRecord


@dataclass(frozen=True)
class DocumentStatus:
    """One document of a session as ``wcodoc session list`` shows it."""

    root: Path
    project: Any = None
    """The loaded :class:`~wcodoc.load.project.Project`, or ``None`` when it failed to load."""
    error: WcodocError | None = None
    last_built: float | None = None
    """Modification time of the oldest existing output, ``None`` if never built."""
    fresh: bool = False
    """Whether the outputs that exist are newer than every input, and made from one another
    (not a PDF left from before a build stopped after the DOCX)."""
    missing: tuple[str, ...] = ()
    """Requested formats with no output yet."""
    edited: tuple[Path, ...] = ()
    """Outputs changed since the build that wrote them (a built DOCX edited in Word)."""

    @property
    def title(self) -> str:
        """The document's title as its kind gives it (a report's is made from its sessions)."""
        if self.project is None:
            return ""
        meta = self.project.meta
        return kind_of(meta).title(meta, self.project.style)

    @property
    def up_to_date(self) -> bool:
        """Every requested output exists, as built, newer than every input: nothing to build."""
        return self.fresh and not self.missing and not self.edited


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


def document_status(root: Path, formats: Sequence[str] = DEFAULT_FORMATS) -> DocumentStatus:
    """Load the project at ``root`` and compare its outputs with its inputs."""

    try:
        project = load_project(root)
    except WcodocError as error:
        return DocumentStatus(root, error=error)
    targets = output_paths(project, None)
    formats = formats_of(project, formats)
    times = {f: _mtime(targets[f]) for f in formats}
    missing = tuple(f for f, t in times.items() if t is None)
    built = [t for t in times.values() if t is not None]
    if not built:
        return DocumentStatus(root, project, missing=missing)
    newest_input = max((t for p in build_inputs(project) if (t := _mtime(p)) is not None), default=0.0)
    record = OutputRecord(targets[formats[0]].parent)
    fresh = min(built) > newest_input and not any(record.stale(targets[f]) for f in formats)
    edited = tuple(targets[f] for f in formats if record.edited(targets[f]))
    return DocumentStatus(root, project, last_built=min(built), fresh=fresh, missing=missing, edited=edited)


def session_status(session: Session, formats: Sequence[str] = DEFAULT_FORMATS) -> list[DocumentStatus]:
    """The status of every document of ``session``, in folder order."""
    return [document_status(root, formats) for root in session.document_roots()]


@dataclass(frozen=True)
class DocumentBuilt:
    """A document of the session built."""

    root: Path
    outputs: Mapping[str, Path]
    """Each format written → its file."""
    warnings: tuple[Problem, ...] = ()
    state: ClassVar[Literal["built"]] = "built"


@dataclass(frozen=True)
class DocumentSkipped:
    """A document left alone: its outputs are newer than all its inputs."""

    root: Path
    state: ClassVar[Literal["skipped"]] = "skipped"


@dataclass(frozen=True)
class DocumentFailed:
    """A document that could not be loaded or built."""

    root: Path
    error: WcodocError
    state: ClassVar[Literal["failed"]] = "failed"


DocumentBuild = DocumentBuilt | DocumentSkipped | DocumentFailed
"""The outcome of one document in ``wcodoc session build``; ``state`` names which."""


SessionProgress = Callable[[Path, str], None]


def _build_one(
    status: DocumentStatus, formats: Sequence[str], force: bool, progress: SessionProgress | None
) -> DocumentBuild:

    if status.error is not None:
        return DocumentFailed(status.root, status.error)
    if status.up_to_date and not force:
        return DocumentSkipped(status.root)

    def step(name: str) -> None:
        if progress is not None:
            progress(status.root, name)

    try:
        result = build_project(status.root, None, formats, progress=step, force=force)
    except WcodocError as error:
        return DocumentFailed(status.root, error)
    return DocumentBuilt(status.root, dict(result.outputs), tuple(result.warnings))


@dataclass(frozen=True)
class SessionBuild:
    """What ``wcodoc session build`` did: each document's outcome, and who made the PDFs."""

    documents: list[DocumentBuild]
    """In folder order."""
    converted: Mapping[str, int] = field(default_factory=dict)
    """PDF server (``host:port``) → the conversions it made."""
    started: bool = False
    """Whether those servers were started for this build (none answered)."""
    dropped: tuple[str, ...] = ()
    """Servers that failed during the build and were given up (their documents converted elsewhere)."""
    cold: int = 0
    """PDFs made by a LibreOffice started for the document (no server could)."""


def build_session(
    session: Session,
    formats: Sequence[str] = DEFAULT_FORMATS,
    *,
    jobs: int | None = None,
    force: bool = False,
    progress: SessionProgress | None = None,
    done: Callable[[DocumentBuild], None] | None = None,
) -> SessionBuild:
    """Build every document of ``session`` in parallel; a failure never stops the others.

    Documents whose outputs are newer than all their inputs are skipped unless ``force``,
    which also overwrites outputs edited since they were built.
    Threads are enough: the heavy work runs in pandoc and LibreOffice processes.
    ``progress(root, step)`` reports build stages, ``done(outcome)`` each finished document.

    PDFs go to the PDF servers of ``$WCODOC_PDF_SERVER`` that answer, the least busy first;
    when none answers, servers are started for the build and stopped after it
    (:func:`wcodoc.pdf.warm.servers_for`). Unless ``jobs`` says otherwise there are up to 4
    workers, and at least one per server. An interruption (Ctrl-C, or SIGTERM which the CLI
    turns into one) drops the documents not yet started and stops the conversions under way
    before it propagates.
    """
    roots = session.document_roots()
    workers = jobs or min(4, os.cpu_count() or 1)
    with contextlib.ExitStack() as warm:
        # Started before the documents are read (half a second for a dozen), so that they are
        # ready by the time the first DOCX is; stopped again if no document needs a PDF.
        may_convert = len(roots) > 1 and bool({"pdf", ALL} & set(formats))
        servers = warm.enter_context(
            warm_converters(servers_for(min(workers, len(roots))), wanted=may_convert)
        )
        statuses = session_status(session, formats)
        if servers is not None and not _converts(statuses, formats, force):
            warm.close()  # one PDF is made as a single build makes it
            servers = None
        if servers is not None and jobs is None:
            workers = max(workers, servers.count())
        outcomes = _build_all(statuses, formats, force, progress, done, workers, servers)
    if servers is None:
        return SessionBuild(outcomes)
    return SessionBuild(
        outcomes,
        {client.format_address(a): servers.converted[a] for a in servers.known},
        started=servers.started,
        dropped=tuple(client.format_address(a) for a in servers.dropped),
        cold=servers.cold,
    )


def _converts(statuses: list[DocumentStatus], formats: Sequence[str], force: bool) -> bool:
    """Whether two or more of the documents to build get a PDF (``all``: a project's own formats)."""
    building = [s for s in statuses if s.error is None and (force or not s.up_to_date)]
    return sum("pdf" in formats_of(s.project, formats) for s in building) > 1


def _build_all(
    statuses: list[DocumentStatus],
    formats: Sequence[str],
    force: bool,
    progress: SessionProgress | None,
    done: Callable[[DocumentBuild], None] | None,
    workers: int,
    servers: client.Servers | None,
) -> list[DocumentBuild]:
    outcomes: dict[Path, DocumentBuild] = {}
    pool = ThreadPoolExecutor(
        max_workers=max(1, workers), initializer=client.use_servers, initargs=(servers,)
    )
    try:
        futures = {pool.submit(_build_one, s, formats, force, progress): s.root for s in statuses}
        for future in as_completed(futures):
            outcome = future.result()
            outcomes[outcome.root] = outcome
            if done is not None:
                done(outcome)
    except BaseException:
        _stop(pool)
        raise
    pool.shutdown()
    return [outcomes[s.root] for s in statuses]


def _stop(pool: ThreadPoolExecutor) -> None:
    """Drop the documents not yet started, and stop those under way instead of waiting for them."""
    pool.shutdown(wait=False, cancel_futures=True)
    with inflight.stopping():
        pool.shutdown(wait=True)
