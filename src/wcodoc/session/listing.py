"""What ``wcodoc session list`` shows: every document, and what the register and the folder
tree say beside them (serials reserved by hand, symbols used twice, misplaced projects)."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

from wcodoc.load.sessionconfig import RegisterEntry, Session
from wcodoc.session.documents import DocumentStatus, session_status


@dataclass(frozen=True)
class SessionListing:
    """The session as ``session list`` prints it."""

    documents: list[DocumentStatus]
    """Every direct subfolder holding ``document.yaml``, in folder order."""
    duplicates: dict[Path, list[Path]]
    """Document folder → the other folders whose symbol has the same serial and language."""
    reserved: list[RegisterEntry]
    """Register entries with no folder: serials reserved, not yet claimed by ``wcodoc new``."""
    registered_twice: list[tuple[RegisterEntry, ...]]
    """Serials the register holds more than once (given to two folders, reserved twice): the
    entries of each, in register order. A register holds each serial once."""
    misplaced: list[Path]
    """Projects nested deeper than the session's subfolders: never listed nor built."""


def list_session(session: Session) -> SessionListing:
    documents = session_status(session)
    by_base: dict[str, list[Path]] = defaultdict(list)
    for status in documents:
        if status.project is not None:
            by_base[status.project.meta.symbol.base].append(status.root)
    duplicates = {
        root: [other for other in roots if other != root]
        for roots in by_base.values()
        if len(roots) > 1
        for root in roots
    }
    twice = registered_twice(session)
    shown = set(by_base) | {entries[0].symbol.base for entries in twice}
    reserved = [e for e in session.reserved() if e.symbol.base not in shown]
    return SessionListing(documents, duplicates, reserved, twice, session.misplaced_roots())


def registered_twice(session: Session) -> list[tuple[RegisterEntry, ...]]:
    """The register's entries grouped by serial, for each serial it holds more than once
    (two ``wcodoc new`` merged from two branches, an entry copied by hand)."""
    by_base: dict[str, list[RegisterEntry]] = defaultdict(list)
    for entry in session.entries:
        by_base[entry.symbol.base].append(entry)
    return [tuple(entries) for entries in by_base.values() if len(entries) > 1]
