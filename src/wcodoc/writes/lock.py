"""One command at a time: an exclusive lock beside the file it guards.

A command that writes a project's sources or ``document.yaml`` holds ``document.yaml.lock``; one
that writes ``session.yaml`` (the register) or creates a document folder holds
``session.yaml.lock``. Each re-reads what it changes once it holds the lock, so two commands run
at once take turns instead of both working from what they read first. A command that needs
both takes the session's first.

The lock is the kernel's (``flock``): it ends with its holder, so a command that was killed
leaves nothing to clean up and the next one takes over at once. The holder writes its process
id and command line into the file, and removes the file when it is done (checked under the
lock, so a waiting command never holds a file that was removed). A command that cannot get the
lock names the holder: it gives up after a few seconds when the holder is stopped (Ctrl-Z,
``SIGSTOP``), after ``WCODOC_LOCK_TIMEOUT`` seconds (default 600) when it is running.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import sys
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from wcodoc.errors import WcodocError
from wcodoc.writes import killpoint

LOCK_SUFFIX = ".lock"
DEFAULT_TIMEOUT = 600.0
"""Seconds to wait for a running holder (a ``revise --redline`` of a long report builds twice)."""
STOPPED_TIMEOUT = 5.0
"""Seconds to wait for a stopped holder, in case it is resumed meanwhile."""
POLL = 0.05

_held: dict[tuple[Path, int], int] = {}
"""(lock, thread) → how many ``locked`` blocks of that thread hold it: a nested block is free,
another thread waits as another process would."""
_held_guard = threading.Lock()


@dataclass(frozen=True)
class Holder:
    """Who holds a lock, as its file says."""

    pid: int | None
    command: str

    def describe(self) -> str:
        """``process 1234 (wcodoc revise --redline)``."""
        who = f"process {self.pid}" if self.pid else "another process"
        return f"{who} ({self.command})" if self.command else who


def lock_path(guarded: Path) -> Path:
    """The lock file of ``guarded`` (``session.yaml`` → ``session.yaml.lock``)."""
    return guarded.with_name(guarded.name + LOCK_SUFFIX)


@contextlib.contextmanager
def locked(guarded: Path, *, timeout: float | None = None) -> Iterator[None]:
    """Hold the exclusive lock of ``guarded`` for the block.

    Raises :class:`WcodocError` naming the lock file when it cannot be made (a folder in its
    place, no permission, a read-only disk) or when its holder does not let go in time.
    """
    guarded = Path(guarded)
    path = lock_path(guarded.parent.resolve() / guarded.name)  # one key, however it is reached
    key = (path, threading.get_ident())
    with _held_guard:
        depth = _held.get(key, 0)
        _held[key] = depth + 1
    try:
        if depth:
            yield
            return
        fd = _acquire(path, _timeout(timeout))
        try:
            killpoint.reached("lock:held")
            yield
        finally:
            _release(path, fd)
    finally:
        with _held_guard:
            _held[key] -= 1
            if not _held[key]:
                del _held[key]


def _timeout(given: float | None) -> float:
    if given is not None:
        return given
    value = os.environ.get("WCODOC_LOCK_TIMEOUT", "")
    try:
        seconds = float(value) if value.strip() else DEFAULT_TIMEOUT
    except ValueError:
        raise WcodocError(f"WCODOC_LOCK_TIMEOUT: expected a number of seconds, got {value!r}") from None
    if not seconds >= 0:  # also refuses nan
        raise WcodocError(f"WCODOC_LOCK_TIMEOUT: expected a number of seconds, got {value!r}")
    return seconds


def _acquire(path: Path, timeout: float) -> int:
    start = time.monotonic()
    while True:
        fd = _open(path)
        if _try_lock(fd, path):
            _write_holder(fd)
            return fd
        holder = _holder(path)
        waited = time.monotonic() - start
        stopped = holder.pid is not None and _is_stopped(holder.pid)
        if waited >= (min(timeout, STOPPED_TIMEOUT) if stopped else timeout):
            os.close(fd)
            raise WcodocError(_gave_up(holder, stopped, waited), path)
        os.close(fd)
        time.sleep(POLL)


def _open(path: Path) -> int:
    try:
        return os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    except IsADirectoryError:
        raise WcodocError(
            "is a folder, where wcodoc keeps the lock that lets one command at a time change "
            "these files; remove the folder and run this again",
            path,
        ) from None
    except OSError as exc:
        raise WcodocError(f"cannot open the lock file: {exc.strerror or exc}", path) from None


def _try_lock(fd: int, path: Path) -> bool:
    """Whether the lock of ``fd`` is ours now, and ``fd`` is still the file at ``path`` (the
    holder before us may have removed it after we opened it)."""
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return False
    except OSError as exc:
        os.close(fd)
        raise WcodocError(f"cannot lock the file: {exc.strerror or exc}", path) from None
    try:
        same = os.stat(path).st_ino == os.fstat(fd).st_ino
    except FileNotFoundError:
        same = False
    if not same:
        fcntl.flock(fd, fcntl.LOCK_UN)
    return same


def _release(path: Path, fd: int) -> None:
    with contextlib.suppress(OSError):
        path.unlink()  # still ours: nobody else can hold the lock of this file now
    fcntl.flock(fd, fcntl.LOCK_UN)
    os.close(fd)


def command_line() -> str:
    """The command this process runs, as typed (``wcodoc review apply . korea.docx``)."""
    ours = Path(sys.argv[0]).name in ("wcodoc", "__main__.py")
    line = " ".join(["wcodoc", *sys.argv[1:]] if ours else sys.argv)
    return line if len(line) <= 200 else line[:199] + "…"


def _write_holder(fd: int) -> None:
    with contextlib.suppress(OSError):
        os.ftruncate(fd, 0)
        os.pwrite(fd, f"{os.getpid()}\n{command_line()}\n".encode(), 0)


def _holder(path: Path) -> Holder:
    """Who holds the lock of ``path``: the kernel's word where it gives one (Linux's
    ``/proc/locks`` names the process even when it is no wcodoc), else the file's."""
    try:
        first, _, rest = path.read_text(encoding="utf-8", errors="replace").partition("\n")
    except OSError:
        first, rest = "", ""
    written = int(first) if first.strip().isdigit() else None
    pid = _kernel_holder(path) or written
    if pid is not None and pid != written:
        rest = _process_command(pid)
    return Holder(pid, rest.strip())


