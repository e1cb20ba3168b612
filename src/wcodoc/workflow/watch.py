"""Rebuild a project whenever one of its sources is saved.

The DOCX comes first (seconds), the PDF after it (LibreOffice is the slow step), so the
Word file is ready to open while the PDF is still converting; a PDF server is kept warm for
the whole watch (:mod:`wcodoc.pdf.warm`). Errors are reported through the
callback and the watch goes on: a half-typed label must not stop it.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import ClassVar, Literal

import watchfiles

from wcodoc.build import ALL, DEFAULT_FORMATS, build_project, formats_of
from wcodoc.errors import WcodocError
from wcodoc.load.project import find_project_root, load_project
from wcodoc.pdf.warm import warm_converters

DEBOUNCE_MS = 300
IGNORED_DIRS = ("build", ".git", ".venv", "__pycache__")


@dataclass(frozen=True)
class FilesChanged:
    """Sources were saved; a rebuild follows."""

    paths: tuple[Path, ...]
    kind: ClassVar[Literal["changed"]] = "changed"


@dataclass(frozen=True)
class Built:
    """One format built."""

    fmt: str
    seconds: float
    kind: ClassVar[Literal["built"]] = "built"


@dataclass(frozen=True)
class BuildFailed:
    """One format failed to build (the formats after it are not tried)."""

    fmt: str
    seconds: float
    error: WcodocError
    kind: ClassVar[Literal["failed"]] = "failed"


WatchEvent = FilesChanged | Built | BuildFailed
"""One thing that happened: files changed, then each format built or failed; ``kind`` names it."""


def _relevant(change: watchfiles.Change, path: str) -> bool:
    parts = Path(path).parts
    if any(d in parts for d in IGNORED_DIRS) or Path(path).name.startswith((".", "~")):
        return False
    return path.endswith((".md", ".yaml", ".yml", ".docx", ".png", ".jpg", ".jpeg", ".gif", ".svg"))


def rebuild(
    project: Path,
    outdir: Path | None,
    formats: Iterable[str],
    report: Callable[[WatchEvent], None],
    force: bool = False,
) -> None:
    """Build each format in turn (``all``: the project's, read afresh: ``formats:`` may have
    changed), reporting its time or its error (``force``: overwrite outputs edited since they
    were built)."""
    formats = tuple(formats)
    if ALL in formats:
        try:
            formats = formats_of(load_project(project), formats)
        except WcodocError as error:
            report(BuildFailed(ALL, 0.0, error))
            return
    for fmt in formats:
        start = time.perf_counter()
        try:
            build_project(project, outdir, (fmt,), force=force)
        except WcodocError as error:
            report(BuildFailed(fmt, time.perf_counter() - start, error))
            return
        report(Built(fmt, time.perf_counter() - start))


def watch_project(
    path: Path,
    report: Callable[[WatchEvent], None],
    *,
    outdir: Path | None = None,
    formats: Iterable[str] = DEFAULT_FORMATS,
    stop: threading.Event | None = None,
    initial_build: bool = True,
    force: bool = False,
) -> None:
    """Watch the project at ``path`` and rebuild on every saved change until ``stop`` is set
    (``force``: overwrite outputs edited since they were built)."""
    root = find_project_root(Path(path)).resolve()
    formats = tuple(formats)
    # One PDF server kept warm (started now, replaced if its LibreOffice dies) for as long as
    # the watch lasts: every PDF after the first skips LibreOffice's start-up.
    with warm_converters(1, wanted=_makes_pdf(root, formats), restart=True):
        if initial_build:
            rebuild(root, outdir, formats, report, force)
        for changes in watchfiles.watch(
            root, watch_filter=_relevant, debounce=DEBOUNCE_MS, stop_event=stop, raise_interrupt=False
        ):
            paths = tuple(sorted({Path(p) for _, p in changes}))
            report(FilesChanged(paths))
            rebuild(root, outdir, formats, report, force)


def _makes_pdf(root: Path, formats: tuple[str, ...]) -> bool:
    """Whether a rebuild makes a PDF (``all``: the project's formats; a project that does not
    load now may well ask for one once fixed)."""
    if ALL in formats:
        try:
            formats = formats_of(load_project(root), formats)
        except WcodocError:
            return True
    return "pdf" in formats
