"""Start a session folder: ``session.yaml``, a ``.gitignore`` and the session's ``templates/``.

The values are checked by the same validation documents get when they inherit them (so a
mistake reads the same as it would in a build), before anything is written.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from wcodoc.errors import Problems, WcodocError
from wcodoc.fsutil import atomic_write_bytes, os_errors_reported
from wcodoc.load.housestyle import HouseStyle
from wcodoc.load.messages import did_you_mean
from wcodoc.load.metadata import Layer, read_meta
from wcodoc.load.sessionconfig import (
    SESSION_KEYS,
    SESSION_YAML,
    TEMPLATES_DIR,
    find_session_file,
    read_session,
    serial_number,
)
from wcodoc.load.symbol import LANGUAGES, DocumentSymbol
from wcodoc.load.yamlio import parse_yaml, scalar_text
from wcodoc.writes.lock import locked

GITIGNORE = ".gitignore"
GITIGNORE_LINES = (
    "# wcodoc: outputs are rebuilt from the sources, locks are per machine",
    "build/",
    "*.lock",
    "*.tmp",
)


@dataclass(frozen=True)
class NewSession:
    """What ``wcodoc session init`` wrote."""

    root: Path
    written: tuple[Path, ...]


def session_yaml_text(
    committee: str,
    sessions: Sequence[int],
    start: dt.date,
    end: dt.date,
    place: str,
    meeting: str | None,
    language: str,
    first_serial: int | None = None,
) -> str:
    """The ``session.yaml`` of a new session, with comments that say what each key does."""
    numbers = ", ".join(str(n) for n in sessions)
    lines = [
        "# Shared facts of the session: every document below inherits sessions, dates, place and\n",
        "# meeting unless its own document.yaml sets them.\n",
        f"committee: {scalar_text(committee)}          # body whose serials `wcodoc new` hands out\n",
        f"sessions: [{numbers}]\n",
        f"dates: {{from: {start.isoformat()}, to: {end.isoformat()}}}\n",
        f"place: {scalar_text(place)}\n",
    ]
    if meeting:
        lines.append(
            f"meeting: {scalar_text(meeting)}          # in-person, hybrid, virtual, document-based\n"
        )
    lines.append(f"language: {language}              # language of new documents (E or F)\n")
    if first_serial is not None:
        lines.append(f"first_serial: {first_serial}        # the first serial `wcodoc new` hands out\n")
    lines.append("# templates/ beside this file: house-style files (reference.docx, labels-en.yaml, ...)\n")
    lines.append("# for every document; a document's own templates/ wins over them.\n")
    lines.append("# register: written by `wcodoc new`; add an entry without a folder to reserve a serial\n")
    return "".join(lines)


def _check(text: str, path: Path, committee: str, start: dt.date) -> None:
    """Every problem of the values, located in the ``session.yaml`` about to be written."""
    problems = Problems()
    data = parse_yaml(text, path)
    prefixes = HouseStyle().prefixes
    if committee not in prefixes:
        problems.error(
            f"--committee: unknown body prefix {committee!r}{did_you_mean(committee, prefixes)}; "
            f"known prefixes: {', '.join(prefixes)}"
        )
    probe = {"reference": str(DocumentSymbol(prefixes[0], 1, "E", None, "a")), "title": "x", "issued": start}
    read_meta([Layer(path, data, keys=SESSION_KEYS), Layer(path.parent / "document.yaml", probe)], problems)
    problems.raise_if_errors()


def ensure_gitignore(folder: Path) -> Path | None:
    """Write ``folder/.gitignore`` for build outputs and lock files when there is none.

    Returns the file written, ``None`` when one was already there (never changed).
    """
    path = folder / GITIGNORE
    if path.exists():
        return None
    atomic_write_bytes(path, ("\n".join(GITIGNORE_LINES) + "\n").encode("utf-8"))
    return path


@os_errors_reported("cannot create the session folder")
def create_session(
    folder: Path | str,
    *,
    committee: str,
    sessions: Sequence[int],
    start: dt.date,
    end: dt.date,
    place: str = "Brussels",
    meeting: str | None = None,
    language: str = "E",
    first_serial: int | None = None,
) -> NewSession:
    """Write ``session.yaml``, ``.gitignore`` and an empty ``templates/`` in ``folder``.

    Raises :class:`WcodocError` (nothing written) when ``folder`` already holds a session or
    lies inside one, or when a value is wrong. ``session.yaml`` is written last, under its
    lock: an interrupted ``session init`` is finished by running it again.
    """
    root = Path(folder).resolve()
    if root.exists() and not root.is_dir():
        raise WcodocError("exists and is not a folder", folder)
    _refuse_inside_a_session(root, folder)
    if language not in LANGUAGES:
        raise WcodocError(f"--language: expected E or F, got {language!r}")
    if first_serial is not None:
        try:
            serial_number(first_serial)
        except ValueError as exc:
            raise WcodocError(f"--first-serial: {exc}") from None
    path = root / SESSION_YAML
    text = session_yaml_text(committee, sessions, start, end, place, meeting, language, first_serial)
    _check(text, path, committee, start)
    root.mkdir(parents=True, exist_ok=True)
    with locked(path):
        _refuse_inside_a_session(root, folder)  # another `session init` may have just written it
        written = []
        if (gitignore := ensure_gitignore(root)) is not None:
            written.append(gitignore)
        templates = root / TEMPLATES_DIR
        if not templates.is_dir():
            templates.mkdir()
            written.append(templates)
        atomic_write_bytes(path, text.encode("utf-8"))
    read_session(path, HouseStyle().prefixes)  # what was written reads back
    return NewSession(root, (path, *written))


def _refuse_inside_a_session(root: Path, folder: Path | str) -> None:
    enclosing = find_session_file(root)
    if enclosing is not None:
        where = "already a session folder" if enclosing.parent == root else f"inside the session {enclosing}"
        raise WcodocError(f"{where}; a session folder holds the documents of one session", folder)
