"""Conversions under way in this process, so that an interrupted build can stop them at once.

Ctrl-C reaches wcodoc's main thread only, while ``wcodoc session build`` converts in worker
threads: a LibreOffice started in its own process group never sees the terminal's SIGINT, and
a request to a PDF server waits for its answer. Each conversion therefore registers how to
stop it; :func:`stopping` stops them all and refuses new ones while the workers wind down.
"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Callable, Iterator
from pathlib import Path

from wcodoc.errors import WcodocError

STOPPED = "conversion stopped: the build was interrupted"

_lock = threading.Lock()
_running: dict[int, Callable[[], None]] = {}
_refusing = 0


class _Conversion:
    """One registered conversion; ``stopped`` tells its owner why its tool failed."""

    def __init__(self, stop: Callable[[], None]) -> None:
        self._stop = stop
        self.stopped = False

    def stop(self) -> None:
        self.stopped = True
        self._stop()


@contextlib.contextmanager
def stoppable(stop: Callable[[], None], path: Path | None = None) -> Iterator[None]:
    """Run the block as a conversion that :func:`stopping` ends by calling ``stop()``.

    ``stop`` must make the block fail soon (kill the process, shut the socket); the block then
    raises :class:`WcodocError` saying the build was interrupted, whatever the tool reported.
    Entered while :func:`stopping` is active, it calls ``stop()`` and raises at once.
    """
    conversion = _Conversion(stop)
    with _lock:
        refused = _refusing > 0
        if not refused:
            _running[id(conversion)] = conversion.stop
    if refused:
        stop()
        raise WcodocError(STOPPED, path)
    try:
        yield
    except Exception:
        if conversion.stopped:
            raise WcodocError(STOPPED, path) from None
        raise
    finally:
        with _lock:
            _running.pop(id(conversion), None)
    if conversion.stopped:
        raise WcodocError(STOPPED, path)


@contextlib.contextmanager
def stopping() -> Iterator[None]:
    """Stop every conversion under way and refuse new ones until the block ends."""
    global _refusing
    with _lock:
        _refusing += 1
        stops = list(_running.values())
    try:
        for stop in stops:
            stop()
        yield
    finally:
        with _lock:
            _refusing -= 1
