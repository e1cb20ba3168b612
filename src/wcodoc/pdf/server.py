"""``wcodoc pdf-server``: unoserver with a LibreOffice of its own, watched over until stopped.

unoserver (PyPI ``unoserver``) drives LibreOffice through LibreOffice's Python bridge ``uno``,
which Debian ships for the system Python only (``python3-uno``): wcodoc's own virtual
environment cannot import it. ``make build`` therefore installs unoserver in a second
environment, made from ``/usr/bin/python3`` with ``--system-site-packages``, inside the one
that runs wcodoc: ``.venv/uno`` (see :func:`uno_environment`).

Each server gets a private LibreOffice profile and its own process group; its XML-RPC
interface listens on the address asked for, LibreOffice's UNO socket on a free loopback port
(anyone who reaches a UNO socket can run code as this user). When LibreOffice dies, unoserver
exits and is started again; stopping ends unoserver, then whatever is left of its group.
unoserver runs through ``unoserver_launcher.py``, which serves only DOCX-to-PDF conversions,
keeps a stalled client from holding up the others, and kills the group should this process
die without stopping it (its standard input is a pipe from here: see that module).
"""

from __future__ import annotations

import contextlib
import math
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import NoReturn

from wcodoc.errors import WcodocError
from wcodoc.pdf import client
from wcodoc.pdf.convert import find_soffice, interruptions_held, kill_group

UNO_VENV_ENV = "WCODOC_UNO_VENV"
UNO_VENV_NAME = "uno"
"""The folder, inside wcodoc's virtual environment, of the one that has unoserver."""
START_TIMEOUT = 120.0
"""Seconds unoserver may take to answer (it waits 5 s for LibreOffice, then retries)."""
READY_QUESTION_TIMEOUT = 10.0
"""Seconds one "are you ready?" may wait: long enough for a busy start, short enough to notice
an unoserver that gave up and exited."""
STOP_GRACE = 10.0
"""Seconds unoserver gets to close LibreOffice before its process group is killed."""
_UNO_MISSING = 3
LAUNCHER = Path(__file__).with_name("unoserver_launcher.py")
"""Run by the unoserver environment's Python, never imported by wcodoc."""
_PROBE = f"""
try:
    import uno
except ImportError:
    raise SystemExit({_UNO_MISSING})
from unoserver.server import XMLRPCServer, main  # what unoserver_launcher.py builds on
"""


def uno_environment() -> Path:
    """The virtual environment that has unoserver: ``$WCODOC_UNO_VENV``, else ``<venv>/uno``.

    ``<venv>`` is the environment running wcodoc (``sys.prefix``), so the pair moves, and is
    deleted, together; ``make build`` creates it with ``scripts/make-uno-venv.sh``.
    """
    configured = os.environ.get(UNO_VENV_ENV)
    return Path(configured) if configured else Path(sys.prefix) / UNO_VENV_NAME


def unoserver_python() -> Path:
    """The Python of :func:`uno_environment`, checked to run unoserver; else say how to get it."""
    venv = uno_environment()
    program, python = venv / "bin" / "unoserver", venv / "bin" / "python"
    make_it = (
        f"run `make build`, or: /usr/bin/python3 -m venv --system-site-packages {venv} "
        f"&& {venv}/bin/pip install unoserver"
    )
    if not (program.is_file() and python.is_file()):
        raise WcodocError(f"the PDF server needs unoserver, which is not installed in {venv}; {make_it}")
    try:
        probe = subprocess.run([python, "-c", _PROBE], capture_output=True, text=True, timeout=60)
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise WcodocError(f"cannot run {python} ({exc}); {make_it}") from None
    if probe.returncode == _UNO_MISSING:
        raise WcodocError(
            f"{python} cannot import LibreOffice's Python bridge (uno); "
            f"install it with `apt-get install python3-uno`, then {make_it}"
        )
    if probe.returncode != 0:
        last = (probe.stderr.strip().splitlines() or ["no message"])[-1]
        raise WcodocError(f"unoserver in {venv} does not start ({last}); {make_it}")
    return python


