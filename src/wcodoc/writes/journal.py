"""All or none: the files of one command staged, then renamed into place under a journal.

A command that changes several files (``review apply``: chapters and ``document.yaml``;
``new``: a document folder and the register) works in four steps, under the lock of the
file that guards them (:mod:`~wcodoc.writes.lock`):

1. the journal (``document.yaml.journal``, ``session.yaml.journal``) lists the targets;
2. each new file or folder is written to ``.wcodoc-staging/NAME`` beside its target;
3. the journal is marked *committed* (flushed to disk, renamed into place): from now on the
   command happens;
4. each staged file is renamed over its target, then the journal is removed.

Killed before step 3, the command did not happen: the next command that takes the lock
removes what was staged. Killed after it, the command is finished by the next command that
takes the lock, which renames what is still staged — or, for a command with more to do after
the renames (``revise --redline`` builds and writes the redline), by running that command
again (:attr:`Journal.resume`); any other command is refused until then. A retry of the very
command that was interrupted (same :attr:`Journal.key`) finds it finished and reports it.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from wcodoc.errors import WcodocError
from wcodoc.fsutil import shown_path
from wcodoc.writes import killpoint
from wcodoc.writes.lock import locked

JOURNAL_SUFFIX = ".journal"
STAGING = ".wcodoc-staging"
"""The folder, beside each target, that holds its staged version (out of the way of every
``*.md`` and ``*/document.yaml`` that wcodoc lists)."""
FORMAT = 1


@dataclass
class Journal:
    """What a command that writes several files is doing, as its journal file says."""

    path: Path
    kind: str
    """Names the command in the test's kill points: ``apply``, ``new``, ``revise`` …"""
    command: str
    """The command as the user ran it, for messages."""
    key: str
    """What identifies a retry of the same command (its folder, its returned copy …)."""
    targets: tuple[Path, ...]
    committed: bool = False
    resume: str | None = None
    """The command that finishes this one after its renames, if the renames are not all
    (``wcodoc revise --redline``; the folder of the journal is its argument)."""
    data: dict[str, Any] = field(default_factory=dict)
    """What the command needs to report (or finish) what it did."""

    @property
    def half_written(self) -> bool:
        """Committed, and some target not renamed into place yet."""
        return self.committed and any(os.path.lexists(staged_path(t)) for t in self.targets)

    def as_json(self) -> dict[str, Any]:
        """The journal file's content."""
        folder = self.path.parent
        return {
            "format": FORMAT,
            "kind": self.kind,
            "command": self.command,
            "key": self.key,
            "targets": [os.path.relpath(t, folder) for t in self.targets],
            "committed": self.committed,
            "resume": self.resume,
            "data": self.data,
            "pid": os.getpid(),
        }


def journal_path(guarded: Path) -> Path:
    """The journal of the commands that hold ``guarded``'s lock (``document.yaml.journal``)."""
    return guarded.with_name(guarded.name + JOURNAL_SUFFIX)


def staged_path(target: Path) -> Path:
    """Where the new version of ``target`` (a file or a folder) is written before the rename."""
    return target.parent / STAGING / target.name


def read_journal(guarded: Path) -> Journal | None:
    """The journal beside ``guarded``, ``None`` when no command left one."""
    path = journal_path(guarded)
    try:
        data = json.loads(path.read_bytes())
        folder = path.parent
        return Journal(
            path,
            str(data["kind"]),
            str(data["command"]),
            str(data["key"]),
            tuple(Path(os.path.normpath(folder / t)) for t in data["targets"]),
            bool(data["committed"]),
            data.get("resume"),
            dict(data.get("data") or {}),
        )
    except FileNotFoundError:
        return None
    except (OSError, ValueError, KeyError, TypeError) as exc:
        detail = exc.strerror if isinstance(exc, OSError) else "not a journal wcodoc wrote"
        raise WcodocError(
            f"cannot read the journal of an interrupted command ({detail}); remove it and check "
            "the files it names",
            path,
        ) from None


def refuse_half_written(guarded: Path) -> None:
    """Raise when a command left the files of ``guarded``'s folder half-written: reading
    them now (a build) would see part of its changes."""
    journal = read_journal(guarded)
    if journal is not None and journal.half_written:
        raise WcodocError(
            f"'{journal.command}' has not finished writing its changes (was it interrupted?); "
            "run it again to finish them",
            journal.path,
        )


@dataclass
class Held:
    """The lock of ``guarded`` held, and what an interrupted command left."""

    guarded: Path
    finished: Journal | None = None
    """A command interrupted after it committed, finished when the lock was taken."""
    resumable: Journal | None = None
    """An interrupted command of the caller's own kind, left for it to finish."""

    def begin(
        self,
        kind: str,
        command: str,
        key: str,
        targets: Sequence[Path],
        *,
        data: dict[str, Any] | None = None,
        resume: str | None = None,
    ) -> Transaction:
        """Start writing ``targets`` all or none (see the module's steps)."""
        journal = Journal(
            journal_path(self.guarded), kind, command, key, tuple(targets), False, resume, data or {}
        )
        return Transaction(journal)


@contextlib.contextmanager
def held(guarded: Path, *, resumes: str | None = None) -> Iterator[Held]:
    """Hold ``guarded``'s lock; first finish (or undo) what an interrupted command left.

    A committed command with more to do than its renames is left to the caller when it is of
    kind ``resumes``; for any other caller it is an error saying which command finishes it.
    """
    with locked(guarded):
        yield _recover(Held(guarded), resumes)


