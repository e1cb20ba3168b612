"""The register of a session: which symbol a new document gets, and the record of it.

``session.yaml``'s ``register`` lists every symbol handed out, so a serial is never given
twice even when its folder was deleted or renamed; an entry without a folder reserves a
serial, which ``wcodoc new --reference`` claims. The register is read and validated with the
rest of ``session.yaml`` (:mod:`wcodoc.load.sessionconfig`, since loading a project needs
it); this module allocates and records, under the session's lock
(:mod:`wcodoc.writes.lock`), so that two ``wcodoc new`` run at once never hand out the same
serial.
"""

from __future__ import annotations

import contextlib
import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from wcodoc.errors import WcodocError
from wcodoc.fsutil import encode_like, read_text
from wcodoc.load.housestyle import HouseStyle
from wcodoc.load.metadata import DOCUMENT_YAML, read_symbol
from wcodoc.load.sessionconfig import RegisterEntry, Session, read_session
from wcodoc.load.symbol import MAX_SERIAL, DocumentSymbol
from wcodoc.load.yamledit import edit_list_item_text, edit_yaml_text
from wcodoc.writes.journal import Held, held

REGISTER = "the register of session.yaml"


@dataclass(frozen=True)
class Allocation:
    """The symbol a new document of the session gets."""

    symbol: DocumentSymbol
    claimed: RegisterEntry | None = None
    """The reserved entry of the register it takes, if any."""


@contextlib.contextmanager
def locked(session: Session) -> Iterator[Session]:
    """Hold the session's lock (``session.yaml.lock``); yield the session read again under it.

    Two ``wcodoc new`` started at once would otherwise both read the same highest serial.
    """
    with session_lock(session) as (current, _held):
        yield current


@contextlib.contextmanager
def session_lock(session: Session) -> Iterator[tuple[Session, Held]]:
    """:func:`locked`, with the lock itself: what an interrupted command left (finished when
    the lock was taken, before the session is read) and the journal of the next writes."""
    with held(session.path) as lock:
        yield read_session(session.path, HouseStyle().prefixes), lock


def next_serial(session: Session, prefix: str) -> int:
    """The next free serial of body ``prefix``: one more than the highest the session's
    documents or its register use, and never below the session's ``first_serial`` (``1``
    when neither is set)."""
    taken = {s.serial for s in session.register if s.prefix == prefix}
    for root in session.document_roots():
        symbol = read_symbol(root / DOCUMENT_YAML)
        if symbol.prefix == prefix:
            taken.add(symbol.serial)
    first = session.first_serial if prefix == session.committee and session.first_serial else 1
    return max(max(taken, default=0) + 1, first)


def allocate(session: Session, reference: DocumentSymbol | None, language: str | None) -> Allocation:
    """The symbol of a new document of ``session``: ``reference`` when given (claiming its
    reserved entry, if any), else the committee's next free serial in ``language`` (default:
    the session's). Raises :class:`WcodocError` when that symbol is taken."""
    if reference is not None:
        symbol = reference
        claimed = {e.symbol.base: e for e in session.reserved()}.get(symbol.base)
        taken = _taken_bases(session, skip=claimed)
    else:
        if session.committee is None:
            raise WcodocError(
                "committee: not set; add e.g. 'committee: PC' so serials can be allocated "
                "(or pass --reference)",
                session.path,
            )
        serial = next_serial(session, session.committee)
        if serial > MAX_SERIAL:
            raise WcodocError(
                f"no serial left for {session.committee}: {session.committee}{MAX_SERIAL:04d} is the "
                "last four-digit serial; pass --reference with a free one",
                session.path,
            )
        symbol = DocumentSymbol(session.committee, serial, language or session.language, None, "a")
        claimed, taken = None, _taken_bases(session)
    where = taken.get(symbol.base)
    if where is not None:
        raise _allocated(session, symbol, where, claimed)
    return Allocation(symbol, claimed)


def _allocated(
    session: Session, symbol: DocumentSymbol, where: str, claimed: RegisterEntry | None
) -> WcodocError:
    """The refusal of a symbol already taken, at the line of the register entry that takes it."""
    other = next((e for e in session.entries if e.symbol.base == symbol.base and e is not claimed), None)
    if other is None or where != REGISTER:
        return WcodocError(f"{symbol.base} is already allocated (see {where})", session.path)
    if claimed is not None and not other.folder:
        lines = " and ".join(str(line) for line in sorted((other.line or 0, claimed.line or 0)))
        return WcodocError(
            f"{symbol.base} is already allocated: the register reserves it twice (lines {lines}); "
            "delete one of the entries, then claim it",
            session.path,
            other.line,
        )
    return WcodocError(f"{symbol.base} is already allocated (see {where})", session.path, other.line)


def allocate_translation(session: Session, symbol: DocumentSymbol) -> Allocation:
    """The other language's version of a document of ``session``: its ``symbol`` (same serial),
    refused when a folder of the session already has it."""
    taken = {read_symbol(r / DOCUMENT_YAML).base: r for r in session.document_roots()}
    if symbol.base in taken:
        raise WcodocError(f"{symbol.base} already exists in {taken[symbol.base].name}/")
    return Allocation(symbol, {e.symbol.base: e for e in session.reserved()}.get(symbol.base))


def _taken_bases(session: Session, skip: RegisterEntry | None = None) -> dict[str, str]:
    """Symbol base (``PC0685E``) → where it is used, for the session's documents and register.

    ``skip`` is a reserved entry being claimed: it does not count against its own symbol.
    """
    taken = {e.symbol.base: REGISTER for e in session.entries if e is not skip}
    for root in session.document_roots():
        taken[read_symbol(root / DOCUMENT_YAML).base] = f"{root.name}/{DOCUMENT_YAML}"
    return taken


def recorded(session: Session, allocation: Allocation, folder: Path, title: str | None) -> bytes:
    """The bytes of ``session.yaml`` with the allocation written in the register: a new entry,
    or the folder of a reserved one; only the new lines differ.

    The register is no build input of any document, so the caller writes these bytes with
    ``session.yaml``'s modification time kept: a new document never makes the others out of
    date.
    """
    claimed = allocation.claimed
    entry: dict[str, str | dt.date] = {
        "symbol": allocation.symbol.base,
        "folder": _relative_folder(folder, session.root),
    }
    if title and not (claimed and claimed.title):
        entry["title"] = title
    if not (claimed and claimed.allocated):
        entry["allocated"] = dt.date.today()
    text = read_text(session.path)
    if claimed is None:
        text = edit_yaml_text(text, session.path, append={"register": entry})
    else:
        del entry["symbol"]
        text = edit_list_item_text(text, session.path, "register", claimed.index, entry)
    return encode_like(text, session.path.read_bytes())


def _relative_folder(target: Path, root: Path) -> str:
    try:
        return target.relative_to(root.resolve()).as_posix()
    except ValueError:
        return str(target)
