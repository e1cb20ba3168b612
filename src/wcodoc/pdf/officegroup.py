"""LibreOffice's process groups: their members, and the socket files they leave in /tmp.

Standard library only: ``unoserver_launcher.py``, which runs in unoserver's environment without
wcodoc, loads this file by its path to clean up after itself as wcodoc does.
"""

from __future__ import annotations

import contextlib
import hashlib
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


def single_instance_pipe(profile: Path) -> Path:
    """The socket file of the single-instance pipe of a LibreOffice whose profile is
    ``profile``, for where no process is left to look it up in /proc.

    LibreOffice names it after the MD5 of the profile's URL in UTF-16, each byte in hex without
    its leading zero (as LibreOffice 7.4 does; ``tests/pdf/test_early.py`` checks it). Another
    version naming it otherwise only leaves the file behind, as before.
    """
    digest = hashlib.md5(profile.resolve().as_uri().encode("utf-16-le")).digest()
    return Path(_PIPE_PREFIX + f"{os.getuid()}_SingleOfficeIPC_" + "".join(f"{b:x}" for b in digest))
