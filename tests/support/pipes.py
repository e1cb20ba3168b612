"""The socket files LibreOffice listens on in /tmp, seen from outside through /proc."""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterable


def office_pipes(pids: Iterable[int]) -> set[str]:
    """The ``/tmp/OSL_PIPE_*`` socket files that the processes ``pids`` have open."""
    inodes = set()
    for pid in pids:
        with contextlib.suppress(OSError):
            for fd in os.listdir(f"/proc/{pid}/fd"):
                with contextlib.suppress(OSError):
                    link = os.readlink(f"/proc/{pid}/fd/{fd}")
                    if link.startswith("socket:["):
                        inodes.add(link[len("socket:[") : -1])
    with open("/proc/net/unix") as table:
        rows = [line.split() for line in table]
    return {row[7] for row in rows if len(row) >= 8 and row[6] in inodes and "OSL_PIPE_" in row[7]}
