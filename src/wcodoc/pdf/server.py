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
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import NoReturn

from wcodoc.errors import WcodocError
from wcodoc.pdf import client
from wcodoc.pdf.convert import find_soffice, interruptions_held, kill_group
from wcodoc.pdf.officegroup import single_instance_pipe, unlink_pipes

UNO_VENV_ENV = "WCODOC_UNO_VENV"
UNO_VENV_NAME = "uno"
"""The folder, inside wcodoc's virtual environment, of the one that has unoserver."""
START_TIMEOUT = 120.0
"""Seconds unoserver may take to answer (it waits 5 s for LibreOffice, then retries)."""
READY_QUESTION_TIMEOUT = 10.0
"""Seconds one "are you ready?" may wait: long enough for a busy start, short enough to notice
an unoserver that gave up and exited."""
READY_POLL = 0.05
"""Seconds between two "are you ready?" while unoserver refuses connections."""
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


def installed_python() -> Path:
    """The Python of :func:`uno_environment`, if unoserver is installed there (not run to
    check: :func:`unoserver_python` does); else say how to install it."""
    venv = uno_environment()
    program, python = venv / "bin" / "unoserver", venv / "bin" / "python"
    if not (program.is_file() and python.is_file()):
        raise WcodocError(
            f"the PDF server needs unoserver, which is not installed in {venv}; {_make_it(venv)}"
        )
    return python


def _make_it(venv: Path) -> str:
    return (
        f"run `make build`, or: /usr/bin/python3 -m venv --system-site-packages {venv} "
        f"&& {venv}/bin/pip install unoserver"
    )


def unoserver_python() -> Path:
    """The Python of :func:`uno_environment`, checked to run unoserver; else say how to get it."""
    python = installed_python()
    venv = uno_environment()
    make_it = _make_it(venv)
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
    """One unoserver and its LibreOffice, in a process group of their own.

    :meth:`start` (or :meth:`launch`, then :meth:`wait_until_ready` in another thread) and
    :meth:`stop` or :meth:`kill` from any thread: a server killed while it starts never answers.
    """

    def __init__(self, host: str, port: int, *, convert_timeout: float = 180.0, quiet: bool = False) -> None:
        self.address: client.Address = (host, port)
        self.convert_timeout = convert_timeout
        self.quiet = quiet
        """Whether unoserver's messages go to a file in its private folder, not standard error."""
        self.proc: subprocess.Popen[bytes] | None = None
        """unoserver; its standard input is a pipe that only this process writes to, and never does."""
        self.workdir: Path | None = None
        """Private folder of this run: LibreOffice's profile and everyone's temporary files."""
        self.answered = False
        """Whether the running unoserver has answered (then it is worth stopping politely)."""
        self._lock = threading.Lock()
        self._stopped = False

    def start(self, timeout: float = START_TIMEOUT) -> None:
        """Start unoserver and return once it answers; raise :class:`WcodocError` if it cannot."""
        self._stopped = False
        self.launch(unoserver_python())
        try:
            self.wait_until_ready(timeout)
        except BaseException:
            self.stop()
            raise

    def launch(self, python: Path) -> None:
        """Start unoserver with ``python`` (:func:`unoserver_python`); return at once."""
        soffice = find_soffice()
        _check_can_listen(self.address)
        with self._lock:
            if self._stopped:
                raise WcodocError("the PDF server was stopped before it started")
            self.workdir = Path(tempfile.mkdtemp(prefix="wcodoc-pdf-server-"))
            (self.workdir / "tmp").mkdir()
            with contextlib.ExitStack() as stack:
                messages = stack.enter_context(self._messages().open("wb")) if self.quiet else None
                with interruptions_held():  # Ctrl-C inside Popen would lose the group to stop
                    self.proc = subprocess.Popen(
                        self._command(python, soffice, self.workdir),
                        stdin=subprocess.PIPE,  # closed when this process dies: the launcher's cue
                        stderr=messages,
                        start_new_session=True,  # one group to kill: unoserver, oosplash, soffice.bin
                        # unoserver's copies of the documents, and what a killed LibreOffice leaves
                        # behind (its lu*.tmp folders), go where stop() deletes them.
                        env={**os.environ, "TMPDIR": str(self.workdir / "tmp")},
                    )

    def _messages(self) -> Path:
        assert self.workdir is not None
        return self.workdir / "unoserver.log"

    def _last_message(self) -> str:
        """What unoserver said last, for a server whose messages go to a file."""
        with contextlib.suppress(OSError, AssertionError):
            lines = self._messages().read_text(errors="replace").strip().splitlines()
            return f": {lines[-1]}" if lines else ""
        return ""

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

    def wait_until_ready(self, timeout: float = START_TIMEOUT) -> None:
        """Return once unoserver answers; raise :class:`WcodocError` if it stops or takes longer."""
        # Until LibreOffice is connected unoserver refuses connections, then holds them
        # unanswered for a moment: each question may wait a while, but not so long that an
        # unoserver that gave up (it exits) goes unnoticed.
        proc = self.proc  # its own reference: stop() may run meanwhile in another thread
        assert proc is not None
        deadline = time.monotonic() + timeout
        while client.server_info(self.address, timeout=READY_QUESTION_TIMEOUT) is None:
            if proc.poll() is not None:
                why = self._last_message() if self.quiet else "; its messages above say why"
                raise WcodocError(f"unoserver stopped while starting (exit status {proc.returncode}){why}")
            if time.monotonic() > deadline:
                raise WcodocError(f"unoserver did not answer within {timeout:g} s")
            time.sleep(READY_POLL)
        self.answered = True

    def wait(self) -> int | None:
        """Wait until unoserver exits (it does when LibreOffice dies); return its status
        (``None`` if it was stopped meanwhile, from another thread)."""
        proc = self.proc
        return proc.wait() if proc is not None else None

    def stop(self) -> None:
        """Stop unoserver, which closes LibreOffice; kill what is left; delete the private folder."""
        self._end(politely=True)

    def kill(self) -> None:
        """Kill unoserver and LibreOffice at once and delete the private folder: for a server
        whose profile is thrown away, there is nothing to save."""
        self._end(politely=False)

    def _end(self, politely: bool) -> None:
        with self._lock:
            self._stopped = True
            proc, workdir, answered = self.proc, self.workdir, self.answered
            self.proc, self.workdir, self.answered = None, None, False
        if proc is not None:
            # Still starting, unoserver sleeps through SIGTERM: nothing there is worth waiting for.
            if politely and answered and proc.poll() is None:
                unlink_pipes(proc.pid)  # LibreOffice leaves its socket file when stopped by a signal
                proc.terminate()
                with contextlib.suppress(subprocess.TimeoutExpired):
                    proc.wait(timeout=STOP_GRACE)
            kill_group(proc)  # LibreOffice may outlive unoserver, or unoserver hang
            if proc.stdin is not None:
                proc.stdin.close()
        if workdir is not None:
            # A LibreOffice that died by itself (the server then starts another) left its
            # socket file, with no process left to find it through.
            with contextlib.suppress(OSError):
                single_instance_pipe(workdir / "profile").unlink()
            shutil.rmtree(workdir, ignore_errors=True)

    def run(self, ready: Callable[[], None], restarting: Callable[[int | None], None]) -> NoReturn:
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
