"""A private LibreOffice reached through UNO, for the support scripts run by the system Python.

Imported by ``lo_edit.py`` and ``lo_revisions.py`` (their own folder is on ``sys.path`` when
``/usr/bin/python3`` runs them); like them it imports only the standard library and ``uno``,
never ``wcodoc``, which that Python usually cannot import.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

START_TIMEOUT = 60
SOFFICE_FLAGS = ["--headless", "--invisible", "--norestore", "--nologo", "--nodefault", "--nolockcheck"]


class NoLibreOffice(RuntimeError):
    """``soffice`` is not installed."""


def props(**values):
    """UNO ``PropertyValue``s from keyword arguments."""
    import uno  # noqa: F401  (loads the bridge that makes com.sun.star importable)
    from com.sun.star.beans import PropertyValue

    return tuple(PropertyValue(Name=name, Value=value) for name, value in values.items())


def file_url(path: Path) -> str:
    """The ``file://`` URL LibreOffice wants for ``path``."""
    import uno

    return uno.systemPathToFileUrl(str(path))


@contextlib.contextmanager
def libreoffice(prefix: str) -> Iterator[object]:
    """A component context of a LibreOffice started with a private profile, in its own
    process group, killed (and the profile removed) when the block ends, whatever happens."""
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        raise NoLibreOffice("soffice not found")
    profile = Path(tempfile.mkdtemp(prefix=prefix))
    proc = None
    try:
        proc, context = _connect(soffice, profile)
        yield context
    finally:
        if proc is not None:
            _kill_group(proc)
        shutil.rmtree(profile, ignore_errors=True)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _kill_group(proc: subprocess.Popen) -> None:
    # LibreOffice killed by a signal leaves its socket file in /tmp: remove it as wcodoc does.
    _officegroup().unlink_pipes(proc.pid)
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(proc.pid, signal.SIGKILL)
    with contextlib.suppress(subprocess.TimeoutExpired):
        proc.wait(timeout=10)


def _officegroup():
    """wcodoc's ``pdf/officegroup.py`` (standard library only), loaded by its path: this
    Python cannot import ``wcodoc``."""
    import importlib.util

    path = Path(__file__).resolve().parents[2] / "src" / "wcodoc" / "pdf" / "officegroup.py"
    spec = importlib.util.spec_from_file_location("wcodoc_officegroup", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


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