def _kernel_holder(path: Path) -> int | None:
    try:
        stat = os.stat(path)
        lines = Path("/proc/locks").read_text().splitlines()
    except OSError:
        return None
    device = f"{os.major(stat.st_dev):02x}:{os.minor(stat.st_dev):02x}:{stat.st_ino}"
    for line in lines:
        fields = line.split()
        if len(fields) > 5 and fields[1] == "FLOCK" and fields[5] == device and fields[4].isdigit():
            return int(fields[4])
    return None


def _process_command(pid: int) -> str:
    try:
        words = Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0")
    except OSError:
        return ""
    return " ".join(w.decode("utf-8", "replace") for w in words if w)[:200]


def _is_stopped(pid: int) -> bool:
    """Whether process ``pid`` is stopped (Linux's ``/proc``; elsewhere: not known, so no)."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    return stat.rpartition(")")[2].split()[:1] in (["T"], ["t"])


def _gave_up(holder: Holder, stopped: bool, waited: float) -> str:
    if stopped:
        return (
            f"locked by {holder.describe()}, which is stopped; resume it (fg, or kill -CONT "
            f"{holder.pid}) or end it, then run this again"
        )
    return (
        f"still locked by {holder.describe()} after {waited:.0f} s; let it finish (or end it), "
        "then run this again (WCODOC_LOCK_TIMEOUT sets how long to wait)"
    )
