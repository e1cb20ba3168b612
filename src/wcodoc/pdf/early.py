"""LibreOffice started early: its start-up overlaps with writing the DOCX it will convert.

A cold ``soffice --convert-to`` spends about a second starting LibreOffice before it reads the
document. :func:`early_office` starts an idle LibreOffice with a private profile as soon as a
build knows it will make a PDF; the cold conversion later runs ``soffice --convert-to`` with the
same profile, and LibreOffice's own single-instance pipe hands the request to the instance that
is already up (if the early one is not up yet, whichever starts first converts: LibreOffice
settles that itself). On two cores, a cold build with PDF of the 324-page benchmark report takes
about 0.5 s less (4.8 → 4.3 s), of this repository's 10-page sample 0.2 s less (1.33 → 1.13 s):
the conversion step is a second shorter, the DOCX written meanwhile a little slower.

When the build is done (or fails, or is interrupted), wcodoc kills the instance's process group
and removes its profile; LibreOffice leaves its pipe's socket file in ``/tmp`` when a signal
stops it, so wcodoc unlinks that file first (found through ``/proc``). The instance must not
outlive a wcodoc killed with SIGKILL either: it runs under a small shell supervisor, in a
session of its own, that reads its standard input from wcodoc; at end of file (wcodoc died)
it stops LibreOffice and removes the profile and the socket file.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import subprocess
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

from wcodoc.errors import WcodocError

# The supervisor, run in the background by a shell that exits at once (so wcodoc has no child
# left to wait for), in the session that shell leads. $1: the folder to remove (the profile is
# inside); the rest: the LibreOffice command. Its standard input is wcodoc's pipe (fd 3: a
# background job would get /dev/null). Signals are ignored so that the TERM it sends to its
# whole group, or a signal meant for wcodoc, cannot stop it before it has cleaned up.
SUPERVISOR = """
exec 3<&0
(
    trap '' INT TERM HUP
    folder=$1
    pipe=$2
    shift 2
    "$@" </dev/null >/dev/null 2>&1 3<&- &
    cat <&3 >/dev/null
    kill -TERM 0 2>/dev/null
    n=0
    while [ "$n" -lt 50 ] && kill -0 "$!" 2>/dev/null; do sleep 0.1; n=$((n + 1)); done
    rm -rf -- "$folder"
    rm -f -- "$pipe"
    kill -KILL 0
) </dev/null >/dev/null 2>&1 &
"""


@contextlib.contextmanager
def early_office(wanted: bool = True) -> Iterator[Path | None]:
    """Start an idle LibreOffice now; yield its profile folder for :func:`convert_to_pdf`.

    Yields ``None`` (and starts nothing) when not ``wanted``, when a PDF server answers or the
    batch's are starting (they will convert), or when LibreOffice is missing (the conversion
    reports that). On leaving, the instance is killed and its profile removed.
    """
    if not wanted:
        yield None
        return
    # Imported here: a DOCX-only build never pays for the converter's modules (xmlrpc, http).
    from wcodoc.pdf import client
    from wcodoc.pdf.convert import (
        SOFFICE_FLAGS,
        find_soffice,
        interruptions_held,
        private_tmp,
        profile_url,
    )
    from wcodoc.pdf.officegroup import single_instance_pipe, unlink_pipes

    batch = client.batch_servers()
    if (batch is not None and batch.usable()) or client.answering_servers(client.configured_servers()):
        yield None  # a warm server converts (a refused connection here fails at once)
        return
    try:
        soffice = find_soffice()
    except WcodocError:
        yield None
        return
    try:
        folder = Path(tempfile.mkdtemp(prefix="wcodoc-office-"))
    except OSError:
        yield None  # e.g. a full or read-only TMPDIR: the conversion will say so
        return
    profile = folder / "profile"
    pipe = single_instance_pipe(profile)
    command = ["sh", "-c", SUPERVISOR, "wcodoc-office", str(folder), str(pipe), soffice, *SOFFICE_FLAGS]
    command.append(profile_url(profile))
    try:
        with interruptions_held():
            launcher = subprocess.Popen(
                command,
                stdin=subprocess.PIPE,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
                cwd=folder,
                env=private_tmp(folder),  # removed with the profile
                start_new_session=True,
            )
        launcher.wait()  # it only puts the supervisor in the background, in its session
    except OSError:
        shutil.rmtree(folder, ignore_errors=True)
        yield None
        return
    assert launcher.stdin is not None
    try:
        yield profile
    finally:
        group = launcher.pid  # the session's process group keeps the launcher's id
        unlink_pipes(group)
        # Killed, not asked to quit: its profile is thrown away and its socket file is gone,
        # so there is nothing to save, and the caller need not wait for a graceful exit.
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(group, signal.SIGKILL)
        _remove(folder)
        with contextlib.suppress(OSError):
            launcher.stdin.close()


def _remove(folder: Path) -> None:
    # A process killed a moment ago may still finish a write: try again once.
    for _ in range(2):
        shutil.rmtree(folder, ignore_errors=True)
        if not folder.exists():
            return
        time.sleep(0.05)
