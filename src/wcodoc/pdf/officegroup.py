"""LibreOffice's process groups: their members, and the socket files they leave in /tmp.

Standard library only: ``unoserver_launcher.py``, which runs in unoserver's environment without
wcodoc, loads this file by its path to clean up after itself as wcodoc does.
"""

from __future__ import annotations

import contextlib
import os
from pathlib import Path

_PIPE_PREFIX = "/tmp/OSL_PIPE_"


def unlink_pipes(group: int) -> None:
    """Remove the socket files LibreOffice's processes in process group ``group`` listen on.

    LibreOffice makes one in /tmp (whatever TMPDIR says) for its single-instance pipe, and
    leaves it there when a signal stops it. Found through /proc: the group's sockets, then
    their names in /proc/net/unix.
    """
    with contextlib.suppress(OSError):
        inodes: set[str] = set()
        for pid in group_members(group):
            with contextlib.suppress(OSError):
                for fd in os.listdir(f"/proc/{pid}/fd"):
                    with contextlib.suppress(OSError):
                        link = os.readlink(f"/proc/{pid}/fd/{fd}")
                        if link.startswith("socket:["):
                            inodes.add(link[len("socket:[") : -1])
        if not inodes:
            return
        with open("/proc/net/unix", encoding="utf-8", errors="replace") as table:
            next(table, None)
            for line in table:
                fields = line.split()
                if len(fields) >= 8 and fields[6] in inodes and fields[7].startswith(_PIPE_PREFIX):
                    with contextlib.suppress(OSError):
                        os.unlink(fields[7])


def group_members(group: int) -> list[int]:
    """The processes of process group ``group`` (from /proc; empty where there is none)."""
    found = []
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        with contextlib.suppress(OSError, ValueError, IndexError):
            stat = Path(f"/proc/{entry}/stat").read_text()
            # pid (comm) state ppid pgrp …: comm may hold spaces and parentheses.
            if int(stat[stat.rindex(")") + 2 :].split()[2]) == group:
                found.append(int(entry))
    return found