def free_port(host: str = "127.0.0.1") -> int:
    """A TCP port on ``host`` that nothing listens on right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((host, 0))
        return sock.getsockname()[1]


def _uno_port(xmlrpc_port: int) -> int:
    # An ephemeral port, which the kernel hands out only to sockets bound to port 0: it
    # cannot be the one asked for (2012), except by someone who took theirs the same way.
    while (port := free_port()) == xmlrpc_port:
        pass
    return port


def _check_can_listen(address: client.Address) -> None:
    # unoserver would find out only after its 5 s wait for LibreOffice, and say it in a traceback.
    try:
        family, kind, proto, _, sockaddr = socket.getaddrinfo(*address, proto=socket.IPPROTO_TCP)[0]
        with socket.socket(family, kind, proto) as probe:
            probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            probe.bind(sockaddr)
    except OSError as exc:
        reason = exc.strerror or str(exc)
        raise WcodocError(f"cannot listen on {client.format_address(address)}: {reason}") from None


class PdfServer:
    """One unoserver and its LibreOffice, in a process group of their own."""

    def __init__(self, host: str, port: int, *, convert_timeout: float = 180.0) -> None:
        self.address: client.Address = (host, port)
        self.convert_timeout = convert_timeout
        self.proc: subprocess.Popen[bytes] | None = None
        """unoserver; its standard input is a pipe that only this process writes to, and never does."""
        self.workdir: Path | None = None
        """Private folder of this run: LibreOffice's profile and everyone's temporary files."""
        self.answered = False
        """Whether the running unoserver has answered (then it is worth stopping politely)."""

    def start(self, timeout: float = START_TIMEOUT) -> None:
        """Start unoserver and return once it answers; raise :class:`WcodocError` if it cannot."""
        python, soffice = unoserver_python(), find_soffice()
        _check_can_listen(self.address)
        self.workdir = Path(tempfile.mkdtemp(prefix="wcodoc-pdf-server-"))
        (self.workdir / "tmp").mkdir()
        try:
            with interruptions_held():  # Ctrl-C inside Popen would lose the group to stop
                self.proc = subprocess.Popen(
                    self._command(python, soffice, self.workdir),
                    stdin=subprocess.PIPE,  # closed when this process dies: the launcher's cue
                    start_new_session=True,  # one group to kill: unoserver, oosplash, soffice.bin
                    # unoserver's copies of the documents, and what a killed LibreOffice leaves
                    # behind (its lu*.tmp folders), go where stop() deletes them.
                    env={**os.environ, "TMPDIR": str(self.workdir / "tmp")},
                )
            self._wait_until_ready(timeout)
            self.answered = True
        except BaseException:
            self.stop()
            raise

    def _command(self, python: Path, soffice: str, workdir: Path) -> list[str]:
        host, port = self.address
        return [
            *(str(python), "-P", str(LAUNCHER), str(workdir)),  # -P: wcodoc/pdf is not on its path
            *("--interface", host, "--port", str(port)),
            *("--uno-interface", "127.0.0.1", "--uno-port", str(_uno_port(port))),
            *("--user-installation", str(workdir / "profile")),
            *("--executable", soffice),
            *("--conversion-timeout", str(math.ceil(self.convert_timeout))),
        ]

    def _wait_until_ready(self, timeout: float) -> None:
        # Until LibreOffice is connected unoserver refuses connections, then holds them
        # unanswered for a moment: each question may wait a while, but not so long that an
        # unoserver that gave up (it exits) goes unnoticed.
        assert self.proc is not None
        deadline = time.monotonic() + timeout
        while client.server_info(self.address, timeout=READY_QUESTION_TIMEOUT) is None:
            if self.proc.poll() is not None:
                raise WcodocError(
                    f"unoserver stopped while starting (exit status {self.proc.returncode}); "
                    "its messages above say why"
                )
            if time.monotonic() > deadline:
                raise WcodocError(f"unoserver did not answer within {timeout:g} s")
            time.sleep(0.2)

    def wait(self) -> int:
        """Wait until unoserver exits (it does when LibreOffice dies); return its status."""
        assert self.proc is not None
        return self.proc.wait()

    def stop(self) -> None:
        """Stop unoserver, which closes LibreOffice; kill what is left; delete the private folder."""
        if self.proc is not None:
            # Still starting, unoserver sleeps through SIGTERM: nothing there is worth waiting for.
            if self.answered and self.proc.poll() is None:
                self.proc.terminate()
                with contextlib.suppress(subprocess.TimeoutExpired):
                    self.proc.wait(timeout=STOP_GRACE)
            kill_group(self.proc)  # LibreOffice may outlive unoserver, or unoserver hang
            if self.proc.stdin is not None:
                self.proc.stdin.close()
            self.proc = None
            self.answered = False
        if self.workdir is not None:
            shutil.rmtree(self.workdir, ignore_errors=True)
            self.workdir = None

    def run(self, ready: Callable[[], None], restarting: Callable[[int], None]) -> NoReturn:
        """Serve until interrupted: call ``ready()`` whenever unoserver answers, and
        ``restarting(status)`` before starting it again after LibreOffice died.

        Never returns; the caller stops the server (:meth:`stop`) on Ctrl-C or SIGTERM.
        """
        while True:
            self.start()
            ready()
            status = self.wait()
            restarting(status)
            self.stop()