def _recover(held: Held, resumes: str | None) -> Held:
    journal = read_journal(held.guarded)
    if journal is None:
        return held
    if not journal.committed:
        Transaction(journal).discard()
    elif journal.resume is None:
        _rename_staged(journal)
        _remove(journal)
        held.finished = journal
    elif journal.kind == resumes:
        held.resumable = journal
    else:
        finish = f"{journal.resume} {shown_path(journal.path.parent)}"
        raise WcodocError(
            f"'{journal.command}' was interrupted before it finished; run '{finish}' to finish it first",
            journal.path,
        )
    return held


class Transaction:
    """The files of one command, staged and then renamed into place (see the module)."""

    def __init__(self, journal: Journal) -> None:
        self.journal = journal
        if not journal.committed:
            _write_synced(journal.path, journal.as_json())
            killpoint.reached(f"{journal.kind}:journal")

    def __enter__(self) -> Transaction:
        return self

    def __exit__(self, kind: type[BaseException] | None, *_: object) -> None:
        """Undo the staging of a command that failed before it committed; a committed one
        that failed is left for a retry to finish."""
        if not self.journal.path.exists():
            return
        if not self.journal.committed:
            self.discard()
        elif kind is None:
            self.close()

    def staged(self, target: Path) -> Path:
        """The staged path of ``target``, its folder made; write the new version there."""
        if target not in self.journal.targets:
            raise ValueError(f"{target} is not a target of this journal")
        path = staged_path(target)
        path.parent.mkdir(exist_ok=True)
        if path.is_dir() and not path.is_symlink():
            shutil.rmtree(path)
        return path

    def write(self, target: Path, data: bytes) -> None:
        """Stage ``data`` as the new content of ``target`` (with the target's file mode)."""
        path = self.staged(target)
        mode = target.stat().st_mode & 0o7777 if target.exists() else 0o644
        path.write_bytes(data)
        os.chmod(path, mode)

    def commit(self) -> None:
        """From now on the command happens: mark the journal committed, rename every staged
        file into place (a retry finishes the renames if this is interrupted)."""
        for target in self.journal.targets:
            _sync_tree(staged_path(target))
        self.journal.committed = True
        _write_synced(self.journal.path, self.journal.as_json())
        killpoint.reached(f"{self.journal.kind}:committed")
        self.rename_staged()

    def rename_staged(self) -> None:
        """Rename what is still staged into place (all of it, unless a retry is finishing)."""
        _rename_staged(self.journal)

    def close(self) -> None:
        """The command is done: remove the journal (and the staging folders left empty)."""
        _remove(self.journal)

    def discard(self) -> None:
        """The command did not happen: remove what was staged, then the journal."""
        for target in self.journal.targets:
            staged = staged_path(target)
            if staged.is_dir() and not staged.is_symlink():
                shutil.rmtree(staged, ignore_errors=True)
            else:
                staged.unlink(missing_ok=True)
        _remove(self.journal)


def _rename_staged(journal: Journal) -> None:
    """Rename each target's staged version over it; the ones renamed already are skipped."""
    renamed = 0
    for target in journal.targets:
        staged = staged_path(target)
        if not os.path.lexists(staged):
            continue
        try:
            os.replace(staged, target)
        except OSError as exc:
            raise WcodocError(
                f"cannot put the new version in place ({exc.strerror or exc}); fix that and run "
                f"'{journal.command}' again to finish it",
                target,
            ) from None
        renamed += 1
        if renamed == 1:
            killpoint.reached(f"{journal.kind}:after-first-rename")
    _sync_folders({t.parent for t in journal.targets})


def _remove(journal: Journal) -> None:
    journal.path.unlink(missing_ok=True)
    for folder in {t.parent / STAGING for t in journal.targets}:
        with contextlib.suppress(OSError):
            folder.rmdir()  # only when empty: another target's staging may still be there


def _write_synced(path: Path, content: dict[str, Any]) -> None:
    """Write ``content`` as JSON to ``path`` through a rename, flushed to disk before and after."""
    temporary = path.with_name(path.name + ".tmp")
    try:
        with open(temporary, "wb") as stream:
            stream.write(json.dumps(content, ensure_ascii=False, indent=1).encode("utf-8"))
            stream.flush()
            os.fsync(stream.fileno())
        os.replace(temporary, path)
    except OSError as exc:
        with contextlib.suppress(OSError):
            temporary.unlink()
        raise WcodocError(f"cannot write the journal: {exc.strerror or exc}", path) from None
    _sync_folders({path.parent})


def _sync_tree(path: Path) -> None:
    """Flush a staged file, or every file of a staged folder, to disk."""
    files = [path] if not path.is_dir() else [Path(d, n) for d, _s, names in os.walk(path) for n in names]
    for file in files:
        with contextlib.suppress(OSError), open(file, "rb") as stream:
            os.fsync(stream.fileno())
    _sync_folders({path, path.parent} if path.is_dir() else {path.parent})


def _sync_folders(folders: set[Path]) -> None:
    """Flush the renames in ``folders`` to disk (where the system allows opening a folder)."""
    for folder in folders:
        with contextlib.suppress(OSError):
            fd = os.open(folder, os.O_RDONLY)
            try:
                os.fsync(fd)
            finally:
                os.close(fd)
