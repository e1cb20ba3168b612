"""Accept or reject every tracked change of a DOCX in LibreOffice itself; save the text.

A script for a Python that has LibreOffice's ``uno`` bridge (on Debian ``/usr/bin/python3``):
it imports only the standard library and ``uno``, never ``wcodoc``, which that Python usually
cannot import. Used by the tests to prove that what wcodoc checks in memory is also what
LibreOffice does::

    /usr/bin/python3 lo_revisions.py REDLINE.docx OUT_FOLDER

writes ``OUT_FOLDER/accepted.txt`` (after ``.uno:AcceptAllTrackedChanges``) and
``OUT_FOLDER/rejected.txt`` (after ``.uno:RejectAllTrackedChanges``), UTF-8, one paragraph
a line. LibreOffice runs with a private profile in its own process group and is killed when
the script ends, whatever happens.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

COMMANDS = {"accepted": ".uno:AcceptAllTrackedChanges", "rejected": ".uno:RejectAllTrackedChanges"}
START_TIMEOUT = 60
SOFFICE_FLAGS = ["--headless", "--invisible", "--norestore", "--nologo", "--nodefault", "--nolockcheck"]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _kill_group(proc: subprocess.Popen) -> None:
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(proc.pid, signal.SIGKILL)
    with contextlib.suppress(subprocess.TimeoutExpired):
        proc.wait(timeout=10)


def _props(**values):
    import uno  # noqa: F401  (loads the bridge that makes com.sun.star importable)
    from com.sun.star.beans import PropertyValue

    return tuple(PropertyValue(Name=name, Value=value) for name, value in values.items())


def _connect(soffice: str, profile: Path):
    import uno

    accept = f"socket,host=127.0.0.1,port={_free_port()};urp;StarOffice.ComponentContext"
    proc = subprocess.Popen(
        [soffice, *SOFFICE_FLAGS, f"-env:UserInstallation={profile.as_uri()}", f"--accept={accept}"],
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    local = uno.getComponentContext()
    resolver = local.ServiceManager.createInstanceWithContext("com.sun.star.bridge.UnoUrlResolver", local)
    deadline = time.monotonic() + START_TIMEOUT
    while True:
        try:
            return proc, resolver.resolve(f"uno:{accept}")
        except Exception:  # NoConnectException until LibreOffice listens
            if proc.poll() is not None or time.monotonic() > deadline:
                _kill_group(proc)
                raise RuntimeError("LibreOffice did not start") from None
            time.sleep(0.1)


def _apply(context, docx: Path, command: str, target: Path) -> None:
    import uno

    smgr = context.ServiceManager
    desktop = smgr.createInstanceWithContext("com.sun.star.frame.Desktop", context)
    dispatcher = smgr.createInstanceWithContext("com.sun.star.frame.DispatchHelper", context)
    document = desktop.loadComponentFromURL(
        uno.systemPathToFileUrl(str(docx)),
        "_blank",
        0,
        _props(Hidden=True, MacroExecutionMode=0, UpdateDocMode=0),
    )
    if document is None:
        raise RuntimeError(f"LibreOffice could not read {docx}")
    try:
        frame = document.getCurrentController().getFrame()
        dispatcher.executeDispatch(frame, command, "", 0, ())
        document.storeToURL(
            uno.systemPathToFileUrl(str(target)),
            _props(FilterName="Text (encoded)", FilterOptions="UTF8,LF"),
        )
    finally:
        document.close(True)


def main(argv: list[str]) -> int:
    """Write accepted.txt and rejected.txt for the DOCX named in ``argv``."""
    docx, out = Path(argv[0]).resolve(), Path(argv[1]).resolve()
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        print("soffice not found", file=sys.stderr)
        return 2
    profile = Path(tempfile.mkdtemp(prefix="wcodoc-lo-revisions-"))
    proc = None
    try:
        proc, context = _connect(soffice, profile)
        for name, command in COMMANDS.items():
            _apply(context, docx, command, out / f"{name}.txt")
    finally:
        if proc is not None:
            _kill_group(proc)
        shutil.rmtree(profile, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
